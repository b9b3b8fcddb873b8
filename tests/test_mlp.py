"""The numpy MLP: shapes, gradients (vs finite differences, TensorFlow and the scratch chapter's
hand-written formulas), Keras import, fit (and the chapter's hand-written loop)."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from fashion_lessons.activations import ACTIVATIONS, relu, relu_derivative, softmax
from fashion_lessons.mlp import MLP, numerical_gradient
from fashion_lessons.models import build_mlp
from fashion_lessons.optimizers import SGD, Adam
from fashion_lessons.training import set_seed


def small_batch(n=8, n_in=6, n_classes=3, seed=0):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, n_in)), rng.integers(0, n_classes, n)


def randomize_biases(model, seed=1):
    """Biases start at 0; give them values so that tests also exercise them."""
    rng = np.random.default_rng(seed)
    for b in model.biases:
        b[...] = rng.normal(0, 0.5, b.shape)


# -- construction and forward -----------------------------------------------------------------


def test_parameters_have_keras_dense_layout():
    model = MLP([784, 128, 10], seed=0)
    assert [W.shape for W in model.weights] == [(784, 128), (128, 10)]
    assert [b.shape for b in model.biases] == [(128,), (10,)]
    assert all(p.dtype == np.float32 for p in model.params)
    assert model.count_params() == 784 * 128 + 128 + 128 * 10 + 10
    # params holds the model's own arrays, in the order W1, b1, W2, b2.
    assert [id(p) for p in model.params] == [
        id(a) for a in (model.weights[0], model.biases[0], model.weights[1], model.biases[1])
    ]


def test_initializers():
    fan_in, fan_out = 400, 100
    glorot = MLP([fan_in, fan_out], init="glorot_uniform", seed=1).weights[0]
    limit = np.sqrt(6 / (fan_in + fan_out))
    assert np.abs(glorot).max() <= limit and np.abs(glorot).max() > 0.95 * limit
    assert glorot.std() == pytest.approx(limit / np.sqrt(3), rel=0.02)
    he = MLP([fan_in, fan_out], init="he_normal", seed=1).weights[0]
    assert he.std() == pytest.approx(np.sqrt(2 / fan_in), rel=0.02)
    normal = MLP([fan_in, fan_out], init="normal", normal_std=0.3, seed=1).weights[0]
    assert normal.std() == pytest.approx(0.3, rel=0.02)
    zeros = MLP([fan_in, fan_out], init="zeros")
    assert not np.any(zeros.weights[0])
    assert all(not np.any(b) for b in MLP([5, 4, 3], init="he_normal").biases)
    # Same seed, same weights; different seed, different weights.
    np.testing.assert_array_equal(
        MLP([5, 4, 3], seed=3).weights[0], MLP([5, 4, 3], seed=3).weights[0]
    )
    assert not np.array_equal(MLP([5, 4, 3], seed=3).weights[0], MLP([5, 4, 3], seed=4).weights[0])
    with pytest.raises(ValueError, match="unknown init 'uniform'"):
        MLP([5, 3], init="uniform")
    with pytest.raises(ValueError, match="unknown activation 'swish'"):
        MLP([5, 3], activation="swish")


def test_forward_shapes_and_probabilities():
    model = MLP([784, 16, 10], seed=0)
    images = np.random.default_rng(0).random((7, 28, 28), dtype=np.float32)
    probs = model.forward(images)
    assert probs.shape == (7, 10) and probs.dtype == np.float32
    np.testing.assert_allclose(probs.sum(axis=1), 1, rtol=1e-6)
    assert np.all(probs > 0)
    # Flattened input gives the same result; predict agrees with forward.
    np.testing.assert_array_equal(model.forward(images.reshape(7, 784)), probs)
    np.testing.assert_array_equal(model.predict(images), probs)
    with pytest.raises(ValueError, match="expected 784 input features, got 100"):
        model.forward(np.zeros((2, 10, 10)))


def test_batch_of_one():
    model = MLP([6, 5, 3], dtype=np.float64, seed=2)
    randomize_biases(model)
    x, y = small_batch(n=1)
    probs = model.forward(x)
    assert probs.shape == (1, 3)
    grads = model.backward(y)
    assert [g.shape for g in grads] == [p.shape for p in model.params]
    numeric = numerical_gradient(lambda: model.loss(x, y), model.params)
    for g, g_hat in zip(grads, numeric, strict=True):
        np.testing.assert_allclose(g, g_hat, rtol=1e-6, atol=1e-9)


def test_loss_and_accuracy():
    model = MLP([6, 5, 3], dtype=np.float64, seed=0)
    x, y = small_batch(n=20)
    probs = model.predict(x)
    expected = -np.mean(np.log(probs[np.arange(20), y]))
    assert model.loss(x, y) == pytest.approx(expected, rel=1e-12)
    assert model.accuracy(x, y) == np.mean(probs.argmax(axis=1) == y)
    # The loss stays finite when a probability underflows to 0.
    model.weights[-1] *= 1e4
    assert np.isfinite(model.loss(x, y))
    with pytest.raises(ValueError, match=r"labels must be in 0\.\.2"):
        model.loss(x, np.full(20, 3))
    with pytest.raises(ValueError, match="integer class labels"):
        model.loss(x, y.astype(float))


# -- backward ---------------------------------------------------------------------------------


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
@pytest.mark.parametrize("sizes", [[6, 5, 3], [6, 5, 4, 3], [6, 3]])
def test_backward_matches_finite_differences(activation, sizes):
    model = MLP(sizes, activation=activation, dtype=np.float64, seed=0)
    randomize_biases(model)
    x, y = small_batch(n=10)
    model.forward(x)
    grads = model.backward(y)
    numeric = numerical_gradient(lambda: model.loss(x, y), model.params)
    assert len(grads) == len(model.params)
    for g, g_hat, p in zip(grads, numeric, model.params, strict=True):
        assert g.shape == p.shape and g.dtype == np.float64
        np.testing.assert_allclose(g, g_hat, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
def test_backward_matches_tensorflow(activation):
    model = MLP([6, 5, 4, 3], activation=activation, dtype=np.float64, seed=1)
    randomize_biases(model)
    x, y = small_batch(n=12, seed=3)
    model.forward(x)
    grads = model.backward(y)

    # The same functions written with TensorFlow ops (tf.nn.leaky_relu would round 0.2 to float32).
    tf_activation = {
        "relu": tf.nn.relu,
        "leaky_relu": lambda z: tf.where(z > 0, z, 0.2 * z),
        "sigmoid": tf.sigmoid,
        "tanh": tf.tanh,
    }[activation]
    variables = [tf.Variable(p) for p in model.params]
    with tf.GradientTape() as tape:
        a = tf.constant(x)
        for i in range(0, len(variables), 2):
            z = a @ variables[i] + variables[i + 1]
            a = tf_activation(z) if i < len(variables) - 2 else z
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(y, a))
    expected = tape.gradient(loss, variables)
    assert float(loss) == pytest.approx(model.loss(x, y), rel=1e-12)
    for g, e in zip(grads, expected, strict=True):
        np.testing.assert_allclose(g, e.numpy(), rtol=1e-9, atol=1e-12)


def test_backward_needs_forward_first():
    with pytest.raises(RuntimeError, match="forward"):
        MLP([6, 3]).backward(np.array([0]))


def fashion_keras_model():
    keras.utils.set_random_seed(0)
    return keras.Sequential(
        [
            keras.Input((28, 28)),
            keras.layers.Flatten(),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )


def test_from_keras_predicts_like_keras():
    model = fashion_keras_model()
    rng = np.random.default_rng(0)
    for layer in model.layers[1:]:
        layer.bias.assign(rng.normal(0, 0.1, layer.bias.shape).astype("float32"))
    x = rng.random((64, 28, 28), dtype=np.float32)
    net = MLP.from_keras(model)
    assert net.sizes == [784, 128, 10] and net.activation == "relu"
    assert net.dtype == np.float32
    expected = model.predict(x, verbose=0)
    np.testing.assert_allclose(net.predict(x), expected, rtol=1e-5, atol=1e-5)
    # A copy, not a view: changing the MLP leaves Keras alone.
    net.weights[0][...] = 0
    np.testing.assert_array_equal(model.predict(x, verbose=0), expected)


def test_from_keras_with_other_activations_and_no_flatten():
    keras.utils.set_random_seed(1)
    model = keras.Sequential(
        [
            keras.Input((12,)),
            keras.layers.Dense(8, activation="tanh"),
            keras.layers.Dropout(0.5),
            keras.layers.Dense(6, activation="tanh"),
            keras.layers.Dense(4, activation="softmax", use_bias=False),
        ]
    )
    x = np.random.default_rng(2).standard_normal((5, 12)).astype("float32")
    net = MLP.from_keras(model)
    assert net.sizes == [12, 8, 6, 4] and net.activation == "tanh"
    np.testing.assert_allclose(net.predict(x), model.predict(x, verbose=0), atol=1e-6)


@pytest.mark.parametrize(
    ("layers", "message"),
    [
        (
            [keras.layers.Conv1D(4, 3), keras.layers.Flatten()],
            r"unsupported layer 'conv1d.*' \(Conv1D\)",
        ),
        ([keras.layers.Flatten(), keras.layers.Dense(10)], "unsupported activation 'linear'"),
        (
            [keras.layers.Flatten(), keras.layers.Dense(5, activation="selu")],
            "unsupported activation 'selu' in hidden layer",
        ),
        (
            [
                keras.layers.Flatten(),
                keras.layers.Dense(5, activation="relu"),
                keras.layers.Dense(5, activation="tanh"),
            ],
            "share one activation",
        ),
    ],
    ids=["conv", "linear-output", "selu", "mixed"],
)
def test_from_keras_rejects_what_it_cannot_copy(layers, message):
    if "linear" not in message:
        layers = [*layers, keras.layers.Dense(10, activation="softmax")]
    model = keras.Sequential([keras.Input((28, 28)), *layers])
    with pytest.raises(ValueError, match=message):
        MLP.from_keras(model)


# -- training ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fashion_subset():
    from fashion_lessons.data import load_fashion_mnist

    (x_train, y_train), (x_test, y_test) = load_fashion_mnist()
    scale = np.float32(1 / 255)
    return (x_train[:1000] * scale, y_train[:1000]), (x_test[:500] * scale, y_test[:500])


def test_fit_lowers_the_loss(fashion_subset, capsys):
    (x, y), (x_val, y_val) = fashion_subset
    model = MLP([784, 32, 10], seed=0)
    before = model.loss(x, y)
    history = model.fit(x, y, 3, 64, Adam(), validation_data=(x_val, y_val), verbose=True)
    assert set(history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert all(len(values) == 3 for values in history.values())
    assert history["loss"][-1] < history["loss"][0] < before
    assert model.loss(x, y) < 0.7 * before
    assert model.accuracy(x_val, y_val) > 0.6
    assert history["val_accuracy"][-1] == model.accuracy(x_val, y_val)

    lines = capsys.readouterr().out.splitlines()
    assert "\r" not in "".join(lines) and len(lines) == 4
    assert lines[0].split() == ["epoch", "loss", "accuracy", "val_loss", "val_accuracy", "seconds"]
    first = lines[1].split()
    assert first[0] == "1" and float(first[1]) == pytest.approx(history["loss"][0], abs=1e-4)


def test_fit_is_repeatable_and_quiet_when_asked(fashion_subset, capsys):
    (x, y), _ = fashion_subset
    runs = []
    for _ in range(2):
        model = MLP([784, 16, 10], seed=5)
        history = model.fit(x[:300], y[:300], 2, 50, SGD(0.1, momentum=0.9), verbose=False)
        runs.append((history, model.weights[0].copy()))
    assert runs[0][0] == runs[1][0]
    np.testing.assert_array_equal(runs[0][1], runs[1][1])
    assert set(runs[0][0]) == {"loss", "accuracy"}
    assert capsys.readouterr().out == ""
    other = MLP([784, 16, 10], seed=5)
    other.fit(x[:300], y[:300], 2, 50, SGD(0.1, momentum=0.9), seed=1, verbose=False)
    assert not np.array_equal(other.weights[0], runs[0][1])  # shuffling depends on seed


@pytest.fixture(scope="module")
def fashion_images(fashion_subset):
    """600 real training images scaled to [0, 1] (float32), and their labels."""
    (x, y), _ = fashion_subset
    return x[:600], y[:600]


def test_hand_written_forward_and_backward_are_mlps(fashion_images):
    x, y = fashion_images
    xb, yb = x[:128].reshape(128, -1), y[:128]
    net = MLP([784, 128, 10], seed=0)
    W1, b1, W2, b2 = net.params
    # The chapter's forward pass ...
    z1 = xb @ W1 + b1
    h = relu(z1)
    p = softmax(h @ W2 + b2)
    np.testing.assert_allclose(p, net.forward(xb), rtol=1e-6, atol=1e-7)
    # ... its loss ...
    loss = -np.log(p[np.arange(128), yb]).mean()
    assert loss == pytest.approx(net.loss(xb, yb), rel=1e-6)
    # ... and its backward pass.
    delta2 = (p - np.eye(10, dtype=np.float32)[yb]) / 128
    delta1 = (delta2 @ W2.T) * relu_derivative(z1)
    grads = [xb.T @ delta1, delta1.sum(axis=0), h.T @ delta2, delta2.sum(axis=0)]
    for g, g_mlp in zip(grads, net.backward(yb), strict=True):
        assert g.dtype == g_mlp.dtype == np.float32
        np.testing.assert_allclose(g, g_mlp, rtol=1e-5, atol=1e-8)


def test_hand_written_loop_is_exactly_mlp_fit(fashion_images):
    x, y = fashion_images
    by_hand = MLP([784, 32, 10], seed=3)
    optimizer, rng = Adam(), np.random.default_rng(7)
    for _ in range(2):  # two epochs: the generator is drawn from once per epoch
        order = rng.permutation(len(x))
        for first in range(0, len(x), 128):  # 600 = 4 x 128 + 88: a short last batch
            batch = order[first : first + 128]
            by_hand.forward(x[batch])
            optimizer.apply(by_hand.backward(y[batch]), by_hand.params)
    fitted = MLP([784, 32, 10], seed=3)
    fitted.fit(x, y, epochs=2, batch_size=128, optimizer=Adam(), seed=7, verbose=False)
    for a, b in zip(by_hand.params, fitted.params, strict=True):
        np.testing.assert_array_equal(a, b)


def test_fit_records_the_seconds_of_every_epoch(fashion_images):
    """The chapter compares numpy's and Keras's time per epoch from ``MLP.epoch_seconds``."""
    x, y = fashion_images
    net = MLP([784, 16, 10], seed=0)
    assert net.epoch_seconds == []
    net.fit(x, y, epochs=3, batch_size=128, optimizer=Adam(), verbose=False)
    assert len(net.epoch_seconds) == 3 and all(s > 0 for s in net.epoch_seconds)
    net.fit(x, y, epochs=2, batch_size=128, optimizer=Adam(), verbose=False)
    assert len(net.epoch_seconds) == 2  # the last fit's epochs only


def test_from_keras_reproduces_a_trained_xla_compiled_model(fashion_images):
    x, y = fashion_images
    set_seed(0)
    model = build_mlp()
    model.compile(
        optimizer="adam",
        loss="sparse_categorical_crossentropy",
        steps_per_execution=100,
        jit_compile=True,
    )
    model.fit(x[:512], y[:512], epochs=2, batch_size=128, verbose=0)
    p_keras = model.predict(x, verbose=0)
    p_numpy = MLP.from_keras(model).predict(x)
    assert np.abs(p_numpy - p_keras).max() < 1e-5
    np.testing.assert_array_equal(p_numpy.argmax(axis=1), p_keras.argmax(axis=1))
    # The model has moved away from its initial weights: it predicts something.
    assert p_keras.max(axis=1).mean() > 0.3

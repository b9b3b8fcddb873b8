"""What the "network from scratch" chapter claims, checked on small data.

The chapter writes the forward pass, the backward pass and the training loop out by hand and
says they are what ``MLP`` does; it says one Adam step is the same in numpy and in Keras, and
that the numpy forward pass on a trained, XLA-compiled Keras model's weights gives Keras's
probabilities. Each test below checks one of those claims.
"""

import numpy as np
import pytest

from fashion_lessons.activations import relu, relu_derivative, softmax
from fashion_lessons.mlp import MLP
from fashion_lessons.models import build_mlp
from fashion_lessons.optimizers import Adam
from fashion_lessons.training import scale_images, set_seed


@pytest.fixture(scope="module")
def images():
    """600 real training images scaled to [0, 1] (float32), and their labels."""
    from fashion_lessons.data import load_fashion_mnist

    (x_train, y_train), _ = load_fashion_mnist()
    return scale_images(x_train[:600]), y_train[:600]


def test_untrained_network_loss_is_close_to_ln_10(images):
    x, y = images
    net = MLP([784, 128, 10], seed=0)
    assert net.loss(x, y) == pytest.approx(np.log(10), abs=0.1)


def test_hand_written_forward_and_backward_are_mlps(images):
    x, y = images
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


def test_one_adam_step_lowers_the_batch_loss(images):
    x, y = images
    net = MLP([784, 128, 10], seed=0)
    before = net.loss(x[:128], y[:128])
    net.forward(x[:128])
    Adam().apply(net.backward(y[:128]), net.params)
    assert net.loss(x[:128], y[:128]) < before


def test_hand_written_loop_is_exactly_mlp_fit(images):
    x, y = images
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


def test_one_adam_step_is_the_same_in_numpy_and_keras(images):
    x, y = images
    net = MLP([784, 128, 10], seed=0)
    set_seed(0)
    model = build_mlp()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.set_weights(net.params)
    start = [p.copy() for p in net.params]
    model.train_on_batch(x[:128], y[:128])
    net.forward(x[:128])
    Adam().apply(net.backward(y[:128]), net.params)
    for k, n in zip(model.get_weights(), net.params, strict=True):
        np.testing.assert_allclose(n, k, atol=1e-6)
    # The step is far larger than the disagreement: the test is not passing trivially.
    assert max(np.abs(n - s).max() for n, s in zip(net.params, start)) > 5e-4


def test_from_keras_reproduces_a_trained_xla_compiled_model(images):
    x, y = images
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


def test_fit_records_the_seconds_of_every_epoch(images):
    """The chapter compares numpy's and Keras's time per epoch from ``MLP.epoch_seconds``."""
    x, y = images
    net = MLP([784, 16, 10], seed=0)
    assert net.epoch_seconds == []
    net.fit(x, y, epochs=3, batch_size=128, optimizer=Adam(), verbose=False)
    assert len(net.epoch_seconds) == 3 and all(s > 0 for s in net.epoch_seconds)
    net.fit(x, y, epochs=2, batch_size=128, optimizer=Adam(), verbose=False)
    assert len(net.epoch_seconds) == 2  # the last fit's epochs only

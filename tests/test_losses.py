"""fashion_lessons.losses agrees with the keras.losses functions, and its gradients are right."""

import warnings

import keras
import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from fashion_lessons import losses as L

PROPERTY = settings(max_examples=50, deadline=None)
DTYPES = [np.float32, np.float64]
TOL = {np.float32: {"rtol": 1e-6, "atol": 1e-6}, np.float64: {"rtol": 1e-10, "atol": 1e-12}}
CROSSENTROPIES = {
    "binary_crossentropy",
    "categorical_crossentropy",
    "sparse_categorical_crossentropy",
}
# (loss name, from_logits) for every variant we implement.
CASES = [(name, False) for name in L.LOSSES] + [(name, True) for name in sorted(CROSSENTROPIES)]
CASE_IDS = [f"{name}{'-logits' if logits else ''}" for name, logits in CASES]
# 1-D, a batch of one, a batch, and 3-D (batch, time, features).
SHAPES = [(5,), (1, 4), (6, 4), (2, 3, 4)]


def to_numpy(tensor):
    return keras.ops.convert_to_numpy(tensor)


def kwargs(name, from_logits):
    return {"from_logits": from_logits} if name in CROSSENTROPIES else {}


def ours(name, y_true, y_pred, from_logits=False):
    return L.LOSSES[name](y_true, y_pred, **kwargs(name, from_logits))


def ours_gradient(name, y_true, y_pred, from_logits=False):
    return L.LOSS_GRADIENTS[name](y_true, y_pred, **kwargs(name, from_logits))


def theirs(name, y_true, y_pred, from_logits=False):
    return getattr(keras.losses, name)(y_true, y_pred, **kwargs(name, from_logits))


def tape_gradient(name, y_true, y_pred, from_logits=False):
    """d sum(keras loss) / d y_pred by TensorFlow's autodiff."""
    y_pred = tf.Variable(y_pred)
    with tf.GradientTape() as tape:
        loss = theirs(name, y_true, y_pred, from_logits)
    return tape.gradient(loss, y_pred).numpy()


def numeric_gradient(name, y_true, y_pred, from_logits=False, h=1e-6):
    """d sum(loss) / d y_pred by central differences (float64)."""
    grad = np.zeros_like(y_pred)
    for index in np.ndindex(y_pred.shape):
        step = np.zeros_like(y_pred)
        step[index] = h
        up = ours(name, y_true, y_pred + step, from_logits).sum()
        down = ours(name, y_true, y_pred - step, from_logits).sum()
        grad[index] = (up - down) / (2 * h)
    return grad


def softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def make_inputs(name, shape, dtype, from_logits=False, seed=0):
    """Typical (y_true, y_pred) for a loss: labels of the right kind, scores or probabilities."""
    rng = np.random.default_rng(seed)
    n = shape[-1]
    logits = 3 * rng.standard_normal(shape)
    if name in ("mean_squared_error", "mean_absolute_error"):
        y_true, y_pred = rng.standard_normal(shape), logits
    elif name == "hinge":
        y_true, y_pred = rng.choice([-1.0, 1.0], size=shape), logits
    elif name == "binary_crossentropy":
        y_true = rng.integers(0, 2, size=shape).astype(float)
        y_pred = logits if from_logits else rng.uniform(size=shape)
    else:
        labels = rng.integers(0, n, size=shape[:-1])
        y_true = labels if name.startswith("sparse") else np.eye(n)[labels]
        y_pred = logits if from_logits else softmax(logits)
    if not name.startswith("sparse"):
        y_true = y_true.astype(dtype)
    return y_true, y_pred.astype(dtype)


def make_smooth_inputs(name, shape, from_logits=False, seed=0):
    """float64 inputs away from every kink and clip boundary, for finite differences."""
    rng = np.random.default_rng(seed)
    y_true, y_pred = make_inputs(name, shape, np.float64, from_logits, seed)
    away = rng.choice([-1.0, 1.0], size=shape) * rng.uniform(0.1, 1.0, size=shape)
    if name == "mean_absolute_error":
        y_pred = y_true + away  # |y_pred - y_true| >= 0.1
    elif name == "hinge":
        y_pred = y_true * (1 + away)  # margin 1 - y_true * y_pred = -away, never 0
    elif name == "binary_crossentropy" and not from_logits:
        y_pred = rng.uniform(0.05, 0.95, size=shape)
    elif name in ("categorical_crossentropy", "sparse_categorical_crossentropy"):
        if not from_logits:
            # Rows that do NOT sum to one: the gradient must include Keras's rescaling p / sum(p).
            y_pred = rng.uniform(0.1, 1.0, size=shape)
        if name.startswith("categorical"):
            y_true = rng.dirichlet(np.ones(shape[-1]), size=shape[:-1])  # soft labels too
    return y_true, y_pred


# -- Values against Keras --------------------------------------------------------------------------


def test_epsilon_is_keras_epsilon():
    assert keras.config.epsilon() == L.EPSILON


def test_tables_are_complete():
    assert set(L.LOSSES) == set(L.LOSS_GRADIENTS)
    for name in L.LOSSES:
        assert L.LOSSES[name] is getattr(L, name)
        assert L.LOSS_GRADIENTS[name] is getattr(L, name + "_gradient")


@pytest.mark.parametrize(("name", "from_logits"), CASES, ids=CASE_IDS)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", SHAPES)
def test_matches_keras(name, from_logits, dtype, shape):
    y_true, y_pred = make_inputs(name, shape, dtype, from_logits)
    loss = ours(name, y_true, y_pred, from_logits)
    expected = to_numpy(theirs(name, y_true, y_pred, from_logits))
    assert np.shape(loss) == shape[:-1] and loss.dtype == dtype
    np.testing.assert_allclose(loss, expected, **TOL[dtype])


@pytest.mark.parametrize(("name", "from_logits"), CASES, ids=CASE_IDS)
@pytest.mark.parametrize("dtype", DTYPES)
def test_matches_keras_on_all_zero_predictions(name, from_logits, dtype):
    y_true, y_pred = make_inputs(name, (3, 4), dtype, from_logits)
    if name == "categorical_crossentropy" and not from_logits:
        y_pred = np.full_like(
            y_pred, 0.25
        )  # all-zero probabilities cannot be rescaled: use uniform
    else:
        y_pred = np.zeros_like(y_pred)
    expected = to_numpy(theirs(name, y_true, y_pred, from_logits))
    np.testing.assert_allclose(ours(name, y_true, y_pred, from_logits), expected, **TOL[dtype])


@pytest.mark.parametrize("dtype", DTYPES)
def test_probabilities_of_exactly_zero_and_one_match_keras_clipping(dtype):
    y_pred = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.5, 0.5]], dtype)
    labels = np.array([1, 1, 0])  # right, confidently wrong, wrong
    one_hot = np.eye(3, dtype=dtype)[labels]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # log(0) would warn: the clip must prevent it
        results = {
            "binary_crossentropy": L.binary_crossentropy(one_hot, y_pred),
            "categorical_crossentropy": L.categorical_crossentropy(one_hot, y_pred),
            "sparse_categorical_crossentropy": L.sparse_categorical_crossentropy(labels, y_pred),
        }
    for name, loss in results.items():
        y_true = labels if name.startswith("sparse") else one_hot
        assert np.all(np.isfinite(loss))
        np.testing.assert_allclose(loss, to_numpy(theirs(name, y_true, y_pred)), **TOL[dtype])
    # A confidently wrong prediction costs -log(1e-7), about 16.1, rather than infinity.
    np.testing.assert_allclose(results["categorical_crossentropy"][1], -np.log(1e-7), rtol=1e-6)


@pytest.mark.parametrize("name", sorted(CROSSENTROPIES))
@pytest.mark.parametrize("dtype", DTYPES)
def test_huge_logits_are_finite_and_match_keras(name, dtype):
    y_pred = np.array([[1e4, 0.0, -1e4], [-1e4, 1e4, 0.0], [1e4, 1e4, -1e4]], dtype)
    labels = np.array([0, 0, 2])
    y_true = labels if name.startswith("sparse") else np.eye(3, dtype=dtype)[labels]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss = ours(name, y_true, y_pred, from_logits=True)
        grad = ours_gradient(name, y_true, y_pred, from_logits=True)
    assert np.all(np.isfinite(loss)) and np.all(np.isfinite(grad))
    expected = to_numpy(theirs(name, y_true, y_pred, from_logits=True))
    np.testing.assert_allclose(loss, expected, **TOL[dtype])
    if name != "binary_crossentropy":
        np.testing.assert_allclose(loss, [0.0, 2e4, 2e4 + np.log(2)], rtol=1e-6)


@pytest.mark.parametrize("name", ["mean_squared_error", "mean_absolute_error"])
@pytest.mark.parametrize(
    ("true_shape", "pred_shape"),
    [((6,), (6, 1)), ((6, 1), (6,)), ((2, 3, 1), (2, 3)), ((2, 3), (2, 3, 1))],
)
def test_regression_losses_match_keras_rank_fixing(name, true_shape, pred_shape):
    rng = np.random.default_rng(0)
    y_true, y_pred = rng.standard_normal(true_shape), rng.standard_normal(pred_shape)
    loss = ours(name, y_true, y_pred)
    expected = to_numpy(theirs(name, y_true, y_pred))
    assert loss.shape == expected.shape
    np.testing.assert_allclose(loss, expected, rtol=1e-12)
    assert ours_gradient(name, y_true, y_pred).shape == pred_shape


@pytest.mark.parametrize(
    "y_true",
    [[[0.0, 1.0, 1.0, 0.0]], [[-1.0, 1.0, 1.0, -1.0]], [[-1.0, 0.0, 1.0, 0.0]], [[1.0, 1.0, 1, 1]]],
    ids=["zero-one", "minus-plus", "mixed-not-converted", "all-ones"],
)
def test_hinge_label_conversion_matches_keras(y_true):
    y_true = np.array(y_true)
    y_pred = np.array([[0.3, -0.2, 2.0, -1.5]])
    np.testing.assert_allclose(
        L.hinge(y_true, y_pred), to_numpy(keras.losses.hinge(y_true, y_pred))
    )
    expected = tape_gradient("hinge", y_true, y_pred)
    np.testing.assert_allclose(L.hinge_gradient(y_true, y_pred), expected)


def test_zero_one_hinge_labels_mean_minus_one_plus_one():
    y_pred = np.array([[0.3, -0.2, 2.0]])
    np.testing.assert_array_equal(L.hinge([[0, 1, 1]], y_pred), L.hinge([[-1, 1, 1]], y_pred))


@pytest.mark.parametrize("from_logits", [False, True])
def test_sparse_labels_with_trailing_axis_match_keras(from_logits):
    y_true, y_pred = make_inputs("sparse_categorical_crossentropy", (5, 4), np.float64, from_logits)
    column = y_true[:, None]
    loss = L.sparse_categorical_crossentropy(column, y_pred, from_logits=from_logits)
    expected = keras.losses.sparse_categorical_crossentropy(column, y_pred, from_logits=from_logits)
    np.testing.assert_allclose(loss, to_numpy(expected), rtol=1e-12)
    np.testing.assert_allclose(loss, L.sparse_categorical_crossentropy(y_true, y_pred, from_logits))


def test_sparse_and_one_hot_categorical_agree():
    labels, logits = make_inputs("sparse_categorical_crossentropy", (6, 5), np.float64, True)
    one_hot = np.eye(5)[labels]
    probabilities = softmax(logits)  # rows sum to 1, no entry clipped
    for from_logits, y_pred, expected_grad in [
        (True, logits, probabilities - one_hot),
        # For rows summing to 1, -y/p plus the constant sum(y) = 1 from the rescaling term.
        (False, probabilities, 1 - one_hot / probabilities),
    ]:
        sparse = L.sparse_categorical_crossentropy(labels, y_pred, from_logits=from_logits)
        dense = L.categorical_crossentropy(one_hot, y_pred, from_logits=from_logits)
        np.testing.assert_allclose(sparse, dense, rtol=1e-10)
        for grad in [
            L.sparse_categorical_crossentropy_gradient(labels, y_pred, from_logits=from_logits),
            L.categorical_crossentropy_gradient(one_hot, y_pred, from_logits=from_logits),
        ]:
            np.testing.assert_allclose(grad, expected_grad, rtol=1e-9, atol=1e-12)


# -- Gradients -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "from_logits"), CASES, ids=CASE_IDS)
@pytest.mark.parametrize("shape", [(4,), (3, 4), (2, 2, 3)])
def test_gradient_matches_finite_differences(name, from_logits, shape):
    y_true, y_pred = make_smooth_inputs(name, shape, from_logits)
    grad = ours_gradient(name, y_true, y_pred, from_logits)
    assert grad.shape == y_pred.shape
    expected = numeric_gradient(name, y_true, y_pred, from_logits)
    np.testing.assert_allclose(grad, expected, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize(("name", "from_logits"), CASES, ids=CASE_IDS)
@pytest.mark.parametrize("shape", [(4,), (3, 4), (2, 2, 3)])
def test_gradient_matches_gradient_tape(name, from_logits, shape):
    y_true, y_pred = make_inputs(name, shape, np.float64, from_logits, seed=1)
    expected = tape_gradient(name, y_true, y_pred, from_logits)
    grad = ours_gradient(name, y_true, y_pred, from_logits)
    np.testing.assert_allclose(grad, expected, rtol=1e-9, atol=1e-12)


# Inputs sitting exactly on kinks and clip boundaries, where a convention must be chosen:
# our documented conventions are the ones TensorFlow's gradients use.
EDGE_GRADIENT_CASES = {
    "mse-zeros": ("mean_squared_error", False, [[0.0, 1.0, -2.0]], [[0.0, 0.0, 0.0]]),
    "mae-kink": ("mean_absolute_error", False, [[0.5, 1.0, -2.0]], [[0.5, 3.0, -2.0]]),
    "hinge-kink": ("hinge", False, [[1.0, -1.0, 1.0, -1.0]], [[1.0, -1.0, 0.3, 2.0]]),
    "hinge-kink-01": ("hinge", False, [[1.0, 0.0, 1.0, 0.0]], [[1.0, -1.0, 0.3, 2.0]]),
    "bce-clip": (
        "binary_crossentropy",
        False,
        [[1.0, 0.0, 1.0, 0.0, 1.0, 0.0]],
        [[0.0, 1.0, 1.0, 0.0, 1e-7, 1 - 1e-7]],
    ),
    "bce-logits": ("binary_crossentropy", True, [[1.0, 0.0, 1.0, 0.0]], [[1e4, 1e4, -1e4, 0.0]]),
    "cce-clip": (
        "categorical_crossentropy",
        False,
        [[0.0, 1.0, 0.0], [0.0, 1.0, 0.0], [1.0, 0.0, 0.0]],
        [[0.0, 0.3, 0.7], [1.0, 0.0, 0.0], [1.0, 0.0, 0.0]],
    ),
    "cce-logits": (
        "categorical_crossentropy",
        True,
        [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]],
        [[1e4, 0.0, -1e4], [1e4, 0.0, -1e4]],
    ),
    "scce-clip": (
        "sparse_categorical_crossentropy",
        False,
        [1, 1, 0],
        [[0.0, 0.3, 0.7], [1.0, 0.0, 0.0], [1.0, 0.0, 0.0]],
    ),
    "scce-logits": ("sparse_categorical_crossentropy", True, [0, 2], [[1e4, 0.0, -1e4]] * 2),
}


@pytest.mark.parametrize("case", sorted(EDGE_GRADIENT_CASES))
def test_gradient_conventions_at_kinks_and_clips_match_gradient_tape(case):
    name, from_logits, y_true, y_pred = EDGE_GRADIENT_CASES[case]
    y_true, y_pred = np.array(y_true), np.array(y_pred)
    grad = ours_gradient(name, y_true, y_pred, from_logits)
    assert np.all(np.isfinite(grad))
    np.testing.assert_allclose(grad, tape_gradient(name, y_true, y_pred, from_logits), rtol=1e-9)


def test_documented_gradient_values_at_kinks():
    # MAE: sign(0) = 0 at y_pred == y_true.
    np.testing.assert_array_equal(
        L.mean_absolute_error_gradient([[1.0, 2.0]], [[1.0, 3.0]]), [[0, 0.5]]
    )
    # Hinge: a margin of exactly 1 counts as violated.
    np.testing.assert_array_equal(L.hinge_gradient([[1.0, -1.0]], [[1.0, -1.0]]), [[-0.5, 0.5]])
    # Clipped probabilities get zero gradient.
    np.testing.assert_array_equal(
        L.binary_crossentropy_gradient([[1.0, 0.0]], [[0.0, 1.0]]), [[0, 0]]
    )


def test_categorical_crossentropy_gradient_from_logits_is_softmax_minus_target():
    labels, logits = make_inputs("sparse_categorical_crossentropy", (4, 5), np.float64, True)
    one_hot = np.eye(5)[labels]
    grad = L.categorical_crossentropy_gradient(one_hot, logits, from_logits=True)
    np.testing.assert_allclose(grad, softmax(logits) - one_hot, rtol=1e-12, atol=1e-15)


def test_categorical_gradient_from_logits_is_exact_for_labels_not_summing_to_one():
    # TensorFlow's kernel uses softmax(z) - y regardless; ours is the true derivative.
    y_true = np.array([[0.5, 0.5, 0.5], [0.0, 0.0, 0.0]])
    y_pred = np.array([[1.0, 2.0, 0.5], [0.3, -0.3, 0.0]])
    grad = L.categorical_crossentropy_gradient(y_true, y_pred, from_logits=True)
    expected = numeric_gradient("categorical_crossentropy", y_true, y_pred, from_logits=True)
    np.testing.assert_allclose(grad, expected, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize(("name", "from_logits"), CASES, ids=CASE_IDS)
@pytest.mark.parametrize("dtype", DTYPES)
def test_gradient_keeps_dtype_and_shape(name, from_logits, dtype):
    y_true, y_pred = make_inputs(name, (3, 4), dtype, from_logits)
    grad = ours_gradient(name, y_true, y_pred, from_logits)
    assert grad.dtype == dtype and grad.shape == y_pred.shape


# -- Properties ------------------------------------------------------------------------------------


@st.composite
def loss_inputs(draw, name, from_logits):
    """Valid (y_true, y_pred) of shape (..., n) with n >= 2, including 0/1 probabilities."""
    shape = draw(array_shapes(min_dims=1, max_dims=3, min_side=2, max_side=5))
    n = shape[-1]
    labels = draw(arrays(np.int64, shape[:-1], elements=st.integers(0, n - 1)))
    if from_logits:
        y_pred = draw(arrays(np.float64, shape, elements=st.floats(-1e4, 1e4)))
    elif name == "categorical_crossentropy":  # rows must have a positive sum to be rescaled
        y_pred = draw(arrays(np.float64, shape, elements=st.floats(1e-3, 1)))
    elif name in CROSSENTROPIES:
        y_pred = draw(arrays(np.float64, shape, elements=st.floats(0, 1)))
    else:
        y_pred = draw(arrays(np.float64, shape, elements=st.floats(-1e3, 1e3)))
    if name == "sparse_categorical_crossentropy":
        y_true = labels
    elif name == "categorical_crossentropy":
        y_true = np.eye(n)[labels]
    elif name == "binary_crossentropy":
        y_true = draw(arrays(np.float64, shape, elements=st.floats(0, 1)))
    elif name == "hinge":
        y_true = draw(arrays(np.float64, shape, elements=st.sampled_from([-1.0, 0.0, 1.0])))
    else:
        y_true = draw(arrays(np.float64, shape, elements=st.floats(-1e3, 1e3)))
    return y_true, y_pred


@pytest.mark.parametrize(("name", "from_logits"), CASES, ids=CASE_IDS)
def test_losses_are_non_negative(name, from_logits):
    @PROPERTY
    @given(inputs=loss_inputs(name, from_logits))
    def check(inputs):
        loss = ours(name, *inputs, from_logits)
        assert np.all(np.isfinite(loss)) and np.all(loss >= 0)

    check()


moderate_logits = arrays(
    np.float64,
    array_shapes(min_dims=1, max_dims=3, min_side=2, max_side=6),
    elements=st.floats(-5, 5),
)


@PROPERTY
@given(z=moderate_logits, data=st.data())
def test_crossentropy_from_logits_equals_crossentropy_of_probabilities(z, data):
    # |z| <= 5 keeps every probability far above the 1e-7 clip, so both routes are exact.
    n = z.shape[-1]
    labels = data.draw(arrays(np.int64, z.shape[:-1], elements=st.integers(0, n - 1)))
    one_hot = np.eye(n)[labels]
    p = softmax(z)
    np.testing.assert_allclose(
        L.categorical_crossentropy(one_hot, z, from_logits=True),
        L.categorical_crossentropy(one_hot, p),
        rtol=1e-9,
        atol=1e-12,
    )
    np.testing.assert_allclose(
        L.sparse_categorical_crossentropy(labels, z, from_logits=True),
        L.sparse_categorical_crossentropy(labels, p),
        rtol=1e-9,
        atol=1e-12,
    )
    y = data.draw(arrays(np.float64, z.shape, elements=st.floats(0, 1)))
    np.testing.assert_allclose(
        L.binary_crossentropy(y, z, from_logits=True),
        L.binary_crossentropy(y, 1 / (1 + np.exp(-z))),
        rtol=1e-9,
        atol=1e-12,
    )


@PROPERTY
@given(z=moderate_logits, data=st.data())
def test_crossentropy_from_logits_matches_keras_property(z, data):
    n = z.shape[-1]
    labels = data.draw(arrays(np.int64, z.shape[:-1], elements=st.integers(0, n - 1)))
    expected = keras.losses.sparse_categorical_crossentropy(labels, z, from_logits=True)
    np.testing.assert_allclose(
        L.sparse_categorical_crossentropy(labels, z, from_logits=True),
        to_numpy(expected),
        rtol=1e-10,
        atol=1e-12,
    )


@pytest.mark.parametrize("name", ["categorical_crossentropy", "sparse_categorical_crossentropy"])
def test_keras_takes_the_logits_from_its_own_softmax_but_clips_other_probabilities(name):
    """What loss-functions.md and the walkthrough rely on (TensorFlow backend): the output of
    keras.activations.softmax carries its logits, so Keras's cross-entropy equals ours from
    logits, gradient included; probabilities made by tf.nn.softmax are clipped like ours."""
    z = tf.Variable(np.array([[0.0, 30.0, 0.0], [2.0, -1.0, 0.5]], dtype=np.float32))
    labels = np.array([0, 1])
    y_true = labels if name.startswith("sparse") else np.eye(3, dtype=np.float32)[labels]
    keras_loss = getattr(keras.losses, name)
    with tf.GradientTape(persistent=True) as tape:
        own = keras_loss(y_true, keras.activations.softmax(z))
        made = keras_loss(y_true, tf.nn.softmax(z))
    logits = z.numpy()
    np.testing.assert_allclose(to_numpy(own), ours(name, y_true, logits, True), rtol=1e-6)
    gradient = L.LOSS_GRADIENTS[name](y_true, logits, from_logits=True)  # of the summed losses
    np.testing.assert_allclose(to_numpy(tape.gradient(own, z)), gradient, atol=1e-6)
    probabilities = to_numpy(tf.nn.softmax(z))
    np.testing.assert_allclose(to_numpy(made), ours(name, y_true, probabilities), rtol=1e-6)
    assert to_numpy(made)[0] == pytest.approx(-np.log(L.EPSILON), rel=1e-6)  # the clip's cap
    assert np.all(to_numpy(tape.gradient(made, z))[0] == 0)  # beyond the clip: no gradient

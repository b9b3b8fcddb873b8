"""fashion_lessons.activations agrees with Keras/TensorFlow, and its derivatives are right."""

import warnings

import keras
import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from fashion_lessons import activations as act

PROPERTY = settings(max_examples=50, deadline=None)
DTYPES = [np.float32, np.float64]
# float32: a few ulps of disagreement between NumPy and TensorFlow kernels is expected.
TOL = {np.float32: {"rtol": 2e-6, "atol": 1e-7}, np.float64: {"rtol": 1e-12, "atol": 1e-15}}
SHAPES = [(1,), (7,), (1, 10), (4, 10), (2, 3, 5)]
# Zeros, kinks, tiny values, saturation and values that overflow a naive exp().
EDGES = np.array([0.0, -0.0, 1e-30, -1e-30, 1.0, -1.0, 20.0, -20.0, 100.0, -100.0, 1e4, -1e4])

KERAS = {
    "relu": keras.activations.relu,
    "leaky_relu": keras.activations.leaky_relu,
    "sigmoid": keras.activations.sigmoid,
    "tanh": keras.activations.tanh,
}


# TensorFlow stores leaky_relu's slope as a float32 attribute, so even in float64 it multiplies by
# float32(0.2) = 0.20000000298...: a relative difference of 1.5e-8 from the exact slope we use.
LEAKY_FLOAT64_TOL = {"rtol": 2e-8, "atol": 1e-15}


def tolerance(name, dtype):
    return LEAKY_FLOAT64_TOL if name == "leaky_relu" and dtype == np.float64 else TOL[dtype]


def to_numpy(tensor):
    return keras.ops.convert_to_numpy(tensor)


def random_input(shape, dtype, seed=0, scale=4.0):
    return (scale * np.random.default_rng(seed).standard_normal(shape)).astype(dtype)


def tape_gradient(fn, x, output_gradients=None):
    """d sum(fn(x) * output_gradients) / dx, by TensorFlow's autodiff."""
    x = tf.Variable(x)
    with tf.GradientTape() as tape:
        y = fn(x)
    return tape.gradient(y, x, output_gradients=output_gradients).numpy()


def central_difference(fn, x, h=1e-6):
    """Elementwise derivative of an elementwise fn by central differences."""
    return (fn(x + h) - fn(x - h)) / (2 * h)


def kink_free_input(shape, seed=0):
    """Random float64 input with no entry within 1e-3 of the kink at 0."""
    x = random_input(shape, np.float64, seed)
    return np.where(np.abs(x) < 1e-3, 0.5, x)


# -- Values against Keras --------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(KERAS))
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", SHAPES)
def test_elementwise_matches_keras(name, dtype, shape):
    x = random_input(shape, dtype)
    ours = getattr(act, name)(x)
    assert ours.dtype == dtype and ours.shape == shape
    np.testing.assert_allclose(ours, to_numpy(KERAS[name](x)), **tolerance(name, dtype))


@pytest.mark.parametrize("name", sorted(KERAS))
@pytest.mark.parametrize("dtype", DTYPES)
def test_elementwise_matches_keras_on_edge_values(name, dtype):
    x = EDGES.astype(dtype)
    expected = to_numpy(KERAS[name](x))
    np.testing.assert_allclose(getattr(act, name)(x), expected, **tolerance(name, dtype))


def test_leaky_relu_default_slope_is_keras_default():
    x = np.array([-2.0, 3.0])
    np.testing.assert_array_equal(act.leaky_relu(x), [-0.4, 3.0])
    expected = to_numpy(keras.activations.leaky_relu(x))
    np.testing.assert_allclose(act.leaky_relu(x), expected, **LEAKY_FLOAT64_TOL)


def test_leaky_relu_custom_slope_matches_keras():
    x = random_input((5, 6), np.float64)
    expected = to_numpy(keras.activations.leaky_relu(x, negative_slope=0.05))
    np.testing.assert_allclose(
        act.leaky_relu(x, negative_slope=0.05), expected, **LEAKY_FLOAT64_TOL
    )


# Keras warns about a softmax over an axis of size 1, so the 1-D case here has 7 entries.
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", SHAPES[1:])
def test_softmax_matches_keras(dtype, shape):
    x = random_input(shape, dtype)
    ours = act.softmax(x)
    assert ours.dtype == dtype and ours.shape == shape
    np.testing.assert_allclose(ours, to_numpy(keras.activations.softmax(x)), **TOL[dtype])


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_softmax_axis_matches_keras(axis):
    x = random_input((2, 3, 5), np.float64)
    expected = to_numpy(keras.activations.softmax(x, axis=axis))
    np.testing.assert_allclose(act.softmax(x, axis=axis), expected, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("dtype", DTYPES)
def test_softmax_of_huge_logits_is_finite_and_matches_keras(dtype):
    x = np.array([[1e4, 0.0, -1e4], [1e4, 1e4, -1e4], [-1e4, -1e4, -1e4], [0, 0, 0]], dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an overflow RuntimeWarning would fail here
        ours = act.softmax(x)
    assert np.all(np.isfinite(ours))
    np.testing.assert_allclose(
        ours, [[1, 0, 0], [0.5, 0.5, 0], [1 / 3] * 3, [1 / 3] * 3], atol=1e-7
    )
    np.testing.assert_allclose(ours, to_numpy(keras.activations.softmax(x)), **TOL[dtype])


@pytest.mark.parametrize("dtype", DTYPES)
def test_sigmoid_of_huge_inputs_saturates_without_warnings(dtype):
    x = np.array([-1e4, -800.0, 800.0, 1e4], dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = act.sigmoid(x)
        d = act.sigmoid_derivative(x)
    np.testing.assert_array_equal(s, [0, 0, 1, 1])
    np.testing.assert_array_equal(d, [0, 0, 0, 0])


def test_integer_input_is_promoted_to_float():
    assert act.relu(np.array([-1, 2])).dtype == np.float64
    np.testing.assert_allclose(act.softmax([0, 0]), [0.5, 0.5])


# -- naive_softmax: the failure that max-subtraction fixes -----------------------------------------


def test_naive_softmax_overflows_where_softmax_does_not():
    x = np.array([1e4, 0.0, -1e4])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the naive version must fail quietly, not warn
        naive = act.naive_softmax(x)
        stable = act.softmax(x)
    assert not np.all(np.isfinite(naive))
    assert np.all(np.isfinite(stable))
    np.testing.assert_allclose(stable, [1.0, 0.0, 0.0])


def test_naive_softmax_agrees_with_softmax_on_moderate_inputs():
    x = random_input((4, 6), np.float64)
    np.testing.assert_allclose(act.naive_softmax(x), act.softmax(x), rtol=1e-12)
    np.testing.assert_allclose(act.naive_softmax(x, axis=0), act.softmax(x, axis=0), rtol=1e-12)


# -- Derivatives -----------------------------------------------------------------------------------


def test_activations_table():
    assert set(act.ACTIVATIONS) == {"relu", "leaky_relu", "sigmoid", "tanh"}
    for name, (fn, derivative) in act.ACTIVATIONS.items():
        assert fn is getattr(act, name)
        assert derivative is getattr(act, name + "_derivative")


@pytest.mark.parametrize("name", sorted(act.ACTIVATIONS))
@pytest.mark.parametrize("shape", [(9,), (3, 4), (2, 3, 4)])
def test_derivative_matches_finite_differences(name, shape):
    fn, derivative = act.ACTIVATIONS[name]
    x = kink_free_input(shape)
    np.testing.assert_allclose(derivative(x), central_difference(fn, x), rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("name", sorted(act.ACTIVATIONS))
def test_derivative_matches_gradient_tape_including_kink_at_zero(name):
    _, derivative = act.ACTIVATIONS[name]
    x = np.concatenate([random_input((3, 5), np.float64).ravel(), [0.0, -25.0, 25.0]])
    expected = tape_gradient(KERAS[name], x)
    np.testing.assert_allclose(derivative(x), expected, **tolerance(name, np.float64))


def test_leaky_relu_derivative_with_custom_slope_matches_gradient_tape():
    x = np.array([-3.0, -0.5, 0.0, 0.5, 3.0])
    expected = tape_gradient(lambda v: keras.activations.leaky_relu(v, negative_slope=0.1), x)
    ours = act.leaky_relu_derivative(x, negative_slope=0.1)
    np.testing.assert_allclose(ours, expected, **LEAKY_FLOAT64_TOL)


def test_relu_derivative_at_zero_is_zero():
    np.testing.assert_array_equal(act.relu_derivative(np.array([-1.0, 0.0, 1.0])), [0, 0, 1])


@pytest.mark.parametrize("dtype", DTYPES)
def test_derivatives_keep_dtype_and_shape(dtype):
    x = random_input((2, 3), dtype)
    for _, derivative in act.ACTIVATIONS.values():
        d = derivative(x)
        assert d.dtype == dtype and d.shape == x.shape


def softmax_jacobian_by_finite_differences(x, h=1e-6):
    n = x.shape[-1]
    columns = []
    for j in range(n):
        step = h * np.eye(n)[j]
        columns.append((act.softmax(x + step) - act.softmax(x - step)) / (2 * h))
    return np.stack(columns, axis=-1)  # [..., i, j] = d s_i / d x_j


@pytest.mark.parametrize("shape", [(5,), (3, 5), (2, 3, 4)])
def test_softmax_jacobian_matches_finite_differences(shape):
    x = random_input(shape, np.float64, scale=2.0)
    jacobian = act.softmax_jacobian(x)
    assert jacobian.shape == (*shape, shape[-1])
    expected = softmax_jacobian_by_finite_differences(x)
    np.testing.assert_allclose(jacobian, expected, rtol=1e-6, atol=1e-9)


def test_softmax_jacobian_matches_tensorflow():
    x = random_input((4, 6), np.float64, scale=2.0)
    x_var = tf.Variable(x)
    with tf.GradientTape() as tape:
        s = keras.activations.softmax(x_var)
    expected = tape.batch_jacobian(s, x_var).numpy()  # [b, i, j] = d s_i / d x_j
    np.testing.assert_allclose(act.softmax_jacobian(x), expected, rtol=1e-10, atol=1e-15)


def test_softmax_jacobian_is_symmetric_with_rows_summing_to_zero():
    jacobian = act.softmax_jacobian(random_input((3, 7), np.float64))
    np.testing.assert_allclose(jacobian, np.swapaxes(jacobian, -1, -2), atol=1e-15)
    np.testing.assert_allclose(jacobian.sum(axis=-1), 0, atol=1e-15)


@pytest.mark.parametrize("shape", [(5,), (3, 5), (2, 3, 4)])
def test_softmax_backward_matches_tensorflow_and_jacobian(shape):
    x = random_input(shape, np.float64, seed=1, scale=2.0)
    g = random_input(shape, np.float64, seed=2)
    ours = act.softmax_backward(x, g)
    assert ours.shape == shape
    expected = tape_gradient(keras.activations.softmax, x, output_gradients=tf.constant(g))
    np.testing.assert_allclose(ours, expected, rtol=1e-10, atol=1e-14)
    by_jacobian = np.einsum("...i,...ij->...j", g, act.softmax_jacobian(x))
    np.testing.assert_allclose(ours, by_jacobian, rtol=1e-10, atol=1e-14)


def test_softmax_backward_matches_finite_differences():
    x = random_input((3, 5), np.float64, seed=3, scale=2.0)
    g = random_input((3, 5), np.float64, seed=4)
    h = 1e-6
    expected = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[index] = h
        expected[index] = np.sum(g * (act.softmax(x + step) - act.softmax(x - step))) / (2 * h)
    np.testing.assert_allclose(act.softmax_backward(x, g), expected, rtol=1e-6, atol=1e-9)


# -- Properties ------------------------------------------------------------------------------------

logits = arrays(
    np.float64,
    array_shapes(min_dims=1, max_dims=3, max_side=6),
    elements=st.floats(-1e4, 1e4, allow_nan=False),
)


@PROPERTY
@given(x=logits)
def test_softmax_is_a_probability_distribution(x):
    s = act.softmax(x)
    assert np.all((s >= 0) & (s <= 1))
    np.testing.assert_allclose(s.sum(axis=-1), 1.0, rtol=1e-12)


@PROPERTY
@given(x=logits, c=st.floats(-1e3, 1e3, allow_nan=False))
def test_softmax_is_shift_invariant(x, c):
    np.testing.assert_allclose(act.softmax(x + c), act.softmax(x), atol=1e-9)


@PROPERTY
@given(
    x=arrays(
        np.float64, array_shapes(max_dims=3, min_side=2, max_side=6), elements=st.floats(-1e4, 1e4)
    )
)
def test_softmax_matches_keras_property(x):
    np.testing.assert_allclose(
        act.softmax(x), to_numpy(keras.activations.softmax(x)), rtol=1e-9, atol=1e-15
    )


@PROPERTY
@given(
    x=arrays(
        st.sampled_from([np.float32, np.float64]),
        array_shapes(min_dims=1, max_dims=3, max_side=6),
        elements=st.floats(allow_nan=False, allow_infinity=False, width=32),
    )
)
def test_sigmoid_is_in_unit_interval_and_derivative_in_quarter(x):
    s = act.sigmoid(x)
    assert np.all((s >= 0) & (s <= 1))
    d = act.sigmoid_derivative(x)
    assert np.all((d >= 0) & (d <= 0.25))

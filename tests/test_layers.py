"""One neuron and one dense layer in numpy, against the formula and Keras's Dense layer."""

import keras
import numpy as np
import pytest

from fashion_lessons.activations import relu, sigmoid
from fashion_lessons.layers import (
    LAYER_ACTIVATIONS,
    dense,
    dense_neuron_by_neuron,
    get_activation,
    neuron,
    step,
)

rng = np.random.default_rng(0)
X = rng.standard_normal((16, 12)).astype(np.float32)
W = rng.standard_normal((12, 5)).astype(np.float32)
B = rng.standard_normal(5).astype(np.float32)


def keras_dense(x, W, b, activation):
    layer = keras.layers.Dense(W.shape[1], activation=activation)
    layer.build((None, W.shape[0]))
    layer.set_weights([W, b])
    return keras.ops.convert_to_numpy(layer(x))


# -- neuron ----------------------------------------------------------------------------------


def test_neuron_is_the_weighted_sum_plus_bias_through_f():
    x, w, b = np.array([0.5, -1.0, 2.0]), np.array([0.4, 0.3, -0.1]), 0.2
    z = 0.5 * 0.4 - 1.0 * 0.3 - 2.0 * 0.1 + 0.2
    assert neuron(x, w, b) == pytest.approx(z)
    assert neuron(x, w, b, "relu") == 0.0  # z < 0
    assert neuron(x, w, b, "sigmoid") == pytest.approx(1 / (1 + np.exp(-z)))
    assert neuron(x, w, b, np.tanh) == pytest.approx(np.tanh(z))
    assert isinstance(neuron(x, w, b), float)


def test_neuron_on_a_batch_gives_one_output_per_row():
    y = neuron(X, W[:, 0], B[0], "relu")
    assert y.shape == (16,)
    np.testing.assert_allclose(y, np.maximum(X @ W[:, 0] + B[0], 0), rtol=1e-6)


def test_neuron_rejects_mismatched_shapes_and_a_bias_vector():
    with pytest.raises(ValueError, match="3 inputs per example but w has shape"):
        neuron(np.ones(3), np.ones(4), 0.0)
    with pytest.raises(ValueError, match="one bias"):
        neuron(np.ones(3), np.ones(3), np.zeros(3))


# -- dense -----------------------------------------------------------------------------------


@pytest.mark.parametrize("activation", ["linear", "relu", "sigmoid", "tanh", "softmax"])
def test_dense_matches_keras_dense_with_the_same_weights(activation):
    ours = dense(X, W, B, activation)
    assert ours.shape == (16, 5) and ours.dtype == np.float32
    np.testing.assert_allclose(ours, keras_dense(X, W, B, activation), rtol=1e-5, atol=1e-6)


def test_dense_without_activation_is_x_at_w_plus_b_on_every_row():
    out = dense(X, W, B)
    for n in range(len(X)):
        np.testing.assert_allclose(out[n], X[n] @ W + B, rtol=1e-5, atol=1e-5)
    assert dense(X[0], W, B).shape == (5,)  # a single input works too


def test_dense_is_its_neurons_side_by_side():
    for activation in ["relu", "sigmoid", None]:
        np.testing.assert_allclose(
            dense_neuron_by_neuron(X, W, B, activation),
            dense(X, W, B, activation),
            rtol=1e-5,
            atol=1e-5,
        )
    with pytest.raises(ValueError, match="softmax"):
        dense_neuron_by_neuron(X, W, B, "softmax")


def test_dense_needs_one_bias_per_neuron():
    with pytest.raises(ValueError, match=r"one bias per neuron, shape \(5,\)"):
        dense(X, W, np.float32(0.1))
    with pytest.raises(ValueError, match="W expects 12"):
        dense(X[:, :10], W, B)
    with pytest.raises(ValueError, match="matrix"):
        dense(X, W[:, 0], B)


def test_dense_ignores_a_consistent_shuffle_of_the_inputs():
    order = rng.permutation(12)
    np.testing.assert_allclose(
        dense(X[:, order], W[order], B, "relu"), dense(X, W, B, "relu"), rtol=1e-5, atol=1e-6
    )


# -- activations -----------------------------------------------------------------------------


def test_step_fires_at_and_above_zero():
    np.testing.assert_array_equal(step(np.array([-1.0, -1e-9, 0.0, 2.0])), [0, 0, 1, 1])
    assert step(np.array([1], dtype=np.int64)).dtype == np.float64
    assert step(np.array([1.0], dtype=np.float32)).dtype == np.float32


def test_step_units_compute_and_or_but_no_single_unit_computes_xor():
    inputs = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    np.testing.assert_array_equal(neuron(inputs, np.ones(2), -1.5, "step"), [0, 0, 0, 1])
    np.testing.assert_array_equal(neuron(inputs, np.ones(2), -0.5, "step"), [0, 1, 1, 1])
    grid = np.linspace(-2, 2, 9)
    for w1 in grid:
        for w2 in grid:
            for b in grid:
                out = neuron(inputs, np.array([w1, w2]), b, "step")
                assert not np.array_equal(out, [0, 1, 1, 0])


def test_get_activation():
    assert get_activation("relu") is relu and get_activation("sigmoid") is sigmoid
    assert get_activation(np.tanh) is np.tanh
    np.testing.assert_array_equal(get_activation(None)(np.array([-2.0, 3.0])), [-2.0, 3.0])
    assert set(LAYER_ACTIVATIONS) >= {"linear", "relu", "sigmoid", "tanh", "softmax", "step"}
    with pytest.raises(ValueError, match="unknown activation 'swish'"):
        get_activation("swish")

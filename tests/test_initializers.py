"""Weight initializers against their formulas and Keras's."""

import keras
import numpy as np
import pytest

from fashion_lessons import initializers as init
from fashion_lessons.minibatch import train_steps
from fashion_lessons.mlp import MLP
from fashion_lessons.optimizers import Adam

FAN_IN, FAN_OUT = 400, 200


def keras_weights(initializer, shape=(FAN_IN, FAN_OUT)):
    return keras.ops.convert_to_numpy(initializer(shape))


@pytest.mark.parametrize(
    ("name", "keras_initializer"),
    [
        ("glorot_uniform", keras.initializers.GlorotUniform(seed=1)),
        ("he_normal", keras.initializers.HeNormal(seed=1)),
        ("normal", keras.initializers.RandomNormal(stddev=0.05, seed=1)),
        ("zeros", keras.initializers.Zeros()),
    ],
)
def test_spread_matches_the_formula_and_keras(name, keras_initializer):
    ours = init.initialize(name, FAN_IN, FAN_OUT, np.random.default_rng(0))
    theirs = keras_weights(keras_initializer)
    assert ours.shape == theirs.shape == (FAN_IN, FAN_OUT)
    expected = init.initial_std(name, FAN_IN, FAN_OUT)
    # 80,000 draws: the sample standard deviation is within 1 % of the true one.
    assert ours.std() == pytest.approx(expected, rel=0.01, abs=1e-12)
    assert theirs.std() == pytest.approx(expected, rel=0.01, abs=1e-12)
    assert abs(ours.mean()) <= 0.02 * expected + 1e-12


def test_glorot_uniform_fills_the_keras_interval():
    limit = np.sqrt(6 / (FAN_IN + FAN_OUT))
    ours = init.glorot_uniform(FAN_IN, FAN_OUT, np.random.default_rng(0))
    theirs = keras_weights(keras.initializers.GlorotUniform(seed=0))
    for weights in (ours, theirs):
        assert np.abs(weights).max() <= limit
        assert np.abs(weights).max() > 0.99 * limit


def test_formulas():
    assert init.initial_std("he_normal", 784, 128) == pytest.approx(np.sqrt(2 / 784))
    assert init.initial_std("glorot_uniform", 784, 128) == pytest.approx(np.sqrt(2 / 912))
    assert init.initial_std("normal", 5, 5, normal_std=0.3) == 0.3
    assert init.initial_std("zeros", 5, 5) == 0.0
    with pytest.raises(ValueError, match="unknown init 'ones'"):
        init.initial_std("ones", 5, 5)
    with pytest.raises(ValueError, match="unknown init 'ones'"):
        init.initialize("ones", 5, 5, np.random.default_rng(0))


@pytest.mark.parametrize("name", ["glorot_uniform", "he_normal", "normal", "zeros"])
def test_same_draws_as_the_numpy_mlp(name):
    """MLP draws its first layer from the same generator calls: same seed, same weights."""
    ours = init.initialize(name, 30, 20, np.random.default_rng(7), normal_std=0.2)
    mlp = MLP([30, 20, 5], init=name, seed=7, normal_std=0.2, dtype=np.float64)
    np.testing.assert_array_equal(ours, mlp.weights[0])


def test_from_zeros_a_relu_network_never_moves_its_hidden_weights():
    """With ReLU, an all-zero start gives no gradient to anything but the output biases."""
    rng = np.random.default_rng(0)
    x, y = rng.random((256, 12)), rng.integers(0, 3, 256)
    model = MLP([12, 8, 3], init="zeros")
    train_steps(model, x, y, Adam(), batch_size=32, steps=10)
    assert not np.any(model.weights[0]) and not np.any(model.weights[1])
    assert not np.any(model.biases[0]) and np.any(model.biases[1])  # only the output biases learn

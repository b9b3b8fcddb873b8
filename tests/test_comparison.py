"""Optimizer comparisons: Keras paths, Adam's epsilons, showing code."""

import keras
import numpy as np
import pytest

from fashion_lessons import optimizers
from fashion_lessons.comparison import (
    QUADRATIC,
    ROSENBROCK,
    AdamAlgorithm1,
    function_source,
    keras_trajectory,
    run_on_gradients,
    run_paths,
    show_source,
)
from fashion_lessons.mlp import MLP
from fashion_lessons.optimizers import SGD, Adam, RMSprop, trajectory

SETTINGS = [
    ("SGD", {"learning_rate": 0.001}),
    ("SGD", {"learning_rate": 0.001, "momentum": 0.9}),
    ("SGD", {"learning_rate": 0.001, "momentum": 0.9, "nesterov": True}),
    ("RMSprop", {"learning_rate": 0.005}),
    ("Adam", {"learning_rate": 0.1}),
]


def small_data(n=60, seed=0):
    rng = np.random.default_rng(seed)
    return rng.random((n, 784), dtype=np.float32), rng.integers(0, 10, n)


@pytest.mark.parametrize("surface", [QUADRATIC, ROSENBROCK])
def test_surfaces_are_zero_at_their_minimum(surface):
    assert surface.f(np.array(surface.minimum)) == 0
    np.testing.assert_allclose(surface.grad(np.array(surface.minimum)), 0, atol=1e-12)
    assert surface.f(np.array(surface.start)) > 0
    assert surface.xlim[0] < surface.start[0] < surface.xlim[1]
    assert surface.ylim[0] < surface.start[1] < surface.ylim[1]


def test_run_paths_is_trajectory_for_each_optimizer():
    paths = run_paths(QUADRATIC, {"GD": SGD(0.1), "Adam": Adam(0.1)}, steps=20)
    assert list(paths) == ["GD", "Adam"]
    np.testing.assert_array_equal(
        paths["GD"], trajectory(SGD(0.1), QUADRATIC.grad, QUADRATIC.start, 20)
    )
    assert paths["Adam"].shape == (21, 2)


@pytest.mark.parametrize(("name", "kwargs"), SETTINGS)
def test_keras_trajectory_matches_ours_on_rosenbrock(name, kwargs):
    ours = trajectory(getattr(optimizers, name)(**kwargs), ROSENBROCK.grad, ROSENBROCK.start, 50)
    theirs = keras_trajectory(
        getattr(keras.optimizers, name)(**kwargs), ROSENBROCK.grad, ROSENBROCK.start, 50
    )
    assert theirs.shape == (51, 2)
    np.testing.assert_array_equal(theirs[0], ROSENBROCK.start)
    assert not np.allclose(theirs[-1], theirs[0])
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_run_on_gradients_for_ours_and_keras(dtype):
    rng = np.random.default_rng(1)
    grads = rng.standard_normal((30, 4)).astype(dtype)
    start = rng.standard_normal(4).astype(dtype)
    ours = run_on_gradients(RMSprop(0.01), grads, start)
    theirs = run_on_gradients(keras.optimizers.RMSprop(0.01), grads, start)
    assert ours.dtype == theirs.dtype == dtype
    np.testing.assert_allclose(ours, theirs, rtol=1e-6)
    np.testing.assert_array_equal(start, run_on_gradients(SGD(0.1), [], start))


def test_adam_algorithm1_with_epsilon_hat_is_keras_adam():
    rng = np.random.default_rng(0)
    for scale in (1.0, 1e-7):  # ordinary and tiny gradients
        grads = scale * rng.standard_normal((50, 3))
        start = rng.standard_normal(3)
        keras_end = run_on_gradients(keras.optimizers.Adam(0.01), grads, start)
        hat = run_on_gradients(AdamAlgorithm1(0.01, epsilon_hat=1e-7), grads, start)
        np.testing.assert_allclose(hat, keras_end, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(
            run_on_gradients(Adam(0.01), grads, start), keras_end, rtol=1e-12, atol=1e-15
        )


def test_adam_algorithm1_with_plain_epsilon_follows_the_paper():
    rng = np.random.default_rng(2)
    grads = 1e-7 * rng.standard_normal((20, 2))
    lr, b1, b2, eps = 0.001, 0.9, 0.999, 1e-7
    theta, m, v = np.zeros(2), np.zeros(2), np.zeros(2)
    # beta^t from the betas rounded to float32, as Keras (and the class) compute it
    p1, p2 = float(np.float32(b1)), float(np.float32(b2))
    for t, g in enumerate(grads, start=1):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g**2
        m_hat, v_hat = m / (1 - p1**t), v / (1 - p2**t)
        theta = theta - float(np.float32(lr)) * m_hat / (np.sqrt(v_hat) + eps)
    ours = run_on_gradients(AdamAlgorithm1(lr, b1, b2, epsilon=eps), grads, np.zeros(2))
    np.testing.assert_allclose(ours, theta, rtol=1e-12)
    # ... and with gradients this small, that is far from Keras's epsilon-hat form.
    keras_end = run_on_gradients(Adam(lr), grads, np.zeros(2))
    assert np.abs(ours - keras_end).max() > 0.5 * np.abs(keras_end).max()


def test_function_source_drops_the_docstring():
    source = function_source(SGD.update)
    assert source.startswith("def update(self")
    assert "p -= g * lr" in source
    assert '"""' not in function_source(MLP.backward)
    assert "def backward" in function_source(MLP.backward)

    def plain(a):
        return a + 1

    assert function_source(plain) == "def plain(a):\n    return a + 1"


def test_show_source_is_a_markdown_code_block():
    shown = show_source(SGD.update)
    assert shown.data == f"```python\n{function_source(SGD.update)}\n```"
    assert shown._repr_markdown_().startswith("```python\ndef update")

"""The 2-D surfaces are right, and optimizers, ours and Keras's, run on them alike."""

import keras
import numpy as np
import pytest

from fashion_lessons import optimizers
from fashion_lessons.optimizers import SGD, Adam, RMSprop
from fashion_lessons.surfaces import (
    QUADRATIC,
    ROSENBROCK,
    keras_trajectory,
    quadratic,
    quadratic_grad,
    rosenbrock,
    rosenbrock_grad,
    run_on_gradients,
    run_paths,
    trajectory,
)

SETTINGS = [
    ("SGD", {"learning_rate": 0.001}),
    ("SGD", {"learning_rate": 0.001, "momentum": 0.9}),
    ("SGD", {"learning_rate": 0.001, "momentum": 0.9, "nesterov": True}),
    ("RMSprop", {"learning_rate": 0.005}),
    ("Adam", {"learning_rate": 0.1}),
]


def test_quadratic_and_its_gradient():
    assert quadratic(np.zeros(2)) == 0
    assert quadratic([2.0, 1.0]) == pytest.approx(0.5 * (4 + 10))
    np.testing.assert_allclose(quadratic_grad([2.0, 1.0]), [2.0, 10.0])
    # Vectorized over a grid of points, for contour plots.
    grid = np.stack(np.meshgrid(np.linspace(-2, 2, 5), np.linspace(-1, 1, 3)))
    assert quadratic(grid).shape == (3, 5)
    assert quadratic_grad(grid).shape == (2, 3, 5)
    assert rosenbrock(grid).shape == (3, 5)
    assert rosenbrock_grad(grid).shape == (2, 3, 5)


@pytest.mark.parametrize("point", [(-1.2, 1.0), (0.3, -0.4), (1.0, 1.0), (2.0, 3.5)])
def test_rosenbrock_grad_matches_finite_differences(point):
    p = np.array(point)
    eps = 1e-6
    numeric = [(rosenbrock(p + eps * e) - rosenbrock(p - eps * e)) / (2 * eps) for e in np.eye(2)]
    np.testing.assert_allclose(rosenbrock_grad(p), numeric, rtol=1e-6, atol=1e-6)
    assert rosenbrock([1.0, 1.0]) == 0
    np.testing.assert_array_equal(rosenbrock_grad([1.0, 1.0]), [0.0, 0.0])


def test_trajectory_shape_and_start():
    path = trajectory(Adam(learning_rate=0.1), rosenbrock_grad, (-1.5, 2.0), 30)
    assert path.shape == (31, 2)
    np.testing.assert_array_equal(path[0], [-1.5, 2.0])
    assert np.all(np.isfinite(path))
    assert not np.array_equal(path[1], path[0])
    with pytest.raises(ValueError, match="shape"):
        trajectory(SGD(), quadratic_grad, (1.0, 2.0, 3.0), 5)


@pytest.mark.parametrize(
    "make",
    [
        lambda: SGD(learning_rate=0.15),
        lambda: SGD(learning_rate=0.05, momentum=0.8),
        lambda: Adam(learning_rate=0.2),
    ],
    ids=["gd", "momentum", "adam"],
)
def test_gradient_descent_converges_to_the_quadratic_minimum(make):
    path = trajectory(make(), quadratic_grad, (-4.0, 1.5), 300)
    np.testing.assert_allclose(path[-1], [0.0, 0.0], atol=1e-2)
    assert quadratic(path[-1]) < 1e-4 * quadratic(path[0])


def test_plain_gd_follows_the_closed_form():
    # On f = 0.5 (x^2 + 10 y^2), GD multiplies x by (1 - lr) and y by (1 - 10 lr) each step.
    lr = float(np.float32(0.05))
    path = trajectory(SGD(learning_rate=0.05), quadratic_grad, (2.0, 1.0), 10)
    k = np.arange(11)
    np.testing.assert_allclose(path[:, 0], 2.0 * (1 - lr) ** k, rtol=1e-12)
    np.testing.assert_allclose(path[:, 1], 1.0 * (1 - 10 * lr) ** k, rtol=1e-12, atol=1e-15)


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

r"""Loss surfaces in two dimensions, to watch optimizers at work.

A real network has thousands of parameters; a function of two, :math:`f(x, y)`,
can be drawn as a contour map with an optimizer's path on top. Two classic
test functions show what separates the optimizers of
:mod:`fashion_lessons.optimizers`:

* :func:`quadratic`, an elongated bowl: gradient descent zig-zags across the
  steep direction and crawls along the shallow one;
* :func:`rosenbrock`, a curved valley with a flat floor (Rosenbrock, 1960).

:class:`Surface`, :data:`QUADRATIC` and :data:`ROSENBROCK` bundle each with its
gradient, a starting point and a region to draw. :func:`trajectory` records the
path one optimizer takes, :func:`run_paths` sends several down one surface, and
:func:`keras_trajectory` records the path a ``keras.optimizers`` optimizer takes
from the same start, to check ours against it. :func:`run_on_gradients` feeds an
optimizer, ours or Keras's, a fixed sequence of gradients instead, isolating the
update rule itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from fashion_lessons.optimizers import Optimizer

__all__ = [
    "QUADRATIC",
    "QUADRATIC_STEEPNESS",
    "ROSENBROCK",
    "Surface",
    "keras_trajectory",
    "quadratic",
    "quadratic_grad",
    "rosenbrock",
    "rosenbrock_grad",
    "run_on_gradients",
    "run_paths",
    "trajectory",
]


# -- 2-D test functions ---------------------------------------------------------
#
# Each takes p with shape (2,) for one point, or (2, ...) for many points at once
# (e.g. np.stack(np.meshgrid(xs, ys)) for a contour plot): p[0] is x, p[1] is y.

#: Curvature of :func:`quadratic` along y; along x it is 1.
QUADRATIC_STEEPNESS = 10.0


def quadratic(p: np.ndarray) -> np.ndarray:
    r"""An elongated bowl, :math:`f(x, y) = \tfrac12 (x^2 + 10\, y^2)`.

    Its minimum is 0 at (0, 0). The curvature is 10 times larger along y than
    along x, so plain gradient descent must use a step size small enough for
    the steep y direction (below 2/10) and then crawls along the shallow x
    direction: the textbook case for momentum and adaptive step sizes.

    Parameters
    ----------
    p : array_like, shape (2,) or (2, ...)
        Point(s) ``(x, y)``.

    Returns
    -------
    ndarray, shape () or (...)
        Function value(s).
    """
    p = np.asarray(p, dtype=float)
    return 0.5 * (p[0] ** 2 + QUADRATIC_STEEPNESS * p[1] ** 2)


def quadratic_grad(p: np.ndarray) -> np.ndarray:
    """Gradient of :func:`quadratic`, :math:`(x, 10\\, y)`, of the shape of the point(s) ``p``."""
    p = np.asarray(p, dtype=float)
    return np.stack([p[0], QUADRATIC_STEEPNESS * p[1]])


def rosenbrock(p: np.ndarray, a: float = 1.0, b: float = 100.0) -> np.ndarray:
    r"""Rosenbrock's banana valley, :math:`f(x, y) = (a - x)^2 + b\,(y - x^2)^2`.

    Its minimum is 0 at :math:`(a, a^2)` = (1, 1), at the end of a long, narrow,
    curved, almost flat valley: easy to fall into, slow to follow.

    Parameters
    ----------
    p : array_like, shape (2,) or (2, ...)
        Point(s) ``(x, y)``.
    a, b : float, default 1 and 100
        Shape of the valley.

    Returns
    -------
    ndarray, shape () or (...)
        Function value(s).
    """
    p = np.asarray(p, dtype=float)
    x, y = p[0], p[1]
    return (a - x) ** 2 + b * (y - x**2) ** 2


def rosenbrock_grad(p: np.ndarray, a: float = 1.0, b: float = 100.0) -> np.ndarray:
    r"""Gradient of :func:`rosenbrock`.

    .. math::

        \partial f / \partial x &= -2 (a - x) - 4 b x (y - x^2) \\
        \partial f / \partial y &= 2 b (y - x^2)

    Parameters are those of :func:`rosenbrock`; the result, of the shape of ``p``, holds
    ``(df/dx, df/dy)`` at each point.
    """
    p = np.asarray(p, dtype=float)
    x, y = p[0], p[1]
    return np.stack([-2 * (a - x) - 4 * b * x * (y - x**2), 2 * b * (y - x**2)])


def trajectory(
    optimizer: Optimizer,
    grad_fn: Callable[[np.ndarray], np.ndarray],
    start: Sequence[float],
    steps: int,
) -> np.ndarray:
    """Record the path of ``optimizer`` from ``start`` on a 2-D function.

    Parameters
    ----------
    optimizer : Optimizer
        A *fresh* optimizer (its state would otherwise carry over), e.g.
        ``SGD(learning_rate=0.1, momentum=0.9)``.
    grad_fn : callable
        Maps a point of shape (2,) to its gradient, shape (2,), e.g.
        :func:`quadratic_grad`.
    start : array_like, shape (2,)
        Starting point ``(x, y)``.
    steps : int
        Number of optimizer steps.

    Returns
    -------
    ndarray, shape (steps + 1, 2)
        Row 0 is ``start``; row k is the position after k steps.
    """
    p = np.array(start, dtype=np.float64)
    if p.shape != (2,):
        raise ValueError(f"start must have shape (2,), got {p.shape}")
    path = np.empty((steps + 1, 2))
    path[0] = p
    for k in range(1, steps + 1):
        optimizer.apply([np.asarray(grad_fn(p), dtype=np.float64)], [p])
        path[k] = p
    return path


# -- Surfaces bundled for figures, and optimizers raced on them ------------------------------


@dataclass(frozen=True)
class Surface:
    """A 2-D loss surface to race optimizers on.

    Attributes
    ----------
    name : str
        Title for figures.
    f : callable
        Points of shape (2, ...) -> values of shape (...).
    grad : callable
        Points of shape (2, ...) -> gradients of shape (2, ...).
    start : tuple of float
        Where every optimizer starts.
    minimum : tuple of float
        Where the minimum is (f is 0 there for both surfaces below).
    xlim, ylim : tuple of float
        Region to draw.
    """

    name: str
    f: Callable[[np.ndarray], np.ndarray]
    grad: Callable[[np.ndarray], np.ndarray]
    start: tuple[float, float]
    minimum: tuple[float, float]
    xlim: tuple[float, float]
    ylim: tuple[float, float]


#: The elongated bowl :math:`\tfrac12(x^2 + 10 y^2)`, started far out along its shallow axis.
QUADRATIC = Surface(
    name="elongated quadratic",
    f=quadratic,
    grad=quadratic_grad,
    start=(-4.0, 1.0),
    minimum=(0.0, 0.0),
    xlim=(-4.6, 1.6),
    ylim=(-1.3, 1.3),
)

#: Rosenbrock's valley from its classic starting point (-1.2, 1) (Rosenbrock, 1960).
ROSENBROCK = Surface(
    name="Rosenbrock",
    f=rosenbrock,
    grad=rosenbrock_grad,
    start=(-1.2, 1.0),
    minimum=(1.0, 1.0),
    xlim=(-1.5, 1.5),
    ylim=(-0.5, 1.5),
)


def run_paths(
    surface: Surface, optimizers: Mapping[str, Optimizer], steps: int
) -> dict[str, np.ndarray]:
    """The path of each optimizer on ``surface``, all from ``surface.start``.

    ``optimizers`` maps names to *fresh* optimizers; the result maps the same names, in
    the same order, to paths of shape (steps + 1, 2) whose row 0 is the start.
    """
    return {
        name: trajectory(opt, surface.grad, surface.start, steps)
        for name, opt in optimizers.items()
    }


def keras_trajectory(
    keras_optimizer,
    grad_fn: Callable[[np.ndarray], np.ndarray],
    start: Sequence[float],
    steps: int,
) -> np.ndarray:
    """Like :func:`trajectory`, with a Keras optimizer.

    The point is a float64 ``keras.Variable``; each step computes the gradient
    with ``grad_fn`` in numpy and hands it to ``keras_optimizer.apply``.

    Parameters
    ----------
    keras_optimizer : keras.optimizers.Optimizer
        A fresh one, e.g. ``keras.optimizers.Adam(0.05)``.
    grad_fn : callable
        Point of shape (2,) -> gradient of shape (2,).
    start : array_like, shape (2,)
    steps : int

    Returns
    -------
    ndarray, shape (steps + 1, 2)
    """
    import keras  # only this function needs Keras

    point = keras.Variable(np.array(start, dtype=np.float64), dtype="float64")
    path = np.empty((steps + 1, 2))
    path[0] = start
    for k in range(1, steps + 1):
        g = np.asarray(grad_fn(keras.ops.convert_to_numpy(point)), dtype=np.float64)
        keras_optimizer.apply([keras.ops.convert_to_tensor(g)], [point])
        path[k] = keras.ops.convert_to_numpy(point)
    return path


def run_on_gradients(optimizer, grads: Sequence[np.ndarray], start: np.ndarray) -> np.ndarray:
    """Feed a fixed sequence of gradients to an optimizer; return where the parameters end.

    Unlike :func:`trajectory`, the gradients do not depend on the parameters:
    this isolates the update rule itself, so two optimizers fed the same
    sequence should end at the same place if their rules agree.

    Parameters
    ----------
    optimizer : Optimizer or keras.optimizers.Optimizer
        A fresh one, ours or Keras's.
    grads : sequence of ndarray
        One gradient per step, each of the shape of ``start``.
    start : ndarray
        The initial parameters (not modified).

    Returns
    -------
    ndarray
        The parameters after ``len(grads)`` steps, in the dtype of ``start``.
    """
    start = np.asarray(start)
    if isinstance(optimizer, Optimizer):
        p = start.copy()
        for g in grads:
            optimizer.apply([np.asarray(g, dtype=p.dtype)], [p])
        return p
    import keras  # a Keras optimizer

    variable = keras.Variable(start.copy(), dtype=start.dtype.name)
    for g in grads:
        optimizer.apply([keras.ops.convert_to_tensor(np.asarray(g, dtype=start.dtype))], [variable])
    return keras.ops.convert_to_numpy(variable)

r"""Putting optimizers side by side: on 2-D surfaces, against Keras, and on the MLP.

* :class:`Surface`, :data:`QUADRATIC` and :data:`ROSENBROCK` bundle a 2-D test
  function with its gradient, a starting point and a region to draw;
  :func:`run_paths` sends several optimizers down one surface.
* :func:`keras_trajectory` records the path a ``keras.optimizers`` optimizer
  takes from the same start, to check :mod:`fashion_lessons.optimizers`
  against it; :func:`run_on_gradients` feeds ours or Keras's optimizer a fixed
  sequence of gradients.
* :class:`AdamAlgorithm1` is Adam exactly as printed in Algorithm 1 of
  Kingma & Ba (2015), to compare with Keras's "epsilon hat" form.
* :func:`train_steps` and :func:`gradient_noise` live in
  :mod:`fashion_lessons.minibatch` and are re-exported here.
* :func:`function_source` returns the code of a function without its
  docstring, e.g. an optimizer's update rule, and :func:`show_source`
  displays it in a notebook.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from fashion_lessons.minibatch import gradient_noise, train_steps
from fashion_lessons.optimizers import (
    Optimizer,
    _as_keras_constant,
    quadratic,
    quadratic_grad,
    rosenbrock,
    rosenbrock_grad,
    trajectory,
)

__all__ = [
    "QUADRATIC",
    "ROSENBROCK",
    "AdamAlgorithm1",
    "Surface",
    "function_source",
    "gradient_noise",
    "keras_trajectory",
    "run_on_gradients",
    "run_paths",
    "show_source",
    "train_steps",
]


# -- 2-D surfaces ---------------------------------------------------------------------------


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

    Parameters
    ----------
    surface : Surface
    optimizers : mapping of str to Optimizer
        Name -> a *fresh* optimizer.
    steps : int

    Returns
    -------
    dict of str to ndarray of shape (steps + 1, 2)
        Same keys and order as ``optimizers``; row 0 is the start.
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
    """Like :func:`fashion_lessons.optimizers.trajectory`, with a Keras optimizer.

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


# -- Adam as in the paper -----------------------------------------------------------------


class AdamAlgorithm1(Optimizer):
    r"""Adam exactly as Algorithm 1 of Kingma & Ba (2015) prints it.

    .. math::

        m_t &= \beta_1 m_{t-1} + (1 - \beta_1) g_t, \qquad
        v_t = \beta_2 v_{t-1} + (1 - \beta_2) g_t^2 \\
        \hat m_t &= m_t / (1 - \beta_1^t), \qquad \hat v_t = v_t / (1 - \beta_2^t) \\
        \theta_t &= \theta_{t-1} - \eta\, \hat m_t / (\sqrt{\hat v_t} + \epsilon)

    Keras (and :class:`fashion_lessons.optimizers.Adam`) adds its epsilon,
    :math:`\hat\epsilon`, to :math:`\sqrt{v_t}` instead of to
    :math:`\sqrt{\hat v_t}`. The two rules give the same step when
    :math:`\epsilon = \hat\epsilon / \sqrt{1 - \beta_2^t}`; pass
    ``epsilon_hat=`` :math:`\hat\epsilon` to use that step-dependent epsilon and
    reproduce Keras.

    Like :class:`fashion_lessons.optimizers.Adam`, it computes :math:`\beta^t`
    from the betas rounded to float32, as Keras does, so that the placement of
    epsilon is the only difference between the two.

    Parameters
    ----------
    learning_rate, beta_1, beta_2 : float
        As in Keras (defaults 0.001, 0.9, 0.999).
    epsilon : float, default 1e-7
        The paper's :math:`\epsilon` (the paper suggests 1e-8; 1e-7 is Keras's number).
    epsilon_hat : float, optional
        If given, ignore ``epsilon`` and use
        :math:`\hat\epsilon / \sqrt{1 - \beta_2^t}` at step :math:`t`.
    """

    slot_names = ("momentum", "velocity")

    def __init__(
        self,
        learning_rate: float = 0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
        epsilon_hat: float | None = None,
    ) -> None:
        super().__init__(learning_rate)
        self.beta_1, self.beta_2 = float(beta_1), float(beta_2)
        self.epsilon = float(epsilon)
        self.epsilon_hat = None if epsilon_hat is None else float(epsilon_hat)

    def update(self, i: int, g: np.ndarray, p: np.ndarray, lr: np.floating) -> None:
        m, v = self.slots["momentum"][i], self.slots["velocity"][i]
        t = p.dtype.type(self.iterations + 1)
        # beta^t as Keras computes it (beta rounded to float32), so that only the
        # placement of epsilon differs from fashion_lessons.optimizers.Adam.
        beta_1_power = _as_keras_constant(self.beta_1, p.dtype) ** t
        beta_2_power = _as_keras_constant(self.beta_2, p.dtype) ** t
        m[...] = self.beta_1 * m + (1 - self.beta_1) * g
        v[...] = self.beta_2 * v + (1 - self.beta_2) * g**2
        m_hat = m / (1 - beta_1_power)
        v_hat = v / (1 - beta_2_power)
        eps = self.epsilon
        if self.epsilon_hat is not None:
            eps = self.epsilon_hat / np.sqrt(1 - beta_2_power)
        p -= lr * m_hat / (np.sqrt(v_hat) + eps)


# -- showing code ---------------------------------------------------------------------------------


def function_source(function: Callable) -> str:
    """The source code of a function or method, without its docstring.

    For showing code on a page, e.g. ``function_source(SGD.update)`` or
    ``function_source(MLP.backward)``.

    Parameters
    ----------
    function : callable
        A function or method defined in Python source.

    Returns
    -------
    str
        Its ``def`` line and body, dedented, the docstring removed.
    """
    source = textwrap.dedent(inspect.getsource(function))
    definition = ast.parse(source).body[0]
    lines = source.splitlines()
    body = definition.body
    if (
        body
        and isinstance(body[0], ast.Expr)
        and isinstance(body[0].value, ast.Constant)
        and isinstance(body[0].value.value, str)
    ):
        del lines[body[0].lineno - 1 : body[0].end_lineno]  # the docstring's lines
    return "\n".join(lines)


def show_source(function: Callable):
    """Display :func:`function_source` of ``function`` as a highlighted Python block.

    Returns an ``IPython.display.Markdown`` object holding a fenced code block,
    which a notebook (and the book, through myst-nb) renders with the page's
    own code highlighting.

    Parameters
    ----------
    function : callable
        A function or method defined in Python source.

    Returns
    -------
    IPython.display.Markdown
    """
    from IPython.display import Markdown  # only needed in a notebook

    return Markdown(f"```python\n{function_source(function)}\n```")

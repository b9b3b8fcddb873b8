r"""Gradient-based optimizers in numpy, step for step the same as Keras 3.

An optimizer turns a gradient into a change of the parameters. Each class here
has one method, :meth:`Optimizer.apply`, which takes a list of gradients and the
matching list of parameter arrays and updates the parameters *in place*. The
rules below are written for one parameter array :math:`\theta` with gradient
:math:`g_t` at step :math:`t = 1, 2, \dots`; every operation is elementwise.

Gradient descent (:class:`SGD`, ``momentum=0``)
    Step downhill, a fixed fraction of the gradient:

    .. math:: \theta_t = \theta_{t-1} - \eta\, g_t

    Full-batch gradient descent, mini-batch gradient descent and "stochastic"
    gradient descent are all this rule; they differ only in how many examples
    the gradient is averaged over, which is the caller's choice.

Momentum (:class:`SGD`, ``momentum=`` :math:`\mu > 0`)
    Keep a velocity :math:`v` (starting at 0) that remembers past steps, so
    that consistent directions build up speed and zig-zags cancel out:

    .. math::

        v_t &= \mu\, v_{t-1} - \eta\, g_t \\
        \theta_t &= \theta_{t-1} + v_t

Nesterov momentum (:class:`SGD`, ``nesterov=True``)
    Take the step the velocity is about to take, plus the gradient step:

    .. math::

        v_t &= \mu\, v_{t-1} - \eta\, g_t \\
        \theta_t &= \theta_{t-1} + \mu\, v_t - \eta\, g_t

RMSprop (:class:`RMSprop`)
    Divide each coordinate's step by a running root-mean-square of its recent
    gradients, so that steep and shallow directions move at similar speeds:

    .. math::

        s_t &= \rho\, s_{t-1} + (1 - \rho)\, g_t^2 \\
        \theta_t &= \theta_{t-1} - \eta\, \frac{g_t}{\sqrt{s_t + \epsilon}}

    Keras puts :math:`\epsilon` *inside* the square root, and so do we.

Adam (:class:`Adam`)
    Momentum on the gradient (first moment :math:`m`) combined with RMSprop's
    scaling (second moment :math:`v`), with a correction for both starting at 0:

    .. math::

        m_t &= \beta_1\, m_{t-1} + (1 - \beta_1)\, g_t \\
        v_t &= \beta_2\, v_{t-1} + (1 - \beta_2)\, g_t^2 \\
        \eta_t &= \eta\, \frac{\sqrt{1 - \beta_2^t}}{1 - \beta_1^t} \\
        \theta_t &= \theta_{t-1} - \eta_t\, \frac{m_t}{\sqrt{v_t} + \hat\epsilon}

    This is Keras's form (the "epsilon hat" form of Kingma & Ba, 2015, end of
    their Section 2); see :class:`Adam` for how it differs from their
    Algorithm 1.

Matching Keras
    Every rule follows the ``update_step`` of ``keras.optimizers.SGD``,
    ``RMSprop`` and ``Adam`` operation by operation: state ("slot") arrays are
    created lazily, as zeros, on the first call to ``apply``, one per parameter
    position; Adam counts steps with one iteration counter per optimizer; and,
    like Keras, the learning rate, SGD's momentum and Adam's betas in
    :math:`\beta^t` pass through float32 even for float64 parameters (a float64
    parameter sees ``np.float32(0.001)``, not exactly 0.001), while the other
    constants stay Python floats that take the parameter's dtype. Starting
    from the same values and fed the same gradients, the parameters agree
    with Keras's to the last bit or nearly so, in float32 and in float64.

:class:`AdamAlgorithm1` is Adam as the paper's Algorithm 1 prints it, for
comparison. The 2-D surfaces that show optimizers at work are in
:mod:`fashion_lessons.surfaces`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["SGD", "Adam", "AdamAlgorithm1", "Optimizer", "RMSprop"]


def _as_keras_constant(value: float, dtype: np.dtype) -> np.floating:
    """``value`` as Keras's ``ops.cast(value, dtype)`` makes it: via float32.

    A Python float becomes a float32 tensor before it is cast, so a float64
    parameter sees ``0.9`` as 0.89999997615814209. Keras does this to the
    learning rate, SGD's momentum and Adam's betas in ``beta ** t``.
    """
    return dtype.type(np.float32(value))


class Optimizer:
    """Base class: checks the arguments, creates the state, counts the steps.

    Subclasses list the names of their per-parameter state arrays in
    ``slot_names`` and implement :meth:`update`, the rule for one array.

    Parameters
    ----------
    learning_rate : float
        The step size :math:`\\eta`, stored (like Keras does) as a float32.

    Attributes
    ----------
    iterations : int
        How many times :meth:`apply` has run.
    slots : dict of str to list of ndarray
        The optimizer's state: for each slot name, one array per parameter,
        in parameter order, each with that parameter's shape and dtype. Empty
        until the first :meth:`apply`.
    """

    slot_names: tuple[str, ...] = ()

    def __init__(self, learning_rate: float) -> None:
        if not learning_rate > 0:
            raise ValueError(f"learning_rate must be positive, got {learning_rate!r}")
        # Keras keeps the learning rate in a float32 variable.
        self.learning_rate = float(np.float32(learning_rate))
        self.iterations = 0
        self.slots: dict[str, list[np.ndarray]] = {}
        self._shapes: list[tuple[int, ...]] | None = None

    def apply(self, grads: Sequence[np.ndarray], params: Sequence[np.ndarray]) -> None:
        """Take one step: update every array in ``params`` in place.

        Parameters
        ----------
        grads : sequence of ndarray
            ``grads[i]`` is the gradient of the loss with respect to
            ``params[i]`` and has the same shape.
        params : sequence of ndarray
            Floating-point arrays, modified in place. Pass the same arrays, in
            the same order, on every call: the optimizer's state is kept per
            position in this list.
        """
        if len(grads) != len(params):
            raise ValueError(f"got {len(grads)} gradients for {len(params)} parameters")
        for i, p in enumerate(params):
            if not (isinstance(p, np.ndarray) and np.issubdtype(p.dtype, np.floating)):
                raise TypeError(
                    f"params[{i}] must be a floating-point numpy array (updated in place), "
                    f"got {type(p).__name__}"
                )
            if np.shape(grads[i]) != p.shape:
                raise ValueError(
                    f"grads[{i}] has shape {np.shape(grads[i])}, params[{i}] has {p.shape}"
                )
        shapes = [p.shape for p in params]
        if self._shapes is None:
            # First call: create the state, one zero array per parameter (Keras's "build").
            self._shapes = shapes
            self.slots = {name: [np.zeros_like(p) for p in params] for name in self.slot_names}
        elif shapes != self._shapes:
            raise ValueError(
                "params differ from the ones this optimizer was first applied to; "
                "use a new optimizer for a new set of parameters"
            )
        for i, (g, p) in enumerate(zip(grads, params, strict=True)):
            # Like Keras: compute in the parameter's dtype.
            g = np.asarray(g, dtype=p.dtype)
            lr = _as_keras_constant(self.learning_rate, p.dtype)
            self.update(i, g, p, lr)
        self.iterations += 1

    def update(self, i: int, g: np.ndarray, p: np.ndarray, lr: np.floating) -> None:
        """Update parameter number ``i``, ``p``, in place from its gradient ``g``."""
        raise NotImplementedError


class SGD(Optimizer):
    r"""Gradient descent, optionally with (Nesterov) momentum, as in ``keras.optimizers.SGD``.

    Parameters
    ----------
    learning_rate : float, default 0.01
        Step size :math:`\eta`.
    momentum : float, default 0.0
        :math:`\mu` in [0, 1]. With 0 there is no velocity: plain gradient
        descent, :math:`\theta \leftarrow \theta - \eta g`.
    nesterov : bool, default False
        Use Nesterov momentum,
        :math:`\theta \leftarrow \theta + \mu v - \eta g` after updating
        :math:`v \leftarrow \mu v - \eta g`.

    Examples
    --------
    >>> w = np.array([1.0, -2.0])
    >>> SGD(learning_rate=0.1).apply([2 * w], [w])  # gradient of sum(w**2)
    >>> w
    array([ 0.8, -1.6])
    """

    def __init__(
        self, learning_rate: float = 0.01, momentum: float = 0.0, nesterov: bool = False
    ) -> None:
        super().__init__(learning_rate)
        if not 0.0 <= momentum <= 1.0:
            raise ValueError(f"momentum must be in [0, 1], got {momentum!r}")
        self.momentum = float(momentum)
        self.nesterov = bool(nesterov)
        # Like Keras, keep a velocity only when there is momentum.
        self.slot_names = ("velocity",) if self.momentum != 0 else ()

    def update(self, i: int, g: np.ndarray, p: np.ndarray, lr: np.floating) -> None:
        if self.momentum == 0:
            p -= g * lr
            return
        mu = _as_keras_constant(self.momentum, p.dtype)
        v = self.slots["velocity"][i]
        v[...] = v * mu - g * lr
        if self.nesterov:
            p += v * mu - g * lr
        else:
            p += v

    def __repr__(self) -> str:
        return (
            f"SGD(learning_rate={self.learning_rate:.6g}, momentum={self.momentum}, "
            f"nesterov={self.nesterov})"
        )


class RMSprop(Optimizer):
    r"""RMSprop (Hinton, 2012) as in ``keras.optimizers.RMSprop`` with its defaults.

    For each parameter, with :math:`s` starting at 0:

    .. math::

        s &\leftarrow \rho\, s + (1 - \rho)\, g^2 \\
        \theta &\leftarrow \theta - \eta\, g / \sqrt{s + \epsilon}

    Keras adds :math:`\epsilon` to :math:`s` *inside* the square root (many
    texts write :math:`\sqrt{s} + \epsilon`); this class does the same. Keras's
    optional ``momentum`` and ``centered`` variants are not included: this is
    Keras's default, ``momentum=0.0, centered=False``.

    Parameters
    ----------
    learning_rate : float, default 0.001
        Step size :math:`\eta`.
    rho : float, default 0.9
        Decay rate :math:`\rho` of the running mean of squared gradients.
    epsilon : float, default 1e-7
        Keeps the denominator away from 0.
    """

    slot_names = ("velocity",)  # Keras's name for s

    def __init__(self, learning_rate: float = 0.001, rho: float = 0.9, epsilon: float = 1e-7):
        super().__init__(learning_rate)
        self.rho = float(rho)
        self.epsilon = float(epsilon)

    def update(self, i: int, g: np.ndarray, p: np.ndarray, lr: np.floating) -> None:
        s = self.slots["velocity"][i]
        # Python floats take the array's dtype (NumPy 2 rules), as in Keras.
        s[...] = self.rho * s + (1 - self.rho) * np.square(g)
        p -= lr * g / np.sqrt(s + self.epsilon)

    def __repr__(self) -> str:
        return (
            f"RMSprop(learning_rate={self.learning_rate:.6g}, rho={self.rho}, "
            f"epsilon={self.epsilon})"
        )


class Adam(Optimizer):
    r"""Adam (Kingma & Ba, 2015) as in ``keras.optimizers.Adam``.

    For each parameter, with :math:`m = v = 0` before step :math:`t = 1`:

    .. math::

        m &\leftarrow m + (1 - \beta_1)(g - m)
            \quad(= \beta_1 m + (1 - \beta_1) g) \\
        v &\leftarrow v + (1 - \beta_2)(g^2 - v) \\
        \eta_t &= \eta \sqrt{1 - \beta_2^t} / (1 - \beta_1^t) \\
        \theta &\leftarrow \theta - \eta_t\, m / (\sqrt{v} + \hat\epsilon)

    **How this differs from Algorithm 1 of Kingma & Ba.** Algorithm 1 corrects
    the moments, :math:`\hat m = m / (1 - \beta_1^t)` and
    :math:`\hat v = v / (1 - \beta_2^t)`, then steps by
    :math:`\eta\, \hat m / (\sqrt{\hat v} + \epsilon)`. Keras instead folds both
    corrections into the step size :math:`\eta_t` and adds its epsilon to the
    *uncorrected* :math:`\sqrt{v}`: the "epsilon hat" form the paper gives just
    before its Section 2.1. The two agree exactly when
    :math:`\hat\epsilon = \epsilon \sqrt{1 - \beta_2^t}`, so Keras's
    ``epsilon=1e-7`` acts like a paper epsilon of
    :math:`10^{-7} / \sqrt{1 - \beta_2^t}`, about 3e-6 at step 1 and shrinking
    towards 1e-7 as :math:`t` grows. The difference only matters where
    gradients are tiny.

    Parameters
    ----------
    learning_rate : float, default 0.001
        Step size :math:`\eta`.
    beta_1 : float, default 0.9
        Decay rate of the running mean of gradients (the momentum).
    beta_2 : float, default 0.999
        Decay rate of the running mean of squared gradients.
    epsilon : float, default 1e-7
        :math:`\hat\epsilon` above.
    """

    slot_names = ("momentum", "velocity")  # Keras's names for m and v

    def __init__(
        self,
        learning_rate: float = 0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
    ) -> None:
        super().__init__(learning_rate)
        self.beta_1 = float(beta_1)
        self.beta_2 = float(beta_2)
        self.epsilon = float(epsilon)

    def update(self, i: int, g: np.ndarray, p: np.ndarray, lr: np.floating) -> None:
        m = self.slots["momentum"][i]
        v = self.slots["velocity"][i]
        # Keras computes t, beta^t and the corrected step size in the
        # parameter's dtype; t counts from 1.
        t = p.dtype.type(self.iterations + 1)
        beta_1_power = _as_keras_constant(self.beta_1, p.dtype) ** t
        beta_2_power = _as_keras_constant(self.beta_2, p.dtype) ** t
        alpha = lr * np.sqrt(1 - beta_2_power) / (1 - beta_1_power)
        m += (g - m) * (1 - self.beta_1)
        v += (np.square(g) - v) * (1 - self.beta_2)
        p -= m * alpha / (np.sqrt(v) + self.epsilon)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(learning_rate={self.learning_rate:.6g}, beta_1={self.beta_1}, "
            f"beta_2={self.beta_2}, epsilon={self.epsilon})"
        )


# -- Adam as in the paper -----------------------------------------------------------------


class AdamAlgorithm1(Adam):
    r"""Adam exactly as Algorithm 1 of Kingma & Ba (2015) prints it.

    .. math::

        m_t &= \beta_1 m_{t-1} + (1 - \beta_1) g_t, \qquad
        v_t = \beta_2 v_{t-1} + (1 - \beta_2) g_t^2 \\
        \hat m_t &= m_t / (1 - \beta_1^t), \qquad \hat v_t = v_t / (1 - \beta_2^t) \\
        \theta_t &= \theta_{t-1} - \eta\, \hat m_t / (\sqrt{\hat v_t} + \epsilon)

    :class:`Adam` (Keras's form) adds its epsilon, :math:`\hat\epsilon`, to
    :math:`\sqrt{v_t}` instead. Pass ``epsilon_hat=`` :math:`\hat\epsilon` to use
    the step-dependent :math:`\epsilon = \hat\epsilon / \sqrt{1 - \beta_2^t}` that
    reproduces it. :math:`\beta^t` comes from the betas rounded to float32, as in
    :class:`Adam`, so the placement of epsilon is the only difference.

    Parameters
    ----------
    learning_rate, beta_1, beta_2 : float
        As in :class:`Adam` (defaults 0.001, 0.9, 0.999).
    epsilon : float, default 1e-7
        The paper's :math:`\epsilon` (the paper suggests 1e-8; 1e-7 is Keras's number).
    epsilon_hat : float, optional
        If given, ignore ``epsilon`` and use
        :math:`\hat\epsilon / \sqrt{1 - \beta_2^t}` at step :math:`t`.
    """

    def __init__(self, *args, epsilon_hat: float | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)  # learning_rate, beta_1, beta_2, epsilon
        self.epsilon_hat = None if epsilon_hat is None else float(epsilon_hat)

    def update(self, i: int, g: np.ndarray, p: np.ndarray, lr: np.floating) -> None:
        m, v = self.slots["momentum"][i], self.slots["velocity"][i]
        t = p.dtype.type(self.iterations + 1)
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

r"""Checking backpropagation against finite differences.

A gradient computed by backpropagation can be wrong in ways that still lower the
loss for a while. The cure is to estimate a few of its coordinates the slow, sure
way: nudge one parameter by :math:`\pm\epsilon`, measure the loss both times,
and divide the difference by :math:`2\epsilon`. :func:`numerical_gradient` does
that for any function of some arrays; :func:`gradient_check` compares it with
:meth:`fashion_lessons.mlp.MLP.backward`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

__all__ = ["gradient_check", "numerical_gradient"]


def numerical_gradient(
    f: Callable[[], float],
    params: Sequence[np.ndarray],
    eps: float = 1e-5,
    n_coords: int | None = None,
    seed: int = 0,
) -> list[np.ndarray]:
    """Estimate the gradient of ``f`` by central finite differences.

    For each chosen coordinate :math:`\\theta_i`, nudge it both ways and measure
    :math:`(f(\\theta_i + \\epsilon) - f(\\theta_i - \\epsilon)) / 2\\epsilon`,
    whose error shrinks like :math:`\\epsilon^2`. That is two evaluations of
    ``f`` per coordinate, far too slow for every one of a real network's
    100,000 parameters, hence ``n_coords``.

    Parameters
    ----------
    f : callable
        Takes no arguments and returns a float computed from ``params``, e.g.
        ``lambda: model.loss(x, y)``. Use float64 parameters: in float32 the
        differences drown in rounding error.
    params : sequence of ndarray
        Arrays that ``f`` reads. Each coordinate is changed in place and
        restored afterwards.
    eps : float, default 1e-5
        Size of the nudge. Smaller makes the formula more exact but loses
        more digits to rounding in ``f(+) - f(-)``; 1e-5 balances the two
        for float64 losses of order 1.
    n_coords : int, optional
        Estimate only this many randomly chosen coordinates per array
        (or all of a smaller array). By default, every coordinate.
    seed : int, default 0
        Seed for choosing the coordinates.

    Returns
    -------
    list of ndarray
        One float64 array per parameter, of its shape, holding the estimates;
        coordinates not estimated are NaN.
    """
    rng = np.random.default_rng(seed)
    estimates = []
    for p in params:
        est = np.full(p.shape, np.nan)
        chosen = np.arange(p.size)
        if n_coords is not None and n_coords < p.size:
            chosen = rng.choice(p.size, size=n_coords, replace=False)
        for flat_index in chosen:
            i = np.unravel_index(flat_index, p.shape)
            original = p[i]  # a numpy scalar: a copy, not a view
            p[i] = original + eps
            f_plus = f()
            p[i] = original - eps
            f_minus = f()
            p[i] = original
            est[i] = (f_plus - f_minus) / (2 * eps)
        estimates.append(est)
    return estimates


def gradient_check(
    model,
    x: np.ndarray,
    y: np.ndarray,
    n_coords: int = 20,
    eps: float = 1e-5,
    seed: int = 0,
) -> float:
    """Largest relative error between backprop and finite differences.

    Works on a float64 copy of ``model`` (finite differences need the
    precision) and compares :meth:`MLP.backward` with :func:`numerical_gradient`
    of :meth:`MLP.loss` on ``n_coords`` random coordinates of every weight and
    bias array. For each array, with :math:`g` the backprop gradient and
    :math:`\\hat g` the estimate on those coordinates, it computes

    .. math:: \\frac{\\lVert g - \\hat g \\rVert}{\\lVert g \\rVert + \\lVert \\hat g \\rVert}

    and returns the largest. Around 1e-9 means the gradients are right; a
    mistake typically gives 1e-2 to 1. (Norms, rather than a maximum over
    single coordinates, keep coordinates with tiny gradients, whose estimates
    are mostly rounding noise, from dominating.)

    Parameters
    ----------
    model : fashion_lessons.mlp.MLP
        The network to check (not modified).
    x : array_like, shape (N, n_in) or (N, 28, 28)
        A batch of inputs; a few dozen examples are plenty.
    y : array_like of int, shape (N,)
        Their labels.
    n_coords : int, default 20
        Coordinates checked per parameter array.
    eps : float, default 1e-5
        Finite-difference step.
    seed : int, default 0
        Seed for choosing the coordinates.

    Returns
    -------
    float
        The largest relative error over the parameter arrays.
    """
    twin = model.astype(np.float64)
    twin.forward(x)
    analytic = twin.backward(y)
    numeric = numerical_gradient(lambda: twin.loss(x, y), twin.params, eps, n_coords, seed)
    worst = 0.0
    for g, g_hat in zip(analytic, numeric, strict=True):
        checked = ~np.isnan(g_hat)
        a, b = g[checked], g_hat[checked]
        scale = np.linalg.norm(a) + np.linalg.norm(b)
        if scale > 0:  # both exactly 0 (e.g. dead ReLUs) agree perfectly
            worst = max(worst, float(np.linalg.norm(a - b) / scale))
    return worst

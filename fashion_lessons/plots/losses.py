"""Figures of the losses chapter: loss curves, and cross-entropy against squared error."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from fashion_lessons import losses
from fashion_lessons.plots._style import BLUE, GREEN, GREY, ORANGE, VERMILLION, set_alt

__all__ = ["plot_ce_vs_mse", "plot_losses"]


#: x ticks of the logit-scaled axes, written as plain decimals.
_PROBABILITY_TICKS = [0.001, 0.01, 0.1, 0.5, 0.9, 0.99, 0.999]


def plot_ce_vs_mse(p_true, curves, n_classes=10, axes=None):
    """Cross-entropy and squared error of a softmax output, and their gradients, against p.

    Left: each loss as a function of the probability ``p`` the model gives the true class
    (log scale). Right: the size of its derivative with respect to the true class's logit,
    the push that gradient descent gives that logit.

    Parameters
    ----------
    p_true : ndarray of shape (n,)
        Probabilities of the true class, increasing, strictly between 0 and 1.
    curves : dict
        ``{"cross-entropy": (loss, gradient), "mean squared error": (loss, gradient)}``,
        each an ndarray of shape (n,); ``gradient`` is d loss / d z_c.
    n_classes : int, default 10
        The number of classes the curves were computed for (the uniform guess is 1/n).
    axes : pair of matplotlib Axes, optional

    Returns
    -------
    ndarray of two matplotlib Axes
        Losses on the left, gradients on the right.
    """
    p = np.asarray(p_true, np.float64)
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(7.2, 3.0), layout="constrained")
    axes = np.asarray(axes).ravel()
    styles = {"cross-entropy": ("-", BLUE), "mean squared error": ("--", VERMILLION)}
    for name, (loss, gradient) in curves.items():
        style, color = styles[name]
        axes[0].semilogy(p, loss, style, color=color, linewidth=2, label=name)
        axes[1].semilogy(p, np.abs(gradient), style, color=color, linewidth=2, label=name)
    for ax in axes:
        ax.axvline(1 / n_classes, color=GREY, linestyle=":", linewidth=1.2)
        ax.set_xscale("logit")
        ax.set_xlabel("probability of the true class, $p_c$ (logit scale)")
        ax.set_xlim(p[0], p[-1])
        ticks = [t for t in _PROBABILITY_TICKS if p[0] * (1 - 1e-9) <= t <= p[-1] * (1 + 1e-9)]
        ax.set_xticks(ticks, [f"{t:g}" for t in ticks], fontsize=8.5)
        ax.minorticks_off()
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("loss")
    axes[1].set_ylabel(r"$|\partial L / \partial z_c|$")
    axes[0].set_title("loss (log scale)")
    axes[1].set_title("gradient with respect to the true logit")
    axes[0].legend(frameon=False, loc="lower left")
    top = axes[0].get_ylim()[1]
    axes[0].annotate(
        f"uniform guess $p_c = 1/{n_classes}$",
        xy=(1 / n_classes, top),
        xytext=(4, -4),
        textcoords="offset points",
        va="top",
        fontsize=8.5,
    )
    ce_loss, ce_grad = curves["cross-entropy"]
    mse_loss, mse_grad = curves["mean squared error"]
    set_alt(
        axes[0],
        f"Two line charts against the true class's probability from {p[0]:.3g} to {p[-1]:.3g}, "
        f"for {n_classes} classes. Left, on a log scale: cross-entropy falls from "
        f"{ce_loss[0]:.3g} to {ce_loss[-1]:.2g}, mean squared error from {mse_loss[0]:.3g} to "
        f"{mse_loss[-1]:.2g}. Right, the size of the gradient with respect to the true logit: "
        f"cross-entropy's falls steadily from {abs(ce_grad[0]):.3g} to {abs(ce_grad[-1]):.2g}; "
        f"mean squared error's is {abs(mse_grad[0]):.2g} at the left end, peaks at "
        f"{np.abs(mse_grad).max():.2g} at p={p[np.argmax(np.abs(mse_grad))]:.2f} and falls "
        f"to {abs(mse_grad[-1]):.2g}",
    )
    return axes


def plot_losses(axes=None):
    """The losses of the chapter as functions of one prediction, in two panels.

    Left, regression: squared error and absolute error against the error
    ``y_pred - y_true``. Right, classification of a positive example (label +1, or 1 for
    the cross-entropy) against the model's score ``s``: the zero-one loss (1 if ``s <= 0``),
    the hinge loss ``max(0, 1 - s)`` and binary cross-entropy from the logit ``s``,
    ``log(1 + exp(-s))``. Every curve is computed with :mod:`fashion_lessons.losses`.

    Parameters
    ----------
    axes : pair of matplotlib Axes, optional

    Returns
    -------
    ndarray of two matplotlib Axes
    """
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(7.2, 3.0), layout="constrained")
    axes = np.asarray(axes).ravel()
    error = np.linspace(-3, 3, 601)[:, None]  # one prediction per row
    zero = np.zeros_like(error)
    squared = losses.mean_squared_error(zero, error)
    absolute = losses.mean_absolute_error(zero, error)
    axes[0].plot(error, squared, "-", color=BLUE, linewidth=2, label="squared error")
    axes[0].plot(error, absolute, "--", color=ORANGE, linewidth=2, label="absolute error")
    axes[0].set_xlabel(r"error $\hat y - y$")
    axes[0].set_title("regression")

    score = np.linspace(-4, 4, 801)[:, None]
    zero_one = (score[:, 0] <= 0).astype(float)
    step = np.flatnonzero(np.diff(zero_one))[0] + 1  # break the line there: no vertical stroke
    hinge = losses.hinge(np.ones_like(score), score)
    cross_entropy = losses.binary_crossentropy(np.ones_like(score), score, from_logits=True)
    axes[1].plot(
        np.insert(score[:, 0], step, np.nan),
        np.insert(zero_one, step, np.nan),
        ":",
        color=GREY,
        linewidth=2,
        label="zero-one",
    )
    axes[1].plot(score, hinge, "--", color=GREEN, linewidth=2, label="hinge")
    axes[1].plot(score, cross_entropy, "-", color=VERMILLION, linewidth=2, label="cross-entropy")
    axes[1].set_xlabel("score $s$ of a positive example")
    axes[1].set_title("classification, true label +1")
    for ax in axes:
        ax.set_ylabel("loss")
        ax.set_ylim(-0.1, 4.1)
        ax.grid(alpha=0.3)
        ax.legend(frameon=False, loc="upper center")
    set_alt(
        axes[0],
        "Two line charts of losses. Left, against the error from -3 to 3: squared error, a "
        f"parabola reaching {squared.max():.3g} at the ends, and absolute error, a V reaching "
        f"{absolute.max():.3g}; both are 0 at error 0. Right, for a positive example against "
        f"the score from -4 to 4: the zero-one loss steps from 1 to 0 at score 0; the hinge "
        f"loss falls linearly from {hinge[0]:.3g} to 0 at score 1 and stays 0; binary "
        f"cross-entropy falls smoothly from {cross_entropy[0]:.3g} through "
        f"{cross_entropy[len(score) // 2]:.2f} at score 0 to {cross_entropy[-1]:.2g}",
    )
    return axes

"""Figures of mini-batches: how noisy one batch's gradient is, and what it costs."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
from matplotlib import ticker

from fashion_lessons.plots._style import BLUE, ORANGE, VERMILLION, set_alt

__all__ = ["plot_gradient_noise"]


def plot_gradient_noise(noise: Mapping[str, np.ndarray], axes=None):
    """The noise and the cost of a mini-batch gradient, against the batch size.

    Left: root-mean-square relative error of the mini-batch gradient (log-log),
    with the :math:`1/\\sqrt{B}` line through the first point for reference.
    Right: seconds per gradient.

    Parameters
    ----------
    noise : mapping
        As returned by :func:`fashion_lessons.minibatch.gradient_noise`:
        ``"batch_size"``, ``"relative_error"``, ``"seconds"``.
    axes : pair of matplotlib Axes, optional

    Returns
    -------
    ndarray of two matplotlib Axes
    """
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(9.0, 3.4))
    axes = np.asarray(axes).ravel()
    b = np.asarray(noise["batch_size"], dtype=float)
    error = np.asarray(noise["relative_error"], dtype=float)
    seconds = np.asarray(noise["seconds"], dtype=float)
    ax = axes[0]
    ax.plot(b, error, color=BLUE, marker="o", label="measured")
    ax.plot(
        b, error[0] * np.sqrt(b[0] / b), color=ORANGE, linestyle="--", label=r"$\propto 1/\sqrt{B}$"
    )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("batch size $B$")
    ax.set_ylabel(r"$\|g_B - g\| \,/\, \|g\|$")
    ax.set_title("noise of one gradient")
    ax.legend(fontsize=8, frameon=False)
    ax = axes[1]
    ax.plot(b, 1e3 * seconds, color=VERMILLION, marker="D", linestyle=":")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("batch size $B$")
    ax.set_ylabel("milliseconds per gradient")
    ax.set_title("cost of one gradient")
    for ax in axes[:2]:
        # Plain numbers instead of powers of ten: the batch sizes themselves along x,
        # 0.2, 0.5, 1, 2, ... along y.
        ax.xaxis.set_major_locator(ticker.FixedLocator(b))
        ax.yaxis.set_major_locator(ticker.LogLocator(subs=(1.0, 2.0, 5.0)))
        for axis in (ax.xaxis, ax.yaxis):
            axis.set_major_formatter(ticker.FormatStrFormatter("%g"))
            axis.set_minor_formatter(ticker.NullFormatter())
    pairs = ", ".join(
        f"B={int(bi)}: error {e:.3g}, {1e3 * s:.3g} ms" for bi, e, s in zip(b, error, seconds)
    )
    set_alt(
        axes[0],
        "Two log-log charts against batch size: the relative error of a mini-batch "
        "gradient, which falls like one over the square root of the batch size, and the "
        f"time per gradient, which grows with it. {pairs}.",
    )
    return axes

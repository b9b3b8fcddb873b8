"""Figures of the scratch chapter: a numpy network's predictions beside its Keras twin's.

The two networks' learning curves are :func:`fashion_lessons.plots.curves.plot_compare_histories`.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from fashion_lessons.plots._style import (
    BLUE,
    ORANGE,
    VERMILLION,
    set_alt,
)

__all__ = ["plot_probability_agreement"]


def plot_probability_agreement(
    reference: np.ndarray,
    other: np.ndarray,
    names: tuple[str, str] = ("Keras", "numpy"),
    axes=None,
) -> np.ndarray:
    """How closely two models' probabilities agree, entry by entry.

    Left: every probability of ``other`` against the same entry of
    ``reference``, with the diagonal where they would be equal. Right: a
    histogram of the absolute differences on a logarithmic axis; entries that
    are exactly equal cannot appear on it and are counted in a note.

    Parameters
    ----------
    reference, other : ndarray of shape (N, n_classes)
        Probabilities of the same N examples from two models.
    names : pair of str, default ("Keras", "numpy")
        Names of ``reference`` and ``other`` for the axis labels.
    axes : pair of matplotlib Axes, optional
        Where to draw the scatter (left) and the histogram (right); by default a
        new figure. Returned as an ndarray.
    """
    reference = np.asarray(reference, dtype=np.float64)
    other = np.asarray(other, dtype=np.float64)
    if reference.shape != other.shape:
        raise ValueError(f"shapes differ: {reference.shape} and {other.shape}")
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(8.4, 3.6), layout="constrained")
    axes = np.asarray(axes).ravel()
    scatter_ax, hist_ax = axes[0], axes[1]

    # The diagonal goes on top: its dashes run along the points where they are equal.
    scatter_ax.plot([0, 1], [0, 1], ls="--", lw=1.2, color=ORANGE, label="equal", zorder=3)
    scatter_ax.scatter(
        reference.ravel(),
        other.ravel(),
        s=4,
        marker="o",
        color=BLUE,
        alpha=0.5,
        linewidths=0,
        rasterized=True,
        label="one probability",
        zorder=2,
    )
    scatter_ax.set_xlim(-0.02, 1.02)
    scatter_ax.set_ylim(-0.02, 1.02)
    scatter_ax.set_aspect("equal")
    scatter_ax.set_xlabel(f"{names[0]} probability")
    scatter_ax.set_ylabel(f"{names[1]} probability")
    scatter_ax.legend(frameon=False, loc="upper left", markerscale=3)

    diff = np.abs(other - reference).ravel()
    nonzero = diff[diff > 0]
    n_equal = diff.size - nonzero.size
    if nonzero.size:
        low = np.floor(np.log10(nonzero.min()))
        high = np.ceil(np.log10(nonzero.max()))
        bins = np.logspace(low, max(high, low + 1), int(4 * max(high - low, 1)) + 1)
        hist_ax.hist(nonzero, bins=bins, color=BLUE, edgecolor=BLUE, alpha=0.8)
        hist_ax.set_xscale("log")
        hist_ax.axvline(
            diff.max(), ls=":", lw=1.5, color=VERMILLION, label=f"largest: {diff.max():.1e}"
        )
        hist_ax.legend(frameon=False, loc="upper left")
    hist_ax.set_xlabel(f"|{names[1]} − {names[0]}|")
    hist_ax.set_ylabel("number of probabilities")
    hist_ax.text(
        0.02,
        0.84,
        f"{n_equal:,} of {diff.size:,}\nexactly equal (not shown)",
        transform=hist_ax.transAxes,
        ha="left",
        va="top",
        fontsize="small",
    )
    same_class = int(np.sum(reference.argmax(axis=1) == other.argmax(axis=1)))
    where = (
        "every point lies on the diagonal"
        if diff.max() < 0.005  # under a point's width on a 0-to-1 axis
        else "points lie off the diagonal"
    )
    set_alt(
        axes[0],
        f"Scatter plot of {diff.size:,} {names[1]} probabilities against {names[0]}'s for "
        f"{len(reference):,} examples: {where}. A histogram of "
        f"their absolute differences shows the largest is {diff.max():.1e} and "
        f"{n_equal:,} are exactly equal; the most probable class agrees on "
        f"{same_class:,} of {len(reference):,} examples.",
    )
    return axes

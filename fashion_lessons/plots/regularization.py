"""Figures of the regularization experiments: validation curves of several runs, weights."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from fashion_lessons.plots._style import (
    RUN_STYLES,
    given_axes,
    run_style,
    set_alt,
)
from fashion_lessons.plots.curves import plot_curves

__all__ = ["plot_validation_curves", "plot_weight_histograms"]


def _line_only(name: str, index: int) -> dict:
    """A run's colour and line style without markers: long curves, one dot each at the best."""
    return {**run_style(name, index), "marker": None}


def plot_validation_curves(histories: Mapping[str, object], axes=None) -> np.ndarray:
    """Validation loss and validation accuracy of several runs on shared axes.

    Unlike :func:`~fashion_lessons.plots.curves.plot_compare_histories`, which
    draws training and validation curves of a few short runs, this draws (with
    :func:`~fashion_lessons.plots.curves.plot_curves`) only the validation curves,
    for long runs, and marks where each run's validation loss was lowest: the
    comparison a regularization experiment is about.

    Parameters
    ----------
    histories : mapping of str to history
        Run name to a dict with ``"val_loss"`` and ``"val_accuracy"`` lists (one
        value per epoch); a Keras ``History``, or anything with such a dict as
        its ``history`` attribute (a :class:`fashion_lessons.runs.Run`),
        works too.
    axes : pair of matplotlib Axes, optional
        Where to draw; by default a new figure with two panels.

    Returns
    -------
    ndarray of two matplotlib Axes
        Validation loss on the left, validation accuracy on the right.
    """
    axes = plot_curves(
        histories,
        ("val_loss", "val_accuracy"),
        axes,
        styles=_line_only,
        legend=False,
        figsize=(9.0, 3.6),
    )
    loss_ax = axes[0]
    described = []
    for i, (name, run) in enumerate(histories.items()):
        hist = getattr(run, "history", run)
        val_loss = np.asarray(hist["val_loss"], dtype=float)
        best = int(np.argmin(val_loss))
        color = run_style(name, i)["color"]
        loss_ax.plot(best + 1, val_loss[best], marker="o", ms=6, color=color, ls="none")
        described.append(
            f"{name}: validation loss lowest at epoch {best + 1} ({val_loss[best]:.3f}), "
            f"last {val_loss[-1]:.3f}; validation accuracy last {hist['val_accuracy'][-1]:.3f}"
        )
    longest = max(len(getattr(run, "history", run)["val_loss"]) for run in histories.values())
    loss_ax.legend(frameon=False, fontsize="small", title="dot: lowest loss")
    set_alt(
        loss_ax,
        f"Line charts of validation loss and validation accuracy over {longest} epochs for "
        f"{len(histories)} run{'s' if len(histories) > 1 else ''}. " + "; ".join(described) + ".",
    )
    return axes


def plot_weight_histograms(weights: Mapping[str, np.ndarray], ax=None, bins: int = 80):
    """Overlaid histograms of the weight values of several models, log-scaled counts.

    Parameters
    ----------
    weights : mapping of str to ndarray
        Model name to its weights, any shape (flattened), e.g. the hidden
        layer's kernel of shape ``(784, 512)``.
    ax : matplotlib Axes, optional
    bins : int, default 80
        Bins shared by all the histograms, spanning all the values.

    Returns
    -------
    matplotlib Axes
    """
    if not weights:
        raise ValueError("give at least one array of weights")
    if len(weights) > len(RUN_STYLES):
        raise ValueError(f"at most {len(RUN_STYLES)} arrays, got {len(weights)}")
    ax = given_axes(ax, figsize=(6.4, 3.4))
    values = {name: np.asarray(w, dtype=float).ravel() for name, w in weights.items()}
    everything = np.concatenate(list(values.values()))
    low, high = everything.min(), everything.max()
    if low == high:  # all equal: one bin around the value
        low, high = low - 0.5, high + 0.5
    edges = np.linspace(low, high, bins + 1)
    described = []
    for (name, v), (color, _, style) in zip(values.items(), RUN_STYLES):
        norm = np.sqrt(np.sum(v**2))
        ax.hist(
            v,
            bins=edges,
            histtype="step",
            color=color,
            ls=style,
            lw=1.8,
            label=f"{name} (norm {norm:.1f})",
        )
        described.append(
            f"{name}: {v.size:,} weights from {v.min():.2f} to {v.max():.2f}, "
            f"standard deviation {v.std():.3f}, norm {norm:.1f}"
        )
    ax.set_yscale("log")  # the tails, where the models differ most, stay visible
    ax.set_xlabel("weight value")
    ax.set_ylabel("number of weights (log scale)")
    ax.legend(frameon=False, fontsize="small")
    set_alt(
        ax, "Overlaid histograms of weight values, log-scaled counts. " + "; ".join(described) + "."
    )
    return ax

"""Figures of model diagnostics: learning curves, confusion matrices, calibration."""

from __future__ import annotations

import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import numpy as np

from fashion_lessons.data import CLASS_NAMES
from fashion_lessons.plots._style import (
    BLUE,
    GREEN,
    GREY,
    ORANGE,
    VERMILLION,
    axes_grid,
    draw_image,
    given_axes,
    set_alt,
)
from fashion_lessons.plots.curves import plot_curves

__all__ = [
    "plot_confused_pair",
    "plot_confusion_matrix",
    "plot_learning_curves",
    "plot_reliability",
]

# Counts written inside heat-map cells sit on the cell's own colour, not on the page,
# so they must not follow the page's theme: pure black and white are left alone when
# the book re-colours a figure for a dark page (only the foreground colour is swapped).
_INK_ON_LIGHT, _INK_ON_DARK = "#000000", "#ffffff"


def plot_learning_curves(history, best=None, stopped=None, axes=None):
    """Loss and accuracy per epoch, with the gap shaded and the best epoch marked.

    The curves are :func:`fashion_lessons.plots.curves.plot_curves`'s.

    Parameters
    ----------
    history : keras.callbacks.History or dict of str to list of float
        Needs ``loss`` and ``val_loss``; ``accuracy`` and ``val_accuracy`` are
        drawn in a second panel when present.
    best : int, optional
        1-based epoch of the lowest validation loss (see
        :func:`fashion_lessons.diagnostics.best_epoch`); marked with a vertical line.
    stopped : int, optional
        1-based epoch at which early stopping would end training; marked too.
    axes : matplotlib Axes or array of Axes, optional
        One axes per panel.

    Returns
    -------
    ndarray of matplotlib Axes
        Loss first, then accuracy if the history has it.
    """
    hist = getattr(history, "history", history)
    for key in ("loss", "val_loss"):
        if key not in hist:
            raise ValueError(
                f"history has no {key!r}: train with validation_data=... so that Keras "
                f"records the validation loss (keys present: {sorted(hist)})"
            )
    metrics = ["loss"] + (["accuracy"] if "val_accuracy" in hist else [])
    axes = plot_curves({"": hist}, metrics, axes, legend=False, figsize=(4.2 * len(metrics), 3.4))
    n = len(hist["loss"])
    epochs = np.arange(1, n + 1)
    for ax, metric in zip(axes, metrics):
        train, val = np.asarray(hist[metric]), np.asarray(hist[f"val_{metric}"])
        ax.fill_between(epochs, train, val, color=GREY, alpha=0.2, lw=0, label="gap")
        if best is not None:
            ax.axvline(best, color=GREEN, ls=":", lw=1.5, label=f"best epoch ({best})")
            ax.plot([best], [val[best - 1]], "*", ms=11, color=GREEN)
        if stopped is not None:
            ax.axvline(stopped, color=VERMILLION, ls="-.", lw=1.2, label=f"stopped ({stopped})")
    axes[0].legend(frameon=False, fontsize=8)
    val_loss = np.asarray(hist["val_loss"])
    low = int(np.argmin(val_loss)) + 1
    text = (
        f"Line chart{'s' if len(metrics) > 1 else ''} of training and validation "
        f"{' and '.join(metrics)} over {n} epochs. The training loss falls from "
        f"{hist['loss'][0]:.3f} to {hist['loss'][-1]:.3f}; the validation loss is lowest, "
        f"{val_loss[low - 1]:.3f}, at epoch {low} and ends at {val_loss[-1]:.3f}"
    )
    if len(metrics) > 1:
        text += (
            f". Accuracy ends at {hist['accuracy'][-1]:.3f} on training and "
            f"{hist['val_accuracy'][-1]:.3f} on validation"
        )
    if best is not None:
        text += f". Best epoch {best} marked"
    if stopped is not None:
        text += f"; early stopping at epoch {stopped} marked"
    set_alt(axes[0], text)
    return axes


def plot_confusion_matrix(confusion, class_names=CLASS_NAMES, ax=None):
    """A confusion matrix as a heat map with the count written in every non-zero cell.

    Colours follow the square root of the count, so that the few hundred
    mistakes off the diagonal stand out beside the thousands of right answers on
    it. Each count is written in black or white, whichever reads better on its cell.

    Parameters
    ----------
    confusion : ndarray of int, shape (n_classes, n_classes)
        Rows true classes, columns predictions (as from
        :func:`fashion_lessons.diagnostics.confusion_matrix`).
    class_names : sequence of str
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
    """
    confusion = np.asarray(confusion)
    k = len(class_names)
    if confusion.shape != (k, k):
        raise ValueError(
            f"confusion has shape {confusion.shape} but there are {k} class names; "
            f"pass a ({k}, {k}) matrix or matching class_names"
        )
    ax = given_axes(ax, figsize=(6.2, 5.6), layout="constrained")
    cmap = plt.get_cmap("Blues")
    norm = mcolors.PowerNorm(0.5, vmin=0, vmax=max(int(confusion.max()), 1))
    ax.imshow(confusion, cmap=cmap, norm=norm)
    for (i, j), count in np.ndenumerate(confusion):
        if count == 0:
            continue
        r, g, b, _ = cmap(norm(count))
        light_cell = 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.5
        ax.text(
            j,
            i,
            f"{count}",
            ha="center",
            va="center",
            fontsize=7.5,
            color=_INK_ON_LIGHT if light_cell else _INK_ON_DARK,
        )
    ticks = np.arange(k)
    ax.set_xticks(ticks, class_names, rotation=45, ha="right", rotation_mode="anchor")
    ax.set_yticks(ticks, class_names)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    for spine in ax.spines.values():
        spine.set_visible(False)
    off = confusion.copy()
    np.fill_diagonal(off, 0)
    i, j = np.unravel_index(np.argmax(off), off.shape)
    set_alt(
        ax,
        f"Heat map of a {k} by {k} confusion matrix, true classes in rows and predictions in "
        f"columns, {int(confusion.sum()):,} examples, {int(np.trace(confusion)):,} on the "
        f"diagonal (right). Largest mix-up: {off[i, j]} {class_names[i]} predicted as "
        f"{class_names[j]}",
    )
    return ax


def plot_confused_pair(images, labels, predicted, pair, n=8, axes=None, class_names=CLASS_NAMES):
    """Examples of two easily confused classes: right answers and mistakes both ways.

    Four rows: class ``a`` recognized, ``a`` taken for ``b``, ``b`` taken for
    ``a``, and ``b`` recognized, each with the first ``n`` examples found.

    Parameters
    ----------
    images : ndarray of shape (n_examples, 28, 28)
    labels : ndarray of int, shape (n_examples,)
        The true classes.
    predicted : ndarray of int, shape (n_examples,)
        The predicted classes.
    pair : (int, int)
        The two classes ``(a, b)``.
    n : int, default 8
        Images per row.
    axes : array of matplotlib Axes, optional
        At least ``4 * n``, filled row by row.
    class_names : sequence of str

    Returns
    -------
    ndarray of matplotlib Axes, shape (4 * n,)
    """
    a, b = pair
    labels, predicted = np.asarray(labels), np.asarray(predicted)
    if a == b:
        raise ValueError(f"pair must name two different classes, got ({a}, {b})")
    rows = [
        (a, a, f"{class_names[a]}, recognized"),
        (a, b, f"{class_names[a]} taken for {class_names[b]}"),
        (b, a, f"{class_names[b]} taken for {class_names[a]}"),
        (b, b, f"{class_names[b]}, recognized"),
    ]
    axes = axes_grid(axes, 4 * n, n, cell=(1.15, 1.35))
    summary = []
    for r, (true, guess, heading) in enumerate(rows):
        found = np.flatnonzero((labels == true) & (predicted == guess))
        shown = found[:n]
        for c in range(n):
            ax = axes[r * n + c]
            if c < len(shown):
                draw_image(ax, images[shown[c]])
            else:
                ax.set_axis_off()
        # A title on the row's first image, left-aligned, runs on across the row.
        colour = {"color": ORANGE} if true != guess else {}
        axes[r * n].set_title(
            f"{heading}: {len(shown)} of {len(found)}", loc="left", fontsize=9, **colour
        )
        summary.append(f"{heading} ({len(found)})")
    set_alt(axes[0], f"Four rows of up to {n} images: " + "; ".join(summary))
    return axes


def plot_reliability(reliability, axes=None, title=None):
    """A reliability diagram: accuracy against confidence, with the count in each bin.

    The top panel has one bar per confidence bin, as tall as the fraction of its
    predictions that are right, a marker at the bin's mean confidence and the
    diagonal of perfect calibration: markers above the bars mean overconfidence.
    The bottom panel counts the predictions in each bin (log scale).

    Parameters
    ----------
    reliability : fashion_lessons.calibration.Reliability
        From :func:`fashion_lessons.calibration.reliability_bins`.
    axes : pair of matplotlib Axes, optional
        The diagram and the counts.
    title : str, optional
        Shown above the diagram, followed by the ECE.

    Returns
    -------
    ndarray of two matplotlib Axes
    """
    rel = reliability
    if axes is None:
        _, axes = plt.subplots(
            2,
            1,
            figsize=(4.6, 4.8),
            height_ratios=[3, 1.2],
            sharex=True,
            layout="constrained",
        )
    axes = np.asarray(axes).ravel()
    top, bottom = axes[0], axes[1]
    left, width = rel.edges[:-1], np.diff(rel.edges)
    used = rel.count > 0
    top.plot([0, 1], [0, 1], ls="--", color=GREY, lw=1, label="perfect calibration")
    top.bar(
        left[used],
        rel.accuracy[used],
        width=width[used],
        align="edge",
        color=BLUE,
        alpha=0.85,
        edgecolor=GREY,
        lw=0.5,
        label="accuracy",
    )
    centres = left + width / 2
    top.plot(centres[used], rel.confidence[used], "D", ms=5, color=ORANGE, label="mean confidence")
    top.set_xlim(0, 1)
    top.set_ylim(0, 1)
    top.set_ylabel("fraction right")
    top.legend(frameon=False, fontsize=8, loc="upper left")
    heading = f"ECE {rel.ece:.3f}"
    top.set_title(f"{title}: {heading}" if title else heading)
    bottom.bar(left[used], rel.count[used], width=width[used], align="edge", color=GREY)
    bottom.set_yscale("log")
    bottom.set_ylabel("predictions")
    bottom.set_xlabel("confidence (probability of the predicted class)")
    bins = [
        f"{lo:.2f}-{hi:.2f}: {c:,} predictions, mean confidence {conf:.2f}, accuracy {acc:.2f}"
        for lo, hi, c, conf, acc in zip(
            rel.edges[:-1], rel.edges[1:], rel.count, rel.confidence, rel.accuracy
        )
        if c > 0
    ]
    set_alt(
        top,
        f"Reliability diagram{' of ' + title if title else ''}, expected calibration error "
        f"{rel.ece:.3f}. Bins " + "; ".join(bins),
    )
    return axes

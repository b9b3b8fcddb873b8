"""Figures used by the chapters.

Every function draws on the axes it is given (``ax=None`` or ``axes=None``
creates a new figure), returns what it drew on and never calls ``plt.show()``:
a notebook shows the figure at the end of the cell, a script saves it.
"""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np

from fashion_lessons.data import CLASS_NAMES

# Okabe-Ito colours: distinguishable with colour-blindness, mid-luminance so
# they read on a light and on a dark page.
BLUE, ORANGE, GREEN, VERMILLION, GREY = "#0072B2", "#E69F00", "#009E73", "#D55E00", "#8c8c8c"
RIGHT, WRONG = BLUE, VERMILLION


def use_book_style() -> None:
    """Set matplotlib defaults shared by every figure in the book."""
    mpl.rcParams.update(
        {
            "figure.dpi": 110,
            "savefig.dpi": 110,
            "figure.figsize": (6.4, 3.6),
            "font.size": 10,
            "axes.titlesize": 10,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.prop_cycle": mpl.cycler(color=[BLUE, ORANGE, GREEN, VERMILLION, GREY]),
            "image.cmap": "gray_r",
        }
    )


def _show(ax, image):
    """Draw one image without ticks or frame."""
    ax.imshow(image)
    ax.set_axis_off()


def _axes(ax, **subplots_kw):
    """``ax`` itself, or the axes of a new figure."""
    if ax is None:
        _, ax = plt.subplots(**subplots_kw)
    return ax


def _grid(axes, n, ncols, cell=(1.3, 1.5)):
    """A flat array of ``n`` axes: the given ones, or a new grid of ``ncols`` columns."""
    if axes is None:
        nrows = -(-n // ncols)
        _, axes = plt.subplots(
            nrows, ncols, figsize=(cell[0] * ncols, cell[1] * nrows), squeeze=False
        )
    axes = np.asarray(axes).ravel()
    if len(axes) < n:
        raise ValueError(f"{n} images need at least {n} axes, got {len(axes)}")
    for ax in axes[n:]:
        ax.set_axis_off()
    return axes


def plot_image(image, ax=None, title=None, colorbar=True):
    """One grey-scale image, with a colour bar showing the pixel values.

    Parameters
    ----------
    image : ndarray of shape (28, 28)
    ax : matplotlib Axes, optional
    title : str, optional
    colorbar : bool, default True

    Returns
    -------
    matplotlib Axes
    """
    ax = _axes(ax, figsize=(3.6, 3.0))
    _show(ax, image)
    if colorbar:
        ax.figure.colorbar(ax.images[0], ax=ax, fraction=0.046, pad=0.04)
    if title:
        ax.set_title(title)
    return ax


def show_images(images, labels=None, class_names=CLASS_NAMES, ncols=8, axes=None):
    """A grid of images, each captioned with its class name.

    Parameters
    ----------
    images : ndarray of shape (n, 28, 28)
    labels : ndarray of int, shape (n,), optional
    class_names : sequence of str
    ncols : int, default 8
        Columns of the grid created when ``axes`` is None.
    axes : array of matplotlib Axes, optional
        At least ``n`` axes; extra ones are hidden.

    Returns
    -------
    ndarray of matplotlib Axes
    """
    axes = _grid(axes, len(images), ncols)
    for i, (ax, image) in enumerate(zip(axes, images)):
        _show(ax, image)
        if labels is not None:
            ax.set_title(class_names[labels[i]], fontsize=8)
    return axes


def plot_pixel_histogram(images, ax=None, bins=32, color=BLUE):
    """Histogram of all pixel values of ``images`` (log-scaled counts).

    Parameters
    ----------
    images : ndarray of any shape
    ax : matplotlib Axes, optional
    bins : int, default 32

    Returns
    -------
    matplotlib Axes
    """
    ax = _axes(ax, figsize=(5.0, 3.0))
    values = np.asarray(images).ravel()
    ax.hist(values, bins=bins, color=color, log=True)
    ax.set_xlabel("pixel value")
    ax.set_ylabel("number of pixels (log scale)")
    return ax


def plot_history(history, axes=None):
    """Loss and accuracy per epoch, training beside validation.

    Parameters
    ----------
    history : keras.callbacks.History or dict of str to list of float
        ``model.fit``'s return value or its ``history`` dict.
    axes : pair of matplotlib Axes, optional

    Returns
    -------
    ndarray of two matplotlib Axes
        Loss on the left, accuracy on the right.
    """
    hist = getattr(history, "history", history)
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(8.0, 3.2), layout="constrained")
    axes = np.asarray(axes).ravel()
    for ax, metric in zip(axes, ("loss", "accuracy")):
        epochs = np.arange(1, len(hist[metric]) + 1)
        ax.plot(epochs, hist[metric], "o-", color=BLUE, label="training")
        if f"val_{metric}" in hist:
            ax.plot(epochs, hist[f"val_{metric}"], "s--", color=ORANGE, label="validation")
        ax.set_xlabel("epoch")
        ax.set_ylabel(metric)
        ax.set_xticks(epochs)
        ax.grid(alpha=0.3)
        ax.legend(frameon=False)
    return axes


def plot_probabilities(probabilities, true_label=None, ax=None, class_names=CLASS_NAMES):
    """Horizontal bars of the ten class probabilities of one prediction.

    The predicted class is drawn in the "right" colour when it matches
    ``true_label`` and in the "wrong" colour otherwise; the true class is
    outlined and its name set in bold, so colour is never the only cue.

    Parameters
    ----------
    probabilities : ndarray of shape (10,)
    true_label : int, optional
    ax : matplotlib Axes, optional
    class_names : sequence of str

    Returns
    -------
    matplotlib Axes
    """
    ax = _axes(ax, figsize=(4.0, 3.0))
    probabilities = np.asarray(probabilities)
    predicted = int(np.argmax(probabilities))
    colors = [GREY] * len(probabilities)
    colors[predicted] = RIGHT if true_label in (None, predicted) else WRONG
    rows = np.arange(len(probabilities))
    bars = ax.barh(rows, probabilities, color=colors)
    if true_label is not None:
        bars[true_label].set_edgecolor(RIGHT)
        bars[true_label].set_linewidth(2)
    ax.set_yticks(rows, class_names)
    if true_label is not None:
        ax.get_yticklabels()[true_label].set_fontweight("bold")
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("probability")
    # The predicted probability, beside its bar, or inside it when the bar is long.
    p = probabilities[predicted]
    inside = p > 0.8
    ax.text(
        p - 0.02 if inside else p + 0.02,
        predicted,
        f"{p:.0%}",
        va="center",
        ha="right" if inside else "left",
        color="white" if inside else GREY,
        fontsize=8,
        fontweight="bold",
    )
    return ax


def plot_prediction(image, probabilities, true_label=None, axes=None, class_names=CLASS_NAMES):
    """An image beside the bars of its predicted class probabilities.

    Parameters
    ----------
    image : ndarray of shape (28, 28)
    probabilities : ndarray of shape (10,)
    true_label : int, optional
    axes : pair of matplotlib Axes, optional
    class_names : sequence of str

    Returns
    -------
    ndarray of two matplotlib Axes
        The image on the left, the bars on the right.
    """
    if axes is None:
        _, axes = plt.subplots(
            1, 2, figsize=(6.4, 2.6), width_ratios=[1, 1.6], layout="constrained"
        )
    axes = np.asarray(axes).ravel()
    predicted = int(np.argmax(probabilities))
    title = f"predicted: {class_names[predicted]}"
    if true_label is not None:
        title += f"\ntrue: {class_names[true_label]}"
    plot_image(image, ax=axes[0], title=title, colorbar=False)
    plot_probabilities(probabilities, true_label, ax=axes[1], class_names=class_names)
    return axes


def plot_predictions(images, probabilities, labels, ncols=6, axes=None, class_names=CLASS_NAMES):
    """A grid of images captioned with prediction, confidence and a tick or cross.

    Parameters
    ----------
    images : ndarray of shape (n, 28, 28)
    probabilities : ndarray of shape (n, 10)
    labels : ndarray of int, shape (n,)
        The true classes.
    ncols : int, default 6
    axes : array of matplotlib Axes, optional
    class_names : sequence of str

    Returns
    -------
    ndarray of matplotlib Axes
    """
    axes = _grid(axes, len(images), ncols, cell=(1.6, 1.9))
    predicted = np.argmax(probabilities, axis=1)
    for ax, image, probs, guess, label in zip(axes, images, probabilities, predicted, labels):
        _show(ax, image)
        right = guess == label
        mark = "✓" if right else f"✗ true: {class_names[label]}"
        ax.set_title(
            f"{class_names[guess]} {probs[guess]:.0%}\n{mark}",
            fontsize=8.5,
            color=RIGHT if right else WRONG,
        )
    return axes

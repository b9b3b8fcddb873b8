"""Figures of images and predictions (the walkthrough's); its training curves are in ``curves``."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from fashion_lessons.data import CLASS_NAMES
from fashion_lessons.plots._style import (
    BLUE,
    GREY,
    RIGHT,
    WRONG,
    axes_grid,
    draw_image,
    given_axes,
    set_alt,
)


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
    ax = given_axes(ax, figsize=(3.6, 3.0))
    draw_image(ax, image)
    if colorbar:
        ax.figure.colorbar(ax.images[0], ax=ax, fraction=0.046, pad=0.04)
    if title:
        ax.set_title(title)
    set_alt(
        ax,
        f"Grey-scale image{' of a ' + title if title else ''}, "
        f"{image.shape[0]} by {image.shape[1]} pixels, values from {image.min()} to {image.max()}",
    )
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
    axes = axes_grid(axes, len(images), ncols)
    for i, (ax, image) in enumerate(zip(axes, images)):
        draw_image(ax, image)
        if labels is not None:
            ax.set_title(class_names[labels[i]], fontsize=8)
    names = ", ".join(class_names[label] for label in labels) if labels is not None else ""
    set_alt(axes[0], f"Grid of {len(images)} images" + (f": {names}" if names else ""))
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
    ax = given_axes(ax, figsize=(5.0, 3.0))
    values = np.asarray(images).ravel()
    ax.hist(values, bins=bins, color=color, log=True)
    ax.set_xlabel("pixel value")
    ax.set_ylabel("number of pixels (log scale)")
    share = np.mean(values == values.min())
    set_alt(
        ax,
        f"Histogram of {values.size:,} pixel values from {values.min()} to {values.max()}, "
        f"log-scaled counts; {share:.0%} of the pixels are {values.min()}",
    )
    return ax


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
    ax = given_axes(ax, figsize=(4.0, 3.0))
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
    set_alt(ax, _probabilities_alt(probabilities, true_label, class_names))
    return ax


def _probabilities_alt(probabilities, true_label, class_names):
    predicted = int(np.argmax(probabilities))
    text = (
        f"Bar chart of the ten class probabilities: {class_names[predicted]} "
        f"{probabilities[predicted]:.0%}"
    )
    if true_label is not None and true_label != predicted:
        text += f", true class {class_names[true_label]} {probabilities[true_label]:.0%}"
    return text


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
    verdict = "" if true_label is None else (" (right)" if true_label == predicted else " (wrong)")
    set_alt(
        axes[0],
        f"Image predicted as {class_names[predicted]}{verdict}, beside "
        + _probabilities_alt(probabilities, true_label, class_names)[0].lower()
        + _probabilities_alt(probabilities, true_label, class_names)[1:],
    )
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
    axes = axes_grid(axes, len(images), ncols, cell=(1.6, 1.9))
    predicted = np.argmax(probabilities, axis=1)
    for ax, image, probs, guess, label in zip(axes, images, probabilities, predicted, labels):
        draw_image(ax, image)
        right = guess == label
        mark = "✓" if right else f"✗ true: {class_names[label]}"
        ax.set_title(
            f"{class_names[guess]} {probs[guess]:.0%}\n{mark}",
            fontsize=8.5,
            color=RIGHT if right else WRONG,
        )
    n_right = int(np.sum(predicted == labels))
    set_alt(
        axes[0],
        f"Grid of {len(images)} test images with predictions: {n_right} right, "
        f"{len(images) - n_right} wrong",
    )
    return axes

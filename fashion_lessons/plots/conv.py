"""Figures of convolutions: kernels, feature maps and learned filters."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from fashion_lessons.plots._style import SIGNED_CMAP, axes_grid, draw_image, set_alt

__all__ = ["plot_correlation", "plot_feature_maps", "plot_filters"]


def _signed(ax, values, limit=None):
    """Draw signed ``values`` centred on zero, without ticks or frame."""
    limit = limit if limit is not None else (float(np.abs(values).max()) or 1.0)
    image = ax.imshow(values, cmap=SIGNED_CMAP, vmin=-limit, vmax=limit)
    ax.set_axis_off()
    return image


def plot_correlation(image, kernel, response=None, axes=None, title=None):
    """An image, a kernel with its weights written in, and the kernel's response map.

    Parameters
    ----------
    image : ndarray of shape (height, width)
    kernel : ndarray of shape (k_h, k_w)
        Small enough to print its values (up to 5 x 5).
    response : ndarray, optional
        The result of sliding ``kernel`` over ``image``; computed with
        :func:`fashion_lessons.conv.correlate2d` when omitted.
    axes : three matplotlib Axes, optional
    title : str, optional
        Name of the kernel, used in the titles.

    Returns
    -------
    ndarray of three matplotlib Axes
        Image, kernel, response.
    """
    from fashion_lessons.conv import correlate2d

    response = correlate2d(image, kernel) if response is None else np.asarray(response)
    if axes is None:
        _, axes = plt.subplots(
            1, 3, figsize=(7.6, 2.8), width_ratios=[1, 0.6, 1], layout="constrained"
        )
    axes = np.asarray(axes).ravel()
    draw_image(axes[0], image)
    axes[0].set_title("input")
    _signed(axes[1], kernel)
    limit = float(np.abs(kernel).max()) or 1.0
    for (i, j), w in np.ndenumerate(kernel):
        # The cell's colour is the same on both themes, so the text is black or white
        # by the cell (not the page's foreground, which the dark version re-colours).
        pale = abs(w) < 0.6 * limit
        color = "black" if pale else "white"
        axes[1].text(j, i, f"{w:g}", ha="center", va="center", fontsize=9, color=color)
    axes[1].set_title(f"kernel{': ' + title if title else ''}")
    bar = _signed(axes[2], response)
    axes[2].set_title("response")
    axes[0].figure.colorbar(bar, ax=axes[2], fraction=0.046, pad=0.04)
    strongest = np.unravel_index(np.abs(response).argmax(), response.shape)
    set_alt(
        axes[0],
        f"Three panels: a {image.shape[0]} by {image.shape[1]} input image, the "
        f"{kernel.shape[0]} by {kernel.shape[1]} kernel"
        f"{' (' + title + ')' if title else ''} with weights {kernel.ravel().tolist()}, and its "
        f"{response.shape[0]} by {response.shape[1]} response, from {response.min():.2f} to "
        f"{response.max():.2f}, strongest at row {strongest[0]}, column {strongest[1]}",
    )
    return axes


def plot_filters(kernel, ncols=8, axes=None, names=None):
    """The filters of a convolutional layer's first input channel, as small images.

    Each filter is drawn with the signed colour map scaled to its own largest
    weight, so the pattern it responds to shows whatever its size.

    Parameters
    ----------
    kernel : ndarray of shape (k_h, k_w, in_channels, filters)
        A ``Conv2D`` layer's weights (``layer.get_weights()[0]``); channel 0 is drawn.
    ncols : int, default 8
    axes : array of matplotlib Axes, optional
    names : sequence of str, optional
        A title for each filter; by default its number.

    Returns
    -------
    ndarray of matplotlib Axes
    """
    kernel = np.asarray(kernel)
    n = kernel.shape[-1]
    axes = axes_grid(axes, n, ncols, cell=(0.9, 1.0))
    for f, ax in zip(range(n), axes):
        _signed(ax, kernel[:, :, 0, f])
        ax.set_title(names[f] if names is not None else str(f + 1), fontsize=8)
    set_alt(
        axes[0],
        f"Grid of {n} learned {kernel.shape[0]} by {kernel.shape[1]} filters, "
        "weights coloured from blue (negative) through white to red (positive)",
    )
    return axes


def plot_feature_maps(maps, ncols=8, axes=None, limit=None):
    """Every channel of one image's feature maps, as a grid of small images.

    Each map is drawn on its own scale, from 0 (white) to its largest value.

    Parameters
    ----------
    maps : ndarray of shape (height, width, channels)
        A layer's output for one image.
    ncols : int, default 8
    axes : array of matplotlib Axes, optional
    limit : int, optional
        Draw only the first ``limit`` channels.

    Returns
    -------
    ndarray of matplotlib Axes
    """
    maps = np.asarray(maps)
    n = maps.shape[-1] if limit is None else min(limit, maps.shape[-1])
    axes = axes_grid(axes, n, ncols, cell=(0.9, 1.0))
    for c, ax in zip(range(n), axes):
        # each map on its own scale: weak filters would otherwise vanish beside strong ones
        ax.imshow(maps[:, :, c], cmap="gray_r", vmin=0, vmax=float(maps[:, :, c].max()) or 1.0)
        ax.set_axis_off()
        ax.set_title(str(c + 1), fontsize=8)
    silent = int(np.sum(maps[..., :n].max(axis=(0, 1)) <= 0))
    which = f"{n}" if n == maps.shape[-1] else f"the first {n} of {maps.shape[-1]}"
    zero = {0: "none of them is", 1: "1 of them is"}.get(silent, f"{silent} of them are")
    set_alt(
        axes[0],
        f"Grid of {which} feature maps of {maps.shape[0]} by {maps.shape[1]} values, each dark "
        f"where its filter responds most strongly; {zero} zero everywhere",
    )
    return axes

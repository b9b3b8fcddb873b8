"""Figures of the weights chapter: what a bias does, initializations compared, learned weights."""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import FancyArrowPatch

from fashion_lessons.layers import get_activation
from fashion_lessons.plots._style import (
    ORANGE,
    RUN_STYLES,
    SIGNED_CMAP,
    VERMILLION,
    set_alt,
)

__all__ = [
    "plot_activation_spread",
    "plot_bias_boundary",
    "plot_weight_images",
]


def plot_bias_boundary(w=(1.0, 2.0), biases=(-2.0, 0.0, 2.0), f="sigmoid", axes=None):
    r"""A two-input neuron's output over the input plane, one panel per bias.

    Each panel shades :math:`y = f(w_1 x_1 + w_2 x_2 + b)` and draws the
    neuron's threshold, the line :math:`w \cdot x + b = 0` (where a sigmoid
    neuron outputs 0.5 and a ReLU neuron switches on), with the weight vector
    :math:`w` as an arrow from the origin. The line is perpendicular to
    :math:`w`; the bias slides it along :math:`w`, to a signed distance
    :math:`-b / \lVert w \rVert` from the origin.

    Parameters
    ----------
    w : pair of float, default (1, 2)
        The neuron's two weights.
    biases : sequence of float, default (-2, 0, 2)
        One panel per bias.
    f : str or callable, default "sigmoid"
        The activation.
    axes : sequence of matplotlib Axes, optional
        One per bias.

    Returns
    -------
    ndarray of matplotlib Axes
    """
    w = np.asarray(w, dtype=float)
    if w.shape != (2,) or not np.any(w):
        raise ValueError(f"w must be two weights, not both zero, got {w}")
    biases = list(biases)
    if axes is None:
        _, axes = plt.subplots(
            1, len(biases), figsize=(2.1 * len(biases) + 0.8, 2.7), layout="constrained"
        )
    axes = np.atleast_1d(np.asarray(axes)).ravel()
    act = get_activation(f)
    name = f if isinstance(f, str) else getattr(f, "__name__", "f")
    grid = np.linspace(-3, 3, 241)
    x1, x2 = np.meshgrid(grid, grid)
    norm = np.linalg.norm(w)
    distances = [-b / norm + 0.0 for b in biases]  # + 0.0 turns -0.0 into 0.0
    for ax, b, distance in zip(axes, biases, distances):
        y = act(w[0] * x1 + w[1] * x2 + b)
        image = ax.imshow(
            y,
            extent=(-3, 3, -3, 3),
            origin="lower",
            cmap="Blues",
            vmin=0,
            vmax=max(1.0, float(y.max())),
            alpha=0.85,
        )
        # The threshold line w·x + b = 0: the foot of the perpendicular from the
        # origin is at distance -b/|w| along w, and the line runs perpendicular to w.
        foot = distance * w / norm
        along = np.array([-w[1], w[0]]) / norm
        ends = np.array([foot - 6 * along, foot + 6 * along])
        ax.plot(ends[:, 0], ends[:, 1], color=VERMILLION, ls="--", lw=2, label="$w·x + b = 0$")
        ax.add_patch(
            FancyArrowPatch(
                (0, 0), w, arrowstyle="-|>", mutation_scale=12, color=ORANGE, lw=2, zorder=3
            )
        )
        ax.text(w[0] + 0.1, w[1] + 0.05, "$w$", color=ORANGE, fontsize=12, fontweight="bold")
        ax.plot([0], [0], "o", color=ORANGE, ms=4)
        ax.set_xlim(-3, 3)
        ax.set_ylim(-3, 3)
        ax.set_aspect("equal")
        ax.set_title(f"$b = {b:g}$, distance {distance:+.2f}", fontsize=9)
        ax.set_xlabel("$x_1$")
    axes[0].set_ylabel("$x_2$")
    handles, labels = axes[0].get_legend_handles_labels()
    axes[0].figure.legend(handles, labels, loc="outside lower center", frameon=False)
    colorbar = axes[0].figure.colorbar(image, ax=list(axes), fraction=0.03, pad=0.02)
    colorbar.set_label(f"output $y = \\mathrm{{{name}}}(w·x + b)$")
    set_alt(
        axes[0],
        f"{len(biases)} heat maps of a {name} neuron with weights w = ({w[0]:g}, {w[1]:g}) over "
        f"x1 and x2 from -3 to 3, for biases {', '.join(f'{b:g}' for b in biases)}. The dashed "
        "threshold line, perpendicular to the arrow w, sits at signed distance "
        f"{', '.join(f'{d:+.2f}' for d in distances)} from the origin along w: the bias "
        "slides it without turning it; the output is high on the side w points to.",
    )
    return axes


def plot_activation_spread(spreads, axes=None):
    """Spread of the activations layer by layer, one line per initialization, log scale.

    Parameters
    ----------
    spreads : dict of str to dict of str to ndarray
        ``{panel title: {curve label: stds}}``, e.g. ``{"ReLU": {"He normal":
        array of shape (depth + 1,)}}``, the standard deviations of the input
        (element 0) and of the activations of each layer ``l`` (element ``l``)
        of a deep untrained stack, as the weights-and-biases chapter measures them.
    axes : sequence of matplotlib Axes, optional
        One per panel.

    Returns
    -------
    ndarray of matplotlib Axes
    """
    if axes is None:
        _, axes = plt.subplots(
            1,
            len(spreads),
            figsize=(max(5.6, 4.0 * len(spreads)), 3.6),
            sharey=True,
            layout="constrained",
        )
    axes = np.atleast_1d(np.asarray(axes)).ravel()
    descriptions = []
    for ax, (title, curves) in zip(axes, spreads.items()):
        for (color, marker, ls), (label, stds) in zip(RUN_STYLES, curves.items()):
            stds = np.asarray(stds, dtype=float)
            ax.semilogy(
                np.arange(len(stds)), stds, color=color, ls=ls, marker=marker, ms=5, label=label
            )
            descriptions.append(f"{title} {label}: from {stds[0]:.2g} to {stds[-1]:.2g}")
        depth = len(stds) - 1
        ax.set_title(f"{title} activations")
        ax.set_xlabel("layer (0 = input)")
        ax.set_xticks(np.arange(0, depth + 1, 1 if depth <= 12 else 2))
        ax.grid(alpha=0.3, which="major")
    axes[0].set_ylabel("standard deviation of the activations")
    handles, labels = axes[0].get_legend_handles_labels()
    axes[0].figure.legend(
        handles, labels, loc="outside lower center", ncols=min(4, len(labels)), frameon=False
    )
    set_alt(
        axes[0],
        f"Line charts, log scale, of the standard deviation of the activations after each of "
        f"{depth} layers: " + "; ".join(descriptions) + ".",
    )
    return axes


def _index_list(units) -> str:
    """``"neurons 0 to 31"`` for a run of consecutive indices, else the list."""
    if list(units) == list(range(units[0], units[0] + len(units))):
        return f"neurons {units[0]} to {units[-1]}"
    return "neurons " + ", ".join(str(j) for j in units)


def plot_weight_images(
    W,
    units=None,
    ncols: int = 8,
    shape=(28, 28),
    highlight=None,
    highlight_label: str = "inactive",
    titles=None,
    axes=None,
):
    """Columns of a weight matrix drawn as images: what each neuron looks for in the input.

    Each panel is one neuron's weights, reshaped to the input's layout, with a
    diverging colour map centred at 0: red where a bright pixel excites the
    neuron, blue where it inhibits it, white where the pixel hardly matters.
    Each panel has its own scale, ±(99th percentile of its absolute weights), so
    that a few extreme weights (often at the rarely lit border) do not wash out
    the rest; weights beyond it are drawn in the full colour.

    Parameters
    ----------
    W : ndarray of shape (n_in, n_out)
        E.g. the first Dense layer's kernel, (784, 128).
    units : sequence of int, optional
        Which columns to draw; by default all of them.
    ncols : int, default 8
        Columns of the grid created when ``axes`` is None.
    shape : pair of int, default (28, 28)
        Layout of one input; ``n_in`` must equal its product.
    highlight : array_like of bool, shape (n_out,), optional
        Neurons to mark: their title gets ``highlight_label`` and is coloured.
    highlight_label : str, default "inactive"
    titles : sequence of str, optional
        One title per drawn neuron, instead of "neuron j" (e.g. class names).
    axes : array of matplotlib Axes, optional

    Returns
    -------
    ndarray of matplotlib Axes
    """
    W = np.asarray(W)
    if W.ndim != 2 or W.shape[0] != np.prod(shape):
        raise ValueError(f"W must have shape ({np.prod(shape)}, n_out), got {W.shape}")
    units = list(range(W.shape[1]) if units is None else units)
    if axes is None:
        nrows = -(-len(units) // ncols)
        _, axes = plt.subplots(
            nrows,
            ncols,
            figsize=(1.1 * ncols + 0.9, 1.25 * nrows + 0.35),
            squeeze=False,
            layout="constrained",
        )
    axes = np.asarray(axes).ravel()
    if len(axes) < len(units):
        raise ValueError(f"{len(units)} neurons need at least {len(units)} axes, got {len(axes)}")
    marked = 0
    for k, (ax, j) in enumerate(zip(axes, units)):
        column = W[:, j]
        limit = float(np.percentile(np.abs(column), 99)) or 1.0
        ax.imshow(column.reshape(shape), cmap=SIGNED_CMAP, vmin=-limit, vmax=limit)
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_visible(False)
        title = titles[k] if titles is not None else f"neuron {j}"
        if highlight is not None and highlight[j]:
            marked += 1
            title = f"{j} {highlight_label}" if titles is None else f"{title}, {highlight_label}"
            ax.set_title(title, fontsize=7.5, color=VERMILLION, fontweight="bold")
        else:
            ax.set_title(title, fontsize=7.5)
    for ax in axes[len(units) :]:
        ax.set_axis_off()
    colorbar = axes[0].figure.colorbar(
        mpl.cm.ScalarMappable(mpl.colors.Normalize(-1, 1), SIGNED_CMAP),
        ax=list(axes),
        fraction=0.025,
        pad=0.02,
        ticks=[-1, 0, 1],
    )
    colorbar.ax.set_yticklabels(["−", "0", "+"])
    colorbar.set_label("weight, scaled per panel", fontsize=8)
    chosen = W[:, units]
    names = ", ".join(titles) if titles is not None else _index_list(units)
    text = (
        f"Grid of {len(units)} images, {shape[0]} by {shape[1]} pixels, each the weights of "
        f"one neuron ({names}), red positive and blue negative, values from "
        f"{chosen.min():.3f} to {chosen.max():.3f}"
    )
    if highlight is not None:
        text += f"; {marked} of them marked {highlight_label}"
    set_alt(axes[0], text + ".")
    return axes

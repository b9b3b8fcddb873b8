"""Figures of the neurons chapter: one neuron, where its bias goes, and a network diagram."""

from __future__ import annotations

from itertools import pairwise

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

from fashion_lessons.layers import get_activation
from fashion_lessons.plots._style import (
    BLUE,
    GREEN,
    GREY,
    ORANGE,
    SIGNED_CMAP,
    VERMILLION,
    _axes,
    set_alt,
)

__all__ = [
    "plot_bias_placement",
    "plot_network",
    "plot_neuron_diagram",
    "plot_neuron_on_image",
]


def _fg():
    """The foreground colour of the current style, for arrows and outlines."""
    return plt.rcParams["text.color"]


def _arrow(ax, start, end, color=None, lw=1.2):
    """An arrow from ``start`` to ``end`` in data coordinates.

    A patch of the axes (not an annotation), so that the dark-page version of
    the figure re-colours it with everything else.
    """
    arrow = FancyArrowPatch(
        start,
        end,
        arrowstyle="-|>",
        mutation_scale=12,
        color=color or _fg(),
        lw=lw,
        shrinkA=0,
        shrinkB=0,
    )
    ax.add_patch(arrow)
    return arrow


def _unit(ax, center, radius, color):
    """A unit: a circle with a translucent fill and a full-colour rim.

    Nothing is painted in the page's colour (the figure also goes on a dark page),
    so lines must stop at the rim rather than be hidden under the circle.
    """
    ax.add_patch(Circle(center, radius, facecolor=color, alpha=0.25, lw=0, zorder=2))
    ax.add_patch(Circle(center, radius, fill=False, edgecolor=color, lw=1.6, zorder=2))


def plot_neuron_diagram(n_inputs: int = 3, ax=None):
    r"""A schematic neuron: inputs, weights, sum with bias, activation, output.

    Draws inputs :math:`x_1, \dots, x_n` (the first ``n_inputs`` of them, a "⋮"
    and :math:`x_n`), an arrow from each labelled with its weight, a summing
    node that also receives the bias :math:`b`, the activation :math:`f` and the
    output :math:`y = f(\sum_i w_i x_i + b)`.

    Parameters
    ----------
    n_inputs : int, default 3
        Inputs drawn before the "⋮" (plus the last one, :math:`x_n`).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
    """
    ax = _axes(ax, figsize=(5.6, 3.6))
    labels = [f"$x_{{{i}}}$" for i in range(1, n_inputs + 1)] + ["⋮", "$x_n$"]
    weights = [f"$w_{{{i}}}$" for i in range(1, n_inputs + 1)] + [None, "$w_n$"]
    ys = np.linspace(1.9, -1.9, len(labels))
    body, act, out = (3.2, 0.0), (5.1, 0.0), (6.7, 0.0)
    r = 0.32
    for label, weight, y in zip(labels, weights, ys):
        if label == "⋮":
            ax.text(0, y, "⋮", ha="center", va="center", fontsize=16)
            continue
        _unit(ax, (0, y), r, BLUE)
        ax.text(0, y, label, ha="center", va="center", fontsize=11)
        # Arrow from the input's rim to the summing node's rim.
        d = np.subtract(body, (0, y))
        u = d / np.hypot(*d)
        _arrow(ax, (0, y) + u * r, np.subtract(body, u * 0.55), color=BLUE, lw=1.0)
        mid = (0, y) + d * 0.3
        ax.text(
            mid[0],
            mid[1] + 0.08,
            weight,
            ha="center",
            va="bottom",
            fontsize=10,
            color=BLUE,
            rotation=np.degrees(np.arctan2(d[1], d[0])),
            rotation_mode="anchor",
        )
    # The summing node, its bias, the activation and the output.
    _unit(ax, body, 0.55, ORANGE)
    ax.text(*body, r"$\Sigma$", ha="center", va="center", fontsize=18)
    _arrow(ax, (body[0], -2.0), (body[0], -0.58), color=VERMILLION, lw=1.2)
    ax.text(body[0] + 0.12, -1.55, "bias $b$", ha="left", va="center", color=VERMILLION)
    _arrow(ax, (body[0] + 0.57, 0), (act[0] - 0.45, 0))
    ax.text((body[0] + act[0]) / 2, 0.08, "$z$", ha="center", va="bottom", fontsize=12)
    ax.add_patch(
        FancyBboxPatch(
            (act[0] - 0.42, -0.38),
            0.84,
            0.76,
            boxstyle="round,pad=0.02,rounding_size=0.15",
            facecolor=GREEN,
            alpha=0.25,
            edgecolor=GREEN,
            lw=1.5,
        )
    )
    ax.text(*act, "$f$", ha="center", va="center", fontsize=15)
    ax.text(act[0], 0.55, "activation", ha="center", va="bottom", fontsize=9)
    _arrow(ax, (act[0] + 0.44, 0), (out[0] - 0.05, 0))
    ax.text(out[0] + 0.05, 0, "$y$", ha="left", va="center", fontsize=13)
    ax.text(
        3.4,
        -2.55,
        r"$y = f\left(\sum_{i=1}^{n} w_i x_i + b\right)$",
        ha="center",
        va="top",
        fontsize=12,
    )
    ax.set_xlim(-0.6, 7.2)
    ax.set_ylim(-3.1, 2.4)
    ax.set_aspect("equal")
    ax.set_axis_off()
    set_alt(
        ax,
        f"Diagram of one neuron: inputs x1 to x{n_inputs} and xn, each with an arrow "
        "labelled with its weight w1 to wn, lead to a summing node Sigma that also "
        "receives the bias b from below; its result z goes through the activation f "
        "to the output y = f(sum of w_i x_i + b).",
    )
    return ax


def plot_bias_placement(w: float = 1.0, biases=(-1.5, 0.0, 1.5), f="relu", axes=None):
    r"""Bias inside the activation, :math:`f(wx + b)`, beside bias outside, :math:`f(wx) + b`.

    Inside, the bias moves the point where the neuron switches on (the kink of
    ReLU, at :math:`x = -b/w`); outside, it only lifts the output and the
    switching point stays at :math:`x = 0`. Kinks are marked with dots.

    Parameters
    ----------
    w : float, default 1.0
        The neuron's one weight.
    biases : sequence of float, default (-1.5, 0, 1.5)
        Up to four bias values, one curve each.
    f : str or callable, default "relu"
        The activation (see :func:`fashion_lessons.layers.get_activation`).
    axes : pair of matplotlib Axes, optional

    Returns
    -------
    ndarray of two matplotlib Axes
        Bias inside on the left, outside on the right.
    """
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(6.6, 2.9), sharey=True, layout="constrained")
    axes = np.asarray(axes).ravel()
    act = get_activation(f)
    name = f if isinstance(f, str) else getattr(f, "__name__", "f")
    x = np.linspace(-4, 4, 801)
    styles = [(BLUE, "-"), (ORANGE, "--"), (GREEN, ":"), (VERMILLION, "-.")]
    for (color, ls), b in zip(styles, biases):
        kink = -b / w
        label = f"$b = {b:g}$"
        axes[0].plot(x, act(w * x + b), color=color, ls=ls, lw=2, label=label)
        axes[0].plot([kink], [act(np.array(w * kink + b))], "o", color=color, ms=6)
        axes[1].plot(x, act(w * x) + b, color=color, ls=ls, lw=2, label=label)
        axes[1].plot([0.0], [act(np.array(0.0)) + b], "o", color=color, ms=6)
    titles = [
        f"bias inside: $y = \\mathrm{{{name}}}(wx + b)$",
        f"bias outside: $y = \\mathrm{{{name}}}(wx) + b$",
    ]
    for ax, title in zip(axes, titles):
        ax.set_title(title)
        ax.set_xlabel("input $x$")
        ax.axhline(0, color=GREY, lw=0.8, zorder=0)
        ax.axvline(0, color=GREY, lw=0.8, zorder=0)
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("output $y$")
    axes[0].legend(frameon=False, loc="upper left")
    kinks = ", ".join(f"{-b / w:g}" for b in biases)
    set_alt(
        axes[0],
        f"Two line charts of a {name} neuron with weight {w:g} for biases "
        f"{', '.join(f'{b:g}' for b in biases)}. With the bias inside the activation the "
        f"switching point (dot) moves to x = {kinks}; with the bias outside every curve "
        "switches at x = 0 and is only shifted up or down by b.",
    )
    return axes


def plot_neuron_on_image(image, w, b, f="sigmoid", axes=None):
    r"""One neuron at work on one image: input, weights, their products and the result.

    Parameters
    ----------
    image : ndarray of shape (28, 28) or (784,)
        The input, e.g. pixels scaled to [0, 1].
    w : ndarray of shape (784,) or (28, 28)
        The neuron's weights, drawn in the image's layout with a diverging colour
        map centred at 0 (red positive, blue negative).
    b : float
        The neuron's bias.
    f : str or callable, default "sigmoid"
        The activation.
    axes : sequence of three matplotlib Axes, optional

    Returns
    -------
    ndarray of three matplotlib Axes
        Input, weights and products :math:`w_i x_i`.
    """
    if axes is None:
        _, axes = plt.subplots(1, 3, figsize=(6.8, 2.7), layout="constrained")
    axes = np.asarray(axes).ravel()
    side = round(np.sqrt(np.size(image)))
    x = np.asarray(image, dtype=float).reshape(side, side)
    w = np.asarray(w, dtype=float).reshape(side, side)
    products = w * x
    total = float(products.sum())
    z = total + float(b)
    y = float(get_activation(f)(np.array(z)))
    name = f if isinstance(f, str) else getattr(f, "__name__", "f")
    panels = [
        (x, None, f"input $x$ ({x.size} pixels)"),
        (w, SIGNED_CMAP, "weights $w$"),
        (products, SIGNED_CMAP, "products $w_i x_i$"),
    ]
    for ax, (values, cmap, title) in zip(axes, panels):
        if cmap is None:
            im = ax.imshow(values, vmin=0, vmax=max(1.0, values.max()))
        else:
            limit = np.abs(values).max() or 1.0
            im = ax.imshow(values, cmap=cmap, vmin=-limit, vmax=limit)
        ax.set_title(title)
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_visible(False)
        ax.figure.colorbar(im, ax=ax, fraction=0.046, pad=0.03)
    axes[1].set_xlabel(
        f"$z = \\sum_i w_i x_i + b = {total:.2f} {'+' if b >= 0 else '-'} {abs(b):.2f} "
        f"= {z:.2f}$,   $y = \\mathrm{{{name}}}(z) = {y:.3f}$",
        fontsize=10,
        labelpad=8,
    )
    set_alt(
        axes[0],
        f"Three {side} by {side} images: the input, the neuron's weights (red positive, "
        f"blue negative, from {w.min():.2f} to {w.max():.2f}) and their products (from "
        f"{products.min():.2f} to {products.max():.2f}). The products sum to {total:.2f}; "
        f"with the bias {b:.2f} that makes z = {z:.2f} and output {name}(z) = {y:.3f}.",
    )
    return axes


def _shown_units(n: int, max_units: int) -> list[int | None]:
    """Indices (0-based) of the units drawn for a layer of ``n``; None marks the "⋮"."""
    if n <= max_units:
        return list(range(n))
    head = (max_units - 1) // 2 + (max_units - 1) % 2
    tail = max_units - 1 - head
    return [*range(head), None, *range(n - tail, n)]


def plot_network(
    sizes,
    names=None,
    activations=None,
    unit_labels=None,
    max_units: int = 7,
    show_params: bool = True,
    ax=None,
):
    """A fully connected network drawn from its layer sizes, large layers elided.

    Each layer is a column of units. A layer with more than ``max_units`` units
    shows its first and last few, with a "⋮" and the number left out ("+778")
    between them. Every drawn unit is connected to every drawn unit of the next layer,
    as in a dense layer. Layers are named above and sized below; between two
    layers, the number of weights and biases of the dense layer joining them.

    Parameters
    ----------
    sizes : sequence of int
        Units per layer, input first, e.g. ``[784, 128, 10]``.
    names : sequence of str, optional
        One name per layer; by default "input layer", "hidden layer" (numbered
        when there are several) and "output layer".
    activations : sequence of str, optional
        Activation of each non-input layer, shown under its size.
    unit_labels : sequence of str, optional
        Names of the output units (e.g. the class names), written beside them.
    max_units : int, default 7
        Most slots drawn per layer, the "⋮" included.
    show_params : bool, default True
        Write "n_in × n_out weights + n_out biases" between layers.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
    """
    sizes = [int(n) for n in sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"a network needs at least two positive layer sizes, got {sizes}")
    if max_units < 3:
        raise ValueError("max_units must be at least 3 (first unit, '⋮', last unit)")
    n_layers = len(sizes)
    if names is None:
        hidden = n_layers - 2
        names = (
            ["input layer"]
            + [f"hidden layer {i}" if hidden > 1 else "hidden layer" for i in range(1, hidden + 1)]
            + ["output layer"]
        )
    dx, dy, r = 3.4, 0.85, 0.32
    shown = [_shown_units(n, max_units) for n in sizes]
    slots = max(len(s) for s in shown)
    top = (slots - 1) / 2 * dy + 0.7
    bottom = -(slots - 1) / 2 * dy - 0.7
    x_limits = (-1.1, (n_layers - 1) * dx + (1.9 if unit_labels is not None else 1.2))
    y_limits = (bottom - (2.0 if show_params else 1.0), top + 0.45)
    if ax is None:
        scale = 0.52  # inches per data unit
        _, ax = plt.subplots(
            figsize=(np.ptp(x_limits) * scale, np.ptp(y_limits) * scale), layout="constrained"
        )
    colors = [BLUE] + [ORANGE] * (n_layers - 2) + [GREEN]
    symbols = ["x"] + ["h"] * (n_layers - 2) + ["y"]
    positions = []  # per layer: [(index or None, (x, y))]
    for layer, units in enumerate(shown):
        ys = (np.arange(len(units))[::-1] - (len(units) - 1) / 2) * dy
        positions.append([(i, (layer * dx, y)) for i, y in zip(units, ys)])
    # Connections first, so the units are drawn on top of them.
    n_lines = 0
    for left, right in pairwise(positions):
        for i, (x0, y0) in left:
            for j, (x1, y1) in right:
                if i is None or j is None:
                    continue
                ax.plot([x0 + r, x1 - r], [y0, y1], color=GREY, lw=0.6, alpha=0.55, zorder=1)
                n_lines += 1
    for layer, (units, color, symbol) in enumerate(zip(positions, colors, symbols)):
        for i, (x, y) in units:
            if i is None:
                # The "⋮" and the count of units not drawn stay inside the column,
                # where no connection line passes.
                hidden = sizes[layer] - (len(units) - 1)
                ax.text(x, y + 0.13, "⋮", ha="center", va="center", fontsize=13, zorder=3)
                ax.text(x, y - 0.3, f"+{hidden:,}", ha="center", va="center", fontsize=7)
                continue
            _unit(ax, (x, y), r, color)
            ax.text(x, y, f"${symbol}_{{{i + 1}}}$", ha="center", va="center", fontsize=8, zorder=3)
            if layer == n_layers - 1 and unit_labels is not None:
                ax.text(x + r + 0.15, y, unit_labels[i], ha="left", va="center", fontsize=8)
    for layer, (n, name) in enumerate(zip(sizes, names)):
        x = layer * dx
        ax.text(x, top, name, ha="center", va="bottom", fontweight="bold", color=colors[layer])
        below = f"{n:,} units"
        if layer > 0 and activations is not None:
            below += f"\n{activations[layer - 1]}"
        elif layer == 0:
            below += "\n(the inputs)"
        ax.text(x, bottom, below, ha="center", va="top", fontsize=9)
    if show_params:
        for layer, (n_in, n_out) in enumerate(pairwise(sizes)):
            ax.text(
                (layer + 0.5) * dx,
                bottom - 0.95,
                f"{n_in:,} × {n_out:,} weights\n+ {n_out:,} biases",
                ha="center",
                va="top",
                fontsize=8.5,
                style="italic",
            )
    ax.set_xlim(*x_limits)
    ax.set_ylim(*y_limits)
    ax.set_aspect("equal")
    ax.set_axis_off()
    n_params = sum(n_in * n_out + n_out for n_in, n_out in pairwise(sizes))
    elided = [n - (len(s) - 1) if None in s else 0 for n, s in zip(sizes, shown)]
    layers_text = ", ".join(f"{name} of {n:,} units" for name, n in zip(names, sizes))
    elided_text = ", ".join(f"{k:,}" for k in elided)
    set_alt(
        ax,
        f"Diagram of a fully connected network: {layers_text}. Each layer shows at most "
        f"{max_units - 1} units, with a vertical ellipsis standing for the others "
        f"({elided_text} not drawn); every drawn unit is linked to every drawn unit of the "
        f"next layer ({n_lines} lines drawn). In all {n_params:,} weights and biases.",
    )
    return ax

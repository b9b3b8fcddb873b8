"""Figures of a whole network: its layers as columns of units, every connection drawn."""

from __future__ import annotations

from itertools import pairwise

import matplotlib.pyplot as plt
import numpy as np

from fashion_lessons.plots._style import (
    BLUE,
    GREEN,
    GREY,
    ORANGE,
    set_alt,
    unit_circle,
)

__all__ = ["plot_network"]


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
            unit_circle(ax, (x, y), r, color)
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

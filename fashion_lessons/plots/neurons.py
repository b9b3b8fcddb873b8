"""Figures of the neurons chapter: one neuron and where its bias goes (networks: ``network``)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import FancyBboxPatch

from fashion_lessons.layers import get_activation
from fashion_lessons.plots._style import (
    BLUE,
    GREEN,
    GREY,
    ORANGE,
    SIGNED_CMAP,
    VERMILLION,
    arrow,
    given_axes,
    set_alt,
    unit_circle,
)

__all__ = [
    "plot_bias_placement",
    "plot_neuron_diagram",
    "plot_neuron_on_image",
]


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
    ax = given_axes(ax, figsize=(5.6, 3.6))
    labels = [f"$x_{{{i}}}$" for i in range(1, n_inputs + 1)] + ["⋮", "$x_n$"]
    weights = [f"$w_{{{i}}}$" for i in range(1, n_inputs + 1)] + [None, "$w_n$"]
    ys = np.linspace(1.9, -1.9, len(labels))
    body, act, out = (3.2, 0.0), (5.1, 0.0), (6.7, 0.0)
    r = 0.32
    for label, weight, y in zip(labels, weights, ys):
        if label == "⋮":
            ax.text(0, y, "⋮", ha="center", va="center", fontsize=16)
            continue
        unit_circle(ax, (0, y), r, BLUE)
        ax.text(0, y, label, ha="center", va="center", fontsize=11)
        # Arrow from the input's rim to the summing node's rim.
        d = np.subtract(body, (0, y))
        u = d / np.hypot(*d)
        arrow(ax, (0, y) + u * r, np.subtract(body, u * 0.55), color=BLUE, lw=1.0)
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
    unit_circle(ax, body, 0.55, ORANGE)
    ax.text(*body, r"$\Sigma$", ha="center", va="center", fontsize=18)
    arrow(ax, (body[0], -2.0), (body[0], -0.58), color=VERMILLION, lw=1.2)
    ax.text(body[0] + 0.12, -1.55, "bias $b$", ha="left", va="center", color=VERMILLION)
    arrow(ax, (body[0] + 0.57, 0), (act[0] - 0.45, 0))
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
    arrow(ax, (act[0] + 0.44, 0), (out[0] - 0.05, 0))
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

"""Figures of the activations chapter: activation curves, fits and gradients per layer."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from fashion_lessons import activations as act
from fashion_lessons.plots._style import BLUE, GREY, ORANGE, RUN_STYLES, given_axes, set_alt

__all__ = ["activation_curves", "plot_activations", "plot_fits", "plot_layer_gradients"]

#: Panel titles of the activations, as they are written in the text.
TITLES = {
    "relu": "ReLU",
    "leaky_relu": "leaky ReLU (slope 0.2)",
    "sigmoid": "sigmoid",
    "tanh": "tanh",
    "softmax": "softmax: $p_1$ of $(z_1, 0, 0)$",
}


#: The same, in words for alt text.
_PLAIN = {**TITLES, "softmax": "softmax's first output for the logits (x, 0, 0)"}


def _break_jumps(x, y):
    """``x, y`` with a NaN put into every jump, so that a step is not drawn as a vertical line."""
    jumps = np.flatnonzero(np.abs(np.diff(y)) > 0.1 * (np.ptp(y) or 1))
    return np.insert(x, jumps + 1, np.nan), np.insert(y, jumps + 1, np.nan)


def activation_curves(name, x):
    """An activation and its derivative at the points ``x``.

    For the elementwise activations this is ``f(x)`` and ``f'(x)``. Softmax maps a vector to a
    vector, so for ``"softmax"`` we vary the first of three logits, ``z = (x, 0, 0)``, and
    return its first output ``p_1 = softmax(z)_1`` and the diagonal entry of its Jacobian,
    ``d p_1 / d z_1 = p_1 (1 - p_1)``.

    Parameters
    ----------
    name : {"relu", "leaky_relu", "sigmoid", "tanh", "softmax"}
    x : ndarray of shape (n,)

    Returns
    -------
    values, derivatives : ndarray of shape (n,) each
    """
    x = np.asarray(x, dtype=np.float64)
    if name == "softmax":
        logits = np.stack([x, np.zeros_like(x), np.zeros_like(x)], axis=-1)
        return act.softmax(logits)[:, 0], act.softmax_jacobian(logits)[:, 0, 0]
    if name not in act.ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}")
    function, derivative = act.ACTIVATIONS[name]
    return function(x), derivative(x)


def _describe_curve(name, x, values, derivatives):
    """One clause of alt text, read off the computed curves."""
    text = (
        f"{_PLAIN[name]} goes from {values[0]:.2g} to {values[-1]:.2g}, its derivative is "
        f"{derivatives[0]:.2g} at the left end and {derivatives[-1]:.2g} at the right end"
    )
    peak = derivatives.max()
    if np.sum(derivatives == peak) == 1:  # a single peak, not a plateau: say where it is
        text += f" with a peak of {peak:.2g} at x={x[np.argmax(derivatives)]:.2g}"
    return text


def plot_activations(names=("relu", "leaky_relu", "sigmoid", "tanh", "softmax"), x=None, axes=None):
    """Each activation (solid line) with its derivative (dashed), one panel each.

    Parameters
    ----------
    names : sequence of str
        Activations to draw, from ``"relu"``, ``"leaky_relu"``, ``"sigmoid"``, ``"tanh"`` and
        ``"softmax"`` (see :func:`activation_curves` for what its panel shows).
    x : ndarray of shape (n,), optional
        Inputs to plot against; 601 points from -6 to 6 by default.
    axes : array of matplotlib Axes, optional
        At least ``len(names)`` axes; spare ones are hidden. By default a grid of three
        columns.

    Returns
    -------
    ndarray of matplotlib Axes
        One per activation, in the order of ``names``.
    """
    x = np.linspace(-6, 6, 601) if x is None else np.asarray(x, dtype=np.float64)
    if axes is None:
        nrows = -(-len(names) // 3)
        _, axes = plt.subplots(
            nrows, 3, figsize=(7.2, 2.6 * nrows), layout="constrained", squeeze=False
        )
    axes = np.asarray(axes).ravel()
    if len(axes) < len(names):
        raise ValueError(f"{len(names)} activations need at least {len(names)} axes")
    clauses = []
    for ax, name in zip(axes, names):
        values, derivatives = activation_curves(name, x)
        ax.axhline(0, color=GREY, linewidth=0.6)
        ax.axvline(0, color=GREY, linewidth=0.6)
        ax.plot(x, values, "-", color=BLUE, linewidth=2, label="function")
        ax.plot(*_break_jumps(x, derivatives), "--", color=ORANGE, linewidth=2, label="derivative")
        ax.set_title(TITLES[name])
        ax.set_xlabel("first logit $z_1$" if name == "softmax" else "input $x$")
        ax.grid(alpha=0.3)
        clauses.append(_describe_curve(name, x, values, derivatives))
    for ax in axes[len(names) :]:
        ax.set_axis_off()
    if len(axes) > len(names):
        # The spare panel explains the line styles, so no legend covers a curve.
        handles, labels = axes[0].get_legend_handles_labels()
        axes[len(names)].legend(handles, labels, loc="center", frameon=False, fontsize=11)
    else:
        axes[0].legend(frameon=False, loc="upper left")
    set_alt(
        axes[0],
        f"{len(names)} line charts from x={x[0]:.3g} to {x[-1]:.3g}, each an activation as a "
        "solid line with its derivative dashed: " + "; ".join(clauses),
    )
    return axes[: len(names)]


#: Line style and colour of the 1st, 2nd, ... line of a chart: colour is never the only cue.


def plot_fits(x, y, fits, ax=None):
    """Data points of a 1-D function and the curves that models fitted to them.

    Parameters
    ----------
    x : ndarray of shape (n,) or (n, 1)
        Inputs.
    y : ndarray of shape (n,) or (n, 1)
        Targets, drawn as small grey points.
    fits : dict of str to ndarray of shape (n,) or (n, 1)
        Label -> a model's predictions at ``x``; each is drawn as a line with its own colour
        and line style.

    Returns
    -------
    matplotlib Axes
    """
    ax = given_axes(ax, figsize=(6.4, 3.4), layout="constrained")
    x = np.ravel(x)
    y = np.ravel(y)
    order = np.argsort(x)
    ax.plot(x, y, "o", color=GREY, markersize=2.5, alpha=0.5, label="data", zorder=1)
    clauses = []
    for (label, prediction), (color, _, style) in zip(fits.items(), RUN_STYLES):
        prediction = np.ravel(prediction)
        ax.plot(x[order], prediction[order], style, color=color, linewidth=2.2, label=label)
        mse = float(np.mean((prediction - y) ** 2))
        clauses.append(
            f"{label} (mean squared error {mse:.3g}) runs from {prediction[order][0]:.2f} "
            f"to {prediction[order][-1]:.2f}"
        )
    ax.set_xlabel("$x$")
    ax.set_ylabel("$y$")
    ax.grid(alpha=0.3)
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    set_alt(
        ax,
        f"Scatter of {len(x)} data points, x from {x.min():.2g} to {x.max():.2g} and y from "
        f"{y.min():.2g} to {y.max():.2g}, with fitted curves: " + "; ".join(clauses),
    )
    return ax


def plot_layer_gradients(gradients, ax=None, ylabel="mean $|\\partial L / \\partial W_l|$"):
    """Size of the gradient at each layer, one line per network, on a log scale.

    Parameters
    ----------
    gradients : dict of str to sequence of float
        Label (e.g. the activation) -> one positive number per layer, first layer first,
        e.g. the mean absolute gradient of each weight matrix.
    ax : matplotlib Axes, optional
    ylabel : str
        Label of the y axis.

    Returns
    -------
    matplotlib Axes
    """
    ax = given_axes(ax, figsize=(6.4, 3.4), layout="constrained")
    clauses = []
    for (label, values), (color, marker, style) in zip(gradients.items(), RUN_STYLES):
        values = np.asarray(values, dtype=np.float64)
        layers = np.arange(1, len(values) + 1)
        ax.semilogy(layers, values, style, color=color, marker=marker, label=label)
        clauses.append(
            f"{label} from {values[0]:.1e} at layer 1 to {values[-1]:.1e} at layer {len(values)}"
        )
        ax.set_xticks(layers)
    ax.set_xlabel("layer $l$ (1 = next to the input)")
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3, which="major")
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    set_alt(
        ax,
        "Line chart on a logarithmic scale of the gradient size at each layer: "
        + "; ".join(clauses),
    )
    return ax

"""Figures of the optimizers chapter: paths on loss surfaces, loss curves (noise: ``minibatch``).

Every optimizer keeps one look across the figures (colour, marker and line
style, so that colour is never the only cue): see :func:`optimizer_style`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np

from fashion_lessons.plots._style import (
    BLUE,
    GREEN,
    GREY,
    ORANGE,
    PURPLE,
    VERMILLION,
    given_axes,
    legend_below,
    run_style,
    set_alt,
)
from fashion_lessons.plots.curves import plot_curves
from fashion_lessons.surfaces import Surface

__all__ = [
    "optimizer_style",
    "plot_loss_curves",
    "plot_optimizer_comparison",
    "plot_optimizer_paths",
]

_STYLES = {
    "gd": (BLUE, "o", "-"),
    "sgd": (BLUE, "o", "-"),
    "momentum": (ORANGE, "s", "--"),
    "nesterov": (GREEN, "^", "-."),
    "rmsprop": (VERMILLION, "D", ":"),
    "adam": (PURPLE, "v", (0, (6, 2, 1, 2, 1, 2))),
}


def optimizer_style(name: str, index: int = 0) -> dict:
    """Line properties for an optimizer's curve, the same in every figure.

    The first word of ``name`` picks the style (``"SGD"``, ``"Momentum"``,
    ``"Nesterov"``, ``"RMSprop"``, ``"Adam"``, ``"GD"``, any case); other names
    cycle through a fallback list by ``index``.

    Returns
    -------
    dict
        ``color``, ``marker`` and ``linestyle``, ready for ``ax.plot(..., **style)``.
    """
    words = name.lower().replace("(", " ").split()
    if words and words[0] in _STYLES:
        color, marker, linestyle = _STYLES[words[0]]
        return {"color": color, "marker": marker, "linestyle": linestyle}
    return run_style(name, index)


def _markevery(n: int, target: int = 10) -> int:
    """Show about ``target`` markers on a curve of ``n`` points."""
    return max(1, n // target)


def plot_optimizer_paths(
    surfaces: Sequence[Surface],
    paths: Sequence[Mapping[str, np.ndarray]],
    axes=None,
):
    """Optimizers' paths over the contour lines of 2-D loss surfaces, one panel per surface.

    Parameters
    ----------
    surfaces : sequence of Surface
        E.g. ``[QUADRATIC, ROSENBROCK]`` from :mod:`fashion_lessons.surfaces`.
    paths : sequence of mapping of str to ndarray of shape (steps + 1, 2)
        For each surface, optimizer name -> its path (as from
        :func:`fashion_lessons.surfaces.run_paths`). The same names in every
        panel share one legend below the panels.
    axes : sequence of matplotlib Axes, optional
        One per surface; a new row of panels by default.

    Returns
    -------
    ndarray of matplotlib Axes
    """
    if len(surfaces) != len(paths):
        raise ValueError(f"{len(surfaces)} surfaces but {len(paths)} sets of paths")
    if axes is None:
        _, axes = plt.subplots(1, len(surfaces), figsize=(5.2 * len(surfaces), 4.4), squeeze=False)
    axes = np.asarray(axes).ravel()
    descriptions = []
    for ax, surface, panel in zip(axes, surfaces, paths):
        xs = np.linspace(*surface.xlim, 300)
        ys = np.linspace(*surface.ylim, 240)
        values = surface.f(np.stack(np.meshgrid(xs, ys)))
        levels = np.geomspace(max(values.min(), 1e-3), values.max(), 14)
        # Grey contours: blue data turns sky-blue on a dark page, so sky is taken.
        ax.contour(xs, ys, values, levels=levels, colors=GREY, linewidths=0.7, alpha=0.6)
        for i, (name, path) in enumerate(panel.items()):
            style = optimizer_style(name, i)
            every = _markevery(len(path), 12)
            # Stagger the markers of different paths, so that overlapping paths stay apart.
            phase = (i * every) // max(len(panel), 1)
            ax.plot(
                path[:, 0],
                path[:, 1],
                label=name,
                linewidth=1.4,
                markersize=4.5,
                markevery=(phase, every),
                **style,
            )
        ax.plot(
            *surface.start, linestyle="none", marker="s", markersize=8, color=GREY, label="start"
        )
        ax.plot(
            *surface.minimum,
            linestyle="none",
            marker="*",
            markersize=13,
            color=GREY,
            label="minimum",
        )
        ax.set_xlim(surface.xlim)
        ax.set_ylim(surface.ylim)
        ax.set_xlabel("$x$")
        ax.set_ylabel("$y$")
        ax.set_title(surface.name)
        ends = ", ".join(
            f"{name} ends at ({p[-1, 0]:.2f}, {p[-1, 1]:.2f})" for name, p in panel.items()
        )
        steps = len(next(iter(panel.values()))) - 1 if panel else 0
        descriptions.append(
            f"{surface.name}: {steps} steps from ({surface.start[0]:g}, {surface.start[1]:g}) "
            f"towards the minimum at ({surface.minimum[0]:g}, {surface.minimum[1]:g}); {ends}"
        )
    figure = legend_below(axes, max_columns=7, bottom=0.22, wspace=0.25)
    set_alt(
        figure,
        f"{len(surfaces)} contour plots with optimizer paths. " + ". ".join(descriptions) + ".",
    )
    return axes


def plot_loss_curves(
    curves: Mapping[str, np.ndarray | tuple[np.ndarray, np.ndarray]],
    ax=None,
    xlabel: str = "step",
    ylabel: str = "loss",
    logy: bool = False,
    logx: bool = False,
    title: str | None = None,
    ylim: tuple[float, float] | None = None,
    legend: bool = True,
    cycle_styles: bool = False,
):
    """One line per run, e.g. the loss of each optimizer step by step.

    Parameters
    ----------
    curves : mapping of str to ndarray or to tuple (x, y)
        Name -> the values (plotted against 0, 1, 2, ...) or an ``(x, y)`` pair.
        Names like ``"SGD"`` or ``"Adam (η=0.001)"`` get their optimizer's style
        (:func:`optimizer_style`).
    ax : matplotlib Axes, optional
    xlabel, ylabel, title : str
    logy, logx : bool, default False
        Logarithmic axes. With ``logx``, points at x <= 0 are left out.
    ylim : tuple of float, optional
        Values outside are clipped (e.g. a run that diverges).
    legend : bool, default True
    cycle_styles : bool, default False
        Style the curves by their position (first, second, ...) instead of by
        optimizer name, for runs that are not named after optimizers.

    Returns
    -------
    matplotlib Axes
    """
    axes = plot_curves(
        curves,
        [ylabel],
        ax if ax is not None else given_axes(None),
        ylabels=[ylabel],
        validation=False,
        styles=run_style if cycle_styles else optimizer_style,
        xlabel=xlabel,
        titles=[title],
        logx=logx,
        logy=logy,
        ylim=ylim,
        legend=legend,
    )
    return axes[0]


def plot_optimizer_comparison(
    histories: Mapping[str, Mapping[str, Sequence[float]]],
    axes=None,
    loss_key: str = "loss",
    accuracy_key: str = "val_accuracy",
    loss_label: str = "training loss",
    accuracy_label: str = "validation accuracy",
):
    """Training loss and held-out accuracy per epoch, one line per optimizer.

    Parameters
    ----------
    histories : mapping of str to history dict
        Optimizer name -> what :meth:`fashion_lessons.mlp.MLP.fit` (or Keras's
        ``History.history``) returned.
    axes : pair of matplotlib Axes, optional
    loss_key, accuracy_key : str
        Which entries of each history to plot.
    loss_label, accuracy_label : str
        Axis labels for them.

    Returns
    -------
    ndarray of two matplotlib Axes
    """
    axes = plot_curves(
        histories,
        (loss_key, accuracy_key),
        axes if axes is not None else plt.subplots(1, 2, figsize=(9.6, 3.6))[1],
        validation=False,
        styles=optimizer_style,
        ylabels=(loss_label, accuracy_label),
        titles=("training loss (mean over the epoch)", accuracy_label),
        legend="below",
    )
    finals = [
        f"{name} {loss_label} {history[loss_key][-1]:.3f}, "
        f"{accuracy_label} {history[accuracy_key][-1]:.3f}"
        for name, history in histories.items()
    ]
    n = len(next(iter(histories.values()))[loss_key]) if histories else 0
    set_alt(
        axes[0],
        f"Two line charts over {n} epochs, one line per optimizer: {loss_label} and "
        f"{accuracy_label}. After the last epoch: " + "; ".join(finals) + ".",
    )
    return axes

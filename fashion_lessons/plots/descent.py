"""Figures of gradient descent at work: paths on a curve (1-D) and on a contour map (2-D)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import matplotlib.pyplot as plt
import numpy as np

from fashion_lessons.plots._style import BLUE, GREY, ORANGE, VERMILLION, given_axes, set_alt

__all__ = ["plot_descent_1d", "plot_descent_2d"]


def plot_descent_1d(
    f: Callable[[np.ndarray], np.ndarray],
    paths: Mapping[str, np.ndarray],
    axes=None,
    xlim: tuple[float, float] = (-2.0, 4.0),
    ylim: tuple[float, float] | None = None,
):
    """Gradient descent on a 1-D function: one panel per path (e.g. per learning rate).

    Each panel draws the curve ``f`` and the iterates :math:`w_0, w_1, \\dots`
    as numbered points on it, joined in order, so one sees whether the steps
    creep, settle or bounce out of the valley.

    Parameters
    ----------
    f : callable
        The function, applied elementwise to an array of ``w``.
    paths : mapping of str to array of shape (steps + 1,)
        Panel title -> the iterates, starting point first.
    axes : sequence of matplotlib Axes, optional
        One per path; a new row of panels by default.
    xlim, ylim : tuple of float, optional
        Range shown; ``ylim`` defaults to the curve's range over ``xlim``.
        Iterates outside the range are clipped.

    Returns
    -------
    ndarray of matplotlib Axes
    """
    if axes is None:
        _, axes = plt.subplots(
            1, len(paths), figsize=(3.4 * len(paths), 3.2), sharey=True, squeeze=False
        )
    axes = np.asarray(axes).ravel()
    ws = np.linspace(*xlim, 400)
    curve = f(ws)
    if ylim is None:
        pad = 0.06 * (curve.max() - curve.min())
        ylim = (curve.min() - pad, curve.max() + pad)
    summaries = []
    for ax, (title, path) in zip(axes, paths.items()):
        path = np.asarray(path, dtype=float)
        ax.plot(ws, curve, color=BLUE, linewidth=1.5, label="$f(w)$")
        ax.plot(
            path,
            f(path),
            color=VERMILLION,
            linewidth=1,
            marker="o",
            markersize=4.5,
            label="iterates $w_k$",
        )
        ax.plot(
            path[:1],
            f(path[:1]),
            linestyle="none",
            marker="s",
            markersize=7,
            color=VERMILLION,
            label="start $w_0$",
        )
        # Number the first few iterates, where they are far enough apart to read.
        inside = (path >= xlim[0]) & (path <= xlim[1])
        gap = 0.08 * (xlim[1] - xlim[0])
        for k in range(min(4, len(path))):
            if inside[k] and (k == 0 or abs(path[k] - path[k - 1]) > gap):
                ax.annotate(
                    str(k),
                    (path[k], f(path[k])),
                    textcoords="offset points",
                    xytext=(0, 6),
                    ha="center",
                    fontsize=7.5,
                )
        ax.set_xlim(xlim)
        ax.set_ylim(ylim)
        ax.set_title(title)
        ax.set_xlabel("$w$")
        summaries.append(
            f"{title}: from w={path[0]:.2f}, {len(path) - 1} steps end at w={path[-1]:.3g}"
        )
    axes[0].set_ylabel("$f(w)$")
    axes[0].legend(loc="upper center", fontsize=8, frameon=False)
    set_alt(
        axes[0],
        f"{len(paths)} panels of gradient descent on a 1-D curve, w from {xlim[0]:g} to "
        f"{xlim[1]:g}. " + "; ".join(summaries) + ".",
    )
    return axes


def plot_descent_2d(
    f: Callable[[np.ndarray], np.ndarray],
    grad: Callable[[np.ndarray], np.ndarray],
    path: np.ndarray,
    ax=None,
    xlim: tuple[float, float] = (-4.5, 4.5),
    ylim: tuple[float, float] = (-1.6, 1.6),
    title: str | None = None,
):
    """Gradient descent on a 2-D function, drawn over its contour lines.

    Contour lines in grey, small arrows for the direction of
    :math:`-\\nabla f` (normalised to one length: only the direction shows) on a
    coarse grid, and the path as connected points from a square start marker.

    Parameters
    ----------
    f, grad : callable
        The function and its gradient, each taking points of shape (2, ...)
        (like :func:`fashion_lessons.surfaces.quadratic`).
    path : ndarray, shape (steps + 1, 2)
        The iterates, starting point first.
    ax : matplotlib Axes, optional
    xlim, ylim : tuple of float
        Region drawn.
    title : str, optional

    Returns
    -------
    matplotlib Axes
    """
    ax = given_axes(ax, figsize=(6.4, 3.4))
    path = np.asarray(path, dtype=float)
    xs, ys = np.linspace(*xlim, 300), np.linspace(*ylim, 200)
    grid = np.stack(np.meshgrid(xs, ys))
    values = f(grid)
    levels = np.geomspace(max(values.min(), 1e-3 * values.max()), values.max(), 12)
    # Contours in grey: blue data turns sky-blue on a dark page, so sky is taken.
    ax.contour(xs, ys, values, levels=levels, colors=GREY, linewidths=0.8, alpha=0.7)
    qx, qy = np.linspace(*xlim, 13), np.linspace(*ylim, 6)
    qgrid = np.stack(np.meshgrid(qx, qy))
    down = -grad(qgrid)
    down = down / np.maximum(np.linalg.norm(down, axis=0), 1e-12)
    ax.quiver(
        qx,
        qy,
        down[0],
        down[1],
        color=ORANGE,
        angles="xy",
        scale=30,
        width=0.004,
        label=r"direction of $-\nabla f$",
    )
    ax.plot(
        path[:, 0],
        path[:, 1],
        color=VERMILLION,
        marker="o",
        markersize=3.5,
        linewidth=1.2,
        label="gradient descent",
    )
    ax.plot(*path[0], linestyle="none", marker="s", markersize=8, color=VERMILLION, label="start")
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
    ax.set_xlabel("$x$")
    ax.set_ylabel("$y$")
    ax.set_aspect("equal")
    if title:
        ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    set_alt(
        ax,
        f"Contour plot of a 2-D function for x from {xlim[0]:g} to {xlim[1]:g} and y from "
        f"{ylim[0]:g} to {ylim[1]:g}, with arrows pointing downhill and a gradient-descent "
        f"path of {len(path) - 1} steps from ({path[0, 0]:.2f}, {path[0, 1]:.2f}) to "
        f"({path[-1, 0]:.3f}, {path[-1, 1]:.3f}), where f is {float(f(path[-1])):.3g}.",
    )
    return ax

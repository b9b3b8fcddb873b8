"""One figure for every curve over epochs or steps: :func:`plot_curves`.

Every chapter that trains something draws the same kind of figure: one or more
runs, each a history of numbers per epoch (or per step), one panel per metric.
:func:`plot_curves` draws them all; the chapters' named figures
(:func:`plot_history`, :func:`plot_compare_histories`, :func:`plot_init_curves`,
and in their topic modules the learning curves, validation curves, loss curves
and optimizer comparison) call it and add what is particular to
them (a shaded gap, a marked epoch, a reference line).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator

from fashion_lessons.plots._style import GREY, legend_below, run_style, set_alt

__all__ = ["plot_compare_histories", "plot_curves", "plot_history", "plot_init_curves"]

# With overlap=True, later runs are drawn thinner and smaller on top, so curves that
# coincide stay visible: (line width, marker size) of the first, second, third run.
_OVERLAP_SIZES = [(2.6, 8.0), (1.4, 5.0), (1.0, 4.0)]


def _as_history(curve, metric: str) -> dict:
    """A history dict (metric -> values, and ``"x"`` where the positions are given).

    ``curve`` is a history dict, a Keras ``History`` or anything with a ``history``
    dict; or one curve of ``metric``: its values (at 0, 1, 2, ...) or an ``(x, y)`` pair.
    """
    if isinstance(curve, tuple):
        x, y = curve
        return {"x": np.asarray(x, dtype=float), metric: y}
    history = getattr(curve, "history", curve)
    if isinstance(history, Mapping):
        return dict(history)
    values = np.asarray(history, dtype=float)
    return {"x": np.arange(len(values), dtype=float), metric: values}


def _label(metric: str) -> str:
    return metric.replace("val_", "validation ").replace("_", " ")


def plot_curves(
    histories: Mapping[str, object],
    metrics: Sequence[str] = ("loss",),
    axes=None,
    *,
    validation: bool = True,
    styles: Callable[[str, int], dict] = run_style,
    xlabel: str = "epoch",
    ylabels: Sequence[str] | None = None,
    titles: Sequence[str | None] | None = None,
    logx: bool = False,
    logy: bool = False,
    ylim: tuple[float, float] | None = None,
    legend: bool | str = True,
    overlap: bool = False,
    figsize: tuple[float, float] | None = None,
) -> np.ndarray:
    """Curves of one or more runs over epochs or steps, one panel per metric.

    Parameters
    ----------
    histories : mapping of str to history
        Run name -> its history: a dict of metric -> values per epoch (what
        :meth:`fashion_lessons.mlp.MLP.fit` returns), a Keras ``History``, or
        anything with such a dict as its ``history`` attribute. A history may
        also be a single curve of the first metric: its values (drawn at 0, 1,
        2, ...) or an ``(x, y)`` pair. A dict history is drawn at epochs 1, 2,
        ... A single run named ``""`` gets the labels "training" and
        "validation" and a colour for each.
    metrics : sequence of str, default ("loss",)
        One panel per metric, in this order.
    axes : matplotlib Axes or array of Axes, optional
        One per metric; by default a new figure with a row of panels.
    validation : bool, default True
        Also draw ``"val_<metric>"`` where a history has it, dashed with open
        markers (a single unnamed run: in a colour of its own).
    styles : callable, default :func:`fashion_lessons.plots._style.run_style`
        ``(name, index) -> dict`` of ``color``, ``marker`` and ``linestyle``
        for each run, e.g. :func:`fashion_lessons.plots.optimizers.optimizer_style`.
    xlabel : str, default "epoch"
    ylabels, titles : sequence of str, optional
        One per metric; by default the metric's name, and no title.
    logx, logy : bool, default False
        Logarithmic axes. With ``logx``, points at x <= 0 are left out.
    ylim : tuple of float, optional
        Values outside are clipped (e.g. a run that diverges).
    legend : bool or {"below"}, default True
        A legend on the first panel, one under all panels, or none.
    overlap : bool, default False
        Draw later runs thinner and on top, for runs whose curves coincide.
    figsize : tuple of float, optional
        Size of a new figure.

    Returns
    -------
    ndarray of matplotlib Axes
        One per metric.
    """
    if not histories:
        raise ValueError("give at least one history")
    metrics = list(metrics)
    ylabels = list(ylabels) if ylabels is not None else [_label(m) for m in metrics]
    titles = list(titles) if titles is not None else [None] * len(metrics)
    if axes is None:
        size = figsize or (max(4.2 * len(metrics), 6.4), 3.4)
        _, axes = plt.subplots(1, len(metrics), figsize=size, layout="constrained")
    axes = np.atleast_1d(np.asarray(axes, dtype=object)).ravel()
    if len(axes) < len(metrics):
        raise ValueError(f"{len(metrics)} panels need {len(metrics)} axes, got {len(axes)}")
    runs = {name: _as_history(h, metrics[0]) for name, h in histories.items()}
    single = len(runs) == 1 and "" in runs
    summaries, longest = [], 0
    for i, (name, hist) in enumerate(runs.items()):
        style = styles(name, i)
        if overlap:
            lw, ms = _OVERLAP_SIZES[min(i, len(_OVERLAP_SIZES) - 1)]
            style = {**style, "linewidth": lw, "markersize": ms, "zorder": 2 + i}
        for ax, metric in zip(axes, metrics):
            keys = [metric] + ([f"val_{metric}"] if validation else [])
            drawn = [key for key in keys if key in hist]
            for j, key in enumerate(drawn):
                ys = np.asarray(hist[key], dtype=float)
                xs = hist.get("x", np.arange(1, len(ys) + 1, dtype=float))
                if logx:  # a log axis cannot show x <= 0 (e.g. step 0)
                    ys, xs = ys[xs > 0], xs[xs > 0]
                longest = max(longest, len(ys))
                line = dict(style)
                split = "validation" if key.startswith("val_") else "training"
                label = name
                if len(drawn) > 1 or single:
                    label = split if single else f"{name}, {split}"
                    if single:
                        line.update(styles("", j))
                    elif j:
                        line.update(linestyle="--", markerfacecolor="none")
                line.setdefault("linewidth", 1.4)
                line.setdefault("markersize", 4.5)
                ax.plot(xs, ys, label=label, markevery=max(1, len(ys) // 12), **line)
                finite = ys[np.isfinite(ys)]
                first = f"{finite[0]:.3g}" if len(finite) else "undefined"
                last = f"{ys[-1]:.3g}" if np.isfinite(ys[-1]) else "not a number (diverged)"
                what = _label(key) if len(metrics) > 1 or len(drawn) > 1 or key != metric else ""
                if len(drawn) > 1 and not j:
                    what = f"training {what}"
                who = " ".join(part for part in ("" if single else name, what) if part)
                summaries.append(f"{who} from {first} to {last}")
    for ax, ylabel, title in zip(axes, ylabels, titles):
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        if title:
            ax.set_title(title)
        if logx:
            ax.set_xscale("log")
        if logy:
            ax.set_yscale("log")
        if not logx:
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        if ylim is not None:
            ax.set_ylim(ylim)
        ax.grid(alpha=0.3, which="both" if logy else "major")
    if legend == "below":
        legend_below(axes, max_columns=6, bottom=0.27, wspace=0.3)
    elif legend:
        axes[0].legend(frameon=False, fontsize="small")
    charts = "Line chart" + ("s" if len(metrics) > 1 else "")
    span = f"over {longest} epochs" if xlabel == "epoch" else f"against {xlabel}"
    set_alt(axes[0], f"{charts} of {' and '.join(ylabels)} {span}: " + "; ".join(summaries) + ".")
    return axes[: len(metrics)]


def plot_history(history, axes=None):
    """Loss and accuracy per epoch, training beside validation, of one run.

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
    return plot_curves({"": history}, ("loss", "accuracy"), axes, figsize=(8.0, 3.2))


def plot_compare_histories(histories: Mapping[str, object], axes=None) -> np.ndarray:
    """Learning curves of several models on shared axes: loss left, accuracy right.

    Each model gets its own colour and marker, later ones thinner and on top, so
    that models that learn the same thing show as coinciding curves; training is
    solid, validation dashed.

    Parameters
    ----------
    histories : mapping of str to history
        Model name to a history (see :func:`plot_curves`).
    axes : pair of matplotlib Axes, optional

    Returns
    -------
    ndarray of two matplotlib Axes
    """
    return plot_curves(histories, ("loss", "accuracy"), axes, overlap=True, figsize=(8.4, 3.4))


def plot_init_curves(curves, ax=None, chance=None):
    """Validation loss during the first training steps, one curve per initialization.

    Parameters
    ----------
    curves : dict of str to (ndarray, ndarray)
        ``{label: (steps, losses)}``, e.g. ``eval_step`` and ``eval_loss`` from
        :func:`fashion_lessons.minibatch.train_steps`.
    ax : matplotlib Axes, optional
    chance : float, optional
        Loss of a uniform guess (``log(10)`` for ten classes), drawn as a dotted line.

    Returns
    -------
    matplotlib Axes
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(7.0, 3.6), layout="constrained")
    plot_curves(
        curves,
        ["validation loss"],
        ax,
        validation=False,
        xlabel="training step (batches of examples)",
        ylabels=["validation loss (log scale)"],
        logy=True,
        legend=False,
    )
    ends = [
        f"{label} from {losses[0]:.3g} to {losses[-1]:.3g}" for label, (_, losses) in curves.items()
    ]
    if chance is not None:
        ax.axhline(chance, color=GREY, ls=":", lw=1.2, label="uniform guess")
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    last = max(int(np.max(steps)) for steps, _ in curves.values())
    set_alt(
        ax,
        f"Line chart, log scale, of the validation loss over {last} training steps: "
        + "; ".join(ends)
        + ".",
    )
    return ax

"""What every figure of the book shares: colours, defaults, alt text and axes helpers.

Rules for plot functions (see also the package docstring):

* draw text, axes and lines in the default foreground colour (matplotlib's
  rcParams, or :data:`FG`), never a hard-coded black, white or grey, so that a
  figure can be re-coloured for the dark theme in one place;
* use the palette below for data;
* give the figure alt text with :func:`set_alt`, written from the data drawn.
"""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Circle, FancyArrowPatch

# Okabe-Ito colours: distinguishable with colour-blindness, mid-luminance so
# they read on a light and on a dark page.
BLUE, ORANGE, GREEN, VERMILLION = "#0072B2", "#E69F00", "#009E73", "#D55E00"
SKY, PURPLE, YELLOW = "#56B4E9", "#CC79A7", "#F0E442"
GREY = "#8c8c8c"
PALETTE = [BLUE, ORANGE, GREEN, VERMILLION, PURPLE, SKY, GREY]
RIGHT, WRONG = BLUE, VERMILLION
#: One look per run in a figure of several (colour, marker, line style), so that
#: colour is never the only cue: the n-th run of any figure gets the n-th entry.
RUN_STYLES = [
    (BLUE, "o", "-"),
    (ORANGE, "s", "--"),
    (GREEN, "^", "-."),
    (VERMILLION, "D", ":"),
    (PURPLE, "v", (0, (6, 2, 1, 2, 1, 2))),
    (SKY, "P", (0, (1, 1))),
    (GREY, "X", (0, (8, 3))),
]
#: Diverging colour map for signed values (weights, kernels, responses): blue negative,
#: white at zero, red positive.
SIGNED_CMAP = "RdBu_r"
#: Foreground: text, spines, ticks.
FG = "#1a1a1a"


def set_book_defaults() -> None:
    """Set the matplotlib defaults shared by every figure in the book (``rcParams``)."""
    mpl.rcParams.update(
        {
            "figure.dpi": 110,
            "savefig.dpi": 110,
            "figure.figsize": (6.4, 3.6),
            "font.size": 10,
            "axes.titlesize": 10,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.prop_cycle": mpl.cycler(color=PALETTE),
            "image.cmap": "gray_r",
            "text.color": FG,
            "axes.labelcolor": FG,
            "axes.edgecolor": FG,
            "xtick.color": FG,
            "ytick.color": FG,
        }
    )


def set_alt(figure_or_axes, text: str) -> None:
    """Attach alt text to a figure: what it shows, written from the data it plots.

    For example ``"Line chart: training and validation accuracy over 10 epochs,
    ending at 0.91 and 0.88"``. The book's pages use it for the image's ``alt``.
    """
    figure = getattr(figure_or_axes, "figure", figure_or_axes)
    figure.fashion_lessons_alt = text


def get_alt(figure) -> str:
    """The alt text attached with :func:`set_alt`, or ``""``."""
    return getattr(figure, "fashion_lessons_alt", "")


def run_style(name: str, index: int) -> dict:
    """Line properties of the ``index``-th run of a figure (``name`` is not used).

    Returns
    -------
    dict
        ``color``, ``marker`` and ``linestyle``, from :data:`RUN_STYLES`.
    """
    color, marker, linestyle = RUN_STYLES[index % len(RUN_STYLES)]
    return {"color": color, "marker": marker, "linestyle": linestyle}


def draw_image(ax, image):
    """Draw one image without ticks or frame."""
    ax.imshow(image)
    ax.set_axis_off()


def given_axes(ax, **subplots_kw):
    """``ax`` itself, or the axes of a new figure."""
    if ax is None:
        _, ax = plt.subplots(**subplots_kw)
    return ax


def axes_grid(axes, n, ncols, cell=(1.3, 1.5)):
    """A flat array of ``n`` axes: the given ones, or a new grid of ``ncols`` columns."""
    if axes is None:
        nrows = -(-n // ncols)
        _, axes = plt.subplots(
            nrows, ncols, figsize=(cell[0] * ncols, cell[1] * nrows), squeeze=False
        )
    axes = np.asarray(axes).ravel()
    if len(axes) < n:
        raise ValueError(f"{n} images need at least {n} axes, got {len(axes)}")
    for ax in axes[n:]:
        ax.set_axis_off()
    return axes


def legend_below(axes, max_columns, bottom, wspace):
    """One legend for all panels, under them; returns the figure."""
    handles, labels = axes[0].get_legend_handles_labels()
    figure = axes[0].figure
    figure.legend(
        handles,
        labels,
        loc="lower center",
        ncol=min(len(labels), max_columns),
        frameon=False,
        fontsize=9,
        bbox_to_anchor=(0.5, -0.01),
    )
    figure.subplots_adjust(bottom=bottom, wspace=wspace)
    return figure


# -- Diagrams (neurons, networks) ----------------------------------------------------


def foreground():
    """The foreground colour of the current style, for arrows and outlines."""
    return plt.rcParams["text.color"]


def arrow(ax, start, end, color=None, lw=1.2):
    """An arrow from ``start`` to ``end`` in data coordinates.

    A patch of the axes (not an annotation), so that the dark-page version of
    the figure re-colours it with everything else.
    """
    arrow = FancyArrowPatch(
        start,
        end,
        arrowstyle="-|>",
        mutation_scale=12,
        color=color or foreground(),
        lw=lw,
        shrinkA=0,
        shrinkB=0,
    )
    ax.add_patch(arrow)
    return arrow


def unit_circle(ax, center, radius, color):
    """A unit: a circle with a translucent fill and a full-colour rim.

    Nothing is painted in the page's colour (the figure also goes on a dark page),
    so lines must stop at the rim rather than be hidden under the circle.
    """
    ax.add_patch(Circle(center, radius, facecolor=color, alpha=0.25, lw=0, zorder=2))
    ax.add_patch(Circle(center, radius, fill=False, edgecolor=color, lw=1.6, zorder=2))

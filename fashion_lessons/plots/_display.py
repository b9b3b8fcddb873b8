"""How a figure leaves the kernel: a light and a dark PNG, plus its alt text.

In a notebook, matplotlib figures are turned into PNG by IPython's display
formatters. :func:`enable` replaces the PNG formatter with one that

* draws the figure on a transparent background, as it is (the light version);
* draws a copy with the foreground re-coloured for a dark page (the dark version);
* returns the alt text set with :func:`~fashion_lessons.plots.set_alt`.

The light PNG is the output any notebook viewer shows. The dark PNG and the alt
text travel in the output's metadata, where the book's renderer
(:mod:`fashion_lessons.sphinxext.figures`) finds them and writes an image pair
that follows the page's theme.
"""

from __future__ import annotations

import base64
import io
import pickle

import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
from matplotlib.collections import Collection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text

from fashion_lessons._outputs import DARK_KEY
from fashion_lessons.plots._style import BLUE, FG, SKY, get_alt

#: Colours swapped in the dark version: the foreground, and the blue that is too
#: dark to read on a dark page.
DARK_SWAPS = {FG: "#dfe3e8", BLUE: SKY}


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight", transparent=True)
    return buffer.getvalue()


def _swap(color, swaps):
    """``color`` replaced if it is one of ``swaps``' keys (alpha kept), else None."""
    try:
        rgba = mcolors.to_rgba(color)
    except (TypeError, ValueError):
        return None
    for old, new in swaps.items():
        if mcolors.same_color(rgba[:3], mcolors.to_rgb(old)):
            return mcolors.to_rgba(new, rgba[3])
    return None


def recolor(figure: Figure, swaps=DARK_SWAPS) -> Figure:
    """Replace the colours in ``swaps`` on every artist of ``figure``, in place."""
    for artist in figure.findobj():
        if isinstance(artist, Text):
            new = _swap(artist.get_color(), swaps)
            if new is not None:
                artist.set_color(new)
        elif isinstance(artist, Line2D):
            for get, set_ in [
                (artist.get_color, artist.set_color),
                (artist.get_markerfacecolor, artist.set_markerfacecolor),
                (artist.get_markeredgecolor, artist.set_markeredgecolor),
            ]:
                new = _swap(get(), swaps)
                if new is not None:
                    set_(new)
        elif isinstance(artist, Patch):
            for get, set_ in [
                (artist.get_facecolor, artist.set_facecolor),
                (artist.get_edgecolor, artist.set_edgecolor),
            ]:
                new = _swap(get(), swaps)
                if new is not None:
                    set_(new)
        elif isinstance(artist, Collection):
            for get, set_ in [
                (artist.get_facecolor, artist.set_facecolor),
                (artist.get_edgecolor, artist.set_edgecolor),
            ]:
                colors = get()
                swapped = [_swap(c, swaps) for c in colors]
                if any(c is not None for c in swapped):
                    set_([new if new is not None else c for c, new in zip(colors, swapped)])
    return figure


def fallback_alt(figure: Figure) -> str:
    """Alt text pieced together from titles and axis labels, for figures without any."""
    parts = []
    for ax in figure.axes:
        bits = [ax.get_title(), ax.get_xlabel() and f"x: {ax.get_xlabel()}"]
        bits.append(ax.get_ylabel() and f"y: {ax.get_ylabel()}")
        bits = [b for b in bits if b]
        if bits:
            parts.append(", ".join(bits))
    return "Figure" + (": " + "; ".join(parts) if parts else "")


def figure_png_with_metadata(figure: Figure):
    """The display formatter: ``(light PNG, metadata with dark PNG and alt text)``."""
    light = _png(figure)
    # Re-colour a copy, not the reader's figure. Unpickling registers the copy with
    # pyplot, which would show it as a second figure: close it straight away.
    dark_figure = pickle.loads(pickle.dumps(figure))
    plt.close(dark_figure)
    dark = _png(recolor(dark_figure))
    metadata = {
        "alt": get_alt(figure) or fallback_alt(figure),
        DARK_KEY: base64.b64encode(dark).decode("ascii"),
    }
    return light, metadata


def enable() -> bool:
    """Use :func:`figure_png_with_metadata` for figures in this IPython kernel.

    Returns False (and does nothing) outside IPython.
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    if shell is None:
        return False
    # The inline backend registers its own PNG formatter when it is first loaded,
    # which would replace ours: load it now, then register.
    plt.switch_backend(plt.get_backend())
    formatter = shell.display_formatter.formatters["image/png"]
    formatter.for_type(Figure, figure_png_with_metadata)
    return True

"""Figures leave the kernel as a light and a dark PNG with alt text."""

import base64
import io

import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import numpy as np
from PIL import Image

from fashion_lessons import plots
from fashion_lessons.plots import _display
from fashion_lessons.plots._style import BLUE, FG, SKY


def _figure():
    plots.use_book_style()
    return plots.plot_history({"loss": [1.0, 0.5], "accuracy": [0.5, 0.8]})[0].figure


def test_formatter_returns_light_png_dark_png_and_alt_text():
    figure = _figure()
    light, metadata = _display.figure_png_with_metadata(figure)
    dark = base64.b64decode(metadata[_display.DARK_KEY])
    assert light.startswith(b"\x89PNG") and dark.startswith(b"\x89PNG")
    assert light != dark
    assert metadata["alt"].startswith("Line charts of loss and accuracy over 2 epochs")
    # Transparent background: the corner pixel lets the page show through.
    assert Image.open(io.BytesIO(light)).convert("RGBA").getpixel((0, 0))[3] == 0
    # The copy was re-coloured and closed; the reader's figure is untouched.
    assert plt.get_fignums() == [figure.number]
    assert mcolors.same_color(figure.axes[0].xaxis.label.get_color(), FG)


def test_recolor_swaps_foreground_and_blue_only():
    figure, ax = plt.subplots()
    (blue,) = ax.plot([0, 1], color=BLUE)
    (green,) = ax.plot([0, 1], color="#009E73")
    ax.set_xlabel("x", color=FG)
    ax.scatter([0, 1], [1, 0], color=[BLUE, "#009E73"])
    _display.recolor(figure)
    assert mcolors.same_color(blue.get_color(), SKY)
    assert mcolors.same_color(green.get_color(), "#009E73")
    assert mcolors.same_color(ax.xaxis.label.get_color(), _display.DARK_SWAPS[FG])
    faces = ax.collections[0].get_facecolor()
    assert mcolors.same_color(faces[0], SKY) and mcolors.same_color(faces[1], "#009E73")


def test_fallback_alt_text_describes_axes():
    figure, ax = plt.subplots()
    ax.plot(np.arange(3))
    ax.set(title="Growth", xlabel="step", ylabel="value")
    assert _display.fallback_alt(figure) == "Figure: Growth, x: step, y: value"

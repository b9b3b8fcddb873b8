"""Figures of the regularization chapter: they draw the data given, on the axes given."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_rgb

from fashion_lessons import plots

PLAIN = {"val_loss": [0.50, 0.40, 0.45, 0.55], "val_accuracy": [0.80, 0.86, 0.87, 0.85]}
DROPOUT = {"val_loss": [0.52, 0.43, 0.39, 0.38], "val_accuracy": [0.79, 0.85, 0.86, 0.87]}


def test_validation_curves_draw_each_run_on_both_panels_and_mark_the_lowest_loss():
    loss_ax, acc_ax = plots.plot_validation_curves({"none": PLAIN, "dropout": DROPOUT})
    curves = [line for line in loss_ax.lines if line.get_linestyle() != "None"]
    dots = [line for line in loss_ax.lines if line.get_linestyle() == "None"]
    assert [c.get_ydata().tolist() for c in curves] == [PLAIN["val_loss"], DROPOUT["val_loss"]]
    assert [a.get_ydata().tolist() for a in acc_ax.lines] == [
        PLAIN["val_accuracy"],
        DROPOUT["val_accuracy"],
    ]
    assert [(d.get_xdata()[0], d.get_ydata()[0]) for d in dots] == [(2, 0.40), (4, 0.38)]
    assert curves[0].get_xdata().tolist() == [1, 2, 3, 4]
    assert [c.get_label() for c in curves] == ["none", "dropout"]
    assert loss_ax.get_ylabel() == "validation loss"
    assert acc_ax.get_ylabel() == "validation accuracy"


def test_validation_curves_tell_runs_apart_by_colour_and_line_style():
    loss_ax, _ = plots.plot_validation_curves({"none": PLAIN, "dropout": DROPOUT})
    first, second = loss_ax.lines[:2]  # the curves; the dots at the lowest loss follow
    assert to_rgb(first.get_color()) != to_rgb(second.get_color())
    assert first.get_linestyle() != second.get_linestyle()
    assert loss_ax.get_legend() is not None


def test_validation_curves_draw_on_given_axes_and_write_alt_text_from_data():
    class Run:  # anything with the dict in .history, like a Keras History
        history = PLAIN

    fig, axes = plt.subplots(1, 2)
    returned = plots.plot_validation_curves({"none": Run()}, axes=axes)
    assert list(returned) == list(axes)
    alt = plots.get_alt(fig)
    assert "over 4 epochs for 1 run." in alt
    assert "none: validation loss lowest at epoch 2 (0.400), last 0.550" in alt
    assert "validation accuracy last 0.850" in alt


def test_validation_curves_need_a_run_and_cycle_styles_past_the_palette():
    with pytest.raises(ValueError, match="at least one"):
        plots.plot_validation_curves({})
    loss_ax, _ = plots.plot_validation_curves({str(i): PLAIN for i in range(8)})
    curves = loss_ax.lines[:8]
    assert curves[0].get_color() == curves[7].get_color()  # seven looks, then again


def test_weight_histograms_share_bins_and_report_norms():
    rng = np.random.default_rng(0)
    wide, narrow = rng.normal(0, 0.1, 1000), rng.normal(0, 0.02, 1000)
    ax = plots.plot_weight_histograms({"no penalty": wide, "L2": narrow}, bins=20)
    assert len(ax.patches) == 2  # one step outline per model
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert labels == [
        f"no penalty (norm {np.linalg.norm(wide):.1f})",
        f"L2 (norm {np.linalg.norm(narrow):.1f})",
    ]
    # Both outlines span the same bins: from the smallest to the largest of all values.
    for patch in ax.patches:
        xs = patch.get_path().vertices[:, 0]
        assert xs.min() == pytest.approx(min(wide.min(), narrow.min()))
        assert xs.max() == pytest.approx(max(wide.max(), narrow.max()))
    alt = plots.get_alt(ax.figure)
    assert "1,000 weights" in alt and f"standard deviation {narrow.std():.3f}" in alt


def test_weight_histograms_draw_on_given_axes_and_need_weights():
    _, ax = plt.subplots()
    assert plots.plot_weight_histograms({"w": np.ones((3, 4))}, ax=ax) is ax
    with pytest.raises(ValueError, match="at least one"):
        plots.plot_weight_histograms({})

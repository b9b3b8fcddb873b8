"""Figures of the diagnostics chapter: they draw the data, mark what matters, set alt text."""

import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import numpy as np
import pytest

from fashion_lessons import diagnostics as dg
from fashion_lessons import plots
from fashion_lessons.data import CLASS_NAMES
from fashion_lessons.plots._display import recolor

HISTORY = {
    "loss": [0.6, 0.4, 0.3, 0.25, 0.2],
    "val_loss": [0.5, 0.4, 0.35, 0.37, 0.42],
    "accuracy": [0.80, 0.86, 0.89, 0.91, 0.93],
    "val_accuracy": [0.82, 0.85, 0.87, 0.87, 0.86],
}


def test_learning_curves_draw_both_curves_the_gap_and_the_marks():
    loss_ax, acc_ax = plots.plot_learning_curves(HISTORY, best=3, stopped=5)
    np.testing.assert_allclose(loss_ax.lines[0].get_ydata(), HISTORY["loss"])
    np.testing.assert_allclose(loss_ax.lines[1].get_ydata(), HISTORY["val_loss"])
    np.testing.assert_allclose(acc_ax.lines[1].get_ydata(), HISTORY["val_accuracy"])
    assert len(loss_ax.collections) == 1  # the shaded gap
    vertical = [line.get_xdata()[0] for line in loss_ax.lines[2:] if line.get_linestyle() != "None"]
    assert sorted(vertical) == [3, 5]
    star = next(line for line in loss_ax.lines if line.get_marker() == "*")
    assert star.get_ydata()[0] == pytest.approx(0.35)
    labels = [t.get_text() for t in loss_ax.get_legend().get_texts()]
    assert "best epoch (3)" in labels and "stopped (5)" in labels
    alt = plots.get_alt(loss_ax.figure)
    assert "lowest, 0.350, at epoch 3 and ends at 0.420" in alt and "epoch 5" in alt


def test_learning_curves_without_accuracy_on_given_axes():
    _, ax = plt.subplots()
    history = {"loss": HISTORY["loss"], "val_loss": HISTORY["val_loss"]}
    (out,) = plots.plot_learning_curves(history, axes=ax)
    assert out is ax and len(ax.lines) == 2
    with pytest.raises(ValueError, match="validation_data"):
        plots.plot_learning_curves({"loss": [1.0]})


def test_confusion_matrix_writes_counts_in_ink_that_suits_each_cell():
    confusion = np.diag(np.full(10, 900))
    confusion[6, 0] = 120
    confusion[0, 6] = 3
    ax = plots.plot_confusion_matrix(confusion)
    np.testing.assert_array_equal(ax.images[0].get_array(), confusion)
    texts = {(round(t.get_position()[1]), round(t.get_position()[0])): t for t in ax.texts}
    assert len(texts) == 12  # zeros are left blank
    assert texts[(6, 0)].get_text() == "120"
    assert mcolors.to_hex(texts[(0, 0)].get_color()) == "#ffffff"  # dark cell
    assert mcolors.to_hex(texts[(0, 6)].get_color()) == "#000000"  # pale cell
    assert [t.get_text() for t in ax.get_xticklabels()] == list(CLASS_NAMES)
    # The dark-page version keeps the cell ink: it sits on the cell, not on the page.
    recolor(ax.figure)
    assert mcolors.to_hex(texts[(0, 6)].get_color()) == "#000000"
    alt = plots.get_alt(ax.figure)
    assert "9,123 examples, 9,000 on the diagonal" in alt
    assert "120 Shirt predicted as T-shirt/top" in alt
    with pytest.raises(ValueError, match="class names"):
        plots.plot_confusion_matrix(np.ones((3, 3)))


def test_confused_pair_shows_each_kind_of_example_in_its_row():
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (12, 28, 28), dtype=np.uint8)
    labels = np.array([0, 0, 0, 6, 6, 6, 6, 0, 6, 1, 0, 6])
    predicted = np.array([0, 6, 0, 0, 6, 0, 6, 6, 0, 1, 0, 6])
    axes = plots.plot_confused_pair(images, labels, predicted, (0, 6), n=3)
    assert len(axes) == 12
    titles = [axes[r * 3].get_title(loc="left") for r in range(4)]
    assert titles == [
        "T-shirt/top, recognized: 3 of 3",
        "T-shirt/top taken for Shirt: 2 of 2",
        "Shirt taken for T-shirt/top: 3 of 3",
        "Shirt, recognized: 3 of 3",
    ]
    np.testing.assert_array_equal(axes[3].images[0].get_array(), images[1])  # first 0 -> 6
    assert not axes[5].images and not axes[5].axison  # only two T-shirts taken for shirts
    alt = plots.get_alt(axes[0].figure)
    assert "Shirt taken for T-shirt/top (3)" in alt
    with pytest.raises(ValueError, match="two different classes"):
        plots.plot_confused_pair(images, labels, predicted, (6, 6))


def test_reliability_diagram_draws_accuracy_confidence_and_counts():
    probs = np.array([[0.9, 0.1], [0.8, 0.2], [0.3, 0.7], [0.6, 0.4], [0.55, 0.45]])
    rel = dg.reliability_bins(probs, [0, 1, 1, 0, 1], n_bins=4)
    top, bottom = plots.plot_reliability(rel, title="test")
    heights = [bar.get_height() for bar in top.patches]
    np.testing.assert_allclose(heights, [2 / 3, 0.5])  # only the two bins in use
    np.testing.assert_allclose([bar.get_x() for bar in top.patches], [0.5, 0.75])
    markers = next(line for line in top.lines if line.get_marker() == "D")
    np.testing.assert_allclose(markers.get_ydata(), [1.85 / 3, 0.85])
    assert [bar.get_height() for bar in bottom.patches] == [3, 2]
    assert bottom.get_yscale() == "log"
    assert top.get_title() == "test: ECE 0.170"
    alt = plots.get_alt(top.figure)
    assert "expected calibration error 0.170" in alt
    assert "0.75-1.00: 2 predictions, mean confidence 0.85, accuracy 0.50" in alt

"""Figures of images and predictions: they draw the data given and never show."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from fashion_lessons import plots

rng = np.random.default_rng(0)
IMAGES = rng.integers(0, 256, (7, 28, 28), dtype=np.uint8)
LABELS = np.array([0, 1, 2, 3, 4, 5, 9])
PROBS = rng.dirichlet(np.ones(10), size=7)


def test_plot_image_creates_axes_when_none():
    ax = plots.plot_image(IMAGES[0], colorbar=False)
    assert isinstance(ax, plt.Axes)
    np.testing.assert_array_equal(ax.images[0].get_array(), IMAGES[0])


def test_show_images_captions_and_hides_spare_axes():
    axes = plots.show_images(IMAGES, LABELS, ncols=4)
    assert len(axes) == 8
    assert [ax.get_title() for ax in axes[:7]][-1] == "Ankle boot"
    assert not axes[7].axison


def test_show_images_rejects_too_few_axes():
    _, axes = plt.subplots(1, 2)
    with pytest.raises(ValueError, match="7 images need at least 7 axes"):
        plots.show_images(IMAGES, LABELS, axes=axes)


def test_pixel_histogram_counts_every_pixel():
    ax = plots.plot_pixel_histogram(IMAGES)
    assert sum(patch.get_height() for patch in ax.patches) == IMAGES.size


def test_plot_probabilities_marks_wrong_prediction():
    probs = np.full(10, 0.02)
    probs[3] = 0.82
    ax = plots.plot_probabilities(probs, true_label=5)
    widths = [bar.get_width() for bar in ax.patches]
    np.testing.assert_allclose(widths, probs)
    assert ax.patches[3].get_facecolor()[:3] == pytest.approx(
        plt.matplotlib.colors.to_rgb(plots.WRONG)
    )
    assert ax.patches[5].get_linewidth() == 2
    assert ax.get_yticklabels()[5].get_fontweight() == "bold"


def test_plot_prediction_returns_image_and_bars():
    image_ax, bars_ax = plots.plot_prediction(IMAGES[0], PROBS[0], LABELS[0])
    assert len(image_ax.images) == 1 and len(bars_ax.patches) == 10
    assert "true: T-shirt/top" in image_ax.get_title()


def test_plot_predictions_ticks_right_and_names_true_class_when_wrong():
    probs = np.eye(10)[[0, 1, 2, 3, 4, 5, 8]]  # last one wrong: 8 (Bag) for 9 (Ankle boot)
    axes = plots.plot_predictions(IMAGES, probs, LABELS, ncols=4)
    titles = [ax.get_title() for ax in axes[:7]]
    assert titles[0].endswith("✓")
    assert "Bag" in titles[6] and "true: Ankle boot" in titles[6]

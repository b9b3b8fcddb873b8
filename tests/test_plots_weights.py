"""Figures of the weights chapter: they return their axes, draw the data, and set alt text."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from fashion_lessons import plots
from fashion_lessons.data import CLASS_NAMES


def test_bias_boundary_draws_the_threshold_line_at_minus_b_over_norm_w():
    w = np.array([3.0, 4.0])  # |w| = 5
    axes = plots.plot_bias_boundary(w=w, biases=(-5.0, 0.0, 10.0))
    assert len(axes) == 3
    for ax, b in zip(axes, (-5.0, 0.0, 10.0)):
        line = ax.lines[0]
        points = np.column_stack(line.get_data())
        np.testing.assert_allclose(points @ w + b, 0, atol=1e-9)  # on w·x + b = 0
        # The heat map is the sigmoid of w·x + b: 0.5 at the centre when b = 0.
        image = ax.images[0].get_array()
        assert image.min() >= 0 and image.max() <= 1
    center = axes[1].images[0].get_array()[120, 120]
    assert center == pytest.approx(0.5)
    assert "+1.00" in axes[0].get_title() and "-2.00" in axes[2].get_title()
    alt = plots.get_alt(axes[0].figure)
    assert "w = (3, 4)" in alt and "+1.00, +0.00, -2.00" in alt


def test_bias_boundary_on_given_axes_and_bad_weights():
    _, axes = plt.subplots(1, 2)
    out = plots.plot_bias_boundary(biases=(0.0, 1.0), f="relu", axes=axes)
    assert out[0] is axes[0] and out[1] is axes[1]
    with pytest.raises(ValueError, match="two weights"):
        plots.plot_bias_boundary(w=(0.0, 0.0))


def test_activation_spread_plots_each_curve_on_a_log_scale():
    spreads = {
        "ReLU": {"small": np.logspace(0, -5, 6), "He": np.ones(6)},
        "tanh": {"small": np.logspace(0, -3, 6), "He": np.full(6, 0.5)},
    }
    axes = plots.plot_activation_spread(spreads)
    assert len(axes) == 2
    for ax, curves in zip(axes, spreads.values()):
        assert ax.get_yscale() == "log"
        for line, values in zip(ax.lines, curves.values()):
            np.testing.assert_allclose(line.get_ydata(), values)
            np.testing.assert_array_equal(line.get_xdata(), np.arange(6))
    # Each curve has its own marker and line style, not only its own colour.
    assert axes[0].lines[0].get_marker() != axes[0].lines[1].get_marker()
    assert axes[0].lines[0].get_linestyle() != axes[0].lines[1].get_linestyle()
    assert "ReLU small: from 1 to 1e-05" in plots.get_alt(axes[0].figure)


def test_weight_images_draw_columns_centred_at_zero():
    rng = np.random.default_rng(0)
    W = rng.normal(size=(784, 12))
    highlight = np.zeros(12, dtype=bool)
    highlight[3] = True
    axes = plots.plot_weight_images(W, units=range(6), ncols=4, highlight=highlight)
    assert len(axes) == 8  # 2 rows of 4; the last two hidden
    for j, ax in enumerate(axes[:6]):
        np.testing.assert_allclose(ax.images[0].get_array(), W[:, j].reshape(28, 28))
        lo, hi = ax.images[0].get_clim()
        assert lo == -hi and hi == pytest.approx(np.percentile(np.abs(W[:, j]), 99))
    assert axes[3].get_title() == "3 inactive" and axes[2].get_title() == "neuron 2"
    assert not axes[7].axison
    alt = plots.get_alt(axes[0].figure)
    assert "neurons 0 to 5" in alt and "1 of them marked inactive" in alt


def test_weight_images_with_titles_and_given_axes():
    W = np.arange(784 * 10, dtype=float).reshape(784, 10) - 3000
    _, axes = plt.subplots(2, 5)
    out = plots.plot_weight_images(W, titles=CLASS_NAMES, axes=axes)
    assert out[0] is axes.ravel()[0]
    assert [ax.get_title() for ax in out] == list(CLASS_NAMES)
    assert "T-shirt/top" in plots.get_alt(out[0].figure)
    with pytest.raises(ValueError, match="shape"):
        plots.plot_weight_images(np.ones((100, 3)))
    with pytest.raises(ValueError, match="at least 10 axes"):
        plots.plot_weight_images(W, axes=axes.ravel()[:4])

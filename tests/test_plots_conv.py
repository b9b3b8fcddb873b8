"""Figures of the convolution chapter: they draw the data given and say so in their alt text."""

import numpy as np

from fashion_lessons import plots
from fashion_lessons.conv import EDGE_KERNELS, correlate2d
from fashion_lessons.plots import get_alt


def _image():
    image = np.zeros((12, 12))
    image[3:9, 5:] = 1.0
    return image


def test_plot_correlation_draws_image_kernel_and_response():
    kernel = EDGE_KERNELS["vertical edges"]
    axes = plots.plot_correlation(_image(), kernel, title="vertical edges")
    assert len(axes) == 3
    np.testing.assert_array_equal(axes[1].images[0].get_array(), kernel)
    np.testing.assert_allclose(axes[2].images[0].get_array(), correlate2d(_image(), kernel))
    assert [t.get_text() for t in axes[1].texts] == [f"{w:g}" for w in kernel.ravel()]
    alt = get_alt(axes[0].figure)
    assert "3 by 3 kernel (vertical edges)" in alt and "10 by 10 response" in alt


def test_plot_correlation_centres_signed_colours_on_zero():
    axes = plots.plot_correlation(_image(), EDGE_KERNELS["outline"])
    low, high = axes[2].images[0].get_clim()
    assert low == -high and high == np.abs(correlate2d(_image(), EDGE_KERNELS["outline"])).max()


def test_plot_filters_draws_each_filter_of_channel_zero():
    kernel = np.random.default_rng(0).normal(size=(3, 3, 2, 5))
    axes = plots.plot_filters(kernel, ncols=4)
    drawn = [ax.images[0].get_array() for ax in axes if ax.images]
    assert len(drawn) == 5 and len(axes) == 8
    np.testing.assert_array_equal(drawn[4], kernel[:, :, 0, 4])
    assert "Grid of 5 learned 3 by 3 filters" in get_alt(axes[0].figure)


def test_plot_feature_maps_scales_each_map_and_counts_silent_maps():
    maps = np.zeros((7, 7, 3))
    maps[2, 2, 0], maps[:, :, 1] = 4.0, 0.5
    axes = plots.plot_feature_maps(maps, ncols=3)
    assert [ax.images[0].get_clim() for ax in axes] == [(0, 4.0), (0, 0.5), (0, 1.0)]
    assert "Grid of 3 feature maps" in get_alt(axes[0].figure)
    assert "1 of them is zero everywhere" in get_alt(axes[0].figure)
    axes = plots.plot_feature_maps(maps, limit=2, ncols=2)
    assert len(axes) == 2
    assert "Grid of the first 2 of 3 feature maps" in get_alt(axes[0].figure)
    assert "none of them is zero everywhere" in get_alt(axes[0].figure)

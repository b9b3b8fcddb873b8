"""Figures of the scratch chapter: they draw the data given, on the axes given, and never show."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from fashion_lessons import plots


def probabilities(n=200, seed=0):
    rng = np.random.default_rng(seed)
    return rng.dirichlet(np.ones(10) * 0.3, size=n).astype(np.float32)


def test_probability_agreement_scatters_every_probability():
    reference = probabilities()
    other = reference + np.float32(1e-7)
    scatter_ax, _ = plots.plot_probability_agreement(reference, other)
    offsets = scatter_ax.collections[0].get_offsets()
    assert len(offsets) == reference.size
    np.testing.assert_allclose(offsets[:, 0], reference.ravel())
    np.testing.assert_allclose(offsets[:, 1], other.ravel())
    assert scatter_ax.get_xlabel() == "Keras probability"
    assert scatter_ax.get_ylabel() == "numpy probability"


def test_probability_agreement_histogram_counts_nonzero_differences():
    reference = probabilities(n=50).astype(np.float64)
    other = reference.copy()
    other[:10, 0] += 1e-6  # ten entries differ, the rest are exactly equal
    other[10, 1] += 3e-4
    _, hist_ax = plots.plot_probability_agreement(reference, other)
    assert sum(patch.get_height() for patch in hist_ax.patches) == 11
    assert hist_ax.get_xscale() == "log"
    note = hist_ax.texts[0].get_text()
    assert f"{reference.size - 11:,} of {reference.size:,}" in note
    largest = hist_ax.lines[0].get_xdata()[0]
    assert largest == pytest.approx(3e-4)


def test_probability_agreement_alt_text_from_data_and_given_axes():
    reference = probabilities(n=30)
    other = reference.copy()
    other[0, :] = other[0, ::-1]  # swap the order: a different predicted class
    fig, axes = plt.subplots(1, 2)
    returned = plots.plot_probability_agreement(reference, other, names=("A", "B"), axes=axes)
    assert list(returned) == list(axes)
    alt = plots.get_alt(fig)
    assert "300 B probabilities against A's for 30 examples" in alt
    assert "points lie off the diagonal" in alt
    assert "agrees on 29 of 30" in alt


def test_probability_agreement_with_identical_inputs_draws_no_histogram():
    reference = probabilities(n=20)
    scatter_ax, hist_ax = plots.plot_probability_agreement(reference, reference.copy())
    assert len(hist_ax.patches) == 0
    assert "200 of 200" in hist_ax.texts[0].get_text()
    assert "every point lies on the diagonal" in plots.get_alt(scatter_ax.figure)


def test_probability_agreement_rejects_different_shapes():
    with pytest.raises(ValueError, match="shapes differ"):
        plots.plot_probability_agreement(probabilities(n=3), probabilities(n=4))

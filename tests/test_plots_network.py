"""A network drawn from its layer sizes, large layers elided."""

import matplotlib.pyplot as plt
import pytest
from matplotlib.patches import Circle

from fashion_lessons import plots
from fashion_lessons.data import CLASS_NAMES


def texts(ax):
    return [t.get_text() for t in ax.texts]


def test_network_elides_large_layers_and_connects_drawn_units():
    _, ax = plt.subplots()
    assert plots.plot_network([784, 128, 10], unit_labels=CLASS_NAMES, ax=ax) is ax
    labels = texts(ax)
    assert "+778" in labels and "+122" in labels and "+4" in labels
    assert "$x_{784}$" in labels and "$h_{128}$" in labels and "$y_{10}$" in labels
    assert "Ankle boot" in labels and "Coat" not in labels  # Coat (class 4) is elided
    assert {"input layer", "hidden layer", "output layer"} <= set(labels)
    assert "784 × 128 weights\n+ 128 biases" in labels
    # 6 drawn units per layer, each connected to each of the next: 2 * 36 lines.
    assert len(ax.lines) == 72
    units = [p for p in ax.patches if isinstance(p, Circle)]
    assert len(units) == 2 * 18  # two circles (tint and rim) per unit
    alt = plots.get_alt(ax.figure)
    assert "101,770 weights and biases" in alt and "778, 122, 4" in alt


def test_network_draws_small_layers_in_full():
    ax = plots.plot_network([3, 4, 2], names=["in", "mid", "out"], activations=["tanh", "sigmoid"])
    labels = texts(ax)
    assert "⋮" not in labels and "$h_{4}$" in labels
    assert len(ax.lines) == 3 * 4 + 4 * 2
    assert "4 units\ntanh" in labels
    assert "hidden layer 1" in texts(plots.plot_network([5, 4, 4, 2]))


def test_network_rejects_bad_sizes():
    with pytest.raises(ValueError, match="at least two"):
        plots.plot_network([784])
    with pytest.raises(ValueError, match="max_units"):
        plots.plot_network([784, 10], max_units=2)

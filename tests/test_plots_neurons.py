"""Figures of the neurons chapter: they return their axes, draw the data, and set alt text."""

import matplotlib.pyplot as plt
import numpy as np

from fashion_lessons import plots


def texts(ax):
    return [t.get_text() for t in ax.texts]


def test_neuron_diagram_draws_inputs_sum_bias_and_output():
    _, ax = plt.subplots()
    assert plots.plot_neuron_diagram(n_inputs=3, ax=ax) is ax
    labels = texts(ax)
    for label in ["$x_{1}$", "$x_{3}$", "$x_n$", "⋮", r"$\Sigma$", "$f$", "$y$", "bias $b$"]:
        assert label in labels
    assert {"$w_{1}$", "$w_{2}$", "$w_{3}$", "$w_n$"} <= set(labels)
    assert "neuron" in plots.get_alt(ax.figure)


def test_bias_placement_moves_the_kink_only_when_inside():
    axes = plots.plot_bias_placement(w=2.0, biases=(-2.0, 4.0))
    assert len(axes) == 2
    inside, outside = axes
    # The kinks are marked with dots.
    kinks_inside = [line.get_xdata()[0] for line in inside.lines if line.get_marker() == "o"]
    kinks_outside = [line.get_xdata()[0] for line in outside.lines if line.get_marker() == "o"]
    assert kinks_inside == [1.0, -2.0]  # x = -b / w
    assert kinks_outside == [0.0, 0.0]
    x, y = outside.lines[2].get_data()
    np.testing.assert_allclose(y, np.maximum(2 * x, 0) + 4.0)
    x, y = inside.lines[0].get_data()
    np.testing.assert_allclose(y, np.maximum(2 * x - 2.0, 0))
    assert "x = 1, -2" in plots.get_alt(inside.figure)


def test_neuron_on_image_shows_input_weights_products_and_result():
    rng = np.random.default_rng(0)
    image, w = rng.random((28, 28)), rng.normal(size=784)
    axes = plots.plot_neuron_on_image(image, w, -2.0, f="relu")
    assert len(axes) == 3
    np.testing.assert_allclose(axes[2].images[0].get_array(), image * w.reshape(28, 28))
    lo, hi = axes[1].images[0].get_clim()
    assert lo == -hi  # centred at 0
    z = float((image.ravel() * w).sum() - 2.0)
    assert f"{z:.2f}" in axes[1].get_xlabel()
    assert f"z = {z:.2f}" in plots.get_alt(axes[0].figure)

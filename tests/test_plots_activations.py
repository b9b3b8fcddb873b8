"""Figures of the activations chapter: what they draw, alt text, given axes, no plt.show()."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
import tensorflow as tf

from fashion_lessons import activations as act
from fashion_lessons import plots


def finite(values):
    values = np.asarray(values, dtype=float)
    return values[np.isfinite(values)]


@pytest.mark.parametrize("name", ["relu", "leaky_relu", "sigmoid", "tanh"])
def test_activation_curves_are_the_package_functions(name):
    x = np.linspace(-3, 3, 13)
    values, derivatives = plots.activation_curves(name, x)
    function, derivative = act.ACTIVATIONS[name]
    np.testing.assert_array_equal(values, function(x))
    np.testing.assert_array_equal(derivatives, derivative(x))


def test_softmax_curve_is_first_output_and_its_derivative_by_gradient_tape():
    x = np.linspace(-4, 4, 9)
    values, derivatives = plots.activation_curves("softmax", x)
    z = tf.Variable(np.stack([x, np.zeros_like(x), np.zeros_like(x)], axis=-1))
    with tf.GradientTape() as tape:
        first = tf.nn.softmax(z)[:, 0]
    expected = tape.gradient(first, z).numpy()[:, 0]  # rows are independent
    np.testing.assert_allclose(values, first.numpy(), rtol=1e-12)
    np.testing.assert_allclose(derivatives, expected, rtol=1e-10, atol=1e-15)
    # With the other two logits at 0, p_1 = e^x / (e^x + 2).
    np.testing.assert_allclose(values, np.exp(x) / (np.exp(x) + 2), rtol=1e-12)


def test_activation_curves_reject_unknown_names():
    with pytest.raises(ValueError, match="unknown activation 'swish'"):
        plots.activation_curves("swish", np.zeros(3))


def test_plot_activations_draws_function_and_derivative_in_each_panel():
    x = np.linspace(-6, 6, 601)
    axes = plots.plot_activations(x=x)
    names = ["relu", "leaky_relu", "sigmoid", "tanh", "softmax"]
    assert len(axes) == 5
    for ax, name in zip(axes, names):
        values, derivatives = plots.activation_curves(name, x)
        solid, dashed = [
            line for line in ax.lines if line.get_label() in {"function", "derivative"}
        ]
        np.testing.assert_array_equal(solid.get_ydata(), values)
        assert solid.get_linestyle() == "-" and dashed.get_linestyle() == "--"
        # The derivative is drawn from the same numbers (NaN only where a step is broken).
        np.testing.assert_array_equal(finite(dashed.get_ydata()), derivatives)
    # ReLU's derivative steps from 0 to 1: the step is broken, not drawn as a vertical line.
    assert np.isnan(axes[0].lines[-1].get_ydata()).sum() == 1
    # The sixth, spare panel carries the legend and no data.
    spare = axes[0].figure.axes[5]
    assert not spare.axison and spare.get_legend() is not None
    alt = plots.get_alt(axes[0].figure)
    assert alt.startswith("5 line charts from x=-6 to 6")
    assert "sigmoid goes from 0.0025 to 1" in alt and "a peak of 0.25 at x=0" in alt


def test_plot_activations_rejects_too_few_axes():
    _, ax = plt.subplots()
    with pytest.raises(ValueError, match="2 activations need at least 2 axes"):
        plots.plot_activations(["relu", "tanh"], axes=[ax])


def test_plot_fits_draws_data_and_each_fit_sorted_by_x():
    x = np.array([2.0, -1.0, 0.5, -3.0])
    y = x**2
    fits = {"line": 0.5 * x, "curve": x**2 + 0.1}
    ax = plots.plot_fits(x, y, fits)
    data, line, curve = ax.lines
    np.testing.assert_array_equal(data.get_xdata(), x)
    np.testing.assert_array_equal(data.get_ydata(), y)
    order = np.argsort(x)
    np.testing.assert_array_equal(line.get_xdata(), x[order])
    np.testing.assert_array_equal(curve.get_ydata(), (x**2 + 0.1)[order])
    assert line.get_linestyle() != curve.get_linestyle()  # not told apart by colour alone
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["data", "line", "curve"]
    alt = plots.get_alt(ax.figure)
    assert "Scatter of 4 data points" in alt and "curve (mean squared error 0.01)" in alt


def test_plot_layer_gradients_draws_one_line_per_network_on_a_log_scale():
    gradients = {"sigmoid": [1e-8, 1e-5, 1e-2], "relu": [1e-3, 2e-3, 3e-3]}
    ax = plots.plot_layer_gradients(gradients)
    assert ax.get_yscale() == "log"
    for line, values in zip(ax.lines, gradients.values()):
        np.testing.assert_array_equal(line.get_xdata(), [1, 2, 3])
        np.testing.assert_array_equal(line.get_ydata(), values)
    assert ax.lines[0].get_marker() != ax.lines[1].get_marker()
    alt = plots.get_alt(ax.figure)
    assert "sigmoid from 1.0e-08 at layer 1 to 1.0e-02 at layer 3" in alt

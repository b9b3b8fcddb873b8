"""Figures of the losses chapter: what they draw, alt text, given axes, no plt.show()."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from fashion_lessons import plots

P = np.array([1e-4, 0.01, 0.1, 0.3, 0.5, 0.9, 0.999])


def tape_curves(p, n_classes):
    """Loss and d loss / d z_0 by TensorFlow's autodiff, for the logits true_class_curves uses."""
    logits = np.zeros((len(p), n_classes))
    logits[:, 0] = np.log(p) - np.log((1 - p) / (n_classes - 1))
    target = np.zeros_like(logits)
    target[:, 0] = 1
    z = tf.Variable(logits)
    results = {}
    for name, loss in [
        ("cross-entropy", keras.losses.categorical_crossentropy),
        ("mean squared error", keras.losses.mean_squared_error),
    ]:
        with tf.GradientTape() as tape:
            value = loss(target, tf.nn.softmax(z))
        results[name] = (value.numpy(), tape.gradient(value, z).numpy()[:, 0])
    return results


@pytest.mark.parametrize("n_classes", [2, 10])
def test_true_class_curves_match_keras_and_gradient_tape(n_classes):
    ours = plots.true_class_curves(P, n_classes)
    expected = tape_curves(P, n_classes)
    assert ours.keys() == expected.keys()
    for name in ours:
        np.testing.assert_allclose(ours[name][0], expected[name][0], rtol=1e-9)
        np.testing.assert_allclose(ours[name][1], expected[name][1], rtol=1e-7, atol=1e-15)


def test_true_class_curves_closed_forms():
    curves = plots.true_class_curves(P, 10)
    loss, gradient = curves["cross-entropy"]
    np.testing.assert_allclose(loss, -np.log(P), rtol=1e-12)
    np.testing.assert_allclose(gradient, P - 1, rtol=1e-12)  # softmax minus one-hot
    # Squared error, L = mean_k (p_k - y_k)^2 with dp_k/dz_0 = p_k (delta_k0 - p_0), gives
    # dL/dz_0 = (2/K) p_0 (2 p_0 - 1 - sum_k p_k^2): it vanishes as p_0 -> 0.
    sum_of_squares = P**2 + 9 * ((1 - P) / 9) ** 2
    expected = (2 / 10) * P * (2 * P - 1 - sum_of_squares)
    np.testing.assert_allclose(curves["mean squared error"][1], expected, rtol=1e-9)


def test_plot_ce_vs_mse_draws_losses_and_gradient_sizes():
    p = np.linspace(0.01, 0.99, 50)
    loss_ax, grad_ax = plots.plot_ce_vs_mse(p)
    curves = plots.true_class_curves(p)
    assert loss_ax.get_yscale() == grad_ax.get_yscale() == "log"
    assert loss_ax.get_xscale() == "logit"
    data = {
        line.get_label(): line for line in loss_ax.lines if not line.get_label().startswith("_")
    }
    assert set(data) == {"cross-entropy", "mean squared error"}
    for name, line in data.items():
        np.testing.assert_array_equal(line.get_xdata(), p)
        np.testing.assert_array_equal(line.get_ydata(), curves[name][0])
    sizes = {line.get_label(): line.get_ydata() for line in grad_ax.lines}
    np.testing.assert_array_equal(sizes["cross-entropy"], np.abs(curves["cross-entropy"][1]))
    assert data["cross-entropy"].get_linestyle() != data["mean squared error"].get_linestyle()
    alt = plots.get_alt(loss_ax.figure)
    assert "from 0.01 to 0.99, for 10 classes" in alt
    assert f"cross-entropy falls from {-np.log(0.01):.3g}" in alt


def test_plot_losses_draws_every_loss_from_the_package():
    regression, classification = plots.plot_losses()
    squared, absolute = regression.lines
    np.testing.assert_allclose(squared.get_ydata(), squared.get_xdata() ** 2)
    np.testing.assert_allclose(absolute.get_ydata(), np.abs(absolute.get_xdata()))
    lines = {line.get_label(): line for line in classification.lines}
    assert set(lines) == {"zero-one", "hinge", "cross-entropy"}
    s = lines["hinge"].get_xdata()
    np.testing.assert_allclose(lines["hinge"].get_ydata(), np.maximum(0, 1 - s))
    np.testing.assert_allclose(lines["cross-entropy"].get_ydata(), np.log1p(np.exp(-s)), rtol=1e-12)
    step = lines["zero-one"].get_ydata()
    assert np.isnan(step).sum() == 1  # broken at the step, not drawn as a vertical stroke
    assert set(step[np.isfinite(step)]) == {0.0, 1.0}
    styles = {line.get_linestyle() for line in classification.lines}
    assert len(styles) == 3
    alt = plots.get_alt(regression.figure)
    assert "hinge loss falls linearly from 5 to 0" in alt

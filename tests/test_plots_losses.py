"""Figures of the losses chapter: what they draw, alt text, given axes, no plt.show()."""

import numpy as np

from fashion_lessons import plots


def closed_forms(p, n_classes=10):
    """Loss and d loss / d z_c of cross-entropy and squared error, as the chapter computes them."""
    other = (1 - p) / (n_classes - 1)
    sum_p2 = p**2 + (n_classes - 1) * other**2
    return {
        "cross-entropy": (-np.log(p), p - 1),
        "mean squared error": (
            ((1 - p) ** 2 + (n_classes - 1) * other**2) / n_classes,
            2 / n_classes * p * (2 * p - 1 - sum_p2),
        ),
    }


def test_plot_ce_vs_mse_draws_losses_and_gradient_sizes():
    p = np.linspace(0.01, 0.99, 50)
    curves = closed_forms(p)
    loss_ax, grad_ax = plots.plot_ce_vs_mse(p, curves)
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

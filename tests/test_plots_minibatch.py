"""The noise and cost of a mini-batch gradient, drawn."""

import numpy as np

from fashion_lessons import plots


def test_plot_gradient_noise():
    noise = {
        "batch_size": np.array([1, 4, 16]),
        "relative_error": np.array([4.0, 2.0, 1.0]),
        "seconds": np.array([1e-4, 1.2e-4, 2e-4]),
    }
    axes = plots.plot_gradient_noise(noise)
    measured, reference = axes[0].lines
    np.testing.assert_array_equal(measured.get_ydata(), [4.0, 2.0, 1.0])
    np.testing.assert_allclose(reference.get_ydata(), [4.0, 2.0, 1.0])  # 4 / sqrt(B)
    np.testing.assert_allclose(axes[1].lines[0].get_ydata(), [0.1, 0.12, 0.2])  # milliseconds
    assert axes[0].get_xscale() == "log"
    assert "B=16: error 1, 0.2 ms" in plots.get_alt(axes[0].figure)

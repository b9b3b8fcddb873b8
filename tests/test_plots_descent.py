"""Figures of gradient descent: paths on a curve and on a contour map."""

import matplotlib.pyplot as plt
import numpy as np

from fashion_lessons import plots
from fashion_lessons.optimizers import SGD
from fashion_lessons.surfaces import quadratic, quadratic_grad, trajectory


def test_plot_descent_1d_one_panel_per_path():
    def f(w):
        return (w - 1) ** 2

    paths = {"small": np.array([-1.0, -0.6, -0.28]), "large": np.array([-1.0, 3.2, -1.6])}
    axes = plots.plot_descent_1d(f, paths, xlim=(-2, 4))
    assert len(axes) == 2
    assert [ax.get_title() for ax in axes] == ["small", "large"]
    iterates = axes[1].lines[1]
    np.testing.assert_array_equal(iterates.get_xdata(), paths["large"])
    np.testing.assert_allclose(iterates.get_ydata(), f(paths["large"]))
    assert axes[0].get_xlim() == (-2, 4)
    assert "end at w=-0.28" in plots.get_alt(axes[0].figure)


def test_plot_descent_2d_draws_path_arrows_and_contours():
    path = trajectory(SGD(0.15), quadratic_grad, (-4.0, 1.0), 10)
    ax = plots.plot_descent_2d(quadratic, quadratic_grad, path, title="bowl")
    line = next(line for line in ax.lines if line.get_label() == "gradient descent")
    np.testing.assert_array_equal(line.get_xydata(), path)
    assert ax.collections  # contour lines and the quiver
    assert any(isinstance(c, plt.matplotlib.quiver.Quiver) for c in ax.collections)
    assert ax.get_title() == "bowl"
    assert "10 steps from (-4.00, 1.00)" in plots.get_alt(ax.figure)
    _, given = plt.subplots()
    assert plots.plot_descent_2d(quadratic, quadratic_grad, path, ax=given) is given

"""Figures of the optimizers chapter: return their axes, draw the data, set alt text, never show."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from fashion_lessons import plots
from fashion_lessons.optimizers import SGD, Adam
from fashion_lessons.surfaces import QUADRATIC, ROSENBROCK, run_paths


def test_optimizer_style_is_stable_and_not_colour_only():
    assert plots.optimizer_style("Adam") == plots.optimizer_style("adam (η = 0.001)")
    styles = [plots.optimizer_style(n) for n in ["SGD", "Momentum", "Nesterov", "RMSprop", "Adam"]]
    assert len({s["color"] for s in styles}) == 5
    assert len({s["marker"] for s in styles}) == 5
    assert len({str(s["linestyle"]) for s in styles}) == 5
    assert plots.optimizer_style("mystery", 1) != plots.optimizer_style("mystery", 0)
    assert plots.optimizer_style("", 2)["marker"] == "^"


def surface_paths():
    return [
        run_paths(QUADRATIC, {"GD": SGD(0.1), "Adam": Adam(0.3)}, steps=30),
        run_paths(ROSENBROCK, {"GD": SGD(0.001), "Adam": Adam(0.1)}, steps=100),
    ]


def test_plot_optimizer_paths_one_panel_per_surface_with_a_shared_legend():
    paths = surface_paths()
    axes = plots.plot_optimizer_paths([QUADRATIC, ROSENBROCK], paths)
    assert len(axes) == 2
    assert [ax.get_title() for ax in axes] == ["elongated quadratic", "Rosenbrock"]
    for ax, panel in zip(axes, paths):
        for name, path in panel.items():
            line = next(line for line in ax.lines if line.get_label() == name)
            np.testing.assert_array_equal(line.get_xydata(), path)
            assert line.get_marker() == plots.optimizer_style(name)["marker"]
        assert ax.collections  # contour lines
    figure = axes[0].figure
    labels = [t.get_text() for t in figure.legends[0].get_texts()]
    assert labels == ["GD", "Adam", "start", "minimum"]
    alt = plots.get_alt(figure)
    assert "Rosenbrock: 100 steps from (-1.2, 1)" in alt and "Adam ends at" in alt


def test_plot_optimizer_paths_checks_its_arguments_and_uses_given_axes():
    with pytest.raises(ValueError, match="2 surfaces but 1"):
        plots.plot_optimizer_paths([QUADRATIC, ROSENBROCK], surface_paths()[:1])
    _, given = plt.subplots(1, 2)
    axes = plots.plot_optimizer_paths([QUADRATIC, ROSENBROCK], surface_paths(), axes=given)
    assert axes[1] is given[1]


def test_plot_loss_curves_values_pairs_and_styles():
    curves = {"SGD": np.array([3.0, 2.0, 1.0]), "Adam": (np.array([0, 10, 20]), [3.0, 1.0, 0.5])}
    ax = plots.plot_loss_curves(curves, logy=True, title="t")
    sgd, adam = ax.lines
    np.testing.assert_array_equal(sgd.get_xdata(), [0, 1, 2])
    np.testing.assert_array_equal(adam.get_xdata(), [0, 10, 20])
    assert sgd.get_marker() == "o" and adam.get_marker() == "v"
    assert ax.get_yscale() == "log" and ax.get_title() == "t"
    assert ax.get_legend() is not None
    assert "SGD from 3 to 1" in plots.get_alt(ax.figure)


def test_plot_loss_curves_log_x_cycle_styles_and_divergence():
    _, given = plt.subplots()
    curves = {"run a": ([0, 1, 10], [2.0, 1.0, 0.5]), "run b": ([0, 1, 10], [2.0, 50.0, np.nan])}
    ax = plots.plot_loss_curves(
        curves, ax=given, logx=True, cycle_styles=True, ylim=(0, 3), legend=False
    )
    assert ax is given
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), [1, 10])  # x = 0 left out
    assert ax.lines[0].get_color() != ax.lines[1].get_color()
    assert ax.get_xscale() == "log" and ax.get_ylim() == (0, 3)
    assert ax.get_legend() is None
    assert "diverged" in plots.get_alt(ax.figure)


def test_plot_optimizer_comparison():
    histories = {
        "SGD": {"loss": [0.6, 0.4, 0.35], "val_accuracy": [0.80, 0.84, 0.85]},
        "Adam": {"loss": [0.5, 0.37, 0.3], "val_accuracy": [0.83, 0.85, 0.87]},
    }
    axes = plots.plot_optimizer_comparison(histories)
    assert len(axes) == 2
    np.testing.assert_array_equal(axes[0].lines[1].get_ydata(), [0.5, 0.37, 0.3])
    np.testing.assert_array_equal(axes[1].lines[0].get_xdata(), [1, 2, 3])
    assert axes[1].get_ylabel() == "validation accuracy"
    labels = [t.get_text() for t in axes[0].figure.legends[0].get_texts()]
    assert labels == ["SGD", "Adam"]
    alt = plots.get_alt(axes[0].figure)
    assert "over 3 epochs" in alt and "Adam training loss 0.300, validation accuracy 0.870" in alt

"""Curves over epochs or steps: plot_curves and the named figures built on it."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_rgb

from fashion_lessons import plots

NUMPY_HISTORY = {
    "loss": [0.56, 0.41, 0.37],
    "accuracy": [0.81, 0.86, 0.87],
    "val_loss": [0.43, 0.40, 0.37],
    "val_accuracy": [0.85, 0.856, 0.869],
}
KERAS_HISTORY = {
    "loss": [0.57, 0.41, 0.38],
    "accuracy": [0.80, 0.85, 0.868],
    "val_loss": [0.44, 0.39, 0.36],
    "val_accuracy": [0.84, 0.855, 0.871],
}


def test_compare_histories_draws_every_curve_of_every_model():
    loss_ax, acc_ax = plots.plot_compare_histories({"numpy": NUMPY_HISTORY, "Keras": KERAS_HISTORY})
    assert [line.get_ydata().tolist() for line in acc_ax.lines] == [
        NUMPY_HISTORY["accuracy"],
        NUMPY_HISTORY["val_accuracy"],
        KERAS_HISTORY["accuracy"],
        KERAS_HISTORY["val_accuracy"],
    ]
    assert [line.get_label() for line in loss_ax.lines] == [
        "numpy, training",
        "numpy, validation",
        "Keras, training",
        "Keras, validation",
    ]
    assert loss_ax.get_ylabel() == "loss" and acc_ax.get_ylabel() == "accuracy"
    assert acc_ax.lines[0].get_xdata().tolist() == [1, 2, 3]


def test_compare_histories_tells_models_apart_by_colour_marker_and_line_style():
    loss_ax, _ = plots.plot_compare_histories({"numpy": NUMPY_HISTORY, "Keras": KERAS_HISTORY})
    numpy_train, numpy_val, keras_train, _ = loss_ax.lines
    assert to_rgb(numpy_train.get_color()) != to_rgb(keras_train.get_color())
    assert numpy_train.get_marker() != keras_train.get_marker()
    assert numpy_train.get_linestyle() != numpy_val.get_linestyle()
    # The second model is drawn thinner on top, so coinciding curves both stay visible.
    assert keras_train.get_linewidth() < numpy_train.get_linewidth()
    assert keras_train.get_zorder() > numpy_train.get_zorder()
    assert loss_ax.get_legend() is not None


def test_compare_histories_draws_on_given_axes_and_writes_alt_text_from_data():
    fig, axes = plt.subplots(1, 2)
    returned = plots.plot_compare_histories({"numpy": NUMPY_HISTORY}, axes=axes)
    assert list(returned) == list(axes)
    alt = plots.get_alt(fig)
    assert "over 3 epochs" in alt
    assert "numpy validation accuracy from 0.85 to 0.869" in alt
    assert "numpy training loss from 0.56 to 0.37" in alt


def test_compare_histories_accepts_keras_history_objects_and_training_only():
    class History:  # what model.fit returns: the dict is in .history
        def __init__(self):
            self.history = {"loss": [1.0, 0.5], "accuracy": [0.5, 0.7]}

    loss_ax, acc_ax = plots.plot_compare_histories({"Keras": History()})
    assert len(loss_ax.lines) == 1 and acc_ax.lines[0].get_ydata().tolist() == [0.5, 0.7]


def test_compare_histories_needs_a_history():
    with pytest.raises(ValueError, match="at least one"):
        plots.plot_compare_histories({})


# -- plot_probability_agreement ---------------------------------------------------------------


def test_plot_history_plots_training_and_validation():
    history = {
        "loss": [1.0, 0.5],
        "accuracy": [0.6, 0.8],
        "val_loss": [1.1, 0.7],
        "val_accuracy": [0.55, 0.75],
    }
    loss_ax, acc_ax = plots.plot_history(history)
    assert [line.get_ydata().tolist() for line in acc_ax.lines] == [[0.6, 0.8], [0.55, 0.75]]
    assert loss_ax.get_ylabel() == "loss"


def test_init_curves_plots_losses_and_the_chance_line():
    curves = {
        "He": (np.array([0, 10, 20]), np.array([2.3, 1.0, 0.6])),
        "zeros": ([0, 10, 20], [2.3] * 3),
    }
    _, ax = plt.subplots()
    assert plots.plot_init_curves(curves, ax=ax, chance=np.log(10)) is ax
    np.testing.assert_allclose(ax.lines[0].get_ydata(), [2.3, 1.0, 0.6])
    assert ax.lines[-1].get_ydata()[0] == pytest.approx(np.log(10))  # the dotted chance line
    assert ax.get_yscale() == "log"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["He", "zeros", "uniform guess"]
    assert "He from 2.3 to 0.6" in plots.get_alt(ax.figure)

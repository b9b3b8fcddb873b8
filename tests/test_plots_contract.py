"""The contract every plot function keeps: it draws on the axes it is given, returns them,
sets alt text written from the data, and never calls ``plt.show()`` (conftest fails any test
that does). One case per function listed in ``plots._LAZY``; a function added without a
case here fails ``test_every_plot_function_has_a_case``."""

import inspect

import matplotlib.pyplot as plt
import numpy as np
import pytest

from fashion_lessons import diagnostics, plots
from fashion_lessons.conv import EDGE_KERNELS
from fashion_lessons.graph import Value
from fashion_lessons.optimizers import SGD
from fashion_lessons.surfaces import QUADRATIC, quadratic, quadratic_grad, run_paths

RNG = np.random.default_rng(0)
IMAGES = RNG.random((6, 28, 28))
LABELS = np.array([0, 6, 2, 6, 0, 9])
PROBS = np.full((6, 10), 0.05)
PROBS[np.arange(6), [0, 0, 2, 6, 6, 9]] = 0.55
HISTORY = {
    "loss": [0.9, 0.5, 0.4],
    "accuracy": [0.7, 0.8, 0.85],
    "val_loss": [0.8, 0.6, 0.65],
    "val_accuracy": [0.72, 0.79, 0.8],
}


def _graph():
    x, w, b = Value(1.5, "x"), Value(0.8, "w"), Value(-0.5, "b")
    out = (x * w + b).relu()
    out.backward()
    return out


# name -> (rows, columns of the given axes, the call)
CASES = {
    "plot_activations": ((1, 2), lambda a: plots.plot_activations(["sigmoid", "tanh"], axes=a)),
    "plot_fits": (
        (1, 1),
        lambda a: plots.plot_fits(np.c_[0.0, 1.0].T, np.c_[0.0, 1.0].T, {"f": [[0], [1]]}, ax=a),
    ),
    "plot_layer_gradients": ((1, 1), lambda a: plots.plot_layer_gradients({"t": [0.1]}, ax=a)),
    "plot_computation_graph": ((1, 1), lambda a: plots.plot_computation_graph(_graph(), ax=a)),
    "plot_correlation": (
        (1, 3),
        lambda a: plots.plot_correlation(IMAGES[0], EDGE_KERNELS["outline"], axes=a),
    ),
    "plot_feature_maps": (
        (1, 2),
        lambda a: plots.plot_feature_maps(IMAGES[0, :, :, None][..., [0, 0]], axes=a),
    ),
    "plot_filters": ((1, 2), lambda a: plots.plot_filters(RNG.normal(size=(3, 3, 1, 2)), axes=a)),
    "plot_compare_histories": ((1, 2), lambda a: plots.plot_compare_histories({"a": HISTORY}, a)),
    "plot_curves": ((1, 1), lambda a: plots.plot_curves({"a": HISTORY}, ["loss"], a)),
    "plot_history": ((1, 2), lambda a: plots.plot_history(HISTORY, axes=a)),
    "plot_init_curves": (
        (1, 1),
        lambda a: plots.plot_init_curves({"x": ([0, 5], [2.3, 1.0])}, ax=a),
    ),
    "plot_descent_1d": (
        (1, 1),
        lambda a: plots.plot_descent_1d(np.square, {"a": np.array([1.0, 0.5])}, axes=a),
    ),
    "plot_descent_2d": (
        (1, 1),
        lambda a: plots.plot_descent_2d(
            quadratic, quadratic_grad, np.array([[-4.0, 1.0], [-3.0, 0.0]]), ax=a
        ),
    ),
    "plot_confused_pair": (
        (4, 2),
        lambda a: plots.plot_confused_pair(IMAGES, LABELS, PROBS.argmax(1), (0, 6), n=2, axes=a),
    ),
    "plot_confusion_matrix": (
        (1, 1),
        lambda a: plots.plot_confusion_matrix(
            diagnostics.confusion_matrix(LABELS, PROBS.argmax(1)), ax=a
        ),
    ),
    "plot_learning_curves": ((1, 2), lambda a: plots.plot_learning_curves(HISTORY, best=2, axes=a)),
    "plot_reliability": (
        (2, 1),
        lambda a: plots.plot_reliability(diagnostics.reliability_bins(PROBS, LABELS, 4), axes=a),
    ),
    "plot_image": ((1, 1), lambda a: plots.plot_image(IMAGES[0], ax=a)),
    "plot_pixel_histogram": ((1, 1), lambda a: plots.plot_pixel_histogram(IMAGES, ax=a)),
    "plot_prediction": ((1, 2), lambda a: plots.plot_prediction(IMAGES[0], PROBS[0], 0, axes=a)),
    "plot_predictions": (
        (2, 6),
        lambda a: plots.plot_predictions(IMAGES, PROBS, LABELS, ncols=6, axes=a),
    ),
    "plot_probabilities": ((1, 1), lambda a: plots.plot_probabilities(PROBS[0], 0, ax=a)),
    "show_images": ((2, 3), lambda a: plots.show_images(IMAGES, LABELS, ncols=3, axes=a)),
    "plot_ce_vs_mse": (
        (1, 2),
        lambda a: plots.plot_ce_vs_mse(
            np.array([0.1, 0.5, 0.9]),
            {name: (np.ones(3), -np.ones(3)) for name in ["cross-entropy", "mean squared error"]},
            n_classes=3,
            axes=a,
        ),
    ),
    "plot_losses": ((1, 2), lambda a: plots.plot_losses(axes=a)),
    "plot_gradient_noise": (
        (1, 2),
        lambda a: plots.plot_gradient_noise(
            {"batch_size": [1, 10], "relative_error": [1.0, 0.3], "seconds": [1e-4, 2e-4]}, axes=a
        ),
    ),
    "plot_network": ((1, 1), lambda a: plots.plot_network([4, 3, 2], ax=a)),
    "plot_bias_placement": ((1, 3), lambda a: plots.plot_bias_placement(axes=a)),
    "plot_neuron_diagram": ((1, 1), lambda a: plots.plot_neuron_diagram(ax=a)),
    "plot_neuron_on_image": (
        (1, 3),
        lambda a: plots.plot_neuron_on_image(np.zeros(784), np.ones(784), 0.5, axes=a),
    ),
    "plot_loss_curves": ((1, 1), lambda a: plots.plot_loss_curves({"SGD": [3.0, 1.0]}, ax=a)),
    "plot_optimizer_comparison": (
        (1, 2),
        lambda a: plots.plot_optimizer_comparison({"SGD": HISTORY}, axes=a),
    ),
    "plot_optimizer_paths": (
        (1, 1),
        lambda a: plots.plot_optimizer_paths(
            [QUADRATIC], [run_paths(QUADRATIC, {"GD": SGD(0.1)}, 5)], axes=a
        ),
    ),
    "plot_validation_curves": ((1, 2), lambda a: plots.plot_validation_curves({"a": HISTORY}, a)),
    "plot_weight_histograms": (
        (1, 1),
        lambda a: plots.plot_weight_histograms({"a": RNG.normal(size=50)}, ax=a),
    ),
    "plot_probability_agreement": (
        (1, 2),
        lambda a: plots.plot_probability_agreement(PROBS, PROBS + 1e-7, axes=a),
    ),
    "plot_activation_spread": (
        (1, 1),
        lambda a: plots.plot_activation_spread({"ReLU": {"He": [1.0, 0.9, 1.1]}}, axes=a),
    ),
    "plot_bias_boundary": ((1, 3), lambda a: plots.plot_bias_boundary(axes=a)),
    "plot_weight_images": (
        (1, 3),
        lambda a: plots.plot_weight_images(RNG.normal(size=(784, 3)), axes=a),
    ),
}

# Helpers in the table that compute or style, and draw nothing.
NOT_FIGURES = {"activation_curves", "graph_layout", "optimizer_style"}


def test_every_plot_function_has_a_case():
    assert set(CASES) | NOT_FIGURES == set(plots._LAZY)


@pytest.mark.parametrize("name", sorted(CASES))
def test_draws_on_the_given_axes_returns_them_and_sets_alt_text(name):
    (rows, cols), draw = CASES[name]
    figure, given = plt.subplots(rows, cols, squeeze=False, figsize=(2.0 * cols, 2.0 * rows))
    given = list(given.ravel())
    returned = draw(given[0] if len(given) == 1 else given)
    assert plt.get_fignums() == [figure.number], "drew on a figure of its own"
    returned = list(np.ravel(np.asarray(returned, dtype=object)))
    assert returned[0] is given[0]
    assert all(any(ax is g for g in given) for ax in returned)
    assert plots.get_alt(figure), "no alt text"


def test_plot_functions_take_their_axes_as_ax_or_axes():
    for name in CASES:
        parameters = inspect.signature(getattr(plots, name)).parameters
        assert {"ax", "axes"} & set(parameters), name

"""Figures used by the chapters, one module per topic, all reachable from here.

Every plot function draws on the axes it is given (``ax=None`` or ``axes=None``
creates a new figure), returns what it drew on, attaches alt text written from
the data (:func:`set_alt`) and never calls ``plt.show()``: a notebook shows the
figure at the end of the cell, a script saves it.

``plots.plot_image`` loads ``plots.images`` on first use and nothing else: a
topic module (and what it imports, say :mod:`fashion_lessons.graph`) is imported
only by a chapter that draws with it. The book's build follows the same table,
``_LAZY``, to know which modules a chapter depends on
(:mod:`fashion_lessons.sphinxext.dependencies`), so editing one re-executes only
the chapters that use it.
"""

from importlib import import_module

from fashion_lessons.plots import _display
from fashion_lessons.plots._style import (
    BLUE,
    FG,
    GREEN,
    GREY,
    ORANGE,
    PALETTE,
    PURPLE,
    RIGHT,
    RUN_STYLES,
    SIGNED_CMAP,
    SKY,
    VERMILLION,
    WRONG,
    get_alt,
    run_style,
    set_alt,
    set_book_defaults,
)


def use_book_style() -> None:
    """Set matplotlib defaults shared by every figure in the book.

    In a notebook, figures are also displayed as a light/dark pair with their alt
    text (see :mod:`fashion_lessons.plots._display`).
    """
    _display.enable()
    set_book_defaults()


#: Each plot function's topic module (``fashion_lessons.plots.<module>``).
_LAZY = {
    "activation_curves": "activations",
    "plot_activations": "activations",
    "plot_fits": "activations",
    "plot_layer_gradients": "activations",
    "graph_layout": "backprop",
    "plot_computation_graph": "backprop",
    "plot_correlation": "conv",
    "plot_feature_maps": "conv",
    "plot_filters": "conv",
    "plot_compare_histories": "curves",
    "plot_curves": "curves",
    "plot_history": "curves",
    "plot_init_curves": "curves",
    "plot_descent_1d": "descent",
    "plot_descent_2d": "descent",
    "plot_confused_pair": "diagnostics",
    "plot_confusion_matrix": "diagnostics",
    "plot_learning_curves": "diagnostics",
    "plot_reliability": "diagnostics",
    "plot_image": "images",
    "plot_pixel_histogram": "images",
    "plot_prediction": "images",
    "plot_predictions": "images",
    "plot_probabilities": "images",
    "show_images": "images",
    "plot_ce_vs_mse": "losses",
    "plot_losses": "losses",
    "plot_gradient_noise": "minibatch",
    "plot_network": "network",
    "plot_bias_placement": "neurons",
    "plot_neuron_diagram": "neurons",
    "plot_neuron_on_image": "neurons",
    "optimizer_style": "optimizers",
    "plot_loss_curves": "optimizers",
    "plot_optimizer_comparison": "optimizers",
    "plot_optimizer_paths": "optimizers",
    "plot_validation_curves": "regularization",
    "plot_weight_histograms": "regularization",
    "plot_probability_agreement": "scratch",
    "plot_activation_spread": "weights",
    "plot_bias_boundary": "weights",
    "plot_weight_images": "weights",
}


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(import_module(f"{__name__}.{_LAZY[name]}"), name)
        globals()[name] = value  # found directly next time
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))

"""Figures used by the chapters, one module per topic, all importable from here.

Every plot function draws on the axes it is given (``ax=None`` or ``axes=None``
creates a new figure), returns what it drew on, attaches alt text written from
the data (:func:`set_alt`) and never calls ``plt.show()``: a notebook shows the
figure at the end of the cell, a script saves it.
"""

from fashion_lessons.plots._style import (
    BLUE,
    FG,
    GREEN,
    GREY,
    ORANGE,
    PALETTE,
    PURPLE,
    RIGHT,
    SKY,
    VERMILLION,
    WRONG,
    get_alt,
    set_alt,
    use_book_style,
)
from fashion_lessons.plots.activations import *  # noqa: F403
from fashion_lessons.plots.backprop import *  # noqa: F403
from fashion_lessons.plots.conv import *  # noqa: F403
from fashion_lessons.plots.diagnostics import *  # noqa: F403
from fashion_lessons.plots.images import (
    plot_history,
    plot_image,
    plot_pixel_histogram,
    plot_prediction,
    plot_predictions,
    plot_probabilities,
    show_images,
)
from fashion_lessons.plots.losses import *  # noqa: F403
from fashion_lessons.plots.neurons import *  # noqa: F403
from fashion_lessons.plots.optimizers import *  # noqa: F403
from fashion_lessons.plots.regularization import *  # noqa: F403
from fashion_lessons.plots.scratch import *  # noqa: F403
from fashion_lessons.plots.weights import *  # noqa: F403

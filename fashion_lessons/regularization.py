"""Regularization from scratch: inverted dropout, the L2 penalty and shifted images.

Each function is the numpy version of something Keras does for us, and the tests
check the two agree: :func:`dropout` against ``keras.layers.Dropout``,
:func:`l2_penalty` and :func:`l2_gradient` against
``keras.regularizers.L2``, and (from :mod:`fashion_lessons.augmentation`, whose
names this module re-exports for the chapter) :func:`shift_images` against
``keras.layers.RandomTranslation``. The rest is the plumbing of the chapter's
experiment, which trains the same network, from the same weights, on the same
batches for every run, with one regularizer switched on at a time
(:func:`build_regularized_mlp`, :class:`DataLoss`, :class:`Run`,
:func:`results_table`, from :mod:`fashion_lessons.runs` and re-exported here).
"""

from __future__ import annotations

import keras
import numpy as np

from fashion_lessons.augmentation import EpochBatches, facing_share, random_shifts, shift_images
from fashion_lessons.runs import DataLoss, Run, build_regularized_mlp, results_table

__all__ = [
    "DataLoss",
    "EpochBatches",
    "Run",
    "build_regularized_mlp",
    "dropout",
    "facing_share",
    "kernel_norm",
    "l2_gradient",
    "l2_penalty",
    "random_shifts",
    "results_table",
    "shift_images",
]


# -- Dropout ------------------------------------------------------------------


def dropout(x: np.ndarray, rate: float, rng: np.random.Generator, training: bool = True):
    """Inverted dropout: zero each entry with probability ``rate``, scale the rest up.

    In training, every entry is kept with probability ``1 - rate`` and divided
    by ``1 - rate``, so that its expected value is unchanged; at inference the
    input passes through untouched.

    Parameters
    ----------
    x : ndarray of any shape
        Activations, e.g. of shape ``(batch, units)``.
    rate : float in [0, 1)
        The probability of dropping an entry.
    rng : numpy.random.Generator
        Where the random mask comes from.
    training : bool, default True
        False for inference: return ``x`` as it is.

    Returns
    -------
    ndarray of the shape and dtype of ``x``
    """
    if not 0.0 <= rate < 1.0:
        raise ValueError(f"rate must be in [0, 1), got {rate}")
    if not training or rate == 0.0:
        return x
    keep = rng.random(x.shape) >= rate
    return np.where(keep, x / (1.0 - rate), 0.0).astype(x.dtype)


# -- L2 penalty ---------------------------------------------------------------


def l2_penalty(weights, l2: float) -> float:
    """The L2 penalty ``l2 * sum(w ** 2)`` over every array in ``weights``.

    Parameters
    ----------
    weights : iterable of ndarray
        The penalized arrays, e.g. the kernels of the Dense layers.
    l2 : float
        The strength lambda, as in ``keras.regularizers.L2(l2)``.

    Returns
    -------
    float
    """
    return float(l2 * sum(np.sum(np.square(np.asarray(w, dtype=np.float64))) for w in weights))


def l2_gradient(w: np.ndarray, l2: float) -> np.ndarray:
    """The gradient of ``l2 * sum(w ** 2)`` with respect to ``w``: ``2 * l2 * w``."""
    return 2.0 * l2 * w


def kernel_norm(model: keras.Model) -> float:
    """The Euclidean norm of all the kernels (weight matrices) of a model, biases left out.

    The square root of the sum the L2 penalty charges for, ``sqrt(sum(w ** 2))``.
    """
    kernels = [layer.kernel.numpy() for layer in model.layers if hasattr(layer, "kernel")]
    return float(np.sqrt(l2_penalty(kernels, 1.0)))

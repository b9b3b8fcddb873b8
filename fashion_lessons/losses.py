"""Loss functions and their gradients, in plain NumPy.

Each loss returns one value per example, like the ``keras.losses.<name>`` functions (not the
``Loss`` classes, which also average over the batch): it reduces only the last axis, so
``y_pred`` of shape (batch, n) gives a loss of shape (batch,).

Each ``<name>_gradient`` returns ``d loss[i] / d y_pred[i]`` for every example ``i``, with the
shape of ``y_pred``. Because examples do not interact, this is also the gradient of
``loss.sum()`` (divide by the batch size for the gradient of the batch mean that Keras
minimises).

The regression losses and the hinge loss are written here; the cross-entropies are in
:mod:`fashion_lessons.crossentropy`, and :data:`LOSSES` lists them all.
"""

import numpy as np

from fashion_lessons._arrays import prepare, same_rank
from fashion_lessons.crossentropy import (
    EPSILON,
    binary_crossentropy,
    binary_crossentropy_gradient,
    categorical_crossentropy,
    categorical_crossentropy_gradient,
    sparse_categorical_crossentropy,
    sparse_categorical_crossentropy_gradient,
)

__all__ = [
    "EPSILON",
    "LOSSES",
    "LOSS_GRADIENTS",
    "binary_crossentropy",
    "binary_crossentropy_gradient",
    "categorical_crossentropy",
    "categorical_crossentropy_gradient",
    "hinge",
    "hinge_gradient",
    "mean_absolute_error",
    "mean_absolute_error_gradient",
    "mean_squared_error",
    "mean_squared_error_gradient",
    "sparse_categorical_crossentropy",
    "sparse_categorical_crossentropy_gradient",
]


def _hinge_labels(y_true):
    """Turn 0/1 labels into -1/+1, as Keras does, but only if *every* label is 0 or 1."""
    is_binary = np.all((y_true == 0) | (y_true == 1))
    return 2 * y_true - 1 if is_binary else y_true


# -- Regression losses -----------------------------------------------------------------------------


def mean_squared_error(y_true, y_pred):
    """Mean squared error per example: ``mean((y_true - y_pred)**2)`` over the last axis.

    Parameters
    ----------
    y_true : ndarray of shape (..., n)
        Targets. Shape (batch,) against y_pred (batch, 1), or the reverse, is also accepted.
    y_pred : ndarray of shape (..., n)
        Predictions.

    Returns
    -------
    ndarray of shape (...)
        One loss per example.
    """
    y_true, y_pred = same_rank(*prepare(y_true, y_pred))
    return np.mean(np.square(y_true - y_pred), axis=-1)


def mean_squared_error_gradient(y_true, y_pred):
    """Gradient of :func:`mean_squared_error` w.r.t. ``y_pred``: ``2 * (y_pred - y_true) / n``.

    Parameters are those of :func:`mean_squared_error`; the result, an ndarray, has the shape
    of ``y_pred``.
    """
    y_true, y_pred = prepare(y_true, y_pred)
    shape = y_pred.shape
    y_true, y_pred = same_rank(y_true, y_pred)
    return (2 * (y_pred - y_true) / y_pred.shape[-1]).reshape(shape)


def mean_absolute_error(y_true, y_pred):
    """Mean absolute error per example: ``mean(|y_true - y_pred|)`` over the last axis.

    Parameters and result are those of :func:`mean_squared_error`: targets and predictions
    of shape (..., n), one loss per example, of shape (...).
    """
    y_true, y_pred = same_rank(*prepare(y_true, y_pred))
    return np.mean(np.abs(y_true - y_pred), axis=-1)


def mean_absolute_error_gradient(y_true, y_pred):
    """Gradient of :func:`mean_absolute_error` w.r.t. ``y_pred``: ``sign(y_pred - y_true) / n``.

    At the kink ``y_pred == y_true`` we use 0 (``sign(0) = 0``), as TensorFlow's gradient does.

    Parameters are those of :func:`mean_absolute_error`; the result, an ndarray, has the shape
    of ``y_pred``.
    """
    y_true, y_pred = prepare(y_true, y_pred)
    shape = y_pred.shape
    y_true, y_pred = same_rank(y_true, y_pred)
    return (np.sign(y_pred - y_true) / y_pred.shape[-1]).reshape(shape)


# -- Hinge -----------------------------------------------------------------------------------------


def hinge(y_true, y_pred):
    """Hinge loss per example: ``mean(max(1 - y_true * y_pred, 0))`` over the last axis.

    Labels should be -1 or +1. Like Keras, if *every* label in ``y_true`` is 0 or 1 they are
    first mapped to -1/+1 (``2 * y_true - 1``); a mix such as {-1, 0, 1} is used unchanged.

    Parameters
    ----------
    y_true : ndarray of shape (..., n)
        Labels in {-1, +1} (or all in {0, 1}).
    y_pred : ndarray of shape (..., n)
        Scores (not probabilities).

    Returns
    -------
    ndarray of shape (...)
        One loss per example; 0 once every score is on the right side with margin 1.
    """
    y_true, y_pred = prepare(y_true, y_pred)
    y_true = _hinge_labels(y_true)
    return np.mean(np.maximum(1 - y_true * y_pred, 0), axis=-1)


def hinge_gradient(y_true, y_pred):
    """Gradient of :func:`hinge` w.r.t. ``y_pred``: ``-y_true / n`` where the margin is violated.

    "Violated" means ``1 - y_true * y_pred >= 0``, with the label mapping of :func:`hinge`.
    At the kink (margin exactly 1) we count the margin as violated, as TensorFlow's gradient of
    ``maximum`` does for ties; elsewhere the gradient is 0.

    Parameters are those of :func:`hinge`; the result, an ndarray, has the shape
    of ``y_pred``.
    """
    y_true, y_pred = prepare(y_true, y_pred)
    y_true = _hinge_labels(y_true)
    active = 1 - y_true * y_pred >= 0
    return np.where(active, -y_true, 0) / y_pred.shape[-1]


#: name -> per-example loss function.
LOSSES = {
    "mean_squared_error": mean_squared_error,
    "mean_absolute_error": mean_absolute_error,
    "hinge": hinge,
    "binary_crossentropy": binary_crossentropy,
    "categorical_crossentropy": categorical_crossentropy,
    "sparse_categorical_crossentropy": sparse_categorical_crossentropy,
}

#: name -> gradient of that loss with respect to y_pred.
LOSS_GRADIENTS = {
    "mean_squared_error": mean_squared_error_gradient,
    "mean_absolute_error": mean_absolute_error_gradient,
    "hinge": hinge_gradient,
    "binary_crossentropy": binary_crossentropy_gradient,
    "categorical_crossentropy": categorical_crossentropy_gradient,
    "sparse_categorical_crossentropy": sparse_categorical_crossentropy_gradient,
}

"""Array conventions shared by the numpy twins of Keras functions.

Keras keeps a float32 input float32 and a float64 one float64, casts targets to the
dtype of the predictions, and accepts targets of shape (batch,) against predictions
of shape (batch, 1). These helpers do the same for :mod:`fashion_lessons.activations`,
:mod:`fashion_lessons.losses` and :mod:`fashion_lessons.crossentropy`.
"""

import numpy as np

__all__ = ["as_float", "prepare", "same_rank"]


def as_float(x):
    """Return ``x`` as a float ndarray, keeping float32/float64 as given."""
    x = np.asarray(x)
    return x if np.issubdtype(x.dtype, np.floating) else x.astype(np.float64)


def prepare(y_true, y_pred):
    """Return float ndarrays: y_pred keeps its float dtype, y_true is cast to it (as Keras does)."""
    y_pred = as_float(y_pred)
    return np.asarray(y_true).astype(y_pred.dtype), y_pred


def same_rank(y_true, y_pred):
    """Match ranks like Keras: a trailing axis of size 1 is added to or dropped from one side."""
    if y_true.ndim == y_pred.ndim + 1 and y_true.shape[-1] == 1:
        if y_pred.ndim == 1:
            y_pred = y_pred[:, None]
        else:
            y_true = y_true[..., 0]
    elif y_pred.ndim == y_true.ndim + 1 and y_pred.shape[-1] == 1:
        if y_true.ndim == 1:
            y_true = y_true[:, None]
        else:
            y_pred = y_pred[..., 0]
    return y_true, y_pred

"""Array conventions shared by the numpy twins of Keras functions.

Keras keeps a float32 input float32 and a float64 one float64, casts targets to the
dtype of the predictions, and accepts targets of shape (batch,) against predictions
of shape (batch, 1). These helpers do the same for :mod:`fashion_lessons.activations`,
:mod:`fashion_lessons.losses` and :mod:`fashion_lessons.crossentropy`.

:func:`check_labels` and :func:`check_probabilities` check what a classifier's
judges (:mod:`fashion_lessons.diagnostics`, :mod:`fashion_lessons.calibration`) are
given, with errors that say how to fix it.
"""

import numpy as np

__all__ = ["as_float", "check_labels", "check_probabilities", "prepare", "same_rank"]


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


def check_labels(labels, name: str, num_classes: int | None = None) -> np.ndarray:
    """``labels`` as a 1-D integer array in ``0..num_classes - 1``, or a clear ValueError."""
    array = np.asarray(labels)
    if array.ndim != 1:
        raise ValueError(
            f"{name} must be a 1-D array of class numbers, got shape {array.shape}; "
            "if you have probabilities or one-hot rows, take np.argmax(..., axis=1) first"
        )
    if array.size and not np.issubdtype(array.dtype, np.integer):
        if not np.all(np.mod(array, 1) == 0):
            raise ValueError(f"{name} must hold whole class numbers, got {array[:5]}...")
        array = array.astype(np.int64)
    if array.size and array.min() < 0:
        raise ValueError(f"{name} holds the negative class {array.min()}; classes start at 0")
    if num_classes is not None and array.size and array.max() >= num_classes:
        raise ValueError(
            f"{name} holds class {array.max()}, but num_classes={num_classes} allows only "
            f"0..{num_classes - 1}; pass a larger num_classes"
        )
    return array.astype(np.int64, copy=False)


def check_probabilities(probabilities, labels):
    """Checked ``(probabilities of shape (n, k), labels of shape (n,))``."""
    probs = np.asarray(probabilities, dtype=np.float64)
    if probs.ndim != 2:
        raise ValueError(
            f"probabilities must have shape (n_examples, n_classes), got {probs.shape}; "
            "pass the output of model.predict for a batch of images"
        )
    if probs.size and (probs.min() < 0 or probs.max() > 1 + 1e-6):
        raise ValueError(
            "probabilities must lie in [0, 1] (a softmax output); got values from "
            f"{probs.min():.3g} to {probs.max():.3g}. Apply a softmax to logits first"
        )
    labels = check_labels(labels, "labels", probs.shape[1])
    if len(labels) != len(probs):
        raise ValueError(
            f"probabilities has {len(probs)} rows but labels has {len(labels)} entries; "
            "pass one label per row"
        )
    return probs, labels

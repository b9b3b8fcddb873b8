"""Judging a trained classifier: where it errs, and whether its confidence means anything.

Everything here works on plain NumPy arrays of labels and predicted probabilities,
so it applies to any classifier, not only a Keras one:

* :func:`best_epoch` finds the epoch where a validation curve was best;
* :func:`confusion_matrix` counts every (true class, predicted class) pair, and
  :func:`most_confused_pairs` reads the largest mix-ups off it;
* :func:`confidently_wrong` picks the mistakes made with the most confidence;
* :func:`reliability_bins` and :func:`expected_calibration_error` check whether a
  confidence of 90 % is right 90 % of the time (Guo et al., 2017);
* :func:`apply_temperature` and :func:`fit_temperature` soften (or sharpen)
  probabilities with one number fitted on the validation set.

The last two groups live in :mod:`fashion_lessons.calibration` and are listed here too.
"""

from __future__ import annotations

import numpy as np

from fashion_lessons._arrays import check_labels, check_probabilities
from fashion_lessons.calibration import (
    Reliability,
    apply_temperature,
    expected_calibration_error,
    fit_temperature,
    reliability_bins,
)

__all__ = [
    "Reliability",
    "apply_temperature",
    "best_epoch",
    "confidently_wrong",
    "confusion_matrix",
    "expected_calibration_error",
    "fit_temperature",
    "most_confused_pairs",
    "reliability_bins",
]


# -- Learning curves --------------------------------------------------------------


def best_epoch(values, mode: str = "min") -> int:
    """The epoch, counted from 1, at which a curve was best.

    Ties go to the earliest epoch, as with Keras's ``EarlyStopping``, which only
    counts a strict improvement as one.

    Parameters
    ----------
    values : sequence of float, shape (n_epochs,)
        One value per epoch, e.g. ``history.history["val_loss"]``.
    mode : {"min", "max"}, default "min"
        "min" for a loss, "max" for an accuracy.

    Returns
    -------
    int
        The 1-based epoch of the best value.
    """
    values = np.asarray(values, dtype=np.float64)
    if values.ndim != 1 or values.size == 0:
        raise ValueError(
            f"values must be a non-empty 1-D sequence with one value per epoch, "
            f"got shape {values.shape}"
        )
    if mode not in ("min", "max"):
        raise ValueError(f"mode must be 'min' (for a loss) or 'max' (for accuracy), got {mode!r}")
    index = np.argmin(values) if mode == "min" else np.argmax(values)
    return int(index) + 1


# -- Where the mistakes are -------------------------------------------------------


def confusion_matrix(y_true, y_pred, num_classes: int = 10) -> np.ndarray:
    """Count every (true class, predicted class) pair.

    Parameters
    ----------
    y_true : ndarray of int, shape (n,)
        The true classes.
    y_pred : ndarray of int, shape (n,)
        The predicted classes (``np.argmax(probabilities, axis=1)``).
    num_classes : int, default 10

    Returns
    -------
    ndarray of int64, shape (num_classes, num_classes)
        Entry ``[i, j]`` is the number of examples of class ``i`` predicted as
        class ``j``: rows are true classes, columns predictions, so the diagonal
        holds the right answers and each row sums to the size of its class. The
        same convention as ``tf.math.confusion_matrix``.
    """
    if int(num_classes) != num_classes or num_classes < 1:
        raise ValueError(f"num_classes must be a positive whole number, got {num_classes!r}")
    y_true = check_labels(y_true, "y_true", num_classes)
    y_pred = check_labels(y_pred, "y_pred", num_classes)
    if len(y_true) != len(y_pred):
        raise ValueError(
            f"y_true has {len(y_true)} labels but y_pred has {len(y_pred)}; "
            "pass one prediction per example"
        )
    counts = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(counts, (y_true, y_pred), 1)
    return counts


def most_confused_pairs(confusion, k: int = 5, both_directions: bool = False):
    """The largest off-diagonal entries of a confusion matrix, largest first.

    Parameters
    ----------
    confusion : ndarray of int, shape (n_classes, n_classes)
        From :func:`confusion_matrix`: rows true classes, columns predictions.
    k : int, default 5
        How many pairs to return (fewer if fewer pairs have any mistakes).
    both_directions : bool, default False
        False: ``(true, predicted)`` pairs, so "shirt taken for T-shirt" and
        "T-shirt taken for shirt" are separate. True: unordered pairs ``(a, b)``
        with ``a < b``, counting the mistakes both ways.

    Returns
    -------
    list of (int, int, int)
        ``(true, predicted, count)`` (or ``(a, b, count)``) for pairs with a
        non-zero count, sorted by count, largest first; ties keep row order.
    """
    confusion = np.asarray(confusion)
    if confusion.ndim != 2 or confusion.shape[0] != confusion.shape[1]:
        raise ValueError(
            f"confusion must be a square matrix (n_classes, n_classes), got {confusion.shape}"
        )
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    off = confusion.astype(np.int64)
    if both_directions:
        off = np.triu(off + off.T, k=1)
    else:
        off = off.copy()
        np.fill_diagonal(off, 0)
    flat = np.argsort(-off, axis=None, kind="stable")[:k]
    pairs = []
    for index in flat:
        i, j = np.unravel_index(index, off.shape)
        if off[i, j] > 0:
            pairs.append((int(i), int(j), int(off[i, j])))
    return pairs


def confidently_wrong(probabilities, labels, k: int = 12) -> np.ndarray:
    """The indices of the ``k`` mistakes made with the highest confidence.

    The confidence of a prediction is the probability of the predicted class,
    the largest of the row.

    Parameters
    ----------
    probabilities : ndarray of shape (n, n_classes)
    labels : ndarray of int, shape (n,)
        The true classes.
    k : int, default 12

    Returns
    -------
    ndarray of int, shape (min(k, n_wrong),)
        Row indices of wrong predictions, most confident first.
    """
    probs, labels = check_probabilities(probabilities, labels)
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    predicted = probs.argmax(axis=1)
    wrong = np.flatnonzero(predicted != labels)
    confidence = probs[wrong, predicted[wrong]]
    return wrong[np.argsort(-confidence, kind="stable")[:k]]

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
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

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


# -- Checking inputs ------------------------------------------------------------


def _labels(labels, name: str, num_classes: int | None = None) -> np.ndarray:
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


def _probabilities_and_labels(probabilities, labels):
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
    labels = _labels(labels, "labels", probs.shape[1])
    if len(labels) != len(probs):
        raise ValueError(
            f"probabilities has {len(probs)} rows but labels has {len(labels)} entries; "
            "pass one label per row"
        )
    return probs, labels


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
    y_true = _labels(y_true, "y_true", num_classes)
    y_pred = _labels(y_pred, "y_pred", num_classes)
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
    probs, labels = _probabilities_and_labels(probabilities, labels)
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    predicted = probs.argmax(axis=1)
    wrong = np.flatnonzero(predicted != labels)
    confidence = probs[wrong, predicted[wrong]]
    return wrong[np.argsort(-confidence, kind="stable")[:k]]


# -- Calibration --------------------------------------------------------------------


@dataclass(frozen=True)
class Reliability:
    """Predictions grouped by confidence: how sure the model was, and how often right.

    Attributes
    ----------
    edges : ndarray of shape (n_bins + 1,)
        Bin edges from 0 to 1; bin ``b`` holds confidences in
        ``(edges[b], edges[b + 1]]`` (the first bin also holds 0).
    confidence : ndarray of shape (n_bins,)
        Mean confidence of the predictions in each bin (NaN for an empty bin).
    accuracy : ndarray of shape (n_bins,)
        Fraction of them that are right (NaN for an empty bin).
    count : ndarray of int, shape (n_bins,)
        Number of predictions in each bin.
    """

    edges: np.ndarray
    confidence: np.ndarray
    accuracy: np.ndarray
    count: np.ndarray

    @property
    def ece(self) -> float:
        """Expected calibration error: the count-weighted mean of ``|accuracy - confidence|``."""
        used = self.count > 0
        weights = self.count[used] / self.count.sum()
        return float(np.sum(weights * np.abs(self.accuracy[used] - self.confidence[used])))

    @property
    def overconfidence(self) -> float:
        """Mean confidence minus accuracy over all predictions: above 0 means overconfident."""
        used = self.count > 0
        weights = self.count[used] / self.count.sum()
        return float(np.sum(weights * (self.confidence[used] - self.accuracy[used])))


def reliability_bins(probabilities, labels, n_bins: int = 10) -> Reliability:
    """Group predictions into equal-width confidence bins; measure each bin's accuracy.

    A calibrated model's predictions made with confidence near 0.9 are right about
    90 % of the time: in every bin, accuracy is close to mean confidence.

    Parameters
    ----------
    probabilities : ndarray of shape (n, n_classes)
        Predicted class probabilities, rows summing to 1.
    labels : ndarray of int, shape (n,)
        The true classes.
    n_bins : int, default 10
        Number of equal-width bins over [0, 1].

    Returns
    -------
    Reliability
        Per-bin mean confidence, accuracy and count, and the
        :attr:`~Reliability.ece`.
    """
    probs, labels = _probabilities_and_labels(probabilities, labels)
    if int(n_bins) != n_bins or n_bins < 1:
        raise ValueError(f"n_bins must be a positive whole number, got {n_bins!r}")
    if len(probs) == 0:
        raise ValueError("no predictions to bin: probabilities has no rows")
    n_bins = int(n_bins)
    confidence = probs.max(axis=1)
    right = probs.argmax(axis=1) == labels
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    # Bin b holds (edges[b], edges[b + 1]]; a confidence of exactly 0 goes to bin 0.
    which = np.clip(np.searchsorted(edges, confidence, side="left") - 1, 0, n_bins - 1)
    count = np.bincount(which, minlength=n_bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_confidence = np.bincount(which, weights=confidence, minlength=n_bins) / count
        accuracy = np.bincount(which, weights=right, minlength=n_bins) / count
    return Reliability(edges, mean_confidence, accuracy, count)


def expected_calibration_error(probabilities, labels, n_bins: int = 10) -> float:
    """Expected calibration error (ECE) over equal-width confidence bins.

    .. math::

        \\mathrm{ECE} = \\sum_b \\frac{n_b}{n}
        \\left| \\mathrm{acc}_b - \\mathrm{conf}_b \\right|

    Parameters
    ----------
    probabilities : ndarray of shape (n, n_classes)
    labels : ndarray of int, shape (n,)
    n_bins : int, default 10

    Returns
    -------
    float
        Between 0 (calibrated in every bin) and 1.
    """
    return reliability_bins(probabilities, labels, n_bins).ece


def apply_temperature(probabilities, temperature: float) -> np.ndarray:
    """Rescale predicted probabilities by a temperature: ``softmax(log(p) / T)``.

    Dividing the logits by ``T`` is the same as this up to a constant per row,
    which softmax ignores. ``T > 1`` softens the probabilities (less confident),
    ``T < 1`` sharpens them; the predicted class never changes.

    Parameters
    ----------
    probabilities : ndarray of shape (n, n_classes)
    temperature : float
        Positive.

    Returns
    -------
    ndarray of float64, shape (n, n_classes)
    """
    if not temperature > 0:
        raise ValueError(f"temperature must be positive, got {temperature!r}")
    probs = np.asarray(probabilities, dtype=np.float64)
    if probs.ndim != 2:
        raise ValueError(
            f"probabilities must have shape (n_examples, n_classes), got {probs.shape}"
        )
    logits = np.log(np.clip(probs, 1e-30, None)) / temperature
    logits -= logits.max(axis=1, keepdims=True)  # for numerical stability
    scaled = np.exp(logits)
    return scaled / scaled.sum(axis=1, keepdims=True)


def fit_temperature(probabilities, labels, temperatures=None) -> float:
    """The temperature that minimizes the cross-entropy of ``probabilities``.

    Fit it on the validation set, never on the test set: it is a setting chosen
    from data, like the epoch to stop at.

    Parameters
    ----------
    probabilities : ndarray of shape (n, n_classes)
    labels : ndarray of int, shape (n,)
    temperatures : sequence of float, optional
        Candidates to try; by default 301 values from 0.5 to 3.5 in steps of 0.01.

    Returns
    -------
    float
        The candidate with the lowest mean cross-entropy ``-log p_y``.
    """
    probs, labels = _probabilities_and_labels(probabilities, labels)
    if temperatures is None:
        temperatures = np.round(np.linspace(0.5, 3.5, 301), 2)
    temperatures = np.asarray(temperatures, dtype=np.float64)
    if temperatures.ndim != 1 or temperatures.size == 0 or not np.all(temperatures > 0):
        raise ValueError("temperatures must be a non-empty 1-D sequence of positive numbers")
    rows = np.arange(len(labels))
    losses = [
        -np.mean(np.log(np.clip(apply_temperature(probs, t)[rows, labels], 1e-30, None)))
        for t in temperatures
    ]
    return float(temperatures[int(np.argmin(losses))])

"""Calibration: is a confidence of 90 % right 90 % of the time (Guo et al., 2017)?

* :func:`reliability_bins` groups predictions by confidence and measures each
  group's accuracy (a :class:`Reliability`); :func:`expected_calibration_error`
  sums up the gap;
* :func:`apply_temperature` and :func:`fit_temperature` soften (or sharpen)
  probabilities with one number fitted on the validation set.

:mod:`fashion_lessons.diagnostics` lists these with the other judges of a classifier.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fashion_lessons._arrays import check_probabilities

__all__ = [
    "Reliability",
    "apply_temperature",
    "expected_calibration_error",
    "fit_temperature",
    "reliability_bins",
]


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
    probs, labels = check_probabilities(probabilities, labels)
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
    probs, labels = check_probabilities(probabilities, labels)
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

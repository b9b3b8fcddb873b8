"""Calibration: reliability bins by hand, the expected calibration error, temperature scaling."""

import numpy as np
import pytest
import tensorflow as tf

from fashion_lessons import calibration as cal

# Five two-class predictions, worked by hand below:
# confidence 0.9 right, 0.8 wrong, 0.7 right, 0.6 right, 0.55 wrong.
PROBS = np.array([[0.9, 0.1], [0.8, 0.2], [0.3, 0.7], [0.6, 0.4], [0.55, 0.45]])
LABELS = np.array([0, 1, 1, 0, 1])


def test_reliability_bins_by_hand():
    rel = cal.reliability_bins(PROBS, LABELS, n_bins=4)
    np.testing.assert_allclose(rel.edges, [0, 0.25, 0.5, 0.75, 1])
    np.testing.assert_array_equal(rel.count, [0, 0, 3, 2])
    # (0.5, 0.75]: 0.7, 0.6 and 0.55, two right. (0.75, 1]: 0.9 and 0.8, one right.
    np.testing.assert_allclose(rel.confidence[2:], [1.85 / 3, 0.85])
    np.testing.assert_allclose(rel.accuracy[2:], [2 / 3, 0.5])
    assert np.isnan(rel.confidence[0]) and np.isnan(rel.accuracy[1])
    # ECE = 3/5 * |2/3 - 1.85/3| + 2/5 * |0.5 - 0.85| = 0.03 + 0.14.
    assert rel.ece == pytest.approx(0.17)
    assert cal.expected_calibration_error(PROBS, LABELS, n_bins=4) == pytest.approx(0.17)
    # One bin: |accuracy - mean confidence| over everything = |0.6 - 0.71|.
    assert cal.expected_calibration_error(PROBS, LABELS, n_bins=1) == pytest.approx(0.11)


def test_overconfidence_is_mean_confidence_minus_accuracy_for_any_binning():
    for n_bins in (1, 4, 10, 15):
        rel = cal.reliability_bins(PROBS, LABELS, n_bins=n_bins)
        assert rel.overconfidence == pytest.approx(0.71 - 0.6)


def test_reliability_bin_edges_are_closed_on_the_right():
    probs = np.array([[0.5, 0.5], [1.0, 0.0], [0.75, 0.25]])
    rel = cal.reliability_bins(probs, [0, 0, 0], n_bins=4)
    np.testing.assert_array_equal(rel.count, [0, 1, 1, 1])  # 0.5 | 0.75 | 1.0


def test_calibrated_predictions_have_small_ece_and_overconfident_ones_do_not():
    rng = np.random.default_rng(1)
    confidence = rng.uniform(0.5, 1.0, 50_000)
    probs = np.column_stack([confidence, 1 - confidence])
    right = rng.random(50_000) < confidence  # right exactly as often as claimed
    labels = np.where(right, 0, 1)
    assert cal.expected_calibration_error(probs, labels) < 0.01
    sharper = cal.apply_temperature(probs, 0.5)  # same answers, more confident
    assert cal.reliability_bins(sharper, labels).overconfidence > 0.05


def test_reliability_rejects_bad_input():
    with pytest.raises(ValueError, match="n_bins"):
        cal.reliability_bins(PROBS, LABELS, n_bins=0)
    with pytest.raises(ValueError, match=r"shape \(n_examples, n_classes\)"):
        cal.reliability_bins(PROBS[:, 0], LABELS)
    with pytest.raises(ValueError, match="no predictions"):
        cal.reliability_bins(np.zeros((0, 2)), np.zeros(0, dtype=int))


def test_apply_temperature_matches_softmax_of_scaled_logits():
    rng = np.random.default_rng(2)
    logits = rng.normal(scale=3, size=(20, 10))
    probs = tf.nn.softmax(logits).numpy()
    for t in (0.5, 1.0, 2.5):
        expected = tf.nn.softmax(logits / t).numpy()
        np.testing.assert_allclose(cal.apply_temperature(probs, t), expected, atol=1e-12)
    np.testing.assert_array_equal(
        cal.apply_temperature(probs, 3.0).argmax(axis=1), probs.argmax(axis=1)
    )
    with pytest.raises(ValueError, match="positive"):
        cal.apply_temperature(probs, 0)


def test_fit_temperature_recovers_the_temperature_that_made_the_labels():
    rng = np.random.default_rng(3)
    logits = rng.normal(scale=4, size=(20_000, 10))
    true_probs = tf.nn.softmax(logits / 2.0).numpy()
    labels = np.array([rng.choice(10, p=p / p.sum()) for p in true_probs])
    overconfident = tf.nn.softmax(logits).numpy()
    assert cal.fit_temperature(overconfident, labels) == pytest.approx(2.0, abs=0.15)
    with pytest.raises(ValueError, match="positive numbers"):
        cal.fit_temperature(overconfident, labels, temperatures=[1.0, -1.0])

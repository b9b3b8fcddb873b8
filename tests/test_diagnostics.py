"""Diagnostics agree with TensorFlow and Keras, and with examples worked by hand."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from fashion_lessons import diagnostics as dg

# Five two-class predictions, worked by hand below:
# confidence 0.9 right, 0.8 wrong, 0.7 right, 0.6 right, 0.55 wrong.
PROBS = np.array([[0.9, 0.1], [0.8, 0.2], [0.3, 0.7], [0.6, 0.4], [0.55, 0.45]])
LABELS = np.array([0, 1, 1, 0, 1])


def test_confusion_matrix_matches_tensorflow():
    rng = np.random.default_rng(0)
    y_true = rng.integers(0, 10, 500)
    y_pred = np.where(rng.random(500) < 0.7, y_true, rng.integers(0, 10, 500))
    ours = dg.confusion_matrix(y_true, y_pred)
    theirs = tf.math.confusion_matrix(y_true, y_pred, num_classes=10).numpy()
    np.testing.assert_array_equal(ours, theirs)
    np.testing.assert_array_equal(ours.sum(axis=1), np.bincount(y_true, minlength=10))


def test_confusion_matrix_by_hand_rows_true_columns_predicted():
    confusion = dg.confusion_matrix([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 0, 0], num_classes=3)
    np.testing.assert_array_equal(confusion, [[1, 1, 0], [0, 1, 0], [2, 0, 1]])


@pytest.mark.parametrize(
    ("y_true", "y_pred", "message"),
    [
        ([0, 1], [0], "one prediction per example"),
        ([0, 10], [0, 1], "num_classes=10 allows only 0..9"),
        ([0, -1], [0, 1], "negative class"),
        ([[0.1, 0.9]], [1], "take np.argmax"),
        ([0.5], [0], "whole class numbers"),
    ],
)
def test_confusion_matrix_rejects_bad_labels_clearly(y_true, y_pred, message):
    with pytest.raises(ValueError, match=message):
        dg.confusion_matrix(y_true, y_pred)


def test_most_confused_pairs_one_way_and_both_ways():
    confusion = np.array([[50, 7, 1], [2, 60, 0], [6, 5, 40]])
    assert dg.most_confused_pairs(confusion, k=3) == [(0, 1, 7), (2, 0, 6), (2, 1, 5)]
    # Both ways: 0-1 is 7 + 2 = 9, 0-2 is 1 + 6 = 7, 1-2 is 0 + 5 = 5.
    assert dg.most_confused_pairs(confusion, k=5, both_directions=True) == [
        (0, 1, 9),
        (0, 2, 7),
        (1, 2, 5),
    ]
    # Pairs without mistakes are left out, however large k is.
    assert len(dg.most_confused_pairs(np.diag([3, 4]), k=10)) == 0
    with pytest.raises(ValueError, match="square"):
        dg.most_confused_pairs(np.ones((2, 3)))


def test_confidently_wrong_orders_mistakes_by_confidence():
    np.testing.assert_array_equal(dg.confidently_wrong(PROBS, LABELS), [1, 4])
    np.testing.assert_array_equal(dg.confidently_wrong(PROBS, LABELS, k=1), [1])
    with pytest.raises(ValueError, match="one label per row"):
        dg.confidently_wrong(PROBS, LABELS[:3])
    with pytest.raises(ValueError, match="Apply a softmax"):
        dg.confidently_wrong(PROBS * 3, LABELS)


def test_best_epoch_agrees_with_keras_early_stopping():
    val_loss = [0.50, 0.41, 0.38, 0.40, 0.38, 0.45]  # a tie at epochs 3 and 5
    stopper = keras.callbacks.EarlyStopping(monitor="val_loss", mode="min", patience=100)
    stopper.on_train_begin()
    for epoch, value in enumerate(val_loss):
        stopper.on_epoch_end(epoch, {"val_loss": value})
    assert dg.best_epoch(val_loss) == stopper.best_epoch + 1 == 3
    assert dg.best_epoch([0.7, 0.9, 0.8], mode="max") == 2
    with pytest.raises(ValueError, match="mode"):
        dg.best_epoch(val_loss, mode="lowest")
    with pytest.raises(ValueError, match="non-empty"):
        dg.best_epoch([])

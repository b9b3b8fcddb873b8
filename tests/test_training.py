"""Training helpers: scaling, seeding and the per-epoch log."""

import io
import re

import keras
import numpy as np

from fashion_lessons.models import build_mlp
from fashion_lessons.training import EpochLog, scale_images, set_seed


def test_scale_images_maps_bytes_to_unit_float32():
    images = np.array([[[0, 128, 255]]], dtype=np.uint8)
    scaled = scale_images(images)
    assert scaled.dtype == np.float32
    np.testing.assert_allclose(scaled, [[[0.0, 128 / 255, 1.0]]], rtol=1e-7)


def _train(seed, log=None):
    set_seed(seed)
    rng = np.random.default_rng(0)
    x = rng.random((64, 28, 28), dtype=np.float32)
    y = rng.integers(0, 10, 64)
    model = build_mlp(hidden_units=8)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    callbacks = [log] if log else []
    model.fit(x, y, epochs=2, batch_size=16, validation_data=(x, y), verbose=0, callbacks=callbacks)
    return model.get_weights()


def test_set_seed_makes_training_repeatable():
    first, again, other = _train(1), _train(1), _train(2)
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a, b)
    assert not all(np.array_equal(a, b) for a, b in zip(first, other))


def test_epoch_log_prints_one_clean_row_per_epoch():
    out = io.StringIO()
    log = EpochLog(file=out)
    _train(0, log)
    lines = out.getvalue().splitlines()
    assert lines[0].split() == ["epoch", "loss", "accuracy", "val_loss", "val_accuracy", "time"]
    assert [line.split()[0] for line in lines[1:]] == ["1", "2"]
    assert all(re.fullmatch(r"\s*\d+(\s+\d\.\d{4}){4}\s+\d+\.\ds", line) for line in lines[1:])
    assert "\r" not in out.getvalue() and "\b" not in out.getvalue()
    assert len(log.epoch_seconds) == 2 and all(s > 0 for s in log.epoch_seconds)


def test_epoch_log_is_a_keras_callback():
    assert isinstance(EpochLog(), keras.callbacks.Callback)

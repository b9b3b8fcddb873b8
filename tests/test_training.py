"""Training helpers: scaling, seeding and the per-epoch log."""

import io
import re

import keras
import numpy as np
import pytest

from fashion_lessons.models import build_mlp
from fashion_lessons.training import (
    EpochLog,
    compile_classifier,
    scale_images,
    set_seed,
    split_validation,
)


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


def test_split_validation_keeps_the_last_examples_aside():

    x, y = np.arange(20).reshape(10, 2), np.arange(10)
    (x_fit, y_fit), (x_val, y_val) = split_validation(x, y, n_validation=3)
    assert y_fit.tolist() == list(range(7)) and y_val.tolist() == [7, 8, 9]
    assert np.array_equal(np.concatenate([x_fit, x_val]), x)


@pytest.mark.parametrize("n_validation", [0, 10, 11])
def test_split_validation_refuses_an_empty_part(n_validation):

    with pytest.raises(ValueError, match="both parts are non-empty"):
        split_validation(np.zeros((10, 2)), np.zeros(10), n_validation)


def test_split_validation_refuses_mismatched_arrays():

    with pytest.raises(ValueError, match="x has 10 examples but y has 9"):
        split_validation(np.zeros((10, 2)), np.zeros(9))


def test_compile_classifier_sets_the_walkthrough_loss_metric_and_speed_settings():

    model = compile_classifier(build_mlp(), jit_compile=False)
    assert model.loss == "sparse_categorical_crossentropy"
    assert model.steps_per_execution == 100 and model.jit_compile is False
    history = model.fit(np.zeros((8, 28, 28), np.float32), np.arange(8) % 10, verbose=0)
    assert set(history.history) == {"loss", "accuracy"}


def test_warmup_cosine_rises_to_the_peak_then_falls_to_zero():
    from fashion_lessons.training import warmup_cosine

    schedule = warmup_cosine(0.002, steps=100, warmup_fraction=0.1)
    rates = np.array([float(schedule(step)) for step in range(101)])
    assert rates[0] == 0.0 and np.isclose(rates[10], 0.002) and rates.max() <= 0.002 + 1e-9
    assert np.all(np.diff(rates[:11]) > 0) and np.all(np.diff(rates[10:]) < 0)
    assert np.isclose(rates[55], 0.001, rtol=1e-5)  # half-way down the cosine: half the peak
    assert abs(rates[100]) < 1e-9
    assert np.isclose(float(warmup_cosine(0.01, steps=10, warmup_fraction=0)(0)), 0.01)
    with pytest.raises(ValueError, match="warmup_fraction"):
        warmup_cosine(0.01, steps=10, warmup_fraction=1.0)

"""The training widget's sample of Fashion-MNIST: real images, stratified, the same every build."""

from __future__ import annotations

import numpy as np
import pytest

from fashion_lessons import browser_sample
from fashion_lessons.browser_sample import (
    SAMPLE_FILENAME,
    SIZES,
    VALIDATION_START,
    draw_sample,
    read_training_sample,
    sample_script,
    write_training_sample,
)
from fashion_lessons.data import load_fashion_mnist


@pytest.fixture(scope="module")
def data():
    return load_fashion_mnist()


@pytest.fixture(scope="module")
def sample(data):
    return draw_sample(data)


def test_every_split_holds_the_same_number_of_images_of_every_class(sample):
    assert list(sample) == ["train", "validation", "test"]
    for name, split in sample.items():
        assert split.images.shape == (SIZES[name], 28, 28)
        assert split.images.dtype == np.uint8
        assert np.array_equal(np.bincount(split.labels, minlength=10), [SIZES[name] // 10] * 10)


def test_the_images_are_the_data_sets_own(sample, data):
    (x_train, y_train), (x_test, y_test) = data
    for name, (images, labels) in {
        "train": (x_train, y_train),
        "validation": (x_train, y_train),
        "test": (x_test, y_test),
    }.items():
        split = sample[name]
        assert np.array_equal(split.images, images[split.indices])
        assert np.array_equal(split.labels, labels[split.indices])
        assert len(np.unique(split.indices)) == len(split.indices)
        assert np.all(np.diff(split.indices) > 0)  # in the order of the data set


def test_validation_comes_from_the_chapters_validation_split(sample):
    """Training images from the first 54,000, validation from the last 6,000: no overlap."""
    assert sample["train"].indices.max() < VALIDATION_START
    assert sample["validation"].indices.min() >= VALIDATION_START


def test_the_draw_is_fixed_by_its_seed(sample, data):
    again = draw_sample(data)
    other = draw_sample(data, seed=1)
    for name in SIZES:
        assert np.array_equal(again[name].indices, sample[name].indices)
        assert not np.array_equal(other[name].indices, sample[name].indices)


def test_the_file_reads_back_and_is_rewritten_only_when_it_changes(tmp_path, sample, data):
    path = write_training_sample(tmp_path, data)
    assert path == tmp_path / SAMPLE_FILENAME
    text = path.read_text()
    assert text.startswith("// Fashion Lessons") and "window.fashionLessonsTrainingData = " in text
    assert text == sample_script(sample)  # the same bytes from the same sample
    back = read_training_sample(path)
    for name in SIZES:
        for field in ("images", "labels", "indices"):
            assert np.array_equal(getattr(back[name], field), getattr(sample[name], field))
    stamp = path.stat().st_mtime_ns
    write_training_sample(tmp_path, data)
    assert path.stat().st_mtime_ns == stamp


def test_bad_sizes_say_what_is_wrong(data):
    with pytest.raises(ValueError, match="multiple of 10"):
        draw_sample(data, sizes={"train": 105, "validation": 10, "test": 10})
    with pytest.raises(ValueError, match="between 10 and 6000"):
        draw_sample(data, sizes={"train": 100, "validation": 7000, "test": 10})
    with pytest.raises(ValueError, match="exactly the keys"):
        draw_sample(data, sizes={"train": 100})


def test_a_file_of_another_format_is_refused(tmp_path):
    path = tmp_path / "other.js"
    path.write_text("window.somethingElse = {};\n")
    with pytest.raises(ValueError, match=r"not a fashion_lessons\.browser_sample file"):
        read_training_sample(path)
    path.write_text(browser_sample._PREFIX + '{"format": "x", "version": 1};\n')
    with pytest.raises(ValueError, match="unknown format"):
        read_training_sample(path)

"""fashion_lessons.export: the network and sample handed to the page, read back in Python."""

from __future__ import annotations

import base64
import json

import keras
import numpy as np
import pytest

from fashion_lessons.data import CLASS_NAMES
from fashion_lessons.export import (
    EXPORT_FILENAME,
    EXPORT_MIME,
    EXPORT_VARIABLE,
    export_for_browser,
    forward,
    read_browser_export,
    write_browser_export,
)
from fashion_lessons.training import scale_images, set_seed


@pytest.fixture(scope="module")
def model():
    set_seed(3)
    net = keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            keras.layers.Flatten(),
            keras.layers.Dense(16, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    # Non-zero biases, so that a bias lost or misplaced in the format would show.
    for layer in net.layers[1:]:
        kernel, bias = layer.get_weights()
        layer.set_weights([kernel, np.linspace(-0.5, 0.5, bias.size).astype(np.float32)])
    return net


@pytest.fixture(scope="module")
def sample():
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(7, 28, 28), dtype=np.uint8)
    labels = rng.integers(0, 10, size=7)
    return images, labels


def test_round_trip_keeps_every_number(model, sample, tmp_path):
    images, labels = sample
    probabilities = model.predict(scale_images(images), verbose=0)
    path = export_for_browser(
        model, images, labels, probabilities, tmp_path, indices=np.arange(100, 107)
    )
    assert path == tmp_path / EXPORT_FILENAME
    data = read_browser_export(path)
    assert data["classNames"] == list(CLASS_NAMES)
    assert data["inputShape"] == [28, 28]
    assert [layer["type"] for layer in data["layers"]] == ["flatten", "dense", "dense"]
    for layer, keras_layer in zip(data["layers"][1:], model.layers[1:]):
        kernel, bias = keras_layer.get_weights()
        assert layer["activation"] == keras_layer.activation.__name__
        assert (layer["inputs"], layer["units"]) == kernel.shape
        np.testing.assert_array_equal(layer["kernel"], kernel)
        np.testing.assert_array_equal(layer["bias"], bias)
    s = data["sample"]
    assert s["count"] == 7
    np.testing.assert_array_equal(s["images"], images)
    np.testing.assert_array_equal(s["labels"], labels)
    np.testing.assert_array_equal(s["indices"], np.arange(100, 107))
    np.testing.assert_array_equal(s["probabilities"], probabilities)


def test_the_file_is_one_script_statement_of_json_with_little_endian_float32(
    model, sample, tmp_path
):
    images, labels = sample
    probabilities = model.predict(scale_images(images), verbose=0)
    text = export_for_browser(model, images, labels, probabilities, tmp_path).read_text()
    comment, statement = text.split("\n", 1)
    assert comment.startswith("//")
    assert statement.startswith("window.fashionLessonsData = {") and statement.endswith("};\n")
    data = json.loads(statement.removeprefix("window.fashionLessonsData = ").rstrip()[:-1])
    assert (data["format"], data["version"]) == ("fashion-lessons-model", 1)
    kernel = model.layers[1].get_weights()[0]
    raw = base64.b64decode(data["layers"][1]["kernel"])
    assert raw == kernel.astype("<f4").tobytes()  # row-major (inputs, units), little-endian
    assert base64.b64decode(data["sample"]["images"]) == images.tobytes()


def test_forward_pass_of_the_export_is_keras_forward_pass(model, sample, tmp_path):
    images, labels = sample
    x = scale_images(images)
    probabilities = model.predict(x, verbose=0)
    data = read_browser_export(export_for_browser(model, images, labels, probabilities, tmp_path))
    np.testing.assert_allclose(forward(data, x), probabilities, atol=1e-6)
    np.testing.assert_allclose(forward(data, x.reshape(7, 784)).sum(axis=1), 1.0)


def test_scaled_float_images_are_stored_as_the_original_bytes(model, sample, tmp_path):
    images, labels = sample
    x = scale_images(images)
    probabilities = model.predict(x, verbose=0)
    data = read_browser_export(export_for_browser(model, x, labels, probabilities, tmp_path))
    np.testing.assert_array_equal(data["sample"]["images"], images)


def test_in_the_build_the_export_is_a_cell_output_and_nowhere_else_nothing(
    model, sample, tmp_path, monkeypatch
):
    images, labels = sample
    probabilities = np.full((7, 10), 0.1, np.float32)
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj, raw: shown.append((obj, raw)))
    monkeypatch.chdir(tmp_path)
    # The book's build: handed over as an output, which the build writes into the site.
    monkeypatch.setenv(EXPORT_VARIABLE, "output")
    assert export_for_browser(model, images, labels, probabilities) is None
    (bundle, raw), *rest = shown
    assert raw and not rest and set(bundle) == {EXPORT_MIME, "text/plain"}
    written = write_browser_export(bundle[EXPORT_MIME], tmp_path / "site")
    assert written == tmp_path / "site" / EXPORT_FILENAME
    direct = export_for_browser(model, images, labels, probabilities, tmp_path / "direct")
    assert written.read_text() == direct.read_text()
    # A reader running the notebook: no variable, nothing shown, nothing written.
    monkeypatch.delenv(EXPORT_VARIABLE)
    shown.clear()
    before = sorted(tmp_path.rglob("*"))
    assert export_for_browser(model, images, labels, probabilities) is None
    assert not shown and sorted(tmp_path.rglob("*")) == before
    assert not list(tmp_path.rglob("*.tmp"))


def test_bad_input_is_refused_even_when_nothing_would_be_written(model, sample, monkeypatch):
    images, labels = sample
    good = np.full((7, 10), 0.1, np.float32)
    monkeypatch.delenv(EXPORT_VARIABLE, raising=False)
    with pytest.raises(ValueError, match="scaled to"):
        export_for_browser(model, images * 1.0, labels, good)
    with pytest.raises(ValueError, match="probabilities must have shape"):
        export_for_browser(model, images, labels, good[:, :9])
    with pytest.raises(ValueError, match="one label"):
        export_for_browser(model, images, labels[:3], good)
    with pytest.raises(ValueError, match="takes 784 inputs"):
        export_for_browser(model, images[:, :14, :14], labels, good)


def test_layers_the_page_cannot_run_are_refused(sample, tmp_path):
    images, labels = sample
    probabilities = np.full((7, 10), 0.1, np.float32)
    conv = keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1)),
            keras.layers.Conv2D(2, 3),
            keras.layers.Flatten(),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    with pytest.raises(ValueError, match="Conv2D"):
        export_for_browser(conv, images, labels, probabilities, tmp_path)
    gelu = keras.Sequential(
        [keras.Input(shape=(28, 28)), keras.layers.Flatten(), keras.layers.Dense(10, "gelu")]
    )
    with pytest.raises(ValueError, match="activation 'gelu'"):
        export_for_browser(gelu, images, labels, probabilities, tmp_path)
    leaky = keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            keras.layers.Flatten(),
            keras.layers.Dense(8, activation="leaky_relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    with pytest.raises(ValueError, match="'leaky_relu'; the page implements"):
        export_for_browser(leaky, images, labels, probabilities, tmp_path)
    assert not list(tmp_path.iterdir())


def test_dropout_is_left_out_as_at_prediction_time(sample, tmp_path):
    images, labels = sample
    set_seed(0)
    with_dropout = keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            keras.layers.Flatten(),
            keras.layers.Dense(16, activation="tanh"),
            keras.layers.Dropout(0.5),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    x = scale_images(images)
    probabilities = with_dropout.predict(x, verbose=0)
    path = export_for_browser(with_dropout, images, labels, probabilities, tmp_path)
    data = read_browser_export(path)
    assert [layer.get("activation") for layer in data["layers"]] == [None, "tanh", "softmax"]
    np.testing.assert_allclose(forward(data, x), probabilities, atol=1e-6)


def test_reading_a_file_of_another_format_fails(tmp_path):
    path = tmp_path / "other.js"
    path.write_text('window.somethingElse = {"a": 1};\n')
    with pytest.raises(ValueError, match=r"not a fashion_lessons\.export file"):
        read_browser_export(path)


def test_the_page_renderer_knows_the_export_by_the_same_name():
    from fashion_lessons.sphinxext import figures

    assert figures.EXPORT_MIME == EXPORT_MIME

"""Hand a trained network to the reader's browser: weights and a sample, in one script file.

The walkthrough's "Try it yourself" widget runs the network the build just trained,
in plain JavaScript. :func:`export_for_browser` writes what it needs into the site,
reading the weights with :meth:`fashion_lessons.mlp.MLP.from_keras`;
:func:`read_browser_export` reads it back and :func:`forward` runs it with the MLP.

Where the file goes
-------------------
A chapter's kernel writes nothing into the site: what a cached run would skip must
not be a side effect. During a book build, the extension
:mod:`fashion_lessons.sphinxext.widgets` sets the environment variable
``FASHION_LESSONS_EXPORT=output`` before any chapter's kernel starts, and
:func:`export_for_browser` then hands its data to the build as a cell output of type
:data:`EXPORT_MIME`, which the extension writes into the site
(``_static/fashion-lessons/``) with :func:`write_browser_export`, from a fresh run or
from the execution cache alike. Given a ``directory``, :func:`export_for_browser`
writes there itself; anywhere else (a reader running the notebook in Jupyter) it
does nothing.

The format
----------
One JavaScript file, ``fashion-lessons-model.js``, loaded with a ``<script src>``
tag (not fetched: ``fetch()`` refuses ``file://`` pages, and the book must work
from disk). It is a comment line followed by one statement::

    window.fashionLessonsData = {...};

whose right-hand side is a JSON object (the file is that JSON with a prefix and
a suffix, so any JSON parser reads it) with these keys:

``format``, ``version``
    ``"fashion-lessons-model"`` and ``1``.
``classNames``
    The class names, in label order.
``inputShape``
    The shape of one input, ``[28, 28]``; inputs are flattened row by row.
``layers``
    The model's layers in order, each an object with a ``type``:

    * ``{"type": "flatten"}``: no parameters, the input read row-major (always
      the first layer);
    * ``{"type": "dense", "inputs": n, "units": m, "activation": a,
      "kernel": K, "bias": B}``: ``out = a(x @ W + b)``, where ``W`` has shape
      ``(n, m)`` and ``b`` shape ``(m,)``. ``K`` and ``B`` are base64 strings of
      their float32 values, little-endian, ``W`` row-major (Keras's own layout:
      ``W[i, j]`` connects input ``i`` to unit ``j`` and is float number
      ``i * m + j``). ``a`` is one of :data:`ACTIVATIONS`: the hidden layers'
      activation, softmax for the last layer.

``sample``
    Test images for the widget, with what Keras made of them:

    * ``count``: the number of images, ``N``;
    * ``images``: base64 of ``N * 28 * 28`` unsigned bytes, image after image,
      each row-major, 0 background to 255 brightest (the dataset's own pixels;
      the network's input is ``pixel / 255``);
    * ``labels``: ``N`` true classes; ``indices``: each image's position in the
      test set;
    * ``probabilities``: base64 of ``N * 10`` float32 values, little-endian,
      Keras's ``model.predict`` output for the sample, row by row (kept so the
      tests can check the page's forward pass against Keras).
"""

from __future__ import annotations

import base64
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from fashion_lessons._files import read_script, replace_file, script_text
from fashion_lessons.data import CLASS_NAMES
from fashion_lessons.mlp import MLP

__all__ = [
    "ACTIVATIONS",
    "EXPORT_FILENAME",
    "EXPORT_MIME",
    "EXPORT_VARIABLE",
    "export_for_browser",
    "forward",
    "read_browser_export",
    "write_browser_export",
]

#: Environment variable naming the directory to export into (set by the book build).
EXPORT_VARIABLE = "FASHION_LESSONS_EXPORT"
#: The MIME type of the cell output that carries the export to the book's build.
EXPORT_MIME = "application/vnd.fashion-lessons.export+json"
#: Name of the file :func:`export_for_browser` writes.
EXPORT_FILENAME = "fashion-lessons-model.js"
#: Activations the page's forward pass implements.
ACTIVATIONS = ("linear", "relu", "sigmoid", "tanh", "softmax")

_FORMAT, _VERSION = "fashion-lessons-model", 1
_PREFIX = "window.fashionLessonsData = "
_HEADER = (
    "// Fashion Lessons: the walkthrough's trained network and a test sample "
    "(format: fashion_lessons.export).\n"
)


def _b64(array: np.ndarray, dtype: str) -> str:
    """Base64 of ``array``'s values as ``dtype`` (e.g. little-endian ``"<f4"``), row-major."""
    return base64.b64encode(np.ascontiguousarray(array, dtype=dtype).tobytes()).decode("ascii")


def _unb64(text: str, dtype: str, shape: tuple[int, ...]) -> np.ndarray:
    values = np.frombuffer(base64.b64decode(text), dtype=dtype)
    if values.size != int(np.prod(shape)):
        raise ValueError(f"expected {int(np.prod(shape))} values, found {values.size}")
    return values.reshape(shape).astype(dtype[1:])  # native byte order, writable copy


def _as_bytes(images: np.ndarray) -> np.ndarray:
    """Images as uint8 pixels: uint8 as they are, floats in [0, 1] times 255, rounded."""
    images = np.asarray(images)
    if images.dtype == np.uint8:
        return images
    if not np.issubdtype(images.dtype, np.floating):
        raise TypeError(f"images must be uint8 or floats in [0, 1], got {images.dtype}")
    if images.size and (images.min() < 0 or images.max() > 1):
        raise ValueError("float images must be scaled to [0, 1] (see training.scale_images)")
    return np.rint(images.astype(np.float64) * 255).astype(np.uint8)


def _layers(model) -> list[dict]:
    """The model's layers in the export format, read with :meth:`MLP.from_keras`.

    Raises on any model the page cannot run. Dropout is left out, as at prediction time.
    """
    net = MLP.from_keras(model)
    if len(net.weights) > 1 and net.activation not in ACTIVATIONS:
        raise ValueError(
            f"the hidden layers use activation {net.activation!r}; "
            f"the page implements {ACTIVATIONS}"
        )
    layers: list[dict] = [{"type": "flatten"}]
    last = len(net.weights) - 1
    for i, (W, b) in enumerate(zip(net.weights, net.biases, strict=True)):
        layers.append(
            {
                "type": "dense",
                "inputs": int(W.shape[0]),
                "units": int(W.shape[1]),
                "activation": "softmax" if i == last else net.activation,
                "kernel": _b64(W, "<f4"),
                "bias": _b64(b, "<f4"),
            }
        )
    return layers


def export_for_browser(
    model,
    images: np.ndarray,
    labels: Sequence[int],
    probabilities: np.ndarray,
    directory: str | os.PathLike | None = None,
    *,
    indices: Sequence[int] | None = None,
    class_names: Sequence[str] = CLASS_NAMES,
) -> Path | None:
    """Write ``model`` and a sample of images for the page's widget (format: module docstring).

    Parameters
    ----------
    model : keras.Model
        A built MLP that :meth:`MLP.from_keras` reads, e.g. the walkthrough's.
    images : ndarray, shape (n, 28, 28)
        The sample: uint8 pixels, or floats in [0, 1] as the model takes them (stored
        as ``round(255 * x)``, which recovers ``scale_images``'s input exactly).
    labels : sequence of int, length n
        True class of each image.
    probabilities : ndarray, shape (n, classes)
        ``model.predict(images)``: Keras's output, kept for the tests.
    directory : path, optional
        Where to write. Without one, the export goes to the book's build as a cell
        output when ``FASHION_LESSONS_EXPORT=output`` (the build sets it), and
        nowhere otherwise.
    indices : sequence of int, optional
        Each image's position in the test set; by default ``0, 1, ..., n - 1``.
    class_names : sequence of str, default ``data.CLASS_NAMES``

    Returns the file written (a ``pathlib.Path``), or None if nothing was written here.
    """
    pixels = _as_bytes(images)
    labels = np.asarray(labels)
    probabilities = np.asarray(probabilities)
    n = len(pixels)
    indices = np.arange(n) if indices is None else np.asarray(indices)
    if pixels.ndim != 3:
        raise ValueError(f"images must have shape (n, height, width), got {pixels.shape}")
    if labels.shape != (n,) or indices.shape != (n,):
        raise ValueError(f"need one label and one index per image ({n} images)")
    if probabilities.shape != (n, len(class_names)):
        raise ValueError(
            f"probabilities must have shape ({n}, {len(class_names)}), got {probabilities.shape}"
        )
    layers = _layers(model)
    inputs = next(layer["inputs"] for layer in layers if layer["type"] == "dense")
    if inputs != pixels.shape[1] * pixels.shape[2]:
        raise ValueError(f"the model takes {inputs} inputs, the images have {pixels[0].size}")
    if layers[-1].get("units") != len(class_names):
        raise ValueError(f"the model's last layer must have {len(class_names)} units")
    if directory is None and os.environ.get(EXPORT_VARIABLE) != "output":
        return None
    data = {
        "format": _FORMAT,
        "version": _VERSION,
        "classNames": list(class_names),
        "inputShape": list(pixels.shape[1:]),
        "layers": layers,
        "sample": {
            "count": n,
            "images": _b64(pixels, "u1"),
            "labels": [int(label) for label in labels],
            "indices": [int(index) for index in indices],
            "probabilities": _b64(probabilities, "<f4"),
        },
    }
    if directory is None:
        from IPython.display import display

        summary = f"The network and {n} test images, handed to the book's prediction widget."
        display({EXPORT_MIME: data, "text/plain": summary}, raw=True)
        return None
    return write_browser_export(data, directory)


def write_browser_export(data: dict, directory: str | os.PathLike) -> Path:
    """Write the export ``data`` (the JSON object above) as the widget's script file.

    Returns the file's path, ``directory / EXPORT_FILENAME``.
    """
    text = script_text(_HEADER, _PREFIX, data)
    return replace_file(Path(directory) / EXPORT_FILENAME, text)


def read_browser_export(path: str | os.PathLike) -> dict:
    """Read a file written by :func:`export_for_browser`, with its arrays decoded.

    Returns the JSON object of the module docstring, except that each dense layer's
    ``kernel`` is a float32 array of shape ``(inputs, units)`` and ``bias`` of shape
    ``(units,)``, and the sample's ``images`` is a uint8 array of shape
    ``(count, 28, 28)``, ``labels`` and ``indices`` int arrays and ``probabilities``
    a float32 array of shape ``(count, classes)``.
    """
    data = read_script(path, _PREFIX, (_FORMAT, _VERSION), "fashion_lessons.export")
    for layer in data["layers"]:
        if layer["type"] == "dense":
            shape = (layer["inputs"], layer["units"])
            layer["kernel"] = _unb64(layer["kernel"], "<f4", shape)
            layer["bias"] = _unb64(layer["bias"], "<f4", shape[1:])
    sample = data["sample"]
    n = sample["count"]
    sample["images"] = _unb64(sample["images"], "|u1", (n, *data["inputShape"]))
    sample["labels"] = np.asarray(sample["labels"], dtype=int)
    sample["indices"] = np.asarray(sample["indices"], dtype=int)
    classes = len(data["classNames"])
    sample["probabilities"] = _unb64(sample["probabilities"], "<f4", (n, classes))
    return data


def forward(data: dict, pixels: np.ndarray) -> np.ndarray:
    """The page's forward pass in NumPy: class probabilities, shape (n, classes), float64.

    ``data`` is what :func:`read_browser_export` returns; ``pixels``, of shape
    (n, 28, 28) or (n, 784), are inputs in [0, 1] (``images / 255``). The exported
    layers are loaded into a float64 :class:`~fashion_lessons.mlp.MLP` (the page
    computes in float64 too), which predicts.
    """
    dense = [layer for layer in data["layers"] if layer["type"] == "dense"]
    sizes = [dense[0]["inputs"]] + [layer["units"] for layer in dense]
    hidden = dense[0]["activation"] if len(dense) > 1 else "relu"
    net = MLP(sizes, activation=hidden, init="zeros", dtype=np.float64)
    for layer, W, b in zip(dense, net.weights, net.biases, strict=True):
        W[...] = layer["kernel"]
        b[...] = layer["bias"]
    return net.predict(pixels)

"""A small, fixed sample of Fashion-MNIST for the page that trains the network in the browser.

The training widget of :doc:`network-from-scratch </network-from-scratch>` trains the
book's 784-128-10 network in the reader's browser, in plain JavaScript
(``docs/_static/fashion-lessons-mlp.js``). All of Fashion-MNIST would be 47 MB of pixels;
the widget trains on a sample, drawn from the real files by :func:`draw_sample`:

* ``train``: :data:`SIZES` ``["train"]`` images from the first 54,000 training images;
* ``validation``: from the last 6,000 training images, the chapters' validation split;
* ``test``: from the 10,000 test images.

Each split holds the same number of images of every class (stratified), chosen with a
seeded generator, so every build ships the same images; within a split they are in the
order of the data set.

The file
--------
:func:`write_training_sample` writes ``fashion-lessons-train-data.js``, which the
widget loads with a ``<script>`` tag only when the reader opens it (``fetch()`` refuses
``file://`` pages, a script tag does not). It is a comment line and one statement::

    window.fashionLessonsTrainingData = {...};

whose right-hand side is a JSON object with the keys ``format``
(``"fashion-lessons-sample"``), ``version`` (1), ``classNames``, ``seed``, ``splits``
(``[{"name": "train", "count": 6000, "from": "training set"}, ...]``, in the order of
the payload) and ``payload``: base64 of the gzip of, for each split in turn, its
images (``count * 784`` unsigned bytes, row-major, 0 background to 255 brightest), its
labels (``count`` bytes) and each image's position in its data set (``count``
little-endian uint16). The browser unpacks it with ``DecompressionStream``.
"""

from __future__ import annotations

import base64
import gzip
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from fashion_lessons._files import read_script, replace_file, script_text
from fashion_lessons.data import CLASS_NAMES, load_fashion_mnist

__all__ = [
    "SAMPLE_FILENAME",
    "SEED",
    "SIZES",
    "Split",
    "draw_sample",
    "read_training_sample",
    "sample_script",
    "write_training_sample",
]

#: Images per split; each a multiple of the ten classes.
SIZES = {"train": 12_000, "validation": 1000, "test": 1000}
#: Seed of the draw: every build ships the same images.
SEED = 0
#: Name of the script file :func:`write_training_sample` writes.
SAMPLE_FILENAME = "fashion-lessons-train-data.js"
#: The chapters' validation split: the last 6,000 of the 60,000 training images.
VALIDATION_START = 54_000

_FORMAT, _VERSION = "fashion-lessons-sample", 1
_PREFIX = "window.fashionLessonsTrainingData = "
_HEADER = (
    "// Fashion Lessons: a stratified sample of Fashion-MNIST for the training widget "
    "(format: fashion_lessons.browser_sample).\n"
)
_SOURCES = {"train": "training set", "validation": "training set", "test": "test set"}


@dataclass(frozen=True)
class Split:
    """One split of the sample.

    Attributes
    ----------
    images : ndarray of uint8, shape (n, 28, 28)
    labels : ndarray of uint8, shape (n,)
    indices : ndarray of int, shape (n,)
        Each image's position in the data set it comes from (:data:`_SOURCES`).
    """

    images: np.ndarray
    labels: np.ndarray
    indices: np.ndarray


def _stratified(labels: np.ndarray, count: int, rng: np.random.Generator) -> np.ndarray:
    """``count / 10`` random positions of each class in ``labels``, sorted."""
    per_class = count // len(CLASS_NAMES)
    chosen = [
        rng.permutation(np.flatnonzero(labels == c))[:per_class] for c in range(len(CLASS_NAMES))
    ]
    return np.sort(np.concatenate(chosen))


def draw_sample(
    data=None, sizes: dict[str, int] | None = None, seed: int = SEED
) -> dict[str, Split]:
    """Draw the widget's stratified sample from Fashion-MNIST.

    Parameters
    ----------
    data : tuple, optional
        ``((x_train, y_train), (x_test, y_test))`` as :func:`load_fashion_mnist`
        returns them (by default, it is called).
    sizes : dict of str to int, optional
        Images in ``"train"``, ``"validation"`` and ``"test"`` (default :data:`SIZES`),
        each a positive multiple of 10, at most 54,000, 6,000 and 10,000.
    seed : int, default :data:`SEED`

    Returns
    -------
    dict of str to Split
        ``"train"``, ``"validation"`` and ``"test"``.
    """
    sizes = dict(SIZES if sizes is None else sizes)
    if set(sizes) != set(SIZES):
        raise ValueError(f"sizes needs exactly the keys {sorted(SIZES)}, got {sorted(sizes)}")
    (x_train, y_train), (x_test, y_test) = load_fashion_mnist() if data is None else data
    pools = {
        "train": (x_train[:VALIDATION_START], y_train[:VALIDATION_START], 0),
        "validation": (x_train[VALIDATION_START:], y_train[VALIDATION_START:], VALIDATION_START),
        "test": (x_test, y_test, 0),
    }
    classes = len(CLASS_NAMES)
    rng = np.random.default_rng(seed)
    sample = {}
    for name, (images, labels, offset) in pools.items():
        count = sizes[name]
        if count < classes or count % classes or count > len(labels):
            raise ValueError(
                f"sizes[{name!r}] must be a multiple of {classes} between {classes} and "
                f"{len(labels)} (the same number of images of every class), got {count}"
            )
        chosen = _stratified(np.asarray(labels), count, rng)
        sample[name] = Split(
            np.asarray(images[chosen], dtype=np.uint8),
            np.asarray(labels[chosen], dtype=np.uint8),
            chosen + offset,
        )
    return sample


def sample_script(sample: dict[str, Split], seed: int = SEED) -> str:
    """The text of the widget's data file for ``sample`` (format: the module docstring)."""
    parts, splits = [], []
    for name in SIZES:
        split = sample[name]
        parts += [
            np.ascontiguousarray(split.images, dtype=np.uint8).tobytes(),
            np.ascontiguousarray(split.labels, dtype=np.uint8).tobytes(),
            np.ascontiguousarray(split.indices, dtype="<u2").tobytes(),
        ]
        splits.append({"name": name, "count": len(split.labels), "from": _SOURCES[name]})
    # mtime=0: the same sample gives the same bytes, so the file changes only with it.
    # Level 6 takes a tenth of the time of level 9 for a 1 % larger file.
    payload = gzip.compress(b"".join(parts), compresslevel=6, mtime=0)
    data = {
        "format": _FORMAT,
        "version": _VERSION,
        "classNames": list(CLASS_NAMES),
        "seed": seed,
        "splits": splits,
        "payload": base64.b64encode(payload).decode("ascii"),
    }
    return script_text(_HEADER, _PREFIX, data)


def write_training_sample(directory: str | os.PathLike, data=None, seed: int = SEED) -> Path:
    """Draw the sample and write it as ``directory / SAMPLE_FILENAME``.

    The file is rewritten only when its bytes would change, so a rebuild leaves it as
    it is (and a browser's cached copy stays valid). Returns its path.
    """
    text = sample_script(draw_sample(data, seed=seed), seed)
    target = Path(directory) / SAMPLE_FILENAME
    if target.is_file() and target.read_text(encoding="ascii") == text:
        return target
    return replace_file(target, text, encoding="ascii")


def read_training_sample(path: str | os.PathLike) -> dict[str, Split]:
    """Read a file written by :func:`write_training_sample` back into its splits."""
    data = read_script(
        path, _PREFIX, (_FORMAT, _VERSION), "fashion_lessons.browser_sample", encoding="ascii"
    )
    raw = gzip.decompress(base64.b64decode(data["payload"]))
    sample, at = {}, 0
    for split in data["splits"]:
        n = split["count"]
        images = np.frombuffer(raw, np.uint8, n * 28 * 28, at).reshape(n, 28, 28)
        labels = np.frombuffer(raw, np.uint8, n, at + n * 28 * 28)
        indices = np.frombuffer(raw, "<u2", n, at + n * 28 * 28 + n).astype(int)
        sample[split["name"]] = Split(images.copy(), labels.copy(), indices)
        at += n * (28 * 28 + 3)
    if at != len(raw):
        raise ValueError(f"{path}: the payload has {len(raw) - at} bytes more than its splits")
    return sample

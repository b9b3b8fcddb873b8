"""Training helpers: seeding, preprocessing and a clean per-epoch log."""

from __future__ import annotations

import sys
import time
from typing import TextIO

import keras
import numpy as np


def set_seed(seed: int = 0) -> None:
    """Seed Python's, NumPy's and Keras's random generators in one call.

    With the same seed, the same data and the same TensorFlow build, training
    on the CPU gives the same weights run after run.
    """
    keras.utils.set_random_seed(seed)


def scale_images(images: np.ndarray) -> np.ndarray:
    """Map uint8 pixels in 0..255 to float32 values in [0, 1].

    Parameters
    ----------
    images : ndarray of uint8, shape (n, 28, 28)

    Returns
    -------
    ndarray of float32, shape (n, 28, 28)
        float32 rather than NumPy's default float64: it is what the layers
        compute in, so Keras need not convert every batch.
    """
    return images.astype(np.float32) / np.float32(255.0)


class EpochLog(keras.callbacks.Callback):
    """Print one row per epoch, instead of Keras's progress bar.

    Keras's own log (``verbose=1``) redraws a progress bar with carriage
    returns, which turns into clutter in a saved notebook or a book page. Use
    ``model.fit(..., verbose=0, callbacks=[EpochLog()])`` for a table like::

        epoch   loss  accuracy  val_loss  val_accuracy  time
            1 0.5012    0.8241    0.4102        0.8533  1.2s

    The wall-clock seconds of each epoch are kept in :attr:`epoch_seconds`.

    Parameters
    ----------
    file : text stream, optional
        Where to print; standard output by default.
    """

    def __init__(self, file: TextIO | None = None):
        super().__init__()
        self.file = file
        self.epoch_seconds: list[float] = []
        self._names: list[str] | None = None

    def _print(self, text: str) -> None:
        print(text, file=self.file or sys.stdout, flush=True)

    def on_train_begin(self, logs=None):
        self.epoch_seconds = []
        self._names = None

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        seconds = time.perf_counter() - self._start
        self.epoch_seconds.append(seconds)
        logs = logs or {}
        if self._names is None:
            # Loss first, then the metrics; training columns before their validation twins.
            train = sorted((k for k in logs if not k.startswith("val_")), key=lambda k: k != "loss")
            self._names = train + [f"val_{k}" for k in train if f"val_{k}" in logs]
            header = ["epoch", *self._names, "time"]
            self._widths = [max(len(h), 6) for h in header]
            self._print("  ".join(h.rjust(w) for h, w in zip(header, self._widths)))
        cells = [str(epoch + 1)] + [f"{float(logs[k]):.4f}" for k in self._names]
        cells.append(f"{seconds:.1f}s")
        self._print("  ".join(c.rjust(w) for c, w in zip(cells, self._widths)))

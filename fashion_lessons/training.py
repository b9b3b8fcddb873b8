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


def split_validation(x, y, n_validation: int = 6000):
    """Keep the last ``n_validation`` examples aside for validation.

    The split the book uses everywhere: Fashion-MNIST's training images come in
    no particular order of class, so the last 6,000 are a fair sample.

    Returns
    -------
    ((x_fit, y_fit), (x_val, y_val))
        The examples to train on and the validation examples.

    Raises
    ------
    ValueError
        If there are not more examples than ``n_validation``, or ``x`` and ``y``
        differ in length.
    """
    if len(x) != len(y):
        raise ValueError(f"x has {len(x)} examples but y has {len(y)} labels; pass matching arrays")
    if not 0 < n_validation < len(x):
        raise ValueError(
            f"n_validation={n_validation} must be between 1 and {len(x) - 1} "
            f"(one less than the {len(x)} examples), so that both parts are non-empty"
        )
    cut = len(x) - n_validation
    return (x[:cut], y[:cut]), (x[cut:], y[cut:])


def compile_classifier(
    model: keras.Model,
    optimizer="adam",
    *,
    steps_per_execution: int = 100,
    jit_compile: bool = True,
) -> keras.Model:
    """Compile a classifier the way the walkthrough does, and return it.

    Sparse categorical cross-entropy on integer labels, accuracy as the metric,
    and the walkthrough's two speed settings: ``steps_per_execution`` batches per
    call into TensorFlow, and XLA compilation of the training step
    (``jit_compile``; pass False for convolutional networks, which XLA makes
    slower on a CPU).
    """
    model.compile(
        optimizer=optimizer,
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
        steps_per_execution=steps_per_execution,
        jit_compile=jit_compile,
    )
    return model


def warmup_cosine(peak: float, steps: int, warmup_fraction: float = 0.1):
    """A learning rate that rises linearly to ``peak``, then falls to 0 along a cosine.

    The warm-up keeps the first, largest gradients (of a network that knows
    nothing yet) from throwing the weights too far; the slow cosine decay then
    lets the last epochs take small steps that settle into a minimum.

    Parameters
    ----------
    peak : float
        The largest learning rate, reached after the warm-up.
    steps : int
        Total number of training steps (epochs x batches per epoch).
    warmup_fraction : float, default 0.1
        Share of the steps spent warming up.

    Returns
    -------
    keras.optimizers.schedules.CosineDecay
        Pass it to an optimizer as its ``learning_rate``.
    """
    if steps < 1 or not 0 <= warmup_fraction < 1:
        raise ValueError(
            f"need steps >= 1 and 0 <= warmup_fraction < 1, got steps={steps}, "
            f"warmup_fraction={warmup_fraction}"
        )
    warmup = int(steps * warmup_fraction)
    return keras.optimizers.schedules.CosineDecay(
        0.0 if warmup else peak,
        decay_steps=steps - warmup,
        warmup_target=peak if warmup else None,
        warmup_steps=warmup,
    )


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

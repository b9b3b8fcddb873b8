"""The regularization chapter's experiment, its plumbing: the network, the data loss, the scores.

The chapter writes the run itself, a few lines: build the network with
:func:`build_regularized_mlp` (seeded, so every run starts from the same weights),
train it on :class:`~fashion_lessons.augmentation.EpochBatches` (the same batches for
every run) with :class:`DataLoss` among the callbacks, and measure the trained
network with :meth:`Run.measure`. :func:`results_table` sets the runs side by side.
:mod:`fashion_lessons.regularization` lists these with the regularizers themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

import keras
import numpy as np

from fashion_lessons.models import build_mlp

__all__ = ["DataLoss", "Run", "build_regularized_mlp", "results_table"]


def build_regularized_mlp(
    hidden_units: int = 512, dropout: float = 0.0, l2: float = 0.0, seed: int | None = None
) -> keras.Sequential:
    """The chapter's network: :func:`fashion_lessons.models.build_mlp`, 512 hidden units wide.

    ``Flatten -> Dense(hidden_units, relu) -> [Dropout(dropout)] -> Dense(10, softmax)``,
    with an L2 penalty on both kernels if ``l2 > 0``. With the same ``seed``, every
    such network starts from the same weights, whatever its ``dropout`` and ``l2``.
    """
    return build_mlp(hidden_units, dropout=dropout, l2=l2, seed=seed)


@dataclass
class Run:
    """One training run of the experiment and what it scored.

    Attributes
    ----------
    name : str
    model : keras.Model
        The trained model, after the last epoch.
    history : dict of str to list of float
        Keras's per-epoch log: ``loss``, ``accuracy``, ``val_loss``, ``val_accuracy``.
        The training columns are measured on the regularized batches, as they
        were trained on (with dropout on, on shifted images, the L2 penalty
        included in the loss). ``val_loss`` is the data loss alone: the L2
        penalty, which Keras adds to every loss it reports, is taken out.
    train_loss, train_accuracy : float
        Measured after training on the (unshifted) training images, in inference
        mode; the loss without the L2 penalty.
    test_loss, test_accuracy : float
        On the test set, after the last epoch; the loss without the L2 penalty.
    """

    name: str
    model: keras.Model
    history: dict[str, list[float]]
    train_loss: float
    train_accuracy: float
    test_loss: float
    test_accuracy: float

    @classmethod
    def measure(cls, name: str, model: keras.Model, history, train, test) -> Run:
        """Score a trained model: its training log, and its training and test scores.

        Parameters
        ----------
        name : str
        model : keras.Model
            Compiled and trained, with :class:`DataLoss` among its callbacks.
        history : keras.callbacks.History
            What ``model.fit`` returned.
        train, test : pair of ndarray
            ``(images, labels)``: the (unshifted) training images, and the test set.

        Returns
        -------
        Run
            Losses without the L2 penalty, scores in inference mode (dropout off).
        """
        penalty = _penalty(model)
        train_loss, train_accuracy = model.evaluate(*train, batch_size=1000, verbose=0)
        test_loss, test_accuracy = model.evaluate(*test, batch_size=1000, verbose=0)
        return cls(
            name=name,
            model=model,
            history={k: [float(v) for v in vs] for k, vs in history.history.items()},
            train_loss=float(train_loss) - penalty,
            train_accuracy=float(train_accuracy),
            test_loss=float(test_loss) - penalty,
            test_accuracy=float(test_accuracy),
        )

    def _best(self, key, pick):
        values = np.asarray(self.history[key])
        i = int(pick(values))
        return float(values[i]), i + 1

    @property
    def best_val_accuracy(self) -> tuple[float, int]:
        """The highest validation accuracy and its epoch (counting from 1)."""
        return self._best("val_accuracy", np.argmax)

    @property
    def min_val_loss(self) -> tuple[float, int]:
        """The lowest validation loss and its epoch (counting from 1)."""
        return self._best("val_loss", np.argmin)

    @property
    def late_val_loss(self) -> float:
        """The mean validation loss of the last five epochs: the end, without the jitter."""
        return float(np.mean(self.history["val_loss"][-5:]))

    @property
    def val_loss_rise(self) -> float:
        """How far the validation loss of the last five epochs lies above the lowest one."""
        return self.late_val_loss - self.min_val_loss[0]

    @property
    def gap(self) -> float:
        """Training minus validation accuracy after the last epoch, both in inference mode."""
        return self.train_accuracy - float(self.history["val_accuracy"][-1])


def _penalty(model: keras.Model) -> float:
    """The sum of the model's L2 penalties at its current weights (0 without any)."""
    return float(sum(keras.ops.convert_to_numpy(loss) for loss in model.losses))


class DataLoss(keras.callbacks.Callback):
    """Take the L2 penalty out of the validation loss Keras logs, leaving the data loss.

    Keras adds ``model.losses`` to every loss it computes, in ``evaluate`` too.
    Runs with and without a penalty can only be compared on the data loss. It
    must come first among the callbacks: the later ones, and the History, read
    the same ``logs``.
    """

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None and "val_loss" in logs and self.model.losses:
            logs["val_loss"] = float(logs["val_loss"]) - _penalty(self.model)


def results_table(runs) -> str:
    """A plain-text table comparing runs: validation curves' best and last, train and test.

    Parameters
    ----------
    runs : iterable of Run

    Returns
    -------
    str
        One row per run: the highest validation accuracy (and its epoch), the
        last one, the lowest validation loss (and its epoch), the last one, the
        gap between training and validation accuracy after the last epoch
        (:attr:`Run.gap`), and the test accuracy.
    """
    header = (
        "run",
        "best val acc",
        "last val acc",
        "min val loss",
        "last val loss",
        "gap",
        "test acc",
    )
    rows = [header]
    for run in runs:
        best_acc, best_acc_epoch = run.best_val_accuracy
        low_loss, low_loss_epoch = run.min_val_loss
        rows.append(
            (
                run.name,
                f"{best_acc:.3f} ({best_acc_epoch})",
                f"{run.history['val_accuracy'][-1]:.3f}",
                f"{low_loss:.3f} ({low_loss_epoch})",
                f"{run.history['val_loss'][-1]:.3f}",
                f"{run.gap:.3f}",
                f"{run.test_accuracy:.3f}",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]

    def line(row):
        first = row[0].ljust(widths[0])
        return "  ".join([first, *(cell.rjust(w) for cell, w in zip(row[1:], widths[1:]))])

    lines = [line(row) for row in rows]
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)

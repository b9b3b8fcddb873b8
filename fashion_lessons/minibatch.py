r"""Mini-batch training: the one loop behind every numpy experiment in the book.

Training a network means repeating one step: take a batch of examples, run the
forward pass, backpropagate the mean loss and let an optimizer move the
parameters. :func:`batch_indices` says which examples each batch holds (shuffle
the data, cut it into batches, shuffle again after each pass, as Keras's
``model.fit`` does) and :func:`training_steps` takes the steps, one per
``next()``, telling the caller what each batch's loss was. Everything else is
bookkeeping around that generator:

* :meth:`fashion_lessons.mlp.MLP.fit` counts steps by epochs and logs a row per
  epoch;
* :func:`train_steps` counts single steps and measures a loss as it goes (the
  optimizers chapter's curves);
* :func:`gradient_noise` measures how far one batch's gradient is from the
  full-batch gradient, the reason small batches are noisy.

The model is anything with the methods of :class:`Model` (see
:meth:`fashion_lessons.mlp.MLP.train_step`): this module imports no model, so the
MLP can import it.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Protocol

import numpy as np

if TYPE_CHECKING:  # only for annotations
    from fashion_lessons.optimizers import Optimizer

__all__ = ["Model", "Step", "batch_indices", "gradient_noise", "train_steps", "training_steps"]


class Model(Protocol):
    """What the loop asks of a model; :class:`fashion_lessons.mlp.MLP` has all of it."""

    def as_input(self, x: np.ndarray) -> np.ndarray: ...
    def as_labels(self, y: np.ndarray, n: int) -> np.ndarray: ...
    def train_step(
        self, x: np.ndarray, y: np.ndarray, optimizer: Optimizer
    ) -> tuple[np.ndarray, np.ndarray]: ...
    def gradients(self, x: np.ndarray, y: np.ndarray) -> list[np.ndarray]: ...
    def loss(self, x: np.ndarray, y: np.ndarray) -> float: ...


def batch_indices(
    n: int, batch_size: int, rng: np.random.Generator, drop_last: bool = False
) -> Iterator[np.ndarray]:
    """Endless batches of example indices: shuffle, cut into batches, repeat.

    Parameters
    ----------
    n : int
        Number of examples.
    batch_size : int
        Examples per batch.
    rng : numpy.random.Generator
        Draws one permutation per pass over the data.
    drop_last : bool, default False
        Skip a pass's last batch when it is smaller than ``batch_size`` (by
        default it is used, as in Keras's ``fit``).

    Yields
    ------
    ndarray of int, shape (batch_size,) (or fewer for a pass's last batch)
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be positive, got {batch_size}")
    stop = n - batch_size + 1 if drop_last else n
    while True:
        order = rng.permutation(n)
        for first in range(0, stop, batch_size):
            yield order[first : first + batch_size]


@dataclass(frozen=True)
class Step:
    """One training step, as :func:`training_steps` reports it.

    Attributes
    ----------
    number : int
        Steps taken so far, this one included (1 for the first).
    labels : ndarray of int, shape (B,)
        The batch's labels.
    probabilities : ndarray, shape (B, n_classes)
        What the model predicted for the batch before the update.
    losses : ndarray, shape (B,)
        Each example's loss before the update.
    """

    number: int
    labels: np.ndarray
    probabilities: np.ndarray
    losses: np.ndarray


def training_steps(
    model: Model,
    x: np.ndarray,
    y: np.ndarray,
    optimizer: Optimizer,
    batch_size: int,
    seed: int = 0,
    drop_last: bool = False,
) -> Iterator[Step]:
    """Train ``model`` one mini-batch step per ``next()``, for as long as the caller asks.

    Parameters
    ----------
    model : Model
        Trained in place.
    x : array_like, shape (N, 784) or (N, 28, 28)
        Training inputs.
    y : array_like of int, shape (N,)
        Training labels.
    optimizer : Optimizer
        Its state persists from step to step.
    batch_size : int
        Examples per step.
    seed : int, default 0
        Seed for the shuffling (see :func:`batch_indices`).
    drop_last : bool, default False
        See :func:`batch_indices`.

    Yields
    ------
    Step
    """
    x = model.as_input(x)
    y = model.as_labels(y, len(x))
    batches = batch_indices(len(x), batch_size, np.random.default_rng(seed), drop_last)
    for number, batch in enumerate(batches, start=1):
        probabilities, losses = model.train_step(x[batch], y[batch], optimizer)
        yield Step(number, y[batch], probabilities, losses)


def train_steps(
    model: Model,
    x: np.ndarray,
    y: np.ndarray,
    optimizer: Optimizer,
    batch_size: int,
    steps: int,
    seed: int = 0,
    eval_data: tuple[np.ndarray, np.ndarray] | None = None,
    eval_every: int = 1,
) -> dict[str, np.ndarray]:
    """Train ``model`` for ``steps`` optimizer steps and record the loss as it goes.

    Batches are drawn as :meth:`~fashion_lessons.mlp.MLP.fit` draws them (see
    :func:`batch_indices`). ``batch_size=len(x)`` is full-batch gradient
    descent; ``batch_size=1`` is stochastic gradient descent in its original
    sense.

    A run whose learning rate is far too large may overflow; its losses then
    become ``inf`` or ``nan`` without a warning, so that the divergence can be
    plotted.

    Parameters
    ----------
    model : Model
        Trained in place.
    x : ndarray, shape (N, 784) or (N, 28, 28)
    y : ndarray of int, shape (N,)
    optimizer : Optimizer
    batch_size : int
    steps : int
    seed : int, default 0
        Seed for the shuffling.
    eval_data : tuple (x_eval, y_eval), optional
        If given, the mean loss on these examples is measured before the first
        step and after every ``eval_every`` steps (and after the last).
    eval_every : int, default 1

    Returns
    -------
    dict of str to ndarray
        ``"batch_loss"``, shape (steps,): the loss on each step's batch, before
        that step's update. With ``eval_data`` also ``"eval_step"`` (steps
        taken at each measurement, starting with 0), ``"eval_examples"``
        (examples processed by then), ``"eval_loss"`` and ``"eval_seconds"``
        (training time by then, not counting the measurements).
    """
    if batch_size < 1 or steps < 0 or eval_every < 1:
        raise ValueError("batch_size and eval_every must be positive, steps non-negative")
    batch_loss = np.empty(steps)
    record: dict[str, list[float]] = {
        "eval_step": [],
        "eval_examples": [],
        "eval_loss": [],
        "eval_seconds": [],
    }
    seconds, examples = 0.0, 0

    def measure(step: int) -> None:
        record["eval_step"].append(step)
        record["eval_examples"].append(examples)
        record["eval_loss"].append(model.loss(*eval_data))
        record["eval_seconds"].append(seconds)

    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        if eval_data is not None:
            measure(0)
        run = training_steps(model, x, y, optimizer, batch_size, seed)
        start = time.perf_counter()
        for step in islice(run, steps):
            seconds += time.perf_counter() - start
            batch_loss[step.number - 1] = np.mean(step.losses)
            examples += len(step.labels)
            if eval_data is not None and (step.number % eval_every == 0 or step.number == steps):
                measure(step.number)
            start = time.perf_counter()
    result = {"batch_loss": batch_loss}
    if eval_data is not None:
        result.update({key: np.asarray(values) for key, values in record.items()})
    return result


def gradient_noise(
    model: Model,
    x: np.ndarray,
    y: np.ndarray,
    batch_sizes: Sequence[int],
    repeats: int = 20,
    seed: int = 0,
) -> dict[str, np.ndarray]:
    r"""How far mini-batch gradients are from the full gradient, and what each costs.

    The full gradient :math:`g` is the gradient of the mean loss over all of
    ``x``. For each batch size :math:`B`, ``repeats`` batches are drawn at
    random (without replacement within a batch) and the root-mean-square
    relative error :math:`\lVert g_B - g \rVert / \lVert g \rVert` over them is
    reported, with the time of one forward and backward pass (the fastest of
    the repeats: the least disturbed by whatever else the machine is doing).
    Statistics predicts an error proportional to :math:`1/\sqrt{B}` (for
    :math:`B` much smaller than the data set).

    Parameters
    ----------
    model : Model
        Not modified (its weights are only read).
    x : ndarray, shape (N, 784) or (N, 28, 28)
    y : ndarray of int, shape (N,)
    batch_sizes : sequence of int
        Each at most N.
    repeats : int, default 20
    seed : int, default 0

    Returns
    -------
    dict of str to ndarray
        ``"batch_size"``, ``"relative_error"`` and ``"seconds"`` (per gradient),
        one entry per batch size.
    """
    rng = np.random.default_rng(seed)
    x = np.asarray(x).reshape(len(x), -1)
    y = np.asarray(y)

    def flat_gradient(index: np.ndarray) -> np.ndarray:
        grads = model.gradients(x[index], y[index])
        return np.concatenate([g.ravel() for g in grads]).astype(np.float64)

    full = flat_gradient(np.arange(len(x)))
    full_norm = np.linalg.norm(full)
    errors, seconds = [], []
    for b in batch_sizes:
        if not 1 <= b <= len(x):
            raise ValueError(f"batch sizes must be between 1 and {len(x)}, got {b}")
        squared, times = [], []
        for _ in range(repeats):
            index = rng.choice(len(x), size=b, replace=False)
            start = time.perf_counter()
            g = flat_gradient(index)
            times.append(time.perf_counter() - start)
            squared.append((np.linalg.norm(g - full) / full_norm) ** 2)
        errors.append(np.sqrt(np.mean(squared)))
        seconds.append(min(times))
    return {
        "batch_size": np.asarray(batch_sizes),
        "relative_error": np.asarray(errors),
        "seconds": np.asarray(seconds),
    }

r"""Weight initialization: the usual schemes, and the experiments that tell them apart.

Every scheme draws a weight matrix of shape (n_in, n_out) with mean 0; they differ
in its spread. For a neuron with :math:`n_\text{in}` inputs :math:`x_i` and
independent zero-mean weights, the pre-activation :math:`z = \sum_i w_i x_i` has

.. math::

    \operatorname{Var}(z) = n_\text{in} \operatorname{Var}(w)\, \mathbb{E}[x^2],

so the spread of the weights decides whether signals grow or shrink from layer
to layer:

* ``"zeros"``: every weight 0. Every neuron of a layer computes the same thing
  and gets the same gradient, so they stay copies of each other.
* ``"normal"``: :math:`\mathcal N(0, \sigma^2)` with a fixed :math:`\sigma`,
  whatever the layer's size (Keras's ``RandomNormal`` uses 0.05).
* ``"glorot_uniform"`` (Glorot & Bengio, 2010; Keras ``Dense``'s default):
  uniform on :math:`\pm\sqrt{6 / (n_\text{in} + n_\text{out})}`, variance
  :math:`2 / (n_\text{in} + n_\text{out})`, a compromise between keeping the
  forward signal (:math:`1/n_\text{in}`) and the backward gradient
  (:math:`1/n_\text{out}`) steady for activations that are linear near 0.
* ``"he_normal"`` (He et al., 2015): :math:`\mathcal N(0, 2/n_\text{in})`, twice
  the variance, because ReLU zeroes half of its inputs.

:class:`fashion_lessons.mlp.MLP` draws its initial weights with :func:`initialize`,
so the same generator gives the same weights.
"""

from __future__ import annotations

from itertools import islice
from typing import TYPE_CHECKING

import numpy as np

from fashion_lessons.activations import ACTIVATIONS
from fashion_lessons.minibatch import Model, training_steps

if TYPE_CHECKING:  # only for annotations
    from fashion_lessons.optimizers import Optimizer

__all__ = [
    "INITIALIZERS",
    "activation_spread",
    "glorot_uniform",
    "he_normal",
    "initial_std",
    "initialize",
    "random_normal",
    "training_curve",
    "zeros",
]


def zeros(n_in: int, n_out: int, rng: np.random.Generator | None = None) -> np.ndarray:
    """All-zero weights, shape (n_in, n_out). ``rng`` is accepted and ignored."""
    return np.zeros((n_in, n_out))


def random_normal(n_in: int, n_out: int, rng: np.random.Generator, std: float = 0.05) -> np.ndarray:
    """Weights from :math:`\\mathcal N(0, \\mathrm{std}^2)`, shape (n_in, n_out), any layer size."""
    return rng.normal(0.0, std, size=(n_in, n_out))


def glorot_uniform(n_in: int, n_out: int, rng: np.random.Generator) -> np.ndarray:
    """Glorot (Xavier) uniform weights on ``±sqrt(6 / (n_in + n_out))``, shape (n_in, n_out)."""
    limit = np.sqrt(6.0 / (n_in + n_out))
    return rng.uniform(-limit, limit, size=(n_in, n_out))


def he_normal(n_in: int, n_out: int, rng: np.random.Generator) -> np.ndarray:
    """He (Kaiming) normal weights, standard deviation ``sqrt(2 / n_in)``, shape (n_in, n_out).

    Keras's ``HeNormal`` draws from a normal truncated at two standard deviations
    and rescaled to the same variance; this is the plain normal.
    """
    return rng.normal(0.0, np.sqrt(2.0 / n_in), size=(n_in, n_out))


#: name -> function(n_in, n_out, rng), the names :class:`~fashion_lessons.mlp.MLP` accepts.
INITIALIZERS = {
    "zeros": zeros,
    "normal": random_normal,
    "glorot_uniform": glorot_uniform,
    "he_normal": he_normal,
}


def initialize(
    init: str, n_in: int, n_out: int, rng: np.random.Generator, normal_std: float = 0.05
) -> np.ndarray:
    """Weights of shape (n_in, n_out) from the scheme named ``init``.

    Parameters
    ----------
    init : {"zeros", "normal", "glorot_uniform", "he_normal"}
    n_in, n_out : int
        Inputs and neurons of the layer.
    rng : numpy.random.Generator
    normal_std : float, default 0.05
        Standard deviation for ``"normal"``; ignored otherwise.

    Returns
    -------
    ndarray of float64, shape (n_in, n_out)
    """
    if init not in INITIALIZERS:
        raise ValueError(f"unknown init {init!r}; choose one of {', '.join(INITIALIZERS)}")
    if init == "normal":
        return random_normal(n_in, n_out, rng, normal_std)
    return INITIALIZERS[init](n_in, n_out, rng)


def initial_std(init: str, n_in: int, n_out: int, normal_std: float = 0.05) -> float:
    """The standard deviation of the weights that ``init`` draws, from its formula.

    Parameters
    ----------
    init : {"zeros", "normal", "glorot_uniform", "he_normal"}
    n_in, n_out : int
    normal_std : float, default 0.05
        Standard deviation for ``"normal"``.

    Returns
    -------
    float
    """
    formulas = {
        "zeros": 0.0,
        "normal": normal_std,
        "glorot_uniform": np.sqrt(2.0 / (n_in + n_out)),  # uniform on ±a has variance a²/3
        "he_normal": np.sqrt(2.0 / n_in),
    }
    if init not in formulas:
        raise ValueError(f"unknown init {init!r}; choose one of {', '.join(formulas)}")
    return float(formulas[init])


def activation_spread(
    x,
    init: str,
    depth: int = 10,
    width: int = 256,
    activation: str = "relu",
    normal_std: float = 0.05,
    seed: int = 0,
) -> np.ndarray:
    """Standard deviation of the activations, layer by layer, through a deep untrained stack.

    The input goes through ``depth`` dense layers of ``width`` neurons each, with
    weights drawn by ``init``, zero biases and the same ``activation`` after every
    layer: the experiment of Glorot & Bengio (2010) and He et al. (2015).

    Parameters
    ----------
    x : array_like of shape (N, n_in) or (N, 28, 28)
        A batch of inputs, e.g. scaled images.
    init : {"zeros", "normal", "glorot_uniform", "he_normal"}
    depth : int, default 10
        Number of layers.
    width : int, default 256
        Neurons per layer.
    activation : {"relu", "leaky_relu", "sigmoid", "tanh"}, default "relu"
    normal_std : float, default 0.05
        Standard deviation for ``init="normal"``.
    seed : int, default 0
        Seed for the weights.

    Returns
    -------
    ndarray of float64, shape (depth + 1,)
        Element 0 is the standard deviation of the input, element ``l`` that of
        all the activations of layer ``l`` (over every example and neuron).
    """
    if activation not in ACTIVATIONS:
        raise ValueError(
            f"unknown activation {activation!r}; choose one of {', '.join(ACTIVATIONS)}"
        )
    f = ACTIVATIONS[activation][0]
    rng = np.random.default_rng(seed)
    a = np.asarray(x, dtype=np.float64)
    a = a.reshape(len(a), -1)
    spreads = [a.std()]
    # float64 and no overflow below 1e300: even a badly scaled stack of 10 layers stays finite.
    for _ in range(depth):
        a = f(a @ initialize(init, a.shape[1], width, rng, normal_std))
        spreads.append(a.std())
    return np.array(spreads)


def training_curve(
    model: Model,
    x,
    y,
    optimizer: Optimizer,
    steps: int,
    validation_data: tuple,
    batch_size: int = 128,
    every: int = 25,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Train ``model`` for a number of mini-batch steps, measuring the validation loss as it goes.

    Unlike :meth:`MLP.fit`, which reports once per epoch, this records the loss
    every ``every`` steps from step 0 (before any training), which is where
    initializations differ most.

    Parameters
    ----------
    model : fashion_lessons.mlp.MLP
        Trained in place.
    x : array_like of shape (N, 784) or (N, 28, 28)
        Training inputs.
    y : array_like of int, shape (N,)
        Training labels.
    optimizer : Optimizer
        E.g. ``Adam()``; a fresh one for each model.
    steps : int
        Mini-batch steps to take.
    validation_data : tuple (x_val, y_val)
        Where the loss is measured.
    batch_size : int, default 128
    every : int, default 25
        Measure the validation loss after every this many steps.
    seed : int, default 0
        Seed for drawing the batches (without replacement within a pass; a
        pass's last batch is dropped if it is smaller than ``batch_size``).

    Returns
    -------
    steps : ndarray of int, shape (steps // every + 1,)
        0, every, 2 * every, ...
    losses : ndarray of float, same shape
        Mean cross-entropy on the validation data after that many steps.
    """
    x_val, y_val = validation_data
    done, losses = [0], [model.loss(x_val, y_val)]
    # Full batches only: a pass's last, smaller batch is skipped.
    run = training_steps(model, x, y, optimizer, batch_size, seed, drop_last=True)
    for step in islice(run, steps):
        if step.number % every == 0:
            done.append(step.number)
            losses.append(model.loss(x_val, y_val))
    return np.array(done), np.array(losses)

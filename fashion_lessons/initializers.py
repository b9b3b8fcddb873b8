r"""Weight initialization: the usual schemes, and the spread of the weights each draws.

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

import numpy as np

__all__ = [
    "INITIALIZERS",
    "glorot_uniform",
    "he_normal",
    "initial_std",
    "initialize",
    "random_normal",
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

r"""One neuron and one fully connected layer, forward only, in numpy.

A neuron takes a weighted sum of its inputs, adds its bias and passes the
result through an activation function :math:`f`:

.. math::

    y = f\Big(\sum_i w_i x_i + b\Big).

A dense (fully connected) layer is many neurons side by side, each with its own
weights (a column of :math:`W`) and its own bias (an entry of :math:`b`). For a
batch of inputs, one per row of :math:`X`, the whole layer is one matrix
product:

.. math::

    H = f(X W + b), \qquad X: (N, n_\text{in}),\; W: (n_\text{in}, n_\text{out}),\;
    b: (n_\text{out},),\; H: (N, n_\text{out}).

This is what ``keras.layers.Dense`` computes, with the same layout of its
``kernel`` (our :math:`W`) and ``bias``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from fashion_lessons.activations import ACTIVATIONS, softmax

__all__ = [
    "LAYER_ACTIVATIONS",
    "dense",
    "dense_neuron_by_neuron",
    "get_activation",
    "neuron",
    "step",
]


def step(z):
    """Threshold (Heaviside step) activation: 1 where ``z >= 0``, else 0.

    The activation of McCulloch and Pitts's units and of Rosenblatt's perceptron:
    the neuron either fires or it does not.

    Parameters
    ----------
    z : array_like of shape (...)
        Pre-activations.

    Returns
    -------
    ndarray of shape (...)
        0.0 or 1.0, in the dtype of ``z`` (float64 for integer input).
    """
    z = np.asarray(z)
    dtype = z.dtype if np.issubdtype(z.dtype, np.floating) else np.float64
    return (z >= 0).astype(dtype)


def _linear(z):
    return np.asarray(z)


#: Activations :func:`dense` accepts by name (Keras's names, plus ``"step"``).
LAYER_ACTIVATIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "linear": _linear,
    **{name: function for name, (function, _) in ACTIVATIONS.items()},
    "softmax": softmax,
    "step": step,
}


def get_activation(activation: str | Callable | None) -> Callable[[np.ndarray], np.ndarray]:
    """The activation function for a name, a callable or ``None`` (linear: no activation).

    Parameters
    ----------
    activation : str, callable or None
        One of :data:`LAYER_ACTIVATIONS` (``"relu"``, ``"sigmoid"``, ``"softmax"``, ...),
        a function of one array, or ``None`` for the identity.

    Returns
    -------
    callable
    """
    if activation is None:
        return _linear
    if callable(activation):
        return activation
    try:
        return LAYER_ACTIVATIONS[activation]
    except KeyError:
        raise ValueError(
            f"unknown activation {activation!r}; choose one of {', '.join(LAYER_ACTIVATIONS)}"
        ) from None


def neuron(x, w, b, f: str | Callable | None = None):
    r"""One neuron: :math:`y = f(\sum_i w_i x_i + b)`.

    Parameters
    ----------
    x : array_like of shape (n_in,) or (N, n_in)
        One input vector, or a batch of them (one per row).
    w : array_like of shape (n_in,)
        The neuron's weights, one per input.
    b : float
        The neuron's bias.
    f : str, callable or None, default None
        Activation (see :func:`get_activation`); None returns the pre-activation.

    Returns
    -------
    float or ndarray of shape (N,)
        The neuron's output for the input, or for each row of the batch.
    """
    x, w = np.asarray(x), np.asarray(w)
    if w.ndim != 1 or x.shape[-1] != w.shape[0]:
        raise ValueError(f"x has {x.shape[-1]} inputs per example but w has shape {w.shape}")
    if np.ndim(b) != 0:
        raise ValueError(f"a neuron has one bias, got shape {np.shape(b)}")
    y = get_activation(f)(x @ w + b)
    return y if y.ndim else y.item()


def dense(x, W, b, activation: str | Callable | None = None):
    """A dense layer's forward pass: ``activation(x @ W + b)``, like ``keras.layers.Dense``.

    Parameters
    ----------
    x : array_like of shape (N, n_in) or (n_in,)
        A batch of inputs, one per row (or a single input).
    W : array_like of shape (n_in, n_out)
        Weights: ``W[i, j]`` connects input ``i`` to neuron ``j``, so column ``j``
        holds neuron ``j``'s weights (Keras's ``kernel``).
    b : array_like of shape (n_out,)
        Biases, one per neuron (Keras's ``bias``).
    activation : str, callable or None, default None
        See :func:`get_activation`. ``"softmax"`` normalises each row.

    Returns
    -------
    ndarray of shape (N, n_out) or (n_out,)
        The layer's outputs, one row per input.
    """
    x, W, b = np.asarray(x), np.asarray(W), np.asarray(b)
    if W.ndim != 2:
        raise ValueError(f"W must be a matrix (n_in, n_out), got shape {W.shape}")
    if x.shape[-1] != W.shape[0]:
        raise ValueError(f"x has {x.shape[-1]} features but W expects {W.shape[0]} (n_in)")
    if b.shape != (W.shape[1],):
        raise ValueError(f"b must hold one bias per neuron, shape ({W.shape[1]},), got {b.shape}")
    # b, of shape (n_out,), is broadcast over the rows: every example gets the same biases.
    return get_activation(activation)(x @ W + b)


def dense_neuron_by_neuron(x, W, b, activation: str | Callable | None = None):
    """The same as :func:`dense`, computed one :func:`neuron` at a time (for teaching).

    Column ``j`` of the result is ``neuron(x, W[:, j], b[j], activation)``.
    Softmax, which mixes the neurons' outputs, is not an activation of one neuron
    and is refused.

    Parameters
    ----------
    x : array_like of shape (N, n_in)
    W : array_like of shape (n_in, n_out)
    b : array_like of shape (n_out,)
    activation : str, callable or None, default None

    Returns
    -------
    ndarray of shape (N, n_out)
    """
    if activation == "softmax":
        raise ValueError("softmax normalises across neurons; it is not a per-neuron activation")
    W, b = np.asarray(W), np.asarray(b)
    columns = [neuron(x, W[:, j], b[j], activation) for j in range(W.shape[1])]
    return np.stack(columns, axis=-1)

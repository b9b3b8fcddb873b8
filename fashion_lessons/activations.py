"""Activation functions and their derivatives, in plain NumPy.

Every function takes a float array of any shape and returns an array of the same
dtype, with the same values as the matching ``keras.activations`` function.
The derivatives follow TensorFlow's gradient conventions at the kinks, so a
hand-written backward pass agrees with ``tf.GradientTape``.
"""

import numpy as np

from fashion_lessons._arrays import as_float

__all__ = [
    "ACTIVATIONS",
    "leaky_relu",
    "leaky_relu_derivative",
    "log_softmax",
    "naive_softmax",
    "relu",
    "relu_derivative",
    "sigmoid",
    "sigmoid_derivative",
    "softmax",
    "softmax_backward",
    "softmax_jacobian",
    "tanh",
    "tanh_derivative",
]


# -- ReLU ------------------------------------------------------------------------------------------


def relu(x):
    """Rectified linear unit: ``max(x, 0)``, elementwise.

    Parameters
    ----------
    x : ndarray of shape (...)
        Pre-activations.

    Returns
    -------
    ndarray of shape (...)
        ``x`` where ``x > 0``, else 0.
    """
    return np.maximum(as_float(x), 0)


def relu_derivative(x):
    """Derivative of :func:`relu`: 1 where ``x > 0``, else 0.

    ReLU has a kink at 0 where no derivative exists; like TensorFlow's gradient we use 0 there
    (the left-hand slope), so a unit sitting exactly at 0 passes no gradient back.

    Parameters
    ----------
    x : ndarray of shape (...)
        Pre-activations (the input of :func:`relu`, not its output).

    Returns
    -------
    ndarray of shape (...)
        d relu(x) / dx, elementwise.
    """
    x = as_float(x)
    return (x > 0).astype(x.dtype)


def leaky_relu(x, negative_slope=0.2):
    """Leaky ReLU: ``x`` if ``x > 0``, else ``negative_slope * x``, elementwise.

    Parameters
    ----------
    x : ndarray of shape (...)
        Pre-activations.
    negative_slope : float, default 0.2
        Slope for negative inputs (0.2 is Keras 3's default).

    Returns
    -------
    ndarray of shape (...)
    """
    x = as_float(x)
    return np.where(x > 0, x, negative_slope * x)


def leaky_relu_derivative(x, negative_slope=0.2):
    """Derivative of :func:`leaky_relu`: 1 where ``x > 0``, else ``negative_slope``.

    At the kink ``x == 0`` we use ``negative_slope``, as TensorFlow's gradient does.

    Parameters
    ----------
    x : ndarray of shape (...)
        Pre-activations.
    negative_slope : float, default 0.2
        Slope for negative inputs.

    Returns
    -------
    ndarray of shape (...)
    """
    x = as_float(x)
    return np.where(x > 0, 1, negative_slope).astype(x.dtype)


# -- Sigmoid and tanh ------------------------------------------------------------------------------


def sigmoid(x):
    """Logistic sigmoid: ``1 / (1 + exp(-x))``, elementwise, squashing into (0, 1).

    Computed from ``exp(-|x|)``, which never overflows, so large ``|x|`` gives
    exactly 0 or 1 (or a tiny positive number) without warnings.

    Parameters
    ----------
    x : ndarray of shape (...)
        Pre-activations (logits).

    Returns
    -------
    ndarray of shape (...)
        Values in [0, 1].
    """
    x = as_float(x)
    e = np.exp(-np.abs(x))  # in (0, 1]: safe for any x
    # For x >= 0: 1 / (1 + e^-x).  For x < 0: e^x / (1 + e^x), the same value rewritten.
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_derivative(x):
    """Derivative of :func:`sigmoid`: ``sigmoid(x) * (1 - sigmoid(x))``.

    Parameters
    ----------
    x : ndarray of shape (...)
        Pre-activations (the input of :func:`sigmoid`).

    Returns
    -------
    ndarray of shape (...)
        Values in [0, 0.25], largest at ``x = 0``.
    """
    s = sigmoid(x)
    return s * (1 - s)


def tanh(x):
    """Hyperbolic tangent, elementwise, squashing into (-1, 1).

    Parameters
    ----------
    x : ndarray of shape (...)

    Returns
    -------
    ndarray of shape (...)
    """
    return np.tanh(as_float(x))


def tanh_derivative(x):
    """Derivative of :func:`tanh`: ``1 - tanh(x)**2``, in [0, 1], largest at ``x = 0``.

    Takes the pre-activations ``x`` (the input of :func:`tanh`, any shape) and returns an
    array of their shape, like :func:`sigmoid_derivative`.
    """
    t = tanh(x)
    return 1 - t * t


# -- Softmax ---------------------------------------------------------------------------------------


def naive_softmax(x, axis=-1):
    """Softmax computed directly as ``exp(x) / sum(exp(x))`` (for teaching; do not use).

    ``exp`` overflows to ``inf`` for inputs above about 709 (float64) or 88 (float32), and then
    ``inf / inf`` is ``nan``. This function lets that happen quietly (no RuntimeWarnings), so a
    page can show the failure that :func:`softmax` avoids.

    Parameters
    ----------
    x : ndarray of shape (..., n)
        Logits.
    axis : int, default -1
        Axis along which the values are normalised.

    Returns
    -------
    ndarray of shape (..., n)
        Probabilities, or ``nan`` where the computation overflowed.
    """
    x = as_float(x)
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(x)
        return e / e.sum(axis=axis, keepdims=True)


def softmax(x, axis=-1):
    """Softmax: ``exp(x_i) / sum_j exp(x_j)``, turning logits into probabilities.

    Subtracting the maximum first does not change the result (softmax(x + c) = softmax(x))
    but makes the largest exponent ``exp(0) = 1``, so nothing overflows.

    Parameters
    ----------
    x : ndarray of shape (..., n)
        Logits.
    axis : int, default -1
        Axis along which the values are normalised (Keras's default: the last one).

    Returns
    -------
    ndarray of shape (..., n)
        Non-negative values summing to 1 along ``axis``.
    """
    x = as_float(x)
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def log_softmax(x, axis=-1):
    """``log(softmax(x))``, computed without ever taking the log of 0.

    ``x - max - log(sum(exp(x - max)))``: the largest exponent is ``exp(0) = 1``, so the sum
    is at least 1 and its log finite, even where a probability itself would round to 0.
    Parameters are those of :func:`softmax`; the result, of the shape of ``x``, holds
    log-probabilities, all at most 0.
    """
    x = as_float(x)
    shifted = x - x.max(axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def softmax_jacobian(x):
    """Jacobian of :func:`softmax` over the last axis: ``J[i, j] = s_i * (delta_ij - s_j)``.

    Here ``s = softmax(x)`` and ``delta_ij`` is 1 when ``i == j`` else 0, i.e.
    ``J = diag(s) - outer(s, s)``. It is symmetric and each row sums to 0 (the outputs
    always sum to 1, so nudging any input cannot change that sum).

    Parameters
    ----------
    x : ndarray of shape (..., n)
        Logits.

    Returns
    -------
    ndarray of shape (..., n, n)
        ``J[..., i, j] = d softmax(x)[..., i] / d x[..., j]``.
    """
    s = softmax(x)
    n = s.shape[-1]
    return s[..., :, None] * np.eye(n, dtype=s.dtype) - s[..., :, None] * s[..., None, :]


def softmax_backward(x, grad_output):
    """Backward pass of :func:`softmax` over the last axis (a vector-Jacobian product).

    Given ``g = dL/ds`` for ``s = softmax(x)``, returns ``dL/dx = s * (g - sum(g * s))``,
    which equals ``g @ softmax_jacobian(x)`` without building the n-by-n matrix.

    Parameters
    ----------
    x : ndarray of shape (..., n)
        Logits (the input of the softmax).
    grad_output : ndarray of shape (..., n)
        Gradient of the loss with respect to the softmax output.

    Returns
    -------
    ndarray of shape (..., n)
        Gradient of the loss with respect to ``x``.
    """
    s = softmax(x)
    g = np.asarray(grad_output, dtype=s.dtype)
    return s * (g - np.sum(g * s, axis=-1, keepdims=True))


#: name -> (function, derivative) for the elementwise activations, e.g. for plotting.
ACTIVATIONS = {
    "relu": (relu, relu_derivative),
    "leaky_relu": (leaky_relu, leaky_relu_derivative),
    "sigmoid": (sigmoid, sigmoid_derivative),
    "tanh": (tanh, tanh_derivative),
}

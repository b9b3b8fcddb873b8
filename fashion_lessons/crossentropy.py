"""Cross-entropy losses and their gradients, in plain NumPy, as Keras computes them.

Binary cross-entropy for independent yes/no outputs, categorical cross-entropy for
one-hot (or soft) targets, and sparse categorical cross-entropy for integer labels;
each from probabilities (clipped to [:data:`EPSILON`, 1 - :data:`EPSILON`], as Keras
does) or from logits (``from_logits=True``, computed stably with
:func:`fashion_lessons.activations.log_softmax`). The conventions are those of
:mod:`fashion_lessons.losses`, which lists these beside the other losses.
"""

import numpy as np

from fashion_lessons._arrays import as_float, prepare
from fashion_lessons.activations import log_softmax, sigmoid, softmax

__all__ = [
    "EPSILON",
    "binary_crossentropy",
    "binary_crossentropy_gradient",
    "categorical_crossentropy",
    "categorical_crossentropy_gradient",
    "sparse_categorical_crossentropy",
    "sparse_categorical_crossentropy_gradient",
]

#: Probabilities are clipped to [EPSILON, 1 - EPSILON] before taking logs, as Keras does
#: (this is ``keras.config.epsilon()``), so a prediction of exactly 0 costs about 16, not inf.
EPSILON = 1e-7


def _clip(p):
    """Clip probabilities into [EPSILON, 1 - EPSILON], and say where the clip did nothing."""
    clipped = np.clip(p, EPSILON, 1 - EPSILON)
    # The gradient of the clip is 1 inside the range (boundaries included, like TensorFlow's
    # clip_by_value gradient) and 0 outside it: there, nudging p does not change the loss.
    inside = (p >= clipped.dtype.type(EPSILON)) & (p <= clipped.dtype.type(1 - EPSILON))
    return clipped, inside


def binary_crossentropy(y_true, y_pred, from_logits=False):
    """Binary cross-entropy per example, averaged over the last axis.

    For probabilities ``p`` (clipped to [EPSILON, 1 - EPSILON], as in Keras) each entry costs
    ``-(y * log(p) + (1 - y) * log(1 - p))``. With ``from_logits=True``, ``y_pred`` holds logits
    ``z`` with ``p = sigmoid(z)``, and the same value is computed stably as
    ``max(z, 0) - z * y + log(1 + exp(-|z|))`` (no clipping), finite even for ``|z| = 1e4``.

    Parameters
    ----------
    y_true : ndarray of shape (..., n)
        Targets in [0, 1] (usually 0 or 1); n independent yes/no questions per example.
    y_pred : ndarray of shape (..., n)
        Probabilities, or logits if ``from_logits``.
    from_logits : bool, default False
        Whether ``y_pred`` holds logits rather than probabilities.

    Returns
    -------
    ndarray of shape (...)
        One loss per example (the *mean* over the n entries, unlike the categorical ones).
    """
    y_true, y_pred = prepare(y_true, y_pred)
    if from_logits:
        z = y_pred
        per_entry = np.maximum(z, 0) - z * y_true + np.log1p(np.exp(-np.abs(z)))
    else:
        p, _ = _clip(y_pred)
        per_entry = -(y_true * np.log(p) + (1 - y_true) * np.log(1 - p))
    return np.mean(per_entry, axis=-1)


def binary_crossentropy_gradient(y_true, y_pred, from_logits=False):
    """Gradient of :func:`binary_crossentropy` w.r.t. ``y_pred``.

    From logits: ``(sigmoid(z) - y) / n``. From probabilities: ``(p - y) / (p * (1 - p)) / n``
    for ``p`` inside the clip range [EPSILON, 1 - EPSILON] and 0 outside it (the gradient of the
    clipped expression, as TensorFlow computes it).

    Parameters are those of :func:`binary_crossentropy`; the result, an ndarray, has the shape
    of ``y_pred``.
    """
    y_true, y_pred = prepare(y_true, y_pred)
    n = y_pred.shape[-1]
    if from_logits:
        return (sigmoid(y_pred) - y_true) / n
    p, inside = _clip(y_pred)
    # d/dp of -(y log p + (1 - y) log(1 - p)) is -y/p + (1 - y)/(1 - p).
    return np.where(inside, -y_true / p + (1 - y_true) / (1 - p), 0) / n


def categorical_crossentropy(y_true, y_pred, from_logits=False):
    """Categorical cross-entropy per example: ``-sum(y_true * log(p))`` over the classes.

    For probabilities, Keras first rescales each row to sum to 1 (``p / sum(p)``) and then clips
    to [EPSILON, 1 - EPSILON]; this does the same. With ``from_logits=True``, ``y_pred`` holds
    logits ``z`` and ``log(softmax(z))`` is computed stably (max-subtraction), without clipping.

    Parameters
    ----------
    y_true : ndarray of shape (..., n_classes)
        One-hot (or soft) targets; each row should sum to 1.
    y_pred : ndarray of shape (..., n_classes)
        Probabilities, or logits if ``from_logits``.
    from_logits : bool, default False
        Whether ``y_pred`` holds logits rather than probabilities.

    Returns
    -------
    ndarray of shape (...)
        One loss per example (a *sum* over classes, unlike binary_crossentropy).
    """
    y_true, y_pred = prepare(y_true, y_pred)
    if from_logits:
        log_p = log_softmax(y_pred)
    else:
        p, _ = _clip(y_pred / np.sum(y_pred, axis=-1, keepdims=True))
        log_p = np.log(p)
    return 0.0 - np.sum(y_true * log_p, axis=-1)  # 0.0 - x, not -x: a perfect fit shows 0, not -0


def categorical_crossentropy_gradient(y_true, y_pred, from_logits=False):
    """Gradient of :func:`categorical_crossentropy` w.r.t. ``y_pred``.

    From logits: ``softmax(z) * sum(y) - y``, i.e. the famous ``softmax(z) - y`` for targets
    that sum to 1. (TensorFlow's own gradient always uses ``softmax(z) - y``, so it differs
    from the true gradient when targets do not sum to 1.)

    From probabilities: the exact gradient of Keras's expression, including the row rescaling
    ``q = p / S`` with ``S = sum(p)``: with ``g = -y / q`` inside the clip range (0 outside),
    the result is ``(g - sum(g * q)) / S``. For a row that already sums to 1 and has no clipped
    entries, this is ``-y / p + sum(y)``: the extra constant is the rescaling at work, and it
    does not change the loss along directions that keep the row summing to 1.

    Parameters are those of :func:`categorical_crossentropy`; the result, an ndarray, has the shape
    of ``y_pred``.
    """
    y_true, y_pred = prepare(y_true, y_pred)
    if from_logits:
        return softmax(y_pred) * np.sum(y_true, axis=-1, keepdims=True) - y_true
    total = np.sum(y_pred, axis=-1, keepdims=True)
    q = y_pred / total
    clipped, inside = _clip(q)
    g = np.where(inside, -y_true / clipped, 0)  # d loss / d q
    return (g - np.sum(g * q, axis=-1, keepdims=True)) / total  # chain rule through q = p / S


def _class_indices(y_true, y_pred):
    """Integer labels of shape y_pred.shape[:-1] (a trailing axis of size 1 is dropped)."""
    labels = np.asarray(y_true)
    if labels.ndim == y_pred.ndim and labels.shape[-1] == 1:
        labels = labels[..., 0]
    return labels.astype(np.int64)[..., None]


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False):
    """Categorical cross-entropy with integer labels: ``-log(p[label])`` per example.

    For probabilities, Keras clips to [EPSILON, 1 - EPSILON] and then renormalises (it feeds
    ``log(p)`` to a softmax cross-entropy), so the loss is ``log(sum(c)) - log(c[label])`` with
    ``c`` the clipped probabilities. Note the order differs from
    :func:`categorical_crossentropy`, which renormalises *before* clipping; the two agree for
    rows that sum to 1, up to the clipping of near-0 or near-1 entries.
    With ``from_logits=True`` the loss is ``-log_softmax(z)[label]``, computed stably.

    Parameters
    ----------
    y_true : ndarray of int, shape (...) or (..., 1)
        Class indices in [0, n_classes).
    y_pred : ndarray of shape (..., n_classes)
        Probabilities, or logits if ``from_logits``.
    from_logits : bool, default False
        Whether ``y_pred`` holds logits rather than probabilities.

    Returns
    -------
    ndarray of shape (...)
        One loss per example.
    """
    y_pred = as_float(y_pred)
    labels = _class_indices(y_true, y_pred)
    if from_logits:
        log_p = log_softmax(y_pred)
    else:
        c, _ = _clip(y_pred)
        log_p = np.log(c) - np.log(np.sum(c, axis=-1, keepdims=True))
    return 0.0 - np.take_along_axis(log_p, labels, axis=-1)[..., 0]  # 0.0 - x: no -0 either


def sparse_categorical_crossentropy_gradient(y_true, y_pred, from_logits=False):
    """Gradient of :func:`sparse_categorical_crossentropy` w.r.t. ``y_pred``.

    From logits: ``softmax(z) - one_hot(label)``. From probabilities (``c`` = clipped ``p``):
    ``1 / sum(c) - one_hot(label) / c`` inside the clip range, 0 outside it.

    Parameters are those of :func:`sparse_categorical_crossentropy`; the result, an ndarray,
    has the shape of ``y_pred``.
    """
    y_pred = as_float(y_pred)
    labels = _class_indices(y_true, y_pred)
    one_hot = (np.arange(y_pred.shape[-1]) == labels).astype(y_pred.dtype)
    if from_logits:
        return softmax(y_pred) - one_hot
    c, inside = _clip(y_pred)
    return np.where(inside, 1 / np.sum(c, axis=-1, keepdims=True) - one_hot / c, 0)

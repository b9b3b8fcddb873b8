"""Keras models used across the book, and reading a Keras MLP's weights into numpy."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

import keras
import numpy as np


def build_mlp(
    hidden_units: int = 128,
    num_classes: int = 10,
    input_shape: tuple[int, ...] = (28, 28),
    activation: str = "relu",
    name: str = "mlp",
    *,
    dropout: float = 0.0,
    l2: float = 0.0,
    seed: int | None = None,
) -> keras.Sequential:
    """The walkthrough's network: Flatten -> Dense(hidden, relu) -> Dense(classes, softmax).

    The regularization chapter adds, optionally, dropout after the hidden layer and
    an L2 penalty on both kernels:
    ``Flatten -> Dense(hidden) -> [Dropout(dropout)] -> Dense(classes, softmax)``.

    Parameters
    ----------
    hidden_units : int, default 128
        Neurons in the hidden layer.
    num_classes : int, default 10
        Neurons in the output layer, one per class.
    input_shape : tuple of int, default (28, 28)
        Shape of one input image.
    activation : str, default "relu"
        Activation of the hidden layer.
    name : str, default "mlp"
        The model's name.
    dropout : float, default 0.0
        Rate of a ``Dropout`` layer after the hidden layer; none if 0.
    l2 : float, default 0.0
        With ``l2 > 0`` both Dense layers get
        ``kernel_regularizer=keras.regularizers.L2(l2)`` (kernels only: biases
        are not penalized).
    seed : int, optional
        Seeds everything the network draws at random: the hidden kernel's Glorot
        uniform initializer (``seed``), the output kernel's (``seed + 1``) and the
        dropout masks (``seed + 2``). Networks with the same ``seed`` then start
        from the same weights whatever their ``dropout`` and ``l2``. Without it,
        Keras draws each of the three seeds from Python's ``random`` module as the
        layer is made (so :func:`~fashion_lessons.training.set_seed` makes them
        repeatable); the dropout layer is made last, so that it never shifts the
        kernels' seeds.

    Returns
    -------
    keras.Sequential
        An uncompiled model mapping ``(batch, *input_shape)`` to class
        probabilities of shape ``(batch, num_classes)``.
    """
    hidden_seed, output_seed, dropout_seed = (None,) * 3 if seed is None else range(seed, seed + 3)
    regularizer = keras.regularizers.L2(l2) if l2 else None
    hidden = keras.layers.Dense(
        hidden_units,
        activation=activation,
        kernel_initializer=keras.initializers.GlorotUniform(hidden_seed),
        kernel_regularizer=regularizer,
    )
    output = keras.layers.Dense(
        num_classes,
        activation="softmax",
        kernel_initializer=keras.initializers.GlorotUniform(output_seed),
        kernel_regularizer=regularizer,
    )
    # Made after both Dense layers: an unseeded Dropout draws its seed when it is made.
    middle = [keras.layers.Dropout(dropout, seed=dropout_seed)] if dropout else []
    return keras.Sequential(
        [keras.Input(shape=input_shape), keras.layers.Flatten(), hidden, *middle, output],
        name=name,
    )


def _activation_name(layer) -> str:
    """The Keras name of a layer's activation, or its repr if it is not Keras's own."""
    name = getattr(layer.activation, "__name__", None)
    try:
        is_keras = name is not None and keras.activations.get(name) is layer.activation
    except ValueError:  # not a Keras activation name
        is_keras = False
    return name if is_keras else repr(layer.activation)


def dense_stack(
    model: keras.Model, hidden_activations: Sequence[str]
) -> tuple[str, list[np.ndarray], list[np.ndarray]]:
    """The weights of a Keras MLP (what :meth:`fashion_lessons.mlp.MLP.from_keras` copies).

    The model may start with ``keras.Input`` and a ``Flatten`` layer and may
    contain ``Dropout`` layers (which do nothing at prediction time); otherwise
    it must be ``Dense`` layers, the hidden ones sharing one activation from
    ``hidden_activations``, the last one with softmax.

    Parameters
    ----------
    model : keras.Sequential
        A built model.
    hidden_activations : sequence of str
        The hidden activations the caller can compute.

    Returns
    -------
    activation : str
        The hidden layers' activation ("relu" if there is no hidden layer).
    kernels : list of ndarray
        Each Dense layer's kernel, shape (n_in, n_out), in the model's dtype.
    biases : list of ndarray
        Each Dense layer's bias, shape (n_out,) (zeros for a layer without one).

    Raises
    ------
    ValueError
        Naming the first layer or activation that is not supported.
    """
    dense = []
    for layer in model.layers:
        if isinstance(layer, keras.layers.InputLayer | keras.layers.Dropout):
            continue
        if isinstance(layer, keras.layers.Flatten) and not dense:
            continue  # the input is always flattened
        if not isinstance(layer, keras.layers.Dense):
            raise ValueError(
                f"unsupported layer {layer.name!r} ({type(layer).__name__}): "
                "MLP.from_keras handles Dense layers, optionally after Flatten, and Dropout"
            )
        dense.append(layer)
    if not dense:
        raise ValueError("the model has no Dense layers")
    hidden = [_activation_name(layer) for layer in dense[:-1]]
    for layer, name in zip(dense[:-1], hidden, strict=True):
        if name not in hidden_activations:
            raise ValueError(
                f"unsupported activation {name!r} in hidden layer {layer.name!r}: "
                f"MLP.from_keras supports {', '.join(hidden_activations)}"
            )
    if len(set(hidden)) > 1:
        raise ValueError(f"hidden layers must share one activation, got {hidden}")
    output = _activation_name(dense[-1])
    if output != "softmax":
        raise ValueError(
            f"unsupported activation {output!r} in output layer {dense[-1].name!r}: "
            "MLP.from_keras needs softmax there"
        )
    if not all(layer.built for layer in dense):
        raise ValueError("the model is not built: start it with keras.Input(shape)")
    kernels = [keras.ops.convert_to_numpy(layer.kernel) for layer in dense]
    biases = [
        keras.ops.convert_to_numpy(layer.bias)
        if layer.use_bias
        else np.zeros(kernel.shape[1], kernel.dtype)
        for layer, kernel in zip(dense, kernels, strict=True)
    ]
    return (hidden[0] if hidden else "relu"), kernels, biases


def dense_parameter_count(layer_sizes: list[int]) -> int:
    """Weights plus biases of a chain of Dense layers, e.g. ``[784, 128, 10]``.

    A Dense layer from ``n_in`` to ``n_out`` units has an ``(n_in, n_out)``
    weight matrix and one bias per neuron, ``n_out`` of them.
    """
    return sum(n_in * n_out + n_out for n_in, n_out in pairwise(layer_sizes))


def describe(model: keras.Model) -> str:
    """A plain-text table of a built model's layers, output shapes and parameters.

    Like ``model.summary()``, without the box-drawing characters that do not
    survive every page, terminal and screen reader.
    """
    rows = [("layer", "output shape", "weights", "biases", "parameters")]
    for layer in model.layers:
        shapes = [tuple(w.shape) for w in layer.weights]
        rows.append(
            (
                f"{layer.name} ({type(layer).__name__})",
                str((None, *layer.output.shape[1:])),
                " x ".join(map(str, shapes[0])) if shapes else "-",
                str(shapes[1][0]) if len(shapes) > 1 else "-",
                f"{layer.count_params():,}",
            )
        )
    rows.append(("total", "", "", "", f"{model.count_params():,}"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "-" * len(lines[0]))
    lines.insert(-1, "-" * len(lines[0]))
    return "\n".join(lines)

"""Keras models used across the book."""

from __future__ import annotations

from itertools import pairwise

import keras


def build_mlp(
    hidden_units: int = 128,
    num_classes: int = 10,
    input_shape: tuple[int, ...] = (28, 28),
    activation: str = "relu",
    name: str = "mlp",
    *,
    dropout: float = 0.0,
    l2: float = 0.0,
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

    Returns
    -------
    keras.Sequential
        An uncompiled model mapping ``(batch, *input_shape)`` to class
        probabilities of shape ``(batch, num_classes)``.
    """
    regularizer = keras.regularizers.L2(l2) if l2 else None
    layers = [
        keras.Input(shape=input_shape),
        keras.layers.Flatten(),
        keras.layers.Dense(hidden_units, activation=activation, kernel_regularizer=regularizer),
    ]
    if dropout:
        layers.append(keras.layers.Dropout(dropout))
    layers.append(
        keras.layers.Dense(num_classes, activation="softmax", kernel_regularizer=regularizer)
    )
    return keras.Sequential(layers, name=name)


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

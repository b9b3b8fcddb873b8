"""Convolution and pooling in numpy, laid out like Keras's layers, and the book's CNN.

Shapes follow Keras (``channels_last``): images are ``(n, height, width,
channels)`` and a convolution's kernel is ``(kernel_h, kernel_w, in_channels,
filters)``. What deep-learning libraries call convolution is, strictly,
cross-correlation: the kernel slides over the image without being flipped.

:func:`correlate2d` is the definition written as loops, to read;
:func:`conv2d` and :func:`max_pool2d` compute the same thing for whole batches
with array operations, and match ``keras.layers.Conv2D`` and
``keras.layers.MaxPooling2D`` (see ``tests/test_conv.py``).
"""

from __future__ import annotations

import keras
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

__all__ = [
    "EDGE_KERNELS",
    "build_cnn",
    "conv2d",
    "conv_output_size",
    "conv_parameter_count",
    "correlate2d",
    "feature_maps",
    "max_pool2d",
]

#: Hand-made 3 x 3 kernels that respond to edges and lines (Sobel and Laplacian).
EDGE_KERNELS = {
    "vertical edges": np.array([[1, 0, -1], [2, 0, -2], [1, 0, -1]], dtype=np.float32),
    "horizontal edges": np.array([[1, 2, 1], [0, 0, 0], [-1, -2, -1]], dtype=np.float32),
    "outline": np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]], dtype=np.float32),
}


def correlate2d(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Slide ``kernel`` over ``image`` and sum the products at every position.

    The definition of one channel of a convolutional layer, with no padding
    ("valid") and stride 1:

    .. math:: y_{ij} = \\sum_{u=0}^{k_h-1} \\sum_{v=0}^{k_w-1} x_{i+u,\\, j+v}\\, w_{uv}

    Parameters
    ----------
    image : ndarray of shape (height, width)
    kernel : ndarray of shape (k_h, k_w)

    Returns
    -------
    ndarray of shape (height - k_h + 1, width - k_w + 1)
    """
    image, kernel = np.asarray(image, dtype=float), np.asarray(kernel, dtype=float)
    if image.ndim != 2 or kernel.ndim != 2:
        raise ValueError(
            f"correlate2d takes one 2-D image and one 2-D kernel, got shapes {image.shape} "
            f"and {kernel.shape}; use conv2d for batches and channels"
        )
    kh, kw = kernel.shape
    out_h, out_w = image.shape[0] - kh + 1, image.shape[1] - kw + 1
    if out_h < 1 or out_w < 1:
        raise ValueError(f"a {kh} x {kw} kernel does not fit in a {image.shape} image")
    out = np.zeros((out_h, out_w))
    for i in range(out_h):
        for j in range(out_w):
            out[i, j] = np.sum(image[i : i + kh, j : j + kw] * kernel)
    return out


def conv_output_size(size: int, kernel: int, stride: int = 1, padding: str = "valid") -> int:
    """Length of a convolution's or pooling's output along one axis.

    ``"valid"``: only positions where the window fits, ``(size - kernel) // stride + 1``.
    ``"same"``: zero-padded so that ``ceil(size / stride)`` positions fit.
    """
    if padding == "valid":
        return (size - kernel) // stride + 1
    if padding == "same":
        return -(-size // stride)
    raise ValueError(f"padding must be 'valid' or 'same', got {padding!r}")


def _pad_same(images: np.ndarray, kernel: tuple[int, int], stride: int) -> np.ndarray:
    """Zero-pad height and width as Keras's ``padding="same"`` does (extra at the end)."""
    pads = []
    for size, k in zip(images.shape[1:3], kernel):
        total = max((conv_output_size(size, k, stride, "same") - 1) * stride + k - size, 0)
        pads.append((total // 2, total - total // 2))
    return np.pad(images, [(0, 0), *pads, (0, 0)])


def _check_images(images: np.ndarray) -> np.ndarray:
    images = np.asarray(images)
    if images.ndim != 4:
        raise ValueError(
            f"expected images of shape (n, height, width, channels), got {images.shape}; "
            "add a channel axis to grey-scale images with images[..., None]"
        )
    return images


def conv2d(images, kernel, bias=None, stride: int = 1, padding: str = "valid") -> np.ndarray:
    """A convolutional layer's pre-activation output, like ``keras.layers.Conv2D``.

    Every filter ``f`` is a ``(k_h, k_w, in_channels)`` block of weights; its
    output at position ``(i, j)`` is the sum of the products with the window of
    the input under it, across all input channels, plus the filter's bias:

    .. math:: y_{ijf} = \\sum_{u,v,c} x_{s i+u,\\, s j+v,\\, c}\\, w_{uvcf} + b_f

    Parameters
    ----------
    images : ndarray of shape (n, height, width, in_channels)
    kernel : ndarray of shape (k_h, k_w, in_channels, filters)
    bias : ndarray of shape (filters,), optional
        One bias per filter, shared by every position.
    stride : int, default 1
    padding : {"valid", "same"}

    Returns
    -------
    ndarray of shape (n, out_height, out_width, filters)
    """
    images, kernel = _check_images(images), np.asarray(kernel)
    if kernel.ndim != 4 or kernel.shape[2] != images.shape[3]:
        raise ValueError(
            f"kernel of shape {kernel.shape} does not fit images with {images.shape[3]} "
            "channels: expected (k_h, k_w, in_channels, filters)"
        )
    kh, kw = kernel.shape[:2]
    conv_output_size(1, 1, padding=padding)  # validates padding
    if padding == "same":
        images = _pad_same(images, (kh, kw), stride)
    # windows: (n, out_h, out_w, in_channels, k_h, k_w), a view, no copy
    windows = sliding_window_view(images, (kh, kw), axis=(1, 2))[:, ::stride, ::stride]
    out = np.einsum("nijcuv,uvcf->nijf", windows, kernel, optimize=True)
    return out if bias is None else out + bias


def max_pool2d(images, pool: int = 2, stride: int | None = None) -> np.ndarray:
    """The largest value of every ``pool x pool`` window, channel by channel.

    Like ``keras.layers.MaxPooling2D(pool)`` with ``padding="valid"``: by default
    the windows do not overlap (``stride = pool``), so a 28 x 28 map becomes 14 x 14.

    Parameters
    ----------
    images : ndarray of shape (n, height, width, channels)
    pool : int, default 2
    stride : int, optional
        Defaults to ``pool``.

    Returns
    -------
    ndarray of shape (n, out_height, out_width, channels)
    """
    images = _check_images(images)
    stride = pool if stride is None else stride
    windows = sliding_window_view(images, (pool, pool), axis=(1, 2))[:, ::stride, ::stride]
    return windows.max(axis=(-2, -1))


def conv_parameter_count(kernel_size: int, in_channels: int, filters: int) -> int:
    """Weights plus biases of a ``Conv2D`` layer: ``k * k * in_channels * filters + filters``.

    Unlike a Dense layer's, the count does not depend on the image's size: the
    same small kernel is used at every position.
    """
    return kernel_size * kernel_size * in_channels * filters + filters


def build_cnn(
    filters: tuple[int, ...] = (16, 32),
    dense_units: int = 96,
    kernel_size: int = 3,
    batch_norm: bool = True,
    dropout: float = 0.0,
    max_shift: int = 0,
    num_classes: int = 10,
    input_shape: tuple[int, ...] = (28, 28),
    name: str = "cnn",
) -> keras.Sequential:
    """A small convolutional network for 28 x 28 grey-scale images.

    One block per entry of ``filters`` (the layers are named ``conv1``, ``conv2``,
    ...): ``Conv2D(f, kernel_size, padding="same")``, ReLU, ``MaxPooling2D(2)``
    (halving the height and width), then optional batch normalization of the
    pooled maps. Then ``Flatten``, ``Dense(dense_units, relu)``, optional dropout
    and ``Dense(num_classes, softmax)``.

    Parameters
    ----------
    filters : tuple of int, default (16, 32)
        Filters of each convolutional block.
    dense_units : int, default 96
    kernel_size : int, default 3
    batch_norm : bool, default True
        Normalize each block's output, after pooling: a quarter as many numbers
        as the convolution's output, and exactly what the next layer receives.
    dropout : float, default 0.0
        Dropout rate before the output layer.
    max_shift : int, default 0
        Data augmentation: during training only, move each image by a random
        whole number of pixels, up to ``max_shift`` in each direction
        (``keras.layers.RandomTranslation``, zeros filled in). 0 for none.
    num_classes : int, default 10
    input_shape : tuple of int, default (28, 28)
        A grey-scale ``(height, width)`` gets a channel axis added by the model.
    name : str, default "cnn"

    Returns
    -------
    keras.Sequential
        Uncompiled; maps ``(batch, *input_shape)`` to class probabilities.
    """
    layers: list = [keras.Input(shape=input_shape)]
    if len(input_shape) == 2:
        layers.append(keras.layers.Reshape((*input_shape, 1)))
    if max_shift:
        height, width = input_shape[:2]
        layers.append(
            keras.layers.RandomTranslation(
                max_shift / height, max_shift / width, fill_mode="constant", interpolation="nearest"
            )
        )
    for i, f in enumerate(filters, start=1):
        layers += [
            keras.layers.Conv2D(f, kernel_size, padding="same", name=f"conv{i}"),
            keras.layers.ReLU(),
            keras.layers.MaxPooling2D(2),
        ]
        if batch_norm:
            layers.append(keras.layers.BatchNormalization())
    layers += [keras.layers.Flatten(), keras.layers.Dense(dense_units, activation="relu")]
    if dropout:
        layers.append(keras.layers.Dropout(dropout))
    layers.append(keras.layers.Dense(num_classes, activation="softmax"))
    return keras.Sequential(layers, name=name)


def feature_maps(model: keras.Model, images) -> dict[str, np.ndarray]:
    """Each convolutional block's ReLU output for ``images`` (before its pooling and
    batch normalization).

    Parameters
    ----------
    model : keras.Model
        A built network with ``keras.layers.ReLU`` layers, such as :func:`build_cnn`'s.
    images : ndarray of shape (n, 28, 28)

    Returns
    -------
    dict of str to ndarray of shape (n, height, width, filters)
        One entry per ReLU layer, by layer name, in order.
    """
    relus = [layer for layer in model.layers if isinstance(layer, keras.layers.ReLU)]
    if not relus:
        raise ValueError(f"{model.name} has no ReLU layer whose output to show")
    probe = keras.Model(model.inputs, [layer.output for layer in relus])
    outputs = probe.predict(np.asarray(images), verbose=0)
    return {layer.name: np.asarray(out) for layer, out in zip(relus, outputs)}

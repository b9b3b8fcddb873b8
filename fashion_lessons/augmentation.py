"""Data augmentation: shifted copies of the training images, a new draw every epoch.

A network that has seen a shirt only in the middle of the frame has to learn every
position again. Shifting each training image by a pixel or two, a new random shift
every epoch, shows it the same garments in more places for free.
:func:`shift_images` moves images by whole pixels (what
``keras.layers.RandomTranslation`` does with ``fill_mode="constant"``),
:func:`random_shifts` draws one shift per image, :func:`facing_share` measures how
many garments face one way, and :class:`EpochBatches` feeds Keras's ``fit`` freshly
shifted batches each epoch.
"""

from __future__ import annotations

import keras
import numpy as np

__all__ = ["EpochBatches", "facing_share", "random_shifts", "shift_images"]


# -- Data augmentation --------------------------------------------------------


def shift_images(images: np.ndarray, dy, dx) -> np.ndarray:
    """Shift each image by whole pixels, filling the uncovered border with zeros.

    Parameters
    ----------
    images : ndarray of shape (n, height, width)
    dy, dx : int or ndarray of int, shape (n,)
        Pixels to shift each image down (``dy > 0``) or up, and right
        (``dx > 0``) or left; the same sign convention as
        ``keras.layers.RandomTranslation``.

    Returns
    -------
    ndarray of shape (n, height, width), the dtype of ``images``
        Pixels shifted past an edge are lost; zeros, the background of
        Fashion-MNIST, come in from the other side.
    """
    images = np.asarray(images)
    n, height, width = images.shape
    dy = np.broadcast_to(np.asarray(dy, dtype=np.int64), (n,))
    dx = np.broadcast_to(np.asarray(dx, dtype=np.int64), (n,))
    out = np.zeros_like(images)
    # Output pixel (r, c) is input pixel (r - a, c - b): one slice per distinct shift (a, b).
    for a, b in set(zip(dy.tolist(), dx.tolist())):
        if abs(a) >= height or abs(b) >= width:
            continue  # shifted out of the frame entirely
        which = np.flatnonzero((dy == a) & (dx == b))
        out[which, max(a, 0) : height + min(a, 0), max(b, 0) : width + min(b, 0)] = images[
            which, max(-a, 0) : height - max(a, 0), max(-b, 0) : width - max(b, 0)
        ]
    return out


def random_shifts(images: np.ndarray, max_shift: int, rng: np.random.Generator) -> np.ndarray:
    """Shift every image by its own random whole number of pixels, up to ``max_shift``.

    Each image moves by ``dy`` and ``dx`` drawn independently and uniformly
    from ``-max_shift, ..., max_shift``.

    Parameters
    ----------
    images : ndarray of shape (n, height, width)
    max_shift : int
    rng : numpy.random.Generator

    Returns
    -------
    ndarray of shape (n, height, width)
    """
    dy, dx = rng.integers(-max_shift, max_shift + 1, size=(2, len(images)))
    return shift_images(images, dy, dx)


def facing_share(images: np.ndarray, reference: np.ndarray) -> float:
    """The share of ``images`` closer to ``reference`` than to its mirror image.

    With ``reference`` the mean training image of a class, this measures how
    consistently the class faces one way: about 1 if every image faces like the
    mean, about 0.5 for left-right symmetric garments.

    Parameters
    ----------
    images : ndarray of shape (n, height, width)
    reference : ndarray of shape (height, width)

    Returns
    -------
    float in [0, 1]
    """
    images = np.asarray(images, dtype=np.float64)
    reference = np.asarray(reference, dtype=np.float64)
    to_same = np.sum((images - reference) ** 2, axis=(1, 2))
    to_mirror = np.sum((images - reference[:, ::-1]) ** 2, axis=(1, 2))
    return float(np.mean(to_same < to_mirror))


class EpochBatches(keras.utils.PyDataset):
    """Mini-batches of the training set, reshuffled (and optionally shifted) every epoch.

    Every run of the experiment reads its data through this class, so that all
    runs see the same images in the same order; ``max_shift > 0`` adds
    :func:`random_shifts` to each epoch's copy. Epoch ``e`` is drawn from
    ``numpy.random.default_rng([seed, e])``: the batches do not depend on how
    often Keras asks for them.

    Parameters
    ----------
    x : ndarray of shape (n, 28, 28)
    y : ndarray of int, shape (n,)
    batch_size : int, default 32
    max_shift : int, default 0
        Largest shift in pixels; 0 for no augmentation.
    seed : int, default 0
    """

    def __init__(self, x, y, batch_size: int = 32, max_shift: int = 0, seed: int = 0):
        super().__init__()  # one worker, no multiprocessing: batches come in order
        self.x, self.y = np.asarray(x), np.asarray(y)
        self.batch_size, self.max_shift, self.seed = batch_size, max_shift, seed
        self.epoch = -1
        self._x, self._y = self.x, self.y  # what Keras sees before the first epoch

    def __len__(self) -> int:
        return -(-len(self.x) // self.batch_size)

    def __getitem__(self, i: int):
        batch = slice(i * self.batch_size, (i + 1) * self.batch_size)
        return self._x[batch], self._y[batch]

    def on_epoch_begin(self) -> None:
        self.epoch += 1
        rng = np.random.default_rng([self.seed, self.epoch])
        order = rng.permutation(len(self.x))
        self._x, self._y = self.x[order], self.y[order]
        if self.max_shift:
            self._x = random_shifts(self._x, self.max_shift, rng)

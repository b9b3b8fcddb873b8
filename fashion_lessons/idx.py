"""The IDX file format of MNIST and Fashion-MNIST: read one file, and check every byte.

An IDX file is a 4-byte *magic number* (two zero bytes, a type code, and the
number of dimensions), one big-endian 32-bit size per dimension, then the values
in row-major order. Fashion-MNIST uses unsigned bytes (type code ``0x08``).
:func:`read_idx` reads a file, gzipped or not, and checks it against what it
must contain (an :class:`IdxFile`): the header, the counts, the label range and
the SHA-256 of the decompressed content. Anything wrong raises
:class:`DatasetError`, with what to do about it.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = ["HOW_TO_GET", "DatasetError", "IdxFile", "read_idx"]

#: What to do when a file is missing or broken: where Fashion-MNIST comes from.
HOW_TO_GET = (
    "To get the data, do one of:\n"
    "  * on Debian or Ubuntu, as root: apt-get install dataset-fashion-mnist\n"
    "  * put the four files (gzipped or not) in a directory and set FASHION_MNIST_DIR to it,\n"
    "    or pass that directory as load_fashion_mnist(path=...)\n"
    "  * with internet access, let Keras download them: "
    "python -c 'import keras; keras.datasets.fashion_mnist.load_data()'"
)


class DatasetError(RuntimeError):
    """The Fashion-MNIST files are missing, corrupt or not what they should be."""


@dataclass(frozen=True)
class IdxFile:
    """What one IDX file of the data set must contain.

    Attributes
    ----------
    name : str
        File name without ``.gz``, for example ``"train-images-idx3-ubyte"``.
    shape : tuple of int
        The array's shape: ``(n, 28, 28)`` for images, ``(n,)`` for labels.
    sha256 : str
        Hex SHA-256 of the decompressed file.
    """

    name: str
    shape: tuple[int, ...]
    sha256: str

    @property
    def is_labels(self) -> bool:
        return len(self.shape) == 1


# -- Reading one file ---------------------------------------------------------


def _read_bytes(path: Path) -> bytes:
    """The file's content, decompressed when its name ends in ``.gz``."""
    try:
        if path.suffix == ".gz":
            with gzip.open(path, "rb") as f:
                return f.read()
        return path.read_bytes()
    except FileNotFoundError:
        raise DatasetError(f"{path}: file not found.\n{HOW_TO_GET}") from None
    except (EOFError, gzip.BadGzipFile, zlib.error) as err:
        raise DatasetError(
            f"{path}: the gzip stream is truncated or corrupt ({err}). "
            f"The file was probably cut short while being copied or downloaded: "
            f"delete it and get it again.\n{HOW_TO_GET}"
        ) from None
    except OSError as err:
        raise DatasetError(f"{path}: cannot be read ({err}).") from None


def read_idx(path: str | os.PathLike, expected: IdxFile | None = None) -> np.ndarray:
    """Read one IDX file of unsigned bytes, checking it as it goes.

    Parameters
    ----------
    path : str or path-like
        The file; decompressed on the fly when its name ends in ``.gz``.
    expected : IdxFile, optional
        When given, the array must have this shape and the decompressed bytes
        this SHA-256, and label files must hold values in 0..9.

    Returns
    -------
    ndarray of uint8
        Of shape ``(n, rows, cols)`` for images or ``(n,)`` for labels.

    Raises
    ------
    DatasetError
        If the file is missing, truncated, not unsigned-byte IDX, or not what
        ``expected`` says. The message names the file and says how to fix it.
    """
    path = Path(path)
    raw = _read_bytes(path)
    fix = (
        "The file is damaged or is not the Fashion-MNIST file of that name: "
        "delete it and get it again."
    )
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0:
        raise DatasetError(f"{path}: not an IDX file (bad magic number {raw[:4].hex()}). {fix}")
    if raw[2] != 0x08:
        raise DatasetError(
            f"{path}: IDX type code 0x{raw[2]:02x}, expected 0x08 (unsigned bytes). {fix}"
        )
    ndim = raw[3]
    if expected is not None and ndim != len(expected.shape):
        raise DatasetError(
            f"{path}: IDX file has {ndim} dimensions, expected {len(expected.shape)} "
            f"(magic number {raw[:4].hex()}). {fix}"
        )
    header_len = 4 + 4 * ndim
    if len(raw) < header_len:
        raise DatasetError(f"{path}: the header is cut short. {fix}")
    shape = tuple(int(d) for d in np.frombuffer(raw, dtype=">u4", count=ndim, offset=4))
    if expected is not None and shape != expected.shape:
        raise DatasetError(
            f"{path}: holds an array of shape {shape}, expected {expected.shape} "
            f"(wrong item count or image size). {fix}"
        )
    size = int(np.prod(shape, dtype=np.int64))
    if len(raw) - header_len != size:
        raise DatasetError(
            f"{path}: the header promises {size} values but the file holds "
            f"{len(raw) - header_len}: it is truncated or padded. {fix}"
        )
    if expected is not None:
        digest = hashlib.sha256(raw).hexdigest()
        if digest != expected.sha256:
            raise DatasetError(
                f"{path}: SHA-256 of the decompressed content is {digest}, expected "
                f"{expected.sha256}. {fix}"
            )
    array = np.frombuffer(raw, dtype=np.uint8, offset=header_len).reshape(shape).copy()
    if expected is not None and expected.is_labels and array.size and array.max() > 9:
        raise DatasetError(f"{path}: holds label {array.max()}, but labels must be 0..9. {fix}")
    return array

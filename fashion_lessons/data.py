"""Find, verify and load Fashion-MNIST (Xiao, Rasul & Vollgraf, 2017).

The data set is four files in the IDX format of the original MNIST, read and
checked by :mod:`fashion_lessons.idx`: images are ``(n, 28, 28)`` pixels in
0..255 and labels are ``(n,)`` classes in 0..9.

:func:`load_fashion_mnist` looks for the files in this order and uses the first
place that has all four:

1. the ``path`` argument;
2. the directory named by the environment variable ``FASHION_MNIST_DIR``;
3. ``/usr/share/datasets/fashion-mnist`` (Debian's ``dataset-fashion-mnist``);
4. Keras's data set cache (``$KERAS_HOME/datasets/fashion-mnist``, by default
   ``~/.keras/datasets/fashion-mnist``);
5. Keras's own download into that cache (needs internet).

Each file may be gzipped (``.gz``) or not. Every byte is checked before any
array is returned: the header, the counts, the label range, and the SHA-256
of the decompressed content. Anything wrong raises :class:`DatasetError`.

Run ``python -m fashion_lessons.data`` to see where the data are found.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from fashion_lessons.idx import HOW_TO_GET, DatasetError, IdxFile, read_idx

__all__ = [
    "CLASS_NAMES",
    "DEBIAN_DIR",
    "FILES",
    "DatasetError",
    "FashionMNIST",
    "IdxFile",
    "Source",
    "find_fashion_mnist",
    "keras_cache_dir",
    "load_fashion_mnist",
    "read_idx",
]

#: The ten classes, in label order: ``CLASS_NAMES[9] == "Ankle boot"``.
CLASS_NAMES = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)

DEBIAN_DIR = Path("/usr/share/datasets/fashion-mnist")
KERAS_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"

#: The four files, keyed by role. Digests are of the *decompressed* bytes, so
#: they hold however a distribution chose to re-compress the files.
FILES = {
    "train_images": IdxFile(
        "train-images-idx3-ubyte",
        (60000, 28, 28),
        "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
    ),
    "train_labels": IdxFile(
        "train-labels-idx1-ubyte",
        (60000,),
        "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
    ),
    "test_images": IdxFile(
        "t10k-images-idx3-ubyte",
        (10000, 28, 28),
        "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
    ),
    "test_labels": IdxFile(
        "t10k-labels-idx1-ubyte",
        (10000,),
        "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
    ),
}


@dataclass(frozen=True)
class Source:
    """Where the data were found.

    Attributes
    ----------
    kind : str
        One of ``"argument"``, ``"environment"``, ``"debian"``, ``"keras-cache"``
        and ``"keras-download"``.
    directory : pathlib.Path
        The directory holding the four files.
    files : dict of str to pathlib.Path
        The file used for each role (``"train_images"``, ...).
    """

    kind: str
    directory: Path
    files: dict[str, Path]

    def __str__(self) -> str:
        return f"{self.directory} ({self.kind})"


class FashionMNIST(tuple):
    """``((x_train, y_train), (x_test, y_test))``, plus where they came from.

    It unpacks exactly like the result of ``keras.datasets.fashion_mnist.load_data()``;
    the attribute :attr:`source` (a :class:`Source`) says which files were read.
    """

    source: Source

    def __new__(cls, train, test, source: Source):
        self = super().__new__(cls, (train, test))
        self.source = source
        return self


# -- Finding the files --------------------------------------------------------


def keras_cache_dir() -> Path:
    """Keras's cache directory for Fashion-MNIST (``$KERAS_HOME`` or ``~/.keras``)."""
    home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    return Path(home) / "datasets" / "fashion-mnist"


def _files_in(directory: Path) -> tuple[dict[str, Path], list[str]]:
    """The file for each role in ``directory`` (gzipped preferred), and the missing ones."""
    found, missing = {}, []
    for role, spec in FILES.items():
        for name in (spec.name + ".gz", spec.name):
            if (directory / name).is_file():
                found[role] = directory / name
                break
        else:
            missing.append(spec.name + "[.gz]")
    return found, missing


def _download_to_cache() -> Source:
    """Download the four files with Keras, verify them, then move them into the cache.

    The files land in a temporary directory first, so an interrupted or corrupt
    download never leaves a partial file in the cache.
    """
    from keras.utils import get_file  # imported here: only this path needs Keras

    cache = keras_cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache, prefix=".download-") as tmp:
        for spec in FILES.values():
            name = spec.name + ".gz"
            try:
                got = get_file(name, origin=KERAS_ORIGIN + name, cache_dir=tmp, cache_subdir=".")
            except Exception as err:
                raise DatasetError(
                    f"Fashion-MNIST is not on this machine and Keras could not download "
                    f"{name} ({type(err).__name__}: {err}).\n{HOW_TO_GET}"
                ) from None
            read_idx(got, spec)  # verify before it may enter the cache
        for spec in FILES.values():
            os.replace(Path(tmp) / (spec.name + ".gz"), cache / (spec.name + ".gz"))
    found, _ = _files_in(cache)
    return Source("keras-download", cache, found)


def find_fashion_mnist(path: str | os.PathLike | None = None, download: bool = True) -> Source:
    """Find the directory holding the four Fashion-MNIST files.

    Parameters
    ----------
    path : str or path-like, optional
        Look only here. A directory that lacks a file is an error.
    download : bool, default True
        When no place has the files, let Keras download them (needs internet).

    Returns
    -------
    Source
        Where the files are. They are not read or verified yet.

    Raises
    ------
    DatasetError
        If an explicitly named directory (``path`` or ``$FASHION_MNIST_DIR``)
        lacks a file, or if no place has the files and they cannot be downloaded.
    """
    explicit = []
    if path is not None:
        explicit.append(("argument", Path(path)))
    elif os.environ.get("FASHION_MNIST_DIR"):
        explicit.append(("environment", Path(os.environ["FASHION_MNIST_DIR"])))
    for kind, directory in explicit:
        found, missing = _files_in(directory)
        if missing:
            what = "the path argument" if kind == "argument" else "FASHION_MNIST_DIR"
            raise DatasetError(
                f"{directory} (from {what}) lacks {', '.join(missing)}.\n{HOW_TO_GET}"
            )
        return Source(kind, directory, found)

    looked = []
    for kind, directory in (("debian", DEBIAN_DIR), ("keras-cache", keras_cache_dir())):
        found, missing = _files_in(directory)
        if not missing:
            return Source(kind, directory, found)
        looked.append(f"  {directory}: lacks {', '.join(missing)}")
    if download:
        return _download_to_cache()
    raise DatasetError(
        "Fashion-MNIST was not found. Looked in:\n" + "\n".join(looked) + f"\n{HOW_TO_GET}"
    )


def load_fashion_mnist(path: str | os.PathLike | None = None, download: bool = True):
    """Load Fashion-MNIST, verified, as ``((x_train, y_train), (x_test, y_test))``.

    Parameters
    ----------
    path : str or path-like, optional
        Directory holding the four IDX files (``.gz`` or not). By default the
        search order of this module's docstring is used.
    download : bool, default True
        Whether the last resort, Keras's download, may be tried.

    Returns
    -------
    FashionMNIST
        A tuple ``((x_train, y_train), (x_test, y_test))`` of uint8 arrays of
        shapes ``(60000, 28, 28)``, ``(60000,)``, ``(10000, 28, 28)`` and
        ``(10000,)``, the same contract as ``keras.datasets.fashion_mnist.load_data()``.
        Its attribute ``source`` says where the files were found.

    Raises
    ------
    DatasetError
        If a file is missing, corrupt or not the original. Nothing is returned
        unless all four files verify.
    """
    source = find_fashion_mnist(path, download=download)
    arrays = {role: read_idx(source.files[role], FILES[role]) for role in FILES}
    for split in ("train", "test"):
        images, labels = arrays[f"{split}_images"], arrays[f"{split}_labels"]
        if len(images) != len(labels):
            raise DatasetError(
                f"{source.files[split + '_images']} holds {len(images)} images but "
                f"{source.files[split + '_labels']} holds {len(labels)} labels: "
                "the files come from different data sets. Get both again."
            )
    return FashionMNIST(
        (arrays["train_images"], arrays["train_labels"]),
        (arrays["test_images"], arrays["test_labels"]),
        source,
    )


# -- Command line -------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m fashion_lessons.data",
        description="Find and verify the Fashion-MNIST files.",
    )
    parser.add_argument("path", nargs="?", help="directory to check instead of the search order")
    parser.add_argument(
        "--no-download", action="store_true", help="do not fall back to Keras's download"
    )
    args = parser.parse_args(argv)
    try:
        data = load_fashion_mnist(args.path, download=not args.no_download)
    except DatasetError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    (x_train, _), (x_test, _) = data
    print(f"Fashion-MNIST found in {data.source}")
    for role, file in data.source.files.items():
        print(f"  {role:<13} {file.name}")
    print(
        f"verified: {len(x_train)} training and {len(x_test)} test images, "
        "SHA-256 of every file matches"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

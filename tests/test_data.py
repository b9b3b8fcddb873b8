"""The Fashion-MNIST loader, on small IDX files written here, and on the real data when present."""

import gzip
import hashlib
import struct

import numpy as np
import pytest

from fashion_lessons import data
from fashion_lessons.data import DatasetError, IdxFile, load_fashion_mnist, read_idx

N_TRAIN, N_TEST = 12, 5


def idx_bytes(array: np.ndarray, type_code: int = 0x08) -> bytes:
    """An IDX file's content: magic number, big-endian sizes, then the bytes."""
    header = bytes([0, 0, type_code, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(np.uint8).tobytes()


def tiny_arrays(seed=0):
    rng = np.random.default_rng(seed)
    return {
        "train_images": rng.integers(0, 256, (N_TRAIN, 28, 28), dtype=np.uint8),
        "train_labels": rng.integers(0, 10, N_TRAIN, dtype=np.uint8),
        "test_images": rng.integers(0, 256, (N_TEST, 28, 28), dtype=np.uint8),
        "test_labels": rng.integers(0, 10, N_TEST, dtype=np.uint8),
    }


def write_dataset(directory, arrays, gz=True):
    """Write the four files; return the specs (shapes and digests) they satisfy."""
    directory.mkdir(parents=True, exist_ok=True)
    specs = {}
    for role, array in arrays.items():
        name = data.FILES[role].name
        raw = idx_bytes(array)
        if gz:
            (directory / f"{name}.gz").write_bytes(gzip.compress(raw))
        else:
            (directory / name).write_bytes(raw)
        specs[role] = IdxFile(name, array.shape, hashlib.sha256(raw).hexdigest())
    return specs


@pytest.fixture
def tiny(tmp_path, monkeypatch):
    """A valid tiny data set in tmp_path/tiny, with the loader's specs pointed at it.

    Every other place the loader searches is redirected to empty directories, so
    tests see only what they write.
    """
    arrays = tiny_arrays()
    directory = tmp_path / "tiny"
    monkeypatch.setattr(data, "FILES", write_dataset(directory, arrays))
    monkeypatch.setattr(data, "DEBIAN_DIR", tmp_path / "no-debian")
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras-home"))
    monkeypatch.delenv("FASHION_MNIST_DIR", raising=False)
    return directory, arrays


def corrupt(path, transform):
    path.write_bytes(transform(path.read_bytes()))


# -- Valid files --------------------------------------------------------------


@pytest.mark.parametrize("gz", [True, False])
def test_loads_valid_files(tiny, gz, tmp_path):
    directory, arrays = tiny
    if not gz:
        directory = tmp_path / "raw"
        write_dataset(directory, arrays, gz=False)
    (x_train, y_train), (x_test, y_test) = load_fashion_mnist(directory)
    for got, role in [
        (x_train, "train_images"),
        (y_train, "train_labels"),
        (x_test, "test_images"),
        (y_test, "test_labels"),
    ]:
        assert got.dtype == np.uint8
        np.testing.assert_array_equal(got, arrays[role])


def test_source_says_where_the_data_came_from(tiny, monkeypatch):
    directory, _ = tiny
    assert load_fashion_mnist(directory).source.kind == "argument"
    monkeypatch.setenv("FASHION_MNIST_DIR", str(directory))
    loaded = load_fashion_mnist()
    assert loaded.source.kind == "environment"
    assert loaded.source.directory == directory
    assert loaded.source.files["train_images"].name == "train-images-idx3-ubyte.gz"


def test_search_order_debian_then_keras_cache(tiny, tmp_path, monkeypatch):
    directory, arrays = tiny
    keras_dir = tmp_path / "keras-home" / "datasets" / "fashion-mnist"
    write_dataset(keras_dir, arrays)
    assert load_fashion_mnist().source.kind == "keras-cache"
    monkeypatch.setattr(data, "DEBIAN_DIR", directory)
    assert load_fashion_mnist().source.kind == "debian"
    # An explicit directory wins over both.
    other = tmp_path / "other"
    write_dataset(other, arrays, gz=False)
    monkeypatch.setenv("FASHION_MNIST_DIR", str(other))
    assert load_fashion_mnist().source.directory == other


def test_nothing_found_without_download_names_the_places(tiny, tmp_path):
    with pytest.raises(DatasetError) as err:
        data.find_fashion_mnist(download=False)
    message = str(err.value)
    assert "no-debian" in message and "keras-home" in message
    assert "apt-get install dataset-fashion-mnist" in message
    assert "FASHION_MNIST_DIR" in message


def test_download_failure_is_a_dataset_error_and_leaves_no_file(tiny, tmp_path, monkeypatch):
    import keras

    def no_network(fname, origin, **kwargs):
        raise OSError("network unreachable")

    monkeypatch.setattr(keras.utils, "get_file", no_network)
    with pytest.raises(DatasetError, match="could not download"):
        load_fashion_mnist()
    cache = tmp_path / "keras-home" / "datasets" / "fashion-mnist"
    assert not cache.exists() or list(cache.iterdir()) == []


def test_download_verifies_before_the_cache_sees_a_file(tiny, tmp_path, monkeypatch):
    """A download that arrives corrupt is rejected and nothing reaches the cache."""
    import keras

    directory, _ = tiny

    def fake_get_file(fname, origin, cache_dir, cache_subdir):
        target = tmp_path / "dl" / fname
        target.parent.mkdir(exist_ok=True)
        raw = (directory / fname).read_bytes()
        target.write_bytes(raw[: len(raw) // 2])  # cut short in transit
        dest = f"{cache_dir}/{cache_subdir}/{fname}"
        target.replace(dest)
        return dest

    monkeypatch.setattr(keras.utils, "get_file", fake_get_file)
    with pytest.raises(DatasetError, match="truncated or corrupt"):
        load_fashion_mnist()
    cache = tmp_path / "keras-home" / "datasets" / "fashion-mnist"
    assert list(cache.iterdir()) == []


def test_download_moves_verified_files_into_the_cache(tiny, tmp_path, monkeypatch):
    import keras

    directory, arrays = tiny

    def fake_get_file(fname, origin, cache_dir, cache_subdir):
        assert origin.endswith(fname)
        dest = f"{cache_dir}/{cache_subdir}/{fname}"
        with open(dest, "wb") as f:
            f.write((directory / fname).read_bytes())
        return dest

    monkeypatch.setattr(keras.utils, "get_file", fake_get_file)
    loaded = load_fashion_mnist()
    assert loaded.source.kind == "keras-download"
    np.testing.assert_array_equal(loaded[0][1], arrays["train_labels"])
    # The next call finds them in the cache, no download needed.
    monkeypatch.setattr(keras.utils, "get_file", None)
    assert load_fashion_mnist().source.kind == "keras-cache"


# -- Broken files: each kind raises DatasetError naming the file --------------


def test_missing_file(tiny):
    directory, _ = tiny
    (directory / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(DatasetError, match="lacks t10k-labels-idx1-ubyte"):
        load_fashion_mnist(directory)


def test_missing_directory_from_environment(tiny, tmp_path, monkeypatch):
    monkeypatch.setenv("FASHION_MNIST_DIR", str(tmp_path / "nowhere"))
    with pytest.raises(DatasetError, match="from FASHION_MNIST_DIR"):
        load_fashion_mnist()


def test_truncated_gzip(tiny):
    directory, _ = tiny
    path = directory / "train-images-idx3-ubyte.gz"
    corrupt(path, lambda b: b[: len(b) // 2])
    with pytest.raises(DatasetError) as err:
        load_fashion_mnist(directory)
    assert str(path) in str(err.value)
    assert "truncated or corrupt" in str(err.value)
    assert "delete it" in str(err.value)


def test_corrupt_gzip(tiny):
    directory, _ = tiny
    path = directory / "train-labels-idx1-ubyte.gz"
    corrupt(path, lambda b: b[:10] + bytes(x ^ 0xFF for x in b[10:]))
    with pytest.raises(DatasetError, match="truncated or corrupt"):
        load_fashion_mnist(directory)


def test_not_gzip_at_all(tiny):
    directory, _ = tiny
    corrupt(directory / "t10k-images-idx3-ubyte.gz", lambda b: b"<html>404 Not Found</html>")
    with pytest.raises(DatasetError, match=r"t10k-images-idx3-ubyte\.gz"):
        load_fashion_mnist(directory)


@pytest.mark.parametrize(
    ("magic", "message"),
    [
        (bytes([1, 2, 8, 3]), "bad magic number"),
        (bytes([0, 0, 0x0D, 3]), "type code 0x0d"),
        (bytes([0, 0, 8, 1]), "1 dimensions, expected 3"),
    ],
)
def test_wrong_magic_number(tiny, tmp_path, magic, message):
    _, arrays = tiny
    raw_dir = tmp_path / "raw"
    write_dataset(raw_dir, arrays, gz=False)
    corrupt(raw_dir / "train-images-idx3-ubyte", lambda b: magic + b[4:])
    with pytest.raises(DatasetError, match=message):
        load_fashion_mnist(raw_dir)


def test_wrong_item_count(tiny, tmp_path):
    _, arrays = tiny
    arrays = dict(arrays, test_labels=arrays["test_labels"][:-1])
    other = tmp_path / "short"
    write_dataset(other, arrays)
    with pytest.raises(DatasetError, match=r"shape \(4,\), expected \(5,\)"):
        load_fashion_mnist(other)


def test_image_and_label_counts_must_match(tiny, monkeypatch, tmp_path):
    arrays = tiny_arrays()
    arrays["test_labels"] = arrays["test_labels"][:-1]
    directory = tmp_path / "mismatch"
    monkeypatch.setattr(data, "FILES", write_dataset(directory, arrays))
    with pytest.raises(DatasetError, match=r"5 images but .* 4 labels"):
        load_fashion_mnist(directory)


def test_truncated_payload(tiny):
    directory, _ = tiny
    path = directory / "train-images-idx3-ubyte.gz"
    corrupt(path, lambda b: gzip.compress(gzip.decompress(b)[:-100]))
    with pytest.raises(DatasetError, match="truncated or padded"):
        load_fashion_mnist(directory)


def test_checksum_mismatch(tiny):
    directory, _ = tiny
    path = directory / "train-images-idx3-ubyte.gz"
    raw = bytearray(gzip.decompress(path.read_bytes()))
    raw[-1] ^= 0x01  # one flipped bit in the last pixel
    path.write_bytes(gzip.compress(bytes(raw)))
    with pytest.raises(DatasetError, match="SHA-256 of the decompressed content"):
        load_fashion_mnist(directory)


def test_label_out_of_range(tmp_path, monkeypatch):
    labels = np.array([1, 2, 12], dtype=np.uint8)
    path = tmp_path / "labels"
    path.write_bytes(idx_bytes(labels))
    spec = IdxFile("labels", (3,), hashlib.sha256(idx_bytes(labels)).hexdigest())
    with pytest.raises(DatasetError, match=r"label 12"):
        read_idx(path, spec)


def test_read_idx_without_expectations_reads_any_ubyte_file(tmp_path):
    array = np.arange(24, dtype=np.uint8).reshape(2, 3, 4)
    path = tmp_path / "any.gz"
    path.write_bytes(gzip.compress(idx_bytes(array)))
    np.testing.assert_array_equal(read_idx(path), array)


def test_command_line_reports_error_with_nonzero_exit(tiny, tmp_path, capsys):
    assert data.main([str(tmp_path / "nowhere"), "--no-download"]) == 1
    assert "error:" in capsys.readouterr().err
    directory, _ = tiny
    assert data.main([str(directory)]) == 0
    out = capsys.readouterr().out
    assert str(directory) in out and "verified" in out


# -- The real data ------------------------------------------------------------


@pytest.mark.skipif(
    not data.DEBIAN_DIR.is_dir(), reason="Debian's dataset-fashion-mnist is not installed"
)
def test_real_data():
    (x_train, y_train), (x_test, y_test) = load_fashion_mnist(data.DEBIAN_DIR)
    assert x_train.shape == (60000, 28, 28) and y_train.shape == (60000,)
    assert x_test.shape == (10000, 28, 28) and y_test.shape == (10000,)
    assert x_train.dtype == y_train.dtype == np.uint8
    assert y_train[:10].tolist() == [9, 0, 0, 3, 0, 2, 7, 2, 5, 5]
    assert y_test[:10].tolist() == [9, 2, 1, 1, 6, 1, 4, 6, 5, 7]
    assert np.bincount(y_train).tolist() == [6000] * 10
    assert len(data.CLASS_NAMES) == 10 and data.CLASS_NAMES[9] == "Ankle boot"

"""Shared test set-up: a non-interactive matplotlib, figures closed after each test, and
the book built once per session for the tests that read it."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("MPLBACKEND", "Agg")

import subprocess
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def sphinx_build(
    srcdir: Path, outdir: Path, *extra: str, strict: bool = True
) -> subprocess.CompletedProcess:
    """Run sphinx-build as an author would, with the repository's conf.py.

    ``strict`` turns warnings into errors (``-W``), as ``make html`` does; a part of the
    book built alone needs it off, since its links to the other chapters dangle.
    """
    # -N: no colour codes, whatever the environment (CI) asks for.
    args = ["-c", str(ROOT), "--keep-going", "-q", "-N", *extra, str(srcdir), str(outdir)]
    args = ["-W", *args] if strict else args
    return subprocess.run(
        [sys.executable, "-m", "sphinx", *args],
        capture_output=True,
        text=True,
        timeout=3000,
    )


def pytest_addoption(parser):
    parser.addoption(
        "--built-book",
        metavar="DIR",
        help="test this already-built book (e.g. _build/html) instead of building one",
    )


@pytest.fixture(scope="session")
def built_book(tmp_path_factory, request):
    """Build the whole book once; return the HTML directory."""
    given = request.config.getoption("--built-book")
    if given:
        return Path(given).resolve()
    outdir = tmp_path_factory.mktemp("book") / "html"
    result = sphinx_build(DOCS, outdir)
    assert result.returncode == 0, f"the book failed to build:\n{result.stdout}\n{result.stderr}"
    return outdir

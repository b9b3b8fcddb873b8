"""Shared test set-up: a non-interactive matplotlib, figures closed after each test, and
the book, built (or brought up to date) once per session for the tests that read it."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("MPLBACKEND", "Agg")
# NumPy's BLAS on one thread, in the test processes and in the kernels they start, as
# conf.py sets it for the book's kernels: with pytest-xdist on every core, a second BLAS
# thread per process only fights the other workers for the CPU.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import contextlib
import fcntl
import functools
import http.server
import subprocess
import sys
import threading
from pathlib import Path

import matplotlib.pyplot as plt
import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(autouse=True)
def _figures_closed_and_never_shown(monkeypatch):
    """Nothing under test may call ``plt.show()``; every figure is closed afterwards."""

    def fail(*args, **kwargs):
        raise AssertionError("plot functions must not call plt.show()")

    monkeypatch.setattr(plt, "show", fail)
    yield
    plt.close("all")


@contextlib.contextmanager
def serve(directory: Path):
    """Serve ``directory`` on 127.0.0.1; yields the base URL."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def site(built_book):
    """The built book served on 127.0.0.1; yields its base URL."""
    with serve(built_book) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright (never a downloaded browser)."""
    playwright = pytest.importorskip("playwright.sync_api")
    assert CHROMIUM.exists(), "Debian's chromium is missing: `make test` installs it as root"
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


def sphinx_build(
    srcdir: Path, outdir: Path, *extra: str, strict: bool = True, env: dict | None = None
) -> subprocess.CompletedProcess:
    """Run sphinx-build as an author would, with the repository's conf.py.

    ``strict`` turns warnings into errors (``-W``), as ``make html`` does; a part of the
    book built alone needs it off, since its links to the other chapters dangle.
    ``env`` adds environment variables (``FASHION_LESSONS_CACHE``, say).
    """
    # -N: no colour codes, whatever the environment (CI) asks for.
    args = ["-c", str(ROOT), "--keep-going", "-q", "-N", *extra, str(srcdir), str(outdir)]
    args = ["-W", *args] if strict else args
    return subprocess.run(
        [sys.executable, "-m", "sphinx", *args],
        capture_output=True,
        text=True,
        timeout=3000,
        env={**os.environ, **(env or {})},
    )


def pytest_addoption(parser):
    parser.addoption(
        "--built-book",
        metavar="DIR",
        help="test this already-built book (e.g. _build/html) instead of building one",
    )
    parser.addoption(
        "--screenshots",
        action="store_true",
        help="photograph every page in both modes, and the trainer, into _build/screenshots "
        "(otherwise only what fails a check)",
    )


@pytest.fixture(scope="session")
def screenshots(request) -> bool:
    """Whether to photograph everything the browser tests check (``--screenshots``, as
    ``make screenshots`` asks), not only what fails a check."""
    return request.config.getoption("--screenshots")


#: Where `make html` builds the book, and so the tests.
BOOK = ROOT / "_build" / "html"


@pytest.fixture(scope="session")
def built_book(request):
    """The book in ``_build/html``, brought up to date as ``make html`` does; its path.

    Right after ``make html`` nothing is read again; otherwise only what changed, and
    the execution cache runs only the chapters whose inputs changed (README, "Building
    it yourself"). ``--built-book DIR`` tests a book built elsewhere, as it is.
    """
    given = request.config.getoption("--built-book")
    if given:
        return Path(given).resolve()
    BOOK.parent.mkdir(parents=True, exist_ok=True)
    # With pytest-xdist every worker asks for the book: one brings it up to date while the
    # others wait, then find nothing to do.
    with open(BOOK.parent / ".tests-build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        result = sphinx_build(DOCS, BOOK)
    assert result.returncode == 0, f"the book failed to build:\n{result.stdout}\n{result.stderr}"
    return BOOK

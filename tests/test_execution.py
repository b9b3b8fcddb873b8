"""The execution cache: a stored run is reused exactly when every input is the same."""

from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
import toybook
import yaml
from toybook import CHAPTER, build, run

from fashion_lessons.export import EXPORT_FILENAME, EXPORT_MIME
from fashion_lessons.sphinxext import dependencies
from fashion_lessons.sphinxext.execution import KEY, with_key


@pytest.fixture
def book(tmp_path):
    """The toy book (tests/toybook.py), with an execution cache of its own, empty."""
    return toybook.make(tmp_path, mode="cache")


def page(root: Path, chapter: str, out: str = "html") -> str:
    return (root / out / f"{chapter}.html").read_text()


def test_a_stored_run_is_reused_only_when_every_input_is_the_same(book):
    everything = {"uses_base", "uses_derived", "uses_nothing"}
    assert build(book) == everything
    # Prose: the page is rendered again, from the stored outputs.
    chapter = book / "src" / "uses_base.md"
    chapter.write_text(chapter.read_text().replace("Some prose.", "Better prose."))
    assert build(book) == set()
    assert "Better prose." in page(book, "uses_base") and "base 1" in page(book, "uses_base")
    # The executed notebook (downloads, widgets) has the stored outputs too.
    executed = nbformat.read(book / "jupyter_execute" / "uses_base.ipynb", as_version=4)
    assert "base 1" in executed.cells[-1].outputs[0]["text"]
    # A fresh clone: a new output directory, the same cache: nothing runs.
    assert build(book, out="clone") == set()
    assert "double 2" in page(book, "uses_derived", out="clone")
    # A module the code imports, directly or through another: those chapters run.
    (book / "lib" / "toypkg" / "base.py").write_text("VALUE = 5\n")
    assert build(book) == {"uses_base", "uses_derived"}
    assert "double 10" in page(book, "uses_derived")
    # ... and the clone, built with the same cache, takes their new runs from it.
    assert build(book, out="clone") == set()
    assert "double 10" in page(book, "uses_derived", out="clone")
    # A code cell: that chapter runs.
    chapter.write_text(chapter.read_text().replace("'base'", "'BASE'"))
    assert build(book) == {"uses_base"}
    # Back to code seen before: its stored run serves again.
    chapter.write_text(chapter.read_text().replace("'BASE'", "'base'"))
    assert build(book) == set()
    assert "base 5" in page(book, "uses_base")


def test_a_run_taken_from_the_cache_still_exports_to_the_widgets(tmp_path):
    book = toybook.make(tmp_path, mode="cache", chapters=["uses_nothing"])
    exporting = (
        "from IPython.display import display\n"
        f"display({{{EXPORT_MIME!r}: {{'format': 'toy'}}, 'text/plain': 'handed over'}}, raw=True)"
    )
    chapter = book / "src" / "uses_nothing.md"
    chapter.write_text(CHAPTER.format(title="uses_nothing", code=exporting))
    exported = Path("_static") / "fashion-lessons" / EXPORT_FILENAME
    assert build(book) == {"uses_nothing"}
    assert "'toy'" not in (book / "html" / exported).read_text()  # JSON, not a repr
    assert '"format":"toy"' in (book / "html" / exported).read_text()
    assert build(book, out="clone") == set()
    assert (book / "clone" / exported).read_text() == (book / "html" / exported).read_text()


def test_the_kernels_environment_is_an_input(tmp_path):
    book = toybook.make(tmp_path, mode="cache", chapters=["uses_nothing"])
    assert build(book) == {"uses_nothing"}
    # A variable the kernels inherit and that can change their results (oneDNN, here).
    assert build(book, TF_ENABLE_ONEDNN_OPTS="1") == {"uses_nothing"}
    assert build(book, TF_ENABLE_ONEDNN_OPTS="1") == set()
    # Where the cache lives is not an input: the test below.


def test_moving_the_cache_reads_nothing_again(tmp_path):
    """$FASHION_LESSONS_CACHE is read by the extension, not set in conf.py: a Sphinx
    setting that documents depend on would make every chapter be read again."""
    book = toybook.make(tmp_path, mode="cache", chapters=["uses_nothing"])
    conf = book / "src" / "conf.py"
    home = book / "cachehome"  # the default place, as conf.py names it
    conf.write_text(
        "from fashion_lessons.sphinxext.execution import default_cache_dir\n"
        + conf.read_text().replace(repr(str(book / "cache")), "str(default_cache_dir())")
    )
    first = build(book, XDG_CACHE_HOME=str(home), FASHION_LESSONS_CACHE=str(book / "first"))
    assert first == {"uses_nothing"}
    assert (book / "first").is_dir() and not home.exists()
    moved = run(book, XDG_CACHE_HOME=str(home), FASHION_LESSONS_CACHE=str(book / "second"))
    assert moved.returncode == 0, moved.stderr
    assert "updating environment: 0 added, 0 changed, 0 removed" in moved.stdout
    assert "execution cache is at " + str(book / "second") in moved.stdout
    # A chapter that does run again runs into the cache the variable names now.
    chapter = book / "src" / "uses_nothing.md"
    chapter.write_text(chapter.read_text().replace("no package", "no package at all"))
    assert build(book, XDG_CACHE_HOME=str(home), FASHION_LESSONS_CACHE=str(book / "second")) == {
        "uses_nothing"
    }
    assert (book / "second").is_dir()


def test_the_environment_digest_covers_packages_data_and_variables(monkeypatch):
    dependencies.environment_digest.cache_clear()
    first = dependencies.environment_digest()
    monkeypatch.setenv("TF_ENABLE_ONEDNN_OPTS", "42")
    dependencies.environment_digest.cache_clear()
    assert dependencies.environment_digest() != first
    monkeypatch.undo()
    from fashion_lessons import data

    spec = data.FILES["test_labels"]
    monkeypatch.setitem(data.FILES, "test_labels", type(spec)(**{**vars(spec), "sha256": "0"}))
    dependencies.environment_digest.cache_clear()
    assert dependencies.environment_digest() != first
    monkeypatch.undo()
    monkeypatch.setattr("importlib.metadata.distributions", lambda: [])
    dependencies.environment_digest.cache_clear()
    assert dependencies.environment_digest() != first
    monkeypatch.undo()
    dependencies.environment_digest.cache_clear()
    assert dependencies.environment_digest() == first


def test_the_environment_digest_ignores_which_pip_made_the_venv(monkeypatch):
    from importlib import metadata

    installed = list(metadata.distributions())
    assert any(d.metadata["Name"] == "pip" for d in installed)

    other_pip = SimpleNamespace(metadata={"Name": "pip"}, version="0.0.1")

    others = [d for d in installed if d.metadata["Name"] != "pip"]
    dependencies.environment_digest.cache_clear()
    first = dependencies.environment_digest()
    monkeypatch.setattr("importlib.metadata.distributions", lambda: [*others, other_pip])
    dependencies.environment_digest.cache_clear()
    assert dependencies.environment_digest() == first
    no_numpy = [d for d in others if d.metadata["Name"] != "numpy"]
    monkeypatch.setattr("importlib.metadata.distributions", lambda: no_numpy)
    dependencies.environment_digest.cache_clear()
    assert dependencies.environment_digest() != first  # any other package is an input
    monkeypatch.undo()
    dependencies.environment_digest.cache_clear()


def test_the_key_goes_into_the_kernelspec_and_every_line_keeps_its_number():
    text = CHAPTER.format(title="T", code="x = 1")
    keyed = with_key(text, "abc123")
    assert len(keyed.splitlines()) == len(text.splitlines())
    assert keyed.splitlines()[6:] == text.splitlines()[6:]  # everything after the front matter
    front = yaml.safe_load(keyed.split("---")[1])
    assert front == {
        "file_format": "mystnb",
        "kernelspec": {"name": "python3", "display_name": "Python 3", KEY: "abc123"},
    }
    plain = "# A page\n\nNo front matter.\n"
    assert with_key(plain, "abc") == plain
    no_kernel = "---\ntitle: x\n---\n# A page\n"
    assert with_key(no_kernel, "abc") == no_kernel

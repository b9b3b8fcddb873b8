"""Dependency-aware execution: which chapters an incremental build re-executes."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import toybook
from conftest import DOCS, ROOT
from toybook import CHAPTER, build

from fashion_lessons.sphinxext.dependencies import imported_names, module_dependencies


@pytest.fixture
def book(tmp_path):
    """The toy book (tests/toybook.py), every chapter executed whenever it is read."""
    return toybook.make(tmp_path, mode="force")


def test_incremental_builds_execute_exactly_what_changed(book):
    # Plain writes, as an editor makes them: whatever the clock and however fast the
    # build, the decision rests on content alone.
    everything = {"uses_base", "uses_derived", "uses_nothing"}
    assert build(book) == everything  # clean build: all
    assert build(book) == set()  # nothing changed: nothing
    derived = book / "lib" / "toypkg" / "derived.py"
    derived.write_text("from toypkg.base import VALUE\n\nDOUBLE = 3\n")
    assert build(book) == {"uses_derived"}
    (book / "lib" / "toypkg" / "base.py").write_text("VALUE = 5\n")  # imported at two depths
    assert build(book) == {"uses_base", "uses_derived"}
    chapter = book / "src" / "uses_nothing.md"
    chapter.write_text(chapter.read_text().replace("no package here", "edited"))
    assert build(book) == {"uses_nothing"}
    assert build(book) == set()


def test_what_the_theme_adds_to_the_configuration_never_makes_sphinx_read_again(
    built_book, tmp_path
):
    """Every build logs "The configuration has changed (9 options: 'html_context', ...)":
    Sphinx compares the settings it stored, to which the theme and the extensions added
    their own at start-up (templates, static files, copybutton's context, MathJax's
    classes), with conf.py's as read. None of them is a setting documents are read with,
    so the environment stays valid and nothing is read again. Sphinx started on the
    book's stored environment, as the next build would be, says so."""
    import io

    from sphinx.application import Sphinx
    from sphinx.environment import CONFIG_OK

    log = io.StringIO()
    app = Sphinx(
        DOCS, ROOT, tmp_path, built_book / ".doctrees", "html", status=log, warning=io.StringIO()
    )
    assert app.env.config_status == CONFIG_OK, (app.env.config_status_extra, log.getvalue())


def test_file_times_alone_execute_nothing(tmp_path):
    # One chapter that depends on every module, at two depths (derived imports base).
    book = toybook.make(tmp_path, mode="force", chapters=["uses_derived"])
    assert build(book) == {"uses_derived"}
    # A checkout, a `touch`, a file from a machine whose clock runs ahead: times move,
    # content does not.
    ahead = time.time() + 3600
    for path in [*(book / "src").glob("*.md"), *(book / "lib" / "toypkg").glob("*.py")]:
        os.utime(path, (ahead, ahead))
    assert build(book) == set()
    assert build(book) == set()


def test_a_file_the_chapter_includes_is_compared_by_content_too(tmp_path):
    book = toybook.make(tmp_path, mode="force", chapters=["uses_nothing"])
    snippet = book / "src" / "snippet.txt"
    snippet.write_text("first version\n")
    chapter = book / "src" / "uses_nothing.md"
    chapter.write_text(
        chapter.read_text() + "\n```{literalinclude} snippet.txt\n:language: text\n```\n"
    )
    assert build(book) == {"uses_nothing"}
    ahead = time.time() + 3600
    os.utime(snippet, (ahead, ahead))
    assert build(book) == set()  # its time moved, its content did not
    snippet.write_text("second version\n")
    assert build(book) == {"uses_nothing"}
    assert "second version" in (book / "html" / "uses_nothing.html").read_text()
    assert build(book) == set()


def test_an_edit_made_while_its_chapter_executes_is_seen_once(tmp_path):
    # The chapter edits the module it has just imported, as an author saving a file in
    # the middle of a long build would. Sphinx notes the time of reading only after the
    # chapter has run, so by file times this edit would look older than the read.
    book = toybook.make(tmp_path, mode="force", chapters=["uses_base", "uses_derived"])
    base = book / "lib" / "toypkg" / "base.py"
    code = (
        "from toypkg import base\n"
        "from pathlib import Path\n"
        f"path = Path({str(base)!r})\n"
        "if 'EDITED' not in path.read_text():\n"
        "    path.write_text('VALUE = 7  # EDITED\\n')\n"
        "print(base.VALUE)"
    )
    chapter = book / "src" / "uses_base.md"
    chapter.write_text(CHAPTER.format(title="uses_base", code=code))
    # uses_base ran with VALUE = 1 and left VALUE = 7 behind; uses_derived, read after it,
    # already ran with 7.
    assert build(book) == {"uses_base", "uses_derived"}
    assert build(book) == {"uses_base"}  # now it sees VALUE = 7 ...
    assert build(book) == set()  # ... once


def test_imported_names_reads_imports_and_skips_magics():
    code = "%matplotlib inline\nimport numpy as np\nfrom fashion_lessons import plots, data\n"
    assert imported_names(code) == {
        "numpy",
        "fashion_lessons",
        "fashion_lessons.plots",
        "fashion_lessons.data",
    }


def test_module_dependencies_follow_the_package_imports():
    files = module_dependencies({"fashion_lessons.models"}, ("fashion_lessons",))
    names = {f.relative_to(Path(f).parents[1]).as_posix() for f in files}
    assert names == {"fashion_lessons/__init__.py", "fashion_lessons/models.py"}
    # plots loads its topic modules lazily: importing it brings only its style.
    files = module_dependencies({"fashion_lessons.plots"}, ("fashion_lessons",))
    assert {f.name for f in files} == {"__init__.py", "_style.py", "_display.py", "_outputs.py"}


def test_a_lazily_loaded_plot_brings_its_module_and_only_that():
    code = "from fashion_lessons import plots\nplots.use_book_style()\n"
    code += "plots.plot_computation_graph(v)\n"
    assert "fashion_lessons.plots.plot_computation_graph" in imported_names(code)
    files = {f.as_posix() for f in module_dependencies(imported_names(code), ("fashion_lessons",))}
    assert any(f.endswith("plots/backprop.py") for f in files)
    assert any(f.endswith("fashion_lessons/graph.py") for f in files)  # backprop.py imports it
    assert not any(f.endswith(("plots/conv.py", "fashion_lessons/conv.py")) for f in files)
    # The same through `from ... import` and an alias.
    code = "from fashion_lessons.plots import plot_filters\n"
    code += "import fashion_lessons.plots as p\np.plot_history\n"
    files = {f.as_posix() for f in module_dependencies(imported_names(code), ("fashion_lessons",))}
    assert any(f.endswith("plots/conv.py") for f in files)
    assert any(f.endswith("plots/curves.py") for f in files)
    assert not any(f.endswith("plots/backprop.py") for f in files)


def test_module_file_follows_folders_without_importing():
    # In a fresh interpreter: resolving names must not import the modules (and Keras with them).
    code = """
import sys
from fashion_lessons.sphinxext.dependencies import module_file
root = module_file("fashion_lessons").parents[1]
found = {name: module_file(name) for name in [
    "fashion_lessons.conv", "fashion_lessons.conv.correlate2d", "fashion_lessons.plots",
    "fashion_lessons.plots.conv", "fashion_lessons.no_such_module", "no_such_package"]}
print({name: path and path.relative_to(root).as_posix()
       for name, path in found.items()})
print(sorted(m for m in sys.modules if m.startswith(("keras", "tensorflow", "fashion_lessons.conv",
                                                     "fashion_lessons.plots"))))
"""
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert eval(out[0]) == {
        "fashion_lessons.conv": "fashion_lessons/conv.py",
        "fashion_lessons.conv.correlate2d": None,  # a function, not a module
        "fashion_lessons.plots": "fashion_lessons/plots/__init__.py",
        "fashion_lessons.plots.conv": "fashion_lessons/plots/conv.py",
        "fashion_lessons.no_such_module": None,
        "no_such_package": None,
    }
    assert out[1] == "[]"

"""Dependency-aware execution: which chapters an incremental build re-executes."""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fashion_lessons.sphinxext.dependencies import imported_names, module_dependencies

CONF = """\
extensions = ["myst_nb", "fashion_lessons.sphinxext"]
nb_execution_mode = "force"
fashion_lessons_tracked_packages = ["toypkg"]
exclude_patterns = ["_build"]
"""

CHAPTER = """\
---
file_format: mystnb
kernelspec:
  name: python3
  display_name: Python 3
---
# {title}

```{{code-cell}} ipython3
{code}
```
"""


@pytest.fixture
def book(tmp_path):
    """A package ``toypkg`` (``base`` <- ``derived``) and three chapters using it."""
    pkg = tmp_path / "lib" / "toypkg"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "base.py").write_text("VALUE = 1\n")
    (pkg / "derived.py").write_text("from toypkg.base import VALUE\n\nDOUBLE = 2 * VALUE\n")
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(CONF)
    chapters = {
        "uses_base": "from toypkg import base\nprint(base.VALUE)",
        "uses_derived": "from toypkg.derived import DOUBLE\nprint(DOUBLE)",
        "uses_nothing": "print('no package here')",
    }
    for name, code in chapters.items():
        (src / f"{name}.md").write_text(CHAPTER.format(title=name, code=code))
    toc = "\n".join(chapters)
    (src / "index.md").write_text(f"# Toy\n\n```{{toctree}}\n{toc}\n```\n")
    return tmp_path


def build(root: Path) -> set[str]:
    """Build incrementally; return the chapters that were executed."""
    env = dict(os.environ, PYTHONPATH=str(root / "lib"))
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-N", "-W", str(root / "src"), str(root / "html")],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return set(re.findall(r"(\w+)\.md: Executed notebook", result.stdout + result.stderr))


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


def test_file_times_alone_execute_nothing(book):
    assert len(build(book)) == 3
    # A checkout, a `touch`, a file from a machine whose clock runs ahead: times move,
    # content does not.
    ahead = time.time() + 3600
    for path in [*(book / "src").glob("*.md"), *(book / "lib" / "toypkg").glob("*.py")]:
        os.utime(path, (ahead, ahead))
    assert build(book) == set()
    assert build(book) == set()


def test_a_file_the_chapter_includes_is_compared_by_content_too(book):
    snippet = book / "src" / "snippet.txt"
    snippet.write_text("first version\n")
    chapter = book / "src" / "uses_nothing.md"
    chapter.write_text(
        chapter.read_text() + "\n```{literalinclude} snippet.txt\n:language: text\n```\n"
    )
    assert len(build(book)) == 3
    ahead = time.time() + 3600
    os.utime(snippet, (ahead, ahead))
    assert build(book) == set()  # its time moved, its content did not
    snippet.write_text("second version\n")
    assert build(book) == {"uses_nothing"}
    assert "second version" in (book / "html" / "uses_nothing.html").read_text()
    assert build(book) == set()


def test_an_edit_made_while_its_chapter_executes_is_seen_once(book):
    # The chapter edits the module it has just imported, as an author saving a file in
    # the middle of a long build would. Sphinx notes the time of reading only after the
    # chapter has run, so by file times this edit would look older than the read.
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
    assert len(build(book)) == 3
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
    files = module_dependencies({"fashion_lessons.plots"}, ("fashion_lessons",))
    names = {f.name for f in files}
    # plots imports its topic modules and, through images.py, the data module.
    assert {"_style.py", "images.py", "data.py", "__init__.py"} <= names
    # ... but not modules nothing in it imports.
    assert not {"benchmarks.py", "claims.py"} & {f.name for f in files}


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

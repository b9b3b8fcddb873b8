"""Building benchmarks: chapters as scripts, myst-nb's timings, six builds (Sphinx faked)."""

import os
import pickle
from types import SimpleNamespace

import pytest
import toybook

from fashion_lessons import buildbench

CHAPTER = """\
---
kernelspec:
  name: python3
  display_name: Python 3
---

# A chapter

```{code-cell} ipython3
%matplotlib inline
import math
x = math.sqrt(2)
```

Some prose with `inline code` that is not run.

```{code-cell} ipython3
!echo shell escapes do not run in a script
print(x)
```
"""


def test_chapter_script_keeps_code_cells_and_drops_magics(tmp_path):
    chapter = tmp_path / "chapter.md"
    chapter.write_text(CHAPTER)
    script = buildbench.chapter_script(chapter)
    assert script == "import math\nx = math.sqrt(2)\nprint(x)\n"
    compile(script, "chapter.py", "exec")


def test_notebook_seconds_reads_myst_nb_records(tmp_path):
    env = SimpleNamespace(
        nb_metadata={
            "walkthrough": {"exec_data": {"runtime": 51.8, "succeeded": True}},
            "glossary": {},  # a page with nothing executed
        }
    )
    (tmp_path / ".doctrees").mkdir()
    with open(tmp_path / ".doctrees" / "environment.pickle", "wb") as f:
        pickle.dump(env, f)
    assert buildbench._notebook_seconds(tmp_path) == {"walkthrough": 51.8}


@pytest.fixture
def fake_builds(monkeypatch, tmp_path):
    """bench_build on a two-chapter docs folder, with Sphinx itself faked."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Index\n")  # no kernelspec: not a chapter
    (docs / "fashion-mnist-walkthrough.md").write_text(CHAPTER)
    monkeypatch.setattr(buildbench, "DOCS", docs)
    builds = []

    def fake_sphinx(src, out, env=None, memory=False):
        builds.append((src, out, env))
        return {"seconds": 5.0, "executed": [], "peak_mb": 100.0}

    monkeypatch.setattr(buildbench, "_sphinx", fake_sphinx)
    monkeypatch.setattr(buildbench, "_notebook_seconds", lambda out: {})
    return SimpleNamespace(docs=docs, builds=builds)


def test_bench_build_runs_each_chapter_as_a_script(fake_builds):
    result = buildbench.bench_build()
    # Six builds, all with the benchmark's own cache and copy of the package; the last
    # into a new output directory, as a fresh clone would.
    assert len(fake_builds.builds) == 6
    caches = {env["FASHION_LESSONS_CACHE"] for _, _, env in fake_builds.builds}
    assert len(caches) == 1 and "fashion-lessons" not in caches.pop()
    outdirs = [out for _, out, _ in fake_builds.builds]
    assert len(set(outdirs[:5])) == 1 and outdirs[5] != outdirs[0]
    assert set(result["executed"]) == {"clean", *buildbench.REBUILDS}
    assert result["chapters"] == 1
    assert set(result["per_chapter"]) == {"fashion-mnist-walkthrough"}
    assert result["scripts_s"] > 0
    assert result["build_overhead_ratio"] == pytest.approx(5.0 / result["scripts_s"])


def test_a_chapter_failing_as_a_script_is_named_with_its_error(fake_builds):
    (fake_builds.docs / "broken.md").write_text(CHAPTER.replace("print(x)", "print(1 / 0)"))
    with pytest.raises(RuntimeError, match=r"docs/broken\.md failed(?s:.*)ZeroDivisionError"):
        buildbench.bench_build()


def test_the_code_edit_goes_into_the_code_not_the_options():
    text = CHAPTER.replace("%matplotlib inline\n", ":tags: [remove-cell]\n")
    edited = buildbench.edit_first_code_cell(text, "# edited")
    assert ":tags: [remove-cell]\n# edited\nimport math\n" in edited
    from fashion_lessons.sphinxext.dependencies import notebook_code

    assert notebook_code(edited).startswith("# edited\nimport math\n")


def test_a_build_watches_the_package_beside_its_configuration(tmp_path, monkeypatch):
    """The module-edit rebuild: an edit to the package copy beside conf.py re-executes its
    chapters, even when the benchmark runs from a folder holding another copy."""
    book = toybook.make(tmp_path / "book", mode="cache")
    (book / "src" / "conf.py").rename(book / "conf.py")
    (book / "lib" / "toypkg").rename(book / "toypkg")  # beside conf.py, as bench_build puts it
    decoy = tmp_path / "elsewhere" / "toypkg"
    decoy.mkdir(parents=True)
    (decoy / "__init__.py").write_text("")
    (decoy / "base.py").write_text("VALUE = 1\n")
    monkeypatch.chdir(decoy.parent)
    env = {**os.environ, "PYTHONPATH": str(book)}
    assert len(buildbench._sphinx(book / "src", book / "html", env)["executed"]) == 3
    (book / "toypkg" / "base.py").write_text("VALUE = 5\n")
    rebuilt = buildbench._sphinx(book / "src", book / "html", env)
    assert rebuilt["executed"] == ["uses_base", "uses_derived"]

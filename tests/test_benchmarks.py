"""The benchmark's plumbing: what it runs, what it reads, what it reports.

The measurements themselves take most of an hour (``make bench``); these tests
check, in a second, that a finished run cannot crash while reporting them.
"""

import json
import os
import pickle
import re
from types import SimpleNamespace

import pytest
import toybook

from fashion_lessons import benchmarks

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
    script = benchmarks.chapter_script(chapter)
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
    assert benchmarks._notebook_seconds(tmp_path) == {"walkthrough": 51.8}


@pytest.fixture
def measured(monkeypatch):
    training = {
        config: {
            "seconds": seconds,
            "all_seconds": [seconds],
            "test_accuracy": 0.87,
            "all_test_accuracies": [0.87],
        }
        for config, seconds in [
            ("seed", 80.0),
            ("float32", 72.0),
            ("steps_per_execution", 25.0),
            ("xla", 50.0),
            ("book", 20.0),
            ("book+tf.data", 19.0),
        ]
    }
    build = {
        "chapters": 2,
        "clean_build_s": 110.0,
        "scripts_s": 100.0,
        "build_overhead_ratio": 1.1,
        "noop_rebuild_s": 4.0,
        "prose_edit_rebuild_s": 9.0,
        "code_edit_rebuild_s": 60.0,
        "module_edit_rebuild_s": 20.0,
        "fresh_clone_with_cache_s": 30.0,
        "executed": {
            "clean": ["neurons-and-layers", "optimizers"],
            "noop": [],
            "prose_edit": [],
            "code_edit": ["fashion-mnist-walkthrough"],
            "module_edit": ["gradient-descent-and-backpropagation"],
            "fresh_clone_with_cache": [],
        },
        "peak_rss_mb": 2600.0,
        "per_chapter": {
            "neurons-and-layers": {"script_s": 12.0, "in_build_s": 13.0},
            "optimizers": {"script_s": 88.0, "in_build_s": None},
        },
    }
    monkeypatch.setattr(benchmarks, "bench_training", lambda configs, repeats: training)
    monkeypatch.setattr(benchmarks, "bench_build", lambda: build)


def test_report_has_every_figure_the_issue_asks_for(measured, tmp_path, capsys):
    output = tmp_path / "out" / "benchmarks.json"
    assert benchmarks.main(["--output", str(output)]) == 0
    report = json.loads(output.read_text())
    for key in [
        "training_time_ratio",
        "build_overhead_ratio",
        "noop_rebuild_s",
        "prose_edit_rebuild_s",
        "code_edit_rebuild_s",
        "module_edit_rebuild_s",
        "fresh_clone_with_cache_s",
        "peak_rss_mb",
        "seed_training_s",
        "book_training_s",
        "clean_build_s",
        "scripts_s",
    ]:
        assert key in report, key
    assert report["training_time_ratio"] == pytest.approx(20.0 / 80.0)
    table = capsys.readouterr().out
    assert "0.25x" in table  # the book's configuration against the seed's
    assert "neurons-and-layers" in table and "optimizers" in table
    assert re.search(r"module edit\s+20\.00\s+gradient-descent-and-backpropagation", table)
    assert re.search(r"prose edit\s+9\.00\s+none", table)


def test_skip_build_reports_training_only(measured, tmp_path, capsys):
    output = tmp_path / "benchmarks.json"
    assert benchmarks.main(["--skip-build", "--output", str(output)]) == 0
    report = json.loads(output.read_text())
    assert "build_overhead_ratio" not in report
    assert "clean book build" not in capsys.readouterr().out


def test_training_rounds_take_turns_and_keep_the_fastest(monkeypatch):
    calls = []
    times = iter([30.0, 10.0, 20.0, 12.0, 25.0, 11.0])  # seed, book, seed, book, ...
    accuracies = iter([0.87, 0.88, 0.86, 0.87, 0.88, 0.89])

    def fake_run(cmd, **kwargs):
        calls.append((cmd[cmd.index("--train-one") + 1], cmd[cmd.index("--seed") + 1]))
        out = json.dumps({"seconds": next(times), "test_accuracy": next(accuracies)})
        return SimpleNamespace(stdout=f"some log line\n{out}\n")

    monkeypatch.setattr(benchmarks.subprocess, "run", fake_run)
    result = benchmarks.bench_training(["seed", "book"], repeats=3)
    # Turns, and one seed per round for every configuration.
    assert calls == [(c, str(r)) for r in range(3) for c in ["seed", "book"]]
    assert result["seed"]["seconds"] == 20.0
    assert result["seed"]["all_seconds"] == [30.0, 20.0, 25.0]
    assert result["book"]["seconds"] == 10.0
    assert result["book"]["all_test_accuracies"] == [0.88, 0.87, 0.89]
    assert result["book"]["test_accuracy"] == pytest.approx(0.88)


def test_repeats_must_be_positive(measured, tmp_path):
    with pytest.raises(SystemExit):
        benchmarks.main(["--repeats", "0", "--output", str(tmp_path / "b.json")])


@pytest.fixture
def fake_builds(monkeypatch, tmp_path):
    """bench_build on a two-chapter docs folder, with Sphinx itself faked."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Index\n")  # no kernelspec: not a chapter
    (docs / "fashion-mnist-walkthrough.md").write_text(CHAPTER)
    monkeypatch.setattr(benchmarks, "DOCS", docs)
    builds = []

    def fake_sphinx(src, out, env=None, memory=False):
        builds.append((src, out, env))
        return {"seconds": 5.0, "executed": [], "peak_mb": 100.0}

    monkeypatch.setattr(benchmarks, "_sphinx", fake_sphinx)
    monkeypatch.setattr(benchmarks, "_notebook_seconds", lambda out: {})
    return SimpleNamespace(docs=docs, builds=builds)


def test_bench_build_runs_each_chapter_as_a_script(fake_builds):
    result = benchmarks.bench_build()
    # Six builds, all with the benchmark's own cache and copy of the package; the last
    # into a new output directory, as a fresh clone would.
    assert len(fake_builds.builds) == 6
    caches = {env["FASHION_LESSONS_CACHE"] for _, _, env in fake_builds.builds}
    assert len(caches) == 1 and "fashion-lessons" not in caches.pop()
    outdirs = [out for _, out, _ in fake_builds.builds]
    assert len(set(outdirs[:5])) == 1 and outdirs[5] != outdirs[0]
    assert set(result["executed"]) == {"clean", *benchmarks.REBUILDS}
    assert result["chapters"] == 1
    assert set(result["per_chapter"]) == {"fashion-mnist-walkthrough"}
    assert result["scripts_s"] > 0
    assert result["build_overhead_ratio"] == pytest.approx(5.0 / result["scripts_s"])


def test_a_chapter_failing_as_a_script_is_named_with_its_error(fake_builds):
    (fake_builds.docs / "broken.md").write_text(CHAPTER.replace("print(x)", "print(1 / 0)"))
    with pytest.raises(RuntimeError, match=r"docs/broken\.md failed(?s:.*)ZeroDivisionError"):
        benchmarks.bench_build()


def test_the_code_edit_goes_into_the_code_not_the_options():
    text = CHAPTER.replace("%matplotlib inline\n", ":tags: [remove-cell]\n")
    edited = benchmarks.edit_first_code_cell(text, "# edited")
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
    assert len(benchmarks._sphinx(book / "src", book / "html", env)["executed"]) == 3
    (book / "toypkg" / "base.py").write_text("VALUE = 5\n")
    rebuilt = benchmarks._sphinx(book / "src", book / "html", env)
    assert rebuilt["executed"] == ["uses_base", "uses_derived"]

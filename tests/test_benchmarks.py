"""The benchmark's plumbing: what it runs, what it reads, what it reports.

The measurements themselves take most of an hour (``make bench``); these tests
check, in a second, that a finished run cannot crash while reporting them.
"""

import json
import re
from types import SimpleNamespace

import pytest

from fashion_lessons import benchmarks


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

"""Comparing the glued values of two builds."""

import json

import pytest

from fashion_lessons import gluediff


def write(directory, chapter, values):
    directory.mkdir(exist_ok=True)
    outputs = {
        k: {"output_type": "display_data", "data": {"text/plain": v}} for k, v in values.items()
    }
    (directory / f"{chapter}.glue.json").write_text(json.dumps(outputs))


def test_reports_what_moved_and_only_that(tmp_path, capsys):
    before, after = tmp_path / "before", tmp_path / "after"
    write(before, "walkthrough", {"test_acc": "0.8721", "n_params": "101770", "name": "'adam'"})
    write(after, "walkthrough", {"test_acc": "0.8765", "n_params": "101770", "name": "'sgd'"})
    write(before, "cnn", {"gone": "1"})
    write(after, "cnn", {"new": "2"})
    assert gluediff.main([str(before), str(after)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("4 of 5 glued values differ")
    assert "n_params" not in out  # unchanged
    assert "+0.0044 (+0.5%)" in out
    assert "'adam'" in out and "changed" in out
    assert "added" in out and "removed" in out


def test_an_empty_directory_is_a_clear_error(tmp_path, capsys):
    write(tmp_path / "after", "x", {"a": "1"})
    with pytest.raises(SystemExit):
        gluediff.main([str(tmp_path), str(tmp_path / "after")])
    assert "holds no *.glue.json: build the book there first" in capsys.readouterr().err

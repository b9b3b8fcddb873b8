"""Book helpers: claims checked against the range the prose relies on; code shown on a page."""

import pytest

from fashion_lessons import claims
from fashion_lessons.claims import ClaimError, claim, function_source, show_source
from fashion_lessons.mlp import MLP
from fashion_lessons.optimizers import SGD


@pytest.fixture
def glued(monkeypatch):
    calls = []
    import myst_nb

    monkeypatch.setattr(myst_nb, "glue", lambda name, value, display: calls.append((name, value)))
    return calls


def test_in_range_value_is_glued_and_returned(glued, monkeypatch):
    monkeypatch.setenv(claims.CHECK_ENV, "1")
    assert claim("acc", 0.87, 0.85, 0.90) == 0.87
    assert claim("loss", 2.3, low=2.0) == 2.3
    assert glued == [("acc", 0.87), ("loss", 2.3)]


def test_out_of_range_fails_the_build_naming_claim_value_and_range(glued, monkeypatch):
    monkeypatch.setenv(claims.CHECK_ENV, "1")
    with pytest.raises(ClaimError) as err:
        claim("test_acc", 0.8312, 0.86, 0.90, wording="about 88 %")
    message = str(err.value)
    assert "'test_acc' = 0.8312" in message and "[0.86, 0.9]" in message
    assert "about 88 %" in message


def test_out_of_range_outside_the_build_only_notes_it(glued, monkeypatch, capsys):
    monkeypatch.delenv(claims.CHECK_ENV, raising=False)
    assert claim("gap", -0.01, low=0) == -0.01
    assert "Note: claim 'gap' = -0.01 is outside [0, inf]" in capsys.readouterr().out


def test_numpy_scalars_are_glued_as_python_numbers(glued, monkeypatch):
    import numpy as np

    monkeypatch.setenv(claims.CHECK_ENV, "1")
    claim("n", np.int64(3), 0, 5)
    assert glued == [("n", 3)] and type(glued[0][1]) is int


def test_function_source_drops_the_docstring():
    source = function_source(SGD.update)
    assert source.startswith("def update(self")
    assert "p -= g * lr" in source
    assert '"""' not in function_source(MLP.backward)
    assert "def backward" in function_source(MLP.backward)

    def plain(a):
        return a + 1

    assert function_source(plain) == "def plain(a):\n    return a + 1"


def test_show_source_is_a_markdown_code_block():
    shown = show_source(SGD.update)
    assert shown.data == f"```python\n{function_source(SGD.update)}\n```"
    assert shown._repr_markdown_().startswith("```python\ndef update")


def test_every_claim_can_be_logged_with_its_range(glued, monkeypatch, tmp_path):
    import json

    log = tmp_path / "claims.jsonl"
    monkeypatch.setenv(claims.LOG_ENV, str(log))
    monkeypatch.delenv(claims.CHECK_ENV, raising=False)
    claim("acc", 0.87, 0.85, 0.90, wording="above 85 %")
    claim("gap", -0.01, low=0)  # out of range: logged too
    rows = [json.loads(line) for line in log.read_text().splitlines()]
    assert rows == [
        {"name": "acc", "value": 0.87, "low": 0.85, "high": 0.9, "wording": "above 85 %"},
        {"name": "gap", "value": -0.01, "low": 0, "high": None, "wording": ""},
    ]

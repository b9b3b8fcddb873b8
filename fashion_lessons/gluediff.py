"""Which glued numbers moved between two builds of the book.

myst-nb keeps each chapter's glued values in ``<chapter>.glue.json`` beside the executed
notebooks (``_build/jupyter_execute``). After an upgrade of the locked environment or a
refactor that should change nothing, compare the old build's values with the new::

    python -m fashion_lessons.gluediff _build/glue-before _build/jupyter_execute

``make lock`` keeps a copy of the current values in ``_build/glue-before`` for this;
``make glue-diff`` runs the comparison. Values are compared as the text the chapter's
kernel gave them (``text/plain``), numbers as numbers.
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
from pathlib import Path


def chapter_glued(path: Path) -> dict[str, str]:
    """key -> the glued value's text, from one chapter's ``<chapter>.glue.json``."""
    outputs = json.loads(path.read_text(encoding="utf-8"))
    return {key: output.get("data", {}).get("text/plain", "") for key, output in outputs.items()}


def glued(directory: Path) -> dict[tuple[str, str], str]:
    """(chapter, key) -> the glued value's text, for every ``*.glue.json`` in ``directory``."""
    values = {}
    for path in sorted(directory.glob("*.glue.json")):
        chapter = path.name.removesuffix(".glue.json")
        values.update({(chapter, key): text for key, text in chapter_glued(path).items()})
    return values


def _number(text: str) -> float | None:
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return None
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    return float(value) if is_number else None


def compare(before: dict, after: dict) -> list[tuple[str, str, str, str, str]]:
    """Rows ``(chapter, key, before, after, change)`` for every value that is not the same."""
    rows = []
    for chapter, key in sorted(before.keys() | after.keys()):
        old, new = before.get((chapter, key)), after.get((chapter, key))
        if old == new:
            continue
        if old is None or new is None:
            change = "added" if old is None else "removed"
        else:
            a, b = _number(old), _number(new)
            if a is not None and b is not None:
                change = f"{b - a:+.4g}" + (f" ({(b - a) / abs(a):+.1%})" if a else "")
            else:
                change = "changed"
        rows.append((chapter, key, old or "", new or "", change))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m fashion_lessons.gluediff", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("before", type=Path, help="directory of the earlier build's *.glue.json")
    parser.add_argument("after", type=Path, help="directory of the later build's *.glue.json")
    args = parser.parse_args(argv)
    for directory in (args.before, args.after):
        if not any(directory.glob("*.glue.json")):
            parser.error(f"{directory} holds no *.glue.json: build the book there first")
    before, after = glued(args.before), glued(args.after)
    rows = compare(before, after)
    print(f"{len(rows)} of {len(before.keys() | after.keys())} glued values differ")
    for chapter, key, old, new, change in rows:
        print(f"{chapter:36} {key:28} {old[:24]:>24} -> {new[:24]:<24} {change}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

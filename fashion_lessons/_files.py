"""The files the build hands to the pages' widgets: one JSON object assigned to a global
variable in a script (``<comment line>\\nwindow.name = {...};``), which a ``<script>`` tag
loads even from ``file://``; written so that a page served meanwhile never sees half a file.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path


def replace_file(target: str | os.PathLike, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``target`` (its folder made if needed) by writing a temporary file
    beside it and renaming it: a page served meanwhile never sees half a file.

    Returns the target's path, readable by everyone (``0o644``).
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w", encoding=encoding, dir=target.parent, suffix=".tmp", delete=False
    ) as handle:
        handle.write(text)
    os.replace(handle.name, target)
    target.chmod(0o644)
    return target


def script_text(header: str, prefix: str, data: dict) -> str:
    """The script: ``header`` (a comment line), then ``prefix`` (``window.name = ``) and
    ``data`` as compact JSON."""
    return header + prefix + json.dumps(data, separators=(",", ":")) + ";\n"


def read_script(
    path: str | os.PathLike, prefix: str, form: tuple[str, int], what: str, encoding="utf-8"
) -> dict:
    """The JSON object of a file written with :func:`script_text`.

    ``form`` is the ``(format, version)`` pair the object must carry; ``what`` names the
    writer in the error a file of another kind raises.
    """
    text = Path(path).read_text(encoding=encoding)
    body = text.split("\n", 1)[1] if text.startswith("//") else text
    if not (body.startswith(prefix) and body.rstrip().endswith(";")):
        raise ValueError(f"{path} is not a {what} file")
    data = json.loads(body[len(prefix) :].rstrip()[:-1])
    if (data.get("format"), data.get("version")) != form:
        raise ValueError(f"{path}: unknown format {data.get('format')!r} {data.get('version')!r}")
    return data

"""Writing a file that a server may be serving while it is written."""

from __future__ import annotations

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

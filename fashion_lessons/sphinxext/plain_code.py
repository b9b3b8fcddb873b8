"""The code cells of a plain notebook: which of the book's plumbing cells stay, and how.

A ``remove-cell`` cell goes unless a later kept cell reads a name it defines; one that stays
becomes plain code, collapsed, with stand-ins for myst-nb's ``glue`` and the claims check
where it imported them, so the notebook runs with only the package installed.
"""

from __future__ import annotations

import ast
import re

PLUMBING_TAG = "remove-cell"
#: Replaces the plumbing's imports of myst-nb's ``glue`` and of ``claim``.
STAND_IN = '''\
def glue(name, value, display=True):
    """The book pastes `value` into its text as `name`; here the text shows it already."""
    return value


def claim(name, value, low=None, high=None, wording=""):
    """The book also checks that `value` is in the range its text relies on."""
    return glue(name, value)
'''
BOOK_IMPORTS = re.compile(
    r"^(from myst_nb import glue|from fashion_lessons\.claims import claim)\s*(#.*)?\n?",
    re.MULTILINE,
)


def _names(source: str) -> tuple[set[str], set[str]] | None:
    """(names bound, names read) by a code cell, or None if it is not plain Python."""
    code = "\n".join(ln for ln in source.splitlines() if not ln.lstrip().startswith(("%", "!")))
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return None
    bound, read = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (read if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            bound.add(node.name)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            bound.update((a.asname or a.name).split(".")[0] for a in node.names)
    return bound, read


def plumbing_to_keep(cells: list) -> set[int]:
    """Indices of the plumbing cells a later kept cell needs a name from.

    Walks the cells backwards, collecting the names the cells kept so far read; a
    plumbing cell that binds one of them is kept (and what it reads is needed in turn).
    Ers on the side of keeping: a name rebound in between still counts.
    """
    needed: set[str] = set()
    keep = set()
    for index in range(len(cells) - 1, -1, -1):
        cell = cells[index]
        if cell.cell_type != "code":
            continue
        names = _names(cell.source)
        plumbing = PLUMBING_TAG in cell.metadata.get("tags", [])
        if plumbing and names is not None and not (names[0] & needed):
            continue
        if plumbing:
            keep.add(index)
        needed |= names[1] if names else set()
    return keep


def plain_plumbing(cell, stand_in: bool):
    """A plumbing cell a later cell needs, as plain code (``stand_in``: defining ``glue`` and
    ``claim`` where it imported them), its input collapsed in JupyterLab."""
    imports = list(BOOK_IMPORTS.finditer(cell.source))
    if stand_in:
        at = imports[0].start() if imports else 0
        cell.source = cell.source[:at] + STAND_IN + "\n\n" + cell.source[at:]
    cell.source = BOOK_IMPORTS.sub("", cell.source).strip("\n")
    cell.metadata["tags"] = [t for t in cell.metadata.get("tags", []) if t != PLUMBING_TAG]
    if not cell.metadata["tags"]:
        del cell.metadata["tags"]
    cell.metadata["jupyter"] = {"source_hidden": True}
    return cell

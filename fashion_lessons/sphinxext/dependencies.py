"""Re-execute a chapter when the package code it imports changes.

Sphinx re-reads (and myst-nb re-executes) a document when its own text changes.
A chapter's output also depends on the modules it imports, so this extension
finds, for each chapter, the modules of the tracked packages (``fashion_lessons``
by default) that its code cells import, directly or through other modules of
those packages, and records their files as the chapter's dependencies with
:meth:`sphinx.environment.BuildEnvironment.note_dependency`. Sphinx then treats
the chapter as outdated whenever one of those files is newer than its last read:
editing ``fashion_lessons/losses.py`` re-runs exactly the chapters that use it.

Configuration: ``fashion_lessons_tracked_packages`` (list of top-level package
names, default ``["fashion_lessons"]``).
"""

from __future__ import annotations

import ast
import importlib.util
from functools import cache
from pathlib import Path

import nbformat
from myst_nb.core.read import read_myst_markdown_notebook
from sphinx.util import logging

logger = logging.getLogger(__name__)


def imported_names(code: str) -> set[str]:
    """Dotted names a piece of Python imports, with ``from a import b`` giving ``a`` and ``a.b``.

    IPython magics and shell escapes (lines starting with ``%`` or ``!``) are skipped.
    """
    lines = [ln for ln in code.splitlines() if not ln.lstrip().startswith(("%", "!"))]
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError:
        return set()
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


@cache
def module_file(name: str) -> Path | None:
    """The source file of module ``name``, or None if it is not a module.

    Only the top-level package is looked up through the import system; the rest
    of the name is followed as folders and files. ``importlib.util.find_spec``
    on a dotted name would import every parent package, and with it whatever
    they import (``fashion_lessons.conv`` loads Keras: seconds on every build
    that reads a chapter).
    """
    top, *rest = name.split(".")
    try:
        spec = importlib.util.find_spec(top)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin or not spec.origin.endswith(".py"):
        return None
    path = Path(spec.origin)
    for part in rest:
        if path.name != "__init__.py":  # an attribute of a module, not a submodule
            return None
        if (path.parent / part / "__init__.py").is_file():
            path = path.parent / part / "__init__.py"
        elif (path.parent / f"{part}.py").is_file():
            path = path.parent / f"{part}.py"
        else:
            return None
    return path


def _relative_imports(path: Path, module: str) -> set[str]:
    """Absolute names of a module's relative imports (``from . import x``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
            full = f"{base}.{node.module}" if node.module else base
            names.add(full)
            names.update(f"{full}.{alias.name}" for alias in node.names)
    return names


def module_dependencies(names: set[str], packages: tuple[str, ...]) -> set[Path]:
    """Files of the tracked modules in ``names`` and of everything they import in turn.

    Importing ``a.b.c`` runs ``a/__init__.py`` and ``a/b/__init__.py`` too, so
    those count as well.
    """
    todo = [n for n in names if n.split(".")[0] in packages]
    seen: set[str] = set()
    files: set[Path] = set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        parts = name.split(".")
        todo.extend(".".join(parts[:i]) for i in range(1, len(parts)))  # parent packages
        path = module_file(name)
        if path is None:
            continue
        files.add(path)
        source = path.read_text(encoding="utf-8")
        inner = imported_names(source) | _relative_imports(path, name)
        todo.extend(n for n in inner if n.split(".")[0] in packages)
    return files


def notebook_code(path: Path) -> str:
    """All code cells of a MyST markdown or ipynb notebook, joined."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".ipynb":
        notebook = nbformat.reads(text, as_version=4)
    else:
        notebook = read_myst_markdown_notebook(text)
    return "\n".join(c.source for c in notebook.cells if c.cell_type == "code")


def note_module_dependencies(app, doctree) -> None:
    """On ``doctree-read``: record the tracked modules a notebook chapter imports."""
    env = app.env
    path = Path(env.doc2path(env.docname))
    if path.suffix not in (".md", ".ipynb"):
        return
    try:
        code = notebook_code(path)
    except Exception:  # not a notebook: a plain markdown page
        return
    packages = tuple(app.config.fashion_lessons_tracked_packages)
    for file in sorted(module_dependencies(imported_names(code), packages)):
        env.note_dependency(str(file))


def setup(app):
    app.add_config_value("fashion_lessons_tracked_packages", ["fashion_lessons"], "env")
    app.connect("doctree-read", note_module_dependencies)

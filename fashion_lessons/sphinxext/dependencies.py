"""Re-execute a chapter exactly when what it executes has changed, by content.

A chapter's output depends on its own text and on the modules of the tracked
packages (``fashion_lessons`` by default) that its code cells import, directly or
through other modules of those packages. When Sphinx reads a chapter, this
extension records a digest of those inputs (:func:`chapter_inputs`) as they are at
that moment, before the chapter executes. On the next build a chapter is re-read
when its digest differs, and only then: editing ``fashion_lessons/losses.py``
re-runs exactly the chapters that use it.

File times play no part. Sphinx's own test (a file newer than the moment the
chapter was read) has two holes that content closes: a module edited while its
chapter executes is older than that moment, which Sphinx stores only after the
chapter has run, so the edit would be missed; and a file whose time moved
without its content changing (a checkout, a ``touch``, a clock ahead of the
machine's) would re-execute its chapter for nothing.

Configuration: ``fashion_lessons_tracked_packages`` (list of top-level package
names, default ``["fashion_lessons"]``).
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
from functools import cache
from pathlib import Path

import nbformat
from myst_nb.core.read import read_myst_markdown_notebook
from sphinx.util import logging

logger = logging.getLogger(__name__)


def _dotted(node: ast.expr) -> str | None:
    """``a.b.c`` for an attribute chain rooted at a name, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return ".".join([node.id, *reversed(parts)])


def imported_names(code: str) -> set[str]:
    """Dotted names a piece of Python imports or reaches through what it imported.

    ``from a import b`` gives ``a`` and ``a.b``; with it, ``b.f`` in the code gives
    ``a.b.f`` too, which names a lazily loaded submodule's function (see
    :func:`module_dependencies`). IPython magics and shell escapes (lines starting
    with ``%`` or ``!``) are skipped.
    """
    lines = [ln for ln in code.splitlines() if not ln.lstrip().startswith(("%", "!"))]
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError:
        return set()
    names = set()
    bound = {}  # local name -> the dotted name it stands for
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                names.add(alias.name)
                local = alias.asname or alias.name.split(".")[0]
                bound[local] = alias.name if alias.asname else local
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            for alias in node.names:
                names.add(f"{node.module}.{alias.name}")
                bound[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and (dotted := _dotted(node)):
            head, _, rest = dotted.partition(".")
            if head in bound:
                names.add(f"{bound[head]}.{rest}")
    return names


@cache
def _lazy_table(source: str) -> dict[str, str]:
    """A package ``__init__``'s ``_LAZY`` table (name -> submodule), if it has one."""
    for node in ast.parse(source).body:
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        if any(isinstance(t, ast.Name) and t.id == "_LAZY" for t in targets):
            return ast.literal_eval(node.value)
    return {}


def lazy_submodule(name: str) -> str | None:
    """``a.b.sub`` for ``a.b.f`` when package ``a.b`` loads ``f`` lazily from ``sub``.

    A package that imports its submodules on first use (a module ``__getattr__``)
    declares which name lives where in a dict literal ``_LAZY`` in its ``__init__``.
    """
    package, _, attribute = name.rpartition(".")
    init = module_file(package) if package else None
    if init is None or init.name != "__init__.py":
        return None
    submodule = _lazy_table(init.read_text(encoding="utf-8")).get(attribute)
    return f"{package}.{submodule}" if submodule else None


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
    those count as well. A name a package loads lazily (:func:`lazy_submodule`)
    counts as the submodule that defines it.
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
            lazy = lazy_submodule(name)
            if lazy:
                todo.append(lazy)
            continue
        files.add(path)
        source = path.read_text(encoding="utf-8")
        inner = imported_names(source) | _relative_imports(path, name)
        todo.extend(n for n in inner if n.split(".")[0] in packages)
    return files


def notebook_code(text: str, suffix: str = ".md") -> str:
    """All code cells of a MyST markdown (``suffix=".md"``) or ipynb notebook's text, joined."""
    if suffix == ".ipynb":
        notebook = nbformat.reads(text, as_version=4)
    else:
        notebook = read_myst_markdown_notebook(text)
    return "\n".join(c.source for c in notebook.cells if c.cell_type == "code")


def _package_relative(path: Path) -> str:
    """``path`` from its tracked package's parent on (``fashion_lessons/losses.py``)."""
    for parent in path.parents:
        if not (parent / "__init__.py").is_file():
            return path.relative_to(parent).as_posix()
    return path.as_posix()


def modules_digest(code: str, packages: tuple[str, ...]) -> hashlib._Hash:
    """A running digest of every tracked module ``code`` imports, directly or through others.

    Modules are named by their path inside their package, so the same sources give
    the same digest in any clone.
    """
    digest = hashlib.sha256()
    for file in sorted(module_dependencies(imported_names(code), packages)):
        digest.update(b"\0" + _package_relative(file).encode("utf-8") + b"\0")
        digest.update(file.read_bytes())
    return digest


#: Environment variables the chapters' kernels inherit that change what they compute or
#: print (conf.py sets most of them; FASHION_LESSONS_CHECK_CLAIMS, for one); the execution
#: cache's key includes their values, except where the cache lives.
KERNEL_VARIABLES = (
    "TF_",
    "KERAS_",
    "OPENBLAS_",
    "OMP_",
    "MKL_",
    "MPLBACKEND",
    "PYTHONHASHSEED",
    "FASHION_LESSONS_",
)


#: Variables with those prefixes that change no result: where the execution cache lives, and
#: where a kernel reports the modules it imported (:mod:`.kernel_imports`).
NOT_INPUTS = frozenset({"FASHION_LESSONS_CACHE", "FASHION_LESSONS_KERNEL_IMPORTS"})

# Which pip a virtual environment has depends on how it was made (each Python bundles its own,
# and `pip install --upgrade pip` moves it), not on what the chapters run: leaving it out lets a
# fresh clone reuse the cache that an older checkout filled with the same locked packages.
INSTALLERS = frozenset({"pip"})


@cache
def environment_digest() -> str:
    """A digest of what every chapter runs on: Python, the installed distributions with their
    versions, the Fashion-MNIST files' checksums and the kernels' environment variables.

    Taken once per build process.
    """
    import os
    import platform
    import sys
    from importlib import metadata

    from fashion_lessons.data import FILES

    parts = [sys.version, platform.machine(), platform.system()]
    distributions = {(d.metadata["Name"] or "", d.version) for d in metadata.distributions()}
    parts += sorted(
        f"{name.lower()}=={version}"
        for name, version in distributions
        if name.lower() not in INSTALLERS
    )
    parts += sorted(f"{role}:{spec.sha256}" for role, spec in FILES.items())
    parts += sorted(
        f"{k}={v}"
        for k, v in os.environ.items()
        if k.startswith(KERNEL_VARIABLES) and k not in NOT_INPUTS
    )
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def execution_key(code: str, packages: tuple[str, ...]) -> str:
    """What a chapter's outputs depend on besides its code cells: the tracked modules its code
    imports and :func:`environment_digest`. The execution cache hashes the code itself."""
    digest = modules_digest(code, packages)
    digest.update(environment_digest().encode("ascii"))
    return digest.hexdigest()


def _inputs_and_key(text: str, suffix: str, packages: tuple[str, ...]) -> tuple[str, str] | None:
    """:func:`chapter_inputs` and the :func:`execution_key` it includes, or None."""
    try:
        code = notebook_code(text, suffix)
    except Exception:  # not a notebook: a plain markdown page
        return None
    key = execution_key(code, packages)
    digest = hashlib.sha256(text.encode("utf-8"))
    digest.update(key.encode("ascii"))
    return digest.hexdigest(), key


def chapter_inputs(text: str, suffix: str, packages: tuple[str, ...]) -> str | None:
    """A digest of what reading a chapter depends on: its whole text (prose too, which a
    re-read renders again) and its :func:`execution_key`. None for a page that is not a
    notebook."""
    both = _inputs_and_key(text, suffix, packages)
    return both and both[0]


def files_digest(paths) -> str:
    """A digest of the content of ``paths`` (a missing file counts as such)."""
    digest = hashlib.sha256()
    for path in sorted(Path(p) for p in paths):
        digest.update(b"\0" + str(path).encode("utf-8") + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"\0missing")
    return digest.hexdigest()


def _recorded(env) -> dict[str, dict[str, str]]:
    """Per chapter, as it was read: ``inputs``, the digest of its text and modules,
    ``execution_key`` (:func:`execution_key`, which the execution cache is keyed by) and
    ``files``, the digest of the other files Sphinx or an extension recorded it depends
    on (an included file, an image). Kept in the pickled environment."""
    if not hasattr(env, "fashion_lessons_inputs"):
        env.fashion_lessons_inputs = {}
    return env.fashion_lessons_inputs


def _current(app, docname: str, text: str | None = None) -> tuple[str, str] | None:
    """(inputs, execution key) of a chapter's ``text``, by default as it is on disk now."""
    path = Path(app.env.doc2path(docname))
    if path.suffix not in (".md", ".ipynb"):
        return None
    if text is None:
        text = path.read_text(encoding=app.env.settings.get("input_encoding", "utf-8-sig"))
    packages = tuple(app.config.fashion_lessons_tracked_packages)
    return _inputs_and_key(text, path.suffix, packages)


def record_inputs(app, docname: str, source: list[str]) -> None:
    """On ``source-read``: the digests of the text about to be parsed and executed."""
    current = _current(app, docname, source[0])
    if current is not None:
        _recorded(app.env)[docname] = {"inputs": current[0], "execution_key": current[1]}


def recorded_execution_key(env, docname: str) -> str | None:
    """The :func:`execution_key` taken when ``docname`` was last read (this build's, on
    ``source-read``), or None for a page that is not a notebook."""
    return _recorded(env).get(docname, {}).get("execution_key")


def record_files(app, doctree) -> None:
    """On ``doctree-read``: the digest of the other files the chapter was found to depend on."""
    env = app.env
    record = _recorded(env).get(env.docname)
    if record is not None:
        record["files"] = files_digest(env.dependencies.get(env.docname, ()))


def outdated_by_content(app, env, added, changed, removed) -> list[str]:
    """On ``env-get-outdated``: chapters whose inputs changed, and none whose did not.

    A chapter Sphinx finds changed only because a file time moved (its doctree is
    there, it is not re-read on every build, and every digest is the one recorded) is
    taken out of ``changed``: Sphinx reads that set back after this event.
    """
    recorded = _recorded(env)
    outdated = []
    for docname in sorted(env.found_docs - set(added) - set(removed)):
        record = recorded.get(docname)
        if record is None:
            continue  # not a notebook; Sphinx's own test decides
        current = _current(app, docname)
        same = current is not None and record["inputs"] == current[0]
        same = same and record.get("files") == (files_digest(env.dependencies.get(docname, ())))
        if not same:
            outdated.append(docname)
        elif (
            docname in changed
            and docname not in env.reread_always
            and (Path(env.doctreedir) / f"{docname}.doctree").is_file()
        ):
            changed.discard(docname)
    return outdated


def _purge(app, env, docname):
    _recorded(env).pop(docname, None)


def _merge(app, env, docnames, other):
    theirs = _recorded(other)
    _recorded(env).update({d: theirs[d] for d in docnames if d in theirs})


def setup(app):
    app.add_config_value("fashion_lessons_tracked_packages", ["fashion_lessons"], "env")
    # Early, so the digest is of the file's text before any handler rewrites it.
    app.connect("source-read", record_inputs, priority=100)
    app.connect("doctree-read", record_files)
    app.connect("env-get-outdated", outdated_by_content)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)

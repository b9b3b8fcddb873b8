"""Check the dependency scan against what each chapter's kernel really imported.

:mod:`.dependencies` decides which modules a chapter depends on by reading code: the
chapter's code cells, then the imports of every tracked module they reach. That scan
is generous (an import inside a function counts even if the function never runs),
but it cannot see a module that is imported at run time under a computed name
(``importlib.import_module("fashion_lessons." + name)``). An edit to such a module
would not re-execute the chapter, and a stale result would be reused.

So every kernel the build starts reports, when it exits, the modules it imported: an
IPython start-up file, in a profile of the build's own (``IPYTHONDIR``), writes the
names in ``sys.modules`` to the folder that ``FASHION_LESSONS_KERNEL_IMPORTS`` names,
which this extension sets for each chapter just before it executes. After the chapter
is parsed, any tracked module the kernel imported that the scan did not find is a
build error naming the chapter and the module. A chapter taken from the execution
cache starts no kernel and is not checked again.

The build's own IPython profile also keeps an author's ``~/.ipython`` settings out of
the book's kernels, and its kernel configuration drops the one warning ipykernel 7
prints at every start ("Kernel is running over TCP without encryption"): the build's
kernels listen on 127.0.0.1 only, and eleven copies of it would bury what an author
needs to read in the build's log.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from sphinx.util import logging

import fashion_lessons.sphinxext.dependencies as dependencies

logger = logging.getLogger(__name__)

#: Where a kernel writes the names of the modules it imported (a folder; one file per process).
VARIABLE = "FASHION_LESSONS_KERNEL_IMPORTS"

#: The IPython start-up file: at exit, the kernel writes ``sys.modules``'s names.
STARTUP = f'''\
"""Written by fashion_lessons.sphinxext.kernel_imports for the book's build."""
import atexit


def _write_imported_modules():
    import json, os, sys
    folder = os.environ.get({VARIABLE!r})
    if folder and os.path.isdir(folder):
        with open(os.path.join(folder, f"{{os.getpid()}}.json"), "w") as file:
            json.dump(sorted(sys.modules), file)


atexit.register(_write_imported_modules)
'''

#: The kernels' configuration: without the start-up warning about unencrypted TCP.
KERNEL_CONFIG = '''\
"""Written by fashion_lessons.sphinxext.kernel_imports for the book's build."""
import logging


class _LoopbackOnly(logging.Filter):
    """The build's kernels listen on 127.0.0.1: nothing to encrypt against."""

    def filter(self, record):
        return "running over TCP without encryption" not in record.getMessage()


logging.getLogger("IPKernelApp").addFilter(_LoopbackOnly())
'''

#: Per chapter being read in this process: the files the scan found.
_scanned: dict[str, set[Path]] = {}


def _root(app) -> Path:
    return Path(app.doctreedir) / "kernel-imports"


def install_startup(app) -> None:
    """On ``builder-inited``: the build's IPython profile, with the start-up file and
    the kernels' configuration."""
    profile = _root(app) / "ipython" / "profile_default"
    (profile / "startup").mkdir(parents=True, exist_ok=True)
    (profile / "startup" / "00-fashion-lessons-imports.py").write_text(STARTUP, encoding="utf-8")
    (profile / "ipython_kernel_config.py").write_text(KERNEL_CONFIG, encoding="utf-8")
    os.environ["IPYTHONDIR"] = str(_root(app) / "ipython")


def before_execution(app, docname: str, source: list[str]) -> None:
    """On ``source-read``: an empty folder for this chapter's kernel to report into."""
    path = Path(app.env.doc2path(docname))
    if path.suffix not in (".md", ".ipynb"):
        return
    try:
        code = dependencies.notebook_code(source[0], path.suffix)
    except Exception:  # not a notebook: a plain markdown page
        return
    packages = tuple(app.config.fashion_lessons_tracked_packages)
    _scanned[docname] = dependencies.module_dependencies(
        dependencies.imported_names(code), packages
    )
    folder = _root(app) / "logs" / docname
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    os.environ[VARIABLE] = str(folder)


def imported_modules(folder: Path) -> set[str]:
    """The module names the kernels that reported into ``folder`` had imported."""
    names: set[str] = set()
    for report in sorted(folder.glob("*.json")):
        names.update(json.loads(report.read_text(encoding="utf-8")))
    return names


def unseen_modules(imported: set[str], scanned: set[Path], packages: tuple[str, ...]) -> list:
    """Tracked modules in ``imported`` whose files are not in ``scanned``, as (name, file)."""
    unseen = []
    for name in sorted(imported):
        if name.split(".")[0] not in packages:
            continue
        file = dependencies.module_file(name)
        if file is not None and file not in scanned:
            unseen.append((name, file))
    return unseen


def check_imports(app, doctree) -> None:
    """On ``doctree-read``: an error for each tracked module the scan missed."""
    docname = app.env.docname
    scanned = _scanned.pop(docname, None)
    if scanned is None:
        return
    folder = _root(app) / "logs" / docname
    imported = imported_modules(folder) if folder.is_dir() else set()
    shutil.rmtree(folder, ignore_errors=True)
    packages = tuple(app.config.fashion_lessons_tracked_packages)
    for name, file in unseen_modules(imported, scanned, packages):
        logger.error(
            "the chapter's kernel imported %s (%s), which the dependency scan of its code "
            "cells did not find, so an edit to it would not re-execute the chapter. Import "
            "it by name (`import %s`) in a code cell or in a module the chapter imports, or, "
            "for a package that loads names lazily, list the name in its `_LAZY` table.",
            name,
            file,
            name,
            location=docname,
        )


def setup(app):
    app.connect("builder-inited", install_startup)
    app.connect("source-read", before_execution, priority=110)
    app.connect("doctree-read", check_imports)

"""Report a failing cell as a build error an author can act on.

myst-nb can either abort the build on a failing cell
(``nb_execution_raise_on_error = True``), which ends in Sphinx's generic crash
report with the cell's traceback hidden in a temporary file, or log a one-line
warning. This extension turns the failure into an error that says which chapter
and line failed and shows the failing cell's code and its traceback, without the
internals of the execution machinery. The book builds with ``-W`` (``make html``),
which fails the build on it.

A cell that writes to stderr (a Python warning, a framework's log line, a
progress bar) is an error too, reported the same way with what it wrote: such text
has no place in a page, and catching it here names the chapter and cell instead of
leaving it to a scan of the built HTML. A cell whose stderr is expected can say so
with myst-nb's ``remove-stderr`` tag.

A chapter that failed is read (and so executed) again on the next build, even if
its text did not change: otherwise a second ``sphinx-build`` would "succeed" and
publish the page with the traceback in it.
"""

from __future__ import annotations

import re

from docutils import nodes
from myst_nb.sphinx_ import NbMetadataCollector
from sphinx.util import logging

logger = logging.getLogger(__name__)

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _cell_code(output: nodes.Node) -> str:
    """The source of the code cell that ``output`` belongs to."""
    cell = output.parent
    while cell is not None and "cell" not in cell.get("classes", []):
        cell = cell.parent
    if cell is None:
        return ""
    for block in cell.findall(nodes.literal_block):
        if "output" not in block.get("classes", []):
            return block.astext()
    return ""


def _fence_line(path, code: str, fallback: int) -> int:
    """The line of the ``{code-cell}`` fence that opens ``code`` in the chapter's source."""
    try:
        lines = open(path, encoding="utf-8").read().splitlines()
    except OSError:
        return fallback
    first = code.strip("\n").splitlines()[:1]
    for number, line in enumerate(lines, start=1):
        if line.lstrip("`~:").startswith("{code-cell}"):
            body = [ln for ln in lines[number:] if not ln.startswith(":")]  # skip options
            if body[:1] == first:
                return number
    return fallback


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.strip("\n").splitlines())


def report_stderr(app, doctree: nodes.document) -> None:
    """On ``doctree-read``: log an error for every cell that wrote to stderr."""
    docname = app.env.docname
    chapter = app.env.doc2path(docname)
    for output in doctree.findall(nodes.literal_block):
        if "stderr" not in output.get("classes", []):
            continue
        _failed(app.env).add(docname)
        code = _cell_code(output)
        line = _fence_line(chapter, code, output.line or 0)
        text = _ANSI.sub("", output.astext())
        logger.error(
            "cell at line %s of %s wrote to stderr.\n\n  Cell:\n%s\n\n  stderr:\n%s\n\n"
            "  Silence the cause (verbose=0, a quieter logger, a warning fixed at its source); "
            "if the output is expected, tag the cell `remove-stderr`.\n",
            line,
            chapter,
            _indent(code),
            _indent("\n".join(text.splitlines()[-25:])),
            location=(docname, line),
            type="fashion_lessons",
            subtype="cell_stderr",
        )


def report_failed_cells(app, doctree: nodes.document) -> None:
    """On ``doctree-read``: log an error for the cell that made a chapter fail."""
    docname = app.env.docname
    exec_data = NbMetadataCollector.get_exec_data(app.env, docname)
    if not exec_data or exec_data.get("succeeded", True):
        return
    _failed(app.env).add(docname)
    chapter = app.env.doc2path(docname)
    for output in doctree.findall(nodes.literal_block):
        if "traceback" not in output.get("classes", []):
            continue
        code = _cell_code(output)
        line = _fence_line(chapter, code, output.line or 0)
        logger.error(
            "cell at line %s of %s raised an exception.\n\n  Cell:\n%s\n\n  Traceback:\n%s\n",
            line,
            chapter,
            _indent(code),
            _indent(_ANSI.sub("", output.astext())),
            location=(docname, line),
            type="fashion_lessons",
            subtype="cell_error",
        )
        return
    # No error output: the kernel died or a cell timed out. Show the end of what
    # the executor said, which names the cause.
    detail = _ANSI.sub("", exec_data.get("traceback") or exec_data.get("error") or "")
    logger.error(
        "executing %s failed (%s).\n%s",
        chapter,
        exec_data.get("error"),
        _indent("\n".join(detail.strip().splitlines()[-25:])),
        location=docname,
        type="fashion_lessons",
        subtype="cell_error",
    )


def _failed(env) -> set[str]:
    """Chapters whose last execution failed, kept in the pickled environment."""
    if not hasattr(env, "fashion_lessons_failed"):
        env.fashion_lessons_failed = set()
    return env.fashion_lessons_failed


def _purge(app, env, docname):
    _failed(env).discard(docname)


def _merge(app, env, docnames, other):
    _failed(env).update(_failed(other) & set(docnames))


def _reread_failed(app, env, added, changed, removed):
    return sorted(_failed(env) - set(removed))


def setup(app):
    app.connect("doctree-read", report_failed_cells)
    app.connect("doctree-read", report_stderr)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-get-outdated", _reread_failed)

"""A content-addressed execution cache: a chapter runs again only when what it runs changed.

myst-nb's ``cache`` execution mode keeps executed notebooks in a jupyter-cache
database and reuses one when a notebook's code cells and ``kernelspec`` metadata hash
the same, so a prose edit re-renders the page from stored outputs. What that hash
lacks is everything else a chapter's outputs depend on: the ``fashion_lessons``
modules its code imports, the installed packages, the data's checksums and the
kernels' environment (:func:`fashion_lessons.sphinxext.dependencies.execution_key`).
On ``source-read`` this extension writes their digest into the chapter's
``kernelspec`` metadata, as ``fashion_lessons_inputs``, so a change to any of them
is a different notebook to the cache, and a stored result is never reused across it.

The front matter is rewritten as one line of YAML followed by blank lines, so every
line of the chapter keeps its number in warnings and errors. The file itself is
not touched.

When myst-nb takes a chapter from the cache it renders the page from the stored
outputs, but writes the executed notebook (``jupyter_execute/<chapter>.ipynb``,
which the download, the Colab notebook and the widgets' export are made from)
without them (myst-nb 1.4). :func:`restore_outputs` writes it again with the stored
outputs merged in.

Where the cache lives: ``conf.py`` sets ``nb_execution_cache_path`` to
:func:`default_cache_dir`, and the environment variable ``FASHION_LESSONS_CACHE``
moves it (:func:`use_cache_variable`). The variable is read here, not in ``conf.py``:
Sphinx reads every chapter again when a setting that documents depend on changes
(every ``nb_*`` setting is one), and where the cache lives changes no page.
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import yaml
from sphinx.util import logging

from fashion_lessons.sphinxext.dependencies import recorded_execution_key

logger = logging.getLogger(__name__)

#: The ``kernelspec`` key that carries a chapter's execution key.
KEY = "fashion_lessons_inputs"
#: The environment variable that says where the execution cache lives.
CACHE_VARIABLE = "FASHION_LESSONS_CACHE"


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/fashion-lessons/execution`` (``~/.cache/...`` by default).

    Outside the repository, so ``make clean`` keeps it and every clone shares it.
    """
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "fashion-lessons" / "execution"


def cache_dir() -> Path:
    """Where the execution cache lives: ``$FASHION_LESSONS_CACHE``, else the default."""
    return Path(os.environ.get(CACHE_VARIABLE) or default_cache_dir())


def use_cache_variable(app) -> None:
    """On ``builder-inited``, after myst-nb: the cache in ``$FASHION_LESSONS_CACHE``.

    Only for a configuration that keeps the default place (``conf.py``'s); one that
    names a folder of its own (a test's toy book, say) keeps it.
    """
    moved = os.environ.get(CACHE_VARIABLE)
    if not moved or app.config.nb_execution_cache_path != str(default_cache_dir()):
        return
    where = str(Path(moved).resolve())
    app.env.mystnb_config = app.env.mystnb_config.copy(execution_cache_path=where)
    logger.info("%s: the execution cache is at %s instead", CACHE_VARIABLE, where)


def with_key(text: str, key: str) -> str:
    """``text`` with ``key`` in its front matter's ``kernelspec``, every line where it was.

    A text without front matter or without a ``kernelspec`` is returned as it is.
    """
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---":
        return text
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        return text
    metadata = yaml.safe_load("".join(lines[1:end]))
    if not isinstance(metadata, dict) or not isinstance(metadata.get("kernelspec"), dict):
        return text
    metadata["kernelspec"][KEY] = key
    one_line = yaml.safe_dump(
        metadata, default_flow_style=True, sort_keys=False, width=float("inf")
    ).strip()
    return "".join([lines[0], one_line + "\n", "\n" * (end - 2), *lines[end:]])


def add_execution_key(app, docname: str, source: list[str]) -> None:
    """On ``source-read``: key a notebook chapter's cached execution to all its inputs."""
    if app.config.nb_execution_mode != "cache":
        return
    key = recorded_execution_key(app.env, docname)
    if key is not None and Path(app.env.doc2path(docname)).suffix == ".md":
        source[0] = with_key(source[0], key)


def restore_outputs(app, doctree) -> None:
    """On ``doctree-read``: give an executed notebook taken from the cache its outputs."""
    if app.config.nb_execution_mode != "cache":
        return
    path = Path(app.env.mystnb_config.output_folder) / f"{app.env.docname}.ipynb"
    if not path.is_file():
        return
    notebook = nbformat.read(path, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    if not code or any(cell.get("outputs") for cell in code):
        return  # nothing to run, or executed in this build
    from jupyter_cache import get_cache

    try:
        _, merged = get_cache(app.env.mystnb_config.execution_cache_path).merge_match_into_notebook(
            notebook
        )
    except KeyError:  # not in the cache: the chapter failed, and says so elsewhere
        return
    nbformat.write(merged, path)


def setup(app):
    # After myst-nb's own builder-inited handler (priority 500), which makes its settings.
    app.connect("builder-inited", use_cache_variable, priority=600)
    # After fashion_lessons.sphinxext.dependencies has taken the text's digests, the
    # execution key among them.
    app.connect("source-read", add_execution_key, priority=600)
    # Before the widgets read the export from the executed notebook.
    app.connect("doctree-read", restore_outputs, priority=300)

"""Offer each chapter's executed notebook for download.

myst-nb writes every executed chapter as ``<docname>.ipynb`` into its output
folder. This extension copies it next to the page's sources as
``_sources/<docname>.ipynb``, without the book-only figure metadata (the dark
PNG copies), and tells sphinx-book-theme about it, whose download menu then
offers ".ipynb" beside the MyST source.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

from fashion_lessons.plots._display import DARK_KEY


def reader_notebook(path: Path) -> nbformat.NotebookNode:
    """The executed notebook at ``path``, as a reader should get it."""
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            output.get("metadata", {}).get("image/png", {}).pop(DARK_KEY, None)
    return notebook


def add_notebook_download(app, pagename, templatename, context, doctree):
    """On ``html-page-context``: publish the page's executed notebook, if it has one."""
    executed = Path(app.env.mystnb_config.output_folder) / f"{pagename}.ipynb"
    if doctree is None or not executed.is_file():
        return
    if not app.env.nb_metadata.get(pagename, {}).get("exec_data"):
        return  # a plain markdown page, which myst-nb also writes as a notebook
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(reader_notebook(executed), target)
    context["ipynb_source"] = f"{pagename}.ipynb"


def setup(app):
    # Before sphinx-book-theme builds its header buttons (priority 500).
    app.connect("html-page-context", add_notebook_download, priority=400)

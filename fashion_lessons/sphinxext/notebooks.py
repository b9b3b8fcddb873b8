"""Take a chapter away: its executed notebook to download, and a Colab version.

myst-nb writes every executed chapter as ``<docname>.ipynb`` into its output
folder. This extension publishes, next to the page's sources,

* ``_sources/<docname>.ipynb``: the executed notebook with its outputs, without
  the book-only figure metadata (the dark PNG copies). sphinx-book-theme's
  download menu offers it as ".ipynb";
* ``_sources/colab/<docname>.ipynb``: the same notebook without outputs, whose
  first cell installs this package (and with it TensorFlow and the rest) from the
  repository. Its loader gets Fashion-MNIST through Keras's download there. An
  "Open in Colab" button links to it on the published site's branch.

Configuration: ``fashion_lessons_colab_repository`` (``"owner/name"`` on GitHub;
empty for no Colab button) and ``fashion_lessons_colab_branch`` (the branch the
built site is published on, default ``"gh-pages"``).
"""

from __future__ import annotations

from pathlib import Path

import nbformat

from fashion_lessons._outputs import DARK_KEY
from fashion_lessons.export import EXPORT_MIME
from fashion_lessons.sphinxext.execution import KEY as EXECUTION_KEY


def reader_notebook(path: Path) -> nbformat.NotebookNode:
    """The executed notebook at ``path``, as a reader should get it: without the book's
    dark figure copies, its execution-cache key or the data it hands to the widgets."""
    notebook = nbformat.read(path, as_version=4)
    notebook.metadata.get("kernelspec", {}).pop(EXECUTION_KEY, None)
    for cell in notebook.cells:
        if "outputs" not in cell:
            continue
        cell.outputs = [o for o in cell.outputs if EXPORT_MIME not in o.get("data", {})]
        for output in cell.outputs:
            output.get("metadata", {}).get("image/png", {}).pop(DARK_KEY, None)
    return notebook


def colab_notebook(notebook: nbformat.NotebookNode, repository: str) -> nbformat.NotebookNode:
    """``notebook`` without outputs, with a first cell that installs what it needs."""
    colab = nbformat.from_dict(notebook)
    for cell in colab.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    install = nbformat.v4.new_code_cell(
        "# In Colab: install the book's package, which brings TensorFlow, Keras and the rest.\n"
        "# The data come through Keras's download on first use.\n"
        f'%pip install --quiet "fashion-lessons @ git+https://github.com/{repository}" myst-nb'
    )
    colab.cells.insert(0, install)
    return colab


def add_notebook_download(app, pagename, templatename, context, doctree):
    """On ``html-page-context``: publish the page's executed notebook, if it has one."""
    executed = Path(app.env.mystnb_config.output_folder) / f"{pagename}.ipynb"
    if doctree is None or not executed.is_file():
        return
    if not app.env.nb_metadata.get(pagename, {}).get("exec_data"):
        return  # a plain markdown page, which myst-nb also writes as a notebook
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    notebook = reader_notebook(executed)
    nbformat.write(notebook, target)
    context["ipynb_source"] = f"{pagename}.ipynb"
    repository = app.config.fashion_lessons_colab_repository
    if repository:
        colab = Path(app.outdir) / "_sources" / "colab" / f"{pagename}.ipynb"
        colab.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(colab_notebook(notebook, repository), colab)
        branch = app.config.fashion_lessons_colab_branch
        context["fashion_lessons_colab_url"] = (
            f"https://colab.research.google.com/github/{repository}/blob/{branch}"
            f"/_sources/colab/{pagename}.ipynb"
        )


def add_colab_button(app, pagename, templatename, context, doctree):
    """After the theme made its header buttons: add "Open in Colab" to them."""
    url = context.get("fashion_lessons_colab_url")
    if url and "header_buttons" in context:
        context["header_buttons"].insert(
            0,
            {
                "type": "link",
                "url": url,
                "tooltip": "Open this chapter in Google Colab",
                "icon": "_static/images/logo_colab.png",
                "text": "Colab",
                "label": "colab-button",
            },
        )


def setup(app):
    app.add_config_value("fashion_lessons_colab_repository", "", "html")
    app.add_config_value("fashion_lessons_colab_branch", "gh-pages", "html")
    # Before and after sphinx-book-theme builds its header buttons (priority 500).
    app.connect("html-page-context", add_notebook_download, priority=400)
    app.connect("html-page-context", add_colab_button, priority=600)

"""Take a chapter away: its executed notebook to download, and a Colab version.

myst-nb writes every executed chapter as ``<docname>.ipynb`` into its output
folder. This extension publishes, next to the page's sources,

* ``_sources/<docname>.ipynb``: the executed notebook with its outputs, as plain
  Jupyter (:mod:`.plain_notebook`: the glued numbers in the text, no MyST marks,
  links to the site), without the book-only figure metadata (the dark PNG copies).
  sphinx-book-theme's download menu offers it as ".ipynb";
* ``_sources/colab/<docname>.ipynb``: the same notebook without outputs, whose
  first cell installs this package at the commit the book was built from, and
  nothing Colab already has (TensorFlow is the package's extra, which Colab does not
  need). Its loader gets Fashion-MNIST through Keras's download there. An "Open in
  Colab" button links to it on the published site's branch.

A notebook that would still carry MyST syntax (a directive or role the conversion
does not know) fails the build, naming the chapter and the mark.

Configuration: ``fashion_lessons_colab_repository`` (``"owner/name"`` on GitHub;
empty for no Colab button), ``fashion_lessons_colab_branch`` (the branch the
built site is published on, default ``"gh-pages"``), ``fashion_lessons_site_url``
(where the site is published, for the notebooks' links; by default ``html_baseurl``,
else the repository's GitHub Pages address) and ``fashion_lessons_commit`` (the commit
Colab installs; by default ``git rev-parse HEAD`` of the configuration's folder).
"""

from __future__ import annotations

import io
import subprocess
import zipfile
from pathlib import Path

import nbformat
from sphinx.util import logging

from fashion_lessons._outputs import DARK_KEY
from fashion_lessons.export import EXPORT_MIME
from fashion_lessons.gluediff import chapter_glued
from fashion_lessons.sphinxext import plain_notebook as plain
from fashion_lessons.sphinxext.execution import KEY as EXECUTION_KEY

logger = logging.getLogger(__name__)


def reader_notebook(path: Path) -> nbformat.NotebookNode:
    """The executed notebook at ``path``, as a reader should get it: without the book's
    dark figure copies, its execution-cache key or the data it hands to the widgets."""
    notebook = nbformat.read(path, as_version=4)
    notebook.metadata.get("kernelspec", {}).pop(EXECUTION_KEY, None)
    notebook.metadata.pop("source_map", None)
    for cell in notebook.cells:
        if "outputs" not in cell:
            continue
        cell.outputs = [o for o in cell.outputs if EXPORT_MIME not in o.get("data", {})]
        for output in cell.outputs:
            output.get("metadata", {}).get("image/png", {}).pop(DARK_KEY, None)
    return notebook


def install_cell(repository: str, commit: str) -> nbformat.NotebookNode:
    """Colab's first cell: this package from ``repository`` at ``commit`` (the default
    branch without one), with only what Colab lacks; TensorFlow is an extra it leaves out."""
    if commit:
        what = f"the book's package at commit {commit[:12]}, which the book was built from"
        where = f"@{commit}"
    else:
        what, where = "the book's package from its repository", ""
    return nbformat.v4.new_code_cell(
        f"# In Colab: install {what} (Colab's TensorFlow, Keras and NumPy stay as they are).\n"
        f'%pip install --quiet "fashion-lessons @ git+https://github.com/{repository}{where}"'
    )


def colab_notebook(
    notebook: nbformat.NotebookNode, repository: str, commit: str = ""
) -> nbformat.NotebookNode:
    """``notebook`` without outputs, with a first cell that installs what it needs."""
    colab = nbformat.from_dict(notebook)
    for cell in colab.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    colab.cells.insert(0, install_cell(repository, commit))
    return colab


def site_url(config) -> str:
    """Where the book is published, ending in "/": ``fashion_lessons_site_url``, else
    ``html_baseurl``, else the GitHub Pages site of ``fashion_lessons_colab_repository``
    (which .github/workflows/pages.yml publishes); "" when none is set."""
    url = config.fashion_lessons_site_url or config.html_baseurl
    if not url and config.fashion_lessons_colab_repository:
        owner, name = config.fashion_lessons_colab_repository.split("/")
        url = f"https://{owner.lower()}.github.io/{name}/"
    return url.rstrip("/") + "/" if url else ""


def built_commit(folder: Path) -> str:
    """The commit checked out in ``folder`` (``git rev-parse HEAD``), or "" outside git."""
    try:
        result = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=folder, capture_output=True, text=True, timeout=60
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""


def _authors(entry) -> str:
    from pybtex.richtext import Text

    people = entry.persons.get("author") or entry.persons.get("editor") or []
    names = [
        Text.from_latex(" ".join(p.prelast_names + p.last_names)).render_as("text") for p in people
    ]
    if len(names) > 2:
        return f"{names[0]} et al."
    return " and ".join(names)


def citations(app) -> dict[str, plain.Citation]:
    """Every work in ``bibtex_bibfiles``, as the chapters cite it (read once per build)."""
    if hasattr(app, "fashion_lessons_citations"):
        return app.fashion_lessons_citations
    works = {}
    files = [Path(app.confdir) / f for f in getattr(app.config, "bibtex_bibfiles", None) or []]
    if files and "sphinxcontrib.bibtex" in app.extensions:
        import pybtex.database
        from pybtex.plugin import find_plugin

        data = pybtex.database.BibliographyData()
        for file in files:
            for key, entry in pybtex.database.parse_file(file).entries.items():
                data.add_entry(key, entry)
        style = find_plugin("pybtex.style.formatting", app.config.bibtex_default_style)()
        for formatted in style.format_bibliography(data):
            entry = data.entries[formatted.key]
            reference = " ".join(formatted.text.render_as("html").split())
            works[formatted.key] = plain.Citation(
                _authors(entry), entry.fields.get("year", "n.d."), reference
            )
    app.fashion_lessons_citations = works
    return works


def book_of(app, docname: str) -> plain.Book:
    """What :func:`.plain_notebook.plain_notebook` needs to know of the book, for ``docname``."""
    env = app.env
    std = env.domaindata["std"]
    formats = app.config.numfig_format
    by_anchor = {
        (doc, anchor): (formats.get(kind) or f"{kind.title()} %s") % ".".join(map(str, number))
        for doc, kinds in env.toc_fignumbers.items()
        for kind, numbered in kinds.items()
        for anchor, number in numbered.items()
    }
    labels = {k: (d, a, "") for k, (d, a) in std.get("anonlabels", {}).items()}
    labels.update(std.get("labels", {}))
    glued = Path(env.mystnb_config.output_folder) / f"{docname}.glue.json"
    return plain.Book(
        site_url=site_url(app.config),
        glued=chapter_glued(glued) if glued.is_file() else {},
        labels=labels,
        numbers={k: by_anchor[d, a] for k, (d, a, _) in labels.items() if (d, a) in by_anchor},
        terms={n.lower(): v for (kind, n), v in std.get("objects", {}).items() if kind == "term"},
        titles={d: t.astext() for d, t in env.titles.items()},
        citations=citations(app),
        source_root=str(app.srcdir),
    )


def add_notebook_download(app, pagename, templatename, context, doctree):
    """On ``html-page-context``: publish the page's executed notebook, if it has one."""
    executed = Path(app.env.mystnb_config.output_folder) / f"{pagename}.ipynb"
    if doctree is None or not executed.is_file():
        return
    if not app.env.nb_metadata.get(pagename, {}).get("exec_data"):
        return  # a plain markdown page, which myst-nb also writes as a notebook
    try:
        notebook = plain.plain_notebook(reader_notebook(executed), book_of(app, pagename), pagename)
    except plain.ConversionError as error:
        logger.error(
            "%s: its notebook cannot be made plain Jupyter: %s", pagename, error, location=pagename
        )
        return
    marks = plain.myst_marks(notebook)
    if marks:
        logger.error(
            "%s: its notebook would still show MyST syntax, which Jupyter and Colab print as "
            "raw text (teach fashion_lessons.sphinxext.plain_notebook to convert it): %s",
            pagename,
            "; ".join(marks),
            location=pagename,
        )
        return
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, target)
    context["ipynb_source"] = f"{pagename}.ipynb"
    repository = app.config.fashion_lessons_colab_repository
    if repository:
        colab = Path(app.outdir) / "_sources" / "colab" / f"{pagename}.ipynb"
        colab.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(colab_notebook(notebook, repository, commit_of(app)), colab)
        branch = app.config.fashion_lessons_colab_branch
        context["fashion_lessons_colab_url"] = (
            f"https://colab.research.google.com/github/{repository}/blob/{branch}"
            f"/_sources/colab/{pagename}.ipynb"
        )


def commit_of(app) -> str:
    """The commit Colab installs: ``fashion_lessons_commit``, else the checkout's HEAD."""
    if not app.config.fashion_lessons_commit:
        app.config.fashion_lessons_commit = built_commit(Path(app.confdir))
    return app.config.fashion_lessons_commit


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


#: Every chapter's notebook in one file, linked from the book's first page.
ZIP = "_downloads/fashion-lessons-notebooks.zip"


def notebooks_zip(notebooks: list[Path]) -> bytes:
    """A zip of ``notebooks`` under ``fashion-lessons/``, the same bytes for the same files
    (fixed dates), so an unchanged book does not rewrite it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(notebooks):
            info = zipfile.ZipInfo(f"fashion-lessons/{path.name}", date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    return buffer.getvalue()


def write_zip(app, exception) -> None:
    """On ``build-finished``: zip the chapters' notebooks (written if their bytes changed)."""
    if exception is not None or app.builder.format != "html":
        return
    sources = Path(app.outdir) / "_sources"
    found = [sources / f"{d}.ipynb" for d in sorted(app.env.found_docs)]
    found = [p for p in found if p.is_file()]
    target = Path(app.outdir) / ZIP
    if not found:
        return
    data = notebooks_zip(found)
    if not target.is_file() or target.read_bytes() != data:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def link_zip(app, pagename, templatename, context, doctree):
    """On the book's first page: a link to every notebook in one zip, before the chapters."""
    if pagename != app.config.root_doc or "body" not in context:
        return
    if not any(app.env.nb_metadata.get(d, {}).get("exec_data") for d in app.env.found_docs):
        return
    link = (
        f'<p class="fashion-lessons-notebooks"><a href="{ZIP}" download>Download every '
        "chapter as a Jupyter notebook</a> (one zip file), to run them on your own machine.</p>\n"
    )
    body = context["body"]
    at = body.find('<div class="toctree-wrapper')
    context["body"] = body[:at] + link + body[at:] if at >= 0 else body + link


def setup(app):
    app.add_config_value("fashion_lessons_colab_repository", "", "html")
    app.add_config_value("fashion_lessons_colab_branch", "gh-pages", "html")
    app.add_config_value("fashion_lessons_site_url", "", "html")
    # Not part of what a page depends on ("" rebuilds nothing): a new commit alone does not
    # rewrite every page; the published book is built afresh anyway.
    app.add_config_value("fashion_lessons_commit", "", "")
    # Before and after sphinx-book-theme builds its header buttons (priority 500).
    app.connect("html-page-context", add_notebook_download, priority=400)
    app.connect("html-page-context", add_colab_button, priority=600)
    app.connect("html-page-context", link_zip)
    app.connect("build-finished", write_zip)

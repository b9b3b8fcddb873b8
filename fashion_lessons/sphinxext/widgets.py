"""Interactive widgets in the pages: the walkthrough's prediction widget and the optimizer explorer.

* Before any chapter's kernel starts (``builder-inited``), this extension sets
  ``FASHION_LESSONS_EXPORT_DIR`` to ``<outdir>/_static/fashion-lessons``; kernels
  inherit it, so :func:`fashion_lessons.export.export_for_browser`, called in a
  hidden cell of the walkthrough, writes the trained network and a test sample
  there as ``fashion-lessons-model.js``. The file stays in the output directory,
  so an incremental build that does not run the walkthrough again keeps serving it.
* The directive ``{fashion-lessons-predict}`` places the prediction widget
  (``_static/fashion-lessons-predict.js``): pick a test image or draw a garment,
  and the page runs the network on it.
* The optimizer explorer (``_static/fashion-lessons-explorer.js``) is placed with
  the HTML of ``_static/explorer-snippet.html``, e.g. in a chapter::

      ```{raw} html
      :file: _static/explorer-snippet.html
      ```

Each page gets the scripts and style sheet (``fashion-lessons-widgets.css``) of the
widgets it contains, and only those: the 0.9 MB network goes only to the page
with the prediction widget. A page with that widget but no exported network is
a build warning (an error with ``-W``).
"""

from __future__ import annotations

import os
from pathlib import Path

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from fashion_lessons.export import EXPORT_DIR_VARIABLE, EXPORT_FILENAME

logger = logging.getLogger(__name__)

#: The exported network's folder inside the site's ``_static``.
EXPORT_SUBDIR = "fashion-lessons"
#: Attributes that mark a widget's container in the page's HTML.
PREDICT_MARK = "data-fashion-lessons-predict"
EXPLORER_MARK = "data-fashion-lessons-explorer"

_PREDICT_HTML = f"""\
<div class="fl-widget fl-predict" {PREDICT_MARK}>
<noscript><p>This interactive widget needs JavaScript.</p></noscript>
</div>
"""


def export_dir(outdir: str | os.PathLike) -> Path:
    """Where the book's build exports the walkthrough's network."""
    return Path(outdir) / "_static" / EXPORT_SUBDIR


class PredictWidget(SphinxDirective):
    """``{fashion-lessons-predict}``: the prediction widget (no arguments or content)."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        return [nodes.raw("", _PREDICT_HTML, format="html")]


def set_export_dir(app) -> None:
    """On ``builder-inited``: tell the chapters' kernels where to export the network."""
    directory = export_dir(app.outdir)
    directory.mkdir(parents=True, exist_ok=True)
    os.environ[EXPORT_DIR_VARIABLE] = str(directory)


def _widgets_on(doctree: nodes.document) -> tuple[bool, bool]:
    """Whether a page holds the prediction widget and the optimizer explorer."""
    html = [
        node.astext()
        for node in doctree.findall(nodes.raw)
        if "html" in node.get("format", "").split()
    ]
    return any(PREDICT_MARK in h for h in html), any(EXPLORER_MARK in h for h in html)


def add_widget_assets(app, pagename, templatename, context, doctree) -> None:
    """On ``html-page-context``: give a page the scripts and styles of its widgets."""
    if doctree is None:
        return
    predict, explorer = _widgets_on(doctree)
    if predict or explorer:
        app.add_css_file("fashion-lessons-widgets.css")
    if predict:
        if not (export_dir(app.outdir) / EXPORT_FILENAME).is_file():
            logger.warning(
                "%s has a prediction widget, but no network was exported to %s: a cell of the "
                "page must call fashion_lessons.export.export_for_browser(...)",
                pagename,
                export_dir(app.outdir) / EXPORT_FILENAME,
                location=pagename,
                type="fashion_lessons",
                subtype="widgets",
            )
        app.add_js_file(f"{EXPORT_SUBDIR}/{EXPORT_FILENAME}")
        app.add_js_file("fashion-lessons-predict.js")
    if explorer:
        app.add_js_file("fashion-lessons-explorer.js")


def setup(app):
    app.add_directive("fashion-lessons-predict", PredictWidget)
    app.connect("builder-inited", set_export_dir)
    app.connect("html-page-context", add_widget_assets)

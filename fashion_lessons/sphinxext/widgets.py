"""Interactive widgets in the pages: the walkthrough's prediction widget and the optimizer explorer.

* Before any chapter's kernel starts (``builder-inited``), this extension sets
  ``FASHION_LESSONS_EXPORT=output``; kernels inherit it, so
  :func:`fashion_lessons.export.export_for_browser`, called in a hidden cell of the
  walkthrough, hands the trained network and a test sample to the build as a cell
  output. When a chapter is read (from a fresh run or from the execution cache),
  this extension writes that output into ``<outdir>/_static/fashion-lessons/`` as
  ``fashion-lessons-model.js``. The file stays in the output directory, so an
  incremental build that does not read the walkthrough again keeps serving it.
* The directive ``{fashion-lessons-predict}`` places the prediction widget
  (``_static/fashion-lessons-predict.js``): pick a test image or draw a garment,
  and the page runs the network on it.
* The optimizer explorer (``_static/fashion-lessons-explorer.js``) is placed with
  the HTML of ``_static/explorer-snippet.html``, e.g. in a chapter::

      ```{raw} html
      :file: _static/explorer-snippet.html
      ```

Each page gets the scripts and style sheet (``fashion-lessons-widgets.css``) of the
widgets it contains, after the DOM helpers both share (``fashion-lessons-dom.js``),
and only those: the 0.9 MB network goes only to the page
with the prediction widget. A page with that widget but no exported network is
a build warning (an error with ``-W``).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from fashion_lessons.export import (
    EXPORT_FILENAME,
    EXPORT_MIME,
    EXPORT_VARIABLE,
    write_browser_export,
)

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


def ask_for_exports(app) -> None:
    """On ``builder-inited``: have the chapters' kernels hand their exports to the build."""
    os.environ[EXPORT_VARIABLE] = "output"


def write_exports(app, doctree) -> None:
    """On ``doctree-read``: write the export a chapter's run produced into the site."""
    env = app.env
    executed = Path(env.mystnb_config.output_folder) / f"{env.docname}.ipynb"
    if not executed.is_file():
        return
    text = executed.read_text(encoding="utf-8")
    if EXPORT_MIME not in text:
        return
    for cell in json.loads(text)["cells"]:
        for output in cell.get("outputs", []):
            data = output.get("data", {}).get(EXPORT_MIME)
            if data is not None:
                write_browser_export(data, export_dir(app.outdir))


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
        app.add_js_file("fashion-lessons-dom.js")  # the helpers both widgets use
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
    app.connect("builder-inited", ask_for_exports)
    app.connect("doctree-read", write_exports)
    app.connect("html-page-context", add_widget_assets)

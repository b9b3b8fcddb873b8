"""Interactive widgets in the pages: prediction, the optimizer explorer, training in the page.

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

* The directive ``{fashion-lessons-train}`` places the training widget: the chapter's
  network trained in the reader's browser on a sample of Fashion-MNIST, which this
  extension draws from the real files and writes into ``_static/fashion-lessons/``
  (:mod:`fashion_lessons.browser_sample`) when it writes the page. Its option
  ``:predict:`` names the page with the prediction widget, where the reader can take
  the network they trained. The page loads only a small loader
  (``_static/fashion-lessons-train.js``); the widget's scripts, style sheet and
  images come when the reader opens it.

Each page gets the scripts and style sheet (``fashion-lessons-widgets.css``) of the
widgets it contains, after the DOM helpers both share (``fashion-lessons-dom.js``),
and only those: the 0.9 MB network goes only to the page
with the prediction widget. A page with that widget but no exported network is
a build warning (an error with ``-W``).
"""

from __future__ import annotations

import json
import os
import zlib
from pathlib import Path
from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from fashion_lessons.browser_sample import SAMPLE_FILENAME, SIZES, write_training_sample
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
TRAIN_MARK = "data-fashion-lessons-train"
#: What the training widget's loader loads when the reader opens it (in ``_static``).
TRAIN_ASSETS = (
    "fashion-lessons-widgets.css",
    "fashion-lessons-dom.js",
    "fashion-lessons-mlp.js",
    "fashion-lessons-trainer.js",
)
#: Stands in the page for the size of the sample file, filled in when the page is written.
SAMPLE_SIZE_MARK = "<!-- fashion-lessons-sample-size -->"

_PREDICT_HTML = f"""\
<div class="fl-widget fl-predict" id="fashion-lessons-predict" {PREDICT_MARK}>
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


class TrainWidget(SphinxDirective):
    """``{fashion-lessons-train}``: the training widget.

    Option ``:predict: docname``: the page with the prediction widget, where the reader
    can use the network they trained (a link to it; a missing page fails the build).
    """

    has_content = False
    option_spec: ClassVar[dict] = {"predict": directives.unchanged_required}

    def run(self) -> list[nodes.Node]:
        train, validation, test = (f"{SIZES[k]:,}" for k in ("train", "validation", "test"))
        per_class = f"{SIZES['train'] // 10:,}"
        opening = (
            f'<details class="fl-train-widget" id="fashion-lessons-train" {TRAIN_MARK}>\n'
            "<summary>Train the network in your browser</summary>\n"
            '<div class="fl-widget fl-train">\n'
            f"<p>Your browser trains the network of this chapter on {train} training images "
            f"of Fashion-MNIST ({per_class} of each class, drawn at random when the book "
            f"was built) and watches it on {validation} validation images; {test} test "
            "images wait for the end. Opening this loads the images "
            f"({SAMPLE_SIZE_MARK}).</p>\n"
            "<noscript><p>Training in the page needs JavaScript.</p></noscript>\n"
        )
        body = [nodes.raw("", opening, format="html")]
        if "predict" in self.options:
            target = self.options["predict"]
            link = addnodes.pending_xref(
                "",
                nodes.inline("", "", classes=["doc"]),
                refdomain="std",
                reftype="doc",
                reftarget=target,
                refdoc=self.env.docname,
                refexplicit=False,
                refwarn=True,
            )
            body.append(
                nodes.paragraph(
                    "",
                    "",
                    nodes.Text("When it has learned, you can send it to the prediction widget of "),
                    link,
                    nodes.Text("."),
                    classes=["fl-train-predict"],
                )
            )
        body.append(nodes.raw("", "</div>\n</details>\n", format="html"))
        return body


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


def _widgets_on(doctree: nodes.document) -> tuple[bool, bool, bool]:
    """Whether a page holds the prediction widget, the optimizer explorer, the trainer."""
    html = [
        node.astext()
        for node in doctree.findall(nodes.raw)
        if "html" in node.get("format", "").split()
    ]
    return tuple(any(mark in h for h in html) for mark in (PREDICT_MARK, EXPLORER_MARK, TRAIN_MARK))


def _checksum(path: Path) -> str:
    return f"{zlib.crc32(path.read_bytes()):08x}"


def _add_trainer(app, context) -> None:
    """The training widget's loader, told each lazily loaded file's checksum, and the
    sample of images it trains on, written (if it changed) into the site."""
    sample = write_training_sample(export_dir(app.outdir))
    static = [Path(app.confdir, d) for d in app.config.html_static_path]
    versions = {
        name: _checksum(next(d / name for d in static if (d / name).is_file()))
        for name in TRAIN_ASSETS
    }
    versions[f"{EXPORT_SUBDIR}/{SAMPLE_FILENAME}"] = _checksum(sample)
    app.add_js_file(
        "fashion-lessons-train.js",
        **{"data-versions": json.dumps(versions, separators=(",", ":"))},
    )
    size = f"{sample.stat().st_size / 1e6:.1f} MB"
    context["body"] = context.get("body", "").replace(SAMPLE_SIZE_MARK, size)


def add_widget_assets(app, pagename, templatename, context, doctree) -> None:
    """On ``html-page-context``: give a page the scripts and styles of its widgets."""
    if doctree is None:
        return
    predict, explorer, train = _widgets_on(doctree)
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
        app.add_js_file("fashion-lessons-predict-trained.js")  # the reader's own network
    if explorer:
        app.add_js_file("fashion-lessons-explorer.js")
    if train:
        _add_trainer(app, context)


def setup(app):
    app.add_directive("fashion-lessons-predict", PredictWidget)
    app.add_directive("fashion-lessons-train", TrainWidget)
    app.connect("builder-inited", ask_for_exports)
    app.connect("doctree-read", write_exports)
    app.connect("html-page-context", add_widget_assets)

"""Sphinx extensions of the book (``extensions = ["fashion_lessons.sphinxext"]``).

* :mod:`.cell_errors` reports a failing chapter cell as a build error that names
  the chapter and line, and shows the cell's code and its traceback.
* :mod:`.dependencies` re-reads a chapter when its text, a package module it imports
  or the environment changed, by content.
* :mod:`.kernel_imports` checks that scan against the modules each chapter's kernel
  really imported, and fails the build on one it missed.
* :mod:`.execution` keys the execution cache to the same inputs, so a chapter runs
  again only when its code, its modules or the environment changed.
* :mod:`.notebooks` offers each chapter's executed notebook for download and for Colab,
  as plain Jupyter (:mod:`.plain_notebook`).
* :mod:`.figures` (a myst-nb mime renderer, registered as an entry point) renders
  figures as a light/dark pair with alt text.
* :mod:`.widgets` exports the walkthrough's network to the site and adds the
  in-page widgets (prediction, optimizer explorer).

It also vouches for ``sphinx-mathjax-offline``, which does not say whether it is
safe for parallel builds (``sphinx-build -j``), so Sphinx would fall back to
reading one chapter at a time. It is safe: it only sets ``mathjax_path`` and
copies MathJax's files when the build has finished, and keeps no state per page.
"""

from fashion_lessons.sphinxext import (
    cell_errors,
    dependencies,
    execution,
    kernel_imports,
    notebooks,
    widgets,
)

#: Extensions known to be parallel-safe that do not declare it themselves.
PARALLEL_SAFE = ("sphinx-mathjax-offline",)


def _declare_parallel_safe(app, config) -> None:
    for name in PARALLEL_SAFE:
        if name in app.extensions:
            extension = app.extensions[name]
            extension.parallel_read_safe = extension.parallel_write_safe = True


def setup(app):
    app.connect("config-inited", _declare_parallel_safe)
    cell_errors.setup(app)
    dependencies.setup(app)
    execution.setup(app)
    kernel_imports.setup(app)
    notebooks.setup(app)
    widgets.setup(app)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

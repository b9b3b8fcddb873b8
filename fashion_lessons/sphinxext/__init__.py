"""Sphinx extensions of the book (``extensions = ["fashion_lessons.sphinxext"]``).

* :mod:`.cell_errors` reports a failing chapter cell as a build error that names
  the chapter and line, and shows the cell's code and its traceback.
* :mod:`.dependencies` re-executes a chapter when a package module it imports changes.
* :mod:`.notebooks` offers each chapter's executed notebook for download.
* :mod:`.figures` (a myst-nb mime renderer, registered as an entry point) renders
  figures as a light/dark pair with alt text.
* :mod:`.widgets` exports the walkthrough's network to the site and adds the
  in-page widgets (prediction, optimizer explorer).
"""

from fashion_lessons.sphinxext import cell_errors, dependencies, notebooks, widgets


def setup(app):
    cell_errors.setup(app)
    dependencies.setup(app)
    notebooks.setup(app)
    widgets.setup(app)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

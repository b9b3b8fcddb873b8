"""Sphinx extensions of the book (``extensions = ["fashion_lessons.sphinxext"]``).

* :mod:`.cell_errors` reports a failing chapter cell as a build error that names
  the chapter and line, and shows the cell's code and its traceback.
"""

from fashion_lessons.sphinxext import cell_errors


def setup(app):
    cell_errors.setup(app)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

"""Names shared by the code that writes notebook outputs and the Sphinx extension that reads them.

A module of its own, with no imports, so that the extension can read it without
loading matplotlib through :mod:`fashion_lessons.plots` on every build.
"""

#: Metadata key of the dark PNG (base64) inside an ``image/png`` output's metadata.
DARK_KEY = "fashion_lessons_dark_png"

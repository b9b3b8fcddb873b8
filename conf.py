# Sphinx configuration for the Fashion Lessons book.
#
# Build with:  sphinx-build -c . -W --keep-going docs _build/html
# (or `make html`, which also sets up .venv and the data).

import os

# -- Quiet kernels ---------------------------------------------------------------
# The chapters' kernels inherit this process's environment. TensorFlow's C++ core
# logs to file descriptor 2, which ipykernel forwards into cell outputs; level 3
# keeps its INFO/WARNING lines (and the oneDNN notice) out of every page.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
# NumPy's BLAS on one thread per kernel: the chapters' matrices are small, and
# threads that compete for 2 cores with TensorFlow (or with a parallel build's other
# kernels) can make numpy training many times slower instead of faster.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
# Results the prose relies on are checked against their ranges (fashion_lessons.claims).
os.environ["FASHION_LESSONS_CHECK_CLAIMS"] = "1"
# Figures go inline into the pages, whatever backend the author's shell selects
# (MPLBACKEND=Agg, as in CI, would otherwise make every figure vanish).
os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"

# Building matplotlib's font cache logs "Matplotlib is building the font cache";
# do it here, once, so the notice never lands in a chapter's output. Where the
# cache already is (matplotlib's own lookup: MPLCONFIGDIR, else the XDG cache), skip
# the import, a third of a second of every rebuild.
_mpl_cache = os.environ.get("MPLCONFIGDIR") or os.path.join(
    os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "matplotlib"
)
if not (
    os.path.isdir(_mpl_cache) and any(n.startswith("fontlist-") for n in os.listdir(_mpl_cache))
):
    import matplotlib.font_manager  # noqa: F401

# -- Project information -----------------------------------------------------------
project = "Fashion Lessons"
author = "the Fashion Lessons authors"
copyright = "2026, the Fashion Lessons authors"

# -- General configuration ---------------------------------------------------------
extensions = [
    "myst_nb",
    "sphinxcontrib.bibtex",
    "sphinx_exercise",
    "sphinx_copybutton",
    "sphinx_togglebutton",
    # Serve MathJax from the built site, so math typesets offline and from file://.
    # It ships MathJax 3.2.2, the last release of MathJax 3 (what Sphinx itself loads
    # from a CDN), installs from PyPI with the rest (no Node.js needed to build), and
    # does two things: set mathjax_path, copy the files when the build has finished.
    # Unmaintained since 2022, it needs no maintenance: the lock pins it by hash.
    "sphinx-mathjax-offline",
    "fashion_lessons.sphinxext",
]
# Chapters are numbered (one numbered toctree in docs/index.md), and so are their
# exercises: "Exercise 3.2" is the second exercise of chapter 3.
numfig = True
numfig_secnum_depth = 1
# Paths are relative to the source directory, docs/.
exclude_patterns = ["_build", "jupyter_execute", "**.ipynb_checkpoints"]
# The reader-facing text is all in MyST markdown; .md files are myst-nb notebooks
# when they carry a kernelspec in their front matter.
source_suffix = {".md": "myst-nb"}

# -- Bibliography -------------------------------------------------------------------
# Relative to this file (sphinxcontrib-bibtex resolves them from the config directory).
bibtex_bibfiles = ["docs/references.bib"]
bibtex_default_style = "plain"
bibtex_reference_style = "author_year"
# Each chapter lists the works it cites (`:filter: docname in docnames`), so the same
# work and the same [1] appear on several pages; every citation links to its own page.
suppress_warnings = ["bibtex.duplicate_label", "bibtex.duplicate_citation"]

# -- MyST ---------------------------------------------------------------------------
myst_enable_extensions = ["amsmath", "colon_fence", "deflist", "dollarmath"]
myst_heading_anchors = 3

# -- Notebook execution (myst-nb) --------------------------------------------------
# Every figure and number comes from a run of the chapter's code, kept in a
# content-addressed execution cache (jupyter-cache, through myst-nb's "cache" mode).
# A chapter runs again when its code cells, a fashion_lessons module it imports, the
# installed packages, the data's checksums or the kernels' environment change
# (fashion_lessons.sphinxext.execution); a prose edit re-renders from stored outputs.
# The cache lives in $FASHION_LESSONS_CACHE, else ~/.cache/fashion-lessons/execution;
# `make clean` keeps it, `make clean-cache` empties it. To run every chapter afresh
# (the published book does): sphinx-build -D nb_execution_mode=force ...
nb_execution_mode = "cache"
from fashion_lessons.sphinxext.execution import default_cache_dir  # noqa: E402

# The default place; the extension moves it to $FASHION_LESSONS_CACHE without making that
# a setting, so pointing the variable elsewhere never makes Sphinx read every chapter again.
nb_execution_cache_path = str(default_cache_dir())
# Seconds per cell. The longest cell (the walkthrough's 10 training epochs) takes
# about 20-40 s on a 2-core CPU; the margin covers a slow, busy machine.
nb_execution_timeout = 600
# A failing cell must fail the build and show its traceback. myst-nb's own
# `nb_execution_raise_on_error` aborts Sphinx with a generic crash report and hides
# the traceback in a temporary file, so it stays off; instead
# fashion_lessons.sphinxext reports the chapter, the failing cell's code and its
# traceback as a build error. (myst-nb's own `nb_execution_show_tb` would add the
# executor's internal stack to that, so it stays off too.)
nb_execution_raise_on_error = False
nb_execution_show_tb = False
# One stream per cell: training logs that mix stdout and stderr stay one block.
nb_merge_streams = True

# -- Copy buttons ------------------------------------------------------------------
# Copy code without prompts or outputs.
copybutton_exclude = ".linenos, .gp, .go"

# -- HTML output ----------------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_title = "Fashion Lessons"
# Relative to this file, like every path in it.
html_static_path = ["docs/_static"]
html_css_files = ["fashion-lessons.css"]
html_js_files = ["fashion-lessons.js"]
# No general index page: the glossary is the book's index, and writing genindex.html
# took a sixth of every no-op rebuild.
html_use_index = False
# "Open in Colab" opens the chapter's notebook from the published site's branch
# (see .github/workflows/pages.yml); fashion_lessons.sphinxext.notebooks makes it.
fashion_lessons_colab_repository = "fashion-lessons/fashion-lessons"
fashion_lessons_colab_branch = "gh-pages"
# The book's mark, drawn for it (docs/_static/fashion-lessons-logo.svg): a T-shirt
# wearing a small network, on a tile that reads on light and dark pages alike. It is
# the browser tab's icon and the logo above the title in the sidebar.
html_favicon = "docs/_static/fashion-lessons-logo.svg"
html_logo = "docs/_static/fashion-lessons-logo.svg"
html_theme_options = {
    "repository_url": "https://github.com/fashion-lessons/fashion-lessons",
    "repository_branch": "main",
    "path_to_docs": "docs",
    # The GitHub menu of every page: the repository, "Suggest edit" (the page's source
    # in GitHub's editor) and "Open issue". Links only: the page loads nothing from there.
    "use_repository_button": True,
    "use_edit_page_button": True,
    "use_issues_button": True,
    "show_toc_level": 2,
    # The title stays as text under the logo; the logo's alt text names it as a logo.
    "logo": {"text": "Fashion Lessons", "alt_text": "Fashion Lessons logo"},
    # One search field, the sidebar's (as in Jupyter Book); Ctrl+K opens the search
    # dialog either way. pydata-sphinx-theme would otherwise add a second one in a header
    # bar of its own above the page, which sphinx-book-theme does not expect.
    "navbar_persistent": [],
}

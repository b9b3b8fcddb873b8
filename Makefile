# Fashion Lessons: `make html` builds the book, `make test` runs every check.
# Both set up what they need first: .venv, the package and its extras, the data.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Written after a successful install; redone when the lock or pyproject.toml changes.
STAMP  := $(VENV)/.installed
# Every Python package at the exact version (and hash) the book was built with; `make lock`.
LOCK   := requirements.lock
SPHINXOPTS ?= -W --keep-going
BUILDDIR := _build

.PHONY: html serve test screenshots bench lint lock glue-diff data browser clean clean-cache help
.DEFAULT_GOAL := help

help:
	@echo "make html   set up .venv and the data, then build the book into $(BUILDDIR)/html"
	@echo "make test   the same set-up, then ruff and the whole test suite"
	@echo "make screenshots  every page in both modes, and the trainer, into $(BUILDDIR)/screenshots"
	@echo "make serve  live preview at http://127.0.0.1:8000, rebuilt on every save"
	@echo "make bench  measure training speed, build overhead, rebuilds and memory"
	@echo "make data   check the Fashion-MNIST files (installs Debian's package as root)"
	@echo "make lock   re-resolve $(LOCK) from pyproject.toml (then make html, make glue-diff)"
	@echo "make clean  remove the build output (keeps .venv and the execution cache)"
	@echo "make clean-cache  empty the execution cache (every chapter runs again)"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(not (3, 11) <= sys.version_info < (3, 14))' \
	|| { echo "The book needs Python 3.11, 3.12 or 3.13; $(PYTHON) is $$($(PYTHON) --version 2>&1)." \
	          "Run with another one: make html PYTHON=python3.12"; exit 1; }
	$(PYTHON) -m venv $(VENV)

# The lock has hashes, so pip checks every file it installs; the package itself
# comes after, editable and without dependencies (all of them are in the lock).
$(STAMP): $(LOCK) pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r $(LOCK)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

# One environment for every supported Python (3.11 to 3.13) and platform: the
# fewest versions of each package, with markers where a platform needs its own
# (tensorflow-cpu on x86-64 Linux). `make lock` follows a change to pyproject.toml and
# keeps every other pin; `make lock LOCKFLAGS=--upgrade` moves everything to the newest
# release in range. Then `make html` and compare the glued numbers (README, "The
# locked environment").
LOCKFLAGS ?=
lock: $(STAMP)
	@if ls $(BUILDDIR)/jupyter_execute/*.glue.json >/dev/null 2>&1; then \
	   rm -rf $(BUILDDIR)/glue-before && mkdir -p $(BUILDDIR)/glue-before \
	   && cp $(BUILDDIR)/jupyter_execute/*.glue.json $(BUILDDIR)/glue-before/ \
	   && echo "Kept the current glued values in $(BUILDDIR)/glue-before: after make html, make glue-diff"; \
	 fi
	$(BIN)/uv pip compile pyproject.toml --all-extras --universal --python-version 3.11 \
		--fork-strategy fewest --generate-hashes --custom-compile-command "make lock" \
		--quiet $(LOCKFLAGS) -o $(LOCK)

# Which glued numbers moved since `make lock` kept a copy of them.
glue-diff: $(STAMP)
	$(BIN)/python -m fashion_lessons.gluediff $(BUILDDIR)/glue-before $(BUILDDIR)/jupyter_execute

# The loader verifies the files; if they are missing and we are root on Debian,
# install Debian's package, otherwise say how to get them (the build will then
# try Keras's download, which needs internet).
data: $(STAMP)
	@$(BIN)/python -m fashion_lessons.data --no-download >/dev/null 2>&1 \
	|| { if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	       echo "Installing Debian's dataset-fashion-mnist ..."; \
	       apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dataset-fashion-mnist >/dev/null; \
	     fi; }
	@$(BIN)/python -m fashion_lessons.data --no-download \
	|| echo "Fashion-MNIST is not on this machine (see above); the build will try Keras's download."

html: data
	$(BIN)/sphinx-build -c . $(SPHINXOPTS) docs $(BUILDDIR)/html
	@echo "The book is in $(BUILDDIR)/html/index.html"

# Rebuilds when a chapter, conf.py or the package changes; only the changed chapters run.
serve: data
	$(BIN)/sphinx-autobuild -c . $(SPHINXOPTS) --watch fashion_lessons --watch conf.py \
		--ignore '*/jupyter_execute/*' --port 8000 docs $(BUILDDIR)/html

# The browser tests use Debian's Chromium (never a downloaded browser) and axe-core
# from npm, kept in .venv/node_modules.
AXE := $(VENV)/node_modules/axe-core/axe.min.js
browser: $(AXE)
	@command -v chromium >/dev/null \
	|| { if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	       echo "Installing Debian's chromium ..."; \
	       apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	     else echo "Install Chromium at /usr/bin/chromium for the browser tests (apt-get install chromium)."; fi; }

$(AXE): | $(BIN)/python
	@command -v npm >/dev/null \
	|| { if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	       echo "Installing Debian's npm ..."; \
	       apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; \
	     else echo "Install Node.js and npm for the accessibility checks (apt-get install npm)."; fi; }
	npm install --silent --no-save --no-package-lock --prefix $(VENV) axe-core@4

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml

# The book is built first, as `make html` does, so that no test competes with its
# chapters for the CPU (their timings are glued into the pages); then the tests check
# that very book (--built-book) on every core (pytest-xdist).
test: html browser lint
	$(BIN)/python -m pytest tests -n auto --dist worksteal --built-book $(BUILDDIR)/html

# The browser tests photograph only what fails a check; this runs the two that look at
# everything and asks them for a picture of every page, in light and dark mode, and of
# the trainer widget, into $(BUILDDIR)/screenshots, for an author to look at.
screenshots: html browser
	$(BIN)/python -m pytest tests/test_browser.py tests/test_trainer.py -n auto --screenshots \
		-k "every_page_in_the_browser or widget_is_accessible" --built-book $(BUILDDIR)/html
	@echo "The screenshots are in $(BUILDDIR)/screenshots"

# Prints a table and writes $(BUILDDIR)/benchmarks.json; takes a while (it builds the book).
bench: data
	$(BIN)/python -m fashion_lessons.benchmarks --output $(BUILDDIR)/benchmarks.json

clean:
	rm -rf $(BUILDDIR) docs/jupyter_execute .pytest_cache .ruff_cache .hypothesis

# The executed chapters, kept by content (FASHION_LESSONS_CACHE, else ~/.cache/fashion-lessons).
clean-cache:
	rm -rf "$$($(BIN)/python -c 'from fashion_lessons.sphinxext.execution import cache_dir; print(cache_dir())')"

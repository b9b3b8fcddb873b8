"""The built book in a real browser: Debian's Chromium, driven by Playwright.

The site is served from 127.0.0.1; every request to another host is refused and
recorded, so "works offline" is checked, not assumed. Every page is opened once, with
the system in light mode (every other page, one after another in one tab as a reader
following links would) or in dark mode (the rest, in another tab), checked, then checked
again after the system turns to the other mode (the home page and a chapter are also
opened as a first visit in each mode: a fresh browser profile, nothing in localStorage).
In each mode the page follows the system, and has no console error or warning, no
failed (404 included) or off-site request, a favicon that loads, exactly one visible
search field at 1280 px, typeset math, the figures of that mode shown, images that load
and have alt text, and no serious or critical axe-core finding (every rule in the mode
it was opened in; after the switch the rules whose outcome colours can change). A page
with a problem is photographed into ``_build/screenshots/``; with ``--screenshots``
(``make screenshots``) every page is, in both modes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = pytest.mark.book

AXE = ROOT / ".venv" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "_build" / "screenshots"
MODES = ("light", "dark")
REPOSITORY = "https://github.com/fashion-lessons/fashion-lessons"
# Search fields a reader can see: the sidebar's "Search Ctrl+K" button, a search form.
SEARCH_FIELDS = ".search-button-field:visible, form.bd-search:visible"
# The page's favicon, loaded as an image: its width, 0 if it did not load or is missing.
FAVICON_WIDTH = """() => new Promise((resolve) => {
    const link = document.querySelector('link[rel~="icon"]');
    if (!link) return resolve(0);
    const image = new Image();
    image.onload = () => resolve(image.naturalWidth);
    image.onerror = () => resolve(0);
    image.src = link.href;
})"""
# The page's fonts and images have arrived (each loaded or failed).
SETTLED = "document.fonts.status === 'loaded' && [...document.images].every(i => i.complete)"
# Each figure's light or dark version whose display does not match the mode's: the
# version of the mode shown, the other hidden (by the theme's .only-light / .only-dark).
FIGURES_OF_ANOTHER_MODE = """mode => [...document.querySelectorAll('img.fl-figure')]
    .filter(i => (getComputedStyle(i).display !== 'none') !== i.classList.contains('only-' + mode))
    .map(i => i.getAttribute('src'))"""
# The theme's colour transitions after a switch of mode, done (axe would read colours
# halfway between the two modes).
TRANSITIONS_DONE = """() => Promise.allSettled(document.getAnimations()
    .filter(a => a instanceof CSSTransition).map(a => a.finished))"""
# Every CSS transition off (see switch_mode).
NO_TRANSITIONS = "*, *::before, *::after { transition: none !important; }"
# Serious and critical axe-core findings, each with up to three of its elements. `within`
# narrows the run to the element a selector names (null: the whole page), `rules` to
# those rules (null: every rule).
AXE_SERIOUS = """async ({within, rules}) => (await axe.run(within || document, {
        resultTypes: ['violations'], ...(rules ? {runOnly: {type: 'rule', values: rules}} : {})
    })).violations
    .filter(v => ['serious', 'critical'].includes(v.impact))
    .map(v => v.impact + ' ' + v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target).join(', '))"""
# What can differ between the colour modes: contrast, links told apart by colour, and
# the images (each figure has a light and a dark version). Every axe rule runs in the
# first mode; in the other, only these (the rest reads the same DOM twice).
AXE_COLOUR_RULES = ["color-contrast", "link-in-text-block", "image-alt", "role-img-alt"]


def axe_findings(page, mode: str, within: str | None = None) -> list[str]:
    """axe-core's serious and critical findings on ``page`` (or in the element ``within``
    selects), in colour mode ``mode``: every rule in the first mode, the colour rules in
    the other. The page must have axe-core (``page.add_script_tag``)."""
    rules = None if mode == MODES[0] else AXE_COLOUR_RULES
    return page.evaluate(AXE_SERIOUS, {"within": within, "rules": rules})


def switch_mode(page, mode: str) -> None:
    """Turn the system to colour ``mode`` with ``page`` open (as an operating system does
    at dusk); wait for the theme to follow (a check of ``data-theme`` says if it does
    not) and for its colours to settle. The page's CSS transitions are turned off first:
    what is checked is the mode the page ends in, and waiting for the theme's fades
    would cost a third of a second per page."""
    from playwright.sync_api import TimeoutError as Timeout

    page.add_style_tag(content=NO_TRANSITIONS)
    page.emulate_media(color_scheme=mode)
    try:
        page.wait_for_function(f"document.documentElement.dataset.theme === '{mode}'", timeout=5000)
    except Timeout:
        return
    page.evaluate(TRANSITIONS_DONE)


def pages(built_book: Path) -> list[str]:
    return sorted(
        p.relative_to(built_book).as_posix()
        for p in built_book.glob("*.html")
        if p.name not in {"genindex.html"}
    )


def chapters(built_book: Path) -> list[str]:
    """The chapters: the pages with an executed notebook to download."""
    return [
        n
        for n in pages(built_book)
        if (built_book / "_sources" / f"{Path(n).stem}.ipynb").is_file()
    ]


class PageVisit:
    """One page opened with the system in one colour mode, in a fresh browser profile
    (a new context: nothing in localStorage, as on a reader's first visit), with
    everything that went wrong on the way; :meth:`go` moves on to another page.

    ``stored`` is a colour mode the reader chose on an earlier visit: the theme keeps
    it in localStorage.
    """

    def __init__(self, browser, base: str, page: str, mode: str, stored: str | None = None):
        self.context = browser.new_context(
            color_scheme=mode, viewport={"width": 1280, "height": 900}
        )
        if stored:
            self.context.add_init_script(f"localStorage.setItem('mode', '{stored}');")
        self.offsite, self.failed, self.errors, self.warnings = [], [], [], []

        def only_local(route):
            if route.request.url.startswith(base):
                route.continue_()
            else:
                self.offsite.append(route.request.url)
                route.abort()

        self.context.route("**/*", only_local)
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        # A request the browser dropped because the tab moved on (net::ERR_ABORTED) is not
        # the site's fault; every other failure, and every 4xx or 5xx answer, is.
        self.page.on(
            "requestfailed",
            lambda r: (
                r.url.startswith(base)
                and "ERR_ABORTED" not in (r.failure or "")
                and self.failed.append(f"{r.url} {r.failure}")
            ),
        )
        self.page.on(
            "response",
            lambda r: r.status >= 400 and self.failed.append(f"{r.url} {r.status}"),
        )
        self.base = base
        self.go(page)

    def go(self, page: str) -> None:
        """Open ``page`` in this visit's tab (as a reader following a link: the browser
        keeps its cache and localStorage), forgetting what went wrong on the last one."""
        self._forget()
        # "load", then what the page still fetches (MathJax's fonts, lazy images): waiting
        # for "networkidle" instead costs half a second of idling per page.
        self.page.goto(self.base + page, wait_until="load")
        self.page.wait_for_function(SETTLED)
        if self.page.evaluate("!!window.MathJax"):
            self.page.wait_for_function(
                "!window.MathJax.startup || !!window.MathJax.startup.promise"
            )
            self.page.evaluate("window.MathJax.startup.promise")

    def switch(self, mode: str) -> None:
        """:func:`switch_mode`, forgetting what went wrong before."""
        self._forget()
        switch_mode(self.page, mode)

    def _forget(self):
        for found in (self.offsite, self.failed, self.errors, self.warnings):
            found.clear()

    def _console(self, message):
        if message.type == "error":
            self.errors.append(message.text)
        elif message.type == "warning":
            self.warnings.append(message.text)

    def problems(self, mode: str) -> list[str]:
        """What a reader's first visit with the system in ``mode`` got wrong."""
        page = self.page
        problems = [f"console error {e}" for e in self.errors]
        problems += [f"console warning {w}" for w in self.warnings]
        problems += [f"request to another host {u}" for u in self.offsite]
        problems += [f"failed request {u}" for u in self.failed]
        shown = page.evaluate(
            "[document.documentElement.dataset.mode, document.documentElement.dataset.theme]"
        )
        if shown != ["auto", mode]:
            problems.append(f"colour mode and theme {shown}, not ['auto', '{mode}']")
        if not page.evaluate(FAVICON_WIDTH):
            problems.append("no favicon, or it does not load")
        fields = page.locator(SEARCH_FIELDS).count()
        if fields != 1:
            problems.append(f"{fields} visible search fields, not one")
        return problems

    def close(self):
        self.context.close()


@pytest.mark.parametrize("opened", MODES)
def test_every_page_in_the_browser(built_book, site, browser, opened, screenshots):
    """Every other page, read one after another in one tab, opened with the system in
    ``opened`` mode, checked, then checked again after the system turns to the other
    mode; the other pages the same way from the other mode (first visits: the test
    below). Each page is loaded once: a long page's load costs about a CPU-second."""
    assert AXE.is_file(), f"axe-core is missing at {AXE}: `make test` installs it with npm"
    axe = AXE.read_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    switched = next(m for m in MODES if m != opened)
    names = pages(built_book)[MODES.index(opened) :: 2]
    problems = []
    visit = PageVisit(browser, site, names[0], opened)
    page = visit.page
    for name in names:
        if name != names[0]:
            page.emulate_media(color_scheme=opened)
            visit.go(name)
        page.add_script_tag(content=axe)
        # MathJax typeset the page's formulas (each one: content_problems).
        if 'class="math' in (built_book / name).read_text():
            if not page.evaluate("document.querySelectorAll('mjx-container').length"):
                problems.append(f"{name}: no typeset math")
        for mode in (opened, switched):
            if mode == switched:
                visit.switch(mode)
            found = visit.problems(mode) + content_problems(page, mode)
            # axe-core: every rule once, then what the colours can change.
            rules = None if mode == opened else AXE_COLOUR_RULES
            found += [f"axe {v}" for v in page.evaluate(AXE_SERIOUS, {"rules": rules})]
            problems += [f"{name} ({mode}): {p}" for p in found]
            # A page with a problem is photographed, so that a failed run shows it; every
            # page only when asked (a long page takes as long to photograph as to check).
            # An older run's picture of a page that is fine now goes.
            shot = SCREENSHOTS / f"{Path(name).stem}-{mode}.jpg"
            if found or screenshots:
                # JPEG: a long page's PNG takes longer to encode than to check the page.
                page.screenshot(path=shot, full_page=True, type="jpeg", quality=85)
            else:
                shot.unlink(missing_ok=True)
    visit.close()
    assert not problems, "\n".join(problems)


def content_problems(page, mode: str) -> list[str]:
    """What is wrong with the page's math, figures and images in colour ``mode``."""
    found = []
    # Math: every math element on the page was typeset by the vendored MathJax.
    raw_math = page.evaluate("document.querySelectorAll('.math:not(:has(mjx-container))').length")
    if raw_math:
        found.append(f"{raw_math} math elements not typeset")
    # Figures: the version of this mode shown, of the other hidden.
    found += [
        f"figure {src} shown in the wrong mode"
        for src in page.evaluate(FIGURES_OF_ANOTHER_MODE, mode)
    ]
    # Images: each loaded, and says what it shows.
    images = "[...document.images].map(i => [i.getAttribute('src'), i.alt, i.naturalWidth > 0])"
    for src, alt, loaded in page.evaluate(images):
        if not loaded:
            found.append(f"image {src} did not load")
        if not alt.strip():
            found.append(f"image {src} has no alt text")
    return found


@pytest.mark.parametrize("mode", MODES)
def test_a_first_visit_is_clean(built_book, site, browser, mode):
    """The home page and a chapter, each on a fresh profile, as a new reader sees them
    (what the test above checks on every page, without needing axe-core)."""
    problems = []
    for name in ("index.html", chapters(built_book)[0]):
        visit = PageVisit(browser, site, name, mode)
        problems += [f"{name} ({mode}): {p}" for p in visit.problems(mode)]
        visit.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("stored", MODES)
def test_a_chosen_mode_outlasts_the_system_one(site, browser, stored):
    """A reader who chose a mode keeps it on the next visit, whatever the system's."""
    system = next(m for m in MODES if m != stored)
    visit = PageVisit(browser, site, "index.html", system, stored=stored)
    shown = visit.page.evaluate(
        "[document.documentElement.dataset.mode, document.documentElement.dataset.theme]"
    )
    assert shown == [stored, stored]
    assert not visit.errors and not visit.warnings
    visit.close()


def test_ctrl_k_opens_the_search(built_book, site, browser):
    """The one search field is the sidebar's; Ctrl+K opens the search from anywhere, and
    the search finds pages offline."""
    visit = PageVisit(browser, site, chapters(built_book)[0], "light")
    page = visit.page
    field = page.locator(SEARCH_FIELDS)
    assert field.count() == 1
    assert field.evaluate("f => !!f.closest('.bd-sidebar-primary')")
    page.keyboard.press("Control+k")
    page.wait_for_selector("#pst-search-dialog[open]")
    assert page.evaluate("!!document.activeElement.closest('#pst-search-dialog')")
    page.keyboard.type("softmax")
    page.keyboard.press("Enter")
    page.wait_for_selector("#search-results li", timeout=15000)
    assert "search.html?q=softmax" in page.url
    assert page.evaluate("[...document.querySelectorAll('#search-results li a')].length") > 0
    assert not visit.errors and not visit.offsite and not visit.failed
    visit.close()


def test_pages_link_to_their_source_and_to_issues(built_book, site, browser):
    """Every page built from a source offers "Suggest edit" on that very file in the
    repository, and "Open issue"; in a chapter's GitHub menu they are one click away.
    They are links only: the page requests nothing from GitHub."""
    for name in pages(built_book):
        if name == "search.html":
            continue
        html = (built_book / name).read_text()
        edit = re.search(r'href="([^"]+)"[^>]*class="[^"]*btn-source-edit-button', html)
        assert edit, f"{name} has no edit button"
        source = f"docs/{Path(name).stem}.md"
        assert edit.group(1) == f"{REPOSITORY}/edit/main/{source}"
        assert (ROOT / source).is_file(), f"{name}'s edit button names a missing {source}"
        assert f'href="{REPOSITORY}/issues/new?' in html, f"{name} has no issue button"
    visit = PageVisit(browser, site, chapters(built_book)[0], "light")
    page = visit.page
    page.click(".dropdown-source-buttons > button")
    edit = page.locator("a.btn-source-edit-button")
    issue = page.locator("a.btn-source-issues-button")
    edit.wait_for(state="visible")
    issue.wait_for(state="visible")
    assert edit.get_attribute("href").startswith(f"{REPOSITORY}/edit/main/docs/")
    assert issue.get_attribute("href").startswith(f"{REPOSITORY}/issues/new?")
    assert not visit.offsite and not visit.errors
    visit.close()


def test_the_book_works_from_disk(built_book, browser):
    """Opened straight from the file system (file://), pages typeset their math offline."""
    page_name = next(n for n in pages(built_book) if 'class="math' in (built_book / n).read_text())
    context = browser.new_context()
    offsite = []
    context.route(
        "**/*",
        lambda r: (
            r.continue_()
            if r.request.url.startswith("file://")
            else (offsite.append(r.request.url), r.abort())
        ),
    )
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((built_book / page_name).as_uri())
    page.wait_for_function("document.querySelectorAll('mjx-container').length > 0")
    assert not errors and not offsite
    context.close()

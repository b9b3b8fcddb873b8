"""The built book in a real browser: Debian's Chromium, driven by Playwright.

The site is served from 127.0.0.1; every request to another host is refused and
recorded, so "works offline" is checked, not assumed. For every page, in light and
in dark mode: no console error, no failed or off-site request, typeset math,
images that load and have alt text, and no serious or critical axe-core finding.
A screenshot of each page in each mode is kept under ``_build/screenshots/``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, serve

pytestmark = pytest.mark.book

AXE = ROOT / ".venv" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "_build" / "screenshots"
MODES = ("light", "dark")
# Serious and critical axe-core findings, each with up to three of its elements.
AXE_SERIOUS = """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
    .filter(v => ['serious', 'critical'].includes(v.impact))
    .map(v => v.impact + ' ' + v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target).join(', '))"""


@pytest.fixture(scope="module")
def site(built_book):
    """The built book served on 127.0.0.1; yields its base URL."""
    with serve(built_book) as base:
        yield base


def pages(built_book: Path) -> list[str]:
    return sorted(
        p.relative_to(built_book).as_posix()
        for p in built_book.glob("*.html")
        if p.name not in {"genindex.html"}
    )


class PageVisit:
    """One page opened in one colour mode, with everything that went wrong on the way."""

    def __init__(self, browser, base: str, page: str, mode: str):
        self.context = browser.new_context(
            color_scheme=mode, viewport={"width": 1280, "height": 900}
        )
        # sphinx-book-theme keeps the reader's choice in localStorage.
        self.context.add_init_script(f"localStorage.setItem('mode', '{mode}');")
        self.offsite, self.failed, self.errors = [], [], []

        def only_local(route):
            if route.request.url.startswith(base):
                route.continue_()
            else:
                self.offsite.append(route.request.url)
                route.abort()

        self.context.route("**/*", only_local)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on(
            "requestfailed",
            lambda r: r.url.startswith(base) and self.failed.append(f"{r.url} {r.failure}"),
        )
        self.page.on(
            "response",
            lambda r: r.status >= 400 and self.failed.append(f"{r.url} {r.status}"),
        )
        self.page.goto(base + page)
        self.page.wait_for_load_state("networkidle")
        if self.page.evaluate("!!window.MathJax"):
            self.page.wait_for_function(
                "!window.MathJax.startup || !!window.MathJax.startup.promise"
            )
            self.page.evaluate("window.MathJax.startup.promise")

    def close(self):
        self.context.close()


@pytest.mark.parametrize("mode", MODES)
def test_every_page_in_the_browser(built_book, site, browser, mode):
    assert AXE.is_file(), f"axe-core is missing at {AXE}: `make test` installs it with npm"
    axe = AXE.read_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems = []
    for name in pages(built_book):
        visit = PageVisit(browser, site, name, mode)
        page = visit.page
        assert page.evaluate("document.documentElement.dataset.theme") == mode
        where = f"{name} ({mode})"
        problems += [f"{where}: console error {e}" for e in visit.errors]
        problems += [f"{where}: request to another host {u}" for u in visit.offsite]
        problems += [f"{where}: failed request {u}" for u in visit.failed]
        # Math: every math element on the page was typeset by the vendored MathJax.
        raw_math = page.evaluate(
            "document.querySelectorAll('.math:not(:has(mjx-container))').length"
        )
        if raw_math:
            problems.append(f"{where}: {raw_math} math elements not typeset")
        # Images: each loaded, and says what it shows.
        images = "[...document.images].map(i => [i.getAttribute('src'), i.alt, i.naturalWidth > 0])"
        for src, alt, loaded in page.evaluate(images):
            if not loaded:
                problems.append(f"{where}: image {src} did not load")
            if not alt.strip():
                problems.append(f"{where}: image {src} has no alt text")
        page.add_script_tag(content=axe)
        violations = page.evaluate(AXE_SERIOUS)
        problems += [f"{where}: axe {v}" for v in violations]
        page.screenshot(path=SCREENSHOTS / f"{Path(name).stem}-{mode}.png", full_page=True)
        visit.close()
    assert not problems, "\n".join(problems)


def test_math_is_typeset_from_the_site_itself(built_book, site, browser):
    page_name = next(n for n in pages(built_book) if 'class="math' in (built_book / n).read_text())
    visit = PageVisit(browser, site, page_name, "light")
    assert visit.page.evaluate("document.querySelectorAll('mjx-container').length") > 0
    assert not visit.offsite
    visit.close()


def test_search_works_offline(site, browser):
    visit = PageVisit(browser, site, "search.html?q=softmax", "light")
    visit.page.wait_for_selector("#search-results li", timeout=15000)
    hits = visit.page.evaluate("[...document.querySelectorAll('#search-results li a')].length")
    assert hits > 0 and not visit.offsite
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

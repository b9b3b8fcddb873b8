"""The in-page widgets in a real browser: the walkthrough's network and the optimizer explorer.

The prediction widget must give Keras's answers for every exported test image, react to
drawing and to the keyboard, and work from ``file://`` with the network off. The
explorer's paths must be ``fashion_lessons.surfaces.trajectory``'s. The explorer is
tested on the book's page that embeds ``docs/_static/explorer-snippet.html`` or, while no
chapter does, on a bare page made of that snippet and the explorer's files.
"""

from __future__ import annotations

import contextlib
import re
import shutil

import numpy as np
import pytest
from conftest import DOCS, serve, sphinx_build
from test_browser import AXE, MODES, PageVisit, axe_findings, switch_mode

from fashion_lessons import optimizers, surfaces
from fashion_lessons.data import CLASS_NAMES
from fashion_lessons.export import EXPORT_FILENAME, read_browser_export
from fashion_lessons.sphinxext.widgets import EXPLORER_MARK, EXPORT_SUBDIR

pytestmark = pytest.mark.book

WALKTHROUGH = "fashion-mnist-walkthrough.html"
STATIC = DOCS / "_static"
STATUS = ".fl-predict .fl-status"


@pytest.fixture(scope="module")
def exported(built_book):
    """The network and sample the build exported, read back in Python."""
    return read_browser_export(built_book / "_static" / EXPORT_SUBDIR / EXPORT_FILENAME)


@pytest.fixture(scope="module")
def explorer_page(built_book, tmp_path_factory):
    """(directory, page) of a page with the explorer: a chapter's, or a bare one."""
    chapters = sorted(p.name for p in built_book.glob("*.html") if EXPLORER_MARK in p.read_text())
    if chapters:
        return built_book, chapters[0]
    bare = tmp_path_factory.mktemp("explorer")
    for name in (
        "fashion-lessons-dom.js",
        "fashion-lessons-explorer.js",
        "fashion-lessons-widgets.css",
    ):
        shutil.copy(STATIC / name, bare)
    snippet = (STATIC / "explorer-snippet.html").read_text()
    (bare / "explorer.html").write_text(
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>Optimizer explorer</title>"
        '<link rel="stylesheet" href="fashion-lessons-widgets.css">'
        '<script src="fashion-lessons-dom.js"></script>'
        '<script src="fashion-lessons-explorer.js"></script></head>'
        f"<body><main><h1>Optimizer explorer</h1>\n{snippet}</main></body></html>\n"
    )
    return bare, "explorer.html"


@pytest.fixture(scope="module")
def explorer_site(explorer_page):
    with serve(explorer_page[0]) as base:
        yield base


@pytest.fixture(scope="module")
def explorer(explorer_site, explorer_page, browser):
    """The explorer's page, opened once for the tests that call its functions (each call
    starts from its own arguments: no state is shared)."""
    with visit(browser, explorer_site, explorer_page[1]) as page:
        page.wait_for_function("() => window.fashionLessons && window.fashionLessons.explorer")
        yield page


@contextlib.contextmanager
def visit(browser, base, page, mode="light"):
    """A page opened as test_browser opens it; fails on any console error or bad request."""
    v = PageVisit(browser, base, page, mode)
    try:
        yield v.page
        assert not v.errors, f"console errors on {page}: {v.errors}"
        assert not v.offsite, f"requests to other hosts from {page}: {v.offsite}"
        assert not v.failed, f"failed requests on {page}: {v.failed}"
    finally:
        v.close()


def bar_values(page) -> list[float]:
    """The ten percentages the widget shows, as probabilities."""
    texts = page.locator(".fl-predict .fl-bar-value").all_inner_texts()
    assert all(re.fullmatch(r"\d+\.\d%", t) for t in texts), texts
    return [float(t[:-1]) / 100 for t in texts]


# -- The prediction widget -----------------------------------------------------------------


def test_the_build_exports_the_walkthrough_network_for_its_page_only(built_book, exported):
    sample = exported["sample"]
    assert sample["count"] >= 200
    assert [layer["type"] for layer in exported["layers"]] == ["flatten", "dense", "dense"]
    assert [layer.get("units") for layer in exported["layers"]] == [None, 128, 10]
    np.testing.assert_allclose(sample["probabilities"].sum(axis=1), 1.0, atol=1e-5)
    script = f"_static/{EXPORT_SUBDIR}/{EXPORT_FILENAME}"
    assert script in (built_book / WALKTHROUGH).read_text()
    others = [p for p in built_book.glob("*.html") if p.name != WALKTHROUGH]
    assert others and not any(script in p.read_text() for p in others)


def test_page_predictions_are_keras_predictions_for_every_sample_image(site, browser, exported):
    with visit(browser, site, WALKTHROUGH) as page:
        page.wait_for_function("() => window.fashionLessons && window.fashionLessons.widgets")
        predicted = np.array(
            page.evaluate(
                """() => {
                const fl = window.fashionLessons;
                return fl.sample.images.map(image => fl.predict(Array.from(image, v => v / 255)));
            }"""
            )
        )
        in_page_keras = np.array(page.evaluate("window.fashionLessons.sample.kerasProbabilities"))
    keras_probabilities = exported["sample"]["probabilities"]
    labels = exported["sample"]["labels"]
    assert predicted.shape == keras_probabilities.shape == (exported["sample"]["count"], 10)
    np.testing.assert_array_equal(in_page_keras, keras_probabilities)
    np.testing.assert_allclose(predicted, keras_probabilities, atol=1e-4, rtol=0)
    page_accuracy = np.mean(predicted.argmax(axis=1) == labels)
    keras_accuracy = np.mean(keras_probabilities.argmax(axis=1) == labels)
    assert page_accuracy == keras_accuracy
    assert page_accuracy > 0.75


def test_picking_a_test_image_shows_it_with_its_prediction(site, browser, exported):
    sample = exported["sample"]
    i = 42
    keras_probabilities = sample["probabilities"][i]
    best = int(keras_probabilities.argmax())
    with visit(browser, site, WALKTHROUGH, "dark") as page:
        page.fill(".fl-predict input[type=number]", str(sample["indices"][i]))
        page.press(".fl-predict input[type=number]", "Enter")
        status = page.locator(STATUS).inner_text()
        assert f"test image {sample['indices'][i]}" in status
        assert f"{CLASS_NAMES[best]}, {100 * keras_probabilities[best]:.1f}%" in status
        assert ("Right." if best == sample["labels"][i] else "Wrong.") in status
        truth = page.locator(".fl-predict .fl-truth").inner_text()
        assert truth == f"True class: {CLASS_NAMES[sample['labels'][i]]}"
        np.testing.assert_allclose(bar_values(page), keras_probabilities, atol=0.0006)
        assert page.locator(".fl-predict input[type=range]").first.input_value() == "42"
        pressed = page.locator(".fl-thumb[aria-pressed=true]")
        assert pressed.count() == 1
        assert pressed.get_attribute("aria-label").startswith(f"Test image {sample['indices'][i]}")
        # The image shown is the sample image, drawn bright on dark as the data are.
        pixels = page.evaluate(
            """() => Array.from(document.querySelector('.fl-input-canvas').getContext('2d')
                .getImageData(0, 0, 28, 28).data.filter((_, k) => k % 4 === 0))"""
        )
        np.testing.assert_array_equal(np.reshape(pixels, (28, 28)), sample["images"][i])


def test_drawing_on_the_canvas_changes_the_prediction(site, browser):
    with visit(browser, site, WALKTHROUGH) as page:
        before = page.locator(STATUS).inner_text()
        bars_before = bar_values(page)
        canvas = page.locator(".fl-draw-canvas")
        canvas.scroll_into_view_if_needed()
        box = canvas.bounding_box()

        def at(x, y):  # canvas fractions -> page coordinates
            return box["x"] + x * box["width"], box["y"] + y * box["height"]

        # A pair of trousers: two long legs joined at the waist, filled with strokes.
        page.mouse.move(*at(0.3, 0.1))
        page.mouse.down()
        for y in np.linspace(0.1, 0.2, 3):
            page.mouse.move(*at(0.3, y), steps=4)
            page.mouse.move(*at(0.7, y), steps=8)
        for x in (0.32, 0.4, 0.6, 0.68):
            page.mouse.move(*at(x, 0.15), steps=4)
            page.mouse.move(*at(x, 0.9), steps=12)
        page.mouse.up()
        page.wait_for_function(
            f"document.querySelector('{STATUS}').textContent.includes('your drawing')"
        )
        after = page.locator(STATUS).inner_text()
        assert after != before and after.startswith("Prediction for your drawing: ")
        assert "none, this is your drawing" in page.locator(".fl-predict .fl-truth").inner_text()
        shown = bar_values(page)
        assert shown != bars_before
        # What the network saw: the drawing cropped, scaled to fill 28 pixels, in [0, 1].
        seen = np.array(page.evaluate("window.fashionLessons.widgets[0].lastInput"))
        assert seen.shape == (784,) and seen.min() >= 0 and seen.max() <= 1
        rows, cols = np.nonzero(seen.reshape(28, 28) > 0.02)
        assert max(np.ptp(rows), np.ptp(cols)) + 1 == 28
        expected = page.evaluate("p => window.fashionLessons.predict(p)", seen.tolist())
        np.testing.assert_allclose(shown, expected, atol=0.0006)
        assert CLASS_NAMES[int(np.argmax(expected))] in after
        # Clear brings back the test image that was shown.
        page.click(".fl-predict button:has-text('Clear')")
        assert page.locator(STATUS).inner_text() == "Drawing cleared. " + before
        assert page.evaluate(
            "document.querySelector('.fl-draw-canvas').getContext('2d')"
            ".getImageData(0, 0, 280, 280).data.every((v, k) => k % 4 === 3 || v === 0)"
        )


def test_the_widget_works_from_the_keyboard(site, browser, exported):
    indices = exported["sample"]["indices"]
    with visit(browser, site, WALKTHROUGH) as page:
        slider = page.locator(".fl-predict input[type=range]").first
        slider.focus()
        page.keyboard.press("ArrowRight")
        assert f"test image {indices[1]}:" in page.locator(STATUS).inner_text()
        # Every control is reached with Tab, in reading order; the gallery is one stop.
        stops = []
        for _ in range(6):
            page.keyboard.press("Tab")
            stops.append(
                page.evaluate(
                    """() => {
                        const e = document.activeElement;
                        return e.closest('.fl-predict') ? e.className || e.type : null;
                    }"""
                )
            )
        assert stops == ["number", "fl-thumb", "range", "fl-button", "fl-button", None]
        # The gallery: arrow keys pick, End goes to the last image.
        page.locator(".fl-thumb[aria-pressed=true]").focus()
        page.keyboard.press("ArrowRight")
        assert f"test image {indices[2]}:" in page.locator(STATUS).inner_text()
        page.keyboard.press("End")
        assert f"test image {indices[-1]}:" in page.locator(STATUS).inner_text()
        assert page.evaluate("document.activeElement.getAttribute('aria-pressed')") == "true"
        # The result is announced, labelled and not told by colour alone.
        status = page.locator(STATUS)
        assert status.get_attribute("role") == "status"
        assert status.get_attribute("aria-live") == "polite"
        labels = page.locator(".fl-predict .fl-bar-name").all_inner_texts()
        assert labels == list(CLASS_NAMES)
        assert "predicted" in page.locator(".fl-predict .fl-best .fl-bar-tag").inner_text()
        assert page.locator(".fl-draw-canvas").get_attribute("aria-label")


def test_the_widget_works_from_disk_with_the_network_off(built_book, browser, exported):
    context = browser.new_context(offline=True)  # a fresh profile: nothing stored
    page = context.new_page()
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((built_book / WALKTHROUGH).as_uri())
    page.wait_for_load_state("load")
    page.wait_for_function("() => window.fashionLessons && window.fashionLessons.widgets")
    image = exported["sample"]["images"][0].ravel() / 255
    predicted = page.evaluate("p => window.fashionLessons.predict(p)", image.tolist())
    np.testing.assert_allclose(predicted, exported["sample"]["probabilities"][0], atol=1e-4)
    assert "Prediction for test image" in page.locator(STATUS).inner_text()
    context.close()
    assert not errors
    assert all(url.startswith(("file://", "data:", "blob:")) for url in requests), requests


def test_a_widget_without_what_it_needs_fails_the_build_naming_its_page(tmp_path):
    """A prediction widget with no exported network, a training widget whose link goes
    to a missing prediction page: one build (it keeps going) names both."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "index.md").write_text("# Widgets\n\n```{toctree}\npredict\ntrain\n```\n")
    (src / "predict.md").write_text(
        "# A widget without a network\n\n```{fashion-lessons-predict}\n```\n"
    )
    (src / "train.md").write_text(
        "# A link to nowhere\n\n```{fashion-lessons-train}\n:predict: nowhere\n```\n"
    )
    result = sphinx_build(src, tmp_path / "html")
    assert result.returncode != 0
    assert "predict has a prediction widget, but no network was exported" in result.stderr
    assert re.search(r"train\.md.*\bnowhere\b", result.stderr), result.stderr


# -- The optimizer explorer -------------------------------------------------------------

CHAPTER_SETTINGS = {
    "quadratic": {
        "gd": {"learning_rate": 0.12},
        "momentum": {"learning_rate": 0.12, "momentum": 0.5},
        "nesterov": {"learning_rate": 0.12, "momentum": 0.5},
        "rmsprop": {"learning_rate": 0.2},
        "adam": {"learning_rate": 0.3},
    },
    "rosenbrock": {
        "gd": {"learning_rate": 0.001},
        "momentum": {"learning_rate": 0.001, "momentum": 0.9},
        "nesterov": {"learning_rate": 0.001, "momentum": 0.9},
        "rmsprop": {"learning_rate": 0.005},
        "adam": {"learning_rate": 0.1},
    },
}
SURFACES = {
    "quadratic": (surfaces.quadratic_grad, (-4.0, 1.0)),
    "rosenbrock": (surfaces.rosenbrock_grad, (-1.2, 1.0)),
}
# Other settings and start points, so that no constant can hide in the page.
OTHER_SETTINGS = {
    "quadratic": (
        (1.5, -0.7),
        {
            "gd": {"learning_rate": 0.19},
            "momentum": {"learning_rate": 0.03, "momentum": 0.95},
            "nesterov": {"learning_rate": 0.05, "momentum": 0.8},
            "rmsprop": {"learning_rate": 0.01},
            "adam": {"learning_rate": 0.05},
        },
    ),
    "rosenbrock": (
        (0.3, -0.2),
        {
            "gd": {"learning_rate": 0.0015},
            "momentum": {"learning_rate": 0.0005, "momentum": 0.7},
            "nesterov": {"learning_rate": 0.0007, "momentum": 0.85},
            "rmsprop": {"learning_rate": 0.02},
            "adam": {"learning_rate": 0.02},
        },
    ),
}


def python_optimizer(name: str, settings: dict) -> optimizers.Optimizer:
    lr = settings["learning_rate"]
    if name == "rmsprop":
        return optimizers.RMSprop(lr)
    if name == "adam":
        return optimizers.Adam(lr)
    return optimizers.SGD(lr, momentum=settings.get("momentum", 0.0), nesterov=name == "nesterov")


def js_options(surface: str, settings: dict, start, steps: int) -> dict:
    options = {"surface": surface, "learningRate": settings["learning_rate"], "steps": steps}
    options["start"] = list(start)
    if "momentum" in settings:
        options["momentum"] = settings["momentum"]
    return options


# Starts next to the minimum, where gradients are tiny and the place of epsilon (inside
# RMSprop's square root, Adam's epsilon hat) decides the step.
NEAR_MINIMUM = {"quadratic": (2e-5, -1e-5), "rosenbrock": (1 + 1e-6, 1 - 1e-6)}


def explorer_cases(steps=50):
    for surface, (_, start) in SURFACES.items():
        other_start, others = OTHER_SETTINGS[surface]
        for name, settings in CHAPTER_SETTINGS[surface].items():
            yield surface, name, settings, start, steps
            yield surface, name, others[name], other_start, steps
            yield surface, name, settings, NEAR_MINIMUM[surface], steps


def test_explorer_paths_are_the_python_trajectories(explorer):
    cases = list(explorer_cases())
    paths = explorer.evaluate(
        "cases => cases.map(([name, o]) => window.fashionLessons.explorer.trajectory(name, o))",
        [
            [name, js_options(s, settings, start, steps)]
            for s, name, settings, start, steps in cases
        ],
    )
    assert len(paths) == 30
    for (surface, name, settings, start, steps), path in zip(cases, paths):
        grad = SURFACES[surface][0]
        expected = surfaces.trajectory(python_optimizer(name, settings), grad, start, steps)
        assert np.shape(path) == (51, 2)
        assert np.isfinite(expected).all()
        where = f"{name} on the {surface} from {start}"
        np.testing.assert_allclose(path, expected, atol=1e-6, rtol=0, err_msg=where)
        # The same operations in the same order: equal to rounding, far inside 1e-6.
        np.testing.assert_allclose(path, expected, atol=1e-12, rtol=1e-12, err_msg=where)


def test_explorer_defaults_are_the_chapter_settings(explorer):
    defaults = explorer.evaluate(
        """() => window.fashionLessons.explorer.optimizers.flatMap(name =>
            ['quadratic', 'rosenbrock'].map(surface =>
                window.fashionLessons.explorer.trajectory(name, {surface})))"""
    )
    names = ["gd", "momentum", "nesterov", "rmsprop", "adam"]
    steps = {"quadratic": 40, "rosenbrock": 1000}  # as the chapter draws them
    for k, path in enumerate(defaults):
        name, surface = names[k // 2], ["quadratic", "rosenbrock"][k % 2]
        grad, start = SURFACES[surface]
        optimizer = python_optimizer(name, CHAPTER_SETTINGS[surface][name])
        expected = surfaces.trajectory(optimizer, grad, start, steps[surface])
        np.testing.assert_allclose(path, expected, atol=1e-6, rtol=0, err_msg=f"{surface} {name}")


def test_explorer_controls_and_accessibility(explorer_site, explorer_page, browser):
    """The controls redraw the path as the chapter would; axe-core finds nothing serious
    in the explorer, in light mode and after the system turns dark."""
    with visit(browser, explorer_site, explorer_page[1], MODES[0]) as page:
        root = page.locator(".fl-explorer").first
        root.scroll_into_view_if_needed()
        drawn = page.evaluate("window.fashionLessons.explorer.instances[0].paths.at(-1).points")
        expected = surfaces.trajectory(optimizers.SGD(0.12), *SURFACES["quadratic"], 40)
        np.testing.assert_allclose(drawn, expected, atol=1e-6, rtol=0)
        status = root.locator(".fl-status")
        assert status.get_attribute("aria-live") == "polite"
        assert status.inner_text().startswith("Gradient descent: after 40 steps")
        # Choosing an optimizer takes the chapter's learning rate for it.
        root.get_by_label("Adam").check()
        assert root.get_by_label("Learning rate", exact=True).input_value() == "0.3"
        assert status.inner_text().startswith("Adam: after 40 steps")
        # Typing a learning rate redraws the path with it.
        root.get_by_label("Learning rate", exact=True).fill("0.05")
        drawn = page.evaluate("window.fashionLessons.explorer.instances[0].paths.at(-1).points")
        expected = surfaces.trajectory(optimizers.Adam(0.05), *SURFACES["quadratic"], 40)
        np.testing.assert_allclose(drawn, expected, atol=1e-6, rtol=0)
        # A click on the plot sets the start there.
        canvas = root.locator("canvas.fl-explorer-canvas")
        box = canvas.bounding_box()
        canvas.click(position={"x": box["width"] * 0.5, "y": box["height"] * 0.4})
        x = float(root.get_by_label("Start x").input_value())
        y = float(root.get_by_label("Start y").input_value())
        assert (x, y) != (-4.0, 1.0) and -4.6 < x < 1.6 and -1.3 < y < 1.3
        # The keyboard moves it too, from the focused plot.
        canvas.focus()
        page.keyboard.press("ArrowRight")
        assert float(root.get_by_label("Start x").input_value()) > x
        assert "Contour plot of the elongated quadratic" in canvas.get_attribute("aria-label")
        # A bad value says what is wrong and keeps the last good path.
        root.get_by_label("Learning rate", exact=True).fill("0")
        assert "learning rate above 0" in root.locator(".fl-error").inner_text()
        root.get_by_label("Learning rate", exact=True).fill("0.3")
        assert not root.locator(".fl-error").is_visible()
        # The other surface, with the chapter's start, and every path for comparison.
        root.get_by_label("Loss surface").select_option("rosenbrock")
        assert root.get_by_label("Start x").input_value() == "-1.2"
        root.get_by_label("Also show the other optimizers", exact=False).check()
        assert root.locator(".fl-legend li").count() == 5
        if AXE.is_file():
            page.add_script_tag(content=AXE.read_text())
            # The explorer alone (the browser pass checks its page, in both modes): every
            # rule in light mode, the colour rules after the system turns dark.
            for mode in MODES:
                switch_mode(page, mode)
                assert axe_findings(page, mode, within=".fl-explorer") == [], mode

"""Training in the page (network-from-scratch): the book's arithmetic, in a worker, offline.

In Chromium, 50 steps of the page's SGD, momentum and Adam land on the weights of the
package's numpy ``MLP`` given the same initial weights and batches; two epochs of Adam
reach 80 % on the shipped test images (the time is printed, not asserted); a click is
handled while the worker trains; the images and the widget's scripts load only when the
reader opens it; the network the reader trained reaches the walkthrough's prediction
widget, from a server and from disk; no serious axe finding, light or dark.
"""

from __future__ import annotations

import base64
import contextlib
import json
import math
import re
import zlib
from itertools import islice

import nbformat
import numpy as np
import pytest
from conftest import sphinx_build
from test_browser import AXE, MODES, SCREENSHOTS, axe_findings, switch_mode
from test_notebooks import BOOK
from test_widgets import visit

from fashion_lessons.browser_sample import SAMPLE_FILENAME, SIZES, read_training_sample
from fashion_lessons.minibatch import batch_indices
from fashion_lessons.mlp import MLP
from fashion_lessons.optimizers import SGD, Adam
from fashion_lessons.sphinxext.plain_notebook import plain_notebook
from fashion_lessons.sphinxext.widgets import EXPORT_SUBDIR, TRAIN_ASSETS, TRAIN_MARK

pytestmark = pytest.mark.book

PAGE = "network-from-scratch.html"
WALKTHROUGH = "fashion-mnist-walkthrough.html"
WIDGET = "[data-fashion-lessons-train]"
LAZY = (*TRAIN_ASSETS[1:], SAMPLE_FILENAME)  # the style sheet may be on the page already
STORAGE_KEY = "fashion-lessons-trained-network"
# Small and quick settings for the tests that only need a run to finish.
QUICK = {"optimizer": "adam", "batchSize": 128, "hiddenUnits": 16, "epochs": 1, "seed": 1}


@pytest.fixture(scope="module")
def shipped(built_book):
    """The sample the build shipped, read back in Python."""
    return read_training_sample(built_book / "_static" / EXPORT_SUBDIR / SAMPLE_FILENAME)


@pytest.fixture(scope="module")
def trainer(site, browser):
    """The page with the trainer's scripts and images loaded, once, for the tests that call
    its functions (each call starts from its own arguments: no state is shared)."""
    with visit(browser, site, PAGE) as page:
        page.evaluate("window.fashionLessons.loadTrainer()")
        yield page


def open_widget(page):
    """Open the widget as a reader does, from the keyboard; wait for its images."""
    page.focus(f"{WIDGET} > summary")
    page.keyboard.press("Enter")
    page.wait_for_selector(f"{WIDGET}[data-ready]", timeout=60_000)
    return page.locator(WIDGET)


def settle(page, options):
    """Put ``options`` into the widget's controls, by their labels."""
    root = page.locator(WIDGET)
    labels = {"sgd": "SGD", "momentum": "SGD with momentum 0.9", "adam": "Adam"}
    root.get_by_label(labels[options["optimizer"]], exact=True).check()
    if "learningRate" in options:
        root.get_by_label("Learning rate", exact=True).fill(str(options["learningRate"]))
    root.get_by_label("Batch size", exact=True).select_option(str(options["batchSize"]))
    root.get_by_label("Hidden units", exact=True).select_option(str(options["hiddenUnits"]))
    root.get_by_label("Epochs", exact=True).fill(str(options["epochs"]))
    root.get_by_label("Random seed", exact=True).fill(str(options["seed"]))


def state(page) -> str:
    return page.evaluate(f"document.querySelector('{WIDGET}').dataset.state")


def last_step(page) -> int:
    return page.evaluate(
        "(w => w.points.length ? w.points.at(-1).step : 0)"
        "(window.fashionLessons.trainer.widgets[0])"
    )


# -- The arithmetic ---------------------------------------------------------------------------

OPTIMIZERS = {
    "sgd": lambda: SGD(learning_rate=0.1),
    "momentum": lambda: SGD(learning_rate=0.01, momentum=0.9),
    "adam": lambda: Adam(learning_rate=0.001),
}
LEARNING_RATES = {"sgd": 0.1, "momentum": 0.01, "adam": 0.001}


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_fifty_steps_in_the_browser_are_numpys(trainer, shipped, name):
    """The same initial weights and the same batches: the same weights after 50 steps."""
    train = shipped["train"]
    x = train.images.reshape(len(train.images), -1) / 255.0
    y = train.labels.astype(int)
    # 32 hidden units: the code the widget runs with its default 128, a quarter of the work.
    net = MLP([784, 32, 10], seed=7, dtype=np.float64)
    start = [p.copy() for p in net.params]
    # Batches of 245: the 49th is the pass's short last one, the 50th starts the next pass.
    batches = list(islice(batch_indices(len(x), 245, np.random.default_rng(3)), 50))
    assert len(batches[48]) == len(x) - 48 * 245 and len(batches[49]) == 245
    optimizer = OPTIMIZERS[name]()
    for batch in batches:
        net.train_step(x[batch], y[batch], optimizer)
    after = trainer.evaluate(
        "m => window.fashionLessons.trainer.steps(m)",
        {
            "sizes": [784, 32, 10],
            "params": [p.ravel().tolist() for p in start],
            "batches": [b.tolist() for b in batches],
            "optimizer": name,
            "learningRate": LEARNING_RATES[name],
        },
    )
    moved = max(np.abs(p - s).max() for p, s in zip(net.params, start))
    assert moved > 0.01  # far more than the tolerance: the comparison means something
    for k, (page_values, numpy_values) in enumerate(zip(after, net.params)):
        page_values = np.reshape(page_values, numpy_values.shape)
        where = f"{name}, parameter {k}"
        np.testing.assert_allclose(page_values, numpy_values, atol=1e-5, rtol=0, err_msg=where)
        # The same operations in float64: equal to rounding, far inside 1e-5.
        np.testing.assert_allclose(page_values, numpy_values, atol=1e-12, rtol=0, err_msg=where)


def test_initial_weights_are_glorot_uniform(trainer):
    W1, b1, W2, b2 = trainer.evaluate(
        """() => {
            const core = window.fashionLessons.mlpCore(null);
            return core.params(core.createNetwork([784, 128, 10], 0)).map(p => Array.from(p));
        }"""
    )
    for W, n_in, n_out in ((W1, 784, 128), (W2, 128, 10)):
        limit = math.sqrt(6 / (n_in + n_out))
        assert len(W) == n_in * n_out
        assert 0.99 * limit < np.abs(W).max() <= limit
        assert abs(np.mean(W)) < 0.02 * limit
        assert np.std(W) == pytest.approx(limit / math.sqrt(3), rel=0.02)
    assert not np.any(b1) and not np.any(b2)


# -- Speed and accuracy -----------------------------------------------------------------------


def test_two_epochs_of_adam_reach_80_percent(trainer):
    """The benchmark: its time is printed (run pytest with -s to see it), not asserted."""
    options = {"optimizer": "adam", "learningRate": 1e-3, "batchSize": 32, "epochs": 2}
    result = trainer.evaluate("o => window.fashionLessons.train(o)", options)
    print(
        f"\nIn-page training benchmark: 2 epochs of Adam (learning rate 0.001, batch 32) on "
        f"{SIZES['train']:,} images, {result['steps']} steps: {result['seconds']:.1f} s in the "
        f"worker, {result['totalSeconds']:.1f} s with loading; test accuracy "
        f"{result['testAccuracy']:.3f} on {SIZES['test']:,} test images"
    )
    assert result["steps"] == 2 * math.ceil(SIZES["train"] / 32)
    assert result["options"]["hiddenUnits"] == 128 and result["options"]["seed"] == 0
    history = result["history"]
    assert [len(history[k]) for k in ("loss", "accuracy", "val_loss", "val_accuracy")] == [2] * 4
    assert history["loss"][1] < history["loss"][0]
    assert result["testAccuracy"] >= 0.80


def test_train_has_the_widgets_defaults_and_repeats_itself(trainer):
    runs = trainer.evaluate(
        """async () => {
            const train = window.fashionLessons.train;
            const quick = {hiddenUnits: 16, epochs: 1, batchSize: 256};
            return [await train(quick), await train(quick),
                    await train({...quick, seed: 5}), await train({optimizer: 'sgd', epochs: 0})
                        .catch(e => e.message)];
        }"""
    )
    first, again, other, refused = runs
    assert first["options"] == {
        "optimizer": "adam",
        "learningRate": 0.001,
        "batchSize": 256,
        "epochs": 1,
        "hiddenUnits": 16,
        "seed": 0,
    }
    assert first["history"] == again["history"] and first["points"] == again["points"]
    assert first["history"] != other["history"]
    assert refused == "epochs: a whole number, 1 to 100"
    # Five points an epoch, the first before any step.
    assert [p["step"] for p in first["points"]][:2] == [0, 9]
    assert first["points"][-1]["endOfEpoch"]


# -- The widget ------------------------------------------------------------------------------


def test_the_page_loads_the_widget_only_when_it_is_opened(site, browser, built_book):
    html = (built_book / PAGE).read_text()
    placeholder = re.search(r"<details[^>]*data-fashion-lessons-train.*?</details>", html, re.S)
    loader = built_book / "_static" / "fashion-lessons-train.js"
    script_tag = re.search(r"<script data-versions=[^>]*fashion-lessons-train\.js[^>]*>", html)
    added = len(placeholder[0].encode()) + len(script_tag[0].encode()) + loader.stat().st_size
    data = built_book / "_static" / EXPORT_SUBDIR / SAMPLE_FILENAME
    print(
        f"\nTraining widget: {added:,} bytes on the page's first load (placeholder "
        f"{len(placeholder[0].encode()):,}, script tag {len(script_tag[0].encode()):,}, loader "
        f"{loader.stat().st_size:,}); when opened, {data.stat().st_size:,} bytes of images and "
        + ", ".join(
            f"{name} {(built_book / '_static' / name).stat().st_size:,}" for name in TRAIN_ASSETS
        )
    )
    assert added < 5000
    # The reader comes from another page (the long chapter loads once): every request of
    # the chapter's load is seen.
    with visit(browser, site, "index.html") as page:
        page.wait_for_load_state("networkidle")  # nothing of the first page left in flight
        requested = []
        page.on("request", lambda r: requested.append(r.url))
        page.goto(site + PAGE)
        page.wait_for_load_state("networkidle")
        assert any(u.endswith(PAGE) for u in requested)
        assert not [u for u in requested if any(name in u for name in LAZY)]
        assert not page.evaluate("!!window.fashionLessons.trainer")
        open_widget(page)
        for name in LAZY:
            assert any(name in u for u in requested), f"{name} was not loaded"


def test_a_click_is_handled_while_the_worker_trains(site, browser):
    """Pause is clicked while the worker is busy: the page takes it at once, the worker at
    the end of its slice; no step follows until Resume. The time from the click to its
    handler is printed."""
    with visit(browser, site, PAGE) as page:
        open_widget(page)
        settle(page, {**QUICK, "epochs": 50})
        button = page.locator(f"{WIDGET} button.fl-primary")
        page.evaluate(
            """b => { window.clickDelays = [];
                      b.addEventListener('click', e =>
                          window.clickDelays.push(performance.now() - e.timeStamp)); }""",
            button.element_handle(),
        )
        button.click()
        page.wait_for_function(
            "window.fashionLessons.trainer.widgets[0].points.length >= 3", timeout=60_000
        )
        assert state(page) == "running"
        button.click()  # Pause, while the worker computes
        assert state(page) == "paused" and button.inner_text() == "Resume"
        page.wait_for_selector(f"{WIDGET}[data-worker-paused]")
        paused_at = last_step(page)
        assert paused_at < 50 * math.ceil(SIZES["train"] / QUICK["batchSize"])
        page.wait_for_timeout(500)
        assert last_step(page) == paused_at
        button.click()  # Resume
        assert state(page) == "running"
        page.wait_for_function(
            f"(w => w.points.at(-1).step > {paused_at})(window.fashionLessons.trainer.widgets[0])"
        )
        page.locator(WIDGET).get_by_role("button", name="Reset").click()
        assert state(page) == "idle"
        assert page.locator(f"{WIDGET} tbody tr").count() == 0
        delays = page.evaluate("window.clickDelays")
    print(f"\nClick to handler while training: {', '.join(f'{d:.1f} ms' for d in delays)}")
    assert len(delays) == 3


def test_the_widget_trains_what_the_reader_chose(site, browser):
    # Two epochs: two rows of the table to compare.
    options = {**QUICK, "optimizer": "sgd", "learningRate": 0.05, "epochs": 2}
    with visit(browser, site, PAGE) as page:
        root = open_widget(page)
        root.get_by_label("SGD", exact=True).check()
        assert root.get_by_label("Learning rate", exact=True).input_value() == "0.1"  # SGD's
        settle(page, options)
        page.focus(f"{WIDGET} button.fl-primary")
        page.keyboard.press("Enter")
        page.wait_for_selector(f"{WIDGET}[data-state=done]", timeout=60_000)
        status = root.locator(".fl-status").inner_text()
        rows = root.locator("tbody tr").all_inner_texts()
        charts = [root.locator(f"canvas >> nth={k}").get_attribute("aria-label") for k in (0, 1)]
        same = page.evaluate("o => window.fashionLessons.train(o)", options)
    assert status.startswith("Done:") and "test images" in status
    assert f"{100 * same['testAccuracy']:.1f} %" in status
    assert len(rows) == 2
    for epoch, row in enumerate(rows):
        cells = row.split("\t")
        history = same["history"]
        assert cells == [
            str(epoch + 1),
            f"{history['loss'][epoch]:.3f}",
            f"{100 * history['accuracy'][epoch]:.1f} %",
            f"{history['val_loss'][epoch]:.3f}",
            f"{100 * history['val_accuracy'][epoch]:.1f} %",
        ]
    assert charts[0].startswith("Line chart of the loss against epochs; training from")
    assert f"to {100 * same['history']['val_accuracy'][-1]:.1f} %." in charts[1]


def test_a_bad_setting_says_what_is_wrong(site, browser):
    with visit(browser, site, PAGE) as page:
        root = open_widget(page)
        box = root.get_by_label("Learning rate", exact=True)
        box.fill("0")
        assert box.get_attribute("aria-invalid") == "true"
        assert "learning rate above 0" in root.locator(".fl-error").inner_text()
        root.locator("button.fl-primary").click()
        assert state(page) == "idle"
        box.fill("0.01")
        assert root.locator(".fl-error").inner_text() == ""


def read_stored(page) -> list[tuple[np.ndarray, np.ndarray]]:
    """The network kept in localStorage, as float32 (kernel, bias) pairs."""
    record = json.loads(page.evaluate(f"localStorage.getItem('{STORAGE_KEY}')"))
    pairs = []
    for layer in record["layers"]:
        kernel = np.frombuffer(base64.b64decode(layer["kernel"]), "<f4")
        bias = np.frombuffer(base64.b64decode(layer["bias"]), "<f4")
        pairs.append((kernel.reshape(layer["inputs"], layer["units"]), bias))
    return pairs


def numpy_predict(pairs, pixels) -> np.ndarray:
    net = MLP([784] + [b.size for _, b in pairs], init="zeros", dtype=np.float64)
    for (kernel, bias), W, b in zip(pairs, net.weights, net.biases):
        W[...], b[...] = kernel, bias
    return net.predict(np.asarray(pixels)[None])[0]


def train_and_use(page):
    """Train quickly in the open widget, then press "Use the network you trained"."""
    settle(page, QUICK)
    page.locator(f"{WIDGET} button.fl-primary").click()
    page.wait_for_selector(f"{WIDGET}[data-state=done]", timeout=60_000)
    page.locator(WIDGET).get_by_role("button", name="Use the network you trained").click()
    return page.locator(f"{WIDGET} .fl-use-status a")


def test_the_prediction_widget_runs_the_network_you_trained(site, browser):
    with visit(browser, site, PAGE) as page:
        open_widget(page)
        link = train_and_use(page)
        assert link.get_attribute("href").endswith(
            f"{WALKTHROUGH}?network=trained#fashion-lessons-predict"
        )
        link.click()
        page.wait_for_selector(".fl-network-choice")
        pairs = read_stored(page)
        hidden = QUICK["hiddenUnits"]
        assert [k.shape for k, _ in pairs] == [(784, hidden), (hidden, 10)]
        choice = page.locator(".fl-network-choice")
        assert choice.get_by_label("The network you trained", exact=False).is_checked()
        shown = page.evaluate("window.fashionLessons.widgets[0].lastProbabilities")
        pixels = page.evaluate("Array.from(window.fashionLessons.sample.images[0], v => v / 255)")
        np.testing.assert_allclose(shown, numpy_predict(pairs, pixels), atol=1e-9, rtol=0)
        # The book's network again, then the trained one forgotten.
        choice.get_by_label("The book's network", exact=False).check()
        shown = page.evaluate("window.fashionLessons.widgets[0].lastProbabilities")
        np.testing.assert_allclose(
            shown, page.evaluate("p => window.fashionLessons.predict(p)", pixels), atol=1e-12
        )
        choice.get_by_role("button", name="Forget the network you trained").click()
        assert choice.is_hidden()
        assert page.evaluate(f"localStorage.getItem('{STORAGE_KEY}')") is None


def test_it_all_works_from_disk(built_book, browser):
    context = browser.new_context(offline=True)
    page = context.new_page()
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((built_book / PAGE).as_uri())
    open_widget(page)
    train_and_use(page).click()
    page.wait_for_selector(".fl-network-choice")
    assert page.locator(".fl-network-choice input[value=trained]").is_checked()
    assert page.url.startswith("file://")
    context.close()
    assert not errors
    assert all(url.startswith(("file://", "data:", "blob:")) for url in requests), requests


def photograph(page, shot) -> None:
    """The widget, without a focus ring, into ``shot``."""
    page.evaluate("document.activeElement.blur()")
    page.locator(WIDGET).screenshot(path=shot)


@contextlib.contextmanager
def photographed_if_failing(page, shot):
    """Photograph the widget into ``shot`` if the block fails (a picture from an older run
    goes)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot.unlink(missing_ok=True)
    try:
        yield
    except Exception:
        with contextlib.suppress(Exception):  # the failure is the news, not the photograph
            page.locator(WIDGET).screenshot(path=shot)
        raise


def test_the_widget_is_accessible_in_both_modes(site, browser, screenshots):
    """axe-core on the widget, paused and finished, in light mode (every rule) and after
    the system turns dark (the colour rules); every control labelled and reached with Tab.
    The widget is photographed if a check fails, and finished in both modes with
    ``--screenshots``."""
    failed = SCREENSHOTS / "trainer-failed.png"
    with visit(browser, site, PAGE, MODES[0]) as page, photographed_if_failing(page, failed):
        page.add_script_tag(content=AXE.read_text())
        open_widget(page)
        settle(page, {**QUICK, "epochs": 3})
        button = page.locator(f"{WIDGET} button.fl-primary")
        button.click()
        page.wait_for_function("window.fashionLessons.trainer.widgets[0].points.length >= 2")
        button.click()
        # The widget alone (the browser pass checks the rest of the page, in both modes):
        # paused in light mode, then dark; finished in dark, then light.
        for mode in MODES:
            switch_mode(page, mode)
            assert axe_findings(page, mode, within=WIDGET) == [], f"paused, {mode}"
        button.click()
        page.wait_for_selector(f"{WIDGET}[data-state=done]", timeout=60_000)
        for mode in reversed(MODES):
            switch_mode(page, mode)
            assert axe_findings(page, mode, within=WIDGET) == [], f"finished, {mode}"
            shot = SCREENSHOTS / f"trainer-{mode}.png"
            if screenshots:
                photograph(page, shot)
            else:
                shot.unlink(missing_ok=True)
        # Every control has a label and is reached with Tab.
        unlabelled = page.evaluate(
            f"""[...document.querySelectorAll('{WIDGET} input, {WIDGET} select')]
                .filter(e => !e.labels.length && !e.getAttribute('aria-label')).length"""
        )
        assert unlabelled == 0
        assert (
            page.evaluate(f"[...document.querySelectorAll('{WIDGET} [tabindex=\"-1\"]')].length")
            == 0
        )


# -- The build -----------------------------------------------------------------------------


def test_the_directive_writes_its_sample_and_tells_the_loader_each_files_checksum(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "index.md").write_text("# Training\n\n```{fashion-lessons-train}\n```\n")
    result = sphinx_build(src, tmp_path / "html")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "html" / "index.html").read_text()
    assert TRAIN_MARK in html and "MB)" in html and "12,000 training images" in html
    versions = json.loads(re.search(r'data-versions="([^"]+)"', html)[1].replace("&quot;", '"'))
    static = tmp_path / "html" / "_static"
    assert set(versions) == {*TRAIN_ASSETS, f"{EXPORT_SUBDIR}/{SAMPLE_FILENAME}"}
    for name, checksum in versions.items():
        assert checksum == f"{zlib.crc32((static / name).read_bytes()):08x}", name
    # The widget's own files are not on the page: only the loader, which names them.
    without_versions = re.sub(r'data-versions="[^"]+"', "", html)
    assert not any(name in without_versions for name in TRAIN_ASSETS[1:])


def test_a_plain_notebook_points_to_the_page_for_the_widget():
    cell = nbformat.v4.new_markdown_cell(
        "```{fashion-lessons-train}\n:predict: fashion-mnist-walkthrough\n```"
    )
    plain = plain_notebook(nbformat.v4.new_notebook(cells=[cell]), BOOK, "network-from-scratch")
    assert "trains the network in your browser" in plain.cells[0].source
    assert "network-from-scratch.html" in plain.cells[0].source

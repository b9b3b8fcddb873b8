"""The book itself: a full build with the real configuration, and what a failing cell does.

The full build runs once per test session (``built_book``) and executes every chapter.
"""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from conftest import DOCS, sphinx_build
from toybook import FRONT_MATTER

from fashion_lessons.gluediff import chapter_glued
from fashion_lessons.sphinxext.plain_notebook import myst_marks

CHAPTERS = sorted(p for p in DOCS.glob("*.md") if "kernelspec:" in p.read_text())

# Text that must never reach a page: tracebacks, warnings, progress bars, framework logs.
FORBIDDEN = {
    "a traceback": "Traceback (most recent call last)",
    "a Python warning": re.compile(r"\w+Warning: "),
    "a Keras progress bar": re.compile(r"━|\d+/\d+ \[=*>?\.*\]|step - "),
    "a carriage-return redraw": "\r",
    "an ANSI escape": "\x1b[",
    "TensorFlow's C++ log": re.compile(r"oneDNN custom operations|absl::|cuda_|cudart"),
    "matplotlib's font-cache notice": "building the font cache",
}


def glued_values(outdir: Path, chapter: str) -> dict:
    """The values a chapter glued, as Python objects, from myst-nb's record of the run."""
    path = outdir.parent / "jupyter_execute" / f"{chapter}.glue.json"
    return {key: ast.literal_eval(text) for key, text in chapter_glued(path).items()}


@pytest.mark.book
def test_pages_show_no_tracebacks_warnings_or_log_spam(built_book):
    pages = [p for p in built_book.rglob("*.html") if "_static" not in p.parts]
    assert len(pages) >= len(CHAPTERS) + 1
    for page in pages:
        html = page.read_text()
        for what, pattern in FORBIDDEN.items():
            found = pattern.search(html) if isinstance(pattern, re.Pattern) else pattern in html
            assert not found, f"{page.name} shows {what}"


@pytest.mark.book
@pytest.mark.parametrize("chapter", [p.stem for p in CHAPTERS])
def test_every_glued_number_in_the_prose_is_the_computed_one(built_book, chapter):
    """Each {glue:text} in a chapter renders the value that chapter's run computed."""
    source = (DOCS / f"{chapter}.md").read_text()
    html = (built_book / f"{chapter}.html").read_text()
    pasted = re.findall(r'<span class="pasted-text">(.*?)</span>', html)
    values = glued_values(built_book, chapter)
    uses = re.findall(r"\{glue:text\}`([\w]+)(?::([^`]*))?`", source)
    for key, spec in uses:
        assert key in values, f"{chapter} pastes {key!r}, which its code never glued"
        expected = format(values[key], spec or "")
        expected = expected.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        assert expected in pasted, f"{chapter}: {key} should read {expected!r}"
    assert len(pasted) >= len(uses)


@pytest.mark.book
def test_walkthrough_reports_its_test_accuracy(built_book):
    values = glued_values(built_book, "fashion-mnist-walkthrough")
    assert values["test_acc"] >= 0.85
    assert values["n_params"] == 101_770
    html = (built_book / "fashion-mnist-walkthrough.html").read_text()
    assert f'<span class="pasted-text">{values["test_acc"]:.1%}</span>' in html
    # The training log is a table: a header and one row per epoch.
    assert re.search(r"epoch\s+loss\s+accuracy\s+val_loss\s+val_accuracy\s+time", html)
    assert len(re.findall(r"\n\s+\d+\s+\d\.\d{4}\s+\d\.\d{4}\s+\d\.\d{4}\s+\d\.\d{4}", html)) == 10
    assert html.count("<img") >= 8


CODE_CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def code_cells(chapter: str) -> list[str]:
    """The source of every code cell of a chapter, in order."""
    return CODE_CELL.findall((DOCS / f"{chapter}.md").read_text())


def test_code_cells_are_found():
    cells = code_cells("optimizers")
    assert len(cells) > 20
    assert all("```" not in cell for cell in cells)
    assert "split_validation" in "".join(cells)


@pytest.mark.parametrize("chapter", [p.stem for p in CHAPTERS])
def test_no_chapter_watches_training_on_the_test_set(chapter):
    """Curves and choices come from a validation set; the test set is only evaluated."""
    for cell in code_cells(chapter):
        for argument in re.finditer(r"\b(validation_data|eval_data|held_out)\s*=\s*([^\n]*)", cell):
            assert not re.search(r"\b[xy]_test\b", argument.group(2)), (
                f"{chapter} passes the test set as {argument.group(1)}: {argument.group(0)}"
            )


def test_optimizers_chapter_uses_the_test_set_once_after_choosing():
    cells = code_cells("optimizers")
    touching = [i for i, cell in enumerate(cells) if re.search(r"\b[xy]_test\b", cell)]
    # The set-up loads and scales it; one cell evaluates the chosen network on it.
    assert len(touching) == 2, [cells[i] for i in touching]
    setup, final = (cells[i] for i in touching)
    assert "load_fashion_mnist" in setup
    assert "fit(" not in final and ".accuracy(x_test, y_test)" in final
    assert 'max(histories, key=lambda name: histories[name]["val_accuracy"]' in final
    trained = next(i for i, cell in enumerate(cells) if "validation_data=(x_val, y_val)" in cell)
    assert trained < touching[1], "the test set is looked at before the training that it ends"


FAILING_CHAPTER = (
    FRONT_MATTER
    + """\
# A chapter that breaks

```{code-cell} ipython3
x = 1
```

```{code-cell} ipython3
def broken():
    raise RuntimeError("this cell is broken on purpose")

broken()
```
"""
)


def build_alone(tmp_path: Path, chapters: dict[str, str]) -> tuple[Path, int, str]:
    """Build ``chapters`` (name: text) as a book of their own, again on each call.

    Returns the source folder, the build's exit status and everything it printed.
    """
    src = tmp_path / "src"
    src.mkdir(exist_ok=True)
    for name, text in chapters.items():
        (src / f"{name}.md").write_text(text)
    toc = "\n".join(chapters)
    (src / "index.md").write_text(f"# Broken\n\n```{{toctree}}\n{toc}\n```\n")
    result = sphinx_build(src, tmp_path / "html", env={"FASHION_LESSONS_CACHE": str(tmp_path)})
    return src, result.returncode, result.stdout + result.stderr


NOISY_CHAPTER = (
    FRONT_MATTER
    + """\
# A chapter that talks on stderr

```{code-cell} ipython3
print("fine: stdout")
```

```{code-cell} ipython3
import warnings
warnings.warn("a deprecated call", DeprecationWarning, stacklevel=1)
```
"""
)


def test_a_raising_cell_or_one_writing_to_stderr_fails_the_build_naming_it(tmp_path):
    """Two broken chapters in one book (one build proves both, --keep-going): each is
    named with its cell and what went wrong, again on a build with nothing changed, and
    the build passes once each is fixed."""
    broken = {"failing": FAILING_CHAPTER, "noisy": NOISY_CHAPTER}
    src, status, output = build_alone(tmp_path, broken)
    assert status != 0
    # The raising cell: its place, its code, the traceback's end, without colour codes.
    assert f"cell at line 13 of {src / 'failing.md'} raised an exception" in output
    assert 'raise RuntimeError("this cell is broken on purpose")' in output
    assert "RuntimeError: this cell is broken on purpose" in output
    assert "Traceback" in output and "Cell In[2], line 4" in output
    assert "\x1b[" not in output.split("raised an exception")[1]
    # The cell that wrote to stderr: its place, its code, what it wrote.
    assert f"cell at line 13 of {src / 'noisy.md'} wrote to stderr" in output
    assert 'warnings.warn("a deprecated call"' in output
    assert "DeprecationWarning: a deprecated call" in output
    # Building again without a change must fail again, not publish the traceback.
    _, status, output = build_alone(tmp_path, broken)
    assert status != 0
    assert "failing.md raised an exception" in output and "noisy.md wrote to stderr" in output
    # Fixed (the raise gone; the warning's cell tagged remove-stderr), the build succeeds.
    fixed = {
        "failing": FAILING_CHAPTER.replace("    raise", "    return 1  #"),
        "noisy": NOISY_CHAPTER.replace(
            "```{code-cell} ipython3\nimport warnings",
            "```{code-cell} ipython3\n:tags: [remove-stderr]\nimport warnings",
        ),
    }
    _, status, output = build_alone(tmp_path, fixed)
    assert status == 0, output


def test_breaking_a_real_chapter_fails_the_build(tmp_path):
    """A raising cell put into a real chapter fails the build and names that chapter.

    The smallest chapter proves the point; the cell goes first, so the build stops there.
    """
    src = tmp_path / "src"
    src.mkdir()
    text = (DOCS / "neurons-and-layers.md").read_text()
    front, sep, body = text.partition("\n---\n")  # end of the front matter
    injected = '\n```{code-cell} ipython3\nraise RuntimeError("injected failure")\n```\n'
    (src / "index.md").write_text(front + sep + injected + body)
    shutil.copy(DOCS / "references.bib", src)
    result = sphinx_build(src, tmp_path / "html", env={"FASHION_LESSONS_CACHE": str(tmp_path)})
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert re.search(r"cell at line \d+ of .*index\.md raised an exception", output)
    assert "RuntimeError: injected failure" in output


@pytest.mark.book
@pytest.mark.parametrize("chapter", [p.stem for p in CHAPTERS])
def test_figures_come_as_light_dark_pairs_with_alt_text(built_book, chapter):
    html = (built_book / f"{chapter}.html").read_text()
    html = html[html.index('<article class="bd-article">') : html.index("</article>")]
    figures = re.findall(r'<img alt="([^"]*)" class="fl-figure only-(light|dark)"', html)
    assert figures, f"{chapter} shows no figure"
    assert all(alt.strip() for alt, _ in figures), f"{chapter} has a figure without alt text"
    modes = [mode for _, mode in figures]
    assert modes == ["light", "dark"] * (len(modes) // 2)
    # Every image in the text is one of those pairs (no bare matplotlib output).
    assert html.count("<img") == len(figures)


# A chapter of the tests' own, read beside a real one: quick, and seeded.
SEEDED_CHAPTER = (
    FRONT_MATTER
    + """\
# Seeded

```{code-cell} ipython3
:tags: [remove-cell]
from myst_nb import glue
```

```{code-cell} ipython3
import numpy as np

glue("draw", int(np.random.default_rng(7).integers(10**9)), display=False)
```
"""
)


@pytest.mark.book
def test_a_second_clean_parallel_build_gives_the_same_numbers(built_book, tmp_path):
    """Seeded chapters are deterministic and independent: a chapter rebuilt from scratch
    beside another, in parallel processes (``-j 2``), reproduces every glued value
    except wall-clock timings, and numbers its exercises as the whole book does."""
    # The quickest real chapter that trains, plots and glues, and a small one of our own.
    chapter = "gradient-descent-and-backpropagation"
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(DOCS / f"{chapter}.md", src)
    (src / "seeded.md").write_text(SEEDED_CHAPTER)
    shutil.copy(DOCS / "references.bib", src)
    toctree = f"{chapter}\nseeded"
    (src / "index.md").write_text(f"# Again\n\n```{{toctree}}\n:numbered: 1\n{toctree}\n```\n")
    # A cache of their own: both chapters really run again.
    fresh = {"FASHION_LESSONS_CACHE": str(tmp_path / "cache")}
    result = sphinx_build(src, tmp_path / "html", "-j", "2", strict=False, env=fresh)
    assert result.returncode == 0 and "ERROR" not in result.stderr, result.stderr
    # every extension is parallel-safe, so Sphinx really reads the chapters in parallel
    assert "doing serial read" not in result.stderr, result.stderr
    first, second = glued_values(built_book, chapter), glued_values(tmp_path / "html", chapter)
    timings = {key for key in first if "seconds" in key}
    assert {k: v for k, v in first.items() if k not in timings} == {
        k: v for k, v in second.items() if k not in timings
    }
    assert len(first) > len(timings)  # the comparison compares something
    # Its exercises are numbered as in the whole book, under its number here (the first).
    exercise = re.compile(r'caption-number">Exercise (\d+)\.(\d+) <')
    full, alone = (
        exercise.findall((out / f"{chapter}.html").read_text())
        for out in (built_book, tmp_path / "html")
    )
    assert full and [n for _, n in alone] == [n for _, n in full]
    assert {c for c, _ in alone} == {"1"}
    seeded = glued_values(tmp_path / "html", "seeded")
    assert seeded == {"draw": int(np.random.default_rng(7).integers(10**9))}
    walkthrough = glued_values(built_book, "fashion-mnist-walkthrough")
    assert any("seconds" in key for key in walkthrough), "the walkthrough glues its training time"


@pytest.mark.book
def test_each_chapter_can_be_taken_away_as_a_notebook(built_book):
    import nbformat

    for chapter in CHAPTERS:
        html = (built_book / f"{chapter.stem}.html").read_text()
        assert f"_sources/{chapter.stem}.ipynb" in html, f"{chapter.stem}: no .ipynb download"
        assert f"/blob/gh-pages/_sources/colab/{chapter.stem}.ipynb" in html
        executed = nbformat.read(built_book / "_sources" / f"{chapter.stem}.ipynb", as_version=4)
        nbformat.validate(executed)
        outputs = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs]
        assert outputs, f"{chapter.stem}: the downloadable notebook has no outputs"
        assert "fashion_lessons_dark_png" not in nbformat.writes(executed)
        images = [
            o
            for c in executed.cells
            for o in c.get("outputs", [])
            if "image/png" in o.get("data", {})
        ]
        assert all(o.metadata["image/png"].get("alt") for o in images), f"{chapter.stem}: alt text"
        # Plain Jupyter: no MyST mark left, the glued numbers in the text.
        assert myst_marks(executed) == [], chapter.stem
        assert "{glue" not in nbformat.writes(executed)
        prose = "\n".join(c.source for c in executed.cells if c.cell_type == "markdown")
        if "{exercise}" in chapter.read_text():
            assert re.search(r"^#### Exercise \d+\.1$", prose, re.MULTILINE), chapter.stem
            assert re.search(r"(<summary>|\*\*)Solution to Exercise \d+\.1(</summary>|\*\*)", prose)
        if "{cite:" in chapter.read_text():
            assert "\n## References\n" in prose, chapter.stem
        colab = nbformat.read(built_book / "_sources" / "colab" / f"{chapter.stem}.ipynb", 4)
        assert myst_marks(colab) == [], chapter.stem
        install = colab.cells[0].source
        assert re.search(
            r'%pip install --quiet "fashion-lessons @ git\+https://\S+@[0-9a-f]{40}"$', install
        )
        assert "myst" not in install and "tensorflow" not in install.split("\n")[-1]
        assert not any(c.get("outputs") for c in colab.cells if c.cell_type == "code")


def run_without_myst_nb(notebook, folder, elsewhere):
    """Run ``notebook`` in a fresh kernel in ``folder``, away from the book's build: no claims
    checking, no export for the widgets, and myst-nb cannot be imported (a stand-in package
    in ``elsewhere`` shadows it). Returns the error outputs."""
    import os

    from nbclient import NotebookClient

    shadow = elsewhere / "myst_nb"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("raise ImportError('myst-nb is not installed here')\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("FASHION_LESSONS_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(elsewhere), env.get("PYTHONPATH")]))
    client = NotebookClient(notebook, timeout=600, resources={"metadata": {"path": str(folder)}})
    client.execute(env=env)
    return [o for c in notebook.cells for o in c.get("outputs", []) if o.output_type == "error"]


@pytest.mark.book
def test_the_downloaded_and_colab_notebooks_run_top_to_bottom(built_book, tmp_path):
    """The .ipynb a reader downloads and Colab's notebook (its install cell skipped: this
    environment has the package and TensorFlow, as Colab has TensorFlow) hold the same
    code; it runs top to bottom in a fresh kernel with only the package, writing no file."""
    import nbformat

    # The quickest chapter to run, with plumbing its later cells need (glue and claim's
    # stand-ins, kept collapsed).
    chapter = "gradient-descent-and-backpropagation.ipynb"
    download = nbformat.read(built_book / "_sources" / chapter, as_version=4)
    colab = nbformat.read(built_book / "_sources" / "colab" / chapter, as_version=4)
    assert colab.cells[0].source.splitlines()[-1].startswith("%pip install")
    colab.cells = colab.cells[1:]

    def code(notebook):
        return [c.source for c in notebook.cells if c.cell_type == "code"]

    assert code(colab) == code(download)
    (tmp_path / "run").mkdir()
    assert not run_without_myst_nb(colab, tmp_path / "run", tmp_path / "lib")
    assert list((tmp_path / "run").iterdir()) == []  # it wrote no file

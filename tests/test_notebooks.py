"""Notebooks to take away: plain Jupyter markdown, plumbing that runs without myst-nb, and a
Colab install that keeps Colab's TensorFlow (fashion_lessons.sphinxext.notebooks)."""

from __future__ import annotations

import sys
import zipfile
from importlib import metadata
from types import SimpleNamespace

import nbformat
import pytest
import toybook
from packaging.requirements import Requirement

from fashion_lessons.sphinxext import notebooks
from fashion_lessons.sphinxext.plain_notebook import (
    Book,
    Citation,
    ConversionError,
    convert_markdown,
    myst_marks,
    plain_notebook,
)

SITE = "https://example.github.io/book/"

BOOK = Book(
    site_url=SITE,
    glued={
        "acc": "0.87654",
        "n": "101770",
        "diff": "1.1444091796875e-05",
        "name": "'Adam'",
        "epochs": "12",
        "scalar": "np.float64(38.72)",  # glued without float(): numpy 2's repr
    },
    labels={
        "losses": ("loss-functions", "losses", "Loss functions"),
        "why-scale": ("walkthrough", "why-scale", "Why scale?"),
        "losses-ex-2": ("loss-functions", "losses-ex-2", "Exercise"),
    },
    numbers={"losses-ex-2": "Exercise 4.2"},
    terms={"logit": ("glossary", "term-logit"), "feature map": ("glossary", "term-feature-map")},
    titles={"loss-functions": "Loss functions", "glossary": "Glossary"},
    citations={
        "mp1943": Citation(
            "McCulloch and Pitts",
            "1943",
            "Warren McCulloch and Walter Pitts. <em>A logical calculus</em>, 1943.",
        ),
        "rhw1986": Citation(
            "Rumelhart et al.", "1986", "David Rumelhart et al. Learning representations, 1986."
        ),
        "polyak1964": Citation("Polyak", "1964", "Boris Polyak. Some methods, 1964."),
    },
)


def md(source: str, book: Book = BOOK) -> str:
    return convert_markdown(source, book)


# -- roles ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        ("{glue:text}`acc:.1%`", "87.7%"),
        ("{glue:text}`acc:.3f`", "0.877"),
        ("{glue:text}`diff:.1e`", "1.1e-05"),
        ("{glue:text}`n:,d`", "101,770"),
        ("{glue:text}`name`", "Adam"),  # a string without its quotes, as on the page
        ("{glue}`epochs`", "12"),
    ],
)
def test_a_glued_value_reads_as_on_the_page(role, shown):
    assert md(f"It reached {role} on the test set.") == f"It reached {shown} on the test set."


def test_a_glued_value_matches_myst_nb_formatting():
    from myst_nb.core.variables import format_plain_text

    for spec in [".1%", ".2f", ".1e", ",d", "s", ".3g"]:
        key = "diff" if spec[-1] != "d" else "n"
        assert md(f"{{glue:text}}`{key}:{spec}`") == format_plain_text(BOOK.glued[key], spec)


def test_a_numpy_scalar_glued_as_such_is_an_error_saying_what_to_do():
    with pytest.raises(ConversionError, match=r"'scalar'.*glue\('scalar', float\(value\)\)"):
        md("{glue:text}`scalar:.1f`")


def test_references_become_links_to_the_published_site():
    assert md("see {ref}`losses`") == f"see [Loss functions]({SITE}loss-functions.html#losses)"
    assert md("{ref}`below <why-scale>`") == f"[below]({SITE}walkthrough.html#why-scale)"
    assert (
        md("({numref}`losses-ex-2`)") == f"([Exercise 4.2]({SITE}loss-functions.html#losses-ex-2))"
    )
    assert md("{ref}`losses-ex-2`") == f"[Exercise 4.2]({SITE}loss-functions.html#losses-ex-2)"
    assert (
        md("the {doc}`loss-functions` chapter")
        == f"the [Loss functions]({SITE}loss-functions.html) chapter"
    )


def test_terms_link_to_their_glossary_entry():
    assert md("the {term}`logit`") == f"the [logit]({SITE}glossary.html#term-logit)"
    assert (
        md("{term}`feature maps <feature map>`")
        == f"[feature maps]({SITE}glossary.html#term-feature-map)"
    )


def test_without_a_site_references_are_plain_text():
    offline = Book(**{**BOOK.__dict__, "site_url": ""})
    assert md("see {ref}`losses` and {term}`logit`", offline) == "see Loss functions and logit"


def test_citations_read_author_year_and_are_listed_at_the_end():
    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("Units {cite:p}`mp1943` and {cite:p}`mp1943,rhw1986`."),
            nbformat.v4.new_markdown_cell("The heavy ball of {cite:t}`polyak1964`."),
        ]
    )
    plain = plain_notebook(notebook, BOOK)
    text = [c.source for c in plain.cells]
    both = "[McCulloch and Pitts, 1943, Rumelhart et al., 1986]"
    assert text[0] == f"Units [McCulloch and Pitts, 1943] and {both}."
    assert text[1] == "The heavy ball of Polyak [1964]."
    assert text[2].splitlines() == [
        "## References",
        "",
        "- Warren McCulloch and Walter Pitts. <em>A logical calculus</em>, 1943.",
        "- Boris Polyak. Some methods, 1964.",
        "- David Rumelhart et al. Learning representations, 1986.",
    ]


def test_the_bibliography_directive_becomes_the_reference_list_in_its_place():
    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("As {cite:t}`polyak1964` showed."),
            nbformat.v4.new_markdown_cell("```{bibliography}\n:filter: docname in docnames\n```"),
            nbformat.v4.new_markdown_cell("After."),
        ]
    )
    plain = plain_notebook(notebook, BOOK)
    assert plain.cells[1].source == "## References\n\n- Boris Polyak. Some methods, 1964."
    assert [c.source for c in plain.cells][2:] == ["After."]


@pytest.mark.parametrize(
    "role",
    [
        "{glue:text}`nothing:.1f`",
        "{numref}`losses`",
        "{cite:p}`nobody2000`",
    ],
)
def test_a_role_naming_what_the_book_lacks_is_an_error(role):
    with pytest.raises(ConversionError):
        md(role)


@pytest.mark.parametrize(
    ("role", "text"),
    [
        ("{ref}`nowhere`", "nowhere"),
        ("{term}`the rest <nonsense>`", "the rest"),
        ("{doc}`missing`", "missing"),
    ],
)
def test_a_reference_sphinx_cannot_resolve_becomes_its_text(role, text):
    """Sphinx itself warns about it (and -W fails the build); a partial build of a few
    chapters, whose links point to chapters it lacks, still gets its notebooks."""
    assert md(role) == text


def test_math_stays_as_it_is():
    source = "With $z = \\sum_i w_i x_i + b$:\n\n$$\nH = f(XW + \\mathbf{b})\n$$"
    assert md(source) == source
    assert md("{math}`a^2`") == "$a^2$"


# -- directives and targets -----------------------------------------------------------------------


def test_label_targets_and_comments_go():
    assert (
        md("(losses)=\n# Loss functions\n% a note to authors\nText.") == "# Loss functions\nText."
    )


def test_an_admonition_becomes_a_blockquote_with_its_title():
    source = (
        ":::{admonition} Learning goals\n:class: tip\n"
        "You can\n\n- write $y = f(z)$;\n- check {ref}`losses`.\n:::"
    )
    assert md(source).splitlines() == [
        "> **Learning goals**",
        ">",
        "> You can",
        ">",
        "> - write $y = f(z)$;",
        f"> - check [Loss functions]({SITE}loss-functions.html#losses).",
    ]
    assert md("```{tip}\nScale first.\n```") == "> **Tip**\n>\n> Scale first."


def test_exercises_get_their_number_and_solutions_fold_in_each_cell():
    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell(
                "```{exercise}\n:label: losses-ex-2\n\nFind $b$.\n```\n\n"
                "```{solution-start} losses-ex-2\n:class: dropdown\n```\nThe bias is $-6$."
            ),
            nbformat.v4.new_code_cell("print(-6)"),
            nbformat.v4.new_markdown_cell("So it switches at 3.\n```{solution-end}\n```\n\nNext."),
        ]
    )
    plain = plain_notebook(notebook, BOOK)
    assert plain.cells[0].source.splitlines() == [
        "#### Exercise 4.2",
        "",
        "Find $b$.",
        "",
        "<details>",
        "<summary>Solution to Exercise 4.2</summary>",
        "",
        "The bias is $-6$.",
        "",
        "</details>",
    ]
    assert plain.cells[1].source == "print(-6)"
    assert plain.cells[2].source.splitlines() == [
        "<details>",
        "<summary>Solution to Exercise 4.2 (continued)</summary>",
        "",
        "So it switches at 3.",
        "",
        "</details>",
        "",
        "Next.",
    ]
    assert not myst_marks(plain)


def test_a_solution_that_starts_with_code_keeps_its_title():
    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("```{solution-start} losses-ex-2\n:class: dropdown\n```"),
            nbformat.v4.new_code_cell("print(-6)"),
            nbformat.v4.new_markdown_cell("```{solution-end}\n```"),
        ]
    )
    plain = plain_notebook(notebook, BOOK)
    assert [c.source for c in plain.cells] == ["**Solution to Exercise 4.2**", "print(-6)"]


def test_a_page_only_widget_points_to_the_page():
    cell = nbformat.v4.new_markdown_cell("```{fashion-lessons-predict}\n```")
    plain = plain_notebook(nbformat.v4.new_notebook(cells=[cell]), BOOK, "walkthrough")
    assert "interactive" in plain.cells[0].source
    assert f"({SITE}walkthrough.html)" in plain.cells[0].source
    assert myst_marks(plain) == []


def test_an_included_file_becomes_a_code_block(tmp_path):
    (tmp_path / "part").mkdir()
    (tmp_path / "part" / "snippet.txt").write_text("first line\nsecond line\n")
    book = Book(**{**BOOK.__dict__, "source_root": str(tmp_path)})
    cell = nbformat.v4.new_markdown_cell("```{literalinclude} snippet.txt\n:language: text\n```")
    plain = plain_notebook(nbformat.v4.new_notebook(cells=[cell]), book, "part/chapter")
    assert plain.cells[0].source == "```text\nfirst line\nsecond line\n```"
    with pytest.raises(ConversionError):
        plain_notebook(nbformat.v4.new_notebook(cells=[cell]), book, "chapter")


def test_a_code_block_in_the_prose_is_kept_as_it_is():
    source = "Write it as\n\n```python\nglue('x', 1)\n```"
    assert md(source) == source


@pytest.mark.parametrize(
    ("source", "mark"),
    [
        ("```{epigraph}\nQuoted.\n```", "a MyST directive: ```{epigraph}"),
        (":::{margin}\nAside.\n:::", "a MyST directive: :::{margin}"),
        ("An {abbr}`LR (learning rate)`.", "a MyST role: An {abbr}`LR (learning rate)`."),
    ],
)
def test_what_the_conversion_does_not_know_is_left_for_the_check(source, mark):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(md(source))])
    assert mark in myst_marks(notebook)


def test_the_check_ignores_myst_syntax_shown_as_code():
    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("Type `{glue:text}` in the book.\n\n```md\n(label)=\n```")
        ]
    )
    assert myst_marks(notebook) == []


# -- code cells -----------------------------------------------------------------------------------


def plumbing(source: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_code_cell(source, metadata={"tags": ["remove-cell"]})


CHAPTER = [
    plumbing(
        "# Book plumbing.\nfrom myst_nb import glue\n\nfrom fashion_lessons.claims import claim\n"
        "import math\nstyle = 'book'"
    ),
    nbformat.v4.new_code_cell("x = 3.0\nprint(style)"),
    plumbing("glue('x', x, display=False)\nclaim('x', x, 0, 5)"),  # only pastes: goes
    plumbing("for k in range(2):\n    claim(f'k{k}', k)\nroot = claim('root', math.sqrt(x), 1, 2)"),
    nbformat.v4.new_code_cell("print(root)"),
]


def test_plumbing_goes_unless_a_later_cell_needs_it_and_then_runs_without_myst_nb(monkeypatch):
    plain = plain_notebook(nbformat.v4.new_notebook(cells=CHAPTER), BOOK)
    code = [c for c in plain.cells if c.cell_type == "code"]
    assert len(code) == 4  # the cell that only glued is gone
    assert myst_marks(plain) == []
    kept = [c for c in code if c.metadata.get("jupyter", {}).get("source_hidden")]
    assert len(kept) == 2 and all("remove-cell" not in c.metadata.get("tags", []) for c in kept)
    assert "myst_nb" not in kept[0].source and kept[0].source.startswith("# Book plumbing.")
    # Without myst-nb (an import of it fails), the cells run in order.
    monkeypatch.setitem(sys.modules, "myst_nb", None)
    namespace = {}
    for cell in code:
        exec(cell.source, namespace)
    assert namespace["root"] == pytest.approx(3**0.5)


def test_a_leftover_import_of_myst_nb_is_a_mark():
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("from myst_nb import glue")]
    )
    assert myst_marks(notebook) == ["an import of myst_nb: from myst_nb import glue"]


def test_outputs_and_alt_text_stay():
    figure = nbformat.v4.new_output(
        "display_data",
        data={"image/png": "iVBO", "text/plain": "<Figure>"},
        metadata={"image/png": {"alt": "A curve."}},
    )
    cell = nbformat.v4.new_code_cell("plot()", outputs=[figure], execution_count=3)
    plain = plain_notebook(nbformat.v4.new_notebook(cells=[cell]), BOOK)
    assert plain.cells[0].outputs[0].metadata["image/png"]["alt"] == "A curve."


# -- Colab --------------------------------------------------------------------------------------


def test_colab_installs_the_package_at_the_commit_the_book_was_built_from():
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1", execution_count=1)])
    colab = notebooks.colab_notebook(notebook, "owner/book", "0123456789abcdef" * 2 + "01234567")
    comment, install = colab.cells[0].source.splitlines()
    assert comment.startswith("# ") and "TensorFlow" in comment
    assert install == (
        '%pip install --quiet "fashion-lessons @ git+https://github.com/owner/book'
        '@0123456789abcdef0123456789abcdef01234567"'
    )
    assert "myst" not in colab.cells[0].source
    assert colab.cells[1].execution_count is None


def test_the_package_leaves_an_installed_tensorflow_alone():
    """`pip install fashion-lessons` (Colab's cell) asks for no TensorFlow; the extra does."""
    requirements = [Requirement(r) for r in metadata.requires("fashion-lessons")]
    on_colab = {"sys_platform": "linux", "platform_machine": "x86_64"}

    def wanted(extra: str) -> set[str]:
        return {
            r.name
            for r in requirements
            if r.marker is None or r.marker.evaluate({**on_colab, "extra": extra})
        }

    assert not {"tensorflow", "tensorflow-cpu"} & wanted("")
    assert "tensorflow-cpu" in wanted("tensorflow")
    assert "fashion-lessons[tensorflow]" in {str(r).split(";")[0] for r in requirements}


def test_the_site_url_comes_from_the_configuration_or_the_repository():
    def config(**values):
        defaults = {
            "fashion_lessons_site_url": "",
            "html_baseurl": "",
            "fashion_lessons_colab_repository": "",
        }
        return SimpleNamespace(**{**defaults, **values})

    assert (
        notebooks.site_url(config(fashion_lessons_colab_repository="Owner/book"))
        == "https://owner.github.io/book/"
    )
    assert notebooks.site_url(config(html_baseurl="https://book.org")) == "https://book.org/"
    assert notebooks.site_url(config()) == ""


def test_the_build_commit_is_the_checkout_s_head(tmp_path):
    assert len(notebooks.built_commit(toybook.Path(__file__).parent)) == 40
    assert notebooks.built_commit(tmp_path) == ""


# -- the toy book -------------------------------------------------------------------------------

GLUED = (
    toybook.FRONT_MATTER
    + """\
(plain)=
# Plain

```{code-cell} ipython3
:tags: [remove-cell]
from myst_nb import glue
```

```{code-cell} ipython3
share = 0.4567
glue("share", share, display=False)
```

:::{tip}
A share of {glue:text}`share:.1%`, see {ref}`plain`.
:::
"""
)


def glued_toy(root, chapters):
    """The toy book with ``chapters``, uses_nothing's code replaced by :data:`GLUED`."""
    book = toybook.make(root, mode="force", chapters=chapters)
    (book / "src" / "uses_nothing.md").write_text(GLUED)
    return book


def test_the_toy_book_s_download_is_plain_jupyter(tmp_path):
    toy = glued_toy(tmp_path, ["uses_base", "uses_nothing"])
    toybook.build(toy)
    notebook = nbformat.read(toy / "html" / "_sources" / "uses_nothing.ipynb", as_version=4)
    assert myst_marks(notebook) == []
    text = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    assert "> A share of 45.7%, see Plain." in text
    # Every chapter's notebook in one zip, linked from the first page.
    archive = zipfile.ZipFile(toy / "html" / notebooks.ZIP)
    assert sorted(archive.namelist()) == [
        "fashion-lessons/uses_base.ipynb",
        "fashion-lessons/uses_nothing.ipynb",
    ]
    assert f'href="{notebooks.ZIP}"' in (toy / "html" / "index.html").read_text()


def test_a_directive_the_conversion_does_not_know_fails_the_build(tmp_path):
    toy = glued_toy(tmp_path, ["uses_nothing"])
    chapter = toy / "src" / "uses_nothing.md"
    chapter.write_text(chapter.read_text() + "\n```{epigraph}\nA quotation.\n```\n")
    result = toybook.run(toy)
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert "uses_nothing: its notebook would still show MyST syntax" in log
    assert "```{epigraph}" in log

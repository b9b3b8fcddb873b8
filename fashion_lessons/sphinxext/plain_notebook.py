"""A chapter's executed notebook as plain Jupyter: no MyST marks, the book's numbers in the text.

myst-nb's executed notebook keeps the chapter's MyST markdown, which Jupyter and Colab
show as raw text: ``{glue:text}`acc:.1%``` instead of the number, ``:::{admonition}``
fences, ``(label)=`` targets. :func:`plain_notebook` rewrites it for a reader:

* a glued value is pasted as the page shows it (myst-nb's own formatting of the spec);
* admonitions become blockquotes with a bold title, exercises a heading with the
  page's number ("Exercise 1.2"), solutions a ``<details>`` block per markdown cell;
* ``{ref}``, ``{numref}``, ``{doc}`` and ``{term}`` become links to the published site,
  ``{cite:p}``/``{cite:t}`` author-year text, with the works cited listed at the end;
* ``literalinclude`` becomes the file's text as a code block; widgets that only the
  page can show, a pointer to the page;
* ``(label)=`` targets and MyST comments go; math stays ``$...$``;
* the book's plumbing cells (``remove-cell``) go too, unless a later cell uses a name one
  of them defines; those stay, collapsed, with a two-line stand-in for myst-nb's ``glue``
  and the claims check, so the notebook runs with only the package installed.

:func:`myst_marks` lists what a converted notebook still carries of MyST; the build
fails on any (:mod:`.notebooks`), so a new directive or role cannot slip through. The
roles are converted in :mod:`.plain_inline`, the plumbing cells in :mod:`.plain_code`;
this module does the directives and puts the notebook together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import nbformat

from fashion_lessons.sphinxext.plain_code import PLUMBING_TAG, plain_plumbing, plumbing_to_keep
from fashion_lessons.sphinxext.plain_inline import (
    Book,
    Citation,
    ConversionError,
    convert_inline,
    paste,
)

__all__ = [
    "Book",
    "Citation",
    "ConversionError",
    "convert_inline",
    "convert_markdown",
    "myst_marks",
    "paste",
    "plain_notebook",
    "plumbing_to_keep",
]


# -- MyST syntax ---------------------------------------------------------------------------------

FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|:{3,})(?P<rest>.*)$")
DIRECTIVE = re.compile(r"^\{(?P<name>[\w:.+-]+)\}\s*(?P<argument>.*)$")
OPTION = re.compile(r"^:(?P<key>[\w-]+):\s*(?P<value>.*)$")
TARGET = re.compile(r"^\s*\([\w.:+-]+\)=\s*$")
COMMENT = re.compile(r"^%")  # a MyST comment line
BLOCK_BREAK = re.compile(r"^\+\+\+")

#: Admonition directives whose title is their name.
ADMONITIONS = {
    "note": "Note",
    "tip": "Tip",
    "hint": "Hint",
    "important": "Important",
    "warning": "Warning",
    "caution": "Caution",
    "attention": "Attention",
    "danger": "Danger",
    "error": "Error",
    "seealso": "See also",
}
#: Directives that put something interactive on the page that a notebook cannot show.
PAGE_ONLY = {
    "raw": "an interactive figure",
    "fashion-lessons-predict": "an interactive prediction widget",
    "fashion-lessons-train": "a widget that trains the network in your browser",
}

MARKS = {
    "a MyST role": re.compile(r"\{[A-Za-z][\w:.+-]*\}`"),
    "a MyST directive": re.compile(r"^[ \t]*(`{3,}|:{3,})[ \t]*\{", re.MULTILINE),
    "a colon fence": re.compile(r"^[ \t]*:{3,}", re.MULTILINE),
    "a label target": re.compile(r"^[ \t]*\([\w.:+-]+\)=[ \t]*$", re.MULTILINE),
    "a MyST block break": re.compile(r"^\+\+\+", re.MULTILINE),
}
CODE_MARKS = {
    "an import of myst_nb": re.compile(r"^[ \t]*(from|import)[ \t]+myst_nb\b", re.MULTILINE)
}


def myst_marks(notebook: nbformat.NotebookNode) -> list[str]:
    """What ``notebook`` still carries of MyST, one line per mark ("a MyST role: {ref}`x`")."""
    found = []
    for cell in notebook.cells:
        marks = MARKS if cell.cell_type == "markdown" else CODE_MARKS
        if cell.cell_type == "markdown":
            text = _without_code(cell.source)
        elif cell.cell_type == "code":
            text = cell.source
        else:
            continue
        for what, pattern in marks.items():
            for match in pattern.finditer(text):
                line = text[text.rfind("\n", 0, match.start()) + 1 :].split("\n", 1)[0]
                found.append(f"{what}: {line.strip()[:80]}")
    return found


def _without_code(markdown: str) -> str:
    """``markdown`` without its fenced code blocks and inline code spans (where MyST syntax
    is only shown, not meant)."""
    kept, fence = [], None
    for line in markdown.split("\n"):
        match = FENCE.match(line)
        if fence is None and match and not DIRECTIVE.match(match["rest"].strip()):
            if match["fence"][0] == "`":
                fence = match["fence"]
                continue
        elif fence is not None:
            if line.strip().startswith(fence) and not line.strip().strip("`"):
                fence = None
            continue
        kept.append(line)
    # Left to right, a role is kept whole and a code span dropped.
    return re.sub(
        r"\{[A-Za-z][\w:.+-]*\}`[^`]*`|(?<!`)(`+)(?!`)[^`\n]*?(?<!`)\1(?!`)",
        lambda m: "" if m[1] else m[0],
        "\n".join(kept),
    )


# -- Directives ----------------------------------------------------------------------------------


@dataclass
class _State:
    """What the conversion carries from one markdown cell to the next."""

    docname: str = ""
    solution: str | None = None  # the summary of the open solution, between its start and end
    cited: list[str] = field(default_factory=list)
    references_written: bool = False


def _closing(lines: list[str], start: int, fence: str) -> int:
    """Index of the line that closes the fence opened at ``start`` (nested fences of the
    same kind counted), or ``len(lines)``."""
    depth = 0
    for i in range(start + 1, len(lines)):
        match = FENCE.match(lines[i])
        if not match or match["fence"][0] != fence[0]:
            continue
        if not match["rest"].strip() and len(match["fence"]) >= len(fence) and depth == 0:
            return i
        if match["rest"].strip():
            depth += 1
        elif depth:
            depth -= 1
    return len(lines)


def _options(body: list[str]) -> tuple[dict[str, str], list[str]]:
    options, i = {}, 0
    while i < len(body) and (match := OPTION.match(body[i])):
        options[match["key"]] = match["value"].strip()
        i += 1
    while i < len(body) and not body[i].strip():
        i += 1
    return options, body[i:]


def _quote(lines: list[str]) -> list[str]:
    return [f"> {line}" if line.strip() else ">" for line in lines]


def references(book: Book, keys: list[str]) -> list[str]:
    """The "References" section listing the works ``keys``, by author."""
    works = sorted((book.citations[k] for k in keys), key=lambda w: (w.authors, w.year))
    return ["## References", "", *(f"- {w.reference}" for w in works)]


def _included(book: Book, argument: str, language: str, docname: str) -> list[str]:
    """A ``literalinclude``'s file as a code block."""
    folder = Path(book.source_root) / PurePosixPath(docname).parent
    path = Path(book.source_root) / argument[1:] if argument.startswith("/") else folder / argument
    if not path.is_file():
        raise ConversionError(f"the included file {argument!r} is not there")
    return [f"```{language}", *path.read_text(encoding="utf-8").rstrip("\n").split("\n"), "```"]


def _directive(
    name: str, argument: str, body: list[str], book: Book, state: _State, fence: list[str]
) -> list[str]:
    """The Markdown for one directive (``fence``: its original lines, kept if unknown)."""
    options, content = _options(body)
    if name == "admonition" or name in ADMONITIONS:
        title = argument or ADMONITIONS.get(name, name.title())
        title = convert_inline(title, book, state.docname, state.cited)
        return _quote([f"**{title}**", "", *convert_lines(content, book, state)])
    if name == "exercise":
        label = options.get("label", "")
        heading = book.numbers.get(label, "Exercise")
        if argument:
            heading += f" ({convert_inline(argument, book, state.docname, state.cited)})"
        return [f"#### {heading}", "", *convert_lines(content, book, state)]
    if name in ("solution-start", "solution"):
        label = argument.split()[0] if argument else ""
        state.solution = f"Solution to {book.numbers.get(label, 'the exercise')}"
        opened = ["<details>", f"<summary>{state.solution}</summary>", ""]
        if name == "solution-start":
            return opened
        state.solution = None
        return [*opened, *convert_lines(content, book, state), "", "</details>"]
    if name == "solution-end":
        state.solution = None
        return ["", "</details>", ""]
    if name == "math":
        return ["$$", *content, "$$"]
    if name == "literalinclude":
        return _included(book, argument, options.get("language", ""), state.docname)
    if name == "bibliography":
        state.references_written = True
        return references(book, state.cited) if state.cited else []
    if name in PAGE_ONLY:
        page = book.link("the chapter's page", state.docname)
        return [f"> *The book shows {PAGE_ONLY[name]} here: open {page} to use it.*"]
    return fence  # unknown: left for myst_marks to report


def convert_lines(lines: list[str], book: Book, state: _State) -> list[str]:
    """Markdown lines with targets, comments and directives converted, roles replaced."""
    out, i = [], 0
    while i < len(lines):
        line = lines[i]
        if TARGET.match(line) or COMMENT.match(line) or BLOCK_BREAK.match(line):
            i += 1
            continue
        match = FENCE.match(line)
        if not match:
            out.append(convert_inline(line, book, state.docname, state.cited))
            i += 1
            continue
        end = _closing(lines, i, match["fence"])
        fence = lines[i : end + 1]
        directive = DIRECTIVE.match(match["rest"].strip())
        if directive:
            out += _directive(
                directive["name"], directive["argument"], lines[i + 1 : end], book, state, fence
            )
        else:
            out += fence  # a code block: shown as it is
        i = end + 1
    return out


def convert_markdown(source: str, book: Book, state: _State | None = None) -> str:
    """One markdown cell's ``source`` as plain Markdown (a solution left open by an earlier
    cell is continued in a ``<details>`` block of its own)."""
    state = _State() if state is None else state
    lines = []
    if state.solution:
        lines = ["<details>", f"<summary>{state.solution} (continued)</summary>", ""]
    lines += convert_lines(source.split("\n"), book, state)
    if state.solution:
        lines += ["", "</details>"]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    # A solution with nothing to fold here (its code follows): its title alone, once.
    text = re.sub(r"<details>\n<summary>[^<]*\(continued\)</summary>\n\n</details>", "", text)
    return re.sub(r"<details>\n<summary>([^<]*)</summary>\n\n</details>", r"**\1**", text).strip()


def plain_notebook(
    notebook: nbformat.NotebookNode, book: Book, docname: str = ""
) -> nbformat.NotebookNode:
    """``notebook`` (a chapter's executed notebook) as plain Jupyter; see the module's doc."""
    plain = nbformat.from_dict(notebook)
    keep = plumbing_to_keep(plain.cells)
    state = _State(docname=docname)
    cells, stand_in = [], bool(keep)
    for index, cell in enumerate(plain.cells):
        if cell.cell_type == "markdown":
            cell.source = convert_markdown(cell.source, book, state)
            if cell.source:
                cells.append(cell)
        elif cell.cell_type == "code" and PLUMBING_TAG in cell.metadata.get("tags", []):
            if index in keep:
                cells.append(plain_plumbing(cell, stand_in))
                stand_in = False
        else:
            cells.append(cell)
    if state.cited and not state.references_written:
        cells.append(nbformat.v4.new_markdown_cell("\n".join(references(book, state.cited))))
    plain.cells = cells
    return plain

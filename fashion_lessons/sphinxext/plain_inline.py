"""The inline part of a plain notebook: glued values pasted, references as links to the site.

What :mod:`.plain_notebook` needs to know about the built book (:class:`Book`, filled by
:func:`.notebooks.book_of`) and how it turns a MyST role (``{glue:text}``, ``{ref}``,
``{numref}``, ``{doc}``, ``{term}``, ``{cite:p}``/``{cite:t}``) into plain Markdown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

ROLE = re.compile(r"\{(?P<name>[A-Za-z][\w:.+-]*)\}`(?P<content>[^`]*)`")
TITLED = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.DOTALL)


class Citation(NamedTuple):
    """A work as the page cites it: ``authors`` ("Rumelhart et al."), ``year`` and the
    ``reference`` as listed under the chapter's references (HTML inline markup)."""

    authors: str
    year: str
    reference: str


@dataclass
class Book:
    """What the conversion needs to know about the built book (:func:`.notebooks.book_of`)."""

    #: The published site, ending in "/" ("" for no links: references become plain text).
    site_url: str = ""
    #: Glued values of the chapter: key -> their ``text/plain``.
    glued: dict[str, str] = field(default_factory=dict)
    #: label -> (docname, anchor, title), Sphinx's labels.
    labels: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    #: label -> the numbered name the page gives it ("Exercise 1.2").
    numbers: dict[str, str] = field(default_factory=dict)
    #: glossary term (lower case) -> (docname, anchor).
    terms: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: docname -> title.
    titles: dict[str, str] = field(default_factory=dict)
    #: bibliography key -> :class:`Citation`.
    citations: dict[str, Citation] = field(default_factory=dict)
    #: The book's source folder, which ``literalinclude`` paths start from.
    source_root: str = ""

    def link(self, text: str, docname: str, anchor: str = "") -> str:
        """A Markdown link to ``docname#anchor`` on the site (just ``text`` without a site)."""
        if not self.site_url:
            return text
        return f"[{text}]({self.site_url}{docname}.html{'#' + anchor if anchor else ''})"


class ConversionError(ValueError):
    """A role or directive that names something the book does not have."""


# -- Inline roles ---------------------------------------------------------------------------------


def _titled(content: str) -> tuple[str | None, str]:
    """``("text", "target")`` for ``text <target>``, ``(None, content)`` otherwise."""
    match = TITLED.match(content)
    return (match["text"], match["target"].strip()) if match else (None, content.strip())


def paste(book: Book, content: str) -> str:
    """A glued value as the page shows it: ``key:spec`` formatted as myst-nb formats it."""
    from myst_nb.core.variables import format_plain_text

    key, _, spec = content.partition(":")
    if key not in book.glued:
        raise ConversionError(f"the glued value {key!r} is not in the chapter's run")
    try:
        return format_plain_text(book.glued[key], spec or "s")
    except ValueError as error:
        raise ConversionError(
            f"the glued value {key!r} ({book.glued[key]!r}) cannot be formatted as {spec!r}: "
            f"{error}. Glue a plain Python number, e.g. glue({key!r}, float(value))"
        ) from None


def _ref(book: Book, content: str, numbered: bool) -> str:
    text, label = _titled(content)
    if label not in book.labels:  # Sphinx warns about it already; -W fails the build
        return text or label
    docname, anchor, title = book.labels[label]
    number = book.numbers.get(label)
    if numbered and number is None:
        raise ConversionError(f"the label {label!r} has no number")
    if text is not None and number:
        text = text.replace("{number}", number.split()[-1]).replace("%s", number.split()[-1])
    return book.link(text or number or title, docname, anchor)


def _doc(book: Book, content: str, docname: str) -> str:
    text, target = _titled(content)
    if not target.startswith("/"):
        target = "/".join([*docname.split("/")[:-1], target])
    target = target.lstrip("/").removesuffix(".md")
    if target not in book.titles:  # Sphinx warns about it already
        return text or target
    return book.link(text or book.titles[target], target)


def _term(book: Book, content: str) -> str:
    text, term = _titled(content)
    if term.lower() not in book.terms:  # Sphinx warns about it already
        return text or term
    return book.link(text or term, *book.terms[term.lower()])


def _cite(book: Book, content: str, textual: bool, cited: list[str]) -> str:
    keys = [k.strip() for k in content.split(",") if k.strip()]
    for key in keys:
        if key not in book.citations:
            raise ConversionError(f"no work {key!r} in the bibliography")
        if key not in cited:
            cited.append(key)
    works = [book.citations[k] for k in keys]
    if textual:
        return ", ".join(f"{w.authors} [{w.year}]" for w in works)
    return "[" + ", ".join(f"{w.authors}, {w.year}" for w in works) + "]"


def convert_inline(text: str, book: Book, docname: str = "", cited: list | None = None) -> str:
    """``text`` with every role the book uses replaced; other roles are left for
    :func:`myst_marks` to find."""
    cited = [] if cited is None else cited

    def replace(match: re.Match) -> str:
        name, content = match["name"], match["content"]
        if name in ("glue", "glue:text"):
            return paste(book, content)
        if name in ("ref", "numref"):
            return _ref(book, content, numbered=name == "numref")
        if name == "doc":
            return _doc(book, content, docname)
        if name == "term":
            return _term(book, content)
        if name in ("cite", "cite:p", "cite:ps", "cite:t", "cite:ts"):
            return _cite(book, content, name.startswith("cite:t"), cited)
        if name in ("math", "eq"):
            return f"${content}$" if name == "math" else f"({content})"
        return match[0]

    return ROLE.sub(replace, text)

"""Book helpers: numbers the prose relies on, checked; code the prose shows, read from the source.

A chapter states results in words: "close to ln 10", "above 85 %", "less sure when
wrong". Each such number is pasted into the text with myst-nb's ``glue`` and,
with :func:`claim`, also carries the range its wording needs. When the book is
built (``conf.py`` sets ``FASHION_LESSONS_CHECK_CLAIMS=1``), a value outside its
range raises :class:`ClaimError`, which fails the build with the chapter, the
cell, the claim, the value and the range. A reader running the notebook
elsewhere gets a printed note instead: results vary a little by machine.

A chapter that explains a function of the package shows its actual code:
:func:`show_source` displays a function's source without its docstring
(:func:`function_source`), so the page can never drift from what runs.
"""

from __future__ import annotations

import ast
import inspect
import json
import os
import textwrap
from collections.abc import Callable

__all__ = ["ClaimError", "claim", "function_source", "show_source"]

CHECK_ENV = "FASHION_LESSONS_CHECK_CLAIMS"
# Where every claim (value and range) is appended as a JSON line, if set: how far each
# result sits from the edge of its range, for an author checking a chapter on a new CPU.
LOG_ENV = "FASHION_LESSONS_CLAIM_LOG"


class ClaimError(AssertionError):
    """A result fell outside the range the chapter's text relies on."""


def claim(name: str, value, low=None, high=None, wording: str = ""):
    """Glue ``value`` as ``name`` and check that ``low <= value <= high``.

    Parameters
    ----------
    name : str
        The glue key the prose pastes, e.g. ``{glue:text}`test_acc:.1%```.
    value : float or int
        The computed result.
    low, high : float, optional
        The range the wording relies on; either may be None (unbounded).
    wording : str, optional
        What the text says, for the error message, e.g. ``"above 85 %"``.

    Returns
    -------
    The value, so a cell can use it further.

    Raises
    ------
    ClaimError
        When the book is being built and the value is out of range.
    """
    from myst_nb import glue

    value = value.item() if hasattr(value, "item") else value
    glue(name, value, display=False)
    if os.environ.get(LOG_ENV):
        record = {"name": name, "value": value, "low": low, "high": high, "wording": wording}
        with open(os.environ[LOG_ENV], "a", encoding="utf-8") as log:
            log.write(json.dumps(record, default=float) + "\n")
    if (low is None or value >= low) and (high is None or value <= high):
        return value
    bounds = f"[{'-inf' if low is None else low}, {'inf' if high is None else high}]"
    said = f" (the text says {wording!r})" if wording else ""
    message = f"claim {name!r} = {value!r} is outside {bounds}, the range the text relies on{said}"
    if os.environ.get(CHECK_ENV) == "1":
        raise ClaimError(message + ". Update the chapter's text and range, or find what changed.")
    print(f"Note: {message}. Results vary a little from machine to machine.")
    return value


def function_source(function: Callable) -> str:
    """The source code of a function or method, without its docstring.

    For showing code on a page, e.g. ``function_source(SGD.update)`` or
    ``function_source(MLP.backward)``.

    Parameters
    ----------
    function : callable
        A function or method defined in Python source.

    Returns
    -------
    str
        Its ``def`` line and body, dedented, the docstring removed.
    """
    source = textwrap.dedent(inspect.getsource(function))
    definition = ast.parse(source).body[0]
    lines = source.splitlines()
    body = definition.body
    if (
        body
        and isinstance(body[0], ast.Expr)
        and isinstance(body[0].value, ast.Constant)
        and isinstance(body[0].value.value, str)
    ):
        del lines[body[0].lineno - 1 : body[0].end_lineno]  # the docstring's lines
    return "\n".join(lines)


def show_source(function: Callable):
    """Display :func:`function_source` of ``function`` as a highlighted Python block.

    Returns an ``IPython.display.Markdown`` object holding a fenced code block,
    which a notebook (and the book, through myst-nb) renders with the page's
    own code highlighting. ``function`` is any that :func:`function_source` takes.
    """
    from IPython.display import Markdown  # only needed in a notebook

    return Markdown(f"```python\n{function_source(function)}\n```")

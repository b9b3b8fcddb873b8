"""Numbers the prose relies on, pasted from the run and checked against their range.

A chapter states results in words: "close to ln 10", "above 85 %", "less sure when
wrong". Each such number is pasted into the text with myst-nb's ``glue`` and,
with :func:`claim`, also carries the range its wording needs. When the book is
built (``conf.py`` sets ``FASHION_LESSONS_CHECK_CLAIMS=1``), a value outside its
range raises :class:`ClaimError`, which fails the build with the chapter, the
cell, the claim, the value and the range. A reader running the notebook
elsewhere gets a printed note instead: results vary a little by machine.
"""

from __future__ import annotations

import os

__all__ = ["ClaimError", "claim"]

CHECK_ENV = "FASHION_LESSONS_CHECK_CLAIMS"


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
    if (low is None or value >= low) and (high is None or value <= high):
        return value
    bounds = f"[{'-inf' if low is None else low}, {'inf' if high is None else high}]"
    said = f" (the text says {wording!r})" if wording else ""
    message = f"claim {name!r} = {value!r} is outside {bounds}, the range the text relies on{said}"
    if os.environ.get(CHECK_ENV) == "1":
        raise ClaimError(message + ". Update the chapter's text and range, or find what changed.")
    print(f"Note: {message}. Results vary a little from machine to machine.")
    return value

"""Render the book's figures as a light/dark pair with alt text.

A figure displayed in a chapter (see :mod:`fashion_lessons.plots._display`)
arrives as an ``image/png`` output whose metadata holds its alt text and a
second PNG drawn for a dark page. This myst-nb mime renderer plugin (registered
under the ``myst_nb.mime_renderers`` entry point) writes both images, marks them
``only-light`` and ``only-dark`` (classes the theme shows and hides with the
reader's colour mode) and gives both the alt text. Outputs without that metadata
are left to myst-nb.

It also renders the widgets' export (:data:`fashion_lessons.export.EXPORT_MIME`) as
nothing: that output is data for the build (:mod:`.widgets`), not for the page,
which shows the bundle's ``text/plain`` summary instead if the cell is visible.
"""

from __future__ import annotations

import dataclasses

from fashion_lessons._outputs import DARK_KEY

#: fashion_lessons.export.EXPORT_MIME, spelled out: this module is loaded by myst-nb's
#: entry point and must stay light (fashion_lessons.export imports numpy).
EXPORT_MIME = "application/vnd.fashion-lessons.export+json"


class FigurePairRenderer:
    """myst-nb mime renderer plugin for the book's light/dark figure pairs."""

    mime_priority_overrides = ()

    @staticmethod
    def handle_mime(renderer, data, inline):
        if data.mime_type == EXPORT_MIME:
            return []
        metadata = data.output_metadata.get("image/png", {})
        if inline or data.mime_type != "image/png" or DARK_KEY not in metadata:
            return None
        dark_data = dataclasses.replace(data, content=metadata[DARK_KEY])
        nodes = []
        for mime_data, mode in [(data, "light"), (dark_data, "dark")]:
            (image,) = renderer.render_image(mime_data)
            image["alt"] = metadata.get("alt", "")
            image["classes"] += ["fl-figure", f"only-{mode}"]
            nodes.append(image)
        return nodes

"""The words style.css prints in the page margins ("Page X of Y"), in the book's language,
and the running heads mirrored for a right-to-left book. English needs none of it: the
built-in stylesheets say it already. Printed as a `<style>` right after the built-in
stylesheets (before a house style's), so a house style can still change the margins."""

from __future__ import annotations

import re

from markupsafe import Markup

from briefgen.language import gettext as _
from briefgen.language import is_rtl, speaking

_FONT = 'font: 7.5pt "Noto Sans", "DejaVu Sans", sans-serif'


def _css_string(words: str) -> str:
    return '"' + words.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def page_numbers(language: str) -> str:
    """`"Page " counter(page) " of " counter(pages)` in `language`, as CSS `content`."""
    with speaking(language):
        words = _("Page %(page)s of %(pages)s")
    pieces = re.split(r"(%\((?:page|pages)\)s)", words)
    out = []
    for piece in pieces:
        if piece in ("%(page)s", "%(pages)s"):
            out.append(f"counter({piece[2:-2]})")
        elif piece:
            out.append(_css_string(piece))
    return " ".join(out)


def page_css(language: str, duplex: bool) -> Markup:
    """The margin boxes' words for a book in `language` ("" for English)."""
    if language == "en":
        return Markup("")
    numbers = page_numbers(language)
    rules = [f"@page {{ @bottom-right {{ content: {numbers}; }} }}"]
    if duplex:
        rules.append(f"@page :left {{ @bottom-left {{ content: {numbers}; }} }}")
    if is_rtl(language):  # the running heads and the footer mirrored: the title on the right
        rules.append(
            "@page { "
            "@top-right { content: string(trip-title); text-align: right; } "
            "@top-left { content: string(section); text-align: left; } "
            + (
                ""
                if duplex
                else "@bottom-right { content: string(version); text-align: right; } "
                f"@bottom-left {{ content: {numbers}; text-align: left; {_FONT}; color: #333; "
                "vertical-align: top; padding-top: 8pt; } "
            )
            + "}"
        )
        rules.append("@page :first { @top-left { content: none; } @top-right { content: none; } }")
    return Markup("<style>{}</style>").format(Markup("\n".join(rules)))

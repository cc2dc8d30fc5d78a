"""The words style.css prints in the page margins ("Page X of Y", the running head over the
contents), in the book's language.
English needs none of it: the built-in stylesheets say it already. Printed as a `<style>`
right after the built-in stylesheets (before a house style's), so a house style can still
change the margins."""

from __future__ import annotations

import re

from markupsafe import Markup

from briefgen.language import gettext as _
from briefgen.language import is_rtl, speaking


def _css_string(words: str) -> str:
    return '"' + words.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def page_numbers(words: str) -> str:
    """`words` ("Page %(page)s of %(pages)s", translated) as CSS `content`:
    `"Page " counter(page) " of " counter(pages)`."""
    pieces = re.split(r"(%\((?:page|pages)\)s)", words)
    out = []
    for piece in pieces:
        if piece in ("%(page)s", "%(pages)s"):
            out.append(f"counter({piece[2:-2]})")
        elif piece:
            out.append(_css_string(piece))
    return " ".join(out)


def page_css(language: str, duplex: bool) -> Markup:
    """The page numbers' words for a book in `language` ("" for English): bottom right, or
    bottom left in a right-to-left book (rtl.css mirrors the rest); on the outer edge of
    both sides when printed double-sided (duplex.css); the pocket card's shorter ones on
    its own pages (style.css `@page pocket`)."""
    if language == "en":
        return Markup("")
    with speaking(language):
        numbers = page_numbers(_("Page %(page)s of %(pages)s"))
        pocket = page_numbers(_("%(page)s of %(pages)s"))
        contents = _css_string(_("Contents"))
    side = "left" if is_rtl(language) else "right"
    if is_rtl(language) and not duplex:
        rule = f"@page {{ @bottom-left {{ content: {numbers}; text-align: left; }} }}"
    else:
        rule = f"@page {{ @bottom-right {{ content: {numbers}; }} }}"
    if duplex:
        rule += f"\n@page :left {{ @bottom-left {{ content: {numbers}; }} }}"
    if duplex:  # duplex.css's pocket pages: each side's number on its outer edge
        rule += f"\n@page pocket:left {{ @bottom-left {{ content: {pocket}; }} }}"
        rule += f"\n@page pocket:right {{ @bottom-right {{ content: {pocket}; }} }}"
    else:
        rule += f"\n@page pocket {{ @bottom-{side} {{ content: {pocket}; }} }}"
    # the running head over the contents (style.css's .toc-title)
    rule += f"\n.toc-title {{ string-set: section {contents}; }}"
    return Markup("<style>{}</style>").format(Markup(rule))

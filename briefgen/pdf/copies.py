"""Numbered copies (`--copies N`): the document laid out once, then N copies of its pages one
after another in one PDF, every page marked `Copy k of N` and, with `memo.distribution`, the
name of copy k's recipient.

Laying the whole document out again for each copy would cost N layouts (seconds each). Only
the marks differ, so they are laid out together in one small document, a page per copy and
slot, each mark in a page-margin box: the bottom corner that does not number the pages (the
version line's, on the inner edge with --duplex, on the right in a right-to-left book), in
that line's look (font, colour, place in its box) and width. Each mark's box then takes the
place of that corner's own box on its copy's pages: one footer line, `Copy 2 of 3 · Amb.
Harlan · Version 4`: the copy and its holder first, so that a long version is what the
line's ellipsis cuts (pdf/ellipsis.py), never the copy number. The pages keep everything
else (running heads, `Page i of n` counting within the copy); a copy's links and anchors are
renamed so that they stay inside it, and its bookmarks hang under one `Copy k of N`
bookmark. With --duplex every copy has an even number of pages, so each copy starts on a
new sheet, on a right-hand page.

This reaches into WeasyPrint's laid-out pages (`Page._page_box`, pinned to WeasyPrint 70).
"""

from __future__ import annotations

import html
from typing import NamedTuple

import weasyprint
from weasyprint.document import Page
from weasyprint.formatting_structure import boxes

from briefgen.language import gettext as _
from briefgen.language import speaking
from briefgen.pdf import ellipsis
from briefgen.pdf.fetcher import AssetFetcher
from briefgen.pdf.fonts import font_config

MARK_STYLE = "white-space: nowrap; overflow: hidden; text-overflow: ellipsis;"
FALLBACK_LOOK = (  # with no footer line to take the look of
    'font-family: "Noto Sans", "DejaVu Sans", sans-serif; font-size: 10px; color: #333;'
    " vertical-align: top; padding-top: 10.67px;"
)
MARK_LENGTH = 120
BOTTOM_CORNERS = ("@bottom-left", "@bottom-right")


def copy_marks(
    count: int, names: list[str], version: object = None, language: str = "en"
) -> list[str]:
    """One footer line per copy, in the book's language: `Copy 2 of 3 · Amb. Harlan · Version 4`
    (the k-th name of the distribution when there is one, the version when the memo has one).
    At most MARK_LENGTH characters: no footer shows as many (as base.html.j2's running
    version); the footer cuts what does not fit with an ellipsis (pdf/ellipsis.py)."""
    with speaking(language):
        tail = " · " + _("Version %(number)s") % {"number": version} if version is not None else ""
        marks = [
            _("Copy %(number)s of %(count)s") % {"number": k, "count": count}
            + (f" · {names[k - 1]}" if k <= len(names) else "")
            + tail
            for k in range(1, count + 1)
        ]
    return [mark if len(mark) <= MARK_LENGTH else mark[: MARK_LENGTH - 1] + "…" for mark in marks]


def _bottom_corners(page: Page) -> dict[str, boxes.MarginBox]:
    return {
        box.at_keyword: box
        for box in page._page_box.children
        if isinstance(box, boxes.MarginBox) and box.at_keyword in BOTTOM_CORNERS
    }


def _counts_pages(box: boxes.MarginBox) -> bool:
    content = box.style["content"]
    return isinstance(content, tuple) and any(
        kind == "counter()" and args[0] in ("page", "pages") for kind, args in content
    )


def _stamp_corner(page: Page, duplex: bool) -> str:
    """The bottom corner the copy's mark takes: the one not numbering the pages (the version's,
    on the inner edge: its side depends on the page's and the book's direction); when neither
    numbers them (a house style's footer), the inner edge: the right of a left-hand page."""
    corners = _bottom_corners(page)
    for corner, other in zip(BOTTOM_CORNERS, reversed(BOTTOM_CORNERS), strict=True):
        if corner in corners and _counts_pages(corners[corner]):
            return other
    side = page._page_box.page_type.side
    return "@bottom-right" if duplex and side == "left" else "@bottom-left"


class Slot(NamedTuple):
    """Where and how a copy's mark is printed on a page: the page's size and margins, the
    corner, the look of the line it replaces (CSS: font, colour, place in the box) and the
    box's width."""

    width: float
    height: float
    margins: tuple[float, float, float, float]  # top, right, bottom, left
    corner: str
    look: str
    room: float


def _slot(page: Page, corner: str) -> Slot:
    """`page`'s slot for the mark in `corner`, in the look of the line there (else of the
    other corner's line)."""
    box = page._page_box
    corners = _bottom_corners(page)
    model = corners.get(corner) or next(iter(corners.values()), None)
    margins = (box.margin_top, box.margin_right, box.margin_bottom, box.margin_left)
    if model is None:
        room = 0.47 * (page.width - box.margin_left - box.margin_right)
        return Slot(page.width, page.height, margins, corner, FALLBACK_LOOK, room)
    style = model.style
    look = (
        f"font-family: {_family(tuple(style['font_family']))}; font-size: {style['font_size']}px;"
        f" font-weight: {style['font_weight']}; font-style: {style['font_style']};"
        f" color: {style['color']}; vertical-align: {style['vertical_align']};"
        f" padding-top: {model.padding_top}px; padding-bottom: {model.padding_bottom}px;"
    )
    return Slot(page.width, page.height, margins, corner, look, float(model.width))


def _family(names: tuple[str, ...]) -> str:
    generic = {"serif", "sans-serif", "monospace", "cursive", "fantasy"}
    return ", ".join(
        name if name in generic else '"' + name.replace('"', "") + '"' for name in names
    )


def _marks_document(marks: list[str], slots: list[Slot], rtl: bool) -> list[Page]:
    """One page per (mark, slot), in that order, holding the mark in the slot's corner."""
    rules, body = [], []
    for g, slot in enumerate(slots):
        top, right, bottom, left = slot.margins
        rules.append(
            f"@page g{g} {{ size: {slot.width}px {slot.height}px; "
            f"margin: {top}px {right}px {bottom}px {left}px;"
            f" {slot.corner} {{ content: string(copy); text-align: {slot.corner[8:]};"
            f" {MARK_STYLE} {slot.look} width: {slot.room}px; }} }}"
        )
    for mark in marks:
        for g in range(len(slots)):
            body.append(f'<div style="page: g{g}" data-copy="{html.escape(mark)}"></div>')
    source = (
        f'<!DOCTYPE html><html dir="{"rtl" if rtl else "ltr"}"><head><meta charset="utf-8">'
        "<style>"
        + "\n".join(rules)
        + "\ndiv { string-set: copy attr(data-copy); break-before: page; height: 1px; }"
        "</style></head><body>" + "".join(body) + "</body></html>"
    )
    document = weasyprint.HTML(string=source, url_fetcher=AssetFetcher([])).render(
        font_config=font_config()
    )
    ellipsis.draw_inside(document.pages)
    return document.pages


def _margin_box(page: Page, at_keyword: str) -> boxes.MarginBox:
    return next(
        box
        for box in page._page_box.children
        if isinstance(box, boxes.MarginBox) and box.at_keyword == at_keyword
    )


def numbered(
    document: weasyprint.Document, marks: list[str], duplex: bool = False, rtl: bool = False
) -> weasyprint.Document:
    """The document's pages once per mark, each page carrying its copy's mark."""
    pages = document.pages
    slots = [_slot(page, _stamp_corner(page, duplex)) for page in pages]
    distinct = list(dict.fromkeys(slots))
    mark_pages = _marks_document(marks, distinct, rtl)
    result = []
    for k, mark in enumerate(marks):
        prefix = f"copy{k + 1}-"
        for number, page in enumerate(pages):
            corner = slots[number].corner
            stamp = _margin_box(
                mark_pages[k * len(distinct) + distinct.index(slots[number])], corner
            )
            box = page._page_box
            # the stamp takes the place of the corner's own line (the version): one line
            kept = [
                child
                for child in box.children
                if not (isinstance(child, boxes.MarginBox) and child.at_keyword == corner)
            ]
            copy = Page(box.copy_with_children([*kept, stamp]))
            copy.anchors = {prefix + name: at for name, at in copy.anchors.items()}
            copy.links = [
                (kind, prefix + target if kind == "internal" else target, *rest)
                for kind, target, *rest in copy.links
            ]
            copy.bookmarks = [(level + 1, *rest) for level, *rest in copy.bookmarks]
            if number == 0:
                copy.bookmarks.insert(0, (1, mark, (0, 0), "closed"))
            result.append(copy)
    return document.copy(result)

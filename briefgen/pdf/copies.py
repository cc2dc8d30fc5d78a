"""Numbered copies (`--copies N`): the document laid out once, then N copies of its pages one
after another in one PDF, every page marked `Copy k of N` and, with `memo.distribution`, the
name of copy k's recipient.

Laying the whole document out again for each copy would cost N layouts (seconds each). Only
the marks differ, so they are laid out together in one small document, a page per copy and
slot, each mark in a page-margin box: the bottom corner that does not number the pages (the
version line's, on the inner edge with --duplex, on the right in a right-to-left book), in
that line's font, size and width. Each mark's box then takes the place of that corner's own
box on its copy's pages: one footer line, `Copy 2 of 3 · Amb. Harlan ·
Version 4`: the copy and its holder first, so that a long version is what the line's ellipsis
cuts, never the copy number. The pages keep everything else (running heads, `Page i of n`
counting within the copy); a copy's links and anchors are renamed so that they stay inside
it, and its bookmarks hang under one `Copy k of N` bookmark. With --duplex every copy has an
even number of pages, so each copy starts on a new sheet, on a right-hand page.

This reaches into WeasyPrint's laid-out pages (`Page._page_box`, pinned to WeasyPrint 70).
"""

from __future__ import annotations

import html
import itertools
from typing import NamedTuple

import weasyprint
from weasyprint.document import Page
from weasyprint.formatting_structure import boxes

from briefgen.language import gettext as _
from briefgen.language import speaking
from briefgen.pdf.fetcher import AssetFetcher
from briefgen.pdf.fonts import font_config

MARK_STYLE = "color: #333; vertical-align: top; white-space: nowrap; overflow: hidden;"
FALLBACK_FONT = ("Noto Sans", "DejaVu Sans", "sans-serif")
BOTTOM_CORNERS = ("@bottom-left", "@bottom-right")


def copy_marks(
    count: int, names: list[str], version: object = None, language: str = "en"
) -> list[str]:
    """One footer line per copy, in the book's language: `Copy 2 of 3 · Amb. Harlan · Version 4`
    (the k-th name of the distribution when there is one, the version when the memo has one)."""
    with speaking(language):
        tail = " · " + _("Version %(number)s") % {"number": version} if version is not None else ""
        return [
            _("Copy %(number)s of %(count)s") % {"number": k, "count": count}
            + (f" · {names[k - 1]}" if k <= len(names) else "")
            + tail
            for k in range(1, count + 1)
        ]


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
    corner, and the look of the line it replaces: font, size, space above, width."""

    width: float
    height: float
    margins: tuple[float, float, float, float]  # top, right, bottom, left
    corner: str
    family: tuple[str, ...]
    size: float
    above: float
    room: float


def _slot(page: Page, corner: str) -> Slot:
    """`page`'s slot for the mark in `corner`, in the look of the line there (else of the
    other corner's line)."""
    box = page._page_box
    corners = _bottom_corners(page)
    model = corners.get(corner) or next(iter(corners.values()), None)
    margins = (box.margin_top, box.margin_right, box.margin_bottom, box.margin_left)
    if model is None:
        return Slot(
            page.width, page.height, margins, corner, FALLBACK_FONT, 10.0, 10.67, 0.47 * page.width
        )
    return Slot(
        page.width,
        page.height,
        margins,
        corner,
        tuple(model.style["font_family"]),
        float(model.style["font_size"]),
        float(model.style["padding_top"].value),
        float(model.width),
    )


def _family(names: tuple[str, ...]) -> str:
    generic = {"serif", "sans-serif", "monospace", "cursive", "fantasy"}
    return ", ".join(
        name if name in generic else '"' + name.replace('"', "") + '"' for name in names
    )


def _marks_document(texts: list[list[str]], slots: list[Slot], rtl: bool) -> list[Page]:
    """One page per (mark, slot), in that order, holding `texts[k][g]` in slot g's corner."""
    rules, body = [], []
    for g, slot in enumerate(slots):
        top, right, bottom, left = slot.margins
        rules.append(
            f"@page g{g} {{ size: {slot.width}px {slot.height}px; "
            f"margin: {top}px {right}px {bottom}px {left}px;"
            f" {slot.corner} {{ content: string(copy); text-align: {slot.corner[8:]};"
            f" {MARK_STYLE} font-family: {_family(slot.family)}; font-size: {slot.size}px;"
            f" padding-top: {slot.above}px; width: {slot.room}px; }} }}"
        )
    for by_slot in texts:
        for g, text in enumerate(by_slot):
            body.append(f'<div style="page: g{g}" data-copy="{html.escape(text)}"></div>')
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
    return document.pages


def _margin_box(page: Page, at_keyword: str) -> boxes.MarginBox:
    return next(
        box
        for box in page._page_box.children
        if isinstance(box, boxes.MarginBox) and box.at_keyword == at_keyword
    )


def _stamps(marks: list[str], slots: list[Slot], rtl: bool) -> list[list[boxes.MarginBox]]:
    """`stamps[k][g]`: copy k's mark laid out in slot g, its tail cut for an ellipsis where
    the whole line does not fit. briefgen cuts it, not CSS: WeasyPrint 70 draws no ellipsis
    in a right-to-left line, and maps its own to all the text it cut."""
    texts = [[mark] * len(slots) for mark in marks]
    for _attempt in range(4):
        pages = iter(_marks_document(texts, slots, rtl))
        stamps = [[_margin_box(next(pages), slot.corner) for slot in slots] for _mark in marks]
        cut = False
        for k, g in itertools.product(range(len(marks)), range(len(slots))):
            used = max((line.width for line in stamps[k][g].children), default=0.0)
            if used > slots[g].room:
                text = texts[k][g].removesuffix("…")
                keep = max(1, int(len(text) * slots[g].room / used) - 1)
                texts[k][g] = text[:keep].rstrip(" ·") + "…"
                cut = True
        if not cut:
            break
    return stamps


def numbered(
    document: weasyprint.Document, marks: list[str], duplex: bool = False, rtl: bool = False
) -> weasyprint.Document:
    """The document's pages once per mark, each page carrying its copy's mark."""
    pages = document.pages
    slots = [_slot(page, _stamp_corner(page, duplex)) for page in pages]
    distinct = list(dict.fromkeys(slots))
    stamps = _stamps(marks, distinct, rtl)
    result = []
    for k, mark in enumerate(marks):
        prefix = f"copy{k + 1}-"
        for number, page in enumerate(pages):
            corner = slots[number].corner
            stamp = stamps[k][distinct.index(slots[number])]
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

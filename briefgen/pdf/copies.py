"""Numbered copies (`--copies N`): the document laid out once, then N copies of its pages one
after another in one PDF, every page marked `Copy k of N` and, with `memo.distribution`, the
name of copy k's recipient.

Laying the whole document out again for each copy would cost N layouts (seconds each). Only
the marks differ, so they are laid out together in one small document, a page per copy and
page geometry, each mark in a page-margin box (`@bottom-left`, the inner edge with --duplex:
`@bottom-right` on left-hand pages). Each mark's box then takes the place of that corner's own
box (the version line) on its copy's pages: one footer line, `Copy 2 of 3 · Amb. Harlan ·
Version 4`: the copy and its holder first, so that a long version is what the line's ellipsis
cuts, never the copy number. The pages keep everything else (running heads, `Page i of n`
counting within the copy); a copy's links and anchors are renamed so that they stay inside
it, and its bookmarks hang under one `Copy k of N` bookmark. With --duplex every copy has an
even number of pages, so each copy starts on a new sheet, on a right-hand page.

This reaches into WeasyPrint's laid-out pages (`Page._page_box`, pinned to WeasyPrint 70).
"""

from __future__ import annotations

import html

import weasyprint
from weasyprint.document import Page
from weasyprint.formatting_structure import boxes

from briefgen.pdf.fetcher import AssetFetcher
from briefgen.pdf.fonts import font_config

MARK_STYLE = (
    'font: 7.5pt "Noto Sans", "DejaVu Sans", "Noto Sans CJK SC", sans-serif; '
    "color: #333; vertical-align: top; padding-top: 8pt; white-space: nowrap; "
    "overflow: hidden; text-overflow: ellipsis; width: 47%;"
)


def copy_marks(count: int, names: list[str], version: object = None) -> list[str]:
    """One footer line per copy: `Copy 2 of 3 · Amb. Harlan · Version 4` (the k-th name of the
    distribution when there is one, the version when the memo has one)."""
    tail = f" · Version {version}" if version is not None else ""
    return [
        f"Copy {k} of {count}" + (f" · {names[k - 1]}" if k <= len(names) else "") + tail
        for k in range(1, count + 1)
    ]


def _geometry(page: Page) -> tuple[float, ...]:
    box = page._page_box
    return (
        page.width,
        page.height,
        box.margin_top,
        box.margin_right,
        box.margin_bottom,
        box.margin_left,
    )


def _marks_document(marks: list[str], geometries: list[tuple[float, ...]]) -> list[Page]:
    """One page per (mark, geometry), in that order, holding the mark in both bottom corners."""
    rules, body = [], []
    for g, (width, height, top, right, bottom, left) in enumerate(geometries):
        rules.append(
            f"@page g{g} {{ size: {width}px {height}px; "
            f"margin: {top}px {right}px {bottom}px {left}px;"
            f" @bottom-left {{ content: string(copy); text-align: left; {MARK_STYLE} }}"
            f" @bottom-right {{ content: string(copy); text-align: right; {MARK_STYLE} }} }}"
        )
    for mark in marks:
        for g in range(len(geometries)):
            body.append(f'<div style="page: g{g}" data-copy="{html.escape(mark)}"></div>')
    source = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><style>'
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


def numbered(
    document: weasyprint.Document, marks: list[str], duplex: bool = False
) -> weasyprint.Document:
    """The document's pages once per mark, each page carrying its copy's mark."""
    pages = document.pages
    geometries: list[tuple[float, ...]] = []
    for page in pages:
        if _geometry(page) not in geometries:
            geometries.append(_geometry(page))
    mark_pages = _marks_document(marks, geometries)
    result = []
    for k, mark in enumerate(marks):
        prefix = f"copy{k + 1}-"
        for number, page in enumerate(pages):
            g = geometries.index(_geometry(page))
            corner = "@bottom-right" if duplex and number % 2 else "@bottom-left"
            stamp = _margin_box(mark_pages[k * len(geometries) + g], corner)
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

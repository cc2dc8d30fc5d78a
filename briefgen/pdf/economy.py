"""Page economy: a forced page break that would leave the page before it under UNDERFILLED
full is not taken; the element flows on after a gap (FLOW_ON_GAP) instead. Decided while
WeasyPrint lays each page out, so a document is laid out once, first build or rebuild.

Which breaks are forced is the stylesheet's business (`.tab`, `.toc`, `.event-sheet.own-sheet`
in templates/style.css: BREAKING); this module only declines them, through two functions of
WeasyPrint 70's layout it wraps (`install`): `layout.page.make_page`, to know the page being
laid out, and `layout.block.block_level_page_break`, the break between two siblings, read
just before the second is laid out. tests/test_economy.py fails loudly when an upgrade
changes either.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from weasyprint.css.properties import Dimension
from weasyprint.layout import block, page

UNDERFILLED = 0.4  # a page under this fill is waste (issue 16: a third; a margin kept)
BREAKING = frozenset({"tab", "toc", "own-sheet"})
FORCED = frozenset({"page", "left", "right", "recto", "verso"})
FLOW_ON_GAP = Dimension(20 * 4 / 3, "px")  # 20pt above what flows on, instead of a new page

_context: ContextVar[Any] = ContextVar("briefgen_layout_context", default=None)
_real_make_page = page.make_page
_real_page_break = block.block_level_page_break


def _unit(box) -> Any:
    """The box, or the first of its first descendants, whose element may start a page."""
    while box is not None:
        element = getattr(box, "element", None)
        classes = (element.get("class") or "").split() if element is not None else ()
        if not getattr(box, "pseudo_type", None) and BREAKING.intersection(classes):
            return box
        children = getattr(box, "children", None)
        box = children[0] if children and children[0].is_in_normal_flow() else None
    return None


def _fill_above(context, box) -> float:
    """How far down the page being laid out its content reaches where `box` would start."""
    area = getattr(context, "current_footnote_area", None)
    if area is None or box.position_y is None:
        return 0.0
    top, height = area.page.content_box_y(), area.page.height
    return (box.position_y - top) / height if height else 0.0


def _page_break(sibling_before, sibling_after) -> str:
    value = _real_page_break(sibling_before, sibling_after)
    if value not in FORCED or (unit := _unit(sibling_after)) is None:
        return value
    context = _context.get()
    if context is None:  # not within a page's layout
        return value
    # the unit's own margin, kept per layout: its style is the element's, shared by its boxes
    margins = context.__dict__.setdefault("briefgen_margins", {})
    original = margins.setdefault(id(unit.style), unit.style["margin_top"])
    flows_on = 0 < _fill_above(context, sibling_after) < UNDERFILLED
    unit.style["margin_top"] = FLOW_ON_GAP if flows_on else original
    return "auto" if flows_on else value


def _make_page(context, *args, **kwargs):
    token = _context.set(context)
    try:
        return _real_make_page(context, *args, **kwargs)
    finally:
        _context.reset(token)


def install() -> None:
    """Wrap WeasyPrint's two layout functions (once; what every later layout uses)."""
    page.make_page = _make_page
    block.block_level_page_break = _page_break

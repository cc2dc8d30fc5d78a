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

from contextlib import AbstractContextManager
from contextvars import ContextVar
from typing import Any

from weasyprint.css.properties import Dimension
from weasyprint.formatting_structure import boxes
from weasyprint.layout import block, page

from briefgen.scoped import scoped

UNDERFILLED = 0.4  # a page under this fill is waste (issue 16: a third; a margin kept)
BREAKING = frozenset({"tab", "toc", "own-sheet"})
FORCED = frozenset({"page", "left", "right", "recto", "verso"})
FLOW_ON_GAP = Dimension(20 * 4 / 3, "px")  # 20pt above what flows on, instead of a new page

_context: ContextVar[Any] = ContextVar("briefgen_layout_context", default=None)
_declining: ContextVar[bool] = ContextVar("briefgen_page_economy", default=True)
_real_make_page = page.make_page
_real_page_break = block.block_level_page_break


_CHAIN = (boxes.BlockLevelBox, boxes.TableRowGroupBox, boxes.TableRowBox)


def _chain(box, last: bool = False):
    """The box and its first (or last) descendants, as WeasyPrint reads break values."""
    while isinstance(box, _CHAIN) and (box.is_in_normal_flow() or box.is_floated()):
        yield box
        box = (box.children[-1 if last else 0]) if box.children else None


def _is_unit(box) -> bool:
    element = getattr(box, "element", None)
    classes = (element.get("class") or "").split() if element is not None else ()
    return not getattr(box, "pseudo_type", None) and bool(BREAKING.intersection(classes))


def _unit(sibling_before, sibling_after) -> tuple[Any, bool]:
    """The unit starting at `sibling_after` (or None), and whether the forced break is its own
    to decline: no other box forces it (a `break-after` before it, a wrapper's or a heading's
    `break-before` in a house style) and it changes no named page."""
    unit, own = None, True
    for box in _chain(sibling_after):
        if _is_unit(box):
            unit = unit or box
        elif box.style["break_before"] in FORCED:
            own = False
    if unit is not None and own:
        own = not any(box.style["break_after"] in FORCED for box in _chain(sibling_before, True))
        own = own and not block.block_level_page_name(sibling_before, sibling_after)
    return unit, own


def _fill_above(context, box) -> float:
    """How far down the page being laid out its content reaches where `box` would start
    (floats beside the flow included)."""
    area = getattr(context, "current_footnote_area", None)
    if area is None or box.position_y is None:
        return 0.0
    top, height = area.page.content_box_y(), area.page.height
    reach = box.position_y
    try:
        floats = list(context.excluded_shapes or ())
    except (IndexError, KeyError):  # no block formatting context open
        floats = []
    for shape in floats:
        if shape.position_y is not None:
            reach = max(reach, shape.position_y + shape.margin_height())
    return (reach - top) / height if height else 0.0


def _page_break(sibling_before, sibling_after) -> str:
    value = _real_page_break(sibling_before, sibling_after)
    if value not in FORCED:
        return value
    unit, own = _unit(sibling_before, sibling_after)
    context = _context.get()
    if unit is None or context is None or not _declining.get():  # nothing to decline
        return value
    # the unit's own margin, kept per layout: its style is the element's, shared by its boxes
    margins = context.__dict__.setdefault("briefgen_margins", {})
    original = margins.setdefault(id(unit.style), unit.style["margin_top"])
    flows_on = own and 0 < _fill_above(context, sibling_after) < UNDERFILLED
    unit.style["margin_top"] = FLOW_ON_GAP if flows_on else original
    return "auto" if flows_on else value


def declining(on: bool) -> AbstractContextManager[None]:
    """Page economy on or off for the layouts in the block."""
    return scoped(_declining, on)


def on_the_wrong_side(document) -> bool:
    """Whether a unit that asks for a right-hand (left-hand) page starts a left-hand (right-
    hand) one: a break declined, then taken anyway because the unit did not fit after all
    (an unbreakable block at its start), lands on whichever side comes next."""
    seen: set[int] = set()
    for page_ in document.pages:
        box = page_._page_box
        for child in box.descendants():
            element = getattr(child, "element", None)
            if not _is_unit(child) or id(element) in seen or child.position_y is None:
                continue
            seen.add(id(element))
            wanted = child.style["break_before"]
            at_top = abs(child.position_y - box.content_box_y()) < 0.5
            if at_top and wanted in ("left", "right") and wanted != box.page_type.side:
                return True
    return False


def _make_page(context, *args, **kwargs):
    with scoped(_context, context):
        return _real_make_page(context, *args, **kwargs)


def install() -> None:
    """Wrap WeasyPrint's two layout functions as they are now, once."""
    global _real_make_page, _real_page_break
    if page.make_page is not _make_page:
        _real_make_page, page.make_page = page.make_page, _make_page
    if block.block_level_page_break is not _page_break:
        _real_page_break, block.block_level_page_break = block.block_level_page_break, _page_break

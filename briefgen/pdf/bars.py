"""Change bars placed after layout (`build --changes-since`): each `span.change-bar`
(render/bars.py) becomes a rule as tall as what it marks on that page — the table row it
sits in, else its block (a paragraph, a bullet, an event sheet, a biography) — in the left
margin (the right one in a book right to left), or in the outer margin when printing on both
sides (right on right-hand pages, left on left-hand ones). CSS cannot say which side a box's
page is on; the page boxes can."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from weasyprint.formatting_structure import boxes

BAR_CLASS = "change-bar"
GAP = 12  # CSS px between the text's edge and the bar (9 pt)


def _bars(box: Any, ancestors: tuple = ()) -> Iterator[tuple[Any, tuple]]:
    element = getattr(box, "element", None)
    if (
        element is not None
        and getattr(box, "element_tag", None) == "span"
        and BAR_CLASS in (element.get("class") or "").split()
    ):
        yield box, ancestors
        return
    for child in getattr(box, "children", ()) or ():
        yield from _bars(child, (*ancestors, box))


def _marked(ancestors: tuple) -> Any:
    """What a bar marks: the table row it is in, else the nearest block."""
    for box in reversed(ancestors):
        if isinstance(box, boxes.TableRowBox):
            return box
    for box in reversed(ancestors):
        if isinstance(box, boxes.BlockContainerBox) and not isinstance(box, boxes.LineBox):
            return box
    return None


def _span(marked: Any) -> tuple[float, float]:
    """(top, height) of what a bar marks on its page: below a tab heading it opens with
    (the first biography and the first event sheet hold their section's heading)."""
    top, bottom = marked.border_box_y(), marked.border_box_y() + marked.border_height()
    for child in getattr(marked, "children", ()) or ():
        if getattr(child, "element_tag", None) != "h2":
            break
        top = child.border_box_y() + child.border_height()
    return top, max(bottom - top, 0)


def _fragments(box: Any, elements: dict) -> Iterator[Any]:
    """Boxes of this page that continue a marked block from an earlier page."""
    if getattr(box, "element", None) in elements and isinstance(
        box, boxes.TableRowBox | boxes.BlockContainerBox
    ):
        yield box
        return
    for child in getattr(box, "children", ()) or ():
        yield from _fragments(child, elements)


def place(document: Any, duplex: bool) -> int:
    """Put every change bar of the laid-out `document` beside what it marks (on each page
    a marked block reaches); how many bars there are."""
    placed = 0
    carried: dict[Any, Any] = {}  # the element of a marked block -> its bar
    for page in document.pages:
        page_box = page._page_box
        right_to_left = any(  # a book right to left (trip.language ar): the right margin
            getattr(child, "element_tag", "") == "html" and child.style["direction"] == "rtl"
            for child in page_box.children
        )
        right = page_box.page_type.side == "right" if duplex else right_to_left
        left = page_box.content_box_x()
        x = left + page_box.width + GAP if right else left - GAP
        here = [(bar, _marked(ancestors)) for bar, ancestors in _bars(page_box)]
        here = [(bar, marked) for bar, marked in here if marked is not None]
        own = {marked.element for _, marked in here}
        for fragment in _fragments(page_box, {e: b for e, b in carried.items() if e not in own}):
            bar = carried[fragment.element].copy()
            holder = fragment.children[0] if isinstance(fragment, boxes.TableRowBox) else fragment
            holder.children = [bar, *holder.children]
            here.append((bar, fragment))
        for bar, marked in here:
            top, height = _span(marked)
            bar.translate(x - bar.position_x, top - bar.position_y)
            bar.height = height
            carried[marked.element] = bar
            placed += 1
    return placed

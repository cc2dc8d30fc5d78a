"""Change bars placed after layout (`build --changes-since`): each `span.change-bar`
(render/bars.py) becomes a rule as tall as what it marks on that page — the table row it
sits in, else its block (a paragraph, a bullet, an event sheet, a biography) — in the left
margin, or in the outer margin when printing on both sides (right on right-hand pages, left
on left-hand ones). CSS cannot say which side a box's page is on; the page boxes can."""

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


def place(document: Any, duplex: bool) -> int:
    """Put every change bar of the laid-out `document` beside what it marks; how many."""
    placed = 0
    for page in document.pages:
        page_box = page._page_box
        outer_right = duplex and page_box.page_type.side == "right"
        left = page_box.content_box_x()
        x = left + page_box.width + GAP if outer_right else left - GAP
        for bar, ancestors in list(_bars(page_box)):
            marked = _marked(ancestors)
            if marked is None:
                continue
            top = marked.border_box_y()
            bar.translate(x - bar.position_x, top - bar.position_y)
            bar.height = marked.border_height()
            placed += 1
    return placed

"""A table that continues onto the next page says so: "Host side, continued".

A table's heading is the first row of its `thead` (macros.html.j2 `table_title`), so
WeasyPrint repeats it on every page the table reaches; its `span.continued` (", continued")
is laid out hidden (style.css), holding its room, and shown here, after layout, in the
heading of every page where the table went on from an earlier one. No second layout: a
style change on boxes already placed. Hidden text is neither drawn nor extracted nor tagged.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from weasyprint.formatting_structure import boxes

CONTINUED = "continued"  # the span's class
MARK = f'class="{CONTINUED}"'  # in the HTML only when some table can say it


def _tables(box: Any) -> Iterator[Any]:
    """The table boxes under `box` (lines are not searched: no table is inline)."""
    for child in getattr(box, "children", ()) or ():
        if isinstance(child, boxes.TableBox):
            yield child
        elif not isinstance(child, boxes.LineBox):
            yield from _tables(child)


def _shown(box: Any) -> None:
    """Make `box` and what is in it visible (their own styles: WeasyPrint shares style
    objects between a repeated header's copies)."""
    for each in box.descendants():
        each.style = each.style.copy()
        each.style["visibility"] = "visible"


def show(document: Any) -> int:
    """Show the `continued` span in each table heading repeated on a later page; how many."""
    seen: set[int] = set()
    shown = 0
    for page in document.pages:
        here = set()
        for table in _tables(page._page_box):
            here.add(id(table.element))
            if id(table.element) not in seen:
                continue
            for box in table.descendants():
                element = getattr(box, "element", None)
                if (
                    isinstance(box, boxes.InlineBox)
                    and element is not None
                    and CONTINUED in (element.get("class") or "").split()
                ):
                    _shown(box)
                    shown += 1
        seen |= here
    return shown

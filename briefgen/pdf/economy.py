"""Page economy: a forced page break that would leave the page before it under a third full
is taken back, and the document laid out once more. Which breaks are forced is the
stylesheet's business (`.tab`, `.toc`, `.event-sheet.own-sheet`); this module only numbers
the elements that carry them and marks the ones to flow on (`.flow-on`, templates/style.css).
"""

from __future__ import annotations

import re

from briefgen.pdf.budgets import page_fill

UNDERFILLED = 0.4  # a page under this fill is waste (issue 16: a third; a margin kept)
PASSES = 2  # layouts at most after the first: each takes back what the last one showed
BREAKING = ("tab", "toc", "own-sheet")
_OPENING = re.compile(r'<(section|article|nav) class="([^"]*)"')


def numbered(html: str) -> str:
    """The HTML with each element that may start a page numbered (`data-unit`)."""
    count = 0

    def number(match: re.Match) -> str:
        nonlocal count
        if not set(match[2].split()) & set(BREAKING):
            return match[0]
        count += 1
        return f'{match[0]} data-unit="{count}"'

    return _OPENING.sub(number, html)


def _starting(page) -> set[str]:
    """The units whose first box is at the top of this page."""
    found = set()
    for box in page._page_box.descendants():
        element = getattr(box, "element", None)
        if element is not None and element.get("data-unit") and box.position_y is not None:
            found.add(element.get("data-unit"))
    return found


def to_flow_on(document) -> set[str]:
    """Units that start a page right after a page left under a third full (the document's
    last page and blank pages aside)."""
    seen: set[str] = set()
    flow: set[str] = set()
    for number, page in enumerate(document.pages):
        here = _starting(page)
        new = here - seen
        if number and new and 0 < page_fill(document.pages[number - 1]) < UNDERFILLED:
            flow |= new
        seen |= here
    return flow


def flowing_on(html: str, units: set[str]) -> str:
    """The numbered HTML with these units marked `flow-on`."""

    def mark(match: re.Match) -> str:
        if match[3] not in units or "flow-on" in match[2].split():
            return match[0]
        return f'<{match[1]} class="{match[2]} flow-on" data-unit="{match[3]}"'

    return re.sub(r'<(section|article|nav) class="([^"]*)" data-unit="(\d+)"', mark, html)

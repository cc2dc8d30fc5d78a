"""Page economy: a forced page break that would leave the page before it under a third full
is taken back, and the document laid out once more. Which breaks are forced is the
stylesheet's business (`.tab`, `.toc`, `.event-sheet.own-sheet`); this module only numbers
the elements that carry them and marks the ones to flow on (`.flow-on`, templates/style.css).

A rebuild starts from what the last build of the same output took back (its names, kept in
the PDF: `INFO_KEY`), checks after one layout that each break it took back still follows a
near-empty page, and lays out cold only when one does not: a rebuild whose pages did not
move is laid out once.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from briefgen.pdf.budgets import page_fill

UNDERFILLED = 0.4  # a page under this fill is waste (issue 16: a third; a margin kept)
PASSES = 2  # layouts at most after the first: each takes back what the last one showed
BREAKING = ("tab", "toc", "own-sheet")
_OPENING = re.compile(r'<(section|article|nav) class="([^"]*)"')
_NUMBERED = re.compile(r'<(section|article|nav) class="([^"]*)" data-unit="(\d+)"([^>]*)>')
INFO_KEY = "BriefgenFlowOn"  # the PDF's Info entry naming the units its build flowed on


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
        return f'<{match[1]} class="{match[2]} flow-on" data-unit="{match[3]}"{match[4]}>'

    return _NUMBERED.sub(mark, html)


def _names(html: str) -> dict[str, str]:
    """unit number -> a name that survives edits elsewhere in the document (a digest of its
    opening tag: its classes, id and running head)."""
    return {
        match[3]: hashlib.sha256(
            f"{match[1]} {match[2].replace(' flow-on', '')} {match[4]}".encode()
        ).hexdigest()[:10]
        for match in _NUMBERED.finditer(html)
    }


def names_of(html: str, units: set[str]) -> str:
    """What to keep in the PDF for the next build: the names of the units flowed on."""
    names = _names(html)
    return " ".join(sorted(names[unit] for unit in units if unit in names))


def recall(target: Path | None) -> str:
    """The names the last build of `target` flowed on ('' when there is none to read)."""
    if target is None or not target.is_file():
        return ""
    try:
        from pypdf import PdfReader

        info: dict = PdfReader(target).metadata or {}
        return str(info.get("/" + INFO_KEY, ""))[:10_000]
    except Exception:  # an unreadable last output is no hint, never an error
        return ""


def guessed(html: str, kept: str) -> set[str]:
    """The units of this numbered HTML the last build flowed on, by name."""
    wanted = set(kept.split())
    return {unit for unit, name in _names(html).items() if name in wanted}


def confirmed(document, units: set[str]) -> bool:
    """Each unit flowed on follows less than UNDERFILLED of a page since the page's top or
    the unit flowed on before it there: with its forced break, the page before it would
    have been near-empty (to_flow_on, pass after pass)."""
    left = set(units)
    for page in document.pages:
        box = page._page_box
        since, height = box.content_box_y(), box.height or 1
        for child in box.descendants():
            element = getattr(child, "element", None)
            unit = element.get("data-unit") if element is not None else None
            if unit in left and child.position_y is not None:
                left.discard(unit)
                if (child.position_y - since) / height >= UNDERFILLED:
                    return False
                since = child.position_y
        if not left:
            break
    return True

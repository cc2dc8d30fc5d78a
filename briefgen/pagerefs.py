"""Page references printed from the last layout, as LaTeX does with its .aux file (watch).

The book's contents and its "(issue paper, p. N)" references are `target-counter()`s:
WeasyPrint learns a target's page only when it lays that page out, so every page that
refers forward is laid out a second time (8 of the example's 27 pages; a third time before
pdf/targets.py mended WeasyPrint). Under `watch`, the parent keeps the page of every anchor
in each output's last good layout; the next rebuild prints those numbers as text from the start
(`data-page`, templates/style.css) and then checks every number it printed against the page
its anchor landed on. If one moved, the document is laid out again with the pages just
found, and should that miss too, laid out as a cold build lays it out. A printed number is
never wrong; a rebuild after an edit that moves no anchor lays each page out once. Where two
layouts are both right (a contents line that wraps only with a two-digit number, pushing its
target a page on), a rebuild may keep the one its numbers led to and a cold build the other:
each prints the page its targets are on.

Only for the built-in templates: a house style may count its pages differently.
"""

from __future__ import annotations

import html as html_text
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

# The links whose ::after prints their target's page (templates/style.css).
TOC = re.compile(r'<nav class="toc">.*?</nav>', re.DOTALL)
TOC_LINK = re.compile(r'<a href="#([^"<>]+)"')
PAGE_LINK = re.compile(r'<a class="pageref" href="#([^"<>]+)"')

Laid = TypeVar("Laid", bound=Any)


def anchor_pages(document: Any) -> dict[str, int]:
    """The page number of every anchor of a laid-out WeasyPrint document: the first page
    its element is on (an element over several pages has its anchor on each)."""
    pages: dict[str, int] = {}
    for number, page in enumerate(document.pages, 1):
        for name in page.anchors:
            pages.setdefault(name, number)
    return pages


def with_pages(html: str, pages: Mapping[str, int]) -> tuple[str, dict[str, int]]:
    """The HTML with `data-page` on every page-printing link whose target's page is known,
    and the numbers it printed that way."""
    printed: dict[str, int] = {}

    def add(found: re.Match[str]) -> str:
        anchor = html_text.unescape(found.group(1))
        page = pages.get(anchor)
        if page is None:
            return found.group(0)
        printed[anchor] = page
        return f'{found.group(0)} data-page="{page}"'

    html = TOC.sub(lambda toc: TOC_LINK.sub(add, toc.group(0)), html)
    return PAGE_LINK.sub(add, html), printed


def lay_out(
    html: str, known: Mapping[str, int], lay_out_html: Callable[[str], Laid]
) -> tuple[Laid, dict[str, int]]:
    """`lay_out_html(html)` (a `pdf.Rendered`: its `.document` is WeasyPrint's) printing the
    `known` pages, checked (see above); the result and the page of every anchor in it."""
    for _ in range(2):
        if not known:
            break
        marked, printed = with_pages(html, known)
        laid = lay_out_html(marked)
        found = anchor_pages(laid.document)
        if all(found.get(anchor) == page for anchor, page in printed.items()):
            return laid, found
        known = found
        del laid  # not kept while the next one is laid out
    laid = lay_out_html(html)
    return laid, anchor_pages(laid.document)


_memory: dict[Path, dict[str, int]] | None = None  # None: one-off builds keep nothing


@contextmanager
def remembered() -> Iterator[None]:
    """Within it, every build keeps its outputs' anchor pages for the next (watch mode)."""
    global _memory
    previous, _memory = _memory, {}
    try:
        yield
    finally:
        _memory = previous


def recall(target: Path) -> dict[str, int]:
    """The anchor pages of `target`'s last good layout, when they are kept."""
    return {} if _memory is None else _memory.get(target.resolve(), {})


def keep(target: Path, pages: dict[str, int]) -> None:
    if _memory is not None:
        _memory[target.resolve()] = pages

"""A page-margin line cut with an ellipsis (`text-overflow: ellipsis`: the running heads, the
version line, a copy's mark) is cut by briefgen after layout, drawn inside its box, and its
text in the PDF is what it shows.

WeasyPrint 70 leaves the cut to Pango at draw time, with two faults: the ellipsis glyph's text
in the PDF (its /ToUnicode entry, one per glyph and font for the whole file) is the text the
first such cut removed, so every later cut line read back (search, copy, a screen reader, the
releasable edition's read-back) as another line's missing words: copy 2's mark as copy 1's
holder; and a right-to-left line that does not fit is placed left of its box, then cut and
clipped mid-letter with no ellipsis in sight (an Arabic book's long version line). So each
overflowing line of one text run is cut here, at a letter boundary, to the most of its text
that fits with "…" after it: that text is then what WeasyPrint draws (it fits: Pango cuts
nothing), placed by its box's `text-align` (a right-to-left line's start is the right). A line
of several runs (a house style's) keeps WeasyPrint's own cut, placed at its box's left.
No second layout: boxes already laid out are changed.
"""

from __future__ import annotations

from collections.abc import Iterable

from weasyprint.document import Page
from weasyprint.formatting_structure import boxes
from weasyprint.text.line_break import Layout, get_log_attrs, line_size

ELLIPSIS = "…"
TRAILING = " \t,;:·–—-"  # left off before the ellipsis: `visit,…` reads `visit…`


def draw_inside(pages: Iterable[Page]) -> None:
    """Cut every overflowing line of a margin box that WeasyPrint would cut with an ellipsis."""
    for page in pages:
        for box in page._page_box.children:
            if not isinstance(box, boxes.MarginBox):
                continue
            for line in box.children:
                if (
                    isinstance(line, boxes.LineBox)
                    and line.text_overflow == "ellipsis"
                    and line.width > box.width
                ):
                    _cut(line, box)


def _cut(line: boxes.LineBox, box: boxes.MarginBox) -> None:
    runs = [child for child in line.descendants() if isinstance(child, boxes.TextBox)]
    start = box.content_box_x()
    if len(runs) == 1:
        run = runs[0]
        text = _fitting(run, box.width - (line.width - run.width))  # less padding around it
        shrink = run.width - _width(run, text)
        run.text = run.pango_layout.text = text  # what the draw lays out again (reactivate)
        for holder in line.descendants():  # the line, the run and the inline boxes between
            if isinstance(holder, boxes.ParentBox | boxes.TextBox) and run in holder.descendants():
                holder.width -= shrink
        start += (box.width - line.width) * _alignment(box.style)
    line.translate(start - line.position_x, 0)


def _alignment(style) -> float:
    """Where `text-align` puts a line narrower than its box: 0 left, 1 right, 0.5 centre."""
    align, rtl = style["text_align_all"], style["direction"] == "rtl"
    if align in ("start", "justify"):
        return 1.0 if rtl else 0.0
    if align == "end":
        return 0.0 if rtl else 1.0
    return {"left": 0.0, "right": 1.0, "center": 0.5}.get(align, 0.0)


def _width(run: boxes.TextBox, text: str) -> float:
    layout = Layout(run.style)
    layout.set_text(text)
    width = line_size(layout.get_first_line()[0], run.style)[0]
    layout.deactivate()
    return width


def _fitting(run: boxes.TextBox, room: float) -> str:
    """The longest start of the run's text, cut between letters, that fits `room` with an
    ellipsis after it (the ellipsis alone if nothing does)."""
    text = run.text
    attrs = get_log_attrs(text, run.style["lang"])
    cuts = [i for i in range(1, len(text)) if attrs[i].is_cursor_position]
    low, high = 0, len(cuts)  # cuts[:low] fit; cuts[high:] do not
    while low < high:
        middle = (low + high) // 2
        if _width(run, text[: cuts[middle]].rstrip(TRAILING) + ELLIPSIS) <= room:
            low = middle + 1
        else:
            high = middle
    return (text[: cuts[low - 1]].rstrip(TRAILING) if low else "") + ELLIPSIS

"""A page-margin line cut with an ellipsis (`text-overflow: ellipsis`: the running heads, the
version line, a copy's mark, a house style's margin lines) is cut by briefgen after layout,
drawn inside its box, and its text in the PDF is what it shows.

WeasyPrint 70 leaves the cut to Pango at draw time, with three faults: the ellipsis glyph's
text in the PDF (its /ToUnicode entry, one per glyph and font for the whole file) is the text
the first such cut removed, so every later cut line read back (search, copy, a screen reader,
the releasable edition's read-back) as another line's missing words: copy 2's mark as copy
1's holder; a right-to-left line that does not fit is placed left of its box, then cut and
clipped mid-letter with no ellipsis in sight (an Arabic book's long version line); and what
follows the cut run (a house style's logo, a second text) is clipped away unseen while its
text stays in the PDF. So each overflowing line is cut here: its pieces (runs of text, images)
are kept while they fit, the first that does not is cut at a letter boundary to the most of
its text that fits with "…" after it (the rest of the line dropped), and the pieces are set
side by side from the line's start edge, placed by the box's `text-align`. What WeasyPrint
then draws fits (Pango cuts nothing), so the PDF's text is the text shown. No second layout:
boxes already laid out are changed.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from weasyprint.document import Page
from weasyprint.formatting_structure import boxes
from weasyprint.text.line_break import Layout, get_log_attrs, line_size

ELLIPSIS = "…"
LTR_MARK = "\u200e"  # after the ellipsis in a right-to-left line: it follows cut Latin words
TRAILING = {"Zs", "Po", "Ps", "Pd", "Pi"}  # left off before the ellipsis: `visit,…` → `visit…`


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


def _pieces(parent: boxes.Box) -> list[boxes.Box]:
    """The line's runs of text and atomic boxes (images), in logical order."""
    found: list[boxes.Box] = []
    for child in getattr(parent, "children", ()):
        found += _pieces(child) if isinstance(child, boxes.InlineBox) else [child]
    return found


def _cut(line: boxes.LineBox, box: boxes.MarginBox) -> None:
    rtl = box.style["direction"] == "rtl"
    pieces = _pieces(line)
    kept: list[boxes.Box] = []
    used = 0.0
    for piece in pieces:
        if used + piece.margin_width() <= box.width:
            kept.append(piece)
            used += piece.margin_width()
            continue
        room = box.width - used
        if not isinstance(piece, boxes.TextBox):  # an image that does not fit: the ellipsis
            if not kept or not isinstance(kept[-1], boxes.TextBox):  # ends the text before it
                break
            piece = kept.pop()
            room += piece.margin_width()
        _shorten(piece, _fitting(piece, room, rtl))
        kept.append(piece)
        break
    dropped = {id(piece) for piece in pieces} - {id(piece) for piece in kept}
    for holder in line.descendants():
        if isinstance(holder, boxes.ParentBox):
            holder.children = [child for child in holder.children if id(child) not in dropped]
    _set_side_by_side(line, box, kept, rtl)


def _set_side_by_side(
    line: boxes.LineBox, box: boxes.MarginBox, kept: list[boxes.Box], rtl: bool
) -> None:
    """The kept pieces one after another from the line's start edge (the right in a
    right-to-left line), moved as a whole by the box's `text-align`."""
    total = sum(piece.margin_width() for piece in kept)
    spare = box.width - total
    if rtl:
        x = box.content_box_x() + box.width - spare * (1 - _alignment(box.style))
    else:
        x = box.content_box_x() + spare * _alignment(box.style)
    for piece in kept:
        if rtl:
            x -= piece.margin_width()
        piece.translate(x - piece.position_x, 0)
        if not rtl:
            x += piece.margin_width()
    holders = [line, *(h for h in line.descendants() if isinstance(h, boxes.InlineBox))]
    for holder in reversed(holders):  # the line and its inline boxes span what they hold
        if holder.children:
            left = min(child.position_x for child in holder.children)
            holder.width = max(c.position_x + c.margin_width() for c in holder.children) - left
            holder.position_x = left
        else:
            holder.width = 0


def _alignment(style) -> float:
    """Where `text-align` puts a line narrower than its box: 0 left, 1 right, 0.5 centre."""
    align, rtl = style["text_align_all"], style["direction"] == "rtl"
    if align in ("start", "justify"):
        return 1.0 if rtl else 0.0
    if align == "end":
        return 0.0 if rtl else 1.0
    return {"left": 0.0, "right": 1.0, "center": 0.5}.get(align, 0.0)


def _shorten(run: boxes.TextBox, text: str) -> None:
    run.width = _width(run, text)
    run.text = run.pango_layout.text = text  # what the draw lays out again (reactivate)


def _width(run: boxes.TextBox, text: str) -> float:
    layout = Layout(run.style)
    layout.set_text(text)
    width = line_size(layout.get_first_line()[0], run.style)[0]
    layout.deactivate()
    return width


def _trimmed(text: str) -> str:
    """`text` without the spaces and punctuation it ends in (a closing one stays)."""
    while text and unicodedata.category(text[-1]) in TRAILING:
        text = text[:-1]
    return text


def _fitting(run: boxes.TextBox, room: float, rtl: bool) -> str:
    """The longest start of the run's text, cut between letters (or whole), that fits `room`
    with an ellipsis after it (the ellipsis alone if nothing does)."""
    text, tail = run.text, ELLIPSIS + (LTR_MARK if rtl else "")
    attrs = get_log_attrs(text, run.style["lang"])
    cuts = [i for i in range(1, len(text)) if attrs[i].is_cursor_position] + [len(text)]
    low, high = 0, len(cuts)  # cuts[:low] fit; cuts[high:] do not
    while low < high:
        middle = (low + high) // 2
        if _width(run, _trimmed(text[: cuts[middle]]) + tail) <= room:
            low = middle + 1
        else:
            high = middle
    return (_trimmed(text[: cuts[low - 1]]) if low else "") + tail

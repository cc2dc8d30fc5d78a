"""A page-margin line cut with an ellipsis (`text-overflow: ellipsis`: the running heads, the
version line, a copy's mark) is drawn inside its box in a right-to-left book too.

WeasyPrint 70 places a right-to-left line that does not fit from where its text would start
had it fit, left of its box, and Pango then cuts it to the box's width at draw time: the cut
line was drawn from outside its box, clipped mid-letter, with no ellipsis in sight (an Arabic
book's long version line). Each such line is moved to start at its box's left edge, where the
cut text fills the box; a left-to-right line starts there already. No second layout: boxes
already placed are moved.
"""

from __future__ import annotations

from collections.abc import Iterable

from weasyprint.document import Page
from weasyprint.formatting_structure import boxes


def draw_inside(pages: Iterable[Page]) -> None:
    """Move every overflowing line of a margin box cut with an ellipsis to its box's start."""
    for page in pages:
        for box in page._page_box.children:
            if not isinstance(box, boxes.MarginBox) or box.style["text_overflow"] != "ellipsis":
                continue
            for line in box.children:
                if isinstance(line, boxes.LineBox) and line.width > box.width:
                    line.translate(box.content_box_x() - line.position_x, 0)

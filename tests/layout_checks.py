"""Print-fidelity checks on laid-out pages (WeasyPrint boxes), shared by the tests."""

from __future__ import annotations

from collections import defaultdict

from weasyprint.formatting_structure import boxes


def _in_flow(parent):
    for child in getattr(parent, "children", []):
        position = child.style["position"]
        if position == "fixed" or (isinstance(position, tuple) and position[0] == "running()"):
            continue
        yield child
        yield from _in_flow(child)


def page_boxes(page):
    roots = [b for b in page._page_box.children if getattr(b, "element_tag", None) == "html"]
    for root in roots:
        yield from _in_flow(root)


def text_running_off(document, tolerance: float = 0.5) -> list[str]:
    """Text that reaches past the page's content area on the right."""
    found = []
    for number, page in enumerate(document.pages, 1):
        box = page._page_box
        right = box.content_box_x() + box.width
        for b in page_boxes(page):
            if isinstance(b, boxes.TextBox) and b.position_x + b.width > right + tolerance:
                found.append(
                    f"page {number}: {b.text[:40]!r} ends "
                    f"{b.position_x + b.width - right:.1f}px past the margin"
                )
    return found


def pages_per_element(document, match) -> dict[int, tuple[object, list[int]]]:
    """For elements where match(element) is true: the pages they have boxes on."""
    seen: dict[int, tuple[object, list[int]]] = {}
    for number, page in enumerate(document.pages, 1):
        for b in page_boxes(page):
            element = getattr(b, "element", None)
            if element is not None and match(element):
                entry = seen.setdefault(id(element), (element, []))
                if number not in entry[1]:
                    entry[1].append(number)
    return seen


def has_class(name: str):
    return lambda e: name in (e.get("class") or "").split()


def split_across_pages(document, match) -> list[str]:
    return [
        f"{e.tag}.{e.get('class')} {' '.join(''.join(e.itertext()).split())[:50]!r} on "
        f"pages {pages}"
        for e, pages in pages_per_element(document, match).values()
        if len(pages) > 1
    ]


def units_split_across_pages(document) -> list[str]:
    """Table rows, Q&A pairs, event headers, who-lines and fact blocks split by a page break."""
    return [
        found
        for match in (
            lambda e: e.tag == "tr" and e.find("th") is None and not has_class("table-title")(e),
            has_class("qa"),
            has_class("event-head"),
            has_class("who"),
            has_class("facts"),
        )
        for found in split_across_pages(document, match)
    ]


def headings_alone_at_page_end(document) -> list[str]:
    """Headings with nothing of their section after them on the same page."""
    found = []
    for number, page in enumerate(document.pages[:-1], 1):
        lines = [b for b in page_boxes(page) if isinstance(b, boxes.LineBox)]
        if not lines:
            continue
        last = max(lines, key=lambda b: b.position_y + b.height)
        heading = _ancestor_heading(page, last)
        if heading is not None:
            found.append(
                f"page {number}: heading {''.join(heading.itertext()).strip()!r} is the last line"
            )
    return found


def _ancestor_heading(page, line):
    parents = defaultdict(lambda: None)
    for b in page_boxes(page):
        for child in getattr(b, "children", []):
            parents[id(child)] = b
    node = line
    while node is not None:
        element = getattr(node, "element", None)
        if element is not None and element.tag in ("h2", "h3", "h4"):
            return element
        node = parents[id(node)]
    return None


def tables_missing_header(document) -> list[str]:
    """Pages where a table with a header shows rows without its header row."""
    found = []
    for number, page in enumerate(document.pages, 1):
        for b in page_boxes(page):
            if isinstance(b, boxes.TableBox) and b.element.find(".//thead") is not None:
                tags = {getattr(d, "element_tag", None) for d in b.descendants()}
                if "tbody" in tags and "thead" not in tags:
                    found.append(f"page {number}: table without its header row")
    return found


def continued_headings_wrong(document) -> list[str]:
    """Table headings (`tr.table-title`) whose ", continued" shows on the page the table
    starts, or stays hidden on a page it goes on to."""
    found, seen = [], set()
    for number, page in enumerate(document.pages, 1):
        here = set()
        for b in page_boxes(page):
            if not isinstance(b, boxes.TableBox) or b.element.find(".//tr") is None:
                continue
            here.add(id(b.element))
            for span in b.descendants():
                if isinstance(span, boxes.InlineBox) and has_class("continued")(span.element):
                    goes_on = id(b.element) in seen
                    shown = all(t.style["visibility"] == "visible" for t in span.descendants())
                    if shown != goes_on:
                        said = "says" if shown else "does not say"
                        found.append(f"page {number}: a table heading {said} continued")
        seen |= here
    return found


# ------------------------------------------------------------ issue 16: what a typographer sees


def _label(box) -> str:
    return " ".join(box.text.split())[:40]


def _rect(box) -> tuple[float, float, float, float]:
    return (box.position_x, box.position_y, box.position_x + box.width, box.position_y + box.height)


def _inked(text_box) -> bool:
    """A text box that prints something (not a blank run, not an empty string-setter)."""
    return bool(text_box.text.strip()) and text_box.width > 0


def _visible_text(parent):
    """Text boxes with ink, under `parent` (hidden string-setters and blank runs aside)."""
    for child in getattr(parent, "children", []):
        if child.style["visibility"] != "visible":
            continue
        if isinstance(child, boxes.TextBox):
            if _inked(child):
                yield child
        else:
            yield from _visible_text(child)


def _body_text(page):
    return (text for text, _line in _body_text_in_lines(page))


def _body_text_in_lines(page):
    """(text box, the line box it is set in) for the body's inked text."""
    for root in page._page_box.children:
        if getattr(root, "element_tag", None) != "html":
            continue
        stack = [(root, None)]
        while stack:
            box, line = stack.pop()
            for child in getattr(box, "children", []):
                position = child.style["position"]
                if position == "fixed" or isinstance(position, tuple):
                    continue
                if child.style["visibility"] != "visible":
                    continue
                if isinstance(child, boxes.TextBox):
                    if _inked(child):
                        yield child, line
                else:
                    stack.append((child, child if isinstance(child, boxes.LineBox) else line))


def printed_text(page) -> str:
    """The words a page prints in its body, a space between runs (in no reading order)."""
    return " ".join(box.text for box in _body_text(page))


def _margin_text(page):
    """(margin box, text box, whether it is the banner's) in the page's margin boxes."""
    for box in page._page_box.children:
        if isinstance(box, boxes.MarginBox):
            for child in box.children:
                element = getattr(child, "element", None)
                classes = (element.get("class") or "").split() if element is not None else []
                if "watermark" in classes:
                    continue  # printed under the text on purpose
                banner = "banner" in classes
                for text in _visible_text(child):
                    yield box, text, banner
                if isinstance(child, boxes.TextBox) and child.text.strip():
                    yield box, child, False


def _clipped(margin_box, text_box) -> tuple[float, float, float, float]:
    """A margin text's rectangle as printed: a box with `overflow: hidden` (the footer and
    the running heads, which end in an ellipsis) shows nothing beyond its own edges."""
    x0, y0, x1, y1 = _rect(text_box)
    if margin_box.style["overflow"] == "hidden":
        left = margin_box.position_x
        x0, x1 = max(x0, left), min(x1, left + margin_box.margin_width())
    return x0, y0, x1, y1


def overlapping_text(document, slack: float = 1.0) -> list[str]:
    """Pairs of text boxes whose ink areas overlap (text printed over text), in the body and
    the page margins. Boxes are shrunk by `slack` px and a quarter of their height (line
    boxes of a line-height under the font's own height touch by design)."""
    found = []
    for number, page in enumerate(document.pages, 1):
        texts = [(_in_line(t, line), t) for t, line in _body_text_in_lines(page)]
        texts += [(_clipped(box, t), t) for box, t, _ in _margin_text(page)]
        rects = []
        for (x0, y0, x1, y1), t in texts:
            inset = (y1 - y0) / 4
            rects.append((x0 + slack, y0 + inset, x1 - slack, y1 - inset, t))
        rects.sort(key=lambda r: r[1])
        for i, (x0, _y0, x1, y1, a) in enumerate(rects):
            for u0, v0, u1, _v1, b in rects[i + 1 :]:
                if v0 >= y1:
                    break
                if u0 < x1 and x0 < u1:
                    found.append(f"page {number}: {_label(a)!r} overlaps {_label(b)!r}")
    return found


def text_outside_its_area(document, tolerance: float = 1.0) -> list[str]:
    """Body text outside the page's content area (so into the banner or footer), and margin
    text (running heads, footer) that reaches the banner's band."""
    found = []
    for number, page in enumerate(document.pages, 1):
        box = page._page_box
        top, left = box.content_box_y(), box.content_box_x()
        bottom, right = top + box.height, left + box.width
        for t, line in _body_text_in_lines(page):
            x0, y0, x1, y1 = _in_line(t, line)
            if y0 < top - tolerance or y1 > bottom + tolerance:
                found.append(f"page {number}: {_label(t)!r} crosses the banner or footer area")
            elif x1 > right + tolerance or x0 < left - tolerance - _hang(t):
                found.append(f"page {number}: {_label(t)!r} runs into the side margin")
        margin = list(_margin_text(page))
        bands = [(_rect(t)[1], _rect(t)[3]) for _, t, banner in margin if banner]
        for box, t, banner in margin:
            if banner:
                continue
            _x0, y0, _x1, y1 = _rect(t)
            for b0, b1 in bands:
                if y0 < b1 - tolerance and b0 + tolerance < y1:
                    found.append(
                        f"page {number}: {box.at_keyword} {_label(t)!r} reaches the banner"
                    )
    return found


def _in_line(text_box, line) -> tuple[float, float, float, float]:
    """A text box's rectangle, no taller than the line it is set in: a font's own height
    may stand past its line's (a line-height of 1.2 under Noto Sans's 1.36; a fallback font
    for one rare glyph, far taller), by design, and ink rarely reaches that far."""
    x0, y0, x1, y1 = _rect(text_box)
    if line is None:
        return x0, y0, x1, y1
    return x0, max(y0, line.position_y), x1, min(y1, line.position_y + line.height)


def _hang(text_box) -> float:
    """How far a list's number may hang into the left margin (outside markers: `10.`)."""
    return 12.0 if "marker" in (getattr(text_box, "element_tag", "") or "") else 0.0


def _leaf_bottoms(parent):
    for child in getattr(parent, "children", []):
        position = child.style["position"]
        if position == "fixed" or isinstance(position, tuple):
            continue
        if isinstance(child, (boxes.LineBox, boxes.ReplacedBox)) or not getattr(
            child, "children", None
        ):
            if child.height:
                yield child.position_y + child.margin_height()
            continue
        yield from _leaf_bottoms(child)


def fill(page) -> float:
    """How far down the content area the page's lowest line, image or leaf box reaches."""
    box = page._page_box
    top = box.content_box_y()
    roots = [b for b in box.children if getattr(b, "element_tag", None) == "html"]
    bottom = max((y for r in roots for y in _leaf_bottoms(r)), default=top)
    return max(0.0, (bottom - top) / box.height)


def _first_unit(page):
    """The first thing on the page that cannot be split: a block kept whole, a picture, a
    table row, or the first two lines of text (orphans: 2); with a heading, what follows
    it too. Returns (its bottom, its text)."""
    node = next(
        (b for b in page._page_box.children if getattr(b, "element_tag", None) == "html"), None
    )
    while node is not None:
        kids = [
            c
            for c in getattr(node, "children", [])
            if c.style["position"] != "fixed"
            and not isinstance(c.style["position"], tuple)
            and c.style["visibility"] == "visible"
            and (c.height or getattr(c, "children", None))
        ]
        if not kids:
            return node.position_y + node.margin_height(), ""
        first = kids[0]
        tag = getattr(first, "element_tag", "")
        if isinstance(first, boxes.LineBox):
            lines = [k for k in kids if isinstance(k, boxes.LineBox)][:2]
            bottom = lines[-1].position_y + lines[-1].margin_height()
            return bottom, " ".join(t.text for t in _visible_text(lines[0]))[:40]
        whole = first.style["break_inside"] in ("avoid", "avoid-page") or isinstance(
            first, (boxes.ReplacedBox, boxes.TableRowBox)
        )
        if whole:
            bottom = first.position_y + first.margin_height()
            if tag in ("h2", "h3", "h4") and len(kids) > 1:
                bottom = kids[1].position_y + min(kids[1].margin_height(), 40)
            return bottom, " ".join(t.text for t in _visible_text(first))[:40]
        node = first
    return 0.0, ""


def _ends_a_duplex_book(page) -> bool:
    is_end = has_class("duplex-end")
    return any(
        getattr(b, "element", None) is not None and is_end(b.element)
        for b in page._page_box.descendants()
    )


def underfilled_pages(document, under: float = 1 / 3) -> list[str]:
    """Pages (the last, blank ones and those before a duplex blank aside) filled under
    `under` although what opens the next page would have fitted in the space left."""
    found = []
    pages = document.pages
    for number, page in enumerate(pages[:-1], 1):
        share = fill(page)
        if share == 0 or share >= under:
            continue
        following = pages[number]
        if fill(following) == 0:
            continue  # a duplex blank follows: the next tab starts on a right-hand page
        if _ends_a_duplex_book(following):
            continue  # the blank back that makes a duplex book's page count even
        box = following._page_box
        bottom, text = _first_unit(following)
        needed = bottom - box.content_box_y()
        room = page._page_box.height * (1 - share)
        if needed < room - 20:  # 20 px: a heading's or a sheet's top margin
            found.append(
                f"page {number} is {share:.0%} full, yet what opens page {number + 1} "
                f"({text!r}, {needed:.0f} px) would fit in the {room:.0f} px left"
            )
    return found


# ------------------------------------------------------------ the layout check (issue 16)
# of the book and memo (tests/test_layout.py), the pocket card (tests/test_pocket_card.py)
# and the stress trip's layouts (tests/test_stress.py)

CHECKS = (
    overlapping_text,
    text_outside_its_area,
    headings_alone_at_page_end,
    underfilled_pages,
)


def violations(document) -> list[str]:
    """Every finding of the layout check, named by its check."""
    return [f"{check.__name__}: {found}" for check in CHECKS for found in check(document)]

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

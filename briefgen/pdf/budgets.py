"""Page budgets, measured from WeasyPrint's boxes after layout: which part of a document
uses more pages than it may, and by how much."""

from __future__ import annotations

from typing import Any

from briefgen.products import BIO_PAGE_BUDGET


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def elements_per_page(document) -> list[list[Any]]:
    """For each page, the elements that have a box on it (continued fragments included)."""
    pages = []
    for page in document.pages:
        seen: dict[int, Any] = {}
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is not None:
                seen.setdefault(id(element), element)
        pages.append(list(seen.values()))
    return pages


def content_bottom(page) -> float:
    """Where the page's printed content ends: the lowest line, image or bordered leaf box in
    the flow (a block that continues on the next page is stretched to the page's foot by
    WeasyPrint, so container heights say nothing). Banners, running heads and watermarks
    aside."""
    box = page._page_box
    top = box.content_box_y()

    def bottoms(parent):
        for child in getattr(parent, "children", []):
            position = child.style["position"]  # running elements: ("running()", name)
            if position == "fixed" or isinstance(position, tuple):
                continue
            if child.style["visibility"] != "visible":
                continue
            kids = getattr(child, "children", None)
            if not kids or type(child).__name__ in (
                "LineBox",
                "InlineReplacedBox",
                "BlockReplacedBox",
            ):
                if child.height:
                    yield child.position_y + child.margin_height()
                if type(child).__name__ == "LineBox":
                    continue
            yield from bottoms(child)

    roots = [b for b in box.children if getattr(b, "element_tag", None) == "html"]
    return max((y for root in roots for y in bottoms(root)), default=top)


def page_fill(page) -> float:
    """How far down its content area a page is filled, 0..1."""
    box = page._page_box
    top, height = box.content_box_y(), box.height
    return max(0.0, min(1.0, (content_bottom(page) - top) / height)) if height else 0.0


def overflows(document, layout: str, budget: int | None) -> list[str]:
    """Which part uses more pages than it may, and by how much (plain sentences)."""
    pages = elements_per_page(document)
    found = []
    if budget and len(pages) > budget:
        over = len(pages) - budget
        sections: list[str] = []
        current = None
        for number, elements in enumerate(pages, 1):
            headings = [e for e in elements if e.tag == "h2"]
            if number > budget:
                names = [_text(h) for h in ([current] if current is not None else []) + headings]
                sections += [n for n in names if n not in sections]
            current = headings[-1] if headings else current
        last = page_fill(document.pages[-1])
        found.append(
            f"the {layout} layout uses {len(pages)} pages, over its budget of {budget} by "
            f"{over} page{'s' if over > 1 else ''} (the last one {last:.0%} full); "
            f"beyond page {budget}: {', '.join(sections) or 'content'}"
        )
    bio_pages: dict[int, tuple[Any, list[int]]] = {}
    for number, elements in enumerate(pages, 1):
        for element in elements:
            if "bio" in (element.get("class") or "").split():
                bio_pages.setdefault(id(element), (element, []))[1].append(number)
    for element, numbers in bio_pages.values():
        if len(numbers) > BIO_PAGE_BUDGET:
            name = _text(next(iter(element.iter("h3")), element))
            found.append(
                f"the biography of {name} runs over {len(numbers)} pages "
                f"({numbers[0]}–{numbers[-1]}), over its budget of one page"
            )
    return found

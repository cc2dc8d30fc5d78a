"""The tag tree a screen reader reads, mended where WeasyPrint 70 leaves it short of PDF/UA-1.

Every build gets XMP metadata with the title, and header cells tagged as column headers.
Under `--pdf-standard pdf/ua-1`, each structure element is remembered with the box (so the
HTML element) it comes from; then, on WeasyPrint's objects before they are written (its
`finisher`: no second parse of the PDF):

- the page margins (banners, running heads, page numbers) and what the HTML hides from
  readers (`aria-hidden`: the watermark) become pagination artifacts: marked `/Artifact` in
  the page's content and out of the tree, except the first page's top banner, which is the
  overall marking stated once, as the first thing read;
- elements in another language than the document's carry `/Lang` (`lang="zh"` names);
- every link annotation sits in a Link element and prints (the Print flag);
- list items hold only Lbl and LBody (a nested list goes into its item's LBody);
- headings never skip a level (a house style's too); elements with nothing to read (the
  box that draws a change bar, an empty table body) are left out.

`weasyprint.pdf.tags._build_box_tree` is wrapped only while a PDF/UA-1 file is written
(WeasyPrint is pinned below 71; tests/test_accessible.py fails if it changes).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pydyf
from weasyprint.formatting_structure import boxes
from weasyprint.pdf import tags as weasy_tags

NULL = b"null"
HEADINGS = ("/H1", "/H2", "/H3", "/H4", "/H5", "/H6")
PRUNED = ("/NonStruct", "/Span", "/Div", "/THead", "/TBody", "/TFoot")  # empty: left out


@dataclass(frozen=True)
class Origin:
    """Where a structure element comes from: its box, its page, the page margin it is in."""

    box: Any
    page: int
    margin: str | None


@contextmanager
def finisher(accessible: bool) -> Iterator[Callable[[Any, pydyf.PDF], None]]:
    """The finisher to pass to `write_pdf` inside this block: XMP and header scopes always,
    the whole PDF/UA-1 mending when `accessible`."""
    if not accessible:
        yield _plain
        return
    origins: dict[int, Origin] = {}
    margins: list[str] = []
    build = weasy_tags._build_box_tree

    def recorded(box, parent, pdf, page_number, nums, annotations, tags):
        if isinstance(box, boxes.MarginBox):
            margins.append(box.at_keyword)
        try:
            for element in build(box, parent, pdf, page_number, nums, annotations, tags):
                where = margins[-1] if margins else None
                origins.setdefault(element.number, Origin(box, page_number, where))
                yield element
        finally:
            if isinstance(box, boxes.MarginBox):
                margins.pop()

    def finish(document, pdf: pydyf.PDF) -> None:
        _plain(document, pdf)
        if "StructTreeRoot" in pdf.catalog:
            Mender(pdf, origins).mend()

    weasy_tags._build_box_tree = recorded
    try:
        yield finish
    finally:
        weasy_tags._build_box_tree = build


def _plain(document, pdf: pydyf.PDF) -> None:
    """What every build gets: XMP metadata (title, author, dates), header cells as column
    headers (WeasyPrint links data cells to them by /Headers only; every `<th>` briefgen
    writes heads a column)."""
    if "Metadata" not in pdf.catalog:
        document.metadata.include_in_pdf(pdf, "ua", None, None, compress=False)
    for obj in pdf.objects:
        if isinstance(obj, dict) and obj.get("S") == "/TH" and isinstance(obj.get("A"), dict):
            obj["A"]["Scope"] = "/Column"


def _number(reference: Any) -> int | None:
    if isinstance(reference, bytes) and reference.endswith(b" R"):
        return int(reference.split()[0])
    return None


class Mender:
    """One pass over WeasyPrint's tag tree (pydyf objects), then its content streams."""

    def __init__(self, pdf: pydyf.PDF, origins: dict[int, Origin]) -> None:
        self.pdf = pdf
        self.origins = origins
        root = self.get(pdf.catalog["StructTreeRoot"])
        self.document = self.get(root["K"][0])
        self.nums = self.get(root["ParentTree"])["Nums"]
        self.page_mcids = {self.nums[i]: self.nums[i + 1] for i in range(0, len(self.nums), 2)}
        self.pages = [pdf.objects[number] for number in pdf.pages["Kids"][::3]]
        self.lang = str(getattr(pdf.catalog.get("Lang"), "string", "") or "")
        self.artifacts: dict[int, dict[int, str]] = {}  # page -> MCID -> artifact subtype

    def get(self, reference: Any) -> Any:
        number = _number(reference)
        return self.pdf.objects[number] if number is not None else reference

    def kind(self, reference: Any) -> Any:
        """The structure type (`/P`) of the element `reference` names, else None."""
        element = self.get(reference)
        return element.get("S") if isinstance(element, dict) else None

    def obj_of(self, reference: Any) -> Any:
        """The annotation an /OBJR names, else None."""
        objr = self.get(reference)
        return objr.get("Obj") if isinstance(objr, dict) else None

    def mend(self) -> None:
        self._furniture()
        self._languages()
        self._links()
        self._tree(self.document)
        self._headings()
        self._mark_artifacts()

    # ---- artifacts
    def _furniture(self) -> None:
        """Margin boxes and aria-hidden elements out of the tree, their content artifacts."""
        stated = False
        for number, origin in sorted(self.origins.items()):
            element = self.pdf.objects[number]
            parent = self.get(element.get("P"))
            if origin.margin is not None:
                if parent is not self.document or element.reference in self.document["K"]:
                    continue  # only the margin's own top elements, which WeasyPrint leaves out
                if not stated and origin.page == 0 and origin.margin == "@top-center":
                    stated = True  # the overall marking, read first
                    self.document["K"].insert(0, element.reference)
                    continue
                kind = "/Header" if origin.margin.startswith("@top") else "/Footer"
                self._drop(element, origin.page, kind)
            elif _attribute(origin.box, "aria-hidden") == "true" and element.free != "f":
                if isinstance(parent, dict) and element.reference in parent.get("K", []):
                    parent["K"].remove(element.reference)
                classes = (_attribute(origin.box, "class") or "").split()
                self._drop(element, origin.page, "/Watermark" if "watermark" in classes else "")

    def _drop(self, element: Any, page: int, kind: str) -> None:
        for kid in element.get("K", []):
            if isinstance(kid, int):
                self.artifacts.setdefault(page, {})[kid] = kind
            elif _is_element(child := self.get(kid)):
                self._drop(child, page, kind)
        element.free = "f"

    def _mark_artifacts(self) -> None:
        for index, marks in self.artifacts.items():
            mcids = self.page_mcids.get(index)
            for mcid in marks:
                if mcids is not None and mcid < len(mcids):
                    mcids[mcid] = NULL
            items = self.get(self.pages[index]["Contents"]).stream
            for at, item in enumerate(items):
                if isinstance(item, dict) and item.get("MCID") in marks:
                    items[at - 1] = "/Artifact"
                    kind = marks[item["MCID"]]
                    items[at] = pydyf.Dictionary(
                        {"Type": "/Pagination", **({"Subtype": kind} if kind else {})}
                    )

    # ---- languages
    def _languages(self) -> None:
        for number, origin in self.origins.items():
            element = self.pdf.objects[number]
            lang = _attribute(origin.box, "lang")
            if lang and lang != self.lang and getattr(origin.box, "element_tag", "") != "html":
                element["Lang"] = pydyf.String(lang)

    # ---- links
    def _links(self) -> None:
        start = len(self.pages)
        for page in self.pages:
            for annotation_ref in page.get("Annots", []):
                annotation = self.get(annotation_ref)
                if annotation.get("Subtype") != "/Link":
                    continue
                annotation["F"] = 4  # Print
                if "StructParent" not in annotation:
                    continue  # not in the tag tree at all: nothing to move
                at = self.nums.index(annotation["StructParent"], start * 2)
                holder = self.get(self.nums[at + 1])
                link = holder
                while isinstance(link, dict) and link.get("S") not in ("/Link", "/Document"):
                    link = self.get(link.get("P"))
                if link is holder:
                    continue
                if self.kind(link) != "/Link":
                    holder["S"] = "/Link"
                    continue
                objr = next(k for k in holder["K"] if self.obj_of(k) == annotation.reference)
                holder["K"].remove(objr)
                link["K"].append(objr)
                self.nums[at + 1] = link.reference

    # ---- lists, empty elements
    def _tree(self, element: Any) -> bool:
        """Mend below `element`; whether it holds anything to read (content or a link)."""
        kept, holds = [], False
        for ref in list(element.get("K", [])):
            kid = self.get(ref)
            if _is_element(kid):
                if self._tree(kid):
                    kept.append(ref)
                    holds = True
                else:
                    kid.free = "f"
            else:
                kept.append(ref)
                holds = True
        element["K"] = pydyf.Array(kept)
        if element.get("S") == "/L":
            self._list(element)
        elif element.get("S") == "/LI":
            self._item(element)
        elif element.get("S") == "/Table" and "/TBody" not in map(self.kind, element["K"]):
            self._unwrap(element, ("/THead", "/TFoot"))  # a head with no body: rows alone
        return holds or element.get("S") not in PRUNED

    def _list(self, element: Any) -> None:
        """A list nested beside its item (WeasyPrint's way) goes into that item's body."""
        kept: list = []
        for ref in element["K"]:
            if self.kind(ref) == "/L" and kept and self.kind(kept[-1]) == "/LI":
                self._adopt(self._body(self.get(kept[-1])), ref)
            else:
                kept.append(ref)
        element["K"] = pydyf.Array(kept)

    def _unwrap(self, element: Any, kinds: tuple[str, ...]) -> None:
        refs, element["K"] = element["K"], pydyf.Array()
        for ref in refs:
            if self.kind(ref) in kinds:
                for kid in self.get(ref)["K"]:
                    self._adopt(element, kid)
                self.get(ref).free = "f"
            else:
                element["K"].append(ref)

    def _adopt(self, parent: Any, ref: Any) -> None:
        parent["K"].append(ref)
        if _is_element(kid := self.get(ref)):
            kid["P"] = parent.reference

    def _item(self, element: Any) -> None:
        stray = [ref for ref in element["K"] if self.kind(ref) not in ("/Lbl", "/LBody")]
        if not stray:
            return
        body = self._body(element)
        for ref in stray:
            element["K"].remove(ref)
            self._adopt(body, ref)

    def _body(self, item: Any) -> Any:
        for ref in item["K"]:
            if self.kind(ref) == "/LBody":
                return self.get(ref)
        body = pydyf.Dictionary(
            {"Type": "/StructElem", "S": "/LBody", "K": pydyf.Array(), "P": item.reference}
        )
        self.pdf.add_object(body)
        item["K"].append(body.reference)
        return body

    # ---- headings
    def _headings(self) -> None:
        """In reading order, each heading at most one level below the one before it."""
        level = 0
        stack = [self.document]
        while stack:
            element = stack.pop()
            if element.get("S") in HEADINGS:
                level = min(int(element["S"][2]), level + 1)
                element["S"] = f"/H{level}"
            kids = [self.get(kid) for kid in reversed(element.get("K", []))]
            stack.extend(kid for kid in kids if _is_element(kid))


def _is_element(obj: Any) -> bool:
    return isinstance(obj, dict) and obj.get("Type") == "/StructElem"


def _attribute(box: Any, name: str) -> str | None:
    """An attribute of the HTML element the box was made for."""
    html = getattr(box, "element", None)
    return html.get(name) if html is not None and hasattr(html, "get") else None

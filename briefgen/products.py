"""Every product briefgen can print, in one registry: its template, page budget, whether it
prints (and so cites) the sources, and its default file name."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PAPER_SIZES = {"letter": "letter", "a4": "A4"}
POCKET_SIZES = {"letter": "4in 6in", "a4": "A6"}  # the pocket card's page, by paper
POCKET_PAGE_BUDGET = 4  # the pocket card's budget, in pocket pages


@dataclass(frozen=True)
class Product:
    name: str
    description: str
    page_budget: int | None = None  # pages; None: no budget for the whole document
    cites_sources: bool = False

    @property
    def template(self) -> str:
        return f"{self.name}.html.j2"

    def default_output(self, trip_path: Path, html: bool = False, tail: str = "") -> Path:
        """Beside the trip: `trip.pdf` for the book, `trip-memo.pdf`, `trip-card.pdf`;
        `tail` names the variant (`-rel-u`, a meeting packet's `-<event id>`)."""
        stem = trip_path.stem if self.name == "book" else f"{trip_path.stem}-{self.name}"
        return trip_path.with_name(stem + tail + (".html" if html else ".pdf"))


PRODUCTS: dict[str, Product] = {
    p.name: p
    for p in [
        Product(
            "book", "the full briefing book: cover memo, contents and every tab", cites_sources=True
        ),
        Product(
            "memo",
            "the cover memo alone with the schedule at a glance (two pages at most)",
            page_budget=2,
        ),
        Product(
            "card",
            "the pocket card (4x6 in or A6 pages; output.card: page for one sheet): top "
            "goals, schedule day by day, who's who, contacts",
            page_budget=1,
        ),
        Product(
            "meeting",
            "one packet per meeting: the event sheet, its issue papers, the "
            "counterparts' bios, the stop's contacts",
            page_budget=4,
        ),
        Product(
            "itinerary",
            "one traveller's own trip (--for PERSON, or all): their events on both clocks, "
            "flights, lodging, the contacts of their stops",
        ),
    ]
}
BIO_PAGE_BUDGET = 1  # every biography, in any product


def card_style(output) -> str:
    """The trip's `output.card`: `pocket` (the default) or `page` (one full sheet)."""
    return (output.card if output is not None else None) or "pocket"


def pocket_size(layout: str, output, paper: str | None) -> str | None:
    """The CSS page size of a pocket card (4x6 in with letter paper, A6 with A4), or None
    when the document is not one."""
    if layout != "card" or card_style(output) != "pocket":
        return None
    return POCKET_SIZES.get(paper or "letter", POCKET_SIZES["letter"])


def page_budget(layout: str, output) -> int | None:
    """How many pages the layout may use: the pocket card's are counted in pocket pages."""
    if layout == "card" and card_style(output) == "pocket":
        return POCKET_PAGE_BUDGET
    return PRODUCTS[layout].page_budget

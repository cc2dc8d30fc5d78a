"""Every product briefgen can print, in one registry: its template, page budget, whether it
prints (and so cites) the sources, and its default file name."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PAPER_SIZES = {"letter": "letter", "a4": "A4"}


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
            "one page for the pocket: top goals, schedule, who's who, contacts",
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

"""Page economy (pdf/economy.py): a forced break after a page less than UNDERFILLED full is not
taken, decided while WeasyPrint lays the page out: every document is laid out once."""

from __future__ import annotations

import pytest
import weasyprint

from briefgen import outputs, plans
from briefgen.intake import read_brief
from briefgen.pdf import economy
from conftest import CORPUS

DAY_TRIP = CORPUS / "good" / "day-trip.yaml"  # 3 pages; some of its breaks are taken back
STYLE = "<style>@page { size: 400pt 400pt; margin: 0 } body { margin: 0 } .tab { break-before: page } p { margin: 0; height: 100pt }</style>"  # noqa: E501


def _tops(html: str) -> list[tuple[int, float]]:
    """(page, y in pt) of each `.tab`'s first box."""
    document = weasyprint.HTML(string=STYLE + html).render()
    found: dict[int, tuple[int, float]] = {}
    for number, page in enumerate(document.pages, 1):
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is not None and element.get("class") == "tab":
                found.setdefault(id(element), (number, round(box.border_box_y() * 0.75, 3)))
    return list(found.values())


@pytest.mark.parametrize(
    ("paragraphs", "expected"),
    [
        # 100pt of 400 filled: the second flows on, 20pt below; then 220pt: a new page
        (1, [(1, 0.0), (1, 120.0), (2, 0.0), (2, 120.0)]),
        (2, [(1, 0.0), (2, 0.0), (3, 0.0), (4, 0.0)]),  # 200pt: half full, every break taken
    ],
)
def test_a_break_after_a_near_empty_page_is_not_taken(paragraphs, expected):
    tab = '<section class="tab">' + "<p>x</p>" * paragraphs + "</section>"
    assert _tops(tab * 4) == expected


def test_a_break_that_is_not_a_units_is_always_taken():
    html = '<p>x</p><div style="break-before: page"><p>y</p></div>'
    assert len(weasyprint.HTML(string=STYLE + html).render().pages) == 2


def test_a_unit_inside_a_wrapper_flows_on_with_it():
    html = '<p>x</p><div><section class="tab"><p>y</p></section></div>'
    assert _tops(html) == [(1, 120.0)]


def test_the_books_first_build_lays_it_out_once(tmp_path, monkeypatch):
    calls: list[int] = []
    real = weasyprint.HTML.render

    def counted(self, *args, **kwargs):
        calls.append(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "render", counted)
    brief = read_brief(DAY_TRIP)
    [job] = plans.plan(DAY_TRIP, brief, ["book"], tmp_path / "out.pdf", False)
    with (tmp_path / "made.pdf").open("wb") as written:
        made = outputs.make(job, plans.Options(), written.fileno())
    assert made.pages <= 3
    assert calls == [1]


def test_weasyprint_still_has_what_page_economy_wraps():
    """Fails loudly when a WeasyPrint upgrade renames or moves the two layout functions
    (the pin in pyproject.toml is what keeps them)."""
    from weasyprint.layout import block, page

    assert page.make_page is economy._make_page
    assert block.block_level_page_break is economy._page_break
    assert weasyprint.__version__.split(".")[0] == "70"


@pytest.mark.parametrize(
    ("html", "pages"),
    [
        # the unit's own break flows on (the control)
        ('<p>x</p><section class="tab"><p>y</p></section>', 1),
        # a break forced by what comes before, a wrapper, a heading, a named page: kept
        ('<p style="break-after: page">x</p><section class="tab"><p>y</p></section>', 2),
        (
            '<p>x</p><div style="break-before: page"><section class="tab"><p>y</p></section></div>',
            2,
        ),
        ('<p>x</p><section class="tab"><h2 style="break-before: page">y</h2></section>', 2),
        ('<p>x</p><section class="tab" style="page: other"><p>y</p></section>', 2),
        # a float beside the flow fills the page: 300pt of 400, the break is kept
        (
            '<div style="float: left; height: 300pt; width: 10pt"></div><p>x</p>'
            '<section class="tab"><p>y</p></section>',
            2,
        ),
    ],
    ids=["own", "break-after", "wrapper", "heading", "named-page", "float"],
)
def test_only_a_units_own_break_after_a_near_empty_page_is_declined(html, pages):
    assert len(weasyprint.HTML(string=STYLE + html).render().pages) == pages


def test_a_declined_break_never_puts_a_tab_on_a_left_hand_page(tmp_path):
    """A tab that asks for a right-hand page, declined after a near-empty page but too tall to
    follow on (break-inside: avoid), is pushed to the next page anyway, a left-hand one:
    the document is laid out again without page economy (found by a review)."""
    from briefgen import pdf

    style = STYLE.replace(
        ".tab { break-before: page }", ".tab { break-before: right; break-inside: avoid }"
    )
    html = style + '<p>x</p><section class="tab">' + "<p>y</p>" * 3 + "</section>"
    assert len(weasyprint.HTML(string=html).render().pages) == 2  # the control: left-hand
    rendered = pdf.render(html, layout="book", folders=[tmp_path], duplex=True)
    assert len(rendered.document.pages) == 3  # the tab on page 3, a right-hand page
    assert not economy.on_the_wrong_side(rendered.document)

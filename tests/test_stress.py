"""Every layout of the stress trip (tests/corpus/good/stress.yaml, made by
tests/corpus/make_stress.py), each laid out once for this module and walked page by page:
nothing runs off a page, no row, Q&A pair or event header is split, only bios longer than a
page split (and each is reported), no heading ends a page, long tables repeat their header
and say "continued" where they go on, and the layout check of issue 16 (text over text, text
in the banner or footer areas, underfilled pages). The stress trip is what no other trip
has: a 50-person delegation, tables over several pages, Hangul, Arabic, Chinese and Japanese
names, bios over several pages, events past midnight in three time zones. Its book is some
80 pages, laid out once here (the whole file is `slow`)."""

from __future__ import annotations

import pytest
from weasyprint.formatting_structure import boxes

from conftest import CORPUS, lay_out
from layout_checks import (
    continued_headings_wrong,
    has_class,
    headings_alone_at_page_end,
    pages_per_element,
    split_across_pages,
    tables_missing_header,
    text_running_off,
    units_split_across_pages,
    violations,
)

pytestmark = pytest.mark.slow

STRESS = CORPUS / "good" / "stress.yaml"


# module-scoped: pytest runs every test of one layout before laying out the next, and holds
# none of them past this module (not in laid_out's cache, which the rest of the run uses)
@pytest.fixture(scope="module", params=["book", "memo", "card"])
def stress(request):
    return request.param, lay_out(STRESS, request.param)


def _text(document) -> str:
    return " ".join(
        b.text
        for page in document.pages
        for b in page._page_box.descendants()
        if isinstance(b, boxes.TextBox)
    )


def test_the_stress_trip_stresses_what_it_is_for(stress):
    """The checks below are worth what the trip puts on the pages: a book (and card) with
    every script, long tables and bios over several pages."""
    layout, rendered = stress
    document = rendered.document
    if layout == "memo":
        assert "SCHEDULE AT A GLANCE" in _text(document)
        return
    text = _text(document)
    for name in ("박지훈", "عبد الله بن خالد العتيبي", "张伟", "田中浩", "陳美玲"):
        if layout == "book" or name == "박지훈":  # the card's who's who: Park's in Seoul
            assert name in text, (layout, name)
    if layout != "book":
        return
    assert len(document.pages) >= 60
    tables = pages_per_element(document, lambda e: e.tag == "table")
    over = sorted(len(pages) for _e, pages in tables.values())
    assert over[-1] >= 4, over  # the participants and the schedule, each on several pages
    assert over[-2] >= 3, over
    assert len(split_across_pages(document, has_class("bio"))) >= 3  # the long bios


def test_nothing_runs_off_the_page(stress):
    _layout, rendered = stress
    assert text_running_off(rendered.document) == []


def test_rows_pairs_and_event_headers_never_split(stress):
    _layout, rendered = stress
    assert units_split_across_pages(rendered.document) == []


def test_only_bios_longer_than_a_page_split_and_each_is_reported(stress):
    _layout, rendered = stress
    split = split_across_pages(rendered.document, has_class("bio"))
    overflow_messages = [m for m in rendered.overflows if "biography" in m]
    assert len(split) == len(overflow_messages)


def test_headings_are_never_the_last_line_of_a_page(stress):
    _layout, rendered = stress
    assert headings_alone_at_page_end(rendered.document) == []


def test_long_tables_repeat_their_header_and_say_continued(stress):
    _layout, rendered = stress
    assert tables_missing_header(rendered.document) == []
    assert continued_headings_wrong(rendered.document) == []


def test_pages_pass_the_layout_check(stress):
    _layout, rendered = stress
    assert violations(rendered.document) == []

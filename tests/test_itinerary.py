"""`--layout itinerary --for PERSON` (issue 18, item 5): one traveller's own trip."""

from __future__ import annotations

import re
import shutil

import pytest
from pypdf import PdfReader

from briefgen.load import load
from briefgen.validate import validate
from conftest import EXAMPLE, run_cli
from helpers import page_texts


@pytest.fixture
def example(example_libraries):
    trip = example_libraries / EXAMPLE.name
    shutil.copy(EXAMPLE, trip)
    return trip


def titles_of(person: str) -> tuple[set[str], set[str]]:
    """(titles of the person's events, titles of everyone else's) in the example."""
    t = validate(load(EXAMPLE)).trip
    mine = {
        e.title.text
        for e in t.agenda
        if person in [p.person for p in e.participants]
        or (not e.participants and person == t.trip.principal)
    }
    return mine, {e.title.text for e in t.agenda} - mine


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.slow
def test_burnss_itinerary_holds_exactly_his_events(example):
    result = run_cli("build", example, "--layout", "itinerary", "--for", "burns")
    assert result.returncode == 0, result.stderr
    pdf = example.with_name("beijing-2023-itinerary-burns.pdf")
    reader = PdfReader(pdf)
    text = words(" ".join(page_texts(pdf)))
    mine, others = titles_of("burns")
    assert len(mine) == 5
    for title in mine:
        assert words(title) in text, title
    for title in others:
        assert words(title) not in text, title
    assert "ITINERARY · R. NICHOLAS BURNS" in text
    assert "SENSITIVE BUT UNCLASSIFIED" in text  # the banner of what it prints
    assert "Sat Jun 17, 19:30" in text  # the home clock
    # he meets the Secretary's plane; he is not on it
    assert "Flights" not in text
    assert "Beijing hotel" in text  # the lodging of his days
    assert len(reader.pages) <= 2


@pytest.mark.slow
def test_for_all_is_every_home_side_traveller_and_the_principal_gets_every_flight(example):
    result = run_cli("build", example, "--layout", "itinerary", "--for", "all", "--html")
    assert result.returncode == 0, result.stderr
    made = sorted(p.name for p in example.parent.glob("*-itinerary-*.html"))
    people = validate(load(EXAMPLE)).trip.people
    home = sorted(
        f"beijing-2023-itinerary-{pid}.html" for pid, p in people.items() if p.side == "home"
    )
    assert made == home
    page = example.with_name("beijing-2023-itinerary-blinken.html").read_text(encoding="utf-8")
    plain = words(re.sub(r"<[^>]+>", " ", page))
    assert plain.count("[SAM mission no. – TBC]") == 3  # every flight
    mine, _ = titles_of("blinken")
    assert all(words(title) in plain for title in mine)


def test_itinerary_needs_a_known_person_and_writes_nothing_otherwise(example):
    result = run_cli("build", example, "--layout", "itinerary")
    assert result.returncode == 1
    assert "--layout itinerary needs --for PERSON (or --for all)" in result.stderr
    result = run_cli("build", example, "--for", "burnz", "--html")
    assert result.returncode == 1
    assert "--for burnz: no such person" in result.stderr
    assert not list(example.parent.glob("*-itinerary-*"))

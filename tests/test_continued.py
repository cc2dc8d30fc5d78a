"""A table that goes on to the next page says so (issue 16): the heading in its head reads
"Host side, continued" there (pdf/continued.py), the running head "Risks, continued" over a
section's table; a table that fits on its page never says it."""

from __future__ import annotations

import re

import pytest
import yaml

from conftest import CORPUS, laid_out, run_cli
from helpers import page_texts
from layout_checks import continued_headings_wrong


def _long_trip(folder):
    """The minimal trip with a host side and a list of risks each longer than a page."""
    trip = yaml.safe_load((CORPUS / "good" / "minimal.yaml").read_text(encoding="utf-8"))
    trip["agenda"][1].update(start="13:00", end="18:30")  # YAML 1.1 read them as numbers
    for i in range(45):
        trip["people"][f"host-{i}"] = {
            "name": f"Host Person {i}",
            "title": "Deputy Director General",
            "side": "host",
        }
    trip["risks"] = [
        {"text": f"Risk {i}: a longer account of what can go wrong", "likelihood": "low"}
        for i in range(70)
    ]
    path = folder / "long.yaml"
    path.write_text(yaml.safe_dump(trip, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _pages(pdf) -> list[str]:
    return [" ".join(text.split()) for text in page_texts(pdf)]


@pytest.mark.slow
def test_a_table_going_on_to_the_next_page_says_so(tmp_path):
    trip = _long_trip(tmp_path)
    result = run_cli("build", trip, "-o", tmp_path / "long.pdf")
    assert result.returncode == 0, result.stderr
    pages = _pages(tmp_path / "long.pdf")
    first = next(n for n, text in enumerate(pages) if "Host side NAME" in text)
    assert "Host side, continued" not in pages[first]
    assert "Host side, continued NAME" in pages[first + 1]  # the heading, then the column heads
    assert "Host Person 44" in pages[first + 1]
    said = [n for n, text in enumerate(pages) if "Host side, continued" in text]
    assert said == [first + 1]  # only where it goes on
    risks = [n for n, text in enumerate(pages) if re.search(r"Risk \d+:", text)]
    assert len(risks) >= 2
    assert "Risks, continued" not in pages[risks[0]]
    assert all("Risks, continued" in pages[n] for n in risks[1:])  # the running head
    assert continued_headings_wrong(laid_out(trip).document) == []


def test_a_table_that_fits_never_says_continued(example_pdf):
    pages = _pages(example_pdf)
    text = " ".join(pages)
    for heading in ("Host side", "Flights", "RISKS", "CONTACTS"):
        assert heading in text
    said = [n for n, page in enumerate(pages) if ", continued" in page]
    # the example's schedule alone goes on to a second page
    assert [re.findall(r"[A-Z][a-z ]+, continued", pages[n]) for n in said] == [
        ["Schedule at a glance, continued"]
    ]
    assert "DAY LOCAL TIME" in pages[said[0]]
    assert "SCHEDULE AT A GLANCE" in pages[said[0] - 1]


def test_a_pocket_card_day_going_on_says_which_day(example_as):
    """The example's Sunday and Monday each run on to the next pocket page, and say so
    there only."""
    pages = _pages(example_as("card"))
    said = [re.findall(r"(\w+ \w+ \d+ \u00b7 \w+), continued", page) for page in pages]
    assert said == [[], ["Sun Jun 18 \u00b7 Beijing"], ["Mon Jun 19 \u00b7 Beijing"], []]
    assert "Sun Jun 18 \u00b7 Beijing, continued Beijing Washington Event" in pages[1]
    for number, days in enumerate(said):
        for day in days:
            assert f"{day} Beijing Washington" in pages[number - 1]  # where it began

"""A day at a glance (issue 18, item 4): each day's timeline as vector SVG with its words."""

from __future__ import annotations

import base64
import datetime as dt
import xml.etree.ElementTree as ET

from briefgen import schedule
from briefgen.load import load, load_text
from briefgen.render.timeline import timelines
from briefgen.validate import validate
from conftest import EXAMPLE

SVG = "{http://www.w3.org/2000/svg}"


def days_of(brief) -> dict:
    return timelines(brief, schedule.ordered(brief.trip))


def svg_of(day) -> ET.Element:
    assert day.image.startswith("data:image/svg+xml;base64,")
    return ET.fromstring(base64.b64decode(day.image.split(",", 1)[1]))


def test_the_examples_first_day_in_beijing_in_words_and_in_blocks():
    days = days_of(validate(load(EXAMPLE)))
    assert sorted(days) == [
        dt.date(2023, 6, d) for d in (16, 18, 19, 20, 21)
    ]  # the 17th is spent flying: no event starts on it
    day = days[dt.date(2023, 6, 18)]
    assert day.alt.startswith(
        "Sunday 18 June: 4 events from 07:30 to 21:30 Beijing (19:30–09:30 Washington); "
        "body-clock night 11:"
    )
    svg = svg_of(day)
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert "Beijing" in texts
    assert "Washington" in texts  # the home clock's axis
    assert "body-clock night" in texts
    assert "19:00" in texts  # 07:00 Beijing is 19:00 in Washington
    blocks = [
        r
        for r in svg.iter(f"{SVG}rect")
        if r.get("stroke") == "#000" and r.get("class") != "flight"
    ]
    assert len(blocks) == 4
    assert any(r.get("stroke-dasharray") for r in blocks)  # the hold
    # the tentative call on Xi is hatched the next day
    monday = svg_of(days[dt.date(2023, 6, 19)])
    assert any(r.get("fill") == "url(#hatch)" for r in monday.iter(f"{SVG}rect"))
    assert svg.find(f".//{SVG}script") is None


ONE_ZONE = """\
briefgen: 1
memo: {to: The Secretary, from: Desk, date: 2027-01-01, subject: Day trip}
trip:
  title: Day trip
  principal: sec
  home_timezone: America/New_York
  start: 2027-06-17
  end: 2027-06-17
  stops: [{place: New York, timezone: America/New_York, from: 2027-06-17}]
purpose: Talk.
goals: [Talk.]
people:
  sec: {name: Pat Doe, title: Secretary, side: home}
agenda:
  - {title: "Talks <script>alert(1)</script> & more", date: 2027-06-17, start: "10:00",
     end: "12:00"}
  - {title: Lunch, date: 2027-06-17, start: "12:30", end: "13:30", status: cancelled}
"""


def test_a_one_zone_day_has_one_clock_no_night_and_its_titles_escaped():
    (day,) = days_of(validate(load_text(ONE_ZONE, "trip.yaml"))).values()
    assert day.alt == "Thursday 17 June: 1 event from 10:00 to 12:00 New York"
    svg = svg_of(day)  # parses: the title is escaped
    texts = [t.text or "" for t in svg.iter(f"{SVG}text")]
    assert texts.count("New York") == 1  # one clock: the home clock is the same
    assert "body-clock night" not in texts
    assert any(t.startswith("Talks <script>") for t in texts)  # text, not markup
    assert not any("Lunch" in t for t in texts)  # cancelled: absent


def test_flights_are_bars_of_their_own_and_said_in_words():
    """Issue 18: the logistics flights drawn in a lane of their own (not the agenda's
    arrival/departure blocks), a flight that goes on past the day's window with an
    arrowhead, and the same in the alternative text."""
    days = days_of(validate(load(EXAMPLE)))
    flights = {
        day: [r for r in svg_of(t).iter(f"{SVG}rect") if r.get("class") == "flight"]
        for day, t in days.items()
    }
    assert {day.day: len(bars) for day, bars in flights.items()} == {
        16: 1,
        18: 1,
        19: 1,
        20: 1,
        21: 1,
    }
    # the Beijing-London flight takes off at 22:30 on the 19th and goes on past the window
    monday = svg_of(days[dt.date(2023, 6, 19)])
    assert len(list(monday.iter(f"{SVG}polygon"))) == 1
    assert days[dt.date(2023, 6, 19)].alt.endswith("; flight BJS–LON takes off 22:30")
    assert days[dt.date(2023, 6, 20)].alt.endswith("; flight BJS–LON lands 02:30")
    (bar,) = flights[dt.date(2023, 6, 20)]
    events = [
        r
        for r in svg_of(days[dt.date(2023, 6, 20)]).iter(f"{SVG}rect")
        if r.get("stroke") == "#000" and r.get("class") != "flight"
    ]
    assert all(float(bar.get("y")) >= float(r.get("y")) + float(r.get("height")) for r in events)
    # the example's London-Washington flight lands at 02:00 London the next day
    assert "flight LON–WAS takes off 18:00" in days[dt.date(2023, 6, 21)].alt


def test_a_trip_without_flights_draws_no_flight_bar():
    (day,) = days_of(validate(load_text(ONE_ZONE, "trip.yaml"))).values()
    assert not [r for r in svg_of(day).iter(f"{SVG}rect") if r.get("class") == "flight"]
    assert "flight" not in day.alt


def test_flight_bars_run_right_to_left_in_an_arabic_book():
    """In an `ar` book the hours run right to left: the flight landing at 07:30 on the 18th
    comes in from the right (its arrowhead there), its words begin at the bar's right."""
    from briefgen.language import speaking

    with speaking("ar"):
        days = days_of(validate(load(EXAMPLE)))
    sunday = svg_of(days[dt.date(2023, 6, 18)])
    (bar,) = [r for r in sunday.iter(f"{SVG}rect") if r.get("class") == "flight"]
    left, right = float(bar.get("x")), float(bar.get("x")) + float(bar.get("width"))
    (arrow,) = sunday.iter(f"{SVG}polygon")
    tip = max(float(p.split(",")[0]) for p in arrow.get("points").split())
    assert tip > right  # pointing out to the right, where the flight came from
    (words,) = [
        t
        for t in sunday.iter(f"{SVG}text")
        if t.get("fill") in ("#000", "#fff")
        and t.get("font-size") == "13"
        and "–" in (t.text or "")
    ]
    assert float(words.get("x")) < left  # after the bar, in reading order


def test_the_night_the_clocks_go_forward_is_drawn_in_real_hours():
    """New York, 10 March 2024: 02:00 becomes 03:00. The scale had a 02:00 that never was,
    and an event from 01:00 to 04:00 (two hours) was drawn three hours wide."""
    text = ONE_ZONE.replace("2027-06-17", "2024-03-10").replace(
        'start: "10:00",\n     end: "12:00"', 'start: "01:00",\n     end: "04:00"'
    )
    (day,) = days_of(validate(load_text(text, "trip.yaml"))).values()
    svg = svg_of(day)
    ticks = [t.text for t in svg.iter(f"{SVG}text") if t.text and t.text[:2].isdigit()]
    assert "02:00" not in ticks
    assert ticks[:3] == ["01:00", "03:00", "04:00"]
    [block] = [r for r in svg.iter(f"{SVG}rect") if r.get("stroke") == "#000"]
    hour = float(svg.find(f"{SVG}line[2]").get("x1")) - float(svg.find(f"{SVG}line[1]").get("x1"))
    assert abs(float(block.get("width")) - 2 * hour) < 0.5


def test_the_words_end_at_the_last_moment_known_not_at_a_drawn_width():
    """An event without an end is drawn 20 minutes wide; the words said it ended then."""
    days = days_of(validate(load(EXAMPLE)))
    assert days[dt.date(2023, 6, 16)].alt.startswith("Friday 16 June: 1 event at 22:00 Washington;")
    assert "from 09:30 to 22:30 Beijing (21:30–10:30 Washington)" in days[dt.date(2023, 6, 19)].alt


def test_the_night_the_clocks_go_back_is_measured_in_real_time():
    """New York, 3 November 2024 (02:00 EDT becomes 01:00 EST): a call from 00:30 to 01:20
    Chicago time runs from 01:30 EDT to 01:20 EST, after a 01:30-01:45 meeting ends; the
    words ended at 01:45, compared by the clock reading."""
    text = (
        ONE_ZONE.replace("2027-06-17", "2024-11-03")
        .replace(
            '  - {title: Lunch, date: 2024-11-03, start: "12:30", end: "13:30", '
            "status: cancelled}\n",
            '  - {title: Call, date: 2024-11-03, start: "00:30", end: "01:20", '
            "timezone: America/Chicago}\n",
        )
        .replace('start: "10:00",\n     end: "12:00"', 'start: "01:30",\n     end: "01:45"')
    )
    (day,) = days_of(validate(load_text(text, "trip.yaml"))).values()
    assert "from 01:30 to 01:20 New York" in day.alt, day.alt


def test_a_moment_on_another_date_than_the_days_says_its_day():
    """Tokyo 21:00, then Honolulu 09:30 of the same date: the day is drawn on Tokyo's clock,
    where the landing is 04:30 the next day; the words said "to 04:30"."""
    text = ONE_ZONE.replace("2027-06-17", "2024-06-10").replace(
        'start: "10:00",\n     end: "12:00"}',
        'start: "21:00", timezone: Asia/Tokyo}\n'
        '  - {title: Land, date: 2024-06-10, start: "09:30", timezone: Pacific/Honolulu}',
    )
    (day,) = days_of(validate(load_text(text, "trip.yaml"))).values()
    assert "from 21:00 to Tue Jun 11 04:30 Tokyo" in day.alt, day.alt

"""Days the trip is in two zones, and legs that end in another zone than they start
(contract: Format 1 additions, turn 3, *Events: split days and legs across zones*)."""

from __future__ import annotations

import re
import textwrap

import icalendar

from briefgen import schedule
from briefgen.checks import schedule_warnings, warning_line
from briefgen.load import load_text
from briefgen.validate import validate
from conftest import run_cli

BALTIC = """\
briefgen: 1
memo: {to: The Minister, from: Europe desk, date: 2027-03-01, subject: Baltic tour}
trip:
  title: Baltic tour
  principal: min
  home_timezone: America/New_York
  home_place: Washington
  start: 2027-03-15
  end: 2027-03-18
  stops:
    - {place: Warsaw, timezone: Europe/Warsaw, from: 2027-03-15, to: 2027-03-16}
    - {place: Vilnius, timezone: Europe/Vilnius, from: 2027-03-16, to: 2027-03-17}
    - {place: Tallinn, timezone: Europe/Tallinn, from: 2027-03-18, to: 2027-03-18}
purpose: Talk.
goals: [Talk.]
people:
  min: {name: The Minister, title: Minister, side: home}
agenda:
"""


def brief_of(agenda: str, extra: str = ""):
    text = BALTIC + textwrap.indent(textwrap.dedent(agenda), "  ") + extra
    return validate(load_text(text, "trip.yaml"))


def warnings(agenda: str, extra: str = "") -> list[str]:
    """The schedule warnings but the body clock's (test_bodyclock's; this trip flies none)."""
    found = schedule_warnings(brief_of(agenda, extra))
    return [warning_line(w) for w in found if "body clock" not in w.message]


BILAT = """\
- id: vilnius-bilat
  title: Bilateral in Vilnius
  date: 2027-03-16
  start: "16:45"
  end: "18:00"
"""


def test_split_day_event_without_zone_is_read_in_the_earlier_stop_and_warned_once():
    found = warnings(BILAT)
    assert len(found) == 1
    assert found[0].startswith("trip.yaml:21:11: warning: ")  # at its date
    assert (
        "agenda 'vilnius-bilat' on 2027-03-16: the trip is in Warsaw and Vilnius that day; "
        "give it a timezone" in found[0]
    )
    s = schedule.ordered(brief_of(BILAT).trip)[0]
    assert (s.zone, s.place) == ("Europe/Warsaw", "Warsaw")


def test_split_day_event_with_either_stops_zone_is_no_slip():
    for zone in ("Europe/Vilnius", "Europe/Warsaw"):
        agenda = BILAT + f"  timezone: {zone}\n"
        assert warnings(agenda) == [], zone
    s = schedule.ordered(brief_of(BILAT + "  timezone: Europe/Vilnius\n").trip)[0]
    assert s.place == "Vilnius"
    assert s.local is not None
    assert s.local.start.utcoffset().total_seconds() == 2 * 3600
    # a zone of neither stop is still a slip, and names both places
    found = warnings(BILAT + "  timezone: Europe/Tallinn\n")
    assert len(found) == 1
    assert (
        "agenda 'vilnius-bilat' is in Europe/Tallinn, but on 2027-03-16 the trip is in "
        "Warsaw (Europe/Warsaw) and Vilnius (Europe/Vilnius)" in found[0]
    )


def test_untimed_or_single_stop_days_draw_no_split_day_warning():
    assert warnings("- {title: Reading day, date: 2027-03-16}\n") == []
    assert warnings('- {title: Talks, date: 2027-03-15, start: "10:00", end: "11:00"}\n') == []


def test_warnings_name_events_by_id_where_they_have_one():
    found = warnings(
        """\
        - {id: talks, title: Talks, date: 2027-03-15, start: "10:00", end: "12:00"}
        - {title: Lunch, date: 2027-03-15, start: "11:00", end: "13:00"}
        - {id: late, title: Late, date: 2027-03-15, start: "15:30", end: "14:30"}
        """
    )
    assert any("agenda[1] overlaps agenda 'talks' for min" in w for w in found)
    assert any("agenda 'late' ends at 14:30, before it starts at 15:30" in w for w in found)


DRIVE = """\
- id: drive
  title: Drive to Vilnius
  date: 2027-03-16
  start: "11:30"
  end: "15:00"
  timezone: Europe/Warsaw
  end_timezone: Europe/Vilnius
  kind: travel
"""


def test_a_leg_across_zones_ends_on_its_own_clock():
    s = schedule.ordered(brief_of(DRIVE).trip)[0]
    assert s.crosses_zones
    assert (s.place, s.end_place) == ("Warsaw", "Vilnius")
    assert s.local is not None
    assert s.local.end is not None
    assert s.local.end - s.local.start == schedule.dt.timedelta(hours=2, minutes=30)
    assert s.home is not None
    assert (s.home.start.hour, s.home.end.hour) == (6, 9)
    assert warnings(DRIVE) == []


def test_a_leg_overlaps_by_its_true_instants():
    # 14:45 Vilnius is 13:45 Warsaw: inside the drive, which ends 15:00 Vilnius.
    found = warnings(
        DRIVE
        + """\
- {id: call, title: Call, date: 2027-03-16, start: "14:45", end: "15:15",
   timezone: Europe/Vilnius}
"""
    )
    assert len(found) == 1
    assert (
        "agenda 'call' overlaps agenda 'drive' for min: 11:30 Warsaw → 15:00 Vilnius and "
        "14:45–15:15 Vilnius" in found[0]
    )
    # 15:00 Vilnius, when the drive arrives: back to back, no overlap
    assert (
        warnings(
            DRIVE
            + """\
- {title: Call, date: 2027-03-16, start: "15:00", end: "15:15", timezone: Europe/Vilnius}
"""
        )
        == []
    )


def test_a_westward_leg_whose_end_reads_earlier_is_not_overnight():
    agenda = """\
    - {title: Fly back, date: 2027-03-16, start: "11:30", end: "11:15", kind: travel,
       timezone: Europe/Vilnius, end_timezone: Europe/Warsaw}
    """
    s = schedule.ordered(brief_of(agenda).trip)[0]
    assert s.local is not None
    assert s.local.end is not None
    assert s.local.end - s.local.start == schedule.dt.timedelta(minutes=45)
    assert warnings(agenda) == []


def test_a_leg_exports_dtend_on_its_own_clock_with_both_timezones(tmp_path):
    trip = tmp_path / "baltic.yaml"
    trip.write_text(BALTIC + textwrap.indent(DRIVE, "  "), encoding="utf-8")
    result = run_cli("ics", trip)
    assert result.returncode == 0, result.stderr
    calendar = icalendar.Calendar.from_ical((tmp_path / "baltic.ics").read_bytes())
    (drive,) = calendar.walk("VEVENT")
    assert drive["DTSTART"].params["TZID"] == "Europe/Warsaw"
    assert drive["DTEND"].params["TZID"] == "Europe/Vilnius"
    assert drive["DTEND"].dt.hour == 15
    assert drive["DTEND"].dt - drive["DTSTART"].dt == schedule.dt.timedelta(hours=2, minutes=30)
    zones = {str(z["TZID"]) for z in calendar.walk("VTIMEZONE")}
    assert {"Europe/Warsaw", "Europe/Vilnius"} <= zones


def test_pages_print_a_leg_on_its_two_clocks(tmp_path):
    trip = tmp_path / "baltic.yaml"
    trip.write_text(BALTIC + textwrap.indent(DRIVE, "  "), encoding="utf-8")
    result = run_cli("build", trip, "--html")
    assert result.returncode == 0, result.stderr
    words = " ".join(re.sub(r"<[^>]+>", " ", trip.with_suffix(".html").read_text()).split())
    assert "11:30 Warsaw → 15:00 Vilnius UTC+1 → UTC+2 06:30–09:00 UTC−4" in words  # schedule row
    assert "11:30 Warsaw → 15:00 Vilnius (UTC+1 → UTC+2) 06:30–09:00 Washington" in words


FLIGHTS = """\
logistics:
  flights:
    - {from: Warsaw, to: New York, depart: "2027-03-18 10:00", depart_timezone: Europe/Warsaw,
       arrive: "2027-03-18 04:30", arrive_timezone: America/New_York}
    - {from: Warsaw, to: Vilnius, depart: "2027-03-16 09:00", depart_timezone: Europe/Warsaw,
       arrive: "2027-03-16 11:00", arrive_timezone: Europe/Vilnius}
"""


def test_a_flight_that_lands_before_it_takes_off_is_a_located_error(tmp_path):
    trip = tmp_path / "baltic.yaml"
    trip.write_text(BALTIC + "  - {title: Talks, date: 2027-03-15}\n" + FLIGHTS, encoding="utf-8")
    result = run_cli("check", trip)
    assert result.returncode == 1
    (line,) = [x for x in result.stderr.splitlines() if "the flight lands" in x]
    assert line.startswith(f"{trip}:23:16: ")
    assert (
        "logistics.flights[0].arrive: the flight lands (2027-03-18 04:30 America/New_York)" in line
    )
    assert "flights[1]" not in result.stderr  # one hour east, two hours later: fine


def test_the_flights_table_names_each_clock_by_its_place(tmp_path):
    trip = tmp_path / "baltic.yaml"
    red_eye = FLIGHTS.replace('"2027-03-18 04:30"', '"2027-03-18 14:30"')
    trip.write_text(BALTIC + "  - {title: Talks, date: 2027-03-15}\n" + red_eye, encoding="utf-8")
    result = run_cli("build", trip, "--html")
    assert result.returncode == 0, result.stderr
    words = " ".join(re.sub(r"<[^>]+>", " ", trip.with_suffix(".html").read_text()).split())
    assert (
        "Thu Mar 18 10:00 Warsaw (UTC+1) Thu Mar 18 05:00 Washington "
        "Thu Mar 18 14:30 Washington (UTC−4)" in words
    )
    assert "Tue Mar 16 11:00 Vilnius (UTC+2) Tue Mar 16 05:00 Washington" in words


# ---------------------------------------------------------------- real time, not clock readings


def _trip(
    start: str, end: str, stops: str, agenda: str, extra: str = "", home: str = "America/New_York"
):
    text = (
        BALTIC.replace("2027-03-15", start)
        .replace("America/New_York", home)
        .replace("2027-03-18", end)
        .split("  stops:\n")[0]
        + "  stops:\n"
        + textwrap.indent(textwrap.dedent(stops), "    ")
        + extra
        + "purpose: Talk.\ngoals: [Talk.]\npeople:\n  min: {name: The Minister, title: Minister, "
        "side: home}\nagenda:\n" + textwrap.indent(textwrap.dedent(agenda), "  ")
    )
    return validate(load_text(text, "trip.yaml"))


def test_a_leg_ends_when_its_end_clock_next_comes_round():
    """Honolulu 23:00 -> Sydney 06:30 lands two dates on (it ended 2.5 h before it began);
    Tokyo 08:00 -> Honolulu 20:00 lands the date before (it was read as 31 hours)."""
    brief = _trip(
        "2024-06-10",
        "2024-06-12",
        "- {place: Tokyo, timezone: Asia/Tokyo}\n",
        """\
        - {title: To Sydney, date: 2024-06-10, start: "23:00", end: "06:30", kind: travel,
           timezone: Pacific/Honolulu, end_timezone: Australia/Sydney}
        - {title: To Honolulu, date: 2024-06-11, start: "08:00", end: "20:00", kind: travel,
           timezone: Asia/Tokyo, end_timezone: Pacific/Honolulu}
        """,
    )
    sydney, honolulu = (s.local for s in schedule.ordered(brief.trip))
    assert sydney.end.isoformat() == "2024-06-12T06:30:00+10:00"
    assert sydney.length.total_seconds() == 11.5 * 3600
    assert honolulu.end.isoformat() == "2024-06-10T20:00:00-10:00"
    assert honolulu.length.total_seconds() == 7 * 3600


def test_events_of_one_date_on_two_clocks_are_in_real_time_order():
    """A walk from Tornio (Helsinki time) to Haparanda (Stockholm, an hour behind): the
    Haparanda meeting at 09:15 comes after the walk that starts at 09:45 Helsinki time."""
    brief = _trip(
        "2024-06-10",
        "2024-06-10",
        "- {place: Tornio, timezone: Europe/Helsinki}\n",
        """\
        - {id: tornio, title: Tornio, date: 2024-06-10, start: "09:00", end: "09:40"}
        - {id: haparanda, title: Haparanda, date: 2024-06-10, start: "09:15", end: "10:00",
           timezone: Europe/Stockholm}
        - {id: walk, title: Walk, date: 2024-06-10, start: "09:45", end: "09:05", kind: travel,
           end_timezone: Europe/Stockholm}
        """,
    )
    assert [s.event.id for s in schedule.ordered(brief.trip)] == ["tornio", "walk", "haparanda"]


def test_checks_count_real_minutes_on_the_days_the_clocks_change():
    """Berlin, 31 March 2024 (02:00 -> 03:00): 01:50 to 03:10 is 20 minutes, under a
    30-minute transfer. 26-27 October (03:00 -> 02:00): 19:00 to 06:30 lasts 12.5 hours."""
    spring = _trip(
        "2024-03-30",
        "2024-03-31",
        "- {place: Berlin, timezone: Europe/Berlin}\n",
        """\
        - {id: gala, title: Gala, date: 2024-03-31, start: "00:30", end: "01:50", location: Embassy}
        - {id: flight, title: Flight, date: 2024-03-31, start: "03:10", location: BER}
        """,
        extra="  min_transfer: 30\n",
    )
    found = [w.message for w in schedule_warnings(spring)]
    assert any("starts 20 minutes after" in m for m in found), found
    autumn = _trip(
        "2024-10-26",
        "2024-10-27",
        "- {place: Berlin, timezone: Europe/Berlin}\n",
        """\
        - {id: night, title: Night shift, date: 2024-10-26, start: "19:00", end: "06:30"}
        """,
    )
    found = [w.message for w in schedule_warnings(autumn)]
    assert any("12 h 30 min later" in m for m in found), found


def test_a_time_the_clocks_skip_or_pass_twice_is_warned_about():
    brief = _trip(
        "2024-03-30",
        "2024-10-27",
        "- {place: Berlin, timezone: Europe/Berlin}\n",
        """\
        - {id: spring, title: A, date: 2024-03-31, start: "02:30", end: "04:00"}
        - {id: autumn, title: B, date: 2024-10-27, start: "02:30", end: "03:30"}
        - {id: summer, title: C, date: 2024-06-01, start: "02:30", end: "04:00"}
        """,
    )
    assert [w.message for w in schedule_warnings(brief)] == [
        "agenda 'spring' starts at 02:30 on 2024-03-31, a time the clocks skip in Berlin: "
        "read as 03:30",
        "agenda 'autumn' starts at 02:30 on 2024-10-27, a time the clocks pass twice in Berlin: "
        "read as the first, UTC+2",
    ]


def test_a_home_time_over_a_change_of_the_home_clock_gives_both_offsets():
    """16:30-17:00 in London on 6 April 2024 is 02:30 (UTC+11) to 02:00 (UTC+10) in
    Sydney, whose clocks went back at 03:00 that night; the book gave UTC+11 alone."""
    from briefgen.render import render_html

    brief = _trip(
        "2024-04-06",
        "2024-04-06",
        "- {place: London, timezone: Europe/London}\n",
        """\
        - {title: Call, date: 2024-04-06, start: "16:30", end: "17:00"}
        """,
        home="Australia/Sydney",
    )
    html = render_html(brief)
    assert "UTC+11 → UTC+10" in html


def test_legs_over_a_day_apart_zero_long_and_landing_the_date_before():
    """Pago Pago 23:59 -> Kiritimati 00:00 lands three dates on (25 hours apart: a crash);
    a leg whose end clock is its start moment lasts nothing (it lasted 24 h); Tokyo ->
    Honolulu lands the date before, said `(−1 day)` (it said `(+-1 days)`)."""
    from briefgen.clock import clock_text

    brief = _trip(
        "2024-06-10",
        "2024-06-14",
        "- {place: Warsaw, timezone: Europe/Warsaw}\n",
        """\
        - {title: Pacific, date: 2024-06-10, start: "23:59", end: "00:00", kind: travel,
           timezone: Pacific/Pago_Pago, end_timezone: Pacific/Kiritimati}
        - {title: Border, date: 2024-06-11, start: "12:00", end: "13:00", kind: travel,
           end_timezone: Europe/Vilnius}
        - {title: To Honolulu, date: 2024-06-12, start: "08:00", end: "20:00", kind: travel,
           timezone: Asia/Tokyo, end_timezone: Pacific/Honolulu}
        """,
    )
    pacific, border, honolulu = (s.local for s in schedule.ordered(brief.trip))
    assert pacific.end.isoformat() == "2024-06-13T00:00:00+14:00"
    assert pacific.length.total_seconds() == 23 * 3600 + 60
    assert border.length.total_seconds() == 0
    assert clock_text(honolulu).endswith("(−1 day)")

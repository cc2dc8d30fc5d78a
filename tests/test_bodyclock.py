"""The principal's body clock (issue 18): home time at first, then toward local time after
each arrival 3 or more zones away, 1 h a day eastward and 1.5 h a day westward by default;
an event of the principal in the body's night is a schedule warning."""

from __future__ import annotations

import datetime as dt
import textwrap

from briefgen.bodyclock import BodyClock
from briefgen.checks import schedule_warnings
from briefgen.load import load, load_text
from briefgen.validate import validate
from conftest import EXAMPLE, MINIMAL, run_cli


def trip(home: str, stops: str, start: str, end: str, agenda: str, extra: str = "") -> str:
    head = textwrap.dedent(
        f"""\
        briefgen: 1
        memo: {{to: The Secretary, from: Desk, date: 2027-01-01, subject: Travel}}
        trip:
          title: Travel
          principal: sec
          home_timezone: {home}
          start: {start}
          end: {end}
          stops:
        """
    )
    rest = textwrap.dedent(
        """\
        purpose: Talk.
        goals: [Talk.]
        people:
          sec: {name: Pat Doe, title: Secretary, side: home}
          aide: {name: Sam Roe, title: Aide, side: home}
        agenda:
        """
    )
    return (
        head
        + textwrap.indent(textwrap.dedent(stops).rstrip("\n") + "\n", "    ")
        + rest
        + textwrap.indent(textwrap.dedent(agenda), "  ")
        + textwrap.dedent(extra)
    )


def warnings_of(text: str) -> list[str]:
    brief = validate(load_text(text, "trip.yaml"))
    return [w.message for w in schedule_warnings(brief) if "body clock" in w.message]


def test_the_examples_first_day_talks_are_in_the_secretarys_night():
    brief = validate(load(EXAMPLE))
    found = [w.message for w in schedule_warnings(brief) if "body clock" in w.message]
    assert found[0] == (
        "agenda 'qin-talks' starts at 13:00 Beijing, about 01:15 on the Secretary's body clock "
        "(12 h east, arrived 5.5 h before; trip.body_clock sets the rates and the night)"
    )
    # the dinner that follows (18:00 Beijing, about 06:20 on the body clock) is not night
    assert not any("qin-dinner" in w for w in found)


# Washington -> Beijing: 12 zones east
EAST = trip(
    "America/New_York",
    "- {place: Beijing, timezone: Asia/Shanghai, from: 2027-06-17, to: 2027-06-22}",
    "2027-06-16",
    "2027-06-22",
    """\
    - {id: talks, title: Talks, date: 2027-06-17, start: "13:00", end: "15:00"}
    - {id: later, title: Later talks, date: 2027-06-22, start: "13:00", end: "15:00"}
    - {id: hold, title: Rest, date: 2027-06-17, start: "14:00", end: "15:00", kind: hold}
    - {id: aide, title: Aide's call, date: 2027-06-17, start: "13:00", participants: [aide]}
    - {id: gone, title: Gone, date: 2027-06-17, start: "13:30", status: cancelled}
    """,
    """\
    logistics:
      flights:
        - {from: Washington, to: Beijing, depart: "2027-06-16 01:00",
           depart_timezone: America/New_York, arrive: "2027-06-17 07:30",
           arrive_timezone: Asia/Shanghai}
    """,
)


def test_eastward_the_day_after_landing_warns_and_five_days_on_does_not():
    found = warnings_of(EAST)
    assert len(found) == 1  # not the hold, the aide's call or the cancelled event
    assert found[0].startswith(
        "agenda 'talks' starts at 13:00 Beijing, about 01:15 on the Secretary's body clock "
        "(12 h east, arrived 5.5 h before"
    )


def test_no_warning_rests_on_a_guessed_arrival():
    """A trip that lists no flight does not say when the principal crossed the zones: its
    stops' first days were taken as arrivals and the minimal trip warned for its 13:00 talks."""
    flightless = EAST.split("logistics:")[0]
    assert warnings_of(flightless) == []
    minimal = validate(load(MINIMAL))
    assert [w for w in schedule_warnings(minimal) if "body clock" in w.message] == []
    # the pages' body clock (the timelines' shading) still starts from the first day
    clock = BodyClock(validate(load_text(flightless, "trip.yaml")).trip)
    assert clock.at(dt.datetime(2027, 6, 17, 13, tzinfo=dt.UTC)).arrival is not None


def test_the_body_clock_moves_an_hour_a_day_east():
    brief = validate(load_text(EAST, "trip.yaml"))
    clock = BodyClock(brief.trip)
    landing = dt.datetime(2027, 6, 17, 7, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert clock.at(landing).offset == -4
    assert clock.at(landing + dt.timedelta(days=3)).offset == -1
    assert round(clock.at(landing + dt.timedelta(days=3)).behind) == 9
    before = clock.at(landing - dt.timedelta(hours=1))
    assert before.arrival is None  # still on home time


# London -> Washington: 5 zones west; the body follows 1.5 h a day
WEST = trip(
    "Europe/London",
    "- {place: Washington, timezone: America/New_York, from: 2027-06-17}",
    "2027-06-17",
    "2027-06-20",
    """\
    - {id: reception, title: Reception, date: 2027-06-17, start: "21:00", end: "22:00"}
    - {id: dinner, title: Dinner, date: 2027-06-19, start: "21:00", end: "22:00"}
    """,
    """\
    logistics:
      flights:
        - {from: London, to: Washington, depart: "2027-06-17 11:00",
           depart_timezone: Europe/London, arrive: "2027-06-17 14:00",
           arrive_timezone: America/New_York}
    """,
)


def test_westward_the_first_evening_is_night_two_days_on_it_is_not():
    found = warnings_of(WEST)
    assert found == [
        "agenda 'reception' starts at 21:00 Washington, about 01:35 on the Secretary's body "
        "clock (4.5 h west, arrived 7 h before; trip.body_clock sets the rates and the night)"
    ]  # 02:00 London, less 7 h at 1.5 h a day (26 min)


def test_the_rates_and_the_night_are_settings():
    def setting(value: str) -> str:
        return WEST.replace("  stops:", f"  body_clock: {value}\n  stops:")

    # slower westward: two days on, the dinner is still at about 01:25 on the body clock
    found = warnings_of(setting("{west_hours_per_day: 0.25}"))
    assert [w.split(" starts")[0] for w in found] == ["agenda 'reception'", "agenda 'dinner'"]
    # at the default rate the dinner is at about 22:35 on the body: night only if it says so
    found = warnings_of(setting("{night: '22:00-23:00'}"))
    assert [w.split(" starts")[0] for w in found] == ["agenda 'dinner'"]
    assert "about 22:35" in found[0]
    assert warnings_of(setting("{night: '00:00-00:00'}")) == []  # no night at all


# Home Washington; a week in Beijing; back home, the body is still ahead
BACK = trip(
    "America/New_York",
    """\
    - {place: Beijing, timezone: Asia/Shanghai, from: 2027-06-10, to: 2027-06-16}
    - {place: Washington, timezone: America/New_York, from: 2027-06-17, to: 2027-06-18}
    """,
    "2027-06-09",
    "2027-06-18",
    """\
    - {id: debrief, title: Debrief, date: 2027-06-17, start: "10:00", end: "11:00"}
    - {id: late-call, title: Late call, date: 2027-06-17, start: "20:00", end: "21:00"}
    """,
    """\
    logistics:
      flights:
        - {from: Washington, to: Beijing, depart: "2027-06-09 01:00",
           depart_timezone: America/New_York, arrive: "2027-06-10 07:00",
           arrive_timezone: Asia/Shanghai}
        - {from: Beijing, to: Washington, depart: "2027-06-16 18:00",
           depart_timezone: Asia/Shanghai, arrive: "2027-06-16 20:00",
           arrive_timezone: America/New_York}
    """,
)


def test_back_home_the_body_is_still_on_the_trips_time():
    found = warnings_of(BACK)
    # 7 days east at 1 h a day: 7 h ahead of Washington on landing, then 1.5 h back a day
    assert len(found) == 1
    assert found[0].startswith("agenda 'late-call' starts at 20:00 Washington, about 01:30")
    assert "(5.5 h west, arrived 24 h before" in found[0]


def test_a_one_zone_day_trip_has_no_body_clock_warning(tmp_path):
    day_trip = trip(
        "America/New_York",
        "- {place: New York, timezone: America/New_York, from: 2027-06-17, to: 2027-06-17}",
        "2027-06-17",
        "2027-06-17",
        """\
        - {title: Train to New York, date: 2027-06-17, start: "05:30", kind: travel}
        - {title: Talks, date: 2027-06-17, start: "10:00", end: "12:00"}
        """,
    )
    assert warnings_of(day_trip) == []
    # nor across two zones (Chicago is one hour behind): no jet lag below 3 zones
    assert warnings_of(day_trip.replace("America/New_York, from", "America/Chicago, from")) == []


def test_strict_fails_on_a_body_clock_warning(tmp_path):
    path = tmp_path / "trip.yaml"
    path.write_text(EAST, encoding="utf-8")
    result = run_cli("check", path)
    assert result.returncode == 0
    assert "warning: agenda 'talks' starts at 13:00 Beijing" in result.stderr
    result = run_cli("check", "--strict", path)
    assert result.returncode == 1
    assert "error: agenda 'talks' starts at 13:00 Beijing" in result.stderr

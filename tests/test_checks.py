"""Schedule checks (contract: Format 1 additions, *Schedule checks*): one test per check,
each with a trip that trips it and one that does not; then `check`/`build` and --strict."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from briefgen.checks import schedule_warnings, warning_line
from briefgen.load import load, load_text
from briefgen.validate import validate
from conftest import EXAMPLE, run_cli

HEAD = """\
briefgen: 1
memo: {to: The Secretary, from: EAP, date: 2023-06-10, subject: Travel}
trip:
  title: Travel to Beijing
  principal: blinken
  home_timezone: Asia/Shanghai  # the body clock on local time: its check is test_bodyclock's
  start: 2023-06-17
  end: 2023-06-20
  min_transfer: 30
  stops:
    - {place: Beijing, timezone: Asia/Shanghai, from: 2023-06-18, to: 2023-06-19}
    - {place: Tokyo, timezone: Asia/Tokyo, from: 2023-06-20}
purpose: Talk.
goals: [Talk.]
people:
  blinken: {name: Antony Blinken, title: Secretary of State, side: home}
  wang-yi: {name: Wang Yi, title: Director, side: host}
  qin-gang: {name: Qin Gang, title: Minister, side: host}
"""


def trip_text(agenda: str, extra: str = "") -> str:
    return HEAD + "agenda:\n" + textwrap.indent(textwrap.dedent(agenda), "  ") + extra


def warnings(agenda: str, extra: str = "") -> list[str]:
    brief = validate(load_text(trip_text(agenda, extra), "trip.yaml"))
    return [warning_line(w) for w in schedule_warnings(brief)]


def event(
    title: str, start: str | None, end: str | None = None, day: str = "2023-06-18", **more: str
) -> str:
    lines = [f"- title: {title}", f"  date: {day}"]
    lines += [f'  start: "{start}"'] if start else []
    lines += [f'  end: "{end}"'] if end else []
    lines += [f"  {k}: {v}" for k, v in more.items()]
    return "\n".join(lines) + "\n"


def test_overlap_for_the_same_person_located_at_the_later_event():
    found = warnings(
        event("Talks", "13:00", "17:30", participants="[blinken, wang-yi]")
        + event("Call", "16:30", "17:15", participants="[wang-yi]")
    )
    # the second event starts at line 25 of the file, column 5
    assert found == [
        "trip.yaml:25:5: warning: agenda[1] overlaps agenda[0] for wang-yi: "
        "13:00–17:30 and 16:30–17:15 Beijing"
    ]


def test_overlap_not_when_back_to_back_other_people_hold_or_cancelled():
    assert (
        warnings(
            event("Talks", "13:00", "16:30", participants="[blinken]")
            + event("Call", "16:30", "17:15", participants="[blinken]")
        )
        == []
    )
    assert (
        warnings(
            event("Talks", "13:00", "17:30", participants="[blinken]")
            + event("Call", "16:30", "17:15", participants="[wang-yi]")
        )
        == []
    )
    assert (
        warnings(
            event("Talks", "13:00", "17:30", participants="[blinken]")
            + event("Hold", "16:30", "17:15", kind="hold")
        )
        == []
    )
    assert (
        warnings(
            event("Talks", "13:00", "17:30", participants="[blinken]")
            + event("Call", "16:30", "17:15", status="cancelled")
        )
        == []
    )


def test_principal_counts_for_events_without_participants():
    found = warnings(event("Talks", "13:00", "17:30") + event("Call", "16:30", "17:15"))
    assert len(found) == 1
    assert "for blinken" in found[0]


def test_transfer_shorter_than_min_transfer():
    found = warnings(
        event("Talks", "13:00", "14:00", location="Diaoyutai")
        + event("Lunch", "14:10", "15:00", location="Embassy")
    )
    assert len(found) == 1
    assert (
        "agenda[1] at Embassy starts 10 minutes after agenda[0] at Diaoyutai ends, "
        "for blinken (trip.min_transfer is 30 minutes)" in found[0]
    )


def test_transfer_long_enough_same_place_or_unknown_place_is_fine():
    assert (
        warnings(
            event("Talks", "13:00", "14:00", location="Diaoyutai")
            + event("Lunch", "14:30", "15:00", location="Embassy")
        )
        == []
    )
    assert (
        warnings(
            event("Talks", "13:00", "14:00", location="Diaoyutai")
            + event("Lunch", "14:05", "15:00", location="Diaoyutai")
        )
        == []
    )
    assert (
        warnings(
            event("Talks", "13:00", "14:00", location="Diaoyutai")
            + event("Lunch", "14:05", "15:00")
        )
        == []
    )


FLIGHT = """
logistics:
  flights:
    - {from: Washington, to: Beijing, depart: "2023-06-17 10:00",
       depart_timezone: America/New_York, arrive: "2023-06-18 14:00",
       arrive_timezone: Asia/Shanghai}
"""


def test_principal_event_during_a_flight():
    found = warnings(event("Talks", "09:00", "10:00"), FLIGHT)
    assert len(found) == 1
    assert (
        "agenda[0] starts at 09:00 Beijing, while blinken is in the air on "
        "logistics.flights[0]: Washington 10:00 → Beijing 14:00" in found[0]
    )


def test_no_flight_warning_for_arrivals_or_after_landing_or_others():
    assert warnings(event("Arrive", "09:00", kind="arrival"), FLIGHT) == []
    assert warnings(event("Talks", "15:00", "16:00"), FLIGHT) == []
    assert warnings(event("Talks", "09:00", "10:00", participants="[wang-yi]"), FLIGHT) == []


def test_event_zone_differs_from_its_stop():
    found = warnings(event("Talks", "09:00", "10:00", timezone="Asia/Tokyo"))
    assert len(found) == 1
    assert (
        "agenda[0] is in Asia/Tokyo, but on 2023-06-18 the trip is in Beijing "
        "(Asia/Shanghai)" in found[0]
    )
    assert found[0].startswith("trip.yaml:24:15:")  # at the timezone value


def test_event_zone_fine_for_travel_or_matching_stop_or_no_stop():
    assert warnings(event("Fly", "09:00", kind="departure", timezone="Asia/Tokyo")) == []
    assert warnings(event("Talks", "09:00", "10:00", timezone="Asia/Shanghai")) == []
    assert (
        warnings(event("Leave", "09:00", "10:00", day="2023-06-17", timezone="America/New_York"))
        == []
    )


def test_end_before_start_over_twelve_hours():
    found = warnings(event("Talks", "15:30", "14:30"))
    assert len(found) == 1
    assert (
        "agenda[0] ends at 14:30, before it starts at 15:30: read as ending the next day, "
        "23 h 00 min later" in found[0]
    )


def test_one_pair_of_swapped_times_gives_one_warning():
    """Issue 21: read as lasting until the next day, swapped times also overlapped, crowded
    and flew through every event after them (6 warnings); the one warning says what it is."""
    found = warnings(
        event("Talks", "18:30", "13:00", location="MFA", participants="[blinken, wang-yi]")
        + event("Dinner", "19:00", "21:00", location="Hotel", participants="[blinken, wang-yi]")
        + event("Call", "07:00", "07:30", day="2023-06-19", participants="[blinken]")
        + event("Breakfast", "07:40", "08:30", day="2023-06-19", location="Club")
    )
    assert found == [
        "trip.yaml:23:10: warning: agenda[0] ends at 13:00, before it starts at 18:30: read as "
        "ending the next day, 18 h 30 min later; swapped times?"
    ]


def test_dinner_past_midnight_is_fine():
    assert warnings(event("Dinner", "19:00", "01:00", kind="meal")) == []


def test_person_listed_twice():
    found = warnings(event("Talks", "13:00", "14:00", participants="[blinken, wang-yi, blinken]"))
    assert found == [
        "trip.yaml:24:38: warning: agenda[0].participants[2]: blinken is already "
        "listed as participants[0]"
    ]


def test_person_listed_once_is_fine():
    assert warnings(event("Talks", "13:00", "14:00", participants="[blinken, wang-yi]")) == []


def test_the_examples_only_schedule_warnings_are_its_body_clock():
    found = [w.message for w in schedule_warnings(validate(load(EXAMPLE)))]
    assert [w.split(" starts")[0] for w in found] == ["agenda 'qin-talks'", "agenda 'xi-meeting'"]
    assert all("on the Secretary's body clock" in w for w in found)


@pytest.fixture
def slipped(tmp_path) -> Path:
    path = tmp_path / "trip.yaml"
    path.write_text(trip_text(event("Talks", "15:30", "14:30")), encoding="utf-8")
    return path


def test_check_prints_warnings_and_passes(slipped):
    result = run_cli("check", slipped)
    assert result.returncode == 0
    assert f"{slipped}:23:10: warning: agenda[0] ends at 14:30" in result.stderr
    assert "ok" in result.stdout


def test_strict_check_and_build_fail_and_write_nothing(slipped):
    result = run_cli("check", "--strict", slipped)
    assert result.returncode == 1
    assert f"{slipped}:23:10: error: agenda[0] ends at 14:30" in result.stderr
    result = run_cli("build", "--strict", slipped)
    assert result.returncode == 1
    assert "1 schedule warning treated as an error (--strict); nothing was written" in result.stderr
    assert list(slipped.parent.iterdir()) == [slipped]


def test_build_prints_the_warnings_and_builds(slipped):
    result = run_cli("build", slipped, "--html")  # the warning comes before any layout
    assert result.returncode == 0, result.stderr
    assert f"{slipped}:23:10: warning: agenda[0] ends at 14:30" in result.stderr
    assert slipped.with_suffix(".html").exists()

"""Schedule checks: the slips a valid file can still carry, as located warnings.

The contract's *Schedule checks* (format 1 additions): overlaps for one person, transfers
shorter than `trip.min_transfer`, a person listed twice in one event (people_checks.py); and
here the checks of time: the principal booked during a flight, an event zone that differs
from its stop's, a timed event with no zone on a day in two zones, an event in the body
clock's night, an `end` before `start` read as a 12+ hour event, a time the clocks skip or
pass twice.
"""

from __future__ import annotations

from briefgen import bodyclock, people_checks, schedule
from briefgen.brief import Brief
from briefgen.checking import MOVING_KINDS, Checks, names, people_of, slot_clock
from briefgen.clock import hm, utc_offset
from briefgen.errors import Problem, escape_unprintable


def warning_line(problem: Problem, level: str = "warning") -> str:
    """`trip.yaml:88:5: warning: message`, with nothing from the file reaching the terminal
    raw."""
    return (
        f"{escape_unprintable(problem.file)}:{problem.line}:{problem.column}: {level}: "
        f"{escape_unprintable(problem.message)}"
    )


def during_flights(c: Checks) -> None:
    logistics = c.trip.logistics
    home = c.trip.trip.home_timezone
    principal = c.trip.trip.principal
    for n, flight in enumerate(logistics.flights if logistics else []):
        depart = schedule.flight_leg(flight, "depart", home)
        arrive = schedule.flight_leg(flight, "arrive", home)
        if not (depart and arrive):
            continue
        label = f"logistics.flights[{n}]" + (f" ({flight.flight})" if flight.flight else "")
        for s in c.slots:
            if (
                s.local is None
                or s.index in c.swapped
                or s.event.kind in MOVING_KINDS
                or principal not in people_of(c.trip, s.event)
            ):
                continue
            if depart[0] < s.local.start < arrive[0]:
                c.warn(
                    ("agenda", s.index),
                    f"{c.name(s)} starts at "
                    f"{hm(s.local.start)} {s.place}, while {principal} is in the air "
                    f"on {label}: {flight.from_} {hm(depart[0])} → {flight.to} "
                    f"{hm(arrive[0])}",
                )


def zones(c: Checks) -> None:
    for s in c.slots:
        event = s.event
        if not event.timezone or event.kind in MOVING_KINDS:
            continue
        stops = schedule.stops_covering(c.trip, event.date)
        if stops and event.timezone not in [stop.timezone for stop in stops]:
            where = " and ".join(f"{stop.place} ({stop.timezone})" for stop in stops)
            c.warn(
                ("agenda", s.index, "timezone"),
                f"{c.name(s)} is in {event.timezone}, but on {event.date} the trip is "
                f"in {where}: a copy-paste slip? (travel, arrival and departure events "
                "may differ)",
            )


def split_days(c: Checks) -> None:
    """A timed event with no zone on a day the trip is in two zones: read in the earlier
    stop's, which may be wrong."""
    for s in c.slots:
        event = s.event
        if event.timezone or event.start is None:
            continue
        zones = dict.fromkeys(
            (stop.timezone, stop.place) for stop in schedule.stops_covering(c.trip, event.date)
        )
        if len({zone for zone, _ in zones}) > 1:
            places = names([place for _, place in zones])
            c.warn(
                ("agenda", s.index, "date"),
                f"{c.name(s)} on {event.date}: the trip is in {places} that day; give "
                f"it a timezone (read as {s.place} time: {slot_clock(s)})",
            )


def body_night(c: Checks) -> None:
    """An event of the principal (not a hold) that starts in the body clock's night."""
    clock = bodyclock.BodyClock(c.trip)
    principal = c.trip.trip.principal
    for s in c.slots:
        if s.local is None or s.event.kind == "hold":
            continue
        if principal in people_of(c.trip, s.event) and (said := clock.night(s.local.start)):
            c.warn(
                ("agenda", s.index, "start"),
                f"{c.name(s)} starts at {hm(s.local.start)} {s.place}, {said}",
            )


def overnight(c: Checks) -> None:
    for s in c.slots:
        if s.index not in c.swapped:
            continue
        event = s.event
        if s.local is None or s.local.end is None or event.start is None or event.end is None:
            continue  # swapped only where both times are known
        hours, rest = divmod(int(s.local.length.total_seconds() // 60), 60)
        c.warn(
            ("agenda", s.index, "end"),
            f"{c.name(s)} ends at "
            f"{hm(event.end)}, before it starts at {hm(event.start)}: read as "
            f"ending the next day, {hours} h {rest:02d} min later; swapped times?",
        )


def clock_changes(c: Checks) -> None:
    """A start or end the clocks skip (read as the time an hour on) or pass twice (read as
    the first time round), on the night they change."""
    for s in c.slots:
        if s.local is None:
            continue
        typed = [("start", s.local.start, s.place)]
        if s.local.end is not None:
            typed.append(("end", s.local.end, s.end_place))
        for field, moment, place in typed:
            other = moment.replace(fold=1 - moment.fold)
            if other.utcoffset() == moment.utcoffset():
                continue
            read = schedule.instant(moment).astimezone(moment.tzinfo)
            if read.time() != moment.time():
                said = f"a time the clocks skip in {place}: read as {hm(read)}"
            else:
                first = utc_offset(moment)
                said = f"a time the clocks pass twice in {place}: read as the first, {first}"
            c.warn(
                ("agenda", s.index, field),
                f"{c.name(s)} {field}s at {hm(moment)} on {moment.date().isoformat()}, {said}",
            )


def schedule_warnings(brief: Brief) -> list[Problem]:
    """Every schedule check of the contract, and the dates of the trip this one was made
    from still written in its texts (`olddates`), as located problems (warnings), in file
    order."""
    from briefgen.olddates import old_dates

    c = Checks(brief)
    people_checks.overlaps_and_transfers(c)
    during_flights(c)
    zones(c)
    split_days(c)
    body_night(c)
    overnight(c)
    clock_changes(c)
    people_checks.listed_twice(c)
    return sorted([*c.found, *old_dates(brief)])

"""Schedule checks: the slips a valid file can still carry, as located warnings.

The contract's *Schedule checks* (format 1 additions): overlaps for one person, transfers
shorter than `trip.min_transfer`, the principal booked during a flight, an event zone that
differs from its stop's, an `end` before `start` read as a 12+ hour event, a person listed
twice in one event. Each warning is located at the later of the two events involved. Built
on `schedule.py` (zones, both clocks, order): no clock is recomputed here.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from typing import cast

from briefgen import schedule
from briefgen.brief import Brief
from briefgen.clock import clock_text, hm
from briefgen.errors import Problem, escape_unprintable, format_path, plural
from briefgen.model import TripFile

MOVING_KINDS = ("travel", "arrival", "departure")
LONGEST_OVERNIGHT = dt.timedelta(hours=12)


def warning_line(problem: Problem, level: str = "warning") -> str:
    """`trip.yaml:88:5: warning: message`, with nothing from the file reaching the terminal
    raw."""
    return (
        f"{escape_unprintable(problem.file)}:{problem.line}:{problem.column}: {level}: "
        f"{escape_unprintable(problem.message)}"
    )


def people_of(trip: TripFile, event) -> list[str]:
    """Whom an event counts for: its participants, else the principal."""
    if event.participants:
        return [p.person for p in event.participants]
    return [trip.trip.principal]


def _interval(slot: schedule.Slot) -> tuple[dt.datetime, dt.datetime] | None:
    if slot.local is None:
        return None
    return slot.local.start, slot.local.end or slot.local.start


def _overlap(a: schedule.Slot, b: schedule.Slot) -> bool:
    ia, ib = _interval(a), _interval(b)
    if ia is None or ib is None:
        return False
    if ia[0] == ia[1] and ib[0] == ib[1]:
        return ia[0] == ib[0]  # two moments: only the same one
    if ia[0] == ia[1]:
        return ib[0] < ia[0] < ib[1]
    if ib[0] == ib[1]:
        return ia[0] < ib[0] < ia[1]
    return ia[0] < ib[1] and ib[0] < ia[1]


def _reaches(slot: schedule.Slot, moment: dt.datetime) -> bool:
    """Whether an earlier event may still overlap one that starts at `moment`."""
    interval = _interval(slot)
    return interval is not None and (interval[1] > moment or interval[0] == moment)


def _names(people: list[str]) -> str:
    return people[0] if len(people) == 1 else ", ".join(people[:-1]) + " and " + people[-1]


def _two_clocks(first: schedule.Slot, later: schedule.Slot) -> str:
    if first.zone == later.zone:
        return f"{clock_text(first.local)} and {clock_text(later.local)} {later.place}"
    return f"{clock_text(first.local)} {first.place} and {clock_text(later.local)} {later.place}"


class _Checks:
    def __init__(self, brief: Brief):
        self.brief = brief
        self.trip = brief.trip
        self.found: list[Problem] = []
        # Slots in time order; cancelled events never count.
        self.slots = [s for s in schedule.ordered(self.trip) if s.event.status != "cancelled"]
        self._by_index = {s.index: s for s in self.slots}

    def warn(self, path: tuple, message: str) -> None:
        self.found.append(self.brief.source.problem(path, message))

    def later(self, a: schedule.Slot, b: schedule.Slot) -> tuple[schedule.Slot, schedule.Slot]:
        """(earlier, later): by start instant, then file order."""
        return (a, b) if self._key(a) < self._key(b) else (b, a)

    def _key(self, s: schedule.Slot) -> tuple:
        return (
            s.local.start if s.local else dt.datetime.combine(s.event.date, dt.time(0), dt.UTC),
            s.index,
        )

    def run(self) -> list[Problem]:
        self.overlaps_and_transfers()
        self.during_flights()
        self.zones()
        self.overnight()
        self.listed_twice()
        return sorted(self.found)

    def overlaps_and_transfers(self) -> None:
        timed = sorted((s for s in self.slots if s.local is not None), key=self._key)
        attendees = {s.index: list(dict.fromkeys(people_of(self.trip, s.event))) for s in timed}
        by_person: dict[str, list[schedule.Slot]] = {}
        for slot in timed:  # each person's events, in time order
            for person in attendees[slot.index]:
                by_person.setdefault(person, []).append(slot)
        pairs: set[tuple[int, int]] = set()
        for mine in by_person.values():  # a sweep: only events still running can overlap
            running: list[schedule.Slot] = []
            for later in mine:
                start = cast(schedule.Span, later.local).start  # timed slots only
                running = [a for a in running if _reaches(a, start)]
                pairs.update(
                    (first.index, later.index)
                    for first in running
                    if "hold" not in (first.event.kind, later.event.kind) and _overlap(first, later)
                )
                running.append(later)
        overlaps: dict[tuple[int, int], list[str]] = {}
        transfers: dict[tuple[int, int], tuple[list[str], int]] = {}
        for i, j in sorted(pairs, key=lambda ij: (self._key(self._slot(ij[1])), ij[0])):
            overlaps[(i, j)] = [p for p in attendees[j] if p in attendees[i]]
        for person in self.trip.people:
            mine = by_person.get(person, [])
            for first, later in itertools.pairwise(mine):
                loc_a, loc_b = first.event.location, later.event.location
                first_span = cast(schedule.Span, first.local)  # timed slots only
                later_span = cast(schedule.Span, later.local)
                if (
                    first_span.end is None
                    or not loc_a
                    or not loc_b
                    or loc_a.strip() == loc_b.strip()
                ):
                    continue
                gap = later_span.start - first_span.end
                if dt.timedelta(0) <= gap < dt.timedelta(minutes=self.trip.trip.min_transfer):
                    who, _ = transfers.setdefault((first.index, later.index), ([], 0))
                    transfers[(first.index, later.index)] = (
                        [*who, person],
                        int(gap.total_seconds() // 60),
                    )
        for (i, j), shared in overlaps.items():
            first, later = self._slot(i), self._slot(j)
            self.warn(
                ("agenda", j),
                f"agenda[{j}] overlaps agenda[{i}] for {_names(shared)}: "
                f"{_two_clocks(first, later)}",
            )
        for (i, j), (shared, minutes) in transfers.items():
            first, later = self._slot(i), self._slot(j)
            self.warn(
                ("agenda", j),
                f"agenda[{j}] at {later.event.location} starts "
                f"{plural(minutes, 'minute')} after agenda[{i}] at "
                f"{first.event.location} ends, for {_names(shared)} "
                f"(trip.min_transfer is {self.trip.trip.min_transfer} minutes): "
                f"{_two_clocks(first, later)}",
            )

    def _slot(self, index: int) -> schedule.Slot:
        return self._by_index[index]

    def during_flights(self) -> None:
        logistics = self.trip.logistics
        home = self.trip.trip.home_timezone
        principal = self.trip.trip.principal
        for n, flight in enumerate(logistics.flights if logistics else []):
            depart = schedule.flight_leg(flight, "depart", home)
            arrive = schedule.flight_leg(flight, "arrive", home)
            if not (depart and arrive):
                continue
            label = f"logistics.flights[{n}]" + (f" ({flight.flight})" if flight.flight else "")
            for s in self.slots:
                if (
                    s.local is None
                    or s.event.kind in MOVING_KINDS
                    or principal not in people_of(self.trip, s.event)
                ):
                    continue
                if depart[0] < s.local.start < arrive[0]:
                    self.warn(
                        ("agenda", s.index),
                        f"agenda[{s.index}] starts at "
                        f"{hm(s.local.start)} {s.place}, while {principal} is in the air "
                        f"on {label}: {flight.from_} {hm(depart[0])} → {flight.to} "
                        f"{hm(arrive[0])}",
                    )

    def zones(self) -> None:
        for s in self.slots:
            event = s.event
            if not event.timezone or event.kind in MOVING_KINDS:
                continue
            stop = schedule.stop_covering(self.trip, event.date)
            if stop is not None and stop.timezone != event.timezone:
                self.warn(
                    ("agenda", s.index, "timezone"),
                    f"agenda[{s.index}] is in "
                    f"{event.timezone}, but on {event.date} the trip is in {stop.place} "
                    f"({stop.timezone}): a copy-paste slip? (travel, arrival and "
                    "departure events may differ)",
                )

    def overnight(self) -> None:
        for s in self.slots:
            event = s.event
            if (
                s.local is None
                or s.local.end is None
                or event.end is None
                or event.start is None
                or not event.end < event.start
            ):
                continue
            length = s.local.end - s.local.start
            if length > LONGEST_OVERNIGHT:
                hours, rest = divmod(int(length.total_seconds() // 60), 60)
                self.warn(
                    ("agenda", s.index, "end"),
                    f"agenda[{s.index}] ends at "
                    f"{hm(event.end)}, before it starts at {hm(event.start)}: read as "
                    f"ending the next day, {hours} h {rest:02d} min later; swapped times?",
                )

    def listed_twice(self) -> None:
        for s in self.slots:
            counts = Counter(p.person for p in s.event.participants)
            seen: set[str] = set()
            for j, p in enumerate(s.event.participants):
                if counts[p.person] > 1 and p.person in seen:
                    first = next(
                        k for k, q in enumerate(s.event.participants) if q.person == p.person
                    )
                    path = ("agenda", s.index, "participants", j)
                    self.warn(
                        path,
                        f"{format_path(path)}: {p.person} is already listed as "
                        f"participants[{first}]",
                    )
                seen.add(p.person)


def schedule_warnings(brief: Brief) -> list[Problem]:
    """Every schedule check of the contract, as located problems (warnings), in file order."""
    return _Checks(brief).run()

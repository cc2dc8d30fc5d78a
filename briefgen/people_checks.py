"""Schedule checks about people: one person in two events at once, a transfer shorter than
`trip.min_transfer` between two places, a person listed twice in one event. Each warning is
located at the later of the two events involved."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from typing import cast

from briefgen import schedule
from briefgen.checking import Checks, names, people_of, two_clocks
from briefgen.errors import format_path, plural


def _interval(slot: schedule.Slot) -> tuple[dt.datetime, dt.datetime] | None:
    """Its start and end in real time (UTC)."""
    if slot.local is None:
        return None
    start = schedule.instant(slot.local.start)
    return start, schedule.instant(slot.local.end) if slot.local.end else start


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


def overlaps_and_transfers(c: Checks) -> None:
    timed = sorted(
        (s for s in c.slots if s.local is not None and s.index not in c.swapped),
        key=c.key,
    )
    attendees = {s.index: list(dict.fromkeys(people_of(c.trip, s.event))) for s in timed}
    by_person: dict[str, list[schedule.Slot]] = {}
    for slot in timed:  # each person's events, in time order
        for person in attendees[slot.index]:
            by_person.setdefault(person, []).append(slot)
    pairs: set[tuple[int, int]] = set()
    for mine in by_person.values():  # a sweep: only events still running can overlap
        running: list[schedule.Slot] = []
        for later in mine:
            start = schedule.instant(cast(schedule.Span, later.local).start)  # timed only
            running = [a for a in running if _reaches(a, start)]
            pairs.update(
                (first.index, later.index)
                for first in running
                if "hold" not in (first.event.kind, later.event.kind) and _overlap(first, later)
            )
            running.append(later)
    overlaps: dict[tuple[int, int], list[str]] = {}
    transfers: dict[tuple[int, int], tuple[list[str], int]] = {}
    for i, j in sorted(pairs, key=lambda ij: (c.key(c.slot(ij[1])), ij[0])):
        overlaps[(i, j)] = [p for p in attendees[j] if p in attendees[i]]
    for person in c.trip.people:
        mine = by_person.get(person, [])
        for first, later in itertools.pairwise(mine):
            loc_a, loc_b = first.event.location, later.event.location
            first_span = cast(schedule.Span, first.local)  # timed slots only
            later_span = cast(schedule.Span, later.local)
            if first_span.end is None or not loc_a or not loc_b or loc_a.strip() == loc_b.strip():
                continue
            gap = schedule.instant(later_span.start) - schedule.instant(first_span.end)
            if dt.timedelta(0) <= gap < dt.timedelta(minutes=c.trip.trip.min_transfer):
                who, _ = transfers.setdefault((first.index, later.index), ([], 0))
                transfers[(first.index, later.index)] = (
                    [*who, person],
                    int(gap.total_seconds() // 60),
                )
    for (i, j), shared in overlaps.items():
        first, later = c.slot(i), c.slot(j)
        c.warn(
            ("agenda", j),
            f"{c.name(later)} overlaps {c.name(first)} for {names(shared)}: "
            f"{two_clocks(first, later)}",
        )
    for (i, j), (shared, minutes) in transfers.items():
        first, later = c.slot(i), c.slot(j)
        c.warn(
            ("agenda", j),
            f"{c.name(later)} at {later.event.location} starts "
            f"{plural(minutes, 'minute')} after {c.name(first)} at "
            f"{first.event.location} ends, for {names(shared)} "
            f"(trip.min_transfer is {c.trip.trip.min_transfer} minutes): "
            f"{two_clocks(first, later)}",
        )


def listed_twice(c: Checks) -> None:
    for s in c.slots:
        counts = Counter(p.person for p in s.event.participants)
        seen: set[str] = set()
        for j, p in enumerate(s.event.participants):
            if counts[p.person] > 1 and p.person in seen:
                first = next(k for k, q in enumerate(s.event.participants) if q.person == p.person)
                path = ("agenda", s.index, "participants", j)
                c.warn(
                    path,
                    f"{format_path(path)}: {p.person} is already listed as participants[{first}]",
                )
            seen.add(p.person)

"""What the schedule checks share: the slots in time order (cancelled events never count,
swapped times set apart), whom an event counts for, clocks in words and located warnings.
Built on `schedule.py` (zones, both clocks, order): no clock is recomputed here."""

from __future__ import annotations

import datetime as dt

from briefgen import schedule
from briefgen.brief import Brief
from briefgen.clock import clock_text, hm
from briefgen.errors import Problem
from briefgen.model import TripFile

MOVING_KINDS = ("travel", "arrival", "departure")
LONGEST_OVERNIGHT = dt.timedelta(hours=12)


def people_of(trip: TripFile, event) -> list[str]:
    """Whom an event counts for: its participants, else the principal."""
    if event.participants:
        return [p.person for p in event.participants]
    return [trip.trip.principal]


def _swapped(slot: schedule.Slot) -> bool:
    """An `end` earlier than the `start` that makes the event last over 12 hours."""
    event = slot.event
    return (
        slot.local is not None
        and slot.local.end is not None
        and event.end is not None
        and event.start is not None
        and event.end < event.start
        and slot.local.length > LONGEST_OVERNIGHT
    )


def names(people: list[str]) -> str:
    return people[0] if len(people) == 1 else ", ".join(people[:-1]) + " and " + people[-1]


def slot_clock(s: schedule.Slot) -> str:
    """`13:00–17:30 Beijing`; a leg across zones `11:30 Warsaw → 15:00 Vilnius`."""
    if s.crosses_zones and s.local and s.local.end:
        return f"{hm(s.local.start)} {s.place} → {hm(s.local.end)} {s.end_place}"
    return f"{clock_text(s.local)} {s.place}"


def two_clocks(first: schedule.Slot, later: schedule.Slot) -> str:
    if first.zone == later.zone and not (first.crosses_zones or later.crosses_zones):
        return f"{clock_text(first.local)} and {slot_clock(later)}"
    return f"{slot_clock(first)} and {slot_clock(later)}"


class Checks:
    """The state every check reads, and where each puts what it found."""

    def __init__(self, brief: Brief):
        self.brief = brief
        self.trip = brief.trip
        self.found: list[Problem] = []
        # Slots in time order; cancelled events never count.
        self.slots = [s for s in schedule.ordered(self.trip) if s.event.status != "cancelled"]
        self._by_index = {s.index: s for s in self.slots}
        # An end before the start read as lasting over 12 hours: swapped times, most likely.
        # Warned about once (`overnight`); its made-up length would clash with everything
        # that follows, so the other checks leave it out.
        self.swapped = {s.index for s in self.slots if _swapped(s)}

    def warn(self, path: tuple, message: str) -> None:
        self.found.append(self.brief.source.problem(path, message))

    def name(self, s: schedule.Slot) -> str:
        return schedule.event_name(s.index, s.event)

    def key(self, s: schedule.Slot) -> tuple:
        return (
            schedule.instant(s.local.start)
            if s.local
            else dt.datetime.combine(s.event.date, dt.time(0), dt.UTC),
            s.index,
        )

    def slot(self, index: int) -> schedule.Slot:
        return self._by_index[index]

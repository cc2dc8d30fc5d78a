"""The principal's body clock: where the body thinks the sun is, as plain data.

It starts on home time. After each arrival (a flight's, else a stop's first day) in a zone
3 or more hours away from it, it moves toward local time at `trip.body_clock`'s rates (by
default 1 h a day after flying east, 1.5 h a day after flying west: the usual figures from
the physiology of jet lag); closer than 3 hours, it takes local time at once. Used by the
schedule checks (an event in the body's night) and by what pages show. The checks warn only
once a listed flight has landed: a trip that lists none does not say when the principal
crossed the zones (the stops' first days are a guess), and a warning `--strict` fails on
must not rest on a guess.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from briefgen.model import TripFile

JET_LAG_HOURS = 3  # fewer zones crossed than this: no jet lag
HOUR = dt.timedelta(hours=1)
ROUNDED_TO = dt.timedelta(minutes=5)  # body-clock times are said to the nearest 5 minutes


def _half_hours(hours: float) -> str:
    """`5.5`, `12`: hours to the nearest half."""
    return f"{round(hours * 2) / 2:g}"


def _whose(trip_file: TripFile) -> str:
    """Whose body clock: `the Secretary's` (the memo's addressee), else the principal's
    name."""
    to = trip_file.memo.to.strip()
    if to.startswith("The ") and len(to.split()) <= 3:
        return f"the {to[4:]}'s"
    return f"{trip_file.people[trip_file.trip.principal].name}'s"


def _hours(delta: dt.timedelta | None) -> float:
    return (delta or dt.timedelta(0)) / HOUR


def _toward(gap: float) -> float:
    """A gap between two clocks, in hours, the short way round: -12..+12 (east positive);
    exactly 12 keeps the sign it was computed with."""
    while gap > 12:
        gap -= 24
    while gap < -12:
        gap += 24
    return gap


@dataclass(frozen=True)
class Arrival:
    """Where the principal lands (`stop`: None), or a stop's first day with no flight to it."""

    at: dt.datetime  # aware, on the local clock
    zone: str
    stop: str | None = None


@dataclass(frozen=True)
class Body:
    """The body clock at one instant: its UTC offset in hours, how far local time is ahead
    of it (hours, east positive), and the arrival it is adapting from (None: never left)."""

    offset: float
    behind: float
    arrival: Arrival | None

    def time_at(self, moment: dt.datetime) -> dt.datetime:
        """`moment` read on the body clock (naive)."""
        return moment.astimezone(dt.UTC).replace(tzinfo=None) + self.offset * HOUR


def arrivals(trip_file: TripFile) -> list[Arrival]:
    """Every arrival, in time order: the flights' (those that say when and where), then
    the first day of each stop no flight lands in."""
    logistics = trip_file.logistics
    found = [
        Arrival(f.arrive.replace(tzinfo=ZoneInfo(f.arrive_timezone)), f.arrive_timezone)
        for f in (logistics.flights if logistics else [])
        if f.arrive and f.arrive_timezone
    ]
    flown_to = {a.zone for a in found}
    for stop in trip_file.trip.stops:
        first = stop.from_ or (trip_file.trip.start if stop.to else None)
        if first and stop.timezone not in flown_to:
            start = dt.datetime.combine(first, dt.time(0), ZoneInfo(stop.timezone))
            found.append(Arrival(start, stop.timezone, stop.place))
    return sorted(found, key=lambda a: a.at)


class BodyClock:
    """The principal's body clock over the trip."""

    def __init__(self, trip_file: TripFile):
        trip = trip_file.trip
        self.east = trip.body_clock.east_hours_per_day
        self.west = trip.body_clock.west_hours_per_day
        self.arrivals = arrivals(trip_file)
        start = dt.datetime.combine(trip.start, dt.time(0), ZoneInfo(trip.home_timezone))
        self.home_offset = _hours(start.utcoffset())
        begin, end = trip.body_clock.night.split("-")
        self.night_hours = (dt.time.fromisoformat(begin), dt.time.fromisoformat(end))
        self.whose = _whose(trip_file)

    def _moved(self, offset: float, target: float, hours: float) -> float:
        """`offset` after `hours` of following `target` at the day rates."""
        gap = _toward(target - offset)
        rate = self.east if gap > 0 else self.west
        step = min(abs(gap), rate * max(hours, 0) / 24)
        return offset + (step if gap > 0 else -step)

    def at(self, moment: dt.datetime) -> Body:
        offset = target = self.home_offset
        since: dt.datetime | None = None
        last: Arrival | None = None
        for arrival in self.arrivals:
            if arrival.at > moment:
                break
            if since is not None:
                offset = self._moved(offset, target, _hours(arrival.at - since))
            target = _hours(arrival.at.utcoffset())
            since, last = arrival.at, arrival
            if abs(_toward(target - offset)) < JET_LAG_HOURS:
                offset = target
        if since is not None:
            offset = self._moved(offset, target, _hours(moment - since))
        local = _hours(moment.utcoffset())
        return Body(offset, _toward(local - offset), last)

    def in_night(self, body_time: dt.time) -> bool:
        begin, end = self.night_hours
        if begin <= end:
            return begin <= body_time < end
        return body_time >= begin or body_time < end

    def night(self, moment: dt.datetime) -> str | None:
        """When `moment` falls in the night of a body clock an hour or more off local time
        (after a flight landed), how it is said: `about 01:15 on the Secretary's body clock (12 h
        east, arrived 5.5 h before; ...)`; else None."""
        if not any(a.stop is None and a.at <= moment for a in self.arrivals):
            return None  # no flight has landed yet: when the zones were crossed is a guess
        body = self.at(moment)
        if body.arrival is None or abs(body.behind) < 1:
            return None
        when = body.time_at(moment)
        if not self.in_night(when.time()):
            return None
        about = dt.datetime.min + round((when - dt.datetime.min) / ROUNDED_TO) * ROUNDED_TO
        since = _half_hours((moment - body.arrival.at) / HOUR)
        arrived = (
            f"arrived {since} h before"
            if body.arrival.stop is None
            else f"in {body.arrival.stop} from its first day, {since} h before"
        )
        return (
            f"about {about:%H:%M} on {self.whose} body clock ({_half_hours(abs(body.behind))} h "
            f"{'east' if body.behind > 0 else 'west'}, {arrived}; trip.body_clock sets the "
            "rates and the night)"
        )

"""The schedule as plain data: which zone and place each event is in, both clocks, the order.

Used by the book (schedule at a glance, event sheets), the schedule checks, the calendar
export, the diff and the meeting packets. No wording here: clocks and dates in words are in
`clock`, their HTML in `render.text`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from briefgen.model import Event, Flight, TripFile


def zone_city(name: str) -> str:
    """`America/New_York` -> `New York`."""
    return name.split("/")[-1].replace("_", " ")


def home_label(trip_file: TripFile) -> str:
    """How the principal's home clock is labelled (`Washington`)."""
    return trip_file.trip.home_place or zone_city(trip_file.trip.home_timezone)


@dataclass(frozen=True)
class Span:
    """A span of time on one clock (aware datetimes); `end` None when only a start is known."""

    start: dt.datetime
    end: dt.datetime | None

    def on(self, zone: str) -> Span:
        tz = ZoneInfo(zone)
        return Span(self.start.astimezone(tz), self.end.astimezone(tz) if self.end else None)


def stop_covering(trip_file: TripFile, day: dt.date):
    """The stop whose from..to names `day` (one bound may be open), else None."""
    for stop in trip_file.trip.stops:
        if (stop.from_ or stop.to) and (stop.from_ or day) <= day <= (stop.to or day):
            return stop
    return None


def event_zone(trip_file: TripFile, event: Event) -> tuple[str, str]:
    """(IANA zone, place label) of an event: its own zone, else the stop covering its date,
    else the first stop."""
    trip = trip_file.trip
    if event.timezone:
        stop = next((s for s in trip.stops if s.timezone == event.timezone), None)
        if stop:
            return event.timezone, stop.place
        if event.timezone == trip.home_timezone:
            return event.timezone, home_label(trip_file)
        return event.timezone, zone_city(event.timezone)
    stop = stop_covering(trip_file, event.date) or trip.stops[0]
    return stop.timezone, stop.place


def event_span(event: Event, zone: str) -> Span | None:
    """The event's local span; an `end` earlier than `start` ends the next day."""
    if event.start is None:
        return None
    tz = ZoneInfo(zone)
    start = dt.datetime.combine(event.date, event.start, tzinfo=tz)
    end = None
    if event.end is not None:
        end_day = event.date + dt.timedelta(days=1 if event.end < event.start else 0)
        end = dt.datetime.combine(end_day, event.end, tzinfo=tz)
    return Span(start, end)


def same_clock(moment: dt.datetime, zone: str) -> bool:
    return moment.utcoffset() == moment.astimezone(ZoneInfo(zone)).utcoffset()


@dataclass(frozen=True)
class Slot:
    """One agenda item placed on the clocks: its index in the file, zone, place, and spans
    (local, and home where the home clock shows another time)."""

    index: int
    event: Event
    zone: str
    place: str
    local: Span | None
    home: Span | None


def slot(trip_file: TripFile, index: int, event: Event) -> Slot:
    zone, place = event_zone(trip_file, event)
    local = event_span(event, zone)
    home_zone = trip_file.trip.home_timezone
    home = None if local is None or same_clock(local.start, home_zone) else local.on(home_zone)
    return Slot(index, event, zone, place, local, home)


def ordered(trip_file: TripFile) -> list[Slot]:
    """Every event in time order: by date, timed before untimed, then file order."""
    events = sorted(
        enumerate(trip_file.agenda),
        key=lambda ie: (ie[1].date, ie[1].start is None, ie[1].start or dt.time(0), ie[0]),
    )
    return [slot(trip_file, index, event) for index, event in events]


def flight_leg(flight: Flight, when: str, home_zone: str):
    """(local aware datetime, home aware datetime or None) of a flight's depart/arrive."""
    moment, zone = getattr(flight, when), getattr(flight, f"{when}_timezone")
    if not (moment and zone):
        return None
    local = moment.replace(tzinfo=ZoneInfo(zone))
    home = local.astimezone(ZoneInfo(home_zone))
    return local, (None if home.utcoffset() == local.utcoffset() else home)


PACKET_KINDS = ("meeting", "meal", "ceremony", "press")


def event_key(index: int, event: Event) -> str:
    """How an event is named on the command line and in file names: its id, else its place
    in the agenda (`3` for the third item; ids start with a letter, so never collide)."""
    return event.id or str(index + 1)


def packet_events(trip_file: TripFile) -> list[tuple[str, Slot]]:
    """The events a meeting packet is printed for, in time order: meetings, meals,
    ceremonies and press events that have participants."""
    return [
        (event_key(s.index, s.event), s)
        for s in ordered(trip_file)
        if s.event.kind in PACKET_KINDS and s.event.participants
    ]

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

    @property
    def length(self) -> dt.timedelta:
        """How long it lasts in real time (across a change of the clocks too: Python subtracts
        two times of one zone by their clock readings); nothing without an end."""
        return dt.timedelta(0) if self.end is None else instant(self.end) - instant(self.start)

    def on(self, zone: str) -> Span:
        tz = ZoneInfo(zone)
        return Span(self.start.astimezone(tz), self.end.astimezone(tz) if self.end else None)


def stops_covering(trip_file: TripFile, day: dt.date) -> list:
    """The stops whose from..to names `day` (one bound may be open), earliest first: two on
    a day the trip moves (one stop's `to` is the next one's `from`)."""
    covering = [
        stop
        for stop in trip_file.trip.stops
        if (stop.from_ or stop.to) and (stop.from_ or day) <= day <= (stop.to or day)
    ]
    return sorted(covering, key=lambda stop: stop.from_ or stop.to or day)


def stop_covering(trip_file: TripFile, day: dt.date):
    """The stop covering `day` (the earlier one on a day the trip moves), else None."""
    return next(iter(stops_covering(trip_file, day)), None)


def zone_place(trip_file: TripFile, zone: str) -> str:
    """How a zone an event names is labelled: the stop in it, home, else its city."""
    trip = trip_file.trip
    stop = next((s for s in trip.stops if s.timezone == zone), None)
    if stop:
        return stop.place
    if zone == trip.home_timezone:
        return home_label(trip_file)
    return zone_city(zone)


def event_zone(trip_file: TripFile, event: Event) -> tuple[str, str]:
    """(IANA zone, place label) of an event: its own zone, else the stop covering its date
    (the earlier one on a day the trip moves), else the first stop."""
    if event.timezone:
        return event.timezone, zone_place(trip_file, event.timezone)
    stop = stop_covering(trip_file, event.date) or trip_file.trip.stops[0]
    return stop.timezone, stop.place


def instant(moment: dt.datetime) -> dt.datetime:
    """A moment in UTC: what compares and subtracts as real time."""
    return moment.astimezone(dt.UTC)


def event_span(event: Event, zone: str, end_zone: str | None = None) -> Span | None:
    """The event's span: `start` in `zone`, `end` in `end_zone` (default `zone`). In one
    zone an end before the start ends the next day; across zones a leg ends when its end
    clock next comes round, at or after the start (over the date line, that may be on the
    date before, or two or three dates on)."""
    if event.start is None:
        return None
    start = dt.datetime.combine(event.date, event.start, tzinfo=ZoneInfo(zone))
    end_zone = end_zone or zone
    if event.end is None:
        return Span(start, None)
    if end_zone == zone:
        end = dt.datetime.combine(event.date, event.end, tzinfo=ZoneInfo(zone))
        if event.end < event.start:  # by the wall clock, as typed
            end += dt.timedelta(days=1)
        return Span(start, end)
    arrival = ZoneInfo(end_zone)
    end = dt.datetime.combine(start.astimezone(arrival).date(), event.end, arrival)
    if instant(end) < instant(start):
        end += dt.timedelta(days=1)
    return Span(start, end)


def same_clock(moment: dt.datetime, zone: str) -> bool:
    return moment.utcoffset() == moment.astimezone(ZoneInfo(zone)).utcoffset()


@dataclass(frozen=True)
class Slot:
    """One agenda item placed on the clocks: its index in the file, zone, place, and spans
    (local, and home where the home clock shows another time). A leg across zones
    (`end_timezone`) ends in `end_zone` at `end_place`; `local.end` is on that clock."""

    index: int
    event: Event
    zone: str
    place: str
    local: Span | None
    home: Span | None
    end_zone: str
    end_place: str

    @property
    def crosses_zones(self) -> bool:
        """Whether it starts and ends on different clocks (a drive across a border)."""
        span = self.local
        return bool(span and span.end and span.start.utcoffset() != span.end.utcoffset())


def slot(trip_file: TripFile, index: int, event: Event) -> Slot:
    zone, place = event_zone(trip_file, event)
    end_zone = event.end_timezone or zone
    end_place = zone_place(trip_file, end_zone) if event.end_timezone else place
    local = event_span(event, zone, end_zone)
    home_zone = trip_file.trip.home_timezone
    home = None
    if local is not None and not all(
        same_clock(moment, home_zone) for moment in (local.start, local.end) if moment
    ):
        home = local.on(home_zone)
    return Slot(index, event, zone, place, local, home, end_zone, end_place)


def ordered(trip_file: TripFile) -> list[Slot]:
    """Every event in time order: by date, timed before untimed and in real time (events of
    one date may be on several clocks), then file order."""
    slots = [slot(trip_file, index, event) for index, event in enumerate(trip_file.agenda)]
    return sorted(slots, key=lambda s: (s.event.date, *_when(s), s.index))


def _when(s: Slot) -> tuple[bool, dt.datetime]:
    """Timed first, by the instant it starts; untimed after."""
    if s.local is None:
        return True, dt.datetime.min.replace(tzinfo=dt.UTC)
    return False, instant(s.local.start)


def flight_leg(flight: Flight, when: str, home_zone: str):
    """(local aware datetime, home aware datetime or None) of a flight's depart/arrive."""
    moment, zone = getattr(flight, when), getattr(flight, f"{when}_timezone")
    if not (moment and zone):
        return None
    local = moment.replace(tzinfo=ZoneInfo(zone))
    home = local.astimezone(ZoneInfo(home_zone))
    return local, (None if home.utcoffset() == local.utcoffset() else home)


PACKET_KINDS = ("meeting", "meal", "ceremony", "press")


def event_name(index: int, event: Event) -> str:
    """How warnings name an event: `agenda 'qin-talks'` by its id, else `agenda[3]`."""
    return f"agenda '{event.id}'" if event.id else f"agenda[{index}]"


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

"""The schedule as an iCalendar file (RFC 5545), with the `icalendar` library.

One VEVENT per event, in its own zone (TZID, with the VTIMEZONE blocks), all-day when it
has no start; flights as events from their departure zone to their arrival zone. UIDs are
stable (`<event id>@<trip id>`) and SEQUENCE is the integer part of `memo.version`, so a
calendar re-imported after a change updates its events instead of duplicating them;
cancelled events stay, as CANCELLED. Clocks come from `schedule.py`, never recomputed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from icalendar import Calendar, Event, vText

from briefgen import schedule
from briefgen.brief import Brief
from briefgen.checking import people_of
from briefgen.markings import overall_level, rank
from briefgen.plain import plain_text

STATUS = {
    "confirmed": "CONFIRMED",
    "tentative": "TENTATIVE",
    "proposed": "TENTATIVE",
    "cancelled": "CANCELLED",
}
MOVING_KINDS = ("travel", "arrival", "departure")
# RFC 5545 TEXT holds no control characters but tab. Line breaks of any kind become one LF
# (written as the escape `\n`); every other control is dropped. Then no text, whatever it
# holds, can end a content line for any parser (one splitting on bare CR or on LF included).
_BREAKS = re.compile("\r\n|[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")


def text_value(words: str) -> vText:
    """A TEXT property's value: escaped (`\\ ; , \\n`) and folded by icalendar."""
    return vText(_CONTROLS.sub("", _BREAKS.sub("\n", words)))


class CalendarError(Exception):
    """A request that cannot be met (`--for` someone the trip does not name)."""


@dataclass(frozen=True)
class Exported:
    data: bytes
    events: int
    mark: str | None  # the highest portion mark of the text written (None: no levels)
    above_lowest: bool  # that mark is above the system's lowest level


def trip_id(brief: Brief, trip_path: Path) -> str:
    """`trip.id`, else the file's name without its extension, lowercased, other characters
    turned into `-`."""
    if brief.trip.trip.id:
        return brief.trip.trip.id
    return re.sub(r"[^a-z0-9-]", "-", trip_path.stem.lower()) or "trip"


def sequence(brief: Brief) -> int:
    """The integer part of `memo.version`: its first number (`4`, `"4.2"`, `"v5"`, `"version
    6 – schedule as of Jun 15"`); 0 without one."""
    version = brief.trip.memo.version
    if isinstance(version, int):
        return max(version, 0)
    found = re.search(r"([0-9]+)", version or "")
    return int(found[1]) if found else 0


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", plain_text(text).lower()).strip("-")[:40] or "event"


def event_uid(event, trip: str) -> str:
    """`<event id>@<trip id>`; without an id, from its date and title."""
    if event.id:
        return f"{event.id}@{trip}"
    return f"{event.date.isoformat()}-{_slug(event.title.text)}@{trip}"


class _Writer:
    def __init__(self, brief: Brief, details: bool):
        self.brief, self.details = brief, details
        self.marking = brief.marking
        self.marks: list[str | None] = []

    def portion(self, item) -> str:
        """A Text as plain words, with its `(SBU)` where the book shows one."""
        self.marks.append(item.mark or self.marking.default)
        prefix = self.marking.portion(item.mark)
        words = plain_text(item.text)
        return f"{prefix} {words}" if prefix else words

    def plain(self, words: str) -> str:
        """Untagged words (names, flights): the default level."""
        self.marks.append(self.marking.default)
        prefix = self.marking.portion(None)
        return f"{prefix} {words}" if prefix else words

    def description(self, event) -> str | None:
        if not self.details:
            return None
        trip = self.brief.trip
        lines = []
        if event.participants:
            lines.append("Participants:")
            for p in event.participants:
                person = trip.people[p.person]
                role = f" — {p.role}" if p.role else ""
                lines.append("- " + self.plain(f"{person.name}, {person.title}{role}"))
        if event.objectives:
            lines.append("Objectives:")
            lines += ["- " + self.portion(o) for o in event.objectives]
        return "\n".join(lines) or None


def export(
    brief: Brief, trip_path: Path, *, person: str | None = None, details: bool = False
) -> Exported:
    """The calendar of a trip (or of one person's part in it) as iCalendar bytes."""
    trip = brief.trip
    if person is not None and person not in trip.people:
        import difflib

        near = difflib.get_close_matches(person, list(trip.people), n=1)
        raise CalendarError(
            f"--for: unknown person '{person}'"
            + (f" (did you mean '{near[0]}'?)" if near else "")
            + f"; the trip names {len(trip.people)} people in `people:`"
        )
    writer = _Writer(brief, details)
    ident, seq = trip_id(brief, trip_path), sequence(brief)
    stamp = dt.datetime.combine(trip.memo.date, dt.time(0), dt.UTC)
    cal = Calendar()
    cal.add("prodid", "-//briefgen//briefing book schedule//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", text_value(trip.trip.title))
    count = 0
    for slot in schedule.ordered(trip):
        event = slot.event
        if person is not None and person not in people_of(trip, event):
            continue
        vevent = Event()
        vevent.add("uid", text_value(event_uid(event, ident)))
        vevent.add("dtstamp", stamp)
        vevent.add("sequence", seq)
        vevent.add("summary", text_value(writer.portion(event.title)))
        if slot.local is None:
            vevent.add("dtstart", event.date)
            vevent.add("dtend", event.date + dt.timedelta(days=1))
        else:
            vevent.add("dtstart", slot.local.start)
            if slot.local.end is not None:
                vevent.add("dtend", slot.local.end)
        vevent.add("status", STATUS[event.status])
        if event.location:
            vevent.add("location", text_value(event.location))
        if (description := writer.description(event)) is not None:
            vevent.add("description", text_value(description))
        vevent.add("categories", [event.kind])
        cal.add_component(vevent)
        count += 1
    if person is None or person == trip.trip.principal:
        count += _flights(cal, brief, writer, ident, seq, stamp)
    cal.add_missing_timezones(
        dt.date(trip.trip.start.year - 1, 1, 1), dt.date(trip.trip.end.year + 2, 1, 1)
    )
    # The calendar's name (the trip's title) is always written, at the default level.
    system = brief.marking.system or "plain"  # no markings block: no levels either
    top = overall_level(system, brief.marking.default, [m for m in writer.marks if m])
    return Exported(cal.to_ical(), count, top, top is not None and rank(system, top) > 0)


def _flights(
    cal: Calendar, brief: Brief, writer: _Writer, ident: str, seq: int, stamp: dt.datetime
) -> int:
    logistics = brief.trip.logistics
    home = brief.trip.trip.home_timezone
    count = 0
    for n, flight in enumerate(logistics.flights if logistics else []):
        depart = schedule.flight_leg(flight, "depart", home)
        arrive = schedule.flight_leg(flight, "arrive", home)
        if depart is None:
            continue
        vevent = Event()
        vevent.add("uid", text_value(f"flight-{n + 1}@{ident}"))
        vevent.add("dtstamp", stamp)
        vevent.add("sequence", seq)
        number = f" ({flight.flight})" if flight.flight else ""
        vevent.add(
            "summary", text_value(writer.plain(f"Flight {flight.from_} → {flight.to}{number}"))
        )
        vevent.add("dtstart", depart[0])
        if arrive is not None:
            vevent.add("dtend", arrive[0])
        vevent.add("status", "CONFIRMED")
        vevent.add("location", text_value(flight.from_))
        vevent.add("categories", ["flight"])
        cal.add_component(vevent)
        count += 1
    return count

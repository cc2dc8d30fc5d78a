"""What a person's itinerary reads: the book's view cut down to one traveller.

Their events (those they take part in; the principal's also those without participants),
the flights they are on (the principal: every flight; anyone else: a flight one of their
departure or travel events starts on, from its take-off until it lands: meeting it on arrival
is not flying on it), the lodging of the nights they are away, and
the contacts of the stops they are in, each on both clocks, with a timeline per day,
through the book's own section templates.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from briefgen import schedule
from briefgen.brief import Brief
from briefgen.errors import BuildError
from briefgen.render.frozen import freeze, record
from briefgen.render.packet import stop_contacts
from briefgen.render.timeline import timelines

LEAVING = ("departure", "travel")


def events_of(brief: Brief, person: str) -> list[schedule.Slot]:
    """The person's events in time order (cancelled ones too: the itinerary says so)."""
    t = brief.trip
    return [
        s
        for s in schedule.ordered(t)
        if person in [p.person for p in s.event.participants]
        or (not s.event.participants and person == t.trip.principal)
    ]


def _flights_of(brief: Brief, person: str, mine: list[schedule.Slot]) -> list[int]:
    """Indexes of the person's flights in logistics.flights."""
    logistics = brief.trip.logistics
    flights = logistics.flights if logistics else []
    if person == brief.trip.trip.principal:
        return list(range(len(flights)))
    home = brief.trip.trip.home_timezone
    leaving = [s.local.start for s in mine if s.local and s.event.kind in LEAVING]
    kept = []
    for n, flight in enumerate(flights):
        depart = schedule.flight_leg(flight, "depart", home)
        arrive = schedule.flight_leg(flight, "arrive", home)
        if depart and arrive and any(depart[0] <= at < arrive[0] for at in leaving):
            kept.append(n)
    return kept


def _stays_of(brief: Brief, days: set[dt.date]) -> list:
    logistics = brief.trip.logistics
    return [
        stay
        for stay in (logistics.lodging if logistics else [])
        if any((stay.from_ or day) <= day <= (stay.to or day) for day in days)
    ]


def itinerary_context(brief: Brief, view: Any, person: str) -> tuple[Any, Any, Any]:
    """(t, view, itinerary) for `person`'s itinerary, from the book's frozen t and view."""
    t = brief.trip
    if person not in t.people:
        raise BuildError(f"--for: no person '{person}' in this trip")
    mine = events_of(brief, person)
    anchors = {f"event-{s.index + 1}" for s in mine}
    days = {s.event.date for s in mine}
    places = list(dict.fromkeys(s.place for s in mine))
    contacts = list(dict.fromkeys(c for place in places for c in stop_contacts(brief, place)))
    flights = _flights_of(brief, person, mine)
    logistics = t.logistics
    if logistics is not None:
        logistics = logistics.model_copy(
            update={
                "flights": [logistics.flights[n] for n in flights],
                "lodging": _stays_of(brief, days),
                "notes": [],
            }
        )
    frozen_t = freeze(t)._replace(logistics=freeze(logistics), contacts=freeze(contacts))
    itinerary_view = view._replace(
        schedule=tuple(e for e in view.schedule if e.anchor in anchors),
        flights=tuple(view.flights[n] for n in flights),
        has_logistics=bool(logistics and (logistics.flights or logistics.lodging)),
        timelines=freeze(timelines(brief, mine, body=person == t.trip.principal)),
    )
    itinerary = record(
        "Itinerary", person=freeze(t.people[person]), key=person, places=tuple(places)
    )
    return frozen_t, itinerary_view, itinerary

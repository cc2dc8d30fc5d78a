"""What a meeting packet's template reads: the book's view cut down to one event.

A packet holds the event sheet, the issue papers its talking points pull in, the bios of
the participants who are not on our side, and the contacts of the stop it takes place in:
the same section templates as the book, fed only with what is in the packet (so no link or
page reference points outside it).
"""

from __future__ import annotations

from typing import Any

from briefgen import schedule
from briefgen.brief import Brief
from briefgen.errors import BuildError
from briefgen.model import IssueRef
from briefgen.render.frozen import freeze, record


def packet_slot(brief: Brief, key: str) -> schedule.Slot:
    for slot in schedule.ordered(brief.trip):
        if schedule.event_key(slot.index, slot.event) == key:
            return slot
    raise BuildError(f"no event '{key}' in this trip")


def stop_contacts(brief: Brief, place: str) -> list:
    """Contacts that name this stop's place (in role or organization), and those that name
    no stop at all."""
    places = {s.place.lower() for s in brief.trip.trip.stops}
    kept = []
    for contact in brief.trip.contacts:
        words = f"{contact.role or ''} {contact.organization or ''}".lower()
        named = {p for p in places if p in words}
        if not named or place.lower() in named:
            kept.append(contact)
    return kept


def packet_context(brief: Brief, view: Any, key: str) -> tuple[Any, Any, Any]:
    """(t, view, packet) for the packet of event `key`, from the book's frozen t and view."""
    t = brief.trip
    slot = packet_slot(brief, key)
    event = slot.event
    ev = next(e for e in view.schedule if e.anchor == f"event-{slot.index + 1}")
    pulled = list(dict.fromkeys(p.issue for p in event.talking_points if isinstance(p, IssueRef)))
    issues = [i for i in t.issues if i.id in pulled]
    present = {p.person for p in event.participants}
    bios = [(pid, p) for pid, p in view.bios if pid in present and p.side != "home"]
    frozen_t = freeze(t)._replace(
        issues=freeze(issues), contacts=freeze(stop_contacts(brief, slot.place))
    )
    packet_view = view._replace(
        schedule=(ev,),
        bios=tuple(bios),
        bio_ids=freeze(frozenset(pid for pid, _ in bios)),
        counterparts=tuple(bios),
    )
    packet = record("Packet", key=key, place=slot.place)
    return frozen_t, packet_view, packet

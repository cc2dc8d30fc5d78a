"""What templates see besides the trip itself, computed once per document: the schedule on
both clocks, people by side and precedence, goals by kind, bios, flights, photos, what changed.
Everything is handed over frozen (`render.frozen`): plain, read-only data and nothing else.
"""

from __future__ import annotations

import base64
import datetime as dt
from pathlib import Path
from typing import Any

from markupsafe import Markup

from briefgen import markings, schedule
from briefgen.brief import Brief
from briefgen.clock import days_later, hm, utc_offset
from briefgen.language import N_
from briefgen.language import gettext as _
from briefgen.model import IssueRef
from briefgen.render import bars, timeline
from briefgen.render.changes_view import changes_view
from briefgen.render.frozen import record
from briefgen.render.names import initials
from briefgen.render.text import ltr, span_markup

LONG_BIO_WORDS = 450  # about a page of the book's body text
SIDE_LABELS = {"home": N_("Our delegation"), "host": N_("Host side"), "third": N_("Others")}
GOAL_KINDS = [
    ("objective", N_("Objectives")),
    ("deliverable", N_("Deliverables")),
    ("expectation", N_("Expectations")),
    ("red-line", N_("Red lines")),
]


def _by_priority(items) -> list:
    """Priority 1 first; items without a priority keep their order, after."""
    return sorted(items, key=lambda item: (item.priority is None, item.priority or 0))


def _precedence_order(items: list, person_of) -> list:
    """Stable sort by protocol precedence; people without one keep file order, after."""
    return sorted(
        items, key=lambda it: (person_of(it).precedence is None, person_of(it).precedence or 0)
    )


def _clock(span: schedule.Span | None, reference: dt.date | None = None):
    if span is None:
        return None
    return record(
        "Clock",
        span=span_markup(span, reference),
        zone=_offsets(span),
        start=span.start,
        end=span.end,
    )


def _offsets(span: schedule.Span) -> str:
    """`UTC+8`; `UTC+11 → UTC+10` for a span over a change of the clock."""
    start = utc_offset(span.start)
    end = utc_offset(span.end) if span.end is not None else start
    return start if end == start else f"{start} → {end}"


def _leg_clock(slot: schedule.Slot):
    """A leg across zones on its two local clocks: `11:30 Warsaw → 15:00 Vilnius`."""
    span = slot.local
    if span is None or span.end is None:  # not a leg with both ends placed: one clock
        return _clock(span)
    out = Markup('<span class="nowrap">{}</span> {} → <span class="nowrap">{}</span> {}').format(
        ltr(hm(span.start)), slot.place, ltr(hm(span.end)), slot.end_place
    )
    if later := days_later(span):
        out += Markup(' <span class="nowrap">{}</span>').format(later)
    return record("Clock", span=out, zone=_offsets(span), start=span.start, end=span.end)


def _leg(leg, place: str) -> tuple | None:
    """A flight's departure or arrival on its own clock, named by its place (`Beijing`)."""
    if leg is None:
        return None
    local, home = leg
    return record("Leg", when=local, offset=utc_offset(local), home=home, place=place)


def _zone_place(trip, zone: str | None) -> str:
    return schedule.zone_place(trip, zone) if zone else ""


def _data_uri(path: Path) -> Markup:
    """A photo inlined: the same bytes whatever folder the trip is built in, and an HTML
    file that still shows it after being mailed. (Validation checked type, size, decoding.)"""
    data = path.read_bytes()
    mime = "image/png" if data.startswith(b"\x89PNG") else "image/jpeg"
    return Markup(f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}")


# Honorifics and titles that come before a name; never taken as initials.
def _host_groups(trip, members: list) -> list:
    """Host-side people grouped by country when the hosts come from more than one."""
    countries = list(dict.fromkeys(p.country for _, p in members))
    host, other = _(SIDE_LABELS["host"]), _("other")
    if len(countries) < 2:
        return [(host, members)]
    places: dict[str, str] = {}
    for stop in trip.trip.stops:
        if stop.country:
            places.setdefault(stop.country, stop.place)
    return [
        (
            f"{host} · {c}" + (f" ({places[c]})" if c in places else "")
            if c
            else f"{host} · {other}",
            [(pid, p) for pid, p in members if p.country == c],
        )
        for c in countries
    ]


SHEET_KINDS = ("meeting", "meal", "ceremony", "press", "other")


def _own_sheet(event) -> bool:
    """A sheet of its own (pages pulled out per meeting): a meeting, meal, ceremony or press
    event with people in it that will take place. Arrivals, departures, travel, holds and
    cancelled events are gathered compactly with what is around them."""
    return event.kind in SHEET_KINDS and bool(event.participants) and event.status != "cancelled"


def printed_paper(issue) -> bool:
    """Whether an issue paper is printed: one with a title and nothing under it is not."""
    return bool(
        issue.background
        or issue.our_position
        or issue.their_position
        or issue.points_to_make
        or issue.if_raised
    )


def build_view(brief: Brief, changes=None) -> Any:
    """What the templates read besides the trip itself, computed once: a frozen `View`
    record (its type is made at run time, hence Any); `changes` (a diff.Diff) only when the
    build shows what changed."""
    t = brief.trip
    system = brief.marking.system
    changes_page, flags = changes_view(changes, markings.marks_of(system) if system else [])
    issues = {i.id: i for i in t.issues}
    barred_texts, barred_people, barred_issues = bars.barred(changes, t)
    side_order = list(SIDE_LABELS)  # home, host, third

    events = []
    slots = schedule.ordered(t)
    for slot in slots:
        event = slot.event
        by_side: dict[str, list] = {}
        for p in event.participants:
            person = t.people[p.person]
            by_side.setdefault(person.side, []).append((person, p.person, p.role))
        sides = [
            (_(SIDE_LABELS[s]), _precedence_order(by_side[s], lambda x: x[0]))
            for s in sorted(by_side, key=side_order.index)
        ]
        points = [
            ("issue", issues[p.issue]) if isinstance(p, IssueRef) else ("text", p)
            for p in event.talking_points
        ]
        events.append(
            dict(
                event=event,
                anchor=f"event-{slot.index + 1}",
                timezone=slot.zone,
                place=slot.place,
                local=_leg_clock(slot) if slot.crosses_zones else _clock(slot.local),
                leg=slot.crosses_zones,
                home=_clock(slot.home, event.date),
                sides=sides,
                points=points,
                change=flags.get(slot.index),
                own_sheet=_own_sheet(event),
            )
        )

    goal_groups = [
        (_(label), goals)
        for kind, label in GOAL_KINDS
        if (goals := _by_priority(g for g in t.goals if g.kind == kind))
    ]
    people = list(t.people.items())
    members = {
        side: _precedence_order([(pid, p) for pid, p in people if p.side == side], lambda x: x[1])
        for side in side_order
    }
    # Bios: the counterparts first, then those of our side who have something to tell;
    # the principal needs none.
    bios = [
        (pid, p)
        for side in ("host", "third", "home")
        for pid, p in members[side]
        if pid != t.trip.principal and (side != "home" or p.bio or p.photo or p.notes)
    ]
    press, logistics = t.press, t.logistics
    home_zone = t.trip.home_timezone
    flights = [
        (
            f,
            _leg(schedule.flight_leg(f, "depart", home_zone), _zone_place(t, f.depart_timezone)),
            _leg(schedule.flight_leg(f, "arrive", home_zone), _zone_place(t, f.arrive_timezone)),
        )
        for f in (logistics.flights if logistics else [])
    ]
    return record(
        "View",
        home_label=schedule.home_label(t),
        schedule=[record("EventView", **e) for e in events],
        # a book of one or two meetings needs no contents page
        needs_contents=sum(e["own_sheet"] for e in events) > 2,
        any_home_times=any(e["home"] is not None for e in events),
        goal_groups=goal_groups,
        top_goals=_by_priority(g for g in t.goals if g.kind != "expectation")[:4],
        sides=[
            group
            for side in side_order
            if members[side]
            for group in (
                _host_groups(t, members[side])
                if side == "host"
                else [(_(SIDE_LABELS[side]), members[side])]
            )
        ],
        bios=bios,
        bio_ids=frozenset(pid for pid, _ in bios),
        long_bios=frozenset(
            pid for pid, p in bios if sum(len(b.text.split()) for b in p.bio) > LONG_BIO_WORDS
        ),
        counterparts=[(pid, p) for pid, p in bios if p.side != "home"] or bios,
        issues=issues,
        # an issue paper with a title and nothing under it is not printed, nor pointed to
        papers=frozenset(i.id for i in t.issues if printed_paper(i)),
        source_numbers={s.id: n for n, s in enumerate(t.sources, 1)},
        flights=flights,
        photos={
            pid: _data_uri(brief.source.folder_of(("people", pid, "photo")) / p.photo)
            for pid, p in people
            if p.photo
        },
        initials={pid: initials(p.name, p.lang) for pid, p in people},
        has_press=bool(press and (press.posture or press.key_messages or press.qa)),
        has_logistics=bool(
            logistics and (logistics.flights or logistics.lodging or logistics.notes)
        ),
        changes=changes_page,
        barred_texts=barred_texts,  # change bars: text() prints one before each of these
        barred_people=frozenset(barred_people),  # ... and templates beside these bios
        barred_issues=frozenset(barred_issues),  # ... and issue papers
        timelines=timeline.timelines(brief, slots),
    )

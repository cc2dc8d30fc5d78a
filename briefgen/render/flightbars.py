"""The flights of `logistics.flights` on a day's timeline (render/timeline.py): bars of their
own, in a lane under the events, black with white words (or the words after the bar when it
is too short to hold them), an arrowhead where a flight goes on past the day's window; and
the same said in words for the timeline's alternative text."""

from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape

from briefgen import schedule
from briefgen.brief import Brief
from briefgen.clock import hm
from briefgen.language import gettext as _

FLIGHT = 24  # height of the flights' lane
Flown = tuple[dt.datetime, dt.datetime, str]  # a flight's take-off, landing, label


def flights_of(brief: Brief) -> list[Flown]:
    """(take-off, landing, label) of each flight that says when and where on both ends."""
    logistics = brief.trip.logistics
    found = []
    for f in logistics.flights if logistics else []:
        up, down = (schedule.flight_leg(f, when, "UTC") for when in ("depart", "arrive"))
        if up and down and down[0] > up[0]:
            route = {"from": _code(f.from_), "to": _code(f.to)}
            found.append((up[0], down[0], _("flight %(from)s–%(to)s") % route))
    return found


def _code(place: str) -> str:
    """`Beijing (BJS)` -> `BJS`; a place without a code in brackets as it is."""
    inside = place.rpartition("(")[2].rstrip(") ")
    return inside if "(" in place and inside else place


def flight_bars(
    flights: list[Flown], x, lo, hi, y: float, width: float
) -> tuple[list[str], list[str]]:
    """The flights in the day's window as bars of their own (one lane below the events,
    black, white words; an arrowhead where a flight goes on past the window), and their
    words for the alternative text. `x` maps a moment to the hour scale (right to left in
    an `ar` book: the words then begin at the bar's right end)."""
    parts, words = [], []
    for up, down, label in flights:
        if not (up < hi and down > lo):
            continue
        begin, end = x(up), x(down)
        ahead = -1 if end < begin else 1  # which way time runs on the page
        left, right = min(begin, end), max(begin, end)
        parts.append(
            f'<rect class="flight" x="{left:.1f}" y="{y:.1f}" width="{max(right - left, 3):.1f}" '
            f'height="{FLIGHT - 6}" fill="#000" stroke="#000" stroke-width="1.2"/>'
        )
        mid = y + (FLIGHT - 6) / 2
        for edge, beyond, outward in ((begin, up < lo, -ahead), (end, down > hi, ahead)):
            if beyond:
                parts.append(
                    f'<polygon points="{edge:.1f},{y - 2:.1f} {edge + outward * 9:.1f},{mid:.1f} '
                    f'{edge:.1f},{y + FLIGHT - 4:.1f}" fill="#000"/>'
                )
        room = len(label) * 8  # about 8 units a character: inside the bar, else after it
        inside = right - left - 6 >= room
        at, colour = (begin + 4 * ahead, "#fff") if inside else (end + 12 * ahead, "#000")
        if inside or 0 <= at + ahead * room <= width:
            anchor = ' text-anchor="end"' if ahead < 0 else ""
            parts.append(
                f'<text x="{at:.1f}" y="{y + FLIGHT - 10:.1f}" font-size="13"{anchor} '
                f'fill="{colour}">{escape(label)}</text>'
            )
        said = [label]
        if lo <= up < hi:
            said.append(_("takes off %(time)s") % {"time": hm(up.astimezone(lo.tzinfo))})
        if lo < down <= hi:
            said.append(_("lands %(time)s") % {"time": hm(down.astimezone(lo.tzinfo))})
        words.append(" ".join(said))
    return parts, words

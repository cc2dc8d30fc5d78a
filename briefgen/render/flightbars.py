"""The flights of `logistics.flights` on a day's timeline (render/timeline.py): bars of their
own, in a lane under the events, black with white words (or the words after the bar when it
is too short to hold them), an arrowhead where a flight goes on past the day's window; and
the same said in words for the timeline's alternative text."""

from __future__ import annotations

import datetime as dt
import re
from xml.sax.saxutils import escape

from briefgen import schedule
from briefgen.brief import Brief
from briefgen.clock import hm
from briefgen.language import gettext as _

FLIGHT = 24  # height of the flights' lane
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]+")
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
    words for the alternative text."""
    parts, words = [], []
    for up, down, label in flights:
        if not (up < hi and down > lo):
            continue
        start, end = x(up), x(down)  # end left of start in a book right to left (ar)
        ahead = 1 if end >= start else -1
        left, right = min(start, end), max(start, end)
        parts.append(
            f'<rect class="flight" x="{left:.1f}" y="{y:.1f}" width="{max(right - left, 3):.1f}" '
            f'height="{FLIGHT - 6}" fill="#000" stroke="#000" stroke-width="1.2"/>'
        )
        mid = y + (FLIGHT - 6) / 2
        for edge, beyond, point in ((start, up < lo, -ahead), (end, down > hi, ahead)):
            if beyond:
                tip = edge + point * 9
                parts.append(
                    f'<polygon points="{edge:.1f},{y - 2:.1f} {tip:.1f},{mid:.1f} '
                    f'{edge:.1f},{y + FLIGHT - 4:.1f}" fill="#000"/>'
                )
        drawn = _ARABIC.sub("", label).strip()  # WeasyPrint's SVG text cannot shape Arabic
        room = len(drawn) * 8  # as _fit counts: inside the bar, else after it, else none
        after = right + 12 if ahead > 0 else left - 12 - room  # after the landing, in time
        at, colour = (left + 4, "#fff") if right - left - 6 >= room else (after, "#000")
        if colour == "#fff" or (at >= 0 and at + room <= width):
            parts.append(
                f'<text x="{at:.1f}" y="{y + FLIGHT - 10:.1f}" font-size="13" '
                f'fill="{colour}">{escape(drawn)}</text>'
            )
        said = [f"{label}"]
        if lo <= up < hi:
            said.append(_("takes off %(time)s") % {"time": hm(up.astimezone(lo.tzinfo))})
        if lo < down <= hi:
            said.append(_("lands %(time)s") % {"time": hm(down.astimezone(lo.tzinfo))})
        words.append(" ".join(said))
    return parts, words

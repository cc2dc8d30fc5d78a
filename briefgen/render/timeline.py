"""A day at a glance: each day's timed events drawn as a vector timeline (SVG), local hours
above, home hours below, the body clock's night shaded, and the same said in words.

Right-to-left books (`ar`) draw the hours from right to left. Drawn for black-and-white
print: blocks are outlined; tentative and proposed events are hatched, holds dashed, travel
solid dark; cancelled events are left out. The SVG is built here from numbers and escaped
text only (no reference, no script, nothing fetched) and handed to the template as a
`data:` image with its words as the alternative text.
"""

from __future__ import annotations

import base64
import datetime as dt
import math
from typing import Any
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from markupsafe import Markup

from briefgen import schedule
from briefgen.bodyclock import BodyClock
from briefgen.brief import Brief
from briefgen.clock import hm
from briefgen.language import gettext as _
from briefgen.language import is_rtl, ngettext, short_day, weekday_day_month
from briefgen.plain import plain_text
from briefgen.render.flightbars import FLIGHT, Flown, flight_bars, flights_of
from briefgen.render.frozen import record
from briefgen.render.marked import MarkedText, printing_marking
from briefgen.render.strip import strip_svg

WIDTH, LEFT, RIGHT = 1000, 124, 28  # viewBox units; the hour scale runs from LEFT to WIDTH-RIGHT
AXIS, LANE, NOTE = 30, 32, 16  # height of each clock's axis, of one lane of events, of a note
MOVING = ("travel", "arrival", "departure")
POINT = dt.timedelta(minutes=20)  # how wide an event without an end is drawn


def _text(x: float, y: float, words: str, anchor: str = "start", size: int = 13, bold=False):
    weight = ' font-weight="bold"' if bold else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}"{weight}>'
        f"{escape(words)}</text>"
    )


def _fit(words: str, width: float) -> str:
    """Words cut to what a block `width` units wide holds (about 8 units a character)."""
    room = int(width // 8)
    if len(words) <= room:
        return words
    return words[: max(room - 1, 0)].rstrip() + "…" if room > 2 else ""


def _wrapped(words: str, room: int) -> list[str]:
    """Words in lines of about `room` characters, broken only between words."""
    lines: list[str] = []
    for word in words.split():
        if lines and len(lines[-1]) + 1 + len(word) <= room:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def _lanes(spans: list[tuple[dt.datetime, dt.datetime]]) -> list[int]:
    """A lane for each span (in start order), so that no two in one lane overlap."""
    ends: list[dt.datetime] = []
    lanes = []
    for start, end in spans:
        lane = next((i for i, e in enumerate(ends) if e <= start), len(ends))
        if lane == len(ends):
            ends.append(end)
        else:
            ends[lane] = end
        lanes.append(lane)
    return lanes


def _night(clock: BodyClock, noon: dt.datetime) -> tuple[dt.datetime, dt.datetime] | None:
    """The body's night nearest `noon` on its local clock, when the body is off local time."""
    body = clock.at(noon)
    if body.arrival is None or abs(body.behind) < 1 or clock.night_hours[0] == clock.night_hours[1]:
        return None
    begin, end = clock.night_hours
    body_day = body.time_at(noon).date()
    shift = dt.timedelta(hours=body.behind)
    start = dt.datetime.combine(body_day, begin) + shift
    stop = dt.datetime.combine(body_day + dt.timedelta(days=end <= begin), end) + shift
    local_noon = noon.replace(tzinfo=None)
    while start > local_noon + dt.timedelta(hours=12):
        start, stop = start - dt.timedelta(days=1), stop - dt.timedelta(days=1)
    while stop < local_noon - dt.timedelta(hours=12):
        start, stop = start + dt.timedelta(days=1), stop + dt.timedelta(days=1)
    return start.replace(tzinfo=noon.tzinfo), stop.replace(tzinfo=noon.tzinfo)


def _day(
    brief: Brief, clock: BodyClock | None, slots: list[schedule.Slot], flights: list[Flown]
) -> Any:
    trip = brief.trip
    zone, place = slots[0].zone, slots[0].place
    home_tz, home = ZoneInfo(trip.trip.home_timezone), schedule.home_label(trip)
    tz = slots[0].local.start.tzinfo  # type: ignore[union-attr]
    spans = []
    for s in slots:
        if s.local is None:  # no clock time: nothing to draw
            continue
        start = s.local.start.astimezone(tz)
        end = s.local.end.astimezone(tz) if s.local.end else start + POINT
        spans.append((start, max(end, start + POINT, key=schedule.instant), s))
    day = slots[0].event.date
    midnight = dt.datetime.combine(day, dt.time(0), tz)
    first = min((a for a, _, _ in spans), key=schedule.instant)
    last = max((b for _, b, _ in spans), key=schedule.instant)
    # a flight taking off or landing this day widens the day to show it
    ends = [m for f in flights for m in f[:2] if midnight <= m < midnight + dt.timedelta(days=1)]
    lo = midnight + dt.timedelta(
        hours=math.floor((min([first, *ends]) - midnight) / dt.timedelta(hours=1))
    )
    hi = midnight + dt.timedelta(
        hours=math.ceil((max([last, *ends]) - midnight) / dt.timedelta(hours=1))
    )
    hi = max(hi, lo + dt.timedelta(hours=4))
    # drawn in real time: on the night the clocks change, an hour of the scale is an hour
    lo_at, hi_at = schedule.instant(lo), schedule.instant(hi)
    hours = int((hi_at - lo_at) / dt.timedelta(hours=1))
    scale = (WIDTH - LEFT - RIGHT) / (hi_at - lo_at).total_seconds()

    rtl = is_rtl()
    start_anchor, ahead = ("end", -1) if rtl else ("start", 1)  # where words begin, which way

    def x(moment: dt.datetime) -> float:
        at = (
            LEFT
            + (min(max(schedule.instant(moment), lo_at), hi_at) - lo_at).total_seconds() * scale
        )
        return WIDTH - at if rtl else at

    lanes = _lanes([(schedule.instant(a), schedule.instant(b)) for a, b, _ in spans])
    two_clocks = any(a.astimezone(home_tz).utcoffset() != a.utcoffset() for a in (lo, hi))
    flown = [f for f in flights if f[0] < hi and f[1] > lo]
    height = (2 if two_clocks else 1) * AXIS + LANE * (max(lanes) + 1) + NOTE + 4
    height += FLIGHT if flown else 0
    top, bottom = AXIS, height - (AXIS if two_clocks else 0)
    parts = [
        '<pattern id="hatch" width="8" height="8" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="8" height="8" fill="#fff"/>'
        '<line x1="0" y1="0" x2="0" y2="8" stroke="#555" stroke-width="3"/></pattern>'
    ]
    drawn: list[str | None] = []  # the marks of the titles the picture draws
    noon = midnight + dt.timedelta(hours=12)
    night = _night(clock, noon) if clock else None
    shaded = bool(night and night[0] < hi and night[1] > lo)
    if night and shaded:
        parts.append(
            f'<rect x="{min(x(night[0]), x(night[1])):.1f}" y="{top}" '
            f'width="{abs(x(night[1]) - x(night[0])):.1f}" height="{bottom - top}" fill="#e4e4e4"/>'
        )
        if not rtl:  # WeasyPrint's SVG text neither shapes nor reorders Arabic: said below it
            parts.append(_text(x(night[0]) + 4, bottom - 5, _("body-clock night"), size=13))
    step = 1 if hours <= 12 else 2
    for h in range(0, hours + 1, step):
        at = (lo_at + dt.timedelta(hours=h)).astimezone(tz)
        parts.append(
            f'<line x1="{x(at):.1f}" y1="{top}" x2="{x(at):.1f}" y2="{bottom}" '
            'stroke="#bbb" stroke-width="1"/>'
        )
        parts.append(_text(x(at), top - 9, hm(at), "middle", 14))
        if two_clocks:
            parts.append(_text(x(at), height - 8, hm(at.astimezone(home_tz)), "middle", 14))
    edge = WIDTH - 4 if rtl else 4
    if two_clocks:
        parts.append(_text(edge, height - 8, home, start_anchor, size=14, bold=True))
    for (start, end, s), lane in zip(spans, lanes, strict=True):
        y = top + 4 + lane * LANE
        kind, status = s.event.kind, s.event.status
        fill = "url(#hatch)" if status in ("tentative", "proposed") else "#fff"
        fill = "#333" if kind in MOVING else fill
        dash = ' stroke-dasharray="5 3"' if kind == "hold" else ""
        w = max(abs(x(end) - x(start)), 3)
        parts.append(
            f'<rect x="{x(end) if rtl else x(start):.1f}" y="{y}" width="{w:.1f}" '
            f'height="{LANE - 6}" fill="{fill}" stroke="#000" stroke-width="1.2"{dash}/>'
        )
        label = _fit(plain_text(s.event.title.text), w - 6)
        if label:
            drawn.append(s.event.title.mark)
            colour = "#fff" if kind in MOVING else "#000"
            parts.append(
                f'<text x="{x(start) + 4 * ahead:.1f}" y="{y + LANE - 13}" font-size="14" '
                + ('text-anchor="end" ' if rtl else "")
                + f'fill="{colour}">{escape(label)}</text>'
            )
    # The picture is one portion: the titles it draws, under the mark they make together,
    # written left of its lanes, and recorded (the image) when the page prints it.
    marking = printing_marking()
    mark = marking.joined(drawn) if marking is not None and drawn else None
    prefix = marking.portion(mark) if mark is not None else None
    parts.append(_text(edge, top - 9, place, start_anchor, size=14, bold=True))
    for row, words in enumerate(_wrapped(prefix or "", LEFT // 8 - 1)):  # left of the lanes
        parts.append(_text(edge, top + 17 + 13 * row, words, start_anchor, size=12, bold=True))
    bars, flight_words = flight_bars(flown, x, lo, hi, top + 4 + LANE * (max(lanes) + 1), WIDTH)
    parts += bars
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" font-family="sans-serif">'
        f"<defs>{parts[0]}</defs>{''.join(parts[1:])}</svg>"
    )
    # in words, the last moment known: an event without an end is drawn 20 minutes wide
    last_known = max(
        ((s.local.end or s.local.start).astimezone(tz) for s in slots if s.local),
        key=schedule.instant,
    )
    home_first = first.astimezone(home_tz)
    home_last = last_known.astimezone(home_tz)
    count = ngettext("%(n)d event", "%(n)d events", len(slots)) % {"n": len(slots)}
    fields = {
        "day": weekday_day_month(day),
        "count": count,
        "first": _on(first, day),
        "last": _on(last_known, day),
        "place": place,
    }
    one_moment = schedule.instant(last_known) == schedule.instant(first)
    if one_moment:
        words = _("%(day)s: %(count)s at %(first)s %(place)s") % fields
    else:
        words = _("%(day)s: %(count)s from %(first)s to %(last)s %(place)s") % fields
    if home_first.utcoffset() != first.utcoffset():
        home_hours = hm(home_first) + ("" if one_moment else f"–{hm(home_last)}")
        words += f" ({home_hours} {home})"
    if night:
        words += "; " + _("body-clock night") + f" {hm(night[0])}–{hm(night[1])}"
    if flight_words:
        words += "; " + "; ".join(flight_words)
    strip, strip_height = strip_svg(
        lo,
        hi,
        [(a, b, lane, _style(s)) for (a, b, s), lane in zip(spans, lanes, strict=True)],
        [(up, down) for up, down, _ in flown],
        night,
        home_tz if two_clocks else None,
        rtl,
    )
    uri = _uri(svg)
    return record(
        "Timeline",
        day=day,
        zone=zone,
        image=MarkedText(uri, mark, bare=True) if mark is not None else uri,
        alt=words,
        night=shaded,
        height=height,
        strip=_uri(strip),
        strip_height=strip_height,
    )


def _on(moment: dt.datetime, day: dt.date) -> str:
    """`15:00` on the day's own date; `Sun Jun 9 15:00` on another (over the date line)."""
    return hm(moment) if moment.date() == day else f"{short_day(moment.date())} {hm(moment)}"


def _style(s: schedule.Slot) -> str:
    """How the card's strip draws an event (render/strip.py)."""
    if s.event.kind in MOVING:
        return "moving"
    if s.event.status in ("tentative", "proposed"):
        return "hatched"
    return "hold" if s.event.kind == "hold" else "plain"


def _uri(svg: str) -> Markup:
    # Markup: a data URI is one huge word, never to be broken like trip text
    return Markup("data:image/svg+xml;base64,{}").format(
        base64.b64encode(svg.encode("utf-8")).decode("ascii")
    )


def timelines(brief: Brief, slots: list[schedule.Slot], body: bool = True) -> dict[dt.date, Any]:
    """Each day's timeline, by date, for the days with a timed event that is not cancelled;
    `body`: shade the principal's body-clock night (their schedule, not someone else's)."""
    by_day: dict[dt.date, list[schedule.Slot]] = {}
    for s in slots:
        if s.local is not None and s.event.status != "cancelled":
            by_day.setdefault(s.event.date, []).append(s)
    clock = BodyClock(brief.trip) if body else None
    flights = flights_of(brief)
    return {day: _day(brief, clock, day_slots, flights) for day, day_slots in by_day.items()}

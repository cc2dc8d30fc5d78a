"""The pocket card's strip per day: the day's timeline (render/timeline.py) drawn small
enough for a 4x6 in page and still legible there, its units the card's points (8 pt
hours, local above, home below; events as outlined blocks, tentative hatched, travel dark;
flights as a black bar of their own; the body's night shaded). No words on the blocks: the
card's rows under the strip name each event.
"""

from __future__ import annotations

import datetime as dt

from briefgen.clock import hm

WIDTH, SIDE = 250, 13  # points; the hours run from SIDE to WIDTH - SIDE
LABEL, BLOCK, BAR, GAP = 9, 7, 3, 2  # a row of hours, a lane of events, the flights' bar


def strip_svg(
    lo: dt.datetime,
    hi: dt.datetime,
    blocks: list[tuple[dt.datetime, dt.datetime, int, str]],
    flights: list[tuple[dt.datetime, dt.datetime]],
    night: tuple[dt.datetime, dt.datetime] | None,
    home_tz: dt.tzinfo | None,
    rtl: bool = False,
) -> tuple[str, int]:
    """The strip's SVG and its height in points. `blocks`: (start, end, lane, style) with
    style one of `plain`, `hatched`, `hold`, `moving`; `home_tz`: the home clock, or None
    when it reads as the local one."""
    scale = (WIDTH - 2 * SIDE) / (hi - lo).total_seconds()

    def x(moment: dt.datetime) -> float:
        at = SIDE + (min(max(moment, lo), hi) - lo).total_seconds() * scale
        return WIDTH - at if rtl else at

    def span(start: dt.datetime, end: dt.datetime) -> str:
        left, right = sorted((x(start), x(end)))
        return f'x="{left:.1f}" width="{max(right - left, 1.5):.1f}"'

    lanes = max((lane for *_, lane, _ in blocks), default=0) + 1
    top = LABEL + GAP
    band = lanes * BLOCK + (BAR + GAP if flights else 0)
    height = top + band + GAP + (LABEL if home_tz else 0)
    parts = []
    if night and night[0] < hi and night[1] > lo:
        parts.append(f'<rect {span(*night)} y="{top - 1}" height="{band + 2}" fill="#dcdcdc"/>')
    hours = round((hi - lo) / dt.timedelta(hours=1))
    step = next(s for s in (1, 2, 3, 4, 6, 12, 24) if (WIDTH - 2 * SIDE) / hours * s >= 26)
    for h in range(0, hours + 1, step):
        at = lo + dt.timedelta(hours=h)
        parts.append(
            f'<line x1="{x(at):.1f}" y1="{top - 1}" x2="{x(at):.1f}" y2="{top + band + 1}" '
            'stroke="#999" stroke-width="0.4"/>'
        )
        parts.append(_label(x(at), LABEL - 2, hm(at), "#000"))
        if home_tz:
            parts.append(_label(x(at), height - 2, hm(at.astimezone(home_tz)), "#444"))
    fills = {"plain": "#fff", "hatched": "url(#h)", "hold": "#fff", "moving": "#333"}
    for start, end, lane, style in blocks:
        dash = ' stroke-dasharray="2 1.2"' if style == "hold" else ""
        parts.append(
            f'<rect {span(start, end)} y="{top + lane * BLOCK}" height="{BLOCK - 2}" '
            f'fill="{fills[style]}" stroke="#000" stroke-width="0.6"{dash}/>'
        )
    for up, down in flights:
        parts.append(
            f'<rect class="flight" {span(up, down)} y="{top + lanes * BLOCK}" height="{BAR}" '
            'fill="#000"/>'
        )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" font-family="sans-serif"><defs>'
        '<pattern id="h" width="3" height="3" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="3" height="3" fill="#fff"/>'
        '<line x1="0" y1="0" x2="0" y2="3" stroke="#555" stroke-width="1.2"/></pattern>'
        f"</defs>{''.join(parts)}</svg>"
    )
    return svg, height


def _label(x: float, y: float, words: str, colour: str) -> str:
    return (
        f'<text x="{x:.1f}" y="{y}" font-size="8" text-anchor="middle" fill="{colour}">'
        f"{words}</text>"
    )

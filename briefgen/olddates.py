"""Dates of the last trip still written in text, after `briefgen new --from`.

`new` moves every date field by meaning, but a date written in words (`memo.subject: "Your
Travel to Vilnius, March 14–17, 2027"`, a note's "Sunday, 14 March") it cannot move: it records
the old trip's first and last day in `trip.moved_from`, and `check`, `build` and `new` warn,
located at the words, about each date of that span still written in a text of the trip file:
ISO dates, "March 14", "Mar. 14", "14 March", ranges ("Mar 14–17", "14–17 March"), with the day
name next to them and the year when given. A date the new trip covers too is not warned about,
unless a day name beside it is the old day's and not the new one's. English month and day
names only.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

from briefgen.brief import Brief
from briefgen.errors import DocPath, Problem

_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_MONTH = (
    r"(?P<month>" + "|".join(_MONTHS) + r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)"
)
_DAY_NAME = (
    r"(?:(?P<weekday>"
    + "|".join(_DAYS)
    + r"|(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)\.?),?\s+)?"
)
_ORDINAL = r"(?:st|nd|rd|th)?"
_RANGE_END = r"(?:\s*[–—-]\s*(?P<last>[0-9]{1,2})" + _ORDINAL + r")?"
_YEAR = r"(?:,?\s+(?P<year>[0-9]{4}))?"
_WRITTEN = [
    re.compile(r"\b(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})\b"),
    re.compile(
        rf"{_DAY_NAME}\b{_MONTH}\s+(?P<day>[0-9]{{1,2}}){_ORDINAL}\b{_RANGE_END}{_YEAR}(?![0-9:])"
    ),
    re.compile(
        rf"{_DAY_NAME}(?<![0-9:.])\b(?P<day>[0-9]{{1,2}}){_ORDINAL}{_RANGE_END}\s+{_MONTH}\b{_YEAR}"
    ),
]
Span = tuple[dt.date, dt.date]
_DATE_VALUE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{1,2}:[0-9]{2}.*)?")


def _month(name: str) -> int:
    if name.isdigit():
        return int(name)
    return next(i for i, full in enumerate(_MONTHS, 1) if full.startswith(name.rstrip(".")[:3]))


def _weekday(name: str | None) -> int | None:
    if not name:
        return None
    return next(i for i, full in enumerate(_DAYS) if full.startswith(name.rstrip(".")[:3]))


def _on(month: int, day: int, year: int | None, span: Span) -> dt.date | None:
    """The day of `span` written as (month, day[, year]), or None."""
    years = [year] if year else sorted({span[0].year, span[1].year})
    for y in years:
        try:
            date = dt.date(y, month, day)
        except ValueError:
            continue
        if span[0] <= date <= span[1]:
            return date
    return None


def stale(
    text: str, old: tuple[dt.date, dt.date], new: tuple[dt.date, dt.date]
) -> Iterator[re.Match]:
    """Each place in `text` that writes a day of the `old` span the `new` span does not mean."""
    taken: list[tuple[int, int]] = []
    for pattern in _WRITTEN:
        for found in pattern.finditer(text):
            if any(a < found.end() and found.start() < b for a, b in taken):
                continue
            month = _month(found["month"])
            year = int(found["year"]) if found["year"] else None
            first = int(found["day"])
            last = int(found.groupdict().get("last") or first)
            weekday = _weekday(found.groupdict().get("weekday"))
            for day in range(first, max(first, last) + 1):
                was, now = _on(month, day, year, old), _on(month, day, year, new)
                if was is None:
                    continue
                named_old_day = day == first and weekday == was.weekday()
                if now is None or (named_old_day and now.weekday() != weekday):
                    taken.append(found.span())
                    yield found
                    break


def _texts(data: Any, path: DocPath = ()) -> Iterator[tuple[DocPath, str]]:
    if isinstance(data, dict):
        for key, value in data.items():
            if path == () and str(key).startswith("x-"):
                continue
            if (*path, key) == ("trip", "moved_from"):
                continue
            yield from _texts(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _texts(value, (*path, i))
    elif isinstance(data, str) and not _DATE_VALUE.fullmatch(data.strip()):
        yield path, data


def old_dates(brief: Brief) -> list[Problem]:
    """A located warning for each date of `trip.moved_from` still written in the trip's texts."""
    trip = brief.trip.trip
    if trip.moved_from is None:
        return []
    old = (trip.moved_from.start, trip.moved_from.end)
    new = (trip.start, trip.end)
    source = brief.source
    raw = source.raw.decode("utf-8", "replace").removeprefix("\ufeff")
    starts = [0, *(m.end() for m in re.finditer("\n", raw))]
    found: list[Problem] = []
    for path, text in _texts(source.data):
        if source.origin_of(path) is not None:
            continue  # from a library: not this trip's words
        for match in stale(text, old, new):
            problem = source.problem(
                path,
                f"'{match[0]}' is a date of the trip this one was made from "
                f"({old[0]} to {old[1]}); this trip is {new[0]} to {new[1]} "
                "(then delete trip.moved_from)",
            )
            line, column = _in_source(raw, starts, problem, match)
            found.append(Problem(line, column, problem.file, path, problem.message))
    return sorted(found)


def _in_source(raw: str, starts: list[int], value: Problem, match: re.Match) -> tuple[int, int]:
    """Where the words matched are written in the value at `value`'s position (a value is
    never shorter written than read, but for escapes): the value's own position when they
    are not found as written (folded over lines, escaped)."""
    line, column = value.line, value.column
    if not 0 < line <= len(starts):
        return line, column
    begin = starts[line - 1] + column - 1 + match.start()
    at = raw.find(match[0], begin, begin + 4 * len(match.string) + 200)
    if at < 0:
        return line, column
    found_line = max(i for i, s in enumerate(starts) if s <= at)
    return found_line + 1, at - starts[found_line] + 1

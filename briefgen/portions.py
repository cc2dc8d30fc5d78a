"""Walking a validated trip: every value in it, its words (not its codes) and the dates and
labels a book of it prints, the sources its Texts cite, the marks of its portions. Used by
editions and by validation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from briefgen.model import Contact, TextItem, TripFile


def walk(value: Any) -> Iterator[Any]:
    """Every value below `value`, itself first."""
    yield value
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from walk(getattr(value, name))
    elif isinstance(value, list):
        for item in value:
            yield from walk(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from walk(item)


# Fields whose strings are codes, not words a reader would recognise.
CODES = {"mark", "id", "kind", "status", "press", "timezone", "end_timezone", "issue", "person"}
CODES |= {"likelihood", "impact", "sources", "lang", "country", "side", "photo", "system"}


def words(value: Any, field: str = ""):
    """Every string of `value` that is words (Texts, names, places, roles), not a code."""
    if isinstance(value, str) and field not in CODES:
        yield value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from words(getattr(value, name), name)
    elif isinstance(value, list):
        for item in value:
            yield from words(item, field)
    elif isinstance(value, dict):
        for item in value.values():
            yield from words(item, field)


def cited(trip: TripFile) -> set[str]:
    return {sid for v in walk(trip) if isinstance(v, TextItem) for sid in v.sources}


def marks_in(trip: TripFile) -> list[str | None]:
    """The mark of every portion of the file (None: unmarked), for the file's marking."""
    return [v.mark for v in walk(trip) if isinstance(v, TextItem | Contact)]


def book_wordings(trip: TripFile) -> list[str]:
    """What a book of `trip` prints besides the file's words, which no withheld portion can
    be told from: the dates in words (its days, the memo's date) and the fixed wordings
    (labels, headings) in its language. An edition's read-back does not look for them: a
    withheld note that says "Sunday, June 18, 2023", or to update the "Schedule at a
    glance", shares them with a heading, and a valid edition failed to build as a leak."""
    from briefgen.language import labels, long_date, memo_date, speaking

    days = {event.date for event in trip.agenda} | {trip.memo.date}
    first, last = trip.trip.start, trip.trip.end
    days |= {first + dt.timedelta(n) for n in range(min((last - first).days, 366) + 1)}
    with speaking(trip.trip.language):
        dates = [said(day) for day in sorted(days) for said in (long_date, memo_date)]
    return [*dates, *labels(trip.trip.language)]

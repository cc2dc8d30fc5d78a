"""Walking a validated trip: every value in it, its words (not its codes), the sources its
Texts cite, the marks of its portions. Used by editions and by validation."""

from __future__ import annotations

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

"""Plain, read-only data: how our objects become what templates may see.

Templates may come with a trip (house styles), so they never receive our objects: every
model, dataclass and list is frozen into records (named tuples whose only attributes are
their fields), tuples and read-only mappings, with strings, numbers, dates and Markup at the
leaves. A Text becomes a `MarkedText` (render/marked.py: its words only with its mark), and
so do a contact's fields (recorded with the contact's mark). Whatever a template reaches by
walking attributes, items and loops is one of `PLAIN_LEAVES`, a tuple or a read-only
mapping (tests walk the whole context to hold this).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import namedtuple
from collections.abc import Mapping
from contextlib import AbstractContextManager
from contextvars import ContextVar
from functools import cache
from types import MappingProxyType
from typing import Any

from markupsafe import Markup
from pydantic import BaseModel

from briefgen.model import Contact, TextItem
from briefgen.render.marked import MarkedText
from briefgen.scoped import scoped

PLAIN_LEAVES = (str, int, float, bool, type(None), dt.date, dt.time, Markup, MarkedText)


@cache
def _record_type(name: str, fields: tuple[str, ...]) -> type:
    return namedtuple(name, fields)


def record(type_name: str, /, **fields: Any) -> tuple:
    """A frozen record: attributes are its fields, values frozen."""
    return _record_type(type_name, tuple(fields))(*(freeze(v) for v in fields.values()))


_shared: ContextVar[dict[int, tuple[Any, Any]] | None] = ContextVar("freezing", default=None)


def freezing_once() -> AbstractContextManager[None]:
    """Within the block, each model is frozen once however often it is reached (a person in
    every event they attend, an event in the schedule and in the trip)."""
    return scoped(_shared, {})


def freeze(value: Any) -> Any:
    """Models, dataclasses, mappings and sequences -> records, read-only mappings, tuples.
    Aware datetimes lose their zone object (templates get the wall time; offsets are
    given as text where shown)."""
    if isinstance(value, PLAIN_LEAVES):
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            return value.replace(tzinfo=None)
        return value
    if isinstance(value, tuple) and hasattr(type(value), "_fields"):
        return value  # a record: frozen already
    if isinstance(value, BaseModel):  # frozen models: the same object, the same record
        memo = _shared.get()
        if memo is not None and id(value) in memo:
            return memo[id(value)][1]
        frozen = _marked(value) or record(
            type(value).__name__, **{k: getattr(value, k) for k in type(value).model_fields}
        )
        if memo is not None:
            memo[id(value)] = (value, frozen)  # the model kept alive: its id stays its own
        return frozen
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return record(
            type(value).__name__,
            **{f.name: getattr(value, f.name) for f in dataclasses.fields(value)},
        )
    if isinstance(value, Mapping):
        return MappingProxyType({k: freeze(v) for k, v in value.items()})
    if isinstance(value, set | frozenset):  # membership stays O(1)
        return MappingProxyType(dict.fromkeys(value, True))
    if isinstance(value, list | tuple):
        return tuple(freeze(v) for v in value)
    raise TypeError(f"not plain data for templates: {type(value).__name__}")


def _marked(value: BaseModel) -> Any:
    """A Text as a MarkedText; a contact with its fields marked; else None."""
    if isinstance(value, TextItem):
        extra = {k: getattr(value, k) for k in type(value).model_fields}
        words, mark, sources = extra.pop("text"), extra.pop("mark"), extra.pop("sources")
        return MarkedText(words, mark, tuple(sources), {k: freeze(v) for k, v in extra.items()})
    if isinstance(value, Contact):
        fields = {k: getattr(value, k) for k in type(value).model_fields}
        return record(
            "Contact",
            **{
                k: MarkedText(v, value.mark, bare=True) if isinstance(v, str) and k != "mark" else v
                for k, v in fields.items()
            },
        )
    return None

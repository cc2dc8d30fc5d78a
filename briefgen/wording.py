"""Plain words for what pydantic reports: each error located in the file, worded for the
person who wrote it, with the nearest known key or value suggested."""

from __future__ import annotations

import difflib
import re
from functools import cache
from typing import Any

from pydantic_core import ErrorDetails

from briefgen.errors import DocPath, Problem
from briefgen.loaded import LoadedTrip
from briefgen.model import json_schema
from briefgen.rawdata import get, items
from briefgen.value_hints import country_hint, time_hint, zone_hint


@cache
def _schema() -> dict[str, Any]:
    return json_schema()


def schema_at(path: DocPath) -> dict[str, Any]:
    """The object schema that describes the mapping at `path` (for key suggestions)."""
    root = _schema()
    defs = root.get("$defs", {})

    def deref(node: dict) -> dict:
        while "$ref" in node:
            node = defs[node["$ref"].split("/")[-1]]
        return node

    def objects(node: dict) -> list[dict]:
        node = deref(node)
        out = [node] if "properties" in node or "additionalProperties" in node else []
        for alt in node.get("anyOf", []) + node.get("oneOf", []):
            out += objects(alt)
        return out

    def lists(node: dict) -> list[dict]:
        node = deref(node)
        out = [node["items"]] if "items" in node else []
        for alt in node.get("anyOf", []) + node.get("oneOf", []):
            out += lists(alt)
        return out

    candidates = [root]
    for part in path:
        nxt: list[dict] = []
        for node in candidates:
            if isinstance(part, int):
                nxt += lists(node)
            else:
                for obj in objects(node):
                    props = obj.get("properties", {})
                    if part in props:
                        nxt.append(props[part])
                    elif isinstance(obj.get("additionalProperties"), dict):
                        nxt.append(obj["additionalProperties"])
        candidates = nxt
    found: dict[str, Any] = {"properties": {}}
    for node in candidates:
        for obj in objects(node):
            found["properties"].update(obj.get("properties", {}))
    return found


def suggest(word: str, choices: list[str]) -> str:
    lowered = {c.lower(): c for c in choices}
    match = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    return f" (did you mean '{lowered[match[0]]}'?)" if match else ""


def describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing (an empty value)"
    return f"'{value}'"


def _data_path(data: Any, loc: tuple, keep_missing: bool) -> tuple[DocPath, bool]:
    """Map a pydantic `loc` onto the document: drop its internal labels, note key errors."""
    path: list[str | int] = []
    on_key = False
    cur = data
    for i, part in enumerate(loc):
        if part == "[key]":
            on_key = True
            continue
        in_dict = isinstance(cur, dict) and isinstance(part, str) and part in cur
        in_list = isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur)
        if in_dict or in_list:
            cur = cur[part]
        elif keep_missing and i == len(loc) - 1 and isinstance(part, str):
            pass
        else:
            continue
        path.append(part)
    return tuple(path), on_key


def pydantic_problems(loaded: LoadedTrip, errors: list[ErrorDetails]) -> list[Problem]:
    """Every error in plain words; the keys missing from a trip's `people` entry for an id
    no included library defines (a mistyped id, most likely) said once, with the nearest
    library id, rather than once per key."""
    partial: dict[str, list[str]] = {}
    rest = []
    for err in errors:
        loc = err["loc"]
        if (
            err["type"] == "missing"
            and loaded.libraries
            and len(loc) == 3
            and loc[0] == "people"
            and isinstance(get(loaded.data, "people", loc[1]), dict)
            and loaded.origin_of(("people", loc[1], loc[2])) is None
        ):
            partial.setdefault(str(loc[1]), []).append(str(loc[2]))
        else:
            rest.append(err)
    problems = [pydantic_problem(loaded, err) for err in rest]
    known = sorted({pid for lib in loaded.libraries for pid in (get(lib.data, "people") or {})})
    for pid, keys in partial.items():
        nearest = difflib.get_close_matches(pid, known, n=1, cutoff=0.6)
        problems.append(
            loaded.problem(
                ("people", pid),
                f"'{pid}' is not in any library"
                + (f", did you mean '{nearest[0]}'?" if nearest else "")
                + f" (a person no library defines needs {', '.join(keys)} here)",
                key=True,
            )
        )
    return problems


def pydantic_problem(loaded: LoadedTrip, err: ErrorDetails) -> Problem:
    kind, value = err["type"], err.get("input")
    path, on_key = _data_path(loaded.data, err["loc"], kind in ("missing", "extra_forbidden"))
    if kind == "missing":
        return loaded.problem(path, f"missing required key '{path[-1]}'", at=path[:-1])
    if kind == "extra_forbidden":
        known = sorted(schema_at(path[:-1])["properties"])
        key = str(path[-1])
        return loaded.problem(path, f"unknown key '{key}'{suggest(key, known)}", key=True)
    if kind == "tz_abbreviation" and (hint := _zone_of_stop(loaded.data, path, str(value))):
        return loaded.problem(
            path,
            f"'{value}' is an abbreviation, not an IANA time zone; for this stop: {hint}",
            key=on_key,
        )
    return loaded.problem(path, _message(kind, value, err, path), key=on_key)


def _zone_of_stop(data: Any, path: DocPath, abbreviation: str) -> str | None:
    """The zone hint from the country of the stop at `path` (`trip.stops[i].timezone`), or
    of the one stop with a country that covers the event at `path` (`agenda[i]...`)."""
    if path[:2] == ("trip", "stops") and len(path) > 2:
        country = get(data, "trip", "stops", path[2], "country")
    elif path[:1] == ("agenda",) and len(path) > 1:
        date = str(get(data, "agenda", path[1], "date") or "")
        covering = {
            stop.get("country")
            for _, stop in items(get(data, "trip", "stops"))
            if isinstance(stop, dict)
            and isinstance(stop.get("country"), str)
            and str(stop.get("from") or "") <= date <= str(stop.get("to") or "9999")
        }
        country = covering.pop() if len(covering) == 1 else None
    else:
        return None
    return zone_hint(abbreviation, country) if isinstance(country, str) else None


def _message(kind: str, value: Any, err: ErrorDetails, path: DocPath) -> str:
    ctx = err.get("ctx") or {}
    quote_hint = "; put it in quotes" if isinstance(value, int | float | bool) else ""
    if kind == "string_type":
        return f"expected text, got {describe(value)}{quote_hint}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"expected a whole number, got {describe(value)}"
    if kind == "list_type":
        return f"expected a list, got {describe(value)}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        field = schema_at(path[:-1])["properties"].get(path[-1], {}) if path else {}
        if "text" in schema_at(path)["properties"] or '"string"' in str(field):
            return f"expected text (or a mapping with 'text'), got {describe(value)}"
        return f"expected a mapping of keys, got {describe(value)}"
    if kind == "literal_error":
        expected = str(ctx.get("expected", ""))
        choices = [a or b for a, b in re.findall(r"'([^']*)'|\b([0-9]+)\b", expected)]
        shown = describe(value)
        return f"{shown} is not one of: {', '.join(choices)}{suggest(str(value), choices)}"
    if kind == "string_too_long":
        return (
            f"this text is {len(value):,} characters long, over the limit of "
            f"{ctx.get('max_length', 0):,} for one text; split it into paragraphs"
        )
    if kind == "too_short":
        return "needs at least one entry"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bound = ctx.get("ge", ctx.get("le", ctx.get("gt", ctx.get("lt"))))
        word = "at least" if kind.startswith("greater") else "at most"
        return (
            f"{describe(value)} is too {'small' if word == 'at least' else 'large'}: "
            f"must be {word} {bound}"
        )
    if kind == "string_pattern_mismatch":
        field = path[-1] if path else ""
        if field == "country":
            hint = country_hint(str(value))
            return f"{describe(value)} is not a two-letter ISO 3166 country code " + (
                f"(did you mean {hint}?)" if hint else "(e.g. CN)"
            )
        if field == "lang":
            return f"{describe(value)} is not a BCP-47 language tag (e.g. zh-Hans, ja, ar)"
        return f"{describe(value)} does not have the expected form"
    if kind == "time_format" and (hint := time_hint(str(value))):
        return f"'{value}' is not a valid time (HH:MM, 24-hour): did you mean {hint}?"
    if kind == "union_tag_invalid" or kind == "union_tag_not_found":
        return f"expected text or {{issue: id}}, got {describe(value)}"
    return err["msg"][0].lower() + err["msg"][1:] if err.get("msg") else kind

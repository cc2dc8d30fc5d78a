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


def pydantic_problem(loaded: LoadedTrip, err: ErrorDetails) -> Problem:
    kind, value = err["type"], err.get("input")
    path, on_key = _data_path(loaded.data, err["loc"], kind in ("missing", "extra_forbidden"))
    if kind == "missing":
        return loaded.problem(path, f"missing required key '{path[-1]}'", at=path[:-1])
    if kind == "extra_forbidden":
        known = sorted(schema_at(path[:-1])["properties"])
        key = str(path[-1])
        return loaded.problem(path, f"unknown key '{key}'{suggest(key, known)}", key=True)
    return loaded.problem(path, _message(kind, value, err, path), key=on_key)


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
        choices = [a or b for a, b in re.findall(r"'([^']*)'|\b(\d+)\b", expected)]
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
            return f"{describe(value)} is not a two-letter ISO 3166 country code (e.g. CN)"
        if field == "lang":
            return f"{describe(value)} is not a BCP-47 language tag (e.g. zh-Hans, ja, ar)"
        return f"{describe(value)} does not have the expected form"
    if kind == "union_tag_invalid" or kind == "union_tag_not_found":
        return f"expected text or {{issue: id}}, got {describe(value)}"
    return err["msg"][0].lower() + err["msg"][1:] if err.get("msg") else kind

"""Stage 2: check a loaded trip against the contract and turn it into the model.

Two passes over the same loaded data, both always run so every error of a file is reported
at once: the pydantic models (shapes, types, unknown keys), then the whole-file rules
(references, dates inside the trip, marks for the chosen system, the authority block,
photos). Every problem is located (file:line:col) and worded for the person who wrote it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from briefgen import markings
from briefgen.brief import Brief
from briefgen.errors import BriefError, DocPath, Problem
from briefgen.limits import MAX_ASSET_BYTES
from briefgen.load import LoadedTrip
from briefgen.model import TripFile, json_schema, parse_date

IMAGE_MAGIC = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}


def validate(loaded: LoadedTrip) -> Brief:
    """Return the Brief, or raise BriefError listing every problem in the file."""
    if not isinstance(loaded.data, dict):
        raise BriefError([loaded.problem((), "expected a mapping of keys (briefgen:, memo:, "
                                         "trip:, ...) at the top of the file")])
    problems: list[Problem] = []
    if not loaded.resolved and "include" in loaded.data:  # libraries: see briefgen.intake
        from briefgen.library import resolve

        loaded, problems = resolve(loaded)
    rules = _WholeFileRules(loaded)
    problems += rules.run()
    trip = None
    try:
        trip = TripFile.model_validate(loaded.data)
    except ValidationError as exc:
        problems += [_pydantic_problem(loaded, err) for err in exc.errors()]
    if problems:
        raise BriefError(_dedupe(problems))
    assert trip is not None
    m = trip.markings
    marking = markings.marking_for(
        m.system if m else None, m.default if m else None, m.banner if m else None,
        m.controls if m else [], rules.overall)
    return Brief(trip, loaded, marking)


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: set[tuple] = set()
    out = []
    for p in problems:
        if (p.file, p.line, p.column, p.path) not in seen:
            seen.add((p.file, p.line, p.column, p.path))
            out.append(p)
    return out


# ---------------------------------------------------------------- pydantic errors, in plain words


@cache
def _schema() -> dict[str, Any]:
    return json_schema()


def _schema_at(path: DocPath) -> dict[str, Any]:
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


def _suggest(word: str, choices: list[str]) -> str:
    lowered = {c.lower(): c for c in choices}
    match = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    return f" (did you mean '{lowered[match[0]]}'?)" if match else ""


def _describe(value: Any) -> str:
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


def _pydantic_problem(loaded: LoadedTrip, err: ErrorDetails) -> Problem:
    kind, value = err["type"], err.get("input")
    path, on_key = _data_path(loaded.data, err["loc"], kind in ("missing", "extra_forbidden"))
    if kind == "missing":
        return loaded.problem(path, f"missing required key '{path[-1]}'", at=path[:-1])
    if kind == "extra_forbidden":
        known = sorted(_schema_at(path[:-1])["properties"])
        key = str(path[-1])
        return loaded.problem(path, f"unknown key '{key}'{_suggest(key, known)}", key=True)
    return loaded.problem(path, _message(kind, value, err, path), key=on_key)


def _message(kind: str, value: Any, err: ErrorDetails, path: DocPath) -> str:
    ctx = err.get("ctx") or {}
    quote_hint = "; put it in quotes" if isinstance(value, int | float | bool) else ""
    if kind == "string_type":
        return f"expected text, got {_describe(value)}{quote_hint}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"expected a whole number, got {_describe(value)}"
    if kind == "list_type":
        return f"expected a list, got {_describe(value)}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        field = _schema_at(path[:-1])["properties"].get(path[-1], {}) if path else {}
        if "text" in _schema_at(path)["properties"] or '"string"' in str(field):
            return f"expected text (or a mapping with 'text'), got {_describe(value)}"
        return f"expected a mapping of keys, got {_describe(value)}"
    if kind == "literal_error":
        expected = str(ctx.get("expected", ""))
        choices = [a or b for a, b in re.findall(r"'([^']*)'|\b(\d+)\b", expected)]
        shown = _describe(value)
        return f"{shown} is not one of: {', '.join(choices)}{_suggest(str(value), choices)}"
    if kind == "string_too_long":
        return (f"this text is {len(value):,} characters long, over the limit of "
                f"{ctx.get('max_length', 0):,} for one text; split it into paragraphs")
    if kind == "too_short":
        return "needs at least one entry"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bound = ctx.get("ge", ctx.get("le", ctx.get("gt", ctx.get("lt"))))
        word = "at least" if kind.startswith("greater") else "at most"
        return f"{_describe(value)} is too {'small' if word == 'at least' else 'large'}: " \
               f"must be {word} {bound}"
    if kind == "string_pattern_mismatch":
        field = path[-1] if path else ""
        if field == "country":
            return f"{_describe(value)} is not a two-letter ISO 3166 country code (e.g. CN)"
        if field == "lang":
            return f"{_describe(value)} is not a BCP-47 language tag (e.g. zh-Hans, ja, ar)"
        return f"{_describe(value)} does not have the expected form"
    if kind == "union_tag_invalid" or kind == "union_tag_not_found":
        return f"expected text or {{issue: id}}, got {_describe(value)}"
    return err["msg"][0].lower() + err["msg"][1:] if err.get("msg") else kind


# ---------------------------------------------------------------- whole-file rules


def _photo_problem(target: Path) -> str | None:
    """Why a photo file cannot be printed (size, type, a broken image), or None."""
    size = target.stat().st_size
    if size > MAX_ASSET_BYTES:
        return (f"is {size / 1024 / 1024:.1f} MB, over the limit of "
                f"{MAX_ASSET_BYTES // 1024 // 1024} MB for an image")
    with target.open("rb") as fh:
        head = fh.read(8)
    if not any(head.startswith(magic) for magic in IMAGE_MAGIC):
        return "is not a PNG or JPEG image"
    from PIL import Image  # here only: decoding a photo is the one thing check needs it for

    try:
        with Image.open(target) as image:
            image.load()
    except Exception as exc:  # noqa: BLE001 - any decoder failure means "cannot print it"
        return f"cannot be read as an image ({type(exc).__name__}: {exc}); save it again"
    return None



def _get(data: Any, *keys: str | int) -> Any:
    for key in keys:
        if isinstance(data, dict) and isinstance(key, str):
            data = data.get(key)
        elif isinstance(data, list) and isinstance(key, int) and 0 <= key < len(data):
            data = data[key]
        else:
            return None
    return data


def _items(data: Any) -> list[tuple[int, Any]]:
    return list(enumerate(data)) if isinstance(data, list) else []


def _date(value: Any) -> dt.date | None:
    try:
        return parse_date(value)
    except Exception:
        return None


class _WholeFileRules:
    """Rules that need the whole file. They read the loaded data defensively (it may not fit
    the model yet), so they report alongside the model's errors, not after them."""

    def __init__(self, loaded: LoadedTrip):
        self.loaded = loaded
        self.data: dict = loaded.data
        self.problems: list[Problem] = []
        self.overall: str | None = None

    def add(self, path: DocPath, message: str, *, key: bool = False) -> None:
        self.problems.append(self.loaded.problem(path, message, key=key))

    def run(self) -> list[Problem]:
        self.references()
        self.dates()
        self.marks()
        self.photos()
        self.unique_ids()
        return self.problems

    # -- references
    def references(self) -> None:
        d = self.data
        people = d.get("people") if isinstance(d.get("people"), dict) else {}
        issue_ids = {i.get("id") for _, i in _items(d.get("issues")) if isinstance(i, dict)}
        source_ids = {s.get("id") for _, s in _items(d.get("sources")) if isinstance(s, dict)}

        def ref(path: DocPath, value: Any, known: Any, what: str) -> None:
            if isinstance(value, str) and value not in known:
                choices = sorted(k for k in known if isinstance(k, str))
                self.add(path, f"unknown {what} '{value}'{_suggest(value, choices)}")

        ref(("trip", "principal"), _get(d, "trip", "principal"), people, "person")
        for i, event in _items(d.get("agenda")):
            for j, who in _items(_get(event, "participants")):
                person = who.get("person") if isinstance(who, dict) else who
                at = ("agenda", i, "participants", j, *(("person",) if isinstance(who, dict)
                                                         else ()))
                ref(at, person, people, "person")
            for j, point in _items(_get(event, "talking_points")):
                if isinstance(point, dict) and "issue" in point:
                    ref(("agenda", i, "talking_points", j, "issue"), point["issue"], issue_ids,
                        "issue")
        for path, cited in self._walk_key(d, "sources", skip_root=True):
            for j, source in _items(cited):
                ref((*path, j), source, source_ids, "source")

    def _walk_key(self, node: Any, key: str, path: DocPath = (), skip_root: bool = False):
        """Every (path, value) of `key` in mappings below node, outside top-level x- keys."""
        if isinstance(node, dict):
            for k, v in node.items():
                if not path and str(k).startswith("x-"):
                    continue
                if k == key and not (skip_root and not path):
                    yield (*path, k), v
                yield from self._walk_key(v, key, (*path, k))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                yield from self._walk_key(v, key, (*path, i))

    # -- dates
    def dates(self) -> None:
        d = self.data
        start, end = _date(_get(d, "trip", "start")), _date(_get(d, "trip", "end"))
        window = (start, end) if start is not None and end is not None and start <= end else None
        if start and end and end < start:
            self.add(("trip", "end"), f"the trip ends ({end}) before the trip starts ({start})")

        def inside(path: DocPath, value: Any, what: str) -> None:
            day = _date(value)
            if window and day and not window[0] <= day <= window[1]:
                self.add(path, f"{what} {day} is outside the trip ({start} to {end})")

        def ordered(path: DocPath, item: Any, what: str) -> None:
            a, b = _date(_get(item, "from")), _date(_get(item, "to"))
            if a and b and b < a:
                self.add((*path, "to"), f"the {what} ends ({b}) before it starts ({a})")

        for i, stop in _items(_get(d, "trip", "stops")):
            inside(("trip", "stops", i, "from"), _get(stop, "from"), "stop date")
            inside(("trip", "stops", i, "to"), _get(stop, "to"), "stop date")
            ordered(("trip", "stops", i), stop, "stop")
        for i, event in _items(d.get("agenda")):
            inside(("agenda", i, "date"), _get(event, "date"), "event date")
            if _get(event, "end") is not None and _get(event, "start") is None:
                self.add(("agenda", i, "end"), "'end' needs a 'start' (write both, or neither)")
        for i, stay in _items(_get(d, "logistics", "lodging")):
            ordered(("logistics", "lodging", i), stay, "stay")
        for i, flight in _items(_get(d, "logistics", "flights")):
            for when in ("depart", "arrive"):
                if _get(flight, when) and not _get(flight, f"{when}_timezone"):
                    self.add(("logistics", "flights", i, when),
                             f"'{when}' needs '{when}_timezone' to say whose clock it is")

    # -- marks
    def marks(self) -> None:
        m = self.data.get("markings")
        system = m.get("system") if isinstance(m, dict) else None
        if system not in markings.LEVELS:
            system = None
        found = [(p, v) for p, v in self._walk_key(self.data, "mark") if isinstance(v, str)]
        default = m.get("default") if isinstance(m, dict) else None
        if isinstance(default, str):
            found.insert(0, (("markings", "default"), default))
        if not isinstance(m, dict):
            for path, value in found:
                self.add(path, f"mark '{value}' is given, but the file has no `markings:` block "
                         "naming the system (us, uk or plain)")
            return
        if system is None:
            return
        allowed = markings.marks_of(system)
        for path, value in found:
            if value not in allowed:
                levels = ", ".join(allowed) if allowed else "no levels; remove the mark"
                self.add(path, f"'{value}' is not a mark of the {system} system ({levels})")
        if isinstance(m.get("banner"), str) and system != "plain":
            self.add(("markings", "banner"), f"'banner' is for the plain system only; the "
                     f"{system} banner is computed from the marks")
        if system == "plain" and m.get("controls") and not m.get("banner"):
            self.add(("markings", "controls"), "controls are appended to the banner, and this "
                     "plain marking has none: add 'banner' (e.g. COMPANY CONFIDENTIAL)")
        self.overall = overall = markings.overall_level(system, default, [v for _, v in found])
        if overall is not None and markings.needs_authority(system, overall) \
                and not m.get("authority"):
            top = [p for p, v in found if v == overall]
            words = dict(markings.LEVELS[system])[overall]
            self.add(top[0] if top else ("markings",),
                     f"the overall level is {words}: markings.authority (classified_by, reason "
                     "or derived_from, declassify_on) is required at C and above")

    # -- photos
    def photos(self) -> None:
        people = self.data.get("people")
        for pid, person in people.items() if isinstance(people, dict) else []:
            value = _get(person, "photo")
            if not isinstance(value, str):
                continue
            path = ("people", pid, "photo")
            folder = self.loaded.folder_of(path)  # a library's photos are relative to it
            if Path(value).is_absolute() or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", value):
                self.add(path, f"photo '{value}' must be a path relative to the trip file")
                continue
            target = (folder / value).resolve()
            if not target.is_relative_to(folder):
                self.add(path, f"photo '{value}' is outside the trip file's folder")
            elif not target.is_file():
                self.add(path, f"photo '{value}' does not exist (looked for {target})")
            elif problem := _photo_problem(target):
                self.add(path, f"photo '{value}' {problem}")

    # -- ids that must be unique
    def unique_ids(self) -> None:
        for section in ("agenda", "issues", "sources"):
            seen: dict[str, int] = {}
            for i, item in _items(self.data.get(section)):
                ident = _get(item, "id")
                if isinstance(ident, str):
                    if ident in seen:
                        self.add((section, i, "id"), f"id '{ident}' is already used by "
                                 f"{section}[{seen[ident]}]")
                    seen.setdefault(ident, i)

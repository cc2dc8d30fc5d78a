"""Libraries: the people, issues and sources that many trips share (`include:`).

A library is a YAML file read under the trip file's rules, starting with `briefgen-library: 1`.
`resolve(trip)` reads every library the trip includes (and those they include), checks each
on its own (every problem located in the library, with the line that included it), and
merges into the trip's plain data only what the trip uses: the people it names (a trip entry
gives only the fields it changes), the issues its `issues` list names (a bare id) or its
talking points pull in (`{issue: id}`), and the sources cited by what was merged. Positions
stay with their files: the merged LoadedTrip's origin table sends a problem about a merged
part to the library that holds it.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import ConfigDict, Field, ValidationError

from briefgen.errors import BriefError, DocPath, Problem
from briefgen.load import load
from briefgen.loaded import LoadedTrip, Origin
from briefgen.model import Id, Issue, Person, Source, TopLevel
from briefgen.rawdata import items

LIBRARY_KEY = "briefgen-library"
LIBRARY_KEYS = (LIBRARY_KEY, "people", "issues", "sources", "include")
WHAT_A_LIBRARY_IS = (
    "a library is a YAML file that starts with `briefgen-library: 1` and holds people, issues "
    "and sources that trips share (keys: people, issues, sources, include)"
)


class LibraryFile(TopLevel):
    """A briefgen library file, format 1: people, issues and sources that trips include."""

    model_config = ConfigDict(
        extra="forbid",
        populate_by_name=True,
        frozen=True,
        json_schema_extra={"patternProperties": {"^x-": {}}},
    )

    briefgen_library: Literal[1] = Field(
        alias=LIBRARY_KEY, description="format version of the library: 1"
    )
    people: dict[Id, Person] = Field(
        {}, description="people trips may use, by id; a trip gets only those it names"
    )
    issues: list[Issue] = Field(
        [],
        description="issue papers trips may use: listed by id in a trip's issues, or pulled "
        "in by {issue: id}",
    )
    sources: list[Source] = Field([], description="sources that trips and this library cite")
    include: list[str] = Field(
        [],
        description="other libraries, each path relative to the file that names it "
        "(a cycle is an error)",
    )


def library_schema() -> dict[str, Any]:
    schema = LibraryFile.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "briefgen library file, format 1"
    return schema


@dataclass
class _Entry:
    value: Any
    loaded: LoadedTrip
    path: DocPath
    note: str

    def where(self) -> str:
        line, col = self.loaded.mark_of(self.path, key=True)
        return f"{self.loaded.name}:{line}:{col}"


@dataclass
class _Reader:
    """Reads libraries depth first; collects their entries and every problem."""

    problems: list[Problem] = field(default_factory=list)
    libraries: list[LoadedTrip] = field(default_factory=list)
    seen: set[Path] = field(default_factory=set)
    people: dict[str, _Entry] = field(default_factory=dict)
    issues: dict[str, _Entry] = field(default_factory=dict)
    sources: dict[str, _Entry] = field(default_factory=dict)

    def add(self, problem: Problem, note: str) -> None:
        self.problems.append(dataclasses.replace(problem, message=problem.message + note))

    def includes(
        self, owner: LoadedTrip, chain: tuple[Path, ...], names: tuple[str, ...], note: str
    ) -> None:
        paths = owner.data.get("include") if isinstance(owner.data, dict) else None
        if not isinstance(paths, list):
            return  # absent, or the wrong shape (the model says so)
        for i, value in enumerate(paths):
            if not isinstance(value, str) or not value.strip():
                continue
            at = ("include", i)
            target = Path(os.path.normpath(owner.path.parent / value))
            real = target.resolve()
            if real in chain:
                cycle = " -> ".join((*names[chain.index(real) :], str(target)))
                self.add(owner.problem(at, f"include cycle: {cycle}"), note)
                continue
            if not target.exists():
                self.add(
                    owner.problem(at, f"library '{value}' not found (looked for {real})"), note
                )
                continue
            if real in self.seen:
                continue  # included twice (by two libraries): read once
            self.seen.add(real)
            line, col = owner.mark_of(at)
            outer = f" (included from {owner.name}:{line}:{col}" + (
                ", " + note.strip()[1:] if note else ")"
            )
            self.library(target, (*chain, real), (*names, str(target)), outer)

    def library(
        self, path: Path, chain: tuple[Path, ...], names: tuple[str, ...], note: str
    ) -> None:
        try:
            loaded = load(path)
        except BriefError as exc:
            for problem in exc.problems:
                self.add(problem, note)
            return
        data = loaded.data
        if not isinstance(data, dict) or LIBRARY_KEY not in data:
            found = (
                "this file looks like a trip file"
                if isinstance(data, dict) and "briefgen" in data
                else f"this file has no `{LIBRARY_KEY}` key"
            )
            self.add(
                loaded.problem((), f"not a briefgen library ({found}): {WHAT_A_LIBRARY_IS}"), note
            )
            return
        self.libraries.append(loaded)
        self.check(loaded, note)
        self.register(loaded, note)
        self.includes(loaded, chain, names, note)

    def check(self, loaded: LoadedTrip, note: str) -> None:
        """The library on its own: shapes, unknown keys, ids unique within it."""
        from briefgen.wording import pydantic_problem, suggest

        data = dict(loaded.data)
        for key in list(data):
            if key not in LIBRARY_KEYS and not str(key).startswith("x-"):
                self.add(
                    loaded.problem(
                        (key,),
                        f"unknown key '{key}' in a library{suggest(str(key), list(LIBRARY_KEYS))}",
                        key=True,
                    ),
                    note,
                )
                del data[key]
        try:
            LibraryFile.model_validate(data)
        except ValidationError as exc:
            for err in exc.errors():
                self.add(pydantic_problem(loaded, err), note)
        for section in ("issues", "sources"):
            seen: dict[str, int] = {}
            for i, item in items(data.get(section)):
                ident = item.get("id") if isinstance(item, dict) else None
                if isinstance(ident, str):
                    if ident in seen:
                        self.add(
                            loaded.problem(
                                (section, i, "id"),
                                f"id '{ident}' is already used by {section}[{seen[ident]}]",
                            ),
                            note,
                        )
                    seen.setdefault(ident, i)

    def register(self, loaded: LoadedTrip, note: str) -> None:
        data = loaded.data
        found: list[tuple[dict, str, Any, DocPath]] = []
        people = data.get("people")
        for pid in people if isinstance(people, dict) else []:
            found.append((self.people, "person", pid, ("people", pid)))
        for section, table, what in (
            ("issues", self.issues, "issue"),
            ("sources", self.sources, "source"),
        ):
            for i, item in items(data.get(section)):
                ident = item.get("id") if isinstance(item, dict) else None
                if isinstance(ident, str):
                    found.append((table, what, ident, (section, i)))
        for table, what, ident, path in found:
            entry = _Entry(_get_at(data, path), loaded, path, note)
            other = table.get(ident)
            if other is None:
                table[ident] = entry
            elif other.loaded is not loaded:
                id_path = path if what == "person" else (*path, "id")
                self.add(
                    loaded.problem(
                        id_path,
                        f"{what} '{ident}' is defined in two "
                        f"libraries: here and at {other.where()}",
                        key=True,
                    ),
                    note,
                )


def _get_at(data: Any, path: DocPath) -> Any:
    for part in path:
        data = data[part]
    return data


def resolve(trip: LoadedTrip) -> tuple[LoadedTrip, list[Problem]]:
    """The trip with what it uses from its libraries merged in, and every problem found in
    the libraries and in the trip's use of them. The trip's own data is not changed."""
    reader = _Reader()
    if isinstance(trip.data, dict):
        real = trip.path.resolve()
        reader.includes(trip, (real,), (trip.name,), "")
    merged = LoadedTrip(
        path=trip.path,
        data=trip.data,
        raw=trip.raw,
        value_marks=trip.value_marks,
        key_marks=trip.key_marks,
        origins=dict(trip.origins),
        libraries=reader.libraries,
        resolved=True,
    )
    if isinstance(trip.data, dict):
        merged.data = _merge(trip, reader, merged.origins)
    return merged, reader.problems


def _origin(entry: _Entry, *more: str | int) -> Origin:
    return Origin(entry.loaded, (*entry.path, *more), entry.note)


def _merge(trip: LoadedTrip, reader: _Reader, origins: dict[DocPath, Origin]) -> dict:
    from briefgen.wording import suggest

    data = dict(trip.data)
    used = _people_named(data)
    people = data.get("people")
    if isinstance(people, dict) or (people is None and used & reader.people.keys()):
        people = dict(people or {})
        for pid, entry in list(people.items()):
            lib = reader.people.get(pid)
            if lib is None or not isinstance(lib.value, dict):
                continue
            if entry is None:
                entry = {}
            if not isinstance(entry, dict):
                continue  # the model reports it
            merged = dict(lib.value)
            for key in merged:
                if key not in entry:
                    origins[("people", pid, key)] = _origin(lib, key)
            merged.update(entry)
            people[pid] = merged
        for pid, lib in reader.people.items():
            if pid in used and pid not in people:
                people[pid] = dict(lib.value) if isinstance(lib.value, dict) else lib.value
                origins[("people", pid)] = _origin(lib)
        data["people"] = people

    issues = data.get("issues")
    if isinstance(issues, list) or issues is None:
        issues = list(issues or [])
        for i, item in enumerate(issues):
            if not isinstance(item, str):
                continue
            lib = reader.issues.get(item)
            if lib is not None:
                issues[i] = lib.value
                origins[("issues", i)] = _origin(lib)
            elif reader.libraries:
                reader.problems.append(
                    trip.problem(
                        ("issues", i),
                        f"unknown issue '{item}': no included library defines it"
                        f"{suggest(item, list(reader.issues))}",
                    )
                )
            else:
                reader.problems.append(
                    trip.problem(
                        ("issues", i),
                        f"'{item}' names an issue from a library, but this trip "
                        "includes none (add `include: [issues.yaml]`, or write the issue out "
                        "with id and title)",
                    )
                )
        _add_used(issues, "issues", reader.issues, _issues_pulled(data), origins)
        if issues or "issues" in data:
            data["issues"] = issues

    sources = data.get("sources")
    if isinstance(sources, list) or sources is None:
        sources = list(sources or [])
        _add_used(sources, "sources", reader.sources, _cited(data), origins)
        if sources or "sources" in data:
            data["sources"] = sources
    return data


def _add_used(
    items: list, section: str, library: dict, used: set[str], origins: dict[DocPath, Origin]
) -> None:
    """Append each library entry the trip uses and does not define itself, noting its origin."""
    present = {
        item.get("id")
        for item in items
        if isinstance(item, dict) and isinstance(item.get("id"), str)
    }
    for ident, entry in library.items():
        if ident in used and ident not in present:
            origins[(section, len(items))] = _origin(entry)
            items.append(entry.value)


def _people_named(data: dict) -> set[str]:
    named = set()
    trip = data.get("trip")
    if isinstance(trip, dict) and isinstance(trip.get("principal"), str):
        named.add(trip["principal"])
    for _, event in items(data.get("agenda")):
        for _, who in items(event.get("participants") if isinstance(event, dict) else None):
            person = who.get("person") if isinstance(who, dict) else who
            if isinstance(person, str):
                named.add(person)
    return named


def _issues_pulled(data: dict) -> set[str]:
    pulled = set()
    for _, event in items(data.get("agenda")):
        for _, point in items(event.get("talking_points") if isinstance(event, dict) else None):
            if isinstance(point, dict) and isinstance(point.get("issue"), str):
                pulled.add(point["issue"])
    return pulled


def _cited(data: dict) -> set[str]:
    """Source ids cited anywhere in the (merged) trip, outside `x-` keys."""
    cited: set[str] = set()

    def walk(node: Any, top: bool) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if top and (key == "sources" or str(key).startswith("x-")):
                    continue
                if key == "sources" and isinstance(value, list):
                    cited.update(v for v in value if isinstance(v, str))
                walk(value, False)
        elif isinstance(node, list):
            for value in node:
                walk(value, False)

    walk(data, True)
    return cited


def from_libraries(loaded: LoadedTrip) -> tuple[int, int]:
    """(people, issues) of a resolved trip that came, wholly or in part, from libraries."""
    libraries = {id(library) for library in loaded.libraries}
    merged = [
        path
        for path, origin in loaded.origins.items()
        if id(origin.loaded) in libraries and len(path) > 1
    ]
    people = {path[1] for path in merged if path[0] == "people"}
    issues = {path[1] for path in merged if path[0] == "issues" and len(path) == 2}
    return len(people), len(issues)

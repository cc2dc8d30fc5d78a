"""Merging into a trip's plain data what it uses from its libraries: the people it names,
the issues it lists or its talking points pull in, and the sources cited by what was merged;
each merged part keeps its origin, so its problems are located in its library."""

from __future__ import annotations

from typing import Any

from briefgen.errors import BriefError, DocPath, Problem
from briefgen.library.files import Entry, Reader
from briefgen.loaded import LoadedTrip, Origin
from briefgen.rawdata import items


def resolve(trip: LoadedTrip) -> tuple[LoadedTrip, list[Problem]]:
    """The trip with what it uses from its libraries merged in, and every problem found in
    the libraries and in the trip's use of them. The trip's own data is not changed. Raises
    BriefError with the libraries' problems alone when an included file is not found."""
    reader = Reader(read=trip.read_other)
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
        read_other=trip.read_other,
    )
    if reader.missing:  # what the trip uses from it cannot be told: no errors guessed
        raise BriefError(reader.problems)
    if isinstance(trip.data, dict):
        merged.data = _merge(trip, reader, merged.origins)
    return merged, reader.problems


def _origin(entry: Entry, *more: str | int) -> Origin:
    return Origin(entry.loaded, (*entry.path, *more), entry.note)


def _merge(trip: LoadedTrip, reader: Reader, origins: dict[DocPath, Origin]) -> dict:
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

"""Reading libraries: each file included (and those it includes) is loaded under the trip
file's rules, checked on its own (every problem located in it, with the line that included
it), and its people, issues and sources registered by id for the trip to use."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from briefgen.errors import BriefError, DocPath, Problem
from briefgen.library.format import LIBRARY_KEY, LIBRARY_KEYS, WHAT_A_LIBRARY_IS, LibraryFile
from briefgen.library.paths import nearest_path, refused_include
from briefgen.limits import MAX_INCLUDE_DEPTH
from briefgen.load import load, load_bytes
from briefgen.loaded import LoadedTrip
from briefgen.rawdata import items


@dataclass
class Entry:
    value: Any
    loaded: LoadedTrip
    path: DocPath
    note: str

    def where(self) -> str:
        line, col = self.loaded.mark_of(self.path, key=True)
        return f"{self.loaded.name}:{line}:{col}"


@dataclass
class Reader:
    """Reads libraries depth first; collects their entries and every problem."""

    read: Callable[[Path], tuple[bytes, str] | None] | None = None  # None: from disk
    problems: list[Problem] = field(default_factory=list)
    libraries: list[LoadedTrip] = field(default_factory=list)
    seen: set[Path] = field(default_factory=set)
    people: dict[str, Entry] = field(default_factory=dict)
    issues: dict[str, Entry] = field(default_factory=dict)
    sources: dict[str, Entry] = field(default_factory=dict)
    missing: bool = False  # an included file was not found

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
            if refused := refused_include(owner.path.parent, value, target):
                self.add(owner.problem(at, refused), note)
                continue
            real = target.resolve()
            if real in chain:
                cycle = " -> ".join((*names[chain.index(real) :], str(target)))
                self.add(owner.problem(at, f"include cycle: {cycle}"), note)
                continue
            if len(chain) > MAX_INCLUDE_DEPTH:
                self.add(
                    owner.problem(
                        at,
                        f"libraries include libraries more than {MAX_INCLUDE_DEPTH} deep; "
                        "refused (include the ones you need from the trip instead)",
                    ),
                    note,
                )
                continue
            if not (target.exists() if self.read is None else self.read(target)):
                nearest = nearest_path(owner.path.parent, value) if self.read is None else None
                hint = f"did you mean '{nearest}'? " if nearest else ""
                self.add(
                    owner.problem(
                        at,
                        f"library '{value}' not found ({hint}looked for {real}); the trip's "
                        "other checks wait until it is found",
                    ),
                    note,
                )
                self.missing = True
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
            at = None if self.read is None else self.read(path)
            loaded = load(path) if at is None else load_bytes(*at, path)
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
            entry = Entry(get_at(data, path), loaded, path, note)
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


def get_at(data: Any, path: DocPath) -> Any:
    for part in path:
        data = data[part]
    return data

"""Reading libraries: each file included (and those it includes) is loaded under the trip
file's rules, checked on its own (every problem located in it, with the line that included
it), and its people, issues and sources registered by id for the trip to use."""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import ConfigDict, Field, ValidationError

from briefgen.errors import BriefError, DocPath, Problem
from briefgen.limits import MAX_INCLUDE_DEPTH
from briefgen.load import load, load_bytes
from briefgen.loaded import LoadedTrip
from briefgen.model import Id, Issue, Person, Source, TopLevel
from briefgen.rawdata import items

LIBRARY_KEY = "briefgen-library"
LIBRARIES_VARIABLE = "BRIEFGEN_LIBRARIES"  # folders the user allows libraries in, like PATH
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
            if refused := _outside(owner.path.parent, value, target):
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


def allowed_folders() -> list[Path]:
    """Folders the user allows libraries in besides the including file's own
    (`BRIEFGEN_LIBRARIES`, separated like PATH): a trip file never widens what it may read."""
    found = os.environ.get(LIBRARIES_VARIABLE, "").split(os.pathsep)
    return [Path(folder).resolve() for folder in found if folder.strip()]


def _outside(folder: Path, value: str, target: Path) -> str | None:
    """Why an include path is refused before anything at it is opened, or None: it must be
    relative, and lie (links resolved) in the including file's folder or below it, or in a
    folder the user allows. Nothing outside is read, so nothing of it can show in an error."""
    if Path(value).is_absolute() or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", value):
        return f"include '{value}' must be a path relative to this file"
    try:
        real = target.resolve()
    except (OSError, RuntimeError) as exc:  # a loop of links, a name too long
        return f"include '{value}' cannot be opened: {getattr(exc, 'strerror', None) or exc}"
    home = folder.resolve()
    inside = target.is_relative_to(folder) and real.is_relative_to(home)
    if inside or any(real.is_relative_to(allowed) for allowed in allowed_folders()):
        return None
    how = "through a symbolic link " if target.is_relative_to(folder) else ""
    return (
        f"include '{value}' leads {how}outside this file's folder ({home}); libraries must be "
        f"in it or below it, or in a folder named in {LIBRARIES_VARIABLE}"
    )


def get_at(data: Any, path: DocPath) -> Any:
    for part in path:
        data = data[part]
    return data

"""A loaded file: its plain data, and where every key and value of it came from (its own
line and column, or the library or `--set` value a merged part was read from), so that every
later stage locates its problems in the file the user has to edit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefgen.errors import DocPath, Problem

Position = tuple[int, int]  # 1-based line, column


@dataclass
class LoadedTrip:
    """A trip file's data, plus the position of every key and value in it."""

    path: Path
    data: Any
    raw: bytes = b""
    value_marks: dict[DocPath, Position] = field(default_factory=dict)
    key_marks: dict[DocPath, Position] = field(default_factory=dict)

    # Set by library resolution (briefgen.library): where merged parts came from, the
    # libraries read, and whether resolution has run.
    origins: dict[DocPath, Origin] = field(default_factory=dict)
    libraries: list[LoadedTrip] = field(default_factory=list)
    resolved: bool = False
    # How the files it includes are read: None, from disk; a trip read at a git revision
    # reads its libraries at that revision (`revisions`): path -> (bytes, name) or None.
    read_other: Callable[[Path], tuple[bytes, str] | None] | None = None

    @property
    def name(self) -> str:
        return str(self.path)

    def origin_of(self, path: DocPath) -> tuple[DocPath, Origin] | None:
        """The origin (another file) of `path` or of its nearest ancestor that has one."""
        path = tuple(path)
        if not self.origins:
            return None
        for end in range(len(path), -1, -1):
            if (origin := self.origins.get(path[:end])) is not None:
                return path[:end], origin
        return None

    def folder_of(self, path: DocPath) -> Path:
        """The folder that relative paths (photos) at `path` are relative to."""
        found = self.origin_of(path)
        return (found[1].loaded if found else self).folder()

    def folder(self) -> Path:
        """The folder relative paths written in this file are relative to: its own."""
        return self.path.resolve().parent

    def mark_of(self, path: DocPath, *, key: bool = False) -> Position:
        """Position of `path`, or of its nearest ancestor that exists in the file."""
        path = tuple(path)
        while True:
            if key and path in self.key_marks:
                return self.key_marks[path]
            if path in self.value_marks:
                return self.value_marks[path]
            if not path:
                return (1, 1)
            path = path[:-1]

    def problem(
        self, path: DocPath, message: str, *, key: bool = False, at: DocPath | None = None
    ) -> Problem:
        """A problem about `path`, located at `at` (default: `path` itself); a part merged
        from another file (a library, a --set value) is located in that file."""
        path = tuple(path)
        at = path if at is None else tuple(at)
        if (found := self.origin_of(at)) is not None:
            prefix, origin = found
            moved = (*origin.path, *path[len(prefix) :]) if path[: len(prefix)] == prefix else path
            return origin.loaded.problem(
                moved, message + origin.note, key=key, at=(*origin.path, *at[len(prefix) :])
            )
        line, col = self.mark_of(at, key=key)
        return Problem(line, col, self.name, path, message)


@dataclass(frozen=True, eq=False)
class Origin:
    """A merged part's home: the file it was read from, its path there, and a note added to
    its problems (`(included from trip.yaml:3:5)`)."""

    loaded: LoadedTrip
    path: DocPath
    note: str = ""

"""`--set PATH=VALUE`: change one value of a trip for one run, never the file.

PATH is dotted keys (`markings.watermark`); a list item is named by its `id`
(`agenda.qin-talks.status`) or by its number, from 1 (`agenda.3.status`). VALUE is read as a
YAML 1.2 value (`5` is a number, `"5"` text, `[a, b]` a list). Each key is checked against
the contract before anything is set, and the value is validated with the rest of the trip:
its problems are reported as `--set PATH=VALUE: ...`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefgen.errors import BriefError, DocPath, Problem, escape_unprintable, format_path
from briefgen.load import load_text
from briefgen.loaded import LoadedTrip, Origin

EXAMPLE = "e.g. --set markings.watermark=DRAFT"


@dataclass(frozen=True, order=True)
class SetProblem(Problem):
    """A problem of a `--set` option: named by the option, not by a line of a file."""

    def __str__(self) -> str:
        message = escape_unprintable(self.message)
        where = escape_unprintable(self.file)
        if self.path:
            return f"{where}: {escape_unprintable(format_path(self.path))}: {message}"
        return f"{where}: {message}"


@dataclass
class _SetValue(LoadedTrip):
    """A --set value, read as YAML; its problems name the option, and its paths (a photo)
    are relative to the trip's folder, as if written in the trip, never the working one."""

    home: Path = Path()

    def folder(self) -> Path:
        return self.home

    def problem(
        self, path: DocPath, message: str, *, key: bool = False, at: DocPath | None = None
    ) -> Problem:
        return SetProblem(0, 0, self.name, tuple(path), message)


def apply(loaded: LoadedTrip, settings: Iterable[str]) -> list[Problem]:
    """Set each `PATH=VALUE` in the loaded (resolved) trip's data; return the problems."""
    problems: list[Problem] = []
    for setting in settings:
        try:
            _apply(loaded, setting)
        except _Refused as exc:
            problems.append(SetProblem(0, 0, f"--set {setting}", (), str(exc)))
    return problems


class _Refused(Exception):
    pass


def _value(setting: str, text: str, path: DocPath, home: Path) -> _SetValue:
    name = f"--set {setting}"
    if not text.strip():
        parsed = None
    else:
        try:
            parsed = load_text(text, name).data
        except BriefError as exc:
            first = exc.problems[0].message
            raise _Refused(f"the value is not valid YAML: {first}") from None
    return _SetValue(path=Path(name), data=parsed, value_marks={path: (0, 0)}, home=home)


def _apply(loaded: LoadedTrip, setting: str) -> None:
    from briefgen.wording import schema_at, suggest

    dotted, equals, text = setting.partition("=")
    parts = dotted.strip().split(".")
    if not equals or not all(parts):
        raise _Refused(f"expected PATH=VALUE ({EXAMPLE})")
    node: Any = loaded.data
    path: DocPath = ()
    created: DocPath | None = None
    for n, part in enumerate(parts):
        last = n == len(parts) - 1
        where = format_path(path)
        if isinstance(node, list):
            index = _index(node, part, where)
            path = (*path, index)
            if not last:
                node = node[index]
            continue
        if not isinstance(node, dict):
            raise _Refused(
                f"{where} is a single value, not a mapping or a list: cannot set '{part}' inside it"
            )
        if path == ("people",):
            if part not in node:
                raise _Refused(f"no person '{part}' in people{suggest(part, list(node))}")
        elif not (not path and part.startswith("x-")):
            known = sorted(schema_at(path)["properties"])
            if part not in known:
                under = f" under {where}" if path else " at the top level"
                raise _Refused(f"unknown key '{part}'{under}{suggest(part, known)}")
        path = (*path, part)
        if not last:
            if node.get(part) is None:
                node[part] = {}
                created = created or path
            node = node[part]
    value = _value(setting, text, path, loaded.folder())
    node[path[-1]] = value.data
    anchor = created or path
    for covered in [p for p in loaded.origins if p[: len(anchor)] == anchor]:
        del loaded.origins[covered]
    loaded.origins[anchor] = Origin(value, anchor)


def _index(items: list, part: str, where: str) -> int:
    from briefgen.wording import suggest

    if part.isdigit():
        number = int(part)
        if not 1 <= number <= len(items):
            raise _Refused(
                f"{where} has {len(items)} item(s); {number} is not one of them "
                "(items are numbered from 1)"
            )
        return number - 1
    ids = [item.get("id") if isinstance(item, dict) else None for item in items]
    if part in ids:
        return ids.index(part)
    named = [i for i in ids if isinstance(i, str)]
    raise _Refused(
        f"no item of {where} has id '{part}'{suggest(part, named)}"
        + ("" if named else " (name an item by its number, from 1)")
    )

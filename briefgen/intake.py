"""The one way every command reads a trip: load, libraries, `--set` overrides, validate.

Everything works on plain data with positions, so every problem, wherever it is (the trip,
a library, a `--set` value), is located and reported with all the others at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from briefgen.brief import Brief
from briefgen.errors import BriefError, Problem
from briefgen.load import load
from briefgen.loaded import LoadedTrip
from briefgen.validate import validate


def read_brief(path: Path, overrides: Iterable[str] = ()) -> Brief:
    """The validated trip at `path`, with its libraries and overrides; raises BriefError
    with every problem of the trip, its libraries and the overrides."""
    return brief_from(load(path), overrides)


def brief_from(loaded: LoadedTrip, overrides: Iterable[str] = ()) -> Brief:
    """As `read_brief`, for a trip already loaded (`load_text` of text not yet written)."""
    from briefgen import overrides as sets
    from briefgen.library import resolve

    if not isinstance(loaded.data, dict):
        return validate(loaded)  # raises: not a mapping
    merged, problems = resolve(loaded)
    problems += sets.apply(merged, overrides)
    try:
        brief = validate(merged)
    except BriefError as exc:
        problems += exc.problems
    if problems:
        raise BriefError(_unique(problems))
    return brief


def _unique(problems: list[Problem]) -> list[Problem]:
    seen, out = set(), []
    for p in problems:
        if (p.file, p.line, p.column, p.path) not in seen:
            seen.add((p.file, p.line, p.column, p.path))
            out.append(p)
    return out

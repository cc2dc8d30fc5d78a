"""The one way every command reads a trip: load, libraries, `--set` overrides, validate.

Everything works on plain data with positions, so every problem, wherever it is (the trip,
a library, a `--set` value), is located and reported with all the others at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from briefgen.brief import Brief
from briefgen.errors import BriefError, Problem, plural
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


def read_valid(
    path: Path, sets: Iterable[str], err: Callable[[str], None], writes: bool
) -> Brief | None:
    """`read_brief`, its errors printed with `err` (and that nothing was written, for a
    command that `writes`); None when it has any."""
    try:
        return read_brief(path, sets)
    except BriefError as exc:
        for problem in exc.problems:
            err(str(problem))
        tail = "; nothing was written" if writes else ""
        err(f"{path!s}: {plural(len(exc.problems), 'error')}{tail}")
        return None


def schedule_ok(
    path: Path, brief: Brief, strict: bool, err: Callable[[str], None], writes: bool
) -> bool:
    """Print the schedule checks' warnings (errors with --strict); False when they fail."""
    from briefgen.checks import schedule_warnings, warning_line

    found = schedule_warnings(brief)
    for problem in found:
        err(warning_line(problem, "error" if strict else "warning"))
    if found and strict:
        tail = "; nothing was written" if writes else ""
        err(
            f"{path!s}: {plural(len(found), 'schedule warning')} treated as "
            f"{'an error' if len(found) == 1 else 'errors'} (--strict){tail}"
        )
        return False
    return True

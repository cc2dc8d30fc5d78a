"""Trip files: `briefgen check`, `briefgen new` (and `--from`), `briefgen schema`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from briefgen.errors import BriefError, plural

if TYPE_CHECKING:
    from briefgen.brief import Brief
from briefgen.cli import (
    SCHEMA_FILE,
    SetOption,
    _err,
    _load_valid,
    _say,
    _schedule_ok,
    app,
)


@app.command()
def check(
    trips: Annotated[list[Path], typer.Argument(help="Trip files (YAML).", show_default=False)],
    sets: SetOption = None,
    strict: Annotated[bool, typer.Option(help="Treat schedule warnings as errors.")] = False,
) -> None:
    """Validate trip files and report every error with file:line:col."""
    from briefgen.library import from_libraries

    failed = 0
    for trip_path in trips:
        brief = _load_valid(trip_path, writes=False, sets=sets)
        if brief is None or not _schedule_ok(trip_path, brief, strict, writes=False):
            failed += 1
            continue
        t = brief.trip
        people, issues = from_libraries(brief.source)
        _say(
            f"{trip_path}: ok — "
            f"{plural(len(t.people), 'person', 'people')}"
            f"{f' ({people} from libraries)' if people else ''}, "
            f"{plural(len(t.agenda), 'event')}, {plural(len(t.issues), 'issue')}"
            f"{f' ({issues} from libraries)' if issues else ''}, "
            f"marking: {_printed_marking(brief)}"
        )
    if failed:
        raise typer.Exit(1)


def _printed_marking(brief: Brief) -> str:
    """The banner of what the usual layouts print (`output.layouts`, else the book), from
    the built-in templates: `SECRET`, or `book SECRET, memo CONFIDENTIAL` when they differ.
    The book prints every Text of the file but the principal's own bio and notes (no bio
    page for the principal: render/view.py; tests/test_marking_printed.py holds it to that):
    while those carry no mark of their own, its banner is the file's and it is not rendered."""
    from briefgen.markings import marks_of

    marking = brief.marking
    if marking.system is None or marking.overall in (None, *marks_of(marking.system)[:1]):
        return marking.banner or "no markings"  # nothing printed can be lower than this
    layouts = [
        x for x in (brief.trip.output.layouts if brief.trip.output else []) if x != "meeting"
    ] or ["book"]
    banners = {
        layout: (
            marking
            if layout == "book" and _unmarked_principal(brief)
            else _rendered_marking(brief, layout)
        ).banner
        or "no markings"
        for layout in layouts
    }
    if len(set(banners.values())) == 1:
        return next(iter(banners.values()))
    return ", ".join(f"{layout} {banner}" for layout, banner in banners.items())


def _unmarked_principal(brief: Brief) -> bool:
    principal = brief.trip.people.get(brief.trip.trip.principal)
    return principal is None or all(t.mark is None for t in [*principal.bio, *principal.notes])


def _rendered_marking(brief: Brief, layout: str):
    from briefgen.render import render_document

    return render_document(brief, layout=layout)[1]


@app.command()
def new(
    path: Annotated[
        Path, typer.Argument(help="Where to write the new trip file.", show_default=False)
    ],
    from_: Annotated[
        Path | None,
        typer.Option(
            "--from",
            metavar="OLD.yaml",
            help="Start from an earlier trip instead of the skeleton: "
            "its comments and layout are kept, every date moves to --start, every event becomes "
            "proposed.",
        ),
    ] = None,
    start: Annotated[
        str | None,
        typer.Option(
            "--start", metavar="YYYY-MM-DD", help="With --from: the new trip's first day."
        ),
    ] = None,
    keep_status: Annotated[
        bool,
        typer.Option(
            "--keep-status",
            help="With --from: keep each event's status (and the cancelled events).",
        ),
    ] = False,
    keep_id: Annotated[
        bool,
        typer.Option("--keep-id", help="With --from: keep trip.id (the calendar's identifiers)."),
    ] = False,
) -> None:
    """Start a new trip from a commented skeleton, or from an earlier trip (never
    overwrites)."""
    from briefgen.model import json_schema
    from briefgen.newtrip import NotWritten, create_new
    from briefgen.render.environment import builtin_template_dir

    schema = (json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    beside = ((path.parent / SCHEMA_FILE, schema),)
    if from_ is not None or start is not None or keep_status or keep_id:
        _say(_new_from(path, from_, start, keep_status, keep_id, beside))
        return
    try:
        create_new(path, (builtin_template_dir() / "skeleton.yaml").read_bytes(), beside)
    except NotWritten as exc:
        _err(f"{path}: {exc}")
        raise typer.Exit(1) from None
    _say(f"wrote {path}: edit it, then `briefgen check {path}` and `briefgen build {path}`")


def _new_from(
    path: Path,
    old: Path | None,
    start: str | None,
    keep_status: bool,
    keep_id: bool,
    beside: tuple[tuple[Path, bytes], ...],
) -> str:
    from briefgen import newtrip
    from briefgen.checks import warning_line

    if old is None or start is None:
        raise typer.BadParameter(
            "--from OLD.yaml and --start YYYY-MM-DD go together (--keep-status and --keep-id "
            "need them)",
            param_hint="--from/--start",
        )
    try:
        day = newtrip.parse_start(start)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--start") from None
    try:
        done, warnings = newtrip.new_from(
            path, old, day, keep_status=keep_status, keep_id=keep_id, beside=beside
        )
    except BriefError as exc:
        for problem in exc.problems:
            _err(str(problem))
        files = {problem.file for problem in exc.problems}  # OLD's, or the new trip's
        where = files.pop() if len(files) == 1 else old
        _err(f"{where}: {plural(len(exc.problems), 'error')}; nothing was written")
        raise typer.Exit(1) from None
    except newtrip.NotWritten as exc:
        _err(f"{path}: {exc}")
        raise typer.Exit(1) from None
    except OSError as exc:
        _err(f"{path}: cannot write: {exc.strerror or exc}")
        raise typer.Exit(1) from None
    for warning in warnings:
        _err(warning_line(warning))
    return f"wrote {path} from {old}: {done}"


@app.command()
def schema(
    library: Annotated[
        bool,
        typer.Option(
            "--library",
            help="Print the schema of library files (people, issues, sources to include).",
        ),
    ] = False,
) -> None:
    """Print the JSON Schema of trip files (for editors: completion and checks)."""
    from briefgen.model import json_schema

    if library:
        from briefgen.library import library_schema

        typer.echo(json.dumps(library_schema(), indent=2, ensure_ascii=False))
        return
    typer.echo(json.dumps(json_schema(), indent=2, ensure_ascii=False))

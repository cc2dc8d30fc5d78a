"""Trip files: `briefgen check`, `briefgen new` (and `--from`), `briefgen schema`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from briefgen import intake
from briefgen.cli.common import SCHEMA_FILE, SetOption, app, err, say
from briefgen.errors import BriefError, plural


@app.command()
def check(
    trips: Annotated[list[Path], typer.Argument(help="Trip files (YAML).", show_default=False)],
    sets: SetOption = None,
    strict: Annotated[bool, typer.Option(help="Treat schedule warnings as errors.")] = False,
) -> None:
    """Validate trip files and report every error with file:line:col."""
    from briefgen.library import from_libraries
    from briefgen.render import printed_marking

    failed = 0
    for trip_path in trips:
        brief = intake.read_valid(trip_path, sets or (), err, writes=False)
        if brief is None or not intake.schedule_ok(trip_path, brief, strict, err, writes=False):
            failed += 1
            continue
        t = brief.trip
        people, issues = from_libraries(brief.source)
        say(
            f"{trip_path}: ok — "
            f"{plural(len(t.people), 'person', 'people')}"
            f"{f' ({people} from libraries)' if people else ''}, "
            f"{plural(len(t.agenda), 'event')}, {plural(len(t.issues), 'issue')}"
            f"{f' ({issues} from libraries)' if issues else ''}, "
            f"marking: {printed_marking(brief)}"
        )
    if failed:
        raise typer.Exit(1)


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
    from briefgen.newfiles import NotWritten, create_new
    from briefgen.render.environment import builtin_template_dir

    schema = (json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    beside = ((path.parent / SCHEMA_FILE, schema),)
    if from_ is not None or start is not None or keep_status or keep_id:
        say(_new_from(path, from_, start, keep_status, keep_id, beside))
        return
    try:
        create_new(path, (builtin_template_dir() / "skeleton.yaml").read_bytes(), beside)
    except NotWritten as exc:
        err(f"{path}: {exc}")
        raise typer.Exit(1) from None
    say(f"wrote {path}: edit it, then `briefgen check {path}` and `briefgen build {path}`")


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
    from briefgen.newfiles import NotWritten

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
            err(str(problem))
        files = {problem.file for problem in exc.problems}  # OLD's, or the new trip's
        where = files.pop() if len(files) == 1 else old
        err(f"{where}: {plural(len(exc.problems), 'error')}; nothing was written")
        raise typer.Exit(1) from None
    except NotWritten as exc:
        err(f"{path}: {exc}")
        raise typer.Exit(1) from None
    except OSError as exc:
        err(f"{path}: cannot write: {exc.strerror or exc}")
        raise typer.Exit(1) from None
    for warning in warnings:
        err(warning_line(warning))
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

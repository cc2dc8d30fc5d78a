"""When the schedule changes: `briefgen diff` and `briefgen ics`."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from briefgen.files import (
    UnsafeTarget,
    check_target,
    write_atomically,
)

if TYPE_CHECKING:
    pass
from briefgen.cli import (
    _err,
    _load_valid,
    _plural,
    _say,
    app,
)
from briefgen.cli.building import _read_other

Format = enum.StrEnum("Format", {"text": "text", "json": "json"})


@app.command()
def diff(
    old: Annotated[
        str,
        typer.Argument(
            help="The earlier trip file, or git:REV for NEW at a git revision (git:HEAD~1).",
            show_default=False,
        ),
    ],
    new: Annotated[Path, typer.Argument(help="The current trip file.", show_default=False)],
    fmt: Annotated[
        Format, typer.Option("--format", help="text: one line per change; json: for scripts.")
    ] = Format.text,
) -> None:
    """Say what changed between two versions of a trip, most important first."""
    from briefgen.diff import compare

    after = _read_other(str(new), new)
    before = _read_other(old, new) if after is not None else None
    if before is None:
        raise typer.Exit(1)
    result = compare(before, after, old, str(new))
    if fmt is Format.json:
        typer.echo(result.to_json())
        return
    for change in result.changes:
        _say(change.line)
    _say(f"{_plural(len(result.changes), 'change')} since {result.since}")


@app.command()
def ics(
    trip: Annotated[Path, typer.Argument(help="Trip file (YAML).", show_default=False)],
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Output file. Default: trip.ics beside the trip."),
    ] = None,
    person: Annotated[
        str | None,
        typer.Option(
            "--for",
            metavar="PERSON",
            help="Only the events this person (an id in people:) takes part in.",
        ),
    ] = None,
    details: Annotated[
        bool,
        typer.Option(
            "--details",
            help="Add participants and objectives (never talking points) to each event.",
        ),
    ] = False,
) -> None:
    """Export the schedule as a calendar (.ics) that updates on re-import."""
    from briefgen.calendar import CalendarError, export

    brief = _load_valid(trip, writes=True)
    if brief is None:
        raise typer.Exit(1)
    target = output or trip.with_suffix(".ics")
    if target.resolve() == trip.resolve():
        _err(f"{target}: refusing to overwrite the trip file itself; nothing was written")
        raise typer.Exit(1)
    try:
        check_target(target)
        made = export(brief, trip, person=person, details=details)
        write_atomically(target, made.data)
    except (CalendarError, UnsafeTarget) as exc:
        _err(f"{trip}: {exc}; nothing was written")
        raise typer.Exit(1) from None
    except OSError as exc:
        _err(f"{target}: cannot write: {exc.strerror or exc}; nothing was written")
        raise typer.Exit(1) from None
    _say(f"{trip} -> {target} ({_plural(made.events, 'event')})")
    if made.above_lowest:
        _say(f"{target} holds text marked {made.mark}")

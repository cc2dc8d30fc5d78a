"""When the schedule changes: `briefgen diff` and `briefgen ics`."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated

import typer

from briefgen import intake
from briefgen.cli.common import (
    Layout,
    Paper,
    Standard,
    app,
    build_options,
    err,
    run_build,
    say,
)
from briefgen.errors import plural
from briefgen.files import UnsafeTarget, check_target, write_atomically
from briefgen.interruption import Interrupted

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
    new: Annotated[
        str,
        typer.Argument(
            help="The current trip file, or git:REV (then name the trip file after it).",
            show_default=False,
        ),
    ],
    trip: Annotated[
        Path | None,
        typer.Argument(
            help="With OLD and NEW both git:REV: the trip file they are revisions of.",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        Format, typer.Option("--format", help="text: one line per change; json: for scripts.")
    ] = Format.text,
) -> None:
    """Say what changed between two versions of a trip, most important first."""
    from briefgen import revisions
    from briefgen.diff import compare

    if new.startswith("git:") and trip is None:
        raise typer.BadParameter(
            f"{new} is a revision: name the trip file too (briefgen diff {old} {new} trip.yaml)",
            param_hint="NEW",
        )
    if trip is not None and not new.startswith("git:"):
        raise typer.BadParameter("a third argument only with NEW as git:REV", param_hint="TRIP")
    file = trip if trip is not None else Path(new)
    after = revisions.read_other(new, file, err)
    before = revisions.read_other(old, file, err) if after is not None else None
    if before is None or after is None:
        raise typer.Exit(1)
    result = compare(before, after, old, str(new))
    if fmt is Format.json:
        typer.echo(result.to_json())
        return
    for change in result.changes:
        say(change.line)
    say(f"{plural(len(result.changes), 'change')} since {result.since}")


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

    brief = intake.read_valid(trip, (), err, writes=True)
    if brief is None:
        raise typer.Exit(1)
    target = output or trip.with_suffix(".ics")
    if target.resolve() == trip.resolve():
        err(f"{target}: refusing to overwrite the trip file itself; nothing was written")
        raise typer.Exit(1)
    try:
        check_target(target)
        made = export(brief, trip, person=person, details=details)
        write_atomically(target, made.data)
    except (CalendarError, UnsafeTarget) as exc:
        err(f"{trip}: {exc}; nothing was written")
        raise typer.Exit(1) from None
    except OSError as exc:
        err(f"{target}: cannot write: {exc.strerror or exc}; nothing was written")
        raise typer.Exit(1) from None
    say(f"{trip} -> {target} ({plural(made.events, 'event')})")
    if made.above_lowest:
        say(f"{target} holds text marked {made.mark}")


@app.command()
def watch(
    trip: Annotated[Path, typer.Argument(help="Trip file (YAML).", show_default=False)],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Output file.")] = None,
    layout: Annotated[Layout, typer.Option(help="Which product to build.")] = Layout.book,
    paper: Annotated[Paper | None, typer.Option(help="Paper size.")] = None,
    template: Annotated[Path | None, typer.Option("--template", help="House style folder.")] = None,
    strict: Annotated[bool, typer.Option(help="As for build.")] = False,
    changes_since: Annotated[
        str | None,
        typer.Option("--changes-since", metavar="OLD", help="As for build (a path, or git:REV)."),
    ] = None,
    pdf_standard: Annotated[Standard | None, typer.Option("--pdf-standard")] = None,
    html: Annotated[bool, typer.Option("--html", help="Write the HTML instead.")] = False,
    allow_missing_glyphs: Annotated[bool, typer.Option()] = False,
) -> None:
    """Build, then rebuild whenever the trip, its house style or a photo changes."""
    from briefgen.pipeline import Request
    from briefgen.watch import watch as watch_loop

    options = build_options(paper, template, pdf_standard, strict, html, allow_missing_glyphs)
    request = Request([trip], options, output, [layout.value], changes_since=changes_since)
    try:
        watch_loop(trip, lambda: run_build(request), template=template, say=say, html=html)
    except (Interrupted, KeyboardInterrupt):  # watchfiles turns the signal into the latter
        from briefgen import worker

        worker.kill_children()
        say("stopped watching; every output is whole (each is written only when complete)")

"""When the schedule changes: `briefgen diff` and `briefgen ics`."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from briefgen.cli import (
    _err,
    _load_valid,
    _say,
    app,
)
from briefgen.cli.building import build
from briefgen.errors import BriefError, plural
from briefgen.files import (
    Interrupted,
    UnsafeTarget,
    check_target,
    write_atomically,
)
from briefgen.limits import DEFAULT_MAX_MEMORY_MB, DEFAULT_TIMEOUT_SECONDS

if TYPE_CHECKING:
    from briefgen.brief import Brief
    from briefgen.editions import Edition
from briefgen.cli import (
    Layout,
    Paper,
    Standard,
)

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
    _say(f"{plural(len(result.changes), 'change')} since {result.since}")


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
    _say(f"{trip} -> {target} ({plural(made.events, 'event')})")
    if made.above_lowest:
        _say(f"{target} holds text marked {made.mark}")


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
    from briefgen.watch import watch as watch_loop

    def rebuild() -> bool:
        try:
            build(
                [trip],
                output=output,
                layout=[layout.value],
                event=None,
                release=None,
                paper=paper,
                template=template,
                strict=strict,
                changes_since=changes_since,
                pdf_standard=pdf_standard,
                html=html,
                allow_missing_glyphs=allow_missing_glyphs,
                max_memory=DEFAULT_MAX_MEMORY_MB,
                timeout=DEFAULT_TIMEOUT_SECONDS,
                jobs=1,
                duplex=False,
                copies=None,
                sets=None,
            )
        except typer.Exit as exc:
            return exc.exit_code == 0
        return True

    try:
        watch_loop(trip, rebuild, template=template, say=_say, html=html)
    except (Interrupted, KeyboardInterrupt):  # watchfiles turns the signal into the latter
        from briefgen import worker

        worker.kill_children()
        _say("stopped watching; every output is whole (each is written only when complete)")


def _read_other(spec: str, beside: Path):
    """A trip for comparison (a path or git:REV), or None after printing why not."""
    from briefgen.revisions import DiffError, read

    try:
        return read(spec, beside)
    except BriefError as exc:
        for problem in exc.problems:
            _err(str(problem))
        _err(f"{spec}: {plural(len(exc.problems), 'error')}; nothing was compared")
    except DiffError as exc:
        _err(f"briefgen: {exc}")
    return None


def _changes(spec: str | None, trip_path: Path, brief: Brief, edition: Edition | None):
    """The diff for --changes-since (None without it; False when OLD cannot be read). In a
    releasable edition both versions are cut to the same level first: the changes page
    never quotes what was withheld."""
    if spec is None:
        return None
    from briefgen import editions
    from briefgen.diff import compare

    old = _read_other(spec, trip_path)
    if old is None:
        return False
    if edition is not None:
        old = editions.release(old, edition.level, edition.country).brief
    return compare(old, brief, spec, str(trip_path))

"""The command line: a few lines of wiring per command over the pipeline.

Exit codes: 0 success, 1 invalid input or failed build, 2 usage errors. No traceback ever
reaches the user; `--debug` shows one for unexpected errors. WeasyPrint is imported only
when a PDF is built, so `check`, `schema`, `new` and `--help` stay fast. `main(argv)` runs
in-process and returns the exit code (tests drive it so).
"""

from __future__ import annotations

import enum
import json
import os
import signal
import sys
import traceback
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from briefgen import __version__, worker
from briefgen.brief import Brief
from briefgen.errors import BriefError, escape_unprintable
from briefgen.files import write_atomically
from briefgen.load import load
from briefgen.products import PRODUCTS
from briefgen.validate import validate

app = typer.Typer(
    name="briefgen",
    help="Build print-ready briefing books (PDF) from one YAML trip file.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

SCHEMA_FILE = "briefgen.schema.json"
Paper = enum.StrEnum("Paper", {"letter": "letter", "a4": "a4"})
Layout = enum.StrEnum("Layout", {name: name for name in PRODUCTS})
Standard = enum.StrEnum("Standard", {"a3b": "pdf/a-3b", "ua1": "pdf/ua-1"})


def _say(message: str, err: bool = False) -> None:
    """Print, with anything a terminal would act on shown as an escape (file names and
    messages may echo what a file contains)."""
    typer.echo("\n".join(escape_unprintable(line) for line in message.split("\n")), err=err)


def _err(message: str) -> None:
    _say(message, err=True)


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else plural or word + 's'}"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"briefgen {__version__}")
        raise typer.Exit()


_DEBUG = False


@app.callback()
def _options(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show a traceback for unexpected "
                                        "errors.")] = False,
) -> None:
    """Build print-ready briefing books (PDF) from one YAML trip file."""
    global _DEBUG
    _DEBUG = debug


def _load_valid(path: Path, writes: bool) -> Brief | None:
    """Load and validate one trip, printing its errors; None when it has any."""
    try:
        return validate(load(path))
    except BriefError as exc:
        for problem in exc.problems:
            _err(str(problem))
        tail = "; nothing was written" if writes else ""
        _err(f"{str(path)}: {_plural(len(exc.problems), 'error')}{tail}")
        return None


def _schedule_ok(path: Path, brief: Brief, strict: bool, writes: bool) -> bool:
    """Print the schedule checks' warnings (errors with --strict); False when they fail."""
    from briefgen.checks import schedule_warnings, warning_line

    found = schedule_warnings(brief)
    for problem in found:
        _err(warning_line(problem, "error" if strict else "warning"))
    if found and strict:
        tail = "; nothing was written" if writes else ""
        _err(f"{str(path)}: {_plural(len(found), 'schedule warning')} treated as "
             f"{'an error' if len(found) == 1 else 'errors'} (--strict){tail}")
        return False
    return True


# ---------------------------------------------------------------- build


@app.command()
def build(
    trips: Annotated[list[Path], typer.Argument(help="Trip files (YAML).", show_default=False)],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Output file (only with "
                      "one trip). Default: beside the trip: trip.pdf for the book, "
                      "trip-memo.pdf and trip-card.pdf for the others.")] = None,
    layout: Annotated[Layout, typer.Option(help="Which product to build.")] = Layout.book,
    paper: Annotated[Paper | None, typer.Option(
        help="Paper size. Default: letter, or what a house style sets.")] = None,
    template: Annotated[Path | None, typer.Option(
        "--template", help="House style folder (templates that extend the built-in layouts, "
        "optional style.css). Default: a templates/ folder beside the trip file, if any.")
    ] = None,
    strict: Annotated[bool, typer.Option(help="Fail (and write nothing) when a part "
                                         "overflows its page budget or a schedule check "
                                         "warns.")] = False,
    changes_since: Annotated[str | None, typer.Option(
        "--changes-since", metavar="OLD", help="An earlier version of the trip (a path, or "
        "git:REV): add what changed since then and flag changed events.")] = None,
    pdf_standard: Annotated[Standard | None, typer.Option(
        "--pdf-standard", help="pdf/a-3b: archival, with the trip file attached; "
        "pdf/ua-1: accessible. Default: a tagged PDF.")] = None,
    html: Annotated[bool, typer.Option("--html", help="Write the HTML instead of the PDF "
                                       "(for preview).")] = False,
    allow_missing_glyphs: Annotated[bool, typer.Option(
        help="Build even when a font is missing for some text (it prints as boxes).")] = False,
    max_memory: Annotated[int, typer.Option(
        "--max-memory", min=64, metavar="MB",
        help="Memory cap of each build, in MB.")] = worker.Limits.max_memory_mb,
    timeout: Annotated[float, typer.Option(
        "--timeout", min=0.1, metavar="SECONDS",
        help="Time cap of each build, in seconds.")] = worker.Limits.timeout,
    jobs: Annotated[int | None, typer.Option(
        "-j", "--jobs", min=1, help="Outputs built at once. Default: the number of CPU "
        "cores.")] = None,
) -> None:
    """Validate each trip file and build its briefing book (or memo, or card)."""
    if output is not None and len(trips) > 1:
        raise typer.BadParameter("-o/--output takes one trip file only", param_hint="-o")
    from briefgen import pipeline

    options = pipeline.Options(
        paper=paper.value if paper else None, template=template,
        standard=pdf_standard.value if pdf_standard else None, strict=strict, html=html,
        allow_missing_glyphs=allow_missing_glyphs, limits=worker.Limits(max_memory, timeout),
        workers=jobs or os.cpu_count() or 1, debug=_DEBUG)
    failed, planned = 0, []
    for trip_path in trips:
        brief = _load_valid(trip_path, writes=True)
        if brief is not None and not _schedule_ok(trip_path, brief, strict, writes=True):
            brief = None
        changes = _changes(changes_since, trip_path, brief) if brief is not None else None
        if changes is False:
            brief = None
        try:
            if brief is not None:
                jobs = pipeline.plan(trip_path, brief, [layout.value], output, html)
                planned += [replace(job, changes=changes) for job in jobs]
        except pipeline.PlanError as exc:
            _err(f"{str(trip_path)}: {exc}")
            brief = None
        failed += brief is None

    def show(report: pipeline.Report) -> None:
        where = str(report.job.trip_path)
        for level, line in report.lines:
            _err(f"{where}: {level}: {line}")
        if report.ok:
            _say(f"{where} -> {report.job.target}")

    reports = pipeline.build(planned, options, show)
    if failed or not all(r.ok for r in reports):
        raise typer.Exit(1)


def _read_other(spec: str, beside: Path):
    """A trip for comparison (a path or git:REV), or None after printing why not."""
    from briefgen.diff import DiffError, read

    try:
        return read(spec, beside)
    except BriefError as exc:
        for problem in exc.problems:
            _err(str(problem))
        _err(f"{spec}: {_plural(len(exc.problems), 'error')}; nothing was compared")
    except DiffError as exc:
        _err(f"briefgen: {exc}")
    return None


def _changes(spec: str | None, trip_path: Path, brief: Brief):
    """The diff for --changes-since (None without it; False when OLD cannot be read)."""
    if spec is None:
        return None
    from briefgen.diff import compare

    old = _read_other(spec, trip_path)
    return False if old is None else compare(old, brief, spec, str(trip_path))


Format = enum.StrEnum("Format", {"text": "text", "json": "json"})


@app.command()
def diff(
    old: Annotated[str, typer.Argument(help="The earlier trip file, or git:REV for NEW at a "
                                       "git revision (git:HEAD~1).", show_default=False)],
    new: Annotated[Path, typer.Argument(help="The current trip file.", show_default=False)],
    fmt: Annotated[Format, typer.Option("--format", help="text: one line per change; "
                                           "json: for scripts.")] = Format.text,
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
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Output file. Default: "
                      "trip.ics beside the trip.")] = None,
    person: Annotated[str | None, typer.Option("--for", metavar="PERSON", help="Only the "
                      "events this person (an id in people:) takes part in.")] = None,
    details: Annotated[bool, typer.Option("--details", help="Add participants and objectives "
                       "(never talking points) to each event.")] = False,
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
        made = export(brief, trip, person=person, details=details)
        write_atomically(target, made.data)
    except CalendarError as exc:
        _err(f"{trip}: {exc}; nothing was written")
        raise typer.Exit(1) from None
    except OSError as exc:
        _err(f"{target}: cannot write: {exc.strerror or exc}; nothing was written")
        raise typer.Exit(1) from None
    _say(f"{trip} -> {target} ({_plural(made.events, 'event')})")
    if made.above_lowest:
        _say(f"{target} holds text marked {made.mark}")


@app.command()
def watch(
    trip: Annotated[Path, typer.Argument(help="Trip file (YAML).", show_default=False)],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Output file.")] = None,
    layout: Annotated[Layout, typer.Option(help="Which product to build.")] = Layout.book,
    paper: Annotated[Paper | None, typer.Option(help="Paper size.")] = None,
    template: Annotated[Path | None, typer.Option("--template", help="House style folder.")
                        ] = None,
    strict: Annotated[bool, typer.Option(help="As for build.")] = False,
    changes_since: Annotated[str | None, typer.Option(
        "--changes-since", metavar="OLD", help="As for build (a path, or git:REV).")] = None,
    pdf_standard: Annotated[Standard | None, typer.Option("--pdf-standard")] = None,
    html: Annotated[bool, typer.Option("--html", help="Write the HTML instead.")] = False,
    allow_missing_glyphs: Annotated[bool, typer.Option()] = False,
) -> None:
    """Build, then rebuild whenever the trip, its house style or a photo changes."""
    from briefgen.watch import watch as watch_loop

    def rebuild() -> bool:
        try:
            build([trip], output=output, layout=layout, paper=paper, template=template,
                  strict=strict, changes_since=changes_since, pdf_standard=pdf_standard,
                  html=html, allow_missing_glyphs=allow_missing_glyphs, jobs=1)
        except typer.Exit as exc:
            return exc.exit_code == 0
        return True

    try:
        watch_loop(trip, rebuild, template=template, say=_say, html=html)
    except (_Interrupted, KeyboardInterrupt):
        worker.kill_children()
        _say("stopped watching; every output is whole (each is written only when complete)")


# ---------------------------------------------------------------- check, new, schema


@app.command()
def check(
    trips: Annotated[list[Path], typer.Argument(help="Trip files (YAML).", show_default=False)],
    strict: Annotated[bool, typer.Option(help="Treat schedule warnings as errors.")] = False,
) -> None:
    """Validate trip files and report every error with file:line:col."""
    failed = 0
    for trip_path in trips:
        brief = _load_valid(trip_path, writes=False)
        if brief is None or not _schedule_ok(trip_path, brief, strict, writes=False):
            failed += 1
            continue
        t = brief.trip
        _say(f"{trip_path}: ok — "
                   f"{_plural(len(t.people), 'person', 'people')}, "
                   f"{_plural(len(t.agenda), 'event')}, {_plural(len(t.issues), 'issue')}, "
                   f"marking: {brief.marking.banner or 'no markings'}")
    if failed:
        raise typer.Exit(1)


@app.command()
def new(
    path: Annotated[Path, typer.Argument(help="Where to write the new trip file.",
                                         show_default=False)],
) -> None:
    """Start a new trip from a commented skeleton (never overwrites)."""
    from briefgen.model import json_schema
    from briefgen.render.environment import builtin_template_dir

    skeleton = (builtin_template_dir() / "skeleton.yaml").read_text(encoding="utf-8")
    try:
        with open(path, "x", encoding="utf-8") as fh:
            fh.write(skeleton)
    except FileExistsError:
        _err(f"{path}: already exists; not overwritten (choose another name)")
        raise typer.Exit(1) from None
    except OSError as exc:
        _err(f"{path}: cannot write: {exc.strerror or exc}")
        raise typer.Exit(1) from None
    schema_path = path.resolve().parent / SCHEMA_FILE
    if not schema_path.exists():
        write_atomically(schema_path, (json.dumps(json_schema(), indent=2, ensure_ascii=False)
                                       + "\n").encode("utf-8"))
    _say(f"wrote {path}: edit it, then `briefgen check {path}` and "
               f"`briefgen build {path}`")


@app.command()
def schema() -> None:
    """Print the JSON Schema of trip files (for editors: completion and checks)."""
    from briefgen.model import json_schema

    typer.echo(json.dumps(json_schema(), indent=2, ensure_ascii=False))


# ---------------------------------------------------------------- templates, doctor

templates_app = typer.Typer(help="List the built-in layouts, or copy one out to start a house "
                            "style.", no_args_is_help=False, invoke_without_command=True)
app.add_typer(templates_app, name="templates")


@templates_app.callback()
def templates_list(ctx: typer.Context) -> None:
    """List the built-in layouts."""
    if ctx.invoked_subcommand is None:
        for name, product in PRODUCTS.items():
            typer.echo(f"{name:6} {product.description}")


@templates_app.command("copy")
def templates_copy(
    name: Annotated[Layout, typer.Argument(help="The layout to copy.")],
    folder: Annotated[Path, typer.Argument(help="The house style folder to copy it into.",
                                           show_default=False)],
) -> None:
    """Copy a built-in layout into a house style folder as a starting point."""
    from briefgen.render.environment import builtin_template_dir

    source = builtin_template_dir() / f"{name.value}.html.j2"
    target = folder / source.name
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with open(target, "x", encoding="utf-8") as fh:
            fh.write(source.read_text(encoding="utf-8"))
        style = folder / "style.css"
        if not style.exists():
            style.write_text("/* House style: loaded after briefgen's own style.css. */\n",
                             encoding="utf-8")
    except FileExistsError as exc:
        _err(f"{exc.filename or target}: already exists; not overwritten")
        raise typer.Exit(1) from None
    except OSError as exc:
        _err(f"{exc.filename or folder}: cannot write: {exc.strerror or exc}")
        raise typer.Exit(1) from None
    _say(f"copied {name.value} to {target}; edit it, or replace it with a few lines:\n"
               f'  {{% extends "builtin/{source.name}" %}} and only the blocks you change')


@app.command()
def doctor() -> None:
    """Check the PDF engine and fonts; say exactly what to install."""
    from briefgen.doctor import diagnose

    ok = True
    for passed, needed, line in diagnose():
        typer.echo(f"{'ok  ' if passed else ('FAIL' if needed else 'warn')} {line}")
        ok &= passed or not needed
    if not ok:
        raise typer.Exit(1)


# ---------------------------------------------------------------- entry points


class _Interrupted(BaseException):
    """SIGINT or SIGTERM, raised past every handler so that clean-up runs on the way out."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.exit_code = 128 + signum


def _interrupt(signum, frame) -> None:
    raise _Interrupted(signum)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code. No traceback unless --debug."""
    args = sys.argv[1:] if argv is None else list(argv)
    handled = (signal.SIGINT, signal.SIGTERM)
    previous = {s: signal.signal(s, _interrupt) for s in handled}
    try:
        app(args=args, prog_name="briefgen", standalone_mode=True)
        return 0
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except _Interrupted as exc:
        worker.kill_children()
        _err("briefgen: interrupted; nothing was written")
        return exc.exit_code
    except BaseException as exc:  # noqa: BLE001 - includes WeasyPrint's BaseException errors
        if "--debug" in args:
            traceback.print_exc()
        _err(f"briefgen: unexpected error: {type(exc).__name__}: {exc} "
             "(run again with --debug for the details)")
        return 1
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def run() -> None:
    """Console entry point."""
    sys.exit(main())

"""The command line: a few lines of wiring per command over the pipeline.

Exit codes: 0 success, 1 invalid input or failed build, 2 usage errors. No traceback ever
reaches the user; `--debug` shows one for unexpected errors. WeasyPrint is imported only
when a PDF is built, so `check`, `schema`, `new` and `--help` stay fast. `main(argv)` runs
in-process and returns the exit code (tests drive it so).
"""

from __future__ import annotations

import contextlib
import enum
import json
import os
import signal
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from briefgen import __version__, worker
from briefgen.errors import BriefError, escape_unprintable
from briefgen.files import Interrupted, create_atomically, install_signal_handlers
from briefgen.products import PRODUCTS

if TYPE_CHECKING:
    from briefgen.brief import Brief

app = typer.Typer(
    name="briefgen",
    help="Build print-ready briefing books (PDF) from one YAML trip file.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

SCHEMA_FILE = "briefgen.schema.json"
class Paper(enum.StrEnum):
    letter = "letter"
    a4 = "a4"


class Layout(enum.StrEnum):  # the names in products.PRODUCTS (a test holds them equal)
    book = "book"
    memo = "memo"
    card = "card"


class Standard(enum.StrEnum):
    a3b = "pdf/a-3b"
    ua1 = "pdf/ua-1"


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


SetOption = Annotated[list[str] | None, typer.Option(
    "--set", metavar="PATH=VALUE", help="Override one value for this run (repeatable), e.g. "
    "--set markings.watermark=DRAFT, --set agenda.qin-talks.status=confirmed (a list item by "
    "its id or its number from 1). VALUE is YAML. The file is not changed.")]


def _load_valid(path: Path, writes: bool, sets: list[str] | None = None) -> Brief | None:
    """Load and validate one trip (libraries, --set), printing its errors; None when it has
    any."""
    from briefgen.intake import read_brief  # here, not at the top: `--help` stays fast

    try:
        return read_brief(path, sets or ())
    except BriefError as exc:
        for problem in exc.problems:
            _err(str(problem))
        tail = "; nothing was written" if writes else ""
        _err(f"{str(path)}: {_plural(len(exc.problems), 'error')}{tail}")
        return None


# ---------------------------------------------------------------- build


@app.command()
def build(
    trips: Annotated[list[Path], typer.Argument(help="Trip files (YAML), or folders of them.",
                                                show_default=False)],
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
                                         "overflows its page budget.")] = False,
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
    sets: SetOption = None,
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
    for trip_path in pipeline.trip_files(trips):
        brief = _load_valid(trip_path, writes=True, sets=sets)
        try:
            if brief is not None:
                planned += pipeline.plan(trip_path, brief, [layout.value], output, html)
        except pipeline.PlanError as exc:
            _err(f"{str(trip_path)}: {exc}")
            brief = None
        failed += brief is None

    from briefgen.progress import progress_for

    with progress_for(planned, _say) as progress:
        reports = pipeline.build(planned, options, progress.report, progress.start)
    if failed or not all(r.ok for r in reports):
        raise typer.Exit(1)


# ---------------------------------------------------------------- check, new, schema


@app.command()
def check(
    trips: Annotated[list[Path], typer.Argument(help="Trip files (YAML).", show_default=False)],
    sets: SetOption = None,
) -> None:
    """Validate trip files and report every error with file:line:col."""
    from briefgen.library import from_libraries

    failed = 0
    for trip_path in trips:
        brief = _load_valid(trip_path, writes=False, sets=sets)
        if brief is None:
            failed += 1
            continue
        t = brief.trip
        people, issues = from_libraries(brief.source)
        _say(f"{trip_path}: ok — "
                   f"{_plural(len(t.people), 'person', 'people')}"
                   f"{f' ({people} from libraries)' if people else ''}, "
                   f"{_plural(len(t.agenda), 'event')}, {_plural(len(t.issues), 'issue')}"
                   f"{f' ({issues} from libraries)' if issues else ''}, "
                   f"marking: {brief.marking.banner or 'no markings'}")
    if failed:
        raise typer.Exit(1)


@app.command()
def new(
    path: Annotated[Path, typer.Argument(help="Where to write the new trip file.",
                                         show_default=False)],
    from_: Annotated[Path | None, typer.Option(
        "--from", metavar="OLD.yaml", help="Start from an earlier trip instead of the skeleton: "
        "its comments and layout are kept, every date moves to --start, every event becomes "
        "proposed.")] = None,
    start: Annotated[str | None, typer.Option(
        "--start", metavar="YYYY-MM-DD", help="With --from: the new trip's first day.")] = None,
    keep_status: Annotated[bool, typer.Option(
        "--keep-status", help="With --from: keep each event's status.")] = False,
) -> None:
    """Start a new trip from a commented skeleton, or from an earlier trip (never
    overwrites)."""
    from briefgen.model import json_schema
    from briefgen.render.environment import builtin_template_dir

    if from_ is not None or start is not None or keep_status:
        done = _new_from(path, from_, start, keep_status)
    else:
        skeleton = (builtin_template_dir() / "skeleton.yaml").read_bytes()
        try:
            create_atomically(path, skeleton)
        except FileExistsError:
            _err(f"{path}: already exists; not overwritten (choose another name)")
            raise typer.Exit(1) from None
        except OSError as exc:
            _err(f"{path}: cannot write: {exc.strerror or exc}")
            raise typer.Exit(1) from None
        done = None
    with contextlib.suppress(FileExistsError):
        create_atomically(path.parent / SCHEMA_FILE, (json.dumps(
            json_schema(), indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    if done is not None:
        _say(done)
        return
    _say(f"wrote {path}: edit it, then `briefgen check {path}` and "
               f"`briefgen build {path}`")


def _new_from(path: Path, old: Path | None, start: str | None, keep_status: bool) -> str:
    from briefgen import newtrip

    if old is None or start is None:
        raise typer.BadParameter("--from OLD.yaml and --start YYYY-MM-DD go together "
                                 "(--keep-status needs them)", param_hint="--from/--start")
    try:
        day = newtrip.parse_start(start)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--start") from None
    try:
        done = newtrip.new_from(path, old, day, keep_status=keep_status)
    except BriefError as exc:
        for problem in exc.problems:
            _err(str(problem))
        _err(f"{old}: {_plural(len(exc.problems), 'error')}; nothing was written")
        raise typer.Exit(1) from None
    except newtrip.NotWritten as exc:
        _err(f"{path}: {exc}")
        raise typer.Exit(1) from None
    except OSError as exc:
        _err(f"{path}: cannot write: {exc.strerror or exc}")
        raise typer.Exit(1) from None
    return f"wrote {path} from {old}: {done}"


@app.command()
def schema(
    library: Annotated[bool, typer.Option("--library", help="Print the schema of library "
                                          "files (people, issues, sources to include).")
                       ] = False,
) -> None:
    """Print the JSON Schema of trip files (for editors: completion and checks)."""
    from briefgen.model import json_schema

    if library:
        from briefgen.library import library_schema

        typer.echo(json.dumps(library_schema(), indent=2, ensure_ascii=False))
        return
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
    """Copy a built-in layout (and the section files it includes) into a house style folder
    as a starting point."""
    from briefgen.render.environment import builtin_template_dir, layout_files

    names = layout_files(PRODUCTS[name.value].template)
    try:
        if existing := [n for n in names if os.path.lexists(folder / n)]:
            raise FileExistsError(0, "exists", str(folder / existing[0]))
        for file in names:
            (folder / file).parent.mkdir(parents=True, exist_ok=True)
            create_atomically(folder / file, (builtin_template_dir() / file).read_bytes())
        with contextlib.suppress(FileExistsError):
            create_atomically(folder / "style.css",
                              b"/* House style: loaded after briefgen's own style.css. */\n")
    except FileExistsError as exc:
        _err(f"{exc.filename}: already exists; not overwritten")
        raise typer.Exit(1) from None
    except OSError as exc:
        _err(f"{exc.filename or folder}: cannot write: {exc.strerror or exc}")
        raise typer.Exit(1) from None
    _say(f"copied {name.value} to {folder} ({len(names)} files: {', '.join(names)}); edit "
         "them, or keep only what you change: a house template replaces the built-in one of "
         f'the same name, and {{% extends "builtin/{names[0]}" %}} overrides single blocks')


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


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code. No traceback unless --debug."""
    args = sys.argv[1:] if argv is None else list(argv)
    previous = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    install_signal_handlers()
    try:
        app(args=args, prog_name="briefgen", standalone_mode=True)
        return 0
    except Interrupted as exc:
        worker.kill_children()
        _err(f"briefgen: {exc.message}")
        return exc.code
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
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

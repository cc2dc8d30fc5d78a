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
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from briefgen import __version__, worker
from briefgen.errors import BriefError, escape_unprintable
from briefgen.files import Interrupted, create_atomically, install_signal_handlers
from briefgen.limits import MAX_COPIES
from briefgen.markings import LEVELS, marks_of
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
    meeting = "meeting"


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
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Output file, .pdf or "
                      ".html (only with one trip and one output). Default: beside the trip: "
                      "trip.pdf for the book, trip-memo.pdf and trip-card.pdf for the others, "
                      "trip-meeting-<event>.pdf per meeting.")] = None,
    layout: Annotated[list[str] | None, typer.Option(
        "--layout", metavar="LAYOUT[,LAYOUT...]",
        help=f"Which products to build ({', '.join(PRODUCTS)}): a comma list, or repeat the "
        "option. Default: the trip's output.layouts, else book.")] = None,
    event: Annotated[str | None, typer.Option(
        "--event", metavar="ID", help="With --layout meeting: the packet of this event only "
        "(its id, or its place in the agenda: 3).")] = None,
    release: Annotated[str | None, typer.Option(
        "--release", metavar="LEVEL", help="A releasable edition: leave out every portion "
        "marked above LEVEL (us: U, SBU, C, S; uk: O, OS, S).")] = None,
    paper: Annotated[Paper | None, typer.Option(
        help="Paper size. Default: the trip's output.paper, else letter, or what a house "
        "style sets.")] = None,
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
    duplex: Annotated[bool, typer.Option(
        "--duplex", help="For printing on both sides: each tab starts on a right-hand page, "
        "mirrored margins, an even page count. Default: the trip's output.duplex.")] = False,
    copies: Annotated[str | None, typer.Option(
        "--copies", metavar="N|all", help="Numbered copies, one after another in one PDF, "
        "every page marked 'Copy k of N' and with the k-th name of memo.distribution; all: "
        "one copy per name of memo.distribution. 1 to 500.")] = None,
    sets: SetOption = None,
) -> None:
    """Validate each trip file and build its briefing book (or memo, card, meeting packets)."""
    if output is not None and len(trips) > 1:
        raise typer.BadParameter("-o/--output takes one trip file only", param_hint="-o")
    html = _check_output_name(output, html, trips)
    layouts = _layouts(layout)
    count = _copies(copies, html)
    if event is not None:
        if layouts and "meeting" not in layouts:
            raise typer.BadParameter("--event names a meeting packet: use it with --layout "
                                     "meeting", param_hint="--event")
        layouts = layouts or ["meeting"]
    if release is not None and not any(release.strip().upper() in marks_of(system)
                                       for system in LEVELS):
        raise typer.BadParameter(f"{release!r} is not a marking level (us: "
                                 f"{', '.join(marks_of('us'))}; uk: {', '.join(marks_of('uk'))})",
                                 param_hint="--release")
    from briefgen import editions, pipeline

    options = pipeline.Options(
        paper=paper.value if paper else None, template=template,
        standard=pdf_standard.value if pdf_standard else None, strict=strict, html=html,
        allow_missing_glyphs=allow_missing_glyphs, limits=worker.Limits(max_memory, timeout),
        workers=jobs or os.cpu_count() or 1, debug=_DEBUG, duplex=duplex, copies=count)
    failed, planned, loaded = 0, [], {}
    for trip_path in pipeline.trip_files(trips):
        key = trip_path.resolve()
        if key in loaded:  # each trip is loaded once per run
            continue
        brief = loaded[key] = _load_valid(trip_path, writes=True, sets=sets)
        if brief is None:
            failed += 1
            continue
        usual = brief.trip.output
        if count == "all":
            _copies_of_distribution(trip_path, brief.trip.memo.distribution)
        try:
            level = None
            if release is not None:
                edition = editions.release(brief, release)
                brief, level = edition.brief, edition.level
                _say(f"{str(trip_path)}: {edition.summary()}")
            planned += pipeline.plan(
                trip_path, brief, layouts or (usual.layouts if usual else []) or ["book"],
                output, html, event=event, release=level,
                paper=usual.paper if usual else None)
        except editions.ReleaseUsageError as exc:
            raise typer.BadParameter(f"{trip_path}: {exc}", param_hint="--release") from None
        except pipeline.PlanError as exc:
            if event is not None and str(exc).startswith("--event"):
                raise typer.BadParameter(f"{trip_path}: {exc}", param_hint="--event") from None
            _err(f"{str(trip_path)}: {exc}; nothing was written")
            failed += 1
        except editions.ReleaseError as exc:
            _err(f"{str(trip_path)}: --release: {exc}; nothing was written")
            failed += 1
    if output is not None and len(planned) > 1:
        raise typer.BadParameter(f"-o names one file, and this build writes {len(planned)} "
                                 "(one per layout or meeting); leave -o out, or build one",
                                 param_hint="-o")

    from briefgen.progress import progress_for

    with progress_for(planned, _say) as progress:
        reports = pipeline.build(planned, options, progress.report, progress.start)
    if failed or not all(r.ok for r in reports):
        raise typer.Exit(1)


def _copies(value: str | None, html: bool) -> int | Literal["all"] | None:
    """--copies N (1 to 500) or --copies all (one per name of memo.distribution)."""
    if value is None:
        return None
    if html:
        raise typer.BadParameter("numbered copies are printed in a PDF: leave out --html",
                                 param_hint="--copies")
    if value.strip().lower() == "all":
        return "all"
    try:
        count = int(value)
    except ValueError:
        count = None
    if count is None or not 1 <= count <= MAX_COPIES:
        raise typer.BadParameter(f"{value!r}: give a number of copies from 1 to {MAX_COPIES}, "
                                 "or all (one per name of memo.distribution)",
                                 param_hint="--copies")
    return count


def _copies_of_distribution(trip_path: Path, names: list[str]) -> None:
    """--copies all needs a distribution list of at most 500 names."""
    if not names:
        raise typer.BadParameter(f"{trip_path}: --copies all makes one copy per name of "
                                 "memo.distribution, and the trip has none; give a number",
                                 param_hint="--copies")
    if len(names) > MAX_COPIES:
        raise typer.BadParameter(f"{trip_path}: memo.distribution has {len(names)} names, "
                                 f"over the {MAX_COPIES} copies briefgen prints",
                                 param_hint="--copies")


def _check_output_name(output: Path | None, html: bool, trips: list[Path]) -> bool:
    """-o must end in .pdf or .html; .html writes the HTML. Returns whether HTML is written."""
    if output is None or output.resolve() in {t.resolve() for t in trips}:
        return html  # a trip file as the output is refused when planned (exit 1)
    suffix = output.suffix.lower()
    if suffix not in (".pdf", ".html", ".htm"):
        raise typer.BadParameter(f"{output}: the output must end in .pdf or .html",
                                 param_hint="-o")
    if html and suffix == ".pdf":
        raise typer.BadParameter(f"--html writes HTML, and {output} ends in .pdf",
                                 param_hint="-o")
    return html or suffix != ".pdf"


def _layouts(values: list[str] | None) -> list[str]:
    """`--layout book,memo --layout card` -> [book, memo, card] (each once, in order)."""
    layouts: list[str] = []
    for value in values or []:
        for name in (n.strip().lower() for n in value.split(",")):
            if name not in PRODUCTS:
                raise typer.BadParameter(f"{name!r} is not a layout ({', '.join(PRODUCTS)})",
                                         param_hint="--layout")
            if name not in layouts:
                layouts.append(name)
    return layouts


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
                   f"marking: {_printed_marking(brief)}")
    if failed:
        raise typer.Exit(1)


def _printed_marking(brief: Brief) -> str:
    """The banner of what the usual layouts print (`output.layouts`, else the book), from
    the built-in templates: `SECRET`, or `book SECRET, memo CONFIDENTIAL` when they differ."""
    from briefgen.render import render_document

    layouts = [x for x in (brief.trip.output.layouts if brief.trip.output else [])
               if x != "meeting"] or ["book"]
    banners = {layout: render_document(brief, layout=layout)[1].banner or "no markings"
               for layout in layouts}
    if len(set(banners.values())) == 1:
        return next(iter(banners.values()))
    return ", ".join(f"{layout} {banner}" for layout, banner in banners.items())


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

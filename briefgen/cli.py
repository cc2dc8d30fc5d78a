"""The command line: wires the stages together (load -> validate -> render_html -> pdf).

Exit codes: 0 success, 1 invalid input or failed build, 2 usage errors. No traceback ever
reaches the user; `--debug` shows one for unexpected errors. WeasyPrint is imported only
when a PDF is built, so `check`, `schema`, `new` and `--help` stay fast.
"""

from __future__ import annotations

import enum
import json
import sys
import traceback
from pathlib import Path
from typing import Annotated

import typer

from briefgen import __version__
from briefgen.errors import BriefError, BuildError
from briefgen.files import write_atomically
from briefgen.load import load
from briefgen.validate import Brief, validate

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


class Layout(enum.StrEnum):
    book = "book"
    memo = "memo"
    card = "card"


class Standard(enum.StrEnum):
    a3b = "pdf/a-3b"
    ua1 = "pdf/ua-1"


def _err(message: str) -> None:
    typer.echo(message, err=True)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"briefgen {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show a traceback for unexpected "
                                        "errors.")] = False,
) -> None:
    """Build print-ready briefing books (PDF) from one YAML trip file."""


def _load_valid(path: Path) -> Brief | None:
    """Load and validate one trip, printing its errors; None when it has any."""
    try:
        return validate(load(path))
    except BriefError as exc:
        for problem in exc.problems:
            _err(str(problem))
        count = len(exc.problems)
        _err(f"{path}: {count} error{'s' if count != 1 else ''}; nothing was written")
        return None


def _each_valid(trips: list[Path], action) -> None:
    """Run `action(path, brief)` on every valid trip; exit 1 if any trip or action failed."""
    failed = 0
    for trip_path in trips:
        brief = _load_valid(trip_path)
        if brief is None or action(trip_path, brief) is False:
            failed += 1
    if failed:
        raise typer.Exit(1)


def _default_output(trip_path: Path, layout: str, html: bool) -> Path:
    stem = trip_path.stem if layout == "book" else f"{trip_path.stem}-{layout}"
    return trip_path.with_name(stem + (".html" if html else ".pdf"))


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
                                         "overflows its page budget.")] = False,
    pdf_standard: Annotated[Standard | None, typer.Option(
        "--pdf-standard", help="pdf/a-3b: archival, with the trip file attached; "
        "pdf/ua-1: accessible. Default: a tagged PDF.")] = None,
    html: Annotated[bool, typer.Option("--html", help="Write the HTML instead of the PDF "
                                       "(for preview).")] = False,
    allow_missing_glyphs: Annotated[bool, typer.Option(
        help="Build even when a font is missing for some text (it prints as boxes).")] = False,
) -> None:
    """Validate each trip file and build its briefing book (or memo, or card)."""
    if output is not None and len(trips) > 1:
        raise typer.BadParameter("-o/--output takes one trip file only", param_hint="-o")
    from briefgen.render_html import find_house_style, render_html

    def build_one(trip_path: Path, brief: Brief) -> bool:
        target = output or _default_output(trip_path, layout.value, html)
        if target.resolve() == trip_path.resolve():
            _err(f"{trip_path}: refusing to overwrite the trip file itself with the output")
            return False
        if not target.resolve().parent.is_dir():
            _err(f"{target}: the folder {target.resolve().parent} does not exist")
            return False
        try:
            templates = find_house_style(brief.folder, template)
            document = render_html(brief, layout=layout.value,
                                   paper=paper.value if paper else None, templates=templates)
            if html:
                data = document.encode("utf-8")
            else:
                from briefgen import pdf

                standard = pdf_standard.value if pdf_standard else None
                rendered = pdf.render(document, layout=layout.value, standard=standard,
                                      folders=[brief.folder, *templates.folders])
                for overflow in rendered.overflows:
                    _err(f"{trip_path}: {'error' if strict else 'warning'}: {overflow}")
                if strict and rendered.overflows:
                    raise BuildError("page budget exceeded (--strict)")
                data = pdf.write(rendered, standard=standard, created=brief.trip.memo.date,
                                 source=(trip_path.name, brief.source.raw),
                                 allow_missing_glyphs=allow_missing_glyphs)
                for warning in rendered.warnings:
                    _err(f"{trip_path}: warning: {warning}")
            write_atomically(target, data)
        except BuildError as exc:
            _err(f"{trip_path}: build failed: {exc}; nothing was written")
            return False
        except OSError as exc:
            _err(f"{target}: cannot write: {exc.strerror or exc}; nothing was written")
            return False
        typer.echo(f"{trip_path} -> {target}")
        return True

    _each_valid(trips, build_one)


@app.command()
def check(
    trips: Annotated[list[Path], typer.Argument(help="Trip files (YAML).", show_default=False)],
) -> None:
    """Validate trip files and report every error with file:line:col."""

    def summary(trip_path: Path, brief: Brief) -> None:
        t = brief.trip
        marking = brief.marking.banner or "no markings"
        typer.echo(f"{trip_path}: ok — {len(t.people)} people, {len(t.agenda)} events, "
                   f"{len(t.issues)} issues, marking: {marking}")

    _each_valid(trips, summary)


@app.command()
def new(
    path: Annotated[Path, typer.Argument(help="Where to write the new trip file.",
                                         show_default=False)],
) -> None:
    """Start a new trip from a commented skeleton (never overwrites)."""
    from briefgen.model import json_schema
    from briefgen.render_html import builtin_template_dir

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
    typer.echo(f"wrote {path}: edit it, then `briefgen check {path}` and "
               f"`briefgen build {path}`")


templates_app = typer.Typer(help="List the built-in layouts, or copy one out to start a house "
                            "style.", no_args_is_help=False, invoke_without_command=True)
app.add_typer(templates_app, name="templates")


@templates_app.callback()
def templates_list(ctx: typer.Context) -> None:
    """List the built-in layouts."""
    if ctx.invoked_subcommand is None:
        from briefgen.render_html import LAYOUTS

        for name, what in LAYOUTS.items():
            typer.echo(f"{name:6} {what}")


@templates_app.command("copy")
def templates_copy(
    name: Annotated[Layout, typer.Argument(help="The layout to copy.")],
    folder: Annotated[Path, typer.Argument(help="The house style folder to copy it into.",
                                           show_default=False)],
) -> None:
    """Copy a built-in layout into a house style folder as a starting point."""
    from briefgen.render_html import builtin_template_dir

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
    typer.echo(f"copied {name.value} to {target}; edit it, or replace it with a few lines:\n"
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


@app.command()
def schema() -> None:
    """Print the JSON Schema of trip files (for editors: completion and checks)."""
    from briefgen.model import json_schema

    typer.echo(json.dumps(json_schema(), indent=2, ensure_ascii=False))


def main() -> None:
    """Console entry point: never lets a traceback reach the user unless --debug."""
    try:
        app()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        _err("briefgen: interrupted; nothing was written")
        sys.exit(130)
    except BaseException as exc:  # noqa: BLE001 - includes WeasyPrint's BaseException errors
        if "--debug" in sys.argv[1:]:
            traceback.print_exc()
        _err(f"briefgen: unexpected error: {type(exc).__name__}: {exc} "
             "(run again with --debug for the details)")
        sys.exit(1)

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


@app.command()
def build(
    trips: Annotated[list[Path], typer.Argument(help="Trip files (YAML).", show_default=False)],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Output file (only with "
                      "one trip). Default: beside the trip, trip.yaml -> trip.pdf.")] = None,
    paper: Annotated[Paper, typer.Option(help="Paper size.")] = Paper.letter,
    html: Annotated[bool, typer.Option("--html", help="Write the HTML instead of the PDF "
                                       "(for preview).")] = False,
    allow_missing_glyphs: Annotated[bool, typer.Option(
        help="Build even when a font is missing for some text (it prints as boxes).")] = False,
) -> None:
    """Validate each trip file and build its briefing book."""
    if output is not None and len(trips) > 1:
        raise typer.BadParameter("-o/--output takes one trip file only", param_hint="-o")
    from briefgen.render_html import builtin_template_dir, render_html

    failed = 0
    for trip_path in trips:
        brief = _load_valid(trip_path)
        if brief is None:
            failed += 1
            continue
        target = output or trip_path.with_suffix(".html" if html else ".pdf")
        if target.resolve() == trip_path.resolve():
            _err(f"{trip_path}: refusing to overwrite the trip file itself with the output")
            failed += 1
            continue
        if not target.resolve().parent.is_dir():
            _err(f"{target}: the folder {target.resolve().parent} does not exist")
            failed += 1
            continue
        try:
            document = render_html(brief, paper=paper.value)
            if html:
                data = document.encode("utf-8")
            else:
                from briefgen.pdf import render_pdf

                warnings: list[str] = []
                data = render_pdf(document, base_dirs=[brief.folder, builtin_template_dir()],
                                  allow_missing_glyphs=allow_missing_glyphs, warnings=warnings)
                for warning in warnings:
                    _err(f"{trip_path}: warning: {warning}")
            write_atomically(target, data)
        except BuildError as exc:
            _err(f"{trip_path}: build failed: {exc}; nothing was written")
            failed += 1
            continue
        except OSError as exc:
            _err(f"{target}: cannot write: {exc.strerror or exc}; nothing was written")
            failed += 1
            continue
        typer.echo(f"{trip_path} -> {target}")
    if failed:
        raise typer.Exit(1)


@app.command()
def check(
    trips: Annotated[list[Path], typer.Argument(help="Trip files (YAML).", show_default=False)],
) -> None:
    """Validate trip files and report every error with file:line:col."""
    failed = 0
    for trip_path in trips:
        brief = _load_valid(trip_path)
        if brief is None:
            failed += 1
            continue
        t = brief.trip
        marking = brief.marking.banner or "no markings"
        typer.echo(f"{trip_path}: ok — {len(t.people)} people, {len(t.agenda)} events, "
                   f"{len(t.issues)} issues, marking: {marking}")
    if failed:
        raise typer.Exit(1)


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

"""What the commands share: the Typer app and its global options, the option types, and
printing."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from briefgen import __version__
from briefgen.errors import escape_unprintable

if TYPE_CHECKING:
    from pathlib import Path

    from briefgen.pipeline import Request
    from briefgen.plans import Options

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


def say(message: str, err: bool = False) -> None:
    """Print, with anything a terminal would act on shown as an escape (file names and
    messages may echo what a file contains)."""
    typer.echo("\n".join(escape_unprintable(line) for line in message.split("\n")), err=err)


def err(message: str) -> None:
    say(message, err=True)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"briefgen {__version__}")
        raise typer.Exit()


_DEBUG = False


def debug() -> bool:
    """Whether --debug was given (tracebacks for unexpected errors)."""
    return _DEBUG


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show a traceback for unexpected errors.")
    ] = False,
) -> None:
    """Build print-ready briefing books (PDF) from one YAML trip file."""
    global _DEBUG
    _DEBUG = debug


SetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        metavar="PATH=VALUE",
        help="Override one value for this run (repeatable), e.g. "
        "--set markings.watermark=DRAFT, --set agenda.qin-talks.status=confirmed (a list item by "
        "its id or its number from 1). VALUE is YAML. The file is not changed.",
    ),
]


def run_build(request: Request) -> bool:
    """Run a build (`build`, each rebuild of `watch`), showing its progress; whether every
    output was written."""
    from briefgen import pipeline
    from briefgen.progress import progress_for

    try:
        return pipeline.run(request, say, err, lambda jobs: progress_for(jobs, say)).ok
    except pipeline.UsageError as exc:
        raise typer.BadParameter(str(exc), param_hint=exc.hint) from None


def build_options(
    paper: Paper | None,
    template: Path | None,
    standard: Standard | None,
    strict: bool,
    html: bool,
    allow_missing_glyphs: bool,
    **more: Any,
) -> Options:
    """The options `build` and `watch` share, from their values on the command line."""
    from briefgen.plans import Options

    return Options(
        paper=paper.value if paper else None,
        template=template,
        standard=standard.value if standard else None,
        strict=strict,
        html=html,
        allow_missing_glyphs=allow_missing_glyphs,
        debug=debug(),
        **more,
    )

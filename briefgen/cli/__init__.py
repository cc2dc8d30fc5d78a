"""The command line: a few lines of wiring per command over the pipeline.

Exit codes: 0 success, 1 invalid input or failed build, 2 usage errors. No traceback ever
reaches the user; `--debug` shows one for unexpected errors. WeasyPrint is imported only
when a PDF is built, so `check`, `schema`, `new` and `--help` stay fast. `main(argv)` runs
in-process and returns the exit code (tests drive it so).

The commands live in `building` (build), `changes` (diff, ics, watch), `trips` (check, new,
schema) and `tools` (templates, doctor); this module holds what they share and `main`
(the console entry point is `briefgen/__main__.py`).
"""

from __future__ import annotations

import enum
import signal
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from briefgen import __version__
from briefgen.errors import BriefError, escape_unprintable, plural
from briefgen.files import (
    STOPPING,
    Interrupted,
    install_signal_handlers,
)

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
    itinerary = "itinerary"


class Standard(enum.StrEnum):
    a3b = "pdf/a-3b"
    ua1 = "pdf/ua-1"


def _say(message: str, err: bool = False) -> None:
    """Print, with anything a terminal would act on shown as an escape (file names and
    messages may echo what a file contains)."""
    typer.echo("\n".join(escape_unprintable(line) for line in message.split("\n")), err=err)


def _err(message: str) -> None:
    _say(message, err=True)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"briefgen {__version__}")
        raise typer.Exit()


_DEBUG = False


def _debug() -> bool:
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
        _err(f"{path!s}: {plural(len(exc.problems), 'error')}{tail}")
        return None


def _schedule_ok(path: Path, brief: Brief, strict: bool, writes: bool) -> bool:
    """Print the schedule checks' warnings (errors with --strict); False when they fail."""
    from briefgen.checks import schedule_warnings, warning_line

    found = schedule_warnings(brief)
    for problem in found:
        _err(warning_line(problem, "error" if strict else "warning"))
    if found and strict:
        tail = "; nothing was written" if writes else ""
        _err(
            f"{path!s}: {plural(len(found), 'schedule warning')} treated as "
            f"{'an error' if len(found) == 1 else 'errors'} (--strict){tail}"
        )
        return False
    return True


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code. No traceback unless --debug."""
    args = sys.argv[1:] if argv is None else list(argv)
    previous = {s: signal.getsignal(s) for s in STOPPING}
    install_signal_handlers()
    try:
        # A signal held back while the program started (briefgen/__main__.py) lands here.
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPPING)
        app(args=args, prog_name="briefgen", standalone_mode=True)
        return 0
    except Interrupted as exc:
        # Interrupted once is enough: a second Ctrl-C waits until the process has exited.
        signal.pthread_sigmask(signal.SIG_BLOCK, STOPPING)
        from briefgen import worker  # only a build has children to stop

        worker.kill_children()
        _err(f"briefgen: {exc.message}")
        return exc.code
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException as exc:
        if "briefgen.worker" in sys.modules:  # no child outlives an unexpected error
            sys.modules["briefgen.worker"].kill_children()
        if "--debug" in args:
            traceback.print_exc()
        _err(
            f"briefgen: unexpected error: {type(exc).__name__}: {exc} "
            "(run again with --debug for the details)"
        )
        return 1
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


# The commands register themselves on `app` when imported (after what they share above).
from briefgen.cli import trips, building, changes, tools  # noqa: E402, F401, I001

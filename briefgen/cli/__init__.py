"""The command line: a few lines of wiring per command over the pipeline.

Exit codes: 0 success, 1 invalid input or failed build, 2 usage errors. No traceback ever
reaches the user; `--debug` shows one for unexpected errors. WeasyPrint is imported only
when a PDF is built, so `check`, `schema`, `new` and `--help` stay fast. `main(argv)` runs
in-process and returns the exit code (tests drive it so).

The commands live in `building` (build), `changes` (diff, ics, watch), `trips` (check, new,
schema) and `tools` (templates, doctor); this module holds `main`
(the console entry point is `briefgen/__main__.py`); `common` what they share.
"""

from __future__ import annotations

import functools
import signal
import sys
import traceback

import typer.main

from briefgen.cli.common import app, err
from briefgen.interruption import STOPPING, WRITTEN, Interrupted, install_signal_handlers


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code. No traceback unless --debug.

    Ctrl-C and SIGTERM are taken only while the command runs: held from the start (as the
    console entry point holds them while it starts) and again from the moment it returns,
    with whatever came just before handled as an interruption. On return the caller's
    signal mask and handlers are back."""
    args = sys.argv[1:] if argv is None else list(argv)
    entry = signal.pthread_sigmask(signal.SIG_BLOCK, STOPPING)
    previous = {s: signal.getsignal(s) for s in STOPPING}
    install_signal_handlers()
    WRITTEN.clear()
    try:
        try:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPPING)  # one held back lands here
            code = _command(args)
        finally:
            signal.pthread_sigmask(signal.SIG_BLOCK, STOPPING)
            _handlers_run()
    except (Interrupted, KeyboardInterrupt) as exc:
        from briefgen import worker  # only a build has children to stop

        worker.kill_children()
        err(f"briefgen: {Interrupted.message_now()}")
        code = exc.code if isinstance(exc, Interrupted) else 130
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        signal.pthread_sigmask(signal.SIG_SETMASK, entry)
    return code


def _handlers_run() -> None:
    """Nothing: calling it gives Python the moment to run the handler of a signal that came
    just before the stop signals were held (a function's start is such a moment)."""


@functools.cache
def _click_command():
    """The Click command Typer builds from `app`, built once: Typer rebuilds it on every call,
    reading every command's signature (about 20 ms of each `main`)."""
    return typer.main.get_command(app)


def _command(args: list[str]) -> int:
    try:
        _click_command()(args=args, prog_name="briefgen", standalone_mode=True)
        return 0
    except (Interrupted, KeyboardInterrupt):
        raise
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException as exc:
        if (interruption := _interruption_in(exc)) is not None:
            raise interruption from None
        if "briefgen.worker" in sys.modules:  # no child outlives an unexpected error
            sys.modules["briefgen.worker"].kill_children()
        if "--debug" in args:
            traceback.print_exc()
        err(
            f"briefgen: unexpected error: {type(exc).__name__}: {exc} "
            "(run again with --debug for the details)"
        )
        return 1


def _interruption_in(exc: BaseException) -> BaseException | None:
    """The Ctrl-C an error stands for: Python wraps one that lands in a class's
    `__set_name__` (a dataclass field, as a module is first imported) in a RuntimeError, and
    an error raised while it was being handled carries it as its context (unless raised
    `from None`: an error that says it stands alone is not taken for a Ctrl-C)."""
    seen: set[int] = set()
    found: BaseException | None = exc
    while found is not None and id(found) not in seen:
        if isinstance(found, Interrupted | KeyboardInterrupt):
            return found
        seen.add(id(found))
        found = found.__cause__ or (None if found.__suppress_context__ else found.__context__)
    return None


# The commands register themselves on `app` when imported.
from briefgen.cli import building, changes, tools, trips  # noqa: E402, F401

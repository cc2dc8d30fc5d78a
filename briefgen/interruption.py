"""Stop signals: SIGINT and SIGTERM turned into `Interrupted`, held where a step must not be
cut off half done, and what their arrival cleans up.

Interruption protocol: the CLI calls `install_signal_handlers()` once, in the main thread.
On SIGINT or SIGTERM the handler removes every live temporary file (`LIVE`, which `files`
fills), puts back the previous handlers (so a second signal acts as it did before), and
raises `Interrupted`, a SystemExit whose code is 128 + the signal number (130 for SIGINT,
143 for SIGTERM). Being a SystemExit, it passes through `except Exception` and Typer/Click
untouched, `finally` blocks run, and if nobody catches it the process still exits with that
code. The CLI catches it at the top, prints `briefgen: interrupted; nothing was written` (or
which outputs were put in place before the signal: `Interrupted.message_now()`, from
`WRITTEN`) to stderr and exits with `exc.code`.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

STOPPING = frozenset({signal.SIGINT, signal.SIGTERM})  # what stops a command
LIVE: set[str] = set()  # temporary files this process has created and not yet settled
WRITTEN: list[Path] = []  # what this process has put in place (for the interruption's message)


class Interrupted(SystemExit):
    """SIGINT or SIGTERM arrived; `code` is 128 + the signal number."""

    code: int  # SystemExit allows any exit status; this one is always a number

    @staticmethod
    def message_now() -> str:
        """What was written before the signal came (renames done), and that nothing else was."""
        if not WRITTEN:
            return "interrupted; nothing was written"
        return f"interrupted after writing {', '.join(map(str, WRITTEN))}; nothing else was written"

    def __init__(self, signum: int) -> None:
        super().__init__(128 + signum)
        self.signum = signum


def install_signal_handlers() -> None:
    """Turn SIGINT and SIGTERM into `Interrupted` (see the module docstring)."""
    previous = {sig: signal.getsignal(sig) for sig in STOPPING}

    def handler(signum: int, frame: object) -> None:
        remove_live_temporaries()
        for sig, old in previous.items():
            signal.signal(sig, old if old is not None else signal.SIG_DFL)
        raise Interrupted(signum)

    for sig in previous:
        signal.signal(sig, handler)

    default_hook = sys.unraisablehook

    def unraisable(hook: Any) -> None:
        """An `Interrupted` raised inside a weakref callback or `__del__` can only be printed
        by Python (a traceback, and the signal lost): raise it again at the first function
        call or return after this hook (a profile function; a signal sent from here would run
        its handler inside the hook, where Python could only print it again)."""
        if not isinstance(hook.exc_value, Interrupted):
            default_hook(hook)
            return
        stopped, inside = hook.exc_value, sys._getframe()

        def again(frame: Any, event: str, arg: Any) -> None:
            while frame is not None:
                if frame is inside:
                    return
                frame = frame.f_back
            sys.setprofile(None)
            raise stopped

        sys.setprofile(again)

    sys.unraisablehook = unraisable


@contextmanager
def stopping_held() -> Iterator[None]:
    """Within it, Ctrl-C and SIGTERM wait, and are delivered after: for what must not be cut
    off half done (a program run and waited for, children stopped and reaped)."""
    held = signal.pthread_sigmask(signal.SIG_BLOCK, STOPPING)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def remove_live_temporaries() -> None:
    """Remove every temporary file this process has not settled yet (best effort)."""
    for tmp in list(LIVE):
        Path(tmp).unlink(missing_ok=True)
        LIVE.discard(tmp)

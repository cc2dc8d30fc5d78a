"""The PDF engine, started ahead. A one-off `briefgen build` forks it as the command starts:
while the parent reads, checks and renders the trip, the engine imports WeasyPrint and
loads the fonts on another core (a quarter of a card's build, and nothing of it needs the
trip). The build then hands it the output to lay out and write (`outputs.finish`) as it
would hand it to a child it forks: bounded the same way (`worker._child`: memory cap, one
pickled result; the time it was waited for counts against the time cap), reported the same
way. Whatever the parent does not hand it (errors in the trip, --html, several outputs, a
house style, an unexpected error), the engine is stopped and reaped before the command
returns; should the parent die first, the engine is told to leave by the kernel.

Only on Linux with more than one core: where it can run beside the parent, and be tied to
its life. Starting it can only save time: if it cannot start, or is not ready when the
parent is, a child forked as usual does the work. `BRIEFGEN_ENGINE=0` turns it off
(bench/one_offs.py measures both).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from briefgen.files import STOPPING

if TYPE_CHECKING:
    from briefgen import worker

# Every command imports this module (for `wanted`); what only an engine needs is imported
# when there is one.

READY = b"R"


class Engine:
    """The parent's end of an engine started ahead."""

    def __init__(self, pid: int, tasks: int, results: int) -> None:
        self.pid, self.tasks, self.results = pid, tasks, results

    def hand(
        self, task: Callable[[], object], limits: worker.Limits, debug: bool
    ) -> tuple[int, int] | None:
        """Give it the task once it is ready: (its pid, the fd its result comes on), as
        `worker.run_all` expects of a child. None if it failed to start or is not ready
        within the time left: then it is stopped, and the caller forks a child as usual."""
        import pickle
        import selectors

        with selectors.DefaultSelector() as waiting:  # any descriptor number, unlike select()
            waiting.register(self.results, selectors.EVENT_READ)
            ready = waiting.select(limits.seconds_left)
        if not ready or os.read(self.results, 1) != READY:
            self.stop()
            return None
        payload = pickle.dumps((task, limits, debug), protocol=pickle.HIGHEST_PROTOCOL)
        try:
            view = memoryview(payload)
            while view:
                view = view[os.write(self.tasks, view) :]
        except OSError:  # it died since: a broken pipe
            self.stop()
            return None
        os.close(self.tasks)
        handed = self.pid, self.results
        self.pid, self.tasks, self.results = 0, -1, -1  # run_all owns both: it reaps, closes
        return handed

    def stop(self) -> None:
        """Stop it, reap it, close its pipes (once; nothing after it was handed a task)."""
        for fd in (self.tasks, self.results):
            if fd >= 0:
                os.close(fd)
        self.tasks = self.results = -1
        if self.pid:
            from briefgen import worker

            worker.kill_children(only=self.pid)
            self.pid = 0


_ahead: Engine | None = None


def wanted(argv: list[str]) -> bool:
    """Whether these arguments are a PDF build that an engine started ahead would serve."""
    command = next((a for a in argv if not a.startswith("-")), None)
    return (
        command == "build"
        and not {"--html", "--help", "-h", "--version"} & set(argv)
        and os.environ.get("BRIEFGEN_ENGINE", "1") != "0"
        and sys.platform == "linux"
        and len(os.sched_getaffinity(0)) > 1
    )


def start() -> None:
    """Fork the engine (see the module's text); without one if that fails."""
    global _ahead
    from briefgen import worker

    opened: list[int] = []
    try:
        for _ in range(2):
            opened += [_above_stdio(fd) for fd in os.pipe()]
        tasks_read, tasks_write, results_read, results_write = opened
        parent = os.getpid()
        pid = os.fork()
    except OSError:  # out of file descriptors or processes: build without it
        for fd in opened:
            os.close(fd)
        return
    if pid == 0:
        os.close(tasks_write)
        os.close(results_read)
        _serve(tasks_read, results_write, parent)
    os.close(tasks_read)
    os.close(results_write)
    worker.track_child(pid)  # stopped with the others on Ctrl-C or an unexpected error
    _ahead = Engine(pid, tasks_write, results_read)


def take() -> Engine | None:
    """The engine started ahead, once; None if there is none."""
    global _ahead
    engine, _ahead = _ahead, None
    return engine


def stop_unused() -> None:
    """Stop the engine if nothing took it."""
    engine = take()
    if engine is not None:
        engine.stop()


def _above_stdio(fd: int) -> int:
    """The pipe end as a descriptor above 2 (where stdin or stdout was closed, a new pipe
    takes 0 or 1, which the engine points at /dev/null)."""
    if fd > 2:
        return fd
    import fcntl

    try:
        return fcntl.fcntl(fd, fcntl.F_DUPFD, 3)
    finally:
        os.close(fd)


def _serve(tasks: int, results: int, parent: int) -> None:
    """In the engine: load the PDF engine, say so, run the one task handed. Never returns."""
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C for all
        # SIGTERM (from the parent, or the kernel when the parent dies) ends it at once; while
        # WeasyPrint runs `ldconfig` it waits (pdf/startup.py), so that is never left behind.
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPPING)
        _leave_with(parent)
        # Its result goes through the results pipe; it reads nothing and prints nothing. What
        # C libraries say on stderr (a broken fontconfig file) reaches the user as without it.
        quiet = os.open(os.devnull, os.O_RDWR)
        for stream in (0, 1):
            os.dup2(quiet, stream)
        import pickle

        load_pdf_engine()
        os.write(results, READY)
        chunks = []
        while chunk := os.read(tasks, 1 << 20):
            chunks.append(chunk)
        os.close(tasks)
        if not chunks:  # the parent ended without handing it anything
            os._exit(0)
        task, limits, debug = pickle.loads(b"".join(chunks))
    except BaseException:
        # Before READY, the parent forks a child of its own; after it, the build fails as
        # a child's that ended with no result.
        os._exit(70)
    from briefgen import worker

    worker._child(task, results, limits, debug)


def load_pdf_engine() -> None:
    """What the engine loads ahead: WeasyPrint, the fonts, the module of the task."""
    import briefgen.outputs  # noqa: F401  (the task names its function there)
    from briefgen.pdf.fonts import font_config

    font_config()


def _leave_with(parent: int) -> None:
    """Be sent SIGTERM when the parent dies (Linux `prctl(PR_SET_PDEATHSIG)`), and leave
    now if it has already."""
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:
        os._exit(0)

"""Bounded, warm child processes: every build runs in one.

Rendering templates, layout and PDF writing happen in a child forked from the warm parent
(imports, fonts and compiled templates already loaded), with a memory cap (RLIMIT_AS) and
a time cap (the parent kills it past its deadline), bound to the parent's life. A child
sends back one small pickled result through a pipe (an output's bytes go to its file);
whatever happens to it (out of memory, too slow, killed by a signal), the parent gets a
`Failure` with one plain sentence, never a traceback or a hang. `run_all`
keeps up to N children busy at once: the same workers serve one build, many outputs and
watch mode.
"""

from __future__ import annotations

import contextlib
import faulthandler
import gc
import os
import pickle
import resource
import selectors
import signal
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from briefgen.errors import BuildError
from briefgen.interruption import STOPPING, stopping_held
from briefgen.limits import DEFAULT_MAX_MEMORY_MB, DEFAULT_TIMEOUT_SECONDS


@dataclass(frozen=True)
class Limits:
    max_memory_mb: int = DEFAULT_MAX_MEMORY_MB
    timeout: float = DEFAULT_TIMEOUT_SECONDS
    spent: float = 0.0  # of the timeout, by an earlier step of the same job

    @property
    def seconds_left(self) -> float:
        return max(0.0, self.timeout - self.spent)


@dataclass(frozen=True)
class Failure:
    """Why a job produced nothing, in one sentence."""

    message: str


@dataclass(frozen=True)
class Done:
    """A finished job: its index among the tasks, its result (or Failure), and its cost."""

    index: int
    result: object
    seconds: float
    peak_mb: float


_live_children: set[int] = set()


def kill_children(only: int | None = None) -> None:
    """Stop every child still running (on interruption), or the one `only`, and reap it:
    none is ever left behind. SIGTERM, which a child holds back only while a program it
    runs is running (pdf/startup.py: that program is never orphaned); SIGKILL for whatever
    has not gone within a second."""
    stopping = [pid for pid in _live_children if only in (None, pid)]
    if stopping:
        # A second Ctrl-C while they are stopped waits: none is left signalled, unreaped.
        with stopping_held():
            _stop(stopping)


def _stop(stopping: list[int]) -> None:
    for pid in stopping:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    for pid in stopping:
        try:
            for _ in range(100):
                if os.waitpid(pid, os.WNOHANG)[0]:
                    break
                time.sleep(0.01)
            else:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        _live_children.discard(pid)


def _child(
    task: Callable[[], object], write_fd: int, limits: Limits, debug: bool, parent: int
) -> None:
    """In the child: cap memory, run the task, send the result, exit. Never returns. It is
    forked with the stop signals held (the parent registers it first); it leaves them so."""
    status = 0
    try:
        faulthandler.disable()  # a crash is reported by the parent, in one line
        gc.set_threshold(50_000, 50, 50)  # layout makes many objects and few cycles: ~8% faster
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C for all
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        _leave_with(parent)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPPING)
        cap = limits.max_memory_mb * 1024 * 1024
        out_of_memory = _out_of_memory(limits)  # made before the cap: nothing left to allocate
        out_of_memory_data = pickle.dumps(out_of_memory, protocol=pickle.HIGHEST_PROTOCOL)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        try:  # a cap below what this process already maps leaves the build no room at all
            outcome: object = out_of_memory if _address_space() >= cap else task()
        except MemoryError:
            outcome = out_of_memory
        except RecursionError:
            outcome = Failure("the document is nested too deeply to lay out")
        except BaseException as exc:
            if _near_the_cap(cap):  # C code out of memory often fails as something else
                outcome = out_of_memory  # (fontconfig finds no font, a SystemError, ...)
            elif isinstance(exc, BuildError):
                outcome = Failure(str(exc))
            else:
                detail = traceback.format_exc() if debug else ""
                outcome = Failure(
                    f"unexpected error: {type(exc).__name__}: {exc}"
                    + (f"\n{detail}" if detail else " (run again with --debug for the details)")
                )
        try:
            data = (
                out_of_memory_data
                if outcome is out_of_memory
                else pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
            )
        except MemoryError:
            data = out_of_memory_data
        view = memoryview(data)
        while view:
            view = view[os.write(write_fd, view[: 1 << 20]) :]
    except BaseException:
        status = 70
    finally:
        os._exit(status)


def _out_of_memory(limits: Limits) -> Failure:
    return Failure(f"needed more than {limits.max_memory_mb} MB of memory (--max-memory)")


def _near_the_cap(cap: int, peak_kb: int | None = None) -> bool:
    """Whether this process (or the child whose peak is `peak_kb`) came within 10% of its
    memory cap (peak resident size)."""
    if peak_kb is None:
        peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KB on Linux
    return peak_kb * 1024 >= 0.9 * cap


def _address_space() -> int:
    """Bytes of address space this process maps now (what RLIMIT_AS caps), 0 if unknown."""
    try:
        return int(Path("/proc/self/statm").read_bytes().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _leave_with(parent: int) -> None:
    """Be sent SIGTERM when the parent dies (Linux `prctl(PR_SET_PDEATHSIG)`), and leave
    now if it already has: no child outlives its parent, however the parent ends."""
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:
        os._exit(0)


CRASHES = {signal.SIGSEGV, signal.SIGBUS, signal.SIGABRT, signal.SIGTRAP, signal.SIGILL}


def _signal_failure(status: int, limits: Limits, peak_kb: int) -> Failure:
    if os.WIFSIGNALED(status) and (
        os.WTERMSIG(status) in CRASHES and _near_the_cap(limits.max_memory_mb << 20, peak_kb)
    ):
        return _out_of_memory(limits)  # C code out of memory crashes rather than says so
    if os.WIFSIGNALED(status):
        name = signal.Signals(os.WTERMSIG(status)).name
        return Failure(
            f"the PDF engine stopped with signal {name} (it may have needed more "
            f"than {limits.max_memory_mb} MB of memory: --max-memory)"
        )
    return Failure(f"the PDF engine exited with status {os.WEXITSTATUS(status)} and no result")


def run_all(
    tasks: Iterable[Callable[[], object]],
    *,
    workers: int = 1,
    limits: Limits = Limits(),
    debug: bool = False,
    on_start: Callable[[int], None] | None = None,
) -> Iterator[Done]:
    """Run each task in its own bounded child, up to `workers` at once; yield each as it
    finishes (in finishing order; `Done.index` says which). Tasks are taken from `tasks`
    only as a child is free to run them. `on_start(index)` is called as each child starts."""
    pending = enumerate(tasks)
    running: dict[int, tuple[int, int, float, bytearray]] = {}  # fd -> index, pid, start, buf
    selector = selectors.DefaultSelector()
    try:
        while True:
            while len(running) < max(1, workers) and (task := next(pending, None)) is not None:
                index = task[0]
                pid, read_fd = _fork(task[1], limits, debug)
                running[read_fd] = (index, pid, time.monotonic(), bytearray())
                selector.register(read_fd, selectors.EVENT_READ)
                if on_start is not None:
                    on_start(index)
            if not running:
                return
            deadline = min(start + limits.seconds_left for _, _, start, _ in running.values())
            for key, _ in selector.select(max(0.0, deadline - time.monotonic())):
                fd = key.fd
                chunk = os.read(fd, 1 << 20)
                if chunk:
                    running[fd][3].extend(chunk)
                    continue
                yield _finish(selector, running, fd, limits, timed_out=False)
            now = time.monotonic()
            for fd in [
                fd for fd, (_, _, start, _) in running.items() if now - start >= limits.seconds_left
            ]:
                yield _finish(selector, running, fd, limits, timed_out=True)
    finally:
        for fd, (_, pid, _, _) in list(running.items()):  # unfinished: interrupted
            selector.unregister(fd)
            os.close(fd)
            kill_children(only=pid)
        selector.close()


def _fork(task: Callable[[], object], limits: Limits, debug: bool) -> tuple[int, int]:
    """A bounded child running the task: its pid and the fd its result comes on. It is
    forked and registered with the stop signals held: a Ctrl-C finds every child it has."""
    read_fd, write_fd = os.pipe()
    parent = os.getpid()
    with stopping_held():
        gc.freeze()  # the child never scans what the parent made (no copy-on-write)
        pid = os.fork()
        if pid == 0:
            os.close(read_fd)
            _child(task, write_fd, limits, debug, parent)
        gc.unfreeze()  # the parent, long-lived in watch mode, collects as before
        _live_children.add(pid)
    os.close(write_fd)
    return pid, read_fd


def _finish(selector, running, fd: int, limits: Limits, *, timed_out: bool) -> Done:
    index, pid, start, buffer = running.pop(fd)
    selector.unregister(fd)
    os.close(fd)
    if timed_out:
        os.kill(pid, signal.SIGKILL)
    _, status, usage = os.wait4(pid, 0)
    _live_children.discard(pid)
    seconds = time.monotonic() - start
    peak_mb = usage.ru_maxrss / 1024
    if timed_out:
        result: object = Failure(f"took longer than {limits.timeout:g} s (--timeout)")
    elif os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0 and buffer:
        result = pickle.loads(bytes(buffer))
    else:
        result = _signal_failure(status, limits, usage.ru_maxrss)
    return Done(index, result, seconds, peak_mb)

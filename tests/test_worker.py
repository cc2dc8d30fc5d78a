"""The bounded children every build runs in: results, caps, crashes, order."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from briefgen import worker
from briefgen.errors import BuildError

# A child's memory cap as the tests' builds have it (conftest.py): a worker holding laid-out
# documents may map more than the 2 GB default, which a child inherits.
CAP = int(os.environ["BRIEFGEN_MAX_MEMORY"])


def results(tasks, **kwargs) -> dict[int, object]:
    """Each task's result, its child capped at CAP unless `limits` says otherwise."""
    kwargs.setdefault("limits", worker.Limits(CAP))
    return {done.index: done.result for done in worker.run_all(tasks, **kwargs)}


def test_results_come_back_from_each_child():
    got = results([lambda: os.getpid(), lambda: b"x" * 5_000_000], workers=2)
    assert got[0] != os.getpid()  # the work ran elsewhere
    assert got[1] == b"x" * 5_000_000  # large results cross the pipe whole


def test_a_build_error_is_a_failure_with_its_message():
    def fails():
        raise BuildError("no installed font has glyphs")

    assert results([fails]) == {0: worker.Failure("no installed font has glyphs")}


def test_memory_cap():
    def greedy():
        return bytearray(600 * 1024 * 1024)

    [failure] = results([greedy], limits=worker.Limits(max_memory_mb=400)).values()
    assert failure == worker.Failure("needed more than 400 MB of memory (--max-memory)")


def test_time_cap_kills_the_child():
    started = []

    def slow():
        time.sleep(60)

    [done] = list(
        worker.run_all([slow], limits=worker.Limits(CAP, timeout=0.5), on_start=started.append)
    )
    assert done.result == worker.Failure("took longer than 0.5 s (--timeout)")
    assert started == [0]
    assert worker._live_children == set()


def test_time_spent_by_an_earlier_step_counts_against_the_cap():
    def one_second():
        time.sleep(1.0)
        return "done"  # inside a fresh 2 s cap

    limits = worker.Limits(CAP, timeout=2.0, spent=1.7)  # 0.3 s left of the user's 2 s
    [done] = list(worker.run_all([one_second], limits=limits))
    assert done.result == worker.Failure("took longer than 2 s (--timeout)")
    assert worker.Limits(timeout=1.0, spent=3.0).seconds_left == 0.0


def test_a_crash_is_one_line_never_a_hang():
    def crash():
        os.kill(os.getpid(), signal.SIGSEGV)

    [failure] = results([crash]).values()
    assert isinstance(failure, worker.Failure)
    assert failure.message.startswith("the PDF engine stopped with signal SIGSEGV")


def test_an_unexpected_error_is_one_line_without_debug():
    def broken():
        return {}["missing"]

    [failure] = results([broken]).values()
    assert failure.message == (
        "unexpected error: KeyError: 'missing' (run again with --debug for the details)"
    )
    [failure] = results([broken], debug=True).values()
    assert "Traceback" in failure.message


def test_one_failure_stops_no_other():
    def fails():
        raise BuildError("bad")

    got = results([lambda: 1, fails, lambda: 3], workers=2)
    assert got == {0: 1, 1: worker.Failure("bad"), 2: 3}


def test_a_cap_below_what_the_child_already_maps_is_memory_without_running_the_task():
    mapped = int(Path("/proc/self/statm").read_bytes().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    cap = mapped // 2**21  # half what this process, and so the child, maps already
    [failure] = results([lambda: "built"], limits=worker.Limits(cap)).values()
    assert failure == worker.Failure(f"needed more than {cap} MB of memory (--max-memory)")


def test_an_engine_error_near_the_memory_cap_is_reported_as_memory():
    def engine_fails_out_of_memory():
        hoard = bytearray(330 * 1024 * 1024)  # resident: within 10% of the cap below
        hoard[::4096] = b"x" * len(hoard[::4096])
        raise SystemError("error return without exception set")  # as cffi/Pango do

    [failure] = results([engine_fails_out_of_memory], limits=worker.Limits(360)).values()
    assert failure == worker.Failure("needed more than 360 MB of memory (--max-memory)")


def test_stopping_children_holds_ctrl_c_until_each_is_reaped(monkeypatch):
    """A second Ctrl-C while children are stopped waits: none is left signalled, unreaped."""
    pid = os.fork()
    if pid == 0:  # a child that shrugs SIGTERM off: stopped with SIGKILL after a second
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        time.sleep(60)
        os._exit(0)
    held = []
    real_sleep = time.sleep
    monkeypatch.setattr(
        worker.time,
        "sleep",
        lambda s: (
            held.append(signal.SIGINT in signal.pthread_sigmask(signal.SIG_BLOCK, []))
            or real_sleep(s)
        ),
    )
    before = signal.pthread_sigmask(signal.SIG_BLOCK, [])
    worker._live_children.add(pid)
    worker.kill_children(only=pid)
    assert held
    assert all(held)
    assert signal.pthread_sigmask(signal.SIG_BLOCK, []) == before
    assert worker._live_children == set()
    try:
        os.waitpid(pid, os.WNOHANG)
        reaped = False
    except ChildProcessError:
        reaped = True
    assert reaped

"""Ctrl-C (and SIGTERM, SIGKILL, SIGHUP of the parent) at each moment of a build: exit 130
with the previous output untouched and a message that tells the truth, or the build done;
never a traceback, never a process left. Signals are delivered at the exact moments that
were races (patched fork, rename, validation, return), then at random moments."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pypdf
import pytest

from briefgen import worker
from briefgen.errors import BuildError
from conftest import EXAMPLE, MINIMAL, run_cli


def processes_of(session: int, *, zombies: bool = True) -> list[str]:
    """The processes of a session (zombies too, unless `zombies` is False)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()  # state, parent, group, session
        if int(fields[3]) == session and (zombies or fields[0] != "Z"):
            found.append(f"{stat.rsplit(')', 1)[0]}) {fields[0]}, parent {fields[1]}")
    return found


def children() -> set[int]:
    """This process's children, zombies included."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = (entry / "stat").read_text().rsplit(")", 1)[1].split()[1]
            except OSError:
                continue
            if int(parent) == os.getpid():
                found.add(int(entry.name))
    return found


def ctrl_c_self(*_args) -> None:
    """Ctrl-C to the main thread (to the process, another thread of pytest-xdist's would
    take it, as the kernel gives it to a thread that does not hold it back)."""
    signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGINT)


def whole_pdf(path: Path) -> int:
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    return len(pypdf.PdfReader(path).pages)


@pytest.fixture
def trip(tmp_path) -> Path:
    trip = tmp_path / "trip.yaml"
    trip.write_bytes(MINIMAL.read_bytes())
    (tmp_path / "trip-card.pdf").write_bytes(b"previous")
    return trip


def test_ctrl_c_just_after_a_child_is_forked_finds_it(trip, monkeypatch):
    """(It came between the fork and the child's registration: left building, unreaped.)"""
    real_fork = os.fork

    def fork():
        pid = real_fork()
        if pid:
            ctrl_c_self()
        return pid

    before = children()
    monkeypatch.setattr(os, "fork", fork)
    result = run_cli("build", trip, "--layout", "card")
    assert result.returncode == 130, result.stderr
    assert result.stderr.strip().endswith("briefgen: interrupted; nothing was written")
    assert children() - before == set()
    assert (trip.parent / "trip-card.pdf").read_bytes() == b"previous"
    assert sorted(p.name for p in trip.parent.iterdir()) == ["trip-card.pdf", "trip.yaml"]


def test_ctrl_c_just_after_the_rename_says_the_output_was_written(trip, monkeypatch):
    """(It said "nothing was written" although the PDF had been replaced.)"""
    real_replace = os.replace

    def replace(source, target):
        real_replace(source, target)
        ctrl_c_self()

    monkeypatch.setattr(os, "replace", replace)
    result = run_cli("build", trip, "--layout", "card")
    target = trip.parent / "trip-card.pdf"
    assert result.returncode == 130, result.stderr
    assert result.stderr.strip().endswith(
        f"briefgen: interrupted after writing {target}; nothing else was written"
    )
    assert whole_pdf(target) == 1


def test_ctrl_c_inside_validation_waits_for_it(trip, monkeypatch):
    """(Cut off inside pydantic-core, validation reported false errors.)"""
    from briefgen.model import TripFile

    real = TripFile.model_validate.__func__
    finished = []

    def validate(cls, data, **kwargs):
        ctrl_c_self()
        model = real(cls, data, **kwargs)
        finished.append(True)
        return model

    monkeypatch.setattr(TripFile, "model_validate", classmethod(validate))
    result = run_cli("check", trip)
    assert result.returncode == 130
    assert finished == [True]
    assert result.stderr.strip() == "briefgen: interrupted; nothing was written"


# The console entry point, with a Ctrl-C just after `main` has returned.
AFTER_MAIN = """
import os, signal, sys
from briefgen import __main__ as entry, cli
real_main = cli.main
def main():
    code = real_main()
    os.kill(os.getpid(), signal.SIGINT)
    return code
cli.main = main
sys.argv = ["briefgen", "check", sys.argv[1]]
entry.run()
"""


def test_ctrl_c_after_main_returns_changes_nothing(trip):
    """(A KeyboardInterrupt traceback and exit -2.)"""
    done = subprocess.run(
        [sys.executable, "-c", AFTER_MAIN, str(trip)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr  # the body-clock warning of the example may stand
    assert "interrupt" not in done.stderr
    assert done.stdout.startswith(f"{trip}: ok")


def test_c_failures_near_the_memory_cap_are_the_memory_sentence(monkeypatch):
    """Out of memory, fontconfig finds no font and C code crashes (SIGTRAP, SIGSEGV...)."""
    memory = worker.Failure("needed more than 300 MB of memory (--max-memory)")
    limits = worker.Limits(max_memory_mb=300)
    near, far = int(0.95 * 300 * 1024), 100 * 1024  # peak resident sizes in KB
    for crash in (signal.SIGTRAP, signal.SIGSEGV, signal.SIGABRT):
        assert worker._signal_failure(crash, limits, near) == memory  # status: killed by it
        assert worker._signal_failure(crash, limits, far) != memory
    assert worker._signal_failure(signal.SIGKILL, limits, near) != memory

    def no_font():
        raise BuildError("no installed font has glyphs for Chinese text")

    monkeypatch.setattr(worker, "_near_the_cap", lambda cap, peak=None: True)  # the child's
    [done] = worker.run_all([no_font], limits=limits)
    assert done.result == memory


# A house style that keeps the bounded child busy for as long as it is let.
LOOPING = (
    '{% extends "builtin/book.html.j2" %}{% block purpose %}{% for a in range(100000) %}'
    "{% for b in range(100000) %}{% endfor %}{% endfor %}{% endblock %}"
)


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGHUP])
def test_the_bounded_child_dies_with_its_parent(tmp_path, signum):
    """(Under PID 1, the child ran its loop to the end: 272 s of CPU.)"""
    trip = tmp_path / "trip.yaml"
    trip.write_bytes(MINIMAL.read_bytes())
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "book.html.j2").write_text(LOOPING)
    with subprocess.Popen(
        [sys.executable, "-m", "briefgen", "build", str(trip), "--timeout", "5"],
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    ) as parent:
        deadline = time.monotonic() + 60
        while len(processes_of(parent.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(1.5)  # well into the loop
        assert len(processes_of(parent.pid)) == 2, "the build never forked its child"
        parent.send_signal(signum)
        parent.wait(timeout=10)
    deadline = time.monotonic() + 2
    while processes_of(parent.pid, zombies=False) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert processes_of(parent.pid, zombies=False) == []


def holds_stop_signals(pid: int) -> bool:
    """Whether briefgen's code has started in process `pid` (its first act holds Ctrl-C
    back; before it, the signal lands in the interpreter's own start-up)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    blocked = next(line for line in status.splitlines() if line.startswith("SigBlk:"))
    return bool(int(blocked.split()[1], 16) & (1 << (signal.SIGINT - 1)))


def interrupt_at(argv: list, after: float, outputs: list[Path]) -> tuple[int, str]:
    """Run `briefgen ARGV` in a session of its own, Ctrl-C it `after` seconds after its code
    started; check the
    outcome is one of the two allowed (see the module's text); (exit code, stderr)."""
    for output in outputs:
        output.write_bytes(b"previous")
    with subprocess.Popen(
        [sys.executable, "-m", "briefgen", *map(str, argv)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    ) as process:
        while not holds_stop_signals(process.pid) and process.poll() is None:
            time.sleep(0.001)
        time.sleep(after)
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=120)
    code = process.returncode
    assert "Traceback" not in stderr
    assert processes_of(process.pid) == []
    if code == 0:
        for output in outputs:
            whole_pdf(output)
        return code, stderr
    assert code == 130, stderr
    last = stderr.strip().splitlines()[-1]
    for output in outputs:
        if str(output) in last:  # said to be written: it was, whole
            whole_pdf(output)
        else:
            assert output.read_bytes() == b"previous", last
    leftovers = {p.name for p in outputs[0].parent.iterdir() if p.name.endswith(".tmp")}
    assert leftovers == set()
    return code, stderr


def deliveries() -> tuple[int, int]:
    """`BRIEFGEN_CTRL_C_DELIVERIES=N+M`: N Ctrl-C over single-trip builds, M over `-j 2`."""
    spec = os.environ.get("BRIEFGEN_CTRL_C_DELIVERIES", "15+6")
    single, _, parallel = spec.partition("+")
    try:
        counts = int(single), int(parallel)
    except ValueError:
        pytest.fail(f"BRIEFGEN_CTRL_C_DELIVERIES={spec!r}: expected N+M, such as 50+20")
    if min(counts) < 1:
        pytest.fail(f"BRIEFGEN_CTRL_C_DELIVERIES={spec!r}: both counts must be at least 1")
    return counts


@pytest.mark.slow
def test_ctrl_c_at_random_moments_leaves_nothing_behind(tmp_path):
    """Ctrl-C at random moments: N deliveries over a build of the example's memo (four in
    five) and book, M over `-j 2` of two trips' cards: every one counts (none is skipped),
    whether it lands before, during or after the work. N+M is 15+6 by default;
    `BRIEFGEN_CTRL_C_DELIVERIES=50+20` sets them, and 50+20 is the acceptance run of
    issue 20 (README, "Checks and benchmarks"). The moments are drawn from seed 20, or
    from `BRIEFGEN_CTRL_C_SEED`."""
    single, parallel = deliveries()
    rng = random.Random(int(os.environ.get("BRIEFGEN_CTRL_C_SEED", "20")))
    trip = tmp_path / "trip.yaml"
    trip.write_bytes(EXAMPLE.read_bytes())
    shutil.copytree(EXAMPLE.parent / "library", tmp_path / "library")  # a link out is refused
    other = tmp_path / "other.yaml"
    other.write_bytes(MINIMAL.read_bytes())
    memo, book = tmp_path / "memo.pdf", tmp_path / "book.pdf"
    cards = [tmp_path / "trip-card.pdf", tmp_path / "other-card.pdf"]
    runs = [
        (["build", trip, "--layout", "memo", "-o", memo], [memo], single - single // 5),
        (["build", trip, "-o", book], [book], single // 5),
        (["build", trip, other, "--layout", "card", "-j", "2"], cards, parallel),
    ]
    outcomes = []
    for argv, outputs, count in runs:
        if not count:
            continue
        started = time.monotonic()
        assert subprocess.run([sys.executable, "-m", "briefgen", *map(str, argv)]).returncode == 0
        span = 1.2 * (time.monotonic() - started)
        for _ in range(count):
            outcomes.append(interrupt_at(argv, rng.uniform(0, span), outputs)[0])
    assert len(outcomes) == single + parallel
    assert 130 in outcomes  # the signal did land during work


# An Interrupted raised inside a weakref callback: Python can only print it ("Exception
# ignored"); the unraisable hook must deliver the signal again after it returns.
IN_A_CALLBACK = """
import signal, weakref
from briefgen.interruption import Interrupted, install_signal_handlers
install_signal_handlers()
class Thing: pass
def callback(_):
    raise Interrupted(signal.SIGINT)
thing = Thing()
ref = weakref.ref(thing, callback)
try:
    del thing
    for _ in range(1000):
        pass
    print("went on")
except Interrupted:
    print("stopped")
"""


def test_an_interrupt_inside_a_weakref_callback_stops_the_command_after_it():
    """(os.kill in the hook ran the handler inside it: 'Exception ignored', a traceback, and
    the command went on; the clean clone's random Ctrl-C test caught it.)"""
    done = subprocess.run(
        [sys.executable, "-c", IN_A_CALLBACK], capture_output=True, text=True, timeout=60
    )
    assert done.stdout.strip() == "stopped", done.stderr
    assert "Traceback" not in done.stderr
    assert "Exception ignored" not in done.stderr


def test_ctrl_c_while_a_module_makes_its_classes_is_an_interruption(trip, monkeypatch):
    """(Landing in a dataclass field's `__set_name__` as `briefgen.pipeline` was first
    imported, it came back as "unexpected error: RuntimeError: Error calling __set_name__",
    exit 1: the acceptance run of 50+20 random deliveries caught it.)"""
    from briefgen import intake

    real = intake.read_valid

    class Field:
        def __set_name__(self, owner, name):
            ctrl_c_self()
            time.sleep(0.01)  # the handler runs here, inside __set_name__

    def read_valid(*args, **kwargs):
        type("Request", (), {"options": Field()})  # as a module's class statement does
        return real(*args, **kwargs)

    monkeypatch.setattr(intake, "read_valid", read_valid)
    result = run_cli("check", trip)
    assert result.returncode == 130, result.stderr
    assert result.stderr.strip() == "briefgen: interrupted; nothing was written"


def test_an_error_raised_from_none_while_handling_a_ctrl_c_is_an_error(trip, monkeypatch):
    """An error that says it stands alone (`raise ... from None`) is not taken for the
    Ctrl-C it was raised while handling: exit 1 and its own words, not 'interrupted'."""
    from briefgen import intake

    def read_valid(*args, **kwargs):
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt:
            raise ValueError("a fault of its own") from None

    monkeypatch.setattr(intake, "read_valid", read_valid)
    result = run_cli("check", trip)
    assert result.returncode == 1, result.stderr
    assert "a fault of its own" in result.stderr
    assert "interrupted" not in result.stderr

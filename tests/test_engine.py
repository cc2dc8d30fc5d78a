"""The PDF engine started ahead (briefgen/engine.py): what a whole process shows. Each
build runs in a session of its own, so that anything it leaves running is found."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import EXAMPLE, MINIMAL

pytestmark = pytest.mark.skipif(
    not hasattr(os, "fork") or len(os.sched_getaffinity(0)) < 2,
    reason="the engine starts ahead only where it can run beside the parent",
)

# `briefgen ARGV` through its console entry point, telling what the parent imported, which
# hand-offs the engine took, and which children were still running when it returned.
PROBE = """
import json, os, sys, time
from briefgen import __main__ as entry, engine, pipeline
HANDED = []
real_hand = engine.Engine.hand
def hand(self, *args):
    handed = real_hand(self, *args)
    HANDED.append(handed is not None)
    return handed
engine.Engine.hand = hand
{setup}
sys.argv = ["briefgen", *{argv!r}]
try:
    entry.run()
except SystemExit as exc:
    code = exc.code
children = []
for entry in os.listdir("/proc"):
    try:
        fields = open(f"/proc/{{entry}}/stat").read().rsplit(")", 1)[1].split()
    except OSError:
        continue
    if int(fields[1]) == os.getpid():
        children.append(entry)
print(json.dumps({{
    "code": code,
    "children": children,
    "weasyprint_in_parent": "weasyprint" in sys.modules,
    "handed": HANDED,
}}))
"""

# The engine, once forked, takes a minute to load (patched before it is forked).
SLOW_ENGINE = "engine.load_pdf_engine = lambda: time.sleep(60)"


def left_running(session: int) -> list[str]:
    """The processes of a session, zombies included (nothing of a finished command may
    remain, not even unreaped)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[3]) == session:  # pid (name) state, parent
            found.append(f"{stat.rsplit(')', 1)[0]}) {fields[0]}, parent {fields[1]}")
    return found


def probe(argv: list, setup: str = "", engine: bool = True) -> dict:
    """Run PROBE in a session of its own: its result, its stderr, and whatever of it is
    still there once it has exited (its session is its pid)."""
    with subprocess.Popen(
        [sys.executable, "-c", PROBE.format(argv=[str(a) for a in argv], setup=setup)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env={**os.environ, "BRIEFGEN_ENGINE": "1" if engine else "0"},
    ) as process:
        stdout, stderr = process.communicate(timeout=180)
    assert stdout, stderr
    found = json.loads(stdout.strip().splitlines()[-1])
    found = {**found, "stderr": stderr, "left_running": left_running(process.pid)}
    assert found["children"] == [], "the command returned with a child still there"
    return found


def trip_in(folder: Path) -> Path:
    trip = folder / "trip.yaml"
    trip.write_bytes(MINIMAL.read_bytes())
    return trip


def test_a_one_off_build_is_laid_out_by_the_engine_started_ahead(tmp_path):
    trip = trip_in(tmp_path)
    ahead = probe(["build", trip, "--layout", "card", "-o", tmp_path / "ahead.pdf"])
    alone = probe(["build", trip, "--layout", "card", "-o", tmp_path / "alone.pdf"], engine=False)
    assert ahead["code"] == alone["code"] == 0, ahead["stderr"] + alone["stderr"]
    assert ahead["handed"] == [True]
    assert alone["handed"] == []
    assert ahead["weasyprint_in_parent"] is False  # the engine laid it out
    assert alone["weasyprint_in_parent"] is True  # the control: the parent loads it itself
    assert (tmp_path / "ahead.pdf").read_bytes() == (tmp_path / "alone.pdf").read_bytes()
    assert ahead["left_running"] == alone["left_running"] == []


HOUSE_STYLE = '{% extends "builtin/book.html.j2" %}'


@pytest.mark.parametrize(
    ("case", "code", "loads_pdf_engine_itself"),
    [
        ("invalid trip", 1, False),
        ("usage error", 2, False),
        ("html", 0, False),
        ("two outputs", 0, True),
        ("house style", 0, True),
    ],
)
def test_an_engine_not_needed_is_stopped(tmp_path, case, code, loads_pdf_engine_itself):
    trip = trip_in(tmp_path)
    argv: list = ["build", trip]
    if case == "invalid trip":
        trip.write_text(trip.read_text().replace("briefgen: 1", "briefgen: 1\nnonsense: 2", 1))
    elif case == "usage error":
        argv += ["--layout", "nope"]
    elif case == "html":
        argv += ["-o", tmp_path / "out.html"]
    elif case == "two outputs":
        argv += ["--layout", "memo,card"]
    else:
        (tmp_path / "templates").mkdir()
        (tmp_path / "templates" / "book.html.j2").write_text(HOUSE_STYLE)
    found = probe(argv)
    assert found["code"] == code, found["stderr"]
    assert found["weasyprint_in_parent"] is loads_pdf_engine_itself
    assert found["handed"] == []
    assert found["left_running"] == []


def test_an_unexpected_error_stops_the_engine(tmp_path):
    found = probe(
        ["build", trip_in(tmp_path), "--layout", "card"],
        setup="pipeline._with_engine = lambda *args: 1 / 0",
    )
    assert found["code"] == 1
    assert "unexpected error: ZeroDivisionError" in found["stderr"]
    assert found["left_running"] == []


def test_the_engine_leaves_when_the_parent_dies(tmp_path):
    """Killed outright, the parent stops nothing: the kernel tells the engine."""
    script = PROBE.format(
        argv=["build", str(trip_in(tmp_path))],
        setup=SLOW_ENGINE + "\nreal_start = engine.start\n"
        "engine.start = lambda: real_start() or os.kill(os.getpid(), 9)",
    )
    with subprocess.Popen([sys.executable, "-c", script], start_new_session=True) as process:
        assert process.wait(timeout=60) == -9
    for _ in range(300):  # the engine would sleep a minute: gone long before that
        if not left_running(process.pid):
            break
        time.sleep(0.1)
    assert left_running(process.pid) == []


def test_engine_fails_to_fork_the_build_goes_on(tmp_path):
    found = probe(
        ["build", trip_in(tmp_path), "--layout", "card", "-o", tmp_path / "out.pdf"],
        setup="import types\n"
        "def refuse():\n    raise BlockingIOError(11, 'Resource temporarily unavailable')\n"
        "engine.os = types.SimpleNamespace(**{**vars(os), 'fork': refuse})",
    )
    assert found["code"] == 0, found["stderr"]
    assert found["handed"] == []  # there was none
    assert found["weasyprint_in_parent"] is True
    assert (tmp_path / "out.pdf").exists()
    assert found["left_running"] == []


def test_an_engine_started_with_stdin_closed_still_serves(tmp_path):
    """Its pipes then take descriptor 0, which it points at /dev/null: moved above 2."""
    found = probe(
        ["build", trip_in(tmp_path), "--layout", "card", "-o", tmp_path / "out.pdf"],
        setup="os.close(0)",
    )
    assert found["code"] == 0, found["stderr"]
    assert found["handed"] == [True]


def test_waiting_for_the_engine_counts_against_the_time_cap(tmp_path):
    found = probe(
        [
            "build",
            trip_in(tmp_path),
            "--layout",
            "card",
            "--timeout",
            "3",
            "-o",
            tmp_path / "o.pdf",
        ],
        setup=SLOW_ENGINE,
    )
    assert found["code"] == 1
    assert found["handed"] == [False]  # not ready within the cap: stopped
    assert "took longer than 3 s (--timeout); nothing was written" in found["stderr"]
    assert not (tmp_path / "trip-card.pdf").exists()
    assert found["left_running"] == []


def test_an_engine_that_failed_to_start_leaves_the_work_to_a_child(tmp_path):
    trip = trip_in(tmp_path)
    probe(["build", trip, "--layout", "card", "-o", tmp_path / "alone.pdf"], engine=False)
    broken = probe(
        ["build", trip, "--layout", "card", "-o", tmp_path / "broken.pdf"],
        setup="engine._serve = lambda tasks, results, parent: os._exit(70)",
    )
    assert broken["code"] == 0, broken["stderr"]
    assert broken["handed"] == [False]  # it never said it was ready: a child did the work
    assert (tmp_path / "broken.pdf").read_bytes() == (tmp_path / "alone.pdf").read_bytes()
    assert broken["left_running"] == []


def test_the_time_cap_covers_both_steps_and_names_the_users_cap(tmp_path):
    (tmp_path / "out.pdf").write_bytes(b"previous")
    found = probe(["build", EXAMPLE, "--timeout", "0.5", "-o", tmp_path / "out.pdf"])
    assert found["code"] == 1
    assert (
        "build failed: took longer than 0.5 s (--timeout); nothing was written" in (found["stderr"])
    )
    assert (tmp_path / "out.pdf").read_bytes() == b"previous"
    assert found["left_running"] == []


@pytest.mark.slow
@pytest.mark.parametrize("after", [0.0, 0.1, 0.3, 1.5, 3.0])
def test_ctrl_c_at_any_moment_leaves_nothing_behind(tmp_path, after):
    """`after` seconds once the engine is forked: the command still importing (its
    handlers not installed yet), the engine loading, waiting, or laying the book out."""
    (tmp_path / "out.pdf").write_bytes(b"previous")
    process = subprocess.Popen(
        [sys.executable, "-m", "briefgen", "build", str(EXAMPLE), "-o", str(tmp_path / "out.pdf")],
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env={**os.environ, "BRIEFGEN_ENGINE": "1"},
    )
    for _ in range(6000):
        if len(left_running(process.pid)) > 1:  # the engine is forked
            break
        time.sleep(0.01)
    time.sleep(after)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    if process.returncode == 0:  # a fast machine finished first: nothing to interrupt
        pytest.skip("the build finished before the signal")
    assert process.returncode == 130, stderr
    assert stderr.strip().endswith("interrupted; nothing was written")
    assert "Traceback" not in stderr
    assert (tmp_path / "out.pdf").read_bytes() == b"previous"
    assert left_running(process.pid) == []


def test_an_engine_on_descriptors_past_1024_still_serves(tmp_path):
    """(select() cannot wait on them: the build failed with `unexpected error`.)"""
    import resource

    if resource.getrlimit(resource.RLIMIT_NOFILE)[0] < 1200:
        pytest.skip("this machine allows too few open files")
    found = probe(
        ["build", trip_in(tmp_path), "--layout", "card", "-o", tmp_path / "out.pdf"],
        setup="held = [os.open(os.devnull, os.O_RDONLY) for _ in range(1100)]",
    )
    assert found["code"] == 0, found["stderr"]
    assert found["handed"] == [True]


def test_what_c_libraries_print_in_the_engine_reaches_stderr(tmp_path):
    broken = tmp_path / "fonts.conf"
    broken.write_text("<fontconfig><broken")
    with subprocess.Popen(
        [sys.executable, "-m", "briefgen", "build", str(trip_in(tmp_path)), "--layout", "card"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env={**os.environ, "BRIEFGEN_ENGINE": "1", "FONTCONFIG_FILE": str(broken)},
    ) as process:
        _, stderr = process.communicate(timeout=180)
    assert "Fontconfig error" in stderr
    assert left_running(process.pid) == []

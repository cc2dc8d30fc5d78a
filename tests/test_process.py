"""What only a whole process shows: signals, children, many outputs in one run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import MINIMAL, run_cli


def children_of(pid: int) -> list[int]:
    """Forked children of `pid` (same command line), not the helpers it may spawn briefly."""
    found = []
    try:
        own = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return found
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid and cmdline == own:
                found.append(int(entry.name))
    return found


@pytest.mark.slow
@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_during_a_build_leaves_nothing_behind(tmp_path, signum, code):
    trip = tmp_path / "trip.yaml"
    trip.write_bytes(MINIMAL.read_bytes())
    (tmp_path / "templates").mkdir()  # a house style that keeps the child busy
    (tmp_path / "templates" / "book.html.j2").write_text(
        '{% extends "builtin/book.html.j2" %}{% block purpose %}{% for a in range(100000) %}'
        "{% for b in range(100000) %}{% endfor %}{% endfor %}{% endblock %}"
    )
    (tmp_path / "trip.pdf").write_bytes(b"previous")
    process = subprocess.Popen(
        [sys.executable, "-m", "briefgen", "build", str(trip)], stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 60
    while not children_of(process.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    child = children_of(process.pid)
    assert child, "the build never started its child"
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == code
    assert stderr.strip().endswith("interrupted; nothing was written")
    assert "Traceback" not in stderr
    assert (tmp_path / "trip.pdf").read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["templates", "trip.pdf", "trip.yaml"]
    assert (
        not Path(f"/proc/{child[0]}").exists()
        or "Z" in Path(f"/proc/{child[0]}/stat").read_text().rsplit(")", 1)[1].split()[0]
    )


@pytest.mark.slow
def test_many_outputs_keep_the_argument_order_and_one_failure_stops_no_other(tmp_path):
    """c, a, b x memo, card with 2 workers: a does not validate; b's house card fails in its
    bounded child. Every other output is written, reported in the order of the arguments
    (trip, then layout); the exit code says something failed."""
    (tmp_path / "c.yaml").write_bytes(MINIMAL.read_bytes())
    (tmp_path / "a.yaml").write_text(MINIMAL.read_text().replace("briefgen: 1", "briefgen: 2"))
    folder = tmp_path / "b"
    (folder / "templates").mkdir(parents=True)
    (folder / "b.yaml").write_bytes(MINIMAL.read_bytes())
    (folder / "templates" / "card.html.j2").write_text(
        '{% extends "base.html.j2" %}{% block content %}{{ no_such.thing }}{% endblock %}'
    )
    trips = [tmp_path / "c.yaml", tmp_path / "a.yaml", folder / "b.yaml"]
    result = run_cli("build", *trips, "--layout", "memo,card", "-j", "2")
    assert result.returncode == 1
    assert [line.split(" (")[0] for line in result.stdout.splitlines()] == [
        f"{tmp_path / 'c.yaml'} -> {tmp_path / 'c-memo.pdf'}",
        f"{tmp_path / 'c.yaml'} -> {tmp_path / 'c-card.pdf'}",
        f"{folder / 'b.yaml'} -> {folder / 'b-memo.pdf'}",
    ]
    assert not (tmp_path / "a-memo.pdf").exists()
    assert not (folder / "b-card.pdf").exists()
    assert "a.yaml:1:" in result.stderr
    assert "format version 2" in result.stderr
    assert "card.html.j2:1:" in result.stderr
    assert "nothing was written" in result.stderr


@pytest.mark.slow
def test_a_folder_builds_every_trip_in_it_but_not_its_libraries(tmp_path):
    for name in ("one", "two"):
        (tmp_path / f"{name}.yaml").write_bytes(MINIMAL.read_bytes())
    (tmp_path / "people.yaml").write_text("briefgen-library: 1\npeople: {}\n")
    (tmp_path / "notes.yaml").write_text("agenda ideas: [dinner]\n")  # not a trip: noted
    result = run_cli("build", tmp_path, "--layout", "card", "-j", "2")
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"{tmp_path / 'notes.yaml'}: skipped: not a trip file (no `briefgen: 1` line)"
    ]
    assert [line.split(" -> ")[1].split(" (")[0] for line in result.stdout.splitlines()] == [
        str(tmp_path / "one-card.pdf"),
        str(tmp_path / "two-card.pdf"),
    ]
    assert not (tmp_path / "people-card.pdf").exists()


def test_a_folder_without_a_trip_file_is_an_error(tmp_path):
    (tmp_path / "people.yaml").write_text("briefgen-library: 1\npeople: {}\n")
    result = run_cli("build", tmp_path)
    assert result.returncode == 1
    assert result.stderr == f"{tmp_path}: no trip file in this folder (YAML with `briefgen: 1`)\n"


def test_output_through_a_link_or_onto_a_device_is_refused_before_building(tmp_path):
    trip = tmp_path / "trip.yaml"
    trip.write_bytes(MINIMAL.read_bytes())
    (tmp_path / "other.pdf").write_bytes(b"keep me")
    (tmp_path / "link.pdf").symlink_to(tmp_path / "other.pdf")
    result = run_cli("build", trip, "-o", tmp_path / "link.pdf")
    assert result.returncode == 1
    assert "refusing to write through a symbolic link" in result.stderr
    assert (tmp_path / "other.pdf").read_bytes() == b"keep me"
    result = run_cli("build", trip, "-o", "/dev/null")  # refused as a name already
    assert result.returncode == 2
    assert "must end in .pdf or .html" in result.stderr
    os.mkfifo(tmp_path / "fifo.pdf")
    result = run_cli("build", trip, "-o", tmp_path / "fifo.pdf")
    assert result.returncode == 1
    assert "is a FIFO" in result.stderr

"""`briefgen watch` as its own process: edit -> new PDF; bad edit -> old PDF intact and a
located error; fix -> rebuilt; Ctrl-C -> clean exit, nothing half-written."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import MINIMAL, ROOT
from helpers import page_texts

DEADLINE = 240  # seconds for any one step on a loaded machine (never a timing assertion)


class Watcher:
    def __init__(self, trip: Path, out: Path):
        self.lines: list[str] = []
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "briefgen", "watch", str(trip), "-o", str(out)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, text: str, count: int = 1) -> None:
        end = time.monotonic() + DEADLINE
        while sum(text in line for line in self.lines) < count:
            assert self.proc.poll() is None, "\n".join(self.lines)
            assert time.monotonic() < end, f"no {text!r} in:\n" + "\n".join(self.lines)
            time.sleep(0.1)


@pytest.mark.slow
def test_watch_rebuilds_keeps_the_last_good_pdf_and_exits_cleanly(tmp_path):

    trip, out = tmp_path / "trip.yaml", tmp_path / "trip.pdf"
    good = MINIMAL.read_text(encoding="utf-8")
    trip.write_text(good, encoding="utf-8")
    watcher = Watcher(trip, out)
    try:
        watcher.wait_for("watching")
        assert out.exists()

        trip.write_text(good.replace("start: 13:00", "start: 14:15"), encoding="utf-8")
        watcher.wait_for("rebuilt in")
        rebuilt = out.read_bytes()
        assert "14:15" in " ".join(page_texts(out))

        trip.write_text(good.replace("start: 13:00", "start: 7:5"), encoding="utf-8")
        watcher.wait_for("not rebuilt")
        assert any(
            line.startswith(f"{trip}:") and "'7:5' is not a valid time" in line
            for line in watcher.lines
        )
        assert out.read_bytes() == rebuilt  # the last good PDF, intact

        trip.write_text(good.replace("start: 13:00", "start: 15:45"), encoding="utf-8")
        watcher.wait_for("rebuilt in", count=2)
        assert "15:45" in " ".join(page_texts(out))
    finally:
        watcher.proc.send_signal(signal.SIGINT)
        code = watcher.proc.wait(timeout=DEADLINE)
    assert code == 0, "\n".join(watcher.lines)
    assert "stopped watching" in watcher.lines[-1]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["trip.pdf", "trip.yaml"]


@pytest.mark.slow
def test_a_rebuild_whose_pages_moved_prints_the_bytes_of_a_cold_build(tmp_path):
    """Under watch, page references come from the last layout (pagerefs.py); an edit that
    pushes every section a page on is still printed exactly as a cold build prints it."""
    from conftest import CORPUS, run_cli

    trip, out = tmp_path / "trip.yaml", tmp_path / "trip.pdf"
    good = (CORPUS / "good" / "printing.yaml").read_text(encoding="utf-8")
    trip.write_text(good, encoding="utf-8")
    longer = good.replace(
        "scenesetter:\n",
        "scenesetter:\n"
        + "".join(f"  - Background paragraph {n}. {'Context. ' * 60}\n" for n in range(8)),
    )
    watcher = Watcher(trip, out)
    try:
        watcher.wait_for("watching")
        trip.write_text(longer, encoding="utf-8")
        watcher.wait_for("rebuilt in")
    finally:
        watcher.proc.send_signal(signal.SIGINT)
        watcher.proc.wait(timeout=DEADLINE)
    cold = tmp_path / "cold.pdf"
    assert run_cli("build", trip, "-o", cold).returncode == 0
    assert out.read_bytes() == cold.read_bytes()

"""Is a rebuild under `briefgen watch` faster than a cold build? Prints a ratio, never asserts.

    python bench/watch_vs_build.py [TRIP] [--runs 5]

(a) `briefgen build TRIP` in a fresh process each run, end to end; (b) one `briefgen watch`
process on a copy of TRIP: after its first build, each run edits the copy (a time moves by
a minute) and times the wall clock from the write to the watcher's "rebuilt in" line (the
file-system notice, the debounce, load, validate, render, PDF, atomic write). Prints the
medians and the ratio b/a (the goal: at most 0.8).
"""

from __future__ import annotations

import argparse
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def cold(trip: Path, out: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "briefgen", "build", str(trip), "-o", str(out)],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    return time.perf_counter() - start


def warm(trip: Path, out: Path, runs: int) -> list[float]:
    lines: list[str] = []
    proc = subprocess.Popen(
        [sys.executable, "-m", "briefgen", "watch", str(trip), "-o", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=ROOT,
    )
    threading.Thread(
        target=lambda: lines.extend(line.rstrip() for line in proc.stdout), daemon=True
    ).start()

    def wait(text: str, count: int) -> None:
        while sum(text in line for line in lines) < count:
            if proc.poll() is not None:
                raise SystemExit("\n".join(lines))
            time.sleep(0.005)

    times = []
    try:
        wait("watching", 1)
        source = trip.read_text(encoding="utf-8")
        for run in range(runs):
            minute = f"{run * 7 + 1:02d}"  # never the minute the example has (:00, :30)
            edited, n = re.subn(
                r'start: "?(\d\d):\d\d"?', rf'start: "\g<1>:{minute}"', source, count=1
            )
            assert n == 1, "the trip needs a timed event"
            start = time.perf_counter()
            trip.write_text(edited, encoding="utf-8")
            wait("rebuilt in", run + 1)
            times.append(time.perf_counter() - start)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("trip", nargs="?", default=str(ROOT / "briefs" / "beijing-2023.yaml"))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        trip = folder / "trip.yaml"
        shutil.copy(args.trip, trip)
        libraries = Path(args.trip).parent / "library"  # the example's who's-who and papers
        if libraries.is_dir():
            shutil.copytree(libraries, folder / "library")
        builds = [cold(trip, folder / "cold.pdf") for _ in range(args.runs)]
        rebuilds = warm(trip, folder / "warm.pdf", args.runs)
    a, b = statistics.median(builds), statistics.median(rebuilds)
    print(f"cold build (fresh process): median {a:.2f} s over {args.runs} runs")
    print(f"rebuild under watch:        median {b:.2f} s over {args.runs} runs")
    print(f"ratio watch/build: {b / a:.2f} (goal: at most 0.8)")


if __name__ == "__main__":
    main()

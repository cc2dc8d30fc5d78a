"""Many outputs in one run vs one process per output. Prints ratios, never asserts.

    python bench/many_outputs.py [--trips 20] [--layout memo] [-j 2]

Generates N small trips (the minimal test trip with other titles), then times
(a) `briefgen build T1 ... TN --layout L -j J` (one process, warm forked workers) and
(b) N separate `briefgen build Ti --layout L` processes one after another.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "corpus" / "good" / "minimal.yaml"


def run(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trips", type=int, default=20)
    parser.add_argument("--layout", default="memo")
    parser.add_argument("-j", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    briefgen = [sys.executable, "-m", "briefgen", "build"]
    with tempfile.TemporaryDirectory() as tmp:
        trips = []
        for n in range(args.trips):
            trip = Path(tmp) / f"trip-{n:02d}.yaml"
            trip.write_text(
                MINIMAL.read_text(encoding="utf-8").replace("title:", f"title: Trip {n} –", 1),
                encoding="utf-8",
            )
            trips.append(str(trip))
        one_run = run([*briefgen, *trips, "--layout", args.layout, "-j", str(args.j)])
        separate = sum(run([*briefgen, trip, "--layout", args.layout]) for trip in trips)
    n = args.trips
    print(f"{n} trips x {args.layout}, {os.cpu_count()} cores")
    print(f"one run, -j {args.j}      : {one_run:6.2f} s  ({one_run / n:.2f} s per output)")
    print(f"{n} separate processes: {separate:6.2f} s  ({separate / n:.2f} s per output)")
    print(f"speed-up: {separate / one_run:.2f}x")


if __name__ == "__main__":
    main()

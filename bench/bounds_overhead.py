"""What the bounded child costs a build. Prints a ratio, never asserts.

    python bench/bounds_overhead.py [TRIP] [--layout book] [--runs 7]

In one warm process, alternating: (a) `outputs.make(job)` called directly (no child, no
bounds), (b) `pipeline.build([job])` as `briefgen build` runs it (forked child with memory and
time caps, result pickled back, output written atomically). Prints medians and b/a.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefgen import outputs, pipeline, plans  # noqa: E402
from briefgen.load import load  # noqa: E402
from briefgen.validate import validate  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("trip", nargs="?", default=str(ROOT / "briefs" / "beijing-2023.yaml"))
    parser.add_argument("--layout", default="book")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    trip = Path(args.trip).resolve()
    brief = validate(load(trip))
    options = plans.Options(workers=1)
    with tempfile.TemporaryDirectory() as tmp:
        sink = os.open(Path(tmp) / "made.pdf", os.O_WRONLY | os.O_CREAT)
        job = plans.plan(trip, brief, [args.layout], Path(tmp) / "out.pdf", False)[0]
        pipeline.warm([job], options)
        outputs.make(job, options, sink)  # everything loaded once before timing
        direct, bounded = [], []
        for _ in range(args.runs):
            start = time.perf_counter()
            outputs.make(job, options, sink)
            direct.append(time.perf_counter() - start)
            start = time.perf_counter()
            [report] = pipeline.build([job], options)
            bounded.append(time.perf_counter() - start)
            assert report.ok, report.lines
    a, b = statistics.median(direct), statistics.median(bounded)
    print(f"trip: {trip.name}, layout: {args.layout}, runs: {args.runs}, one warm process")
    print(f"in-process, unbounded : median {a:.3f} s (min {min(direct):.3f})")
    print(f"bounded child + write : median {b:.3f} s (min {min(bounded):.3f})")
    print(f"ratio bounded / unbounded: {b / a:.3f} (bounds cost {100 * (b / a - 1):+.1f}%)")


if __name__ == "__main__":
    main()

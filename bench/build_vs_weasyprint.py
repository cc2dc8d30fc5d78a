"""How much does briefgen add on top of WeasyPrint? Prints a ratio, never asserts.

    python bench/build_vs_weasyprint.py [TRIP] [--runs 5]

For each run, in a fresh process each: (a) `briefgen build TRIP` end to end (load, validate,
HTML, PDF, atomic write), (b) bare WeasyPrint rendering the very same HTML with the same
options, in turns (a first, then b first). Prints the medians and the ratio a/b, and the
first pair apart (a first build of the trip: nothing of an earlier build is reused, since
page economy decides its breaks in the one layout, pdf/economy.py).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BARE = """
import sys, weasyprint
from briefgen.pdf.fetcher import AssetFetcher
html = open(sys.argv[1], encoding="utf-8").read()
dirs = [__import__("pathlib").Path(p) for p in sys.argv[3:]]
weasyprint.HTML(string=html, base_url=dirs[0].as_uri() + "/", url_fetcher=AssetFetcher(dirs)
                ).write_pdf(sys.argv[2], pdf_tags=True)
"""


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("trip", nargs="?", default=str(ROOT / "briefs" / "beijing-2023.yaml"))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    trip = Path(args.trip).resolve()
    from briefgen.render.environment import builtin_template_dir

    with tempfile.TemporaryDirectory() as tmp:
        html = Path(tmp) / "book.html"
        subprocess.run(
            [sys.executable, "-m", "briefgen", "build", str(trip), "--html", "-o", str(html)],
            check=True,
            capture_output=True,
        )
        ours, bare = [], []
        build = [sys.executable, "-m", "briefgen", "build", str(trip), "-o", f"{tmp}/ours.pdf"]
        folders = [str(trip.parent), str(builtin_template_dir())]
        plain = [sys.executable, "-c", BARE, str(html), f"{tmp}/bare.pdf", *folders]
        for run in range(args.runs):
            if run % 2:
                bare.append(timed(plain))
                ours.append(timed(build))
            else:
                ours.append(timed(build))
                bare.append(timed(plain))
    a, b = statistics.median(ours), statistics.median(bare)
    print(f"trip: {trip.name}, runs: {args.runs}, fresh process per run")
    for label, median, runs in (
        ("briefgen build (end to end)", a, ours),
        ("bare WeasyPrint, same HTML ", b, bare),
    ):
        print(f"{label}: median {median:.3f} s  (min {min(runs):.3f}, max {max(runs):.3f})")
    print(f"ratio briefgen / WeasyPrint: {a / b:.2f}")
    first = f"{ours[0]:.3f} s vs {bare[0]:.3f} s, ratio {ours[0] / bare[0]:.2f}"
    print(f"first pair alone           : {first}")


if __name__ == "__main__":
    main()

"""What a one-off command costs, beside what this machine needs for anything at all. Prints
seconds and ratios, never asserts.

    python bench/one_offs.py [TRIP] [--runs 9]

Fresh processes, alternating, medians: (a) `briefgen check TRIP`; (b) `python -c "import
typer, pydantic.main"`, the floor of any command built on the two; (c) `briefgen build TRIP
--layout card`; (d) bare WeasyPrint (import, then the card's very HTML to PDF, same
options).
The goals of issue 11 were absolute (check under 0.4 s, card under 1.2 s on a quiet 2-core
machine where the card took 1.85 s); the ratios say the same on a machine of another speed.
Where PYTHONDONTWRITEBYTECODE is set, run `scripts/bootstrap.sh` (it byte-compiles briefgen,
as pip does for a wheel) or every run compiles each module again.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from build_vs_weasyprint import BARE, ROOT, timed  # the same bare WeasyPrint


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("trip", nargs="?", default=str(ROOT / "briefs" / "beijing-2023.yaml"))
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    trip = Path(args.trip).resolve()
    briefgen = [sys.executable, "-m", "briefgen"]
    with tempfile.TemporaryDirectory() as tmp:
        card_html, card_pdf = Path(tmp) / "card.html", Path(tmp) / "card.pdf"
        subprocess.run(
            [*briefgen, "build", str(trip), "--layout", "card", "--html", "-o", str(card_html)],
            check=True,
            capture_output=True,
            cwd=ROOT,
        )
        commands = {
            "briefgen check": [*briefgen, "check", str(trip)],
            "import typer, pydantic": [sys.executable, "-c", "import typer, pydantic.main"],
            "briefgen build --layout card": [
                *briefgen, "build", str(trip), "--layout", "card", "-o", str(card_pdf)
            ],
            "bare WeasyPrint, card HTML": [
                sys.executable, "-c", BARE, str(card_html), str(Path(tmp) / "bare.pdf"),
                str(trip.parent), str(ROOT / "templates"),
            ],
        }  # fmt: skip
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, command in commands.items():
                times[name].append(timed(command))
    median = {name: statistics.median(values) for name, values in times.items()}
    print(f"trip: {trip.name}, runs: {args.runs}, fresh process per run, medians")
    for name, values in times.items():
        print(f"{name:30s}: {median[name]:.3f} s  (min {min(values):.3f})")
    check, floor = median["briefgen check"], median["import typer, pydantic"]
    card, bare = median["briefgen build --layout card"], median["bare WeasyPrint, card HTML"]
    print(f"check / (import typer, pydantic): {check / floor:.2f}")
    print(f"card build / bare WeasyPrint on its HTML: {card / bare:.2f}")


if __name__ == "__main__":
    main()

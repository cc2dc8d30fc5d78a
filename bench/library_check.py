"""Does a big library slow `check` down? Prints a ratio, never asserts.

    python bench/library_check.py [--runs 7]

Both as whole processes (`python -m briefgen check`), median of the runs each:
(a) the Beijing example with its people in a 300-person library (its 12 people among 288
others) and its issue papers in a library, (b) the same trip with everything inline
(tests/corpus/good/beijing-2023-inline.yaml). Prints the medians and the ratio a/b; the
goal is at most 1.5.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "briefs" / "beijing-2023.yaml"
INLINE = ROOT / "tests" / "corpus" / "good" / "beijing-2023-inline.yaml"


def big_library(folder: Path, size: int = 300) -> None:
    """The example's library/ with its who's-who padded to `size` people."""
    shutil.copytree(EXAMPLE.parent / "library", folder / "library")
    shutil.copy(EXAMPLE, folder / "trip.yaml")
    people = folder / "library" / "people.yaml"
    text = people.read_text(encoding="utf-8")
    count = len(yaml.safe_load(text)["people"])
    extra = [
        f'  official-{n:03d}:\n    name: "Official {n:03d}"\n    title: "Deputy '
        f'Director-General, Department {n}"\n    organization: "Ministry"\n'
        f'    country: CN\n    side: host\n    bio:\n      - "Career diplomat; '
        f'served in posts {n} and {n + 1}."\n    bio_as_of: 2023-06-01'
        for n in range(size - count)
    ]
    people.write_text(text.rstrip("\n") + "\n" + "\n".join(extra) + "\n", encoding="utf-8")
    assert len(yaml.safe_load(people.read_text(encoding="utf-8"))["people"]) == size


def timed(trip: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "briefgen", "check", str(trip)],
        check=True,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        big_library(folder)
        trip = folder / "trip.yaml"
        out = subprocess.run(
            [sys.executable, "-m", "briefgen", "check", str(trip)],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        ).stdout
        print(out.strip().replace(str(trip), "library trip"))
        timed(trip), timed(INLINE)  # warm the file cache
        library = statistics.median(timed(trip) for _ in range(args.runs))
        inline = statistics.median(timed(INLINE) for _ in range(args.runs))
    print(f"check, people in a 300-person library: {library:.3f} s (median of {args.runs})")
    print(f"check, the same trip inline:           {inline:.3f} s")
    print(f"ratio library/inline: {library / inline:.2f} (goal: at most 1.5)")


if __name__ == "__main__":
    main()

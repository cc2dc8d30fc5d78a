"""Issue 22's payloads against `briefgen check`: wall time, CPU time and peak memory of each,
in a process of its own. Prints figures, never asserts (the tests assert on work done; each
class is also a file of tests/corpus/bad/, 87-95, at the smallest size that shows it).

    python bench/hostile_inputs.py [--only NAME]

- unknown-ids: 4,000 people and 4,000 events, each naming an unknown participant (~470 KB;
  the issue's 258 KB file had fewer people: this is the harder case)
- flow-list: a 4.8 MB one-line flow list of agenda items
- flow-x: a 4.8 MB one-line flow list of 1.6 million numbers under an x- key
- flow-participants: one event with a one-line list of 530,000 participants
- combining: one 99,001-character Text of combining marks (check refuses it)
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
MINIMAL = (ROOT / "tests" / "corpus" / "good" / "minimal.yaml").read_text(encoding="utf-8")
HEAD, REST = MINIMAL.split("agenda:\n")
ISSUES = "issues:" + REST.split("issues:")[1]


def unknown_ids() -> str:
    people = "".join(
        f"  person-{i:04d}: {{name: P {i}, title: T, side: host}}\n" for i in range(4000)
    )
    events = "".join(
        f"  - {{title: E{i}, date: 2023-06-18, participants: [persn-{i:04d}]}}\n"
        for i in range(4000)
    )
    return HEAD.replace("  wang-yi:", people + "  wang-yi:") + "agenda:\n" + events + ISSUES


def _one_line(item: str, budget: int = 4_800_000) -> str:
    items, size, n = [], 0, 0
    while size < budget:
        items.append(item.format(n=n))
        size, n = size + len(items[-1]) + 2, n + 1
    return "[" + ", ".join(items) + "]"


def flow_list() -> str:
    item = (
        "{{title: Event {n}, date: 2023-06-18, kind: meeting, participants: [blinken, qin-gang]}}"
    )
    return HEAD + "agenda: " + _one_line(item) + "\n" + ISSUES


def flow_x() -> str:
    return "x-junk: " + _one_line("1", 4_740_000) + "\n" + MINIMAL


def flow_participants() -> str:
    return MINIMAL.replace(
        "    participants: [blinken, qin-gang]\n",
        "    participants: " + _one_line("blinken", 4_740_000) + "\n",
    )


def combining() -> str:
    return MINIMAL.replace(
        "  - text: Put a floor under the relationship and reopen channels.",
        '  - text: "a' + "\\u0301" * 99_000 + '"',
    )


PAYLOADS = {
    "unknown-ids": unknown_ids,
    "flow-list": flow_list,
    "flow-x": flow_x,
    "flow-participants": flow_participants,
    "combining": combining,
}


def measure(path: Path) -> tuple[float, float, int, int]:
    """(wall seconds, CPU seconds, peak RSS in MB, exit code) of `briefgen check PATH`."""
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "briefgen", "check", str(path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024, child.returncode


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", choices=sorted(PAYLOADS))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for name, make in PAYLOADS.items():
            if args.only and name != args.only:
                continue
            path = Path(tmp) / f"{name}.yaml"
            path.write_text(make(), encoding="utf-8")
            wall, cpu, peak, code = measure(path)
            size = path.stat().st_size / 1e6
            print(
                f"{name:18} {size:5.2f} MB  check: {wall:6.2f} s wall, {cpu:6.2f} s CPU, "
                f"peak {peak:5d} MB, exit {code}"
            )


if __name__ == "__main__":
    main()

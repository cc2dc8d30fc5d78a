"""How do check and build scale with big trips? Prints a table, never asserts.

    python bench/large_trips.py [--scales 1,10,100] [--only NAME] [--timeout 300]

Writes valid trips with 1x, 10x, 100x the example's people (~20) and events (~11) to a temp
folder: people with two-paragraph bios, events with 2-8 participants each spread over five
trip days and three stops, issue papers and sources. For each it runs, as subprocesses,
`briefgen check`, `briefgen build` and `briefgen build --html`, and prints the wall time,
peak memory (from /usr/bin/time -v when present, else the RUSAGE_CHILDREN ru_maxrss
high-water mark) and the exit code. A run past --timeout is killed and shown as TIMEOUT.

Then it times inputs known to misbehave today (named so that --only can pick them):
  people-4000-html   4,000 people, build --html
  people-10000       10,000 people
  events-60000       60,000 events, no aliases (compact flow-style events)
  bio-word-100k      one word of 100,000 characters in a bio
  bio-md-star        1 MB of `*a` in a bio
  bio-md-backtick    1 MB of `` `a `` in a bio
  bio-md-link        1 MB of `[a](` in a bio
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GNU_TIME = Path("/usr/bin/time")
BASE_PEOPLE, BASE_EVENTS = 20, 11
DAYS = ["2023-06-18", "2023-06-19", "2023-06-20", "2023-06-21", "2023-06-22"]
STOPS = [
    ("Beijing", "CN", "Asia/Shanghai", DAYS[0], DAYS[1]),
    ("Tokyo", "JP", "Asia/Tokyo", DAYS[2], DAYS[3]),
    ("London", "GB", "Europe/London", DAYS[4], DAYS[4]),
]
WORDS = [
    "relationship",
    "channel",
    "dialogue",
    "cooperation",
    "counternarcotics",
    "delegation",
    "ministry",
    "strategy",
    "security",
    "economic",
    "climate",
    "exchange",
    "bilateral",
    "regional",
    "minister",
    "envoy",
    "council",
    "summit",
    "readout",
    "agreement",
    "candid",
    "ambassador",
    "previously",
    "served",
    "trade",
]


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def sentence(rnd: random.Random, n: int = 14) -> str:
    words = [rnd.choice(WORDS) for _ in range(n)]
    if rnd.random() < 0.3:
        words[rnd.randrange(n)] = f"**{rnd.choice(WORDS)}**"
    return " ".join(words).capitalize() + "."


def trip_yaml(
    people: int,
    events: int,
    *,
    seed: int = 7,
    bio_override: str | None = None,
    compact_events: bool = False,
) -> str:
    """A valid trip with `people` people and `events` events."""
    rnd = random.Random(seed)
    out = [
        "briefgen: 1",
        "memo:",
        "  to: The Secretary",
        "  from: EAP – Bench Drafter",
        "  date: 2023-06-10",
        f"  subject: {q(f'Large trip: {people} people, {events} events')}",
        "markings:",
        "  system: us",
        "  default: U",
        "trip:",
        "  title: Benchmark Travel",
        "  principal: p00000",
        "  home_timezone: America/New_York",
        f"  start: {DAYS[0]}",
        f"  end: {DAYS[-1]}",
        "  stops:",
    ]
    for place, country, tz, a, b in STOPS:
        out += [
            f"    - place: {place}",
            f"      country: {country}",
            f"      timezone: {tz}",
            f"      from: {a}",
            f"      to: {b}",
        ]
    out += ["purpose:", f"  - {q(sentence(rnd))}", "goals:"]
    out += [f"  - text: {q(sentence(rnd))}\n    priority: {1 + i % 3}" for i in range(4)]
    out.append("people:")
    ids = [f"p{i:05d}" for i in range(people)]
    for i, pid in enumerate(ids):
        side = "home" if i % 3 == 0 else ("host" if i % 3 == 1 else "third")
        out += [
            f"  {pid}:",
            f"    name: {q(f'Person {i} {rnd.choice(WORDS).title()}')}",
            f"    title: {q('Minister of ' + rnd.choice(WORDS).title())}",
            f"    side: {side}",
        ]
        if i < 3 and i % 3 == 0:
            out.append(f"    precedence: {i + 1}")
        if bio_override is not None and i == 1:
            out.append(f"    bio: {q(bio_override)}")
        else:
            out += [
                "    bio:",
                f"      - {q(' '.join(sentence(rnd) for _ in range(3)))}",
                f"      - {q(' '.join(sentence(rnd) for _ in range(2)))}",
            ]
    issues = [f"issue-{i}" for i in range(10)]
    out.append("agenda:")
    for e in range(events):
        day = DAYS[e * len(DAYS) // max(events, 1)]
        who = rnd.sample(ids, min(len(ids), rnd.randint(2, 8)))
        if "p00000" not in who:
            who[0] = "p00000"
        hour = 7 + (e % 12)
        if compact_events:
            out.append(f"  - {{title: E{e}, date: {day}}}")
            continue
        out += [
            f"  - title: {q(f'Meeting {e}: ' + rnd.choice(WORDS))}",
            f"    date: {day}",
            f'    start: "{hour:02d}:00"',
            f'    end: "{hour:02d}:45"',
            f"    participants: [{', '.join(who)}]",
            f"    objectives: {q(sentence(rnd))}",
            f"    talking_points: [{{issue: {rnd.choice(issues)}}}, {q(sentence(rnd))}]",
        ]
    out.append("issues:")
    for iid in issues:
        out += [
            f"  - id: {iid}",
            f"    title: {q(rnd.choice(WORDS).title() + ' issue')}",
            f"    background: {q(sentence(rnd))}",
            f"    points_to_make: {q(sentence(rnd))}",
        ]
    out += ["sources:", "  - id: readout", "    title: Bench readout"]
    return "\n".join(out) + "\n"


@dataclass
class Case:
    name: str
    make: Callable[[], str]
    commands: list[list[str]]
    known_bad: bool = False


CHECK, BUILD, HTML = ["check"], ["build"], ["build", "--html"]


def cases(scales: list[int]) -> list[Case]:
    out = [
        Case(
            f"scale-{s}x",
            (lambda s=s: trip_yaml(BASE_PEOPLE * s, BASE_EVENTS * s)),
            [CHECK, BUILD, HTML],
        )
        for s in scales
    ]
    mb = 1024 * 1024
    out += [
        Case("people-4000-html", lambda: trip_yaml(4000, BASE_EVENTS), [CHECK, HTML], True),
        Case("people-10000", lambda: trip_yaml(10_000, BASE_EVENTS), [CHECK, BUILD], True),
        Case(
            "events-60000",
            lambda: trip_yaml(BASE_PEOPLE, 60_000, compact_events=True),
            [CHECK, BUILD],
            True,
        ),
        Case(
            "bio-word-100k",
            lambda: trip_yaml(3, 3, bio_override="w" * 100_000),
            [CHECK, BUILD],
            True,
        ),
        Case(
            "bio-md-star",
            lambda: trip_yaml(3, 3, bio_override="*a" * (mb // 2)),
            [CHECK, HTML, BUILD],
            True,
        ),
        Case(
            "bio-md-backtick",
            lambda: trip_yaml(3, 3, bio_override="`a" * (mb // 2)),
            [CHECK, HTML, BUILD],
            True,
        ),
        Case(
            "bio-md-link",
            lambda: trip_yaml(3, 3, bio_override="[a](" * (mb // 4)),
            [CHECK, HTML, BUILD],
            True,
        ),
    ]
    return out


@dataclass
class Result:
    seconds: float
    peak_mb: float | None
    code: str
    tail: str


def run(args: list[str], cwd: Path, timeout: float) -> Result:
    """Run `python -m briefgen ARGS` in its own process group; kill the group on timeout."""
    cmd = [sys.executable, "-m", "briefgen", *args]
    timed = GNU_TIME.exists()
    if timed:
        cmd = [str(GNU_TIME), "-v", *cmd]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
        start_new_session=True,
    )
    try:
        _, err = proc.communicate(timeout=timeout)
        code = str(proc.returncode)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        _, err = proc.communicate()
        code = "TIMEOUT"
    took = time.perf_counter() - start
    peak = None
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", err or "")
    if m:
        peak = int(m[1]) / 1024
        err = err[: err.find("\tCommand being timed")]
    elif code != "TIMEOUT":
        after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        peak = after / 1024 if after > before else None  # only a new high-water mark shows
    if timed and code not in ("TIMEOUT",):
        m = re.search(r"Exit status: (\d+)", err or "")
        code = m[1] if m else code
    lines = [
        ln
        for ln in (err or "").strip().splitlines()
        if ln.strip()
        and not ln.startswith("Command exited with non-zero status")
        and not ln.startswith("Command terminated by signal")
    ]
    return Result(took, peak, code, lines[-1][:110] if lines else "")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--scales", default="1,10,100")
    p.add_argument("--only", action="append", help="run only these cases (repeatable)")
    p.add_argument("--timeout", type=float, default=300)
    p.add_argument("--keep", help="write the trips to this folder and keep them")
    args = p.parse_args(argv)
    scales = [int(s) for s in args.scales.split(",") if s.strip()]
    chosen = [c for c in cases(scales) if not args.only or c.name in args.only]
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="large-trips-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(
        f"trips in {folder}; timeout {args.timeout:.0f} s; peak memory from "
        f"{'/usr/bin/time -v' if GNU_TIME.exists() else 'RUSAGE_CHILDREN'}",
        flush=True,
    )
    print(
        f"{'case':18} {'size':>8} {'command':14} {'seconds':>8} {'peak MB':>8} {'exit':>7}  "
        "last stderr line",
        flush=True,
    )
    for case in chosen:
        text = case.make()
        trip = folder / f"{case.name}.yaml"
        trip.write_text(text, encoding="utf-8")
        size = f"{len(text.encode()) / 1024:.0f}K"
        for command in case.commands:
            out = folder / (f"{case.name}.html" if "--html" in command else f"{case.name}.pdf")
            extra = ["-o", str(out)] if command[0] == "build" else []
            r = run([*command, str(trip), *extra], folder, args.timeout)
            peak = f"{r.peak_mb:.0f}" if r.peak_mb is not None else "?"
            label = " ".join(command)
            print(
                f"{case.name:18} {size:>8} {label:14} {r.seconds:8.1f} {peak:>8} {r.code:>7}  "
                f"{r.tail if r.code != '0' else ''}",
                flush=True,
            )
            if out.exists():
                out.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())

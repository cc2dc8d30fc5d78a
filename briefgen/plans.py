"""What a build makes: the trip files a command names (a folder stands for the trips in
it), and one job per output of each trip, with its target file checked before any work."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from briefgen import schedule, worker
from briefgen.brief import Brief
from briefgen.files import UnsafeTarget, check_target
from briefgen.limits import MAX_COPIES
from briefgen.products import PRODUCTS


@dataclass(frozen=True)
class Options:
    """How to build, the same for every job of a run."""

    paper: str | None = None
    template: Path | None = None
    standard: str | None = None
    strict: bool = False
    html: bool = False
    allow_missing_glyphs: bool = False
    limits: worker.Limits = field(default_factory=worker.Limits)
    workers: int = 1
    debug: bool = False
    duplex: bool = False  # --duplex (a trip's output.duplex also turns it on for that trip)
    copies: int | Literal["all"] | None = None  # --copies: N, or one per memo.distribution


@dataclass(frozen=True)
class Job:
    trip_path: Path
    brief: Brief
    layout: str
    target: Path
    event: str | None = None  # the meeting packet's event (its id or place in the agenda)
    release: str | None = None  # a releasable edition: the brief has been cut to this level
    paper: str | None = None  # the trip's `output.paper` (the command line's wins)
    changes: Any = None  # a diff.Diff with --changes-since
    known_pages: dict[str, int] = field(default_factory=dict)  # watch: see pagerefs


LIBRARY_MARK = re.compile(rb"^briefgen-library\s*:", re.MULTILINE)
TRIP_MARK = re.compile(rb"^briefgen\s*:", re.MULTILINE)


def trip_files(paths: Iterable[Path]) -> tuple[list[Path], list[str], list[str]]:
    """(the trip files named, notes, errors): a folder stands for every trip file in it
    (YAML with a top-level `briefgen:` key, sorted by name); libraries are skipped silently,
    other YAML files with a note; a folder with no trip file is an error."""
    found: list[Path] = []
    notes: list[str] = []
    errors: list[str] = []
    for path in paths:
        if not path.is_dir():
            found.append(path)
            continue
        trips = 0
        for candidate in sorted(
            p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file()
        ):
            with candidate.open("rb") as fh:
                head = fh.read(64 * 1024)
            if LIBRARY_MARK.search(head):
                continue
            if not TRIP_MARK.search(head):
                notes.append(f"{candidate}: skipped: not a trip file (no `briefgen: 1` line)")
                continue
            found.append(candidate)
            trips += 1
        if not trips:
            errors.append(f"{path}: no trip file in this folder (YAML with `briefgen: 1`)")
    return found, notes, errors


class UsageError(Exception):
    """A request that cannot be built as asked, found once a trip is read (exit 2)."""

    def __init__(self, hint: str, message: str):
        super().__init__(message)
        self.hint = hint


class PlanError(Exception):
    """An output that cannot be planned (its folder is missing, it would replace the trip)."""


def plan(
    trip_path: Path,
    brief: Brief,
    layouts: list[str],
    output: Path | None,
    html: bool,
    *,
    event: str | None = None,
    release: str | None = None,
    paper: str | None = None,
) -> list[Job]:
    """The jobs for one trip: one per layout (one per meeting for `meeting`), each with its
    target file. `release`: the brief is already the edition for that level."""
    jobs = []
    tail = f"-rel-{release.lower()}" if release else ""
    for layout in layouts:
        product = PRODUCTS[layout]
        if layout != "meeting":
            variants: list[tuple[str | None, Path]] = [
                (None, product.default_output(trip_path, html, tail))
            ]
        else:
            keys = [key for key, _ in schedule.packet_events(brief.trip)]
            if event is not None:
                every = [schedule.event_key(i, e) for i, e in enumerate(brief.trip.agenda)]
                if event not in every:
                    raise PlanError(f"--event {event}: no such event (events: {', '.join(every)})")
                keys = [event]
            if not keys:
                raise PlanError(
                    "no meeting, meal, ceremony or press event has participants: "
                    "there is no meeting packet to print"
                )
            variants = [
                (key, product.default_output(trip_path, html, f"-{key}{tail}")) for key in keys
            ]
        for key, default in variants:
            target = output or default
            if target.resolve() == trip_path.resolve():
                raise PlanError("refusing to overwrite the trip file itself with the output")
            if not target.resolve().parent.is_dir():
                raise PlanError(f"{target}: the folder {target.resolve().parent} does not exist")
            try:
                check_target(target)
            except UnsafeTarget as exc:
                raise PlanError(f"{exc}; nothing was written") from None
            jobs.append(Job(trip_path, brief, layout, target, key, release, paper))
    return jobs


def copies_of_distribution(trip_path: Path, names: list[str]) -> None:
    """--copies all needs a distribution list of at most MAX_COPIES names."""
    if not names:
        raise UsageError(
            "--copies",
            f"{trip_path}: --copies all makes one copy per name of "
            "memo.distribution, and the trip has none; give a number",
        )
    if len(names) > MAX_COPIES:
        raise UsageError(
            "--copies",
            f"{trip_path}: memo.distribution has {len(names)} names, "
            f"over the {MAX_COPIES} copies briefgen prints",
        )

"""Trip -> outputs: the one path every build takes (`build`, and later `watch`).

The parent loads and validates each trip once, warms up (PDF engine, fonts, templates),
then every (trip, layout) output is a job run by `worker.run_all` in a bounded child
(outputs.py): render the HTML, lay it out, measure the page budgets, write the PDF bytes.
A build of one PDF hands the layout to the engine started ahead instead (engine.py). The
parent reports each job in the order of the jobs and writes each output atomically.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from briefgen import pagerefs, schedule, worker
from briefgen.brief import Brief
from briefgen.errors import BuildError
from briefgen.files import UnsafeTarget, check_target, write_atomically
from briefgen.outputs import Made, Printable, finish, make, prepare
from briefgen.products import PRODUCTS
from briefgen.render import find_house_style

if TYPE_CHECKING:
    from briefgen.engine import Engine


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


@dataclass(frozen=True)
class Report:
    """One job's outcome, for the command to print."""

    job: Job
    ok: bool
    lines: list[tuple[str, str]]  # (level, text): level "info" | "warning" | "error"
    seconds: float = 0.0
    pages: int = 0
    marking: str | None = None


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


def warm(jobs: Iterable[Job], options: Options, pdf: bool = True) -> None:
    """Load in the parent what every child would otherwise load again: the PDF engine and
    fonts (unless `pdf` is False: an engine started ahead has them) and the built-in
    templates compiled. House-style templates are compiled only in the bounded child
    (Jinja2 evaluates constant expressions while compiling)."""
    from briefgen.render.environment import template_environment

    for job in jobs:
        try:
            templates = find_house_style(job.brief.folder, options.template)
        except BuildError:
            continue  # the job reports it
        if templates.house is None:
            template_environment(templates).get_template(PRODUCTS[job.layout].template)
    if pdf and not options.html:
        from briefgen.pdf.fonts import font_config

        font_config()


def _report(job: Job, done: worker.Done, options: Options) -> Report:
    result = done.result
    if isinstance(result, worker.Failure):
        return Report(
            job,
            False,
            [("error", f"build failed: {result.message}; nothing was written")],
            done.seconds,
        )
    assert isinstance(result, Made)
    level = "error" if options.strict else "warning"
    lines = [(level, overflow) for overflow in result.overflows]
    lines += [("warning", warning) for warning in result.warnings]
    lines += [("info", note) for note in result.notes]
    if result.data is None:
        lines.append(
            ("error", "build failed: page budget exceeded (--strict); nothing was written")
        )
        return Report(job, False, lines, done.seconds, result.pages)
    try:
        write_atomically(job.target, result.data)
    except OSError as exc:
        lines.append(
            ("error", f"{job.target}: cannot write: {exc.strerror or exc}; nothing was written")
        )
        return Report(job, False, lines, done.seconds, result.pages)
    pagerefs.keep(job.target, result.anchor_pages)
    return Report(job, True, lines, done.seconds, result.pages, result.marking)


def build(
    jobs: list[Job],
    options: Options,
    on_report: Callable[[Report], None] = lambda report: None,
    on_start: Callable[[int], None] | None = None,
    engine: Engine | None = None,
) -> list[Report]:
    """Run every job; call `on_start(index)` as each starts and `on_report` for each in the
    order of `jobs`; return them all. `engine`: the PDF engine started ahead (engine.py),
    used by a build of one PDF with the built-in templates, stopped otherwise."""
    if engine is not None and not _one_pdf(jobs, options):
        engine.stop()
        engine = None
    if not jobs:
        return []  # nothing to build: never load the PDF engine
    jobs = [replace(job, known_pages=pagerefs.recall(job.target)) for job in jobs]
    if engine is not None:
        try:
            warm(jobs, options, pdf=False)
            done = _with_engine(jobs[0], options, engine, on_start)
        finally:
            engine.stop()  # if it was not handed the job
        report = _report(jobs[0], done, options)
        on_report(report)
        return [report]
    warm(jobs, options)
    finished: dict[int, Report] = {}
    reports: list[Report] = []
    tasks = [partial(make, job, options) for job in jobs]
    for done in worker.run_all(
        tasks,
        workers=options.workers,
        limits=options.limits,
        debug=options.debug,
        on_start=on_start,
    ):
        finished[done.index] = _report(jobs[done.index], done, options)
        while len(reports) in finished:
            reports.append(finished.pop(len(reports)))
            on_report(reports[-1])
    return reports


def _one_pdf(jobs: list[Job], options: Options) -> bool:
    """One PDF with the built-in templates: what an engine started ahead serves."""
    if len(jobs) != 1 or options.html:
        return False
    try:
        return find_house_style(jobs[0].brief.folder, options.template).house is None
    except BuildError:
        return False  # the job reports it


def _with_engine(
    job: Job, options: Options, engine: Engine, on_start: Callable[[int], None] | None
) -> worker.Done:
    """The job's HTML rendered in a bounded child, then laid out and written by the engine
    (a bounded child started ahead); both within the one time cap."""
    limits, debug = options.limits, options.debug
    [rendered] = worker.run_all(
        [partial(prepare, job, options)], limits=limits, debug=debug, on_start=on_start
    )
    if not isinstance(rendered.result, Printable):
        return rendered
    [written] = worker.run_all(
        [partial(finish, rendered.result)],
        limits=replace(limits, spent=rendered.seconds),
        debug=debug,
        hand=engine.hand,
    )
    return replace(
        written,
        seconds=rendered.seconds + written.seconds,
        peak_mb=max(rendered.peak_mb, written.peak_mb),
    )

"""Trip -> outputs: the one path every build takes (`build`, `watch`, folders of trips).

`run(request)` reads and validates each trip once (printing its errors), cuts the releasable
edition, compares with --changes-since, plans one job per output (plans.py), warms up (PDF
engine, fonts, templates), then runs every job in a bounded child (`worker.run_all`,
outputs.py): render the HTML, lay it out, measure the page budgets, write the PDF to a
temporary file the parent opened beside the target. The parent reports each job in the
order of the jobs and renames each whole output into place.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefgen import files, intake, pagerefs, revisions, worker
from briefgen.errors import BuildError
from briefgen.language import speaking
from briefgen.limits import outputs_problem
from briefgen.outputs import Made, make
from briefgen.plans import (
    Job,
    Options,
    PlanError,
    UsageError,
    copies_of_distribution,
    plan,
    trip_files,
)
from briefgen.products import PRODUCTS
from briefgen.render import find_house_style

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from briefgen.brief import Brief
    from briefgen.editions import Edition

Say = Callable[[str], None]


@dataclass(frozen=True)
class Request:
    """A build, as the command line asks for it."""

    trips: list[Path]  # trip files, or folders of them
    options: Options = field(default_factory=Options)
    output: Path | None = None  # -o: one trip, one output
    layouts: list[str] = field(default_factory=list)  # none: each trip's output.layouts, or book
    event: str | None = None  # --event: one meeting packet
    release: str | None = None  # --release LEVEL
    changes_since: str | None = None  # --changes-since OLD
    sets: tuple[str, ...] = ()  # --set PATH=VALUE
    people: tuple[str, ...] = ()  # --for: an itinerary's travellers (ids, or `all`)
    release_to: str | None = None  # --release-to CTY (a us REL TO edition)


@dataclass
class Ran:
    """What `run` did: each planned job's report, and how many trips failed before one."""

    reports: list[Report]
    failed: int

    @property
    def ok(self) -> bool:
        return not self.failed and all(report.ok for report in self.reports)


def run(
    request: Request,
    say: Say,
    err: Say,
    show: Callable[[list[Job]], AbstractContextManager[Any]],
) -> Ran:
    """Build what `request` asks; print through `say` and `err`, show the jobs with `show`.
    Raises UsageError."""
    found, notes, errors = trip_files(request.trips)
    for line in notes + errors:
        err(line)
    failed, planned, loaded = len(errors), [], set()
    for trip_path in found:
        if trip_path.resolve() in loaded:  # each trip is read once per run
            continue
        loaded.add(trip_path.resolve())
        jobs = _jobs(trip_path, request, say, err)
        if jobs is None:
            failed += 1
        else:
            planned += jobs
    if (too_many := outputs_problem(len(planned))) is not None:
        err(too_many)
        return Ran([], failed + 1)
    if request.output is not None and len(planned) > 1:
        raise UsageError(
            "-o",
            f"-o names one file, and this build writes {len(planned)} "
            "(one per layout or meeting); leave -o out, or build one",
        )
    with show(planned) as progress:
        reports = build(planned, request.options, progress.report, progress.start)
    return Ran(reports, failed)


def _jobs(trip_path: Path, request: Request, say: Say, err: Say) -> list[Job] | None:
    """One trip's jobs; None (its errors printed) when it cannot be built."""
    from briefgen import editions

    options = request.options
    brief = intake.read_valid(trip_path, request.sets, err, writes=True)
    if brief is None or not intake.schedule_ok(trip_path, brief, options.strict, err, True):
        return None
    usual = brief.trip.output
    if options.copies == "all":
        copies_of_distribution(trip_path, brief.trip.memo.distribution)
    try:
        level, edition = None, None
        if request.release is not None or request.release_to is not None:
            edition = editions.release(brief, request.release, request.release_to)
            brief, level = edition.brief, edition.tag
            say(f"{trip_path!s}: {edition.summary()}")
            if request.event is not None and (why := edition.withheld_event(request.event)):
                err(
                    f"{trip_path!s}: --event {request.event}: withheld from this edition "
                    f"({why}); nothing was written"
                )
                return None
        changes, brief = _changes(request.changes_since, trip_path, brief, edition, err)
        if changes is False:
            return None
        jobs = plan(
            trip_path,
            brief,
            request.layouts or list(usual.layouts if usual else []) or ["book"],
            request.output,
            options.html,
            event=request.event,
            release=level,
            paper=usual.paper if usual else None,
            people=list(request.people),
        )
    except editions.ReleaseUsageError as exc:
        hint = "--release" if request.release is not None else "--release-to"
        raise UsageError(hint, f"{trip_path}: {exc}") from None
    except PlanError as exc:
        if request.event is not None and str(exc).startswith("--event"):
            raise UsageError("--event", f"{trip_path}: {exc}") from None
        err(f"{trip_path!s}: {exc}; nothing was written")
        return None
    except editions.ReleaseError as exc:
        err(f"{trip_path!s}: --release: {exc}; nothing was written")
        return None
    return [replace(job, changes=changes) for job in jobs]


def _changes(spec: str | None, trip_path: Path, brief: Brief, edition: Edition | None, err: Say):
    """(the diff for --changes-since, the brief): None without it; False when OLD cannot be
    read. In a releasable edition both versions are cut to the same edition first: the
    changes page never quotes what was withheld, and the read-back looks for what OLD's
    edition withheld too."""
    if spec is None:
        return None, brief
    from briefgen import editions
    from briefgen.diff import compare
    from briefgen.edition_since import compared

    old = revisions.read_other(spec, trip_path, err)
    if old is None:
        return False, brief
    if edition is not None:
        try:
            old, brief = compared(old, edition)
        except editions.ReleaseError as exc:  # said of the older version: name it
            raise type(exc)(f"{spec} (the version --changes-since compares with): {exc}") from None
    with speaking(brief.trip.trip.language):  # the diff is printed in the book, in its words
        diff = compare(old, brief, spec, str(trip_path))
    return replace(diff, old_bytes=old.bytes_read), brief


@dataclass(frozen=True)
class Report:
    """One job's outcome, for the command to print."""

    job: Job
    ok: bool
    lines: list[tuple[str, str]]  # (level, text): level "info" | "warning" | "error"
    seconds: float = 0.0
    pages: int = 0
    marking: str | None = None


def warm(jobs: Iterable[Job], options: Options) -> None:
    """Load in the parent what every child would otherwise load again: the PDF engine and
    fonts, and each built-in layout with every template it includes compiled. House-style
    templates are compiled only in the bounded child (Jinja2 evaluates constant expressions
    while compiling)."""
    from briefgen.render.environment import compile_layout

    for job in jobs:
        try:
            templates = find_house_style(job.brief.folder, options.template)
        except BuildError:
            continue  # the job reports it
        if templates.house is None:
            compile_layout(templates, PRODUCTS[job.layout].template)
    if not options.html:
        from briefgen.pdf.fonts import font_config

        font_config()


def _report(job: Job, done: worker.Done, tmp: str, options: Options) -> Report:
    """The job's outcome; its temporary file (written by the child) renamed into place when
    it is whole, else removed."""
    result = done.result
    if isinstance(result, worker.Failure):
        files.discard(tmp)
        return Report(
            job,
            False,
            [("error", f"build failed: {result.message}; nothing was written")],
            done.seconds,
        )
    if not isinstance(result, Made):
        raise TypeError(result)
    level = "error" if options.strict else "warning"
    lines = [(level, overflow) for overflow in result.overflows]
    lines += [("warning", warning) for warning in result.warnings]
    lines += [("info", note) for note in result.notes]
    if not result.written:
        files.discard(tmp)
        lines.append(
            ("error", "build failed: page budget exceeded (--strict); nothing was written")
        )
        return Report(job, False, lines, done.seconds, result.pages)
    try:
        files.settle(tmp, job.target)
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
) -> list[Report]:
    """Run every job; call `on_start(index)` as each starts and `on_report` for each in the
    order of `jobs`; return them all."""
    if not jobs:
        return []  # nothing to build: never load the PDF engine
    jobs = [replace(job, known_pages=pagerefs.recall(job.target)) for job in jobs]
    warm(jobs, options)
    finished: dict[int, Report] = {}
    reports: list[Report] = []
    temporaries: dict[int, str] = {}

    def tasks() -> Iterator[Callable[[], object]]:
        """Each job's task, its temporary file opened as its child is about to start (the
        child writes it; the parent renames it)."""
        for index, job in enumerate(jobs):
            try:
                tmp, fd = files.open_temporary(job.target)
            except OSError as exc:
                yield partial(worker.Failure, f"{job.target}: cannot write: {exc.strerror or exc}")
                continue
            temporaries[index] = tmp
            try:
                yield partial(make, job, options, fd)
            finally:
                os.close(fd)  # the child has its own

    try:
        for done in worker.run_all(
            tasks(),
            workers=options.workers,
            limits=options.limits,
            debug=options.debug,
            on_start=on_start,
        ):
            tmp = temporaries.pop(done.index, "")
            finished[done.index] = _report(jobs[done.index], done, tmp, options)
            while len(reports) in finished:
                reports.append(finished.pop(len(reports)))
                on_report(reports[-1])
    finally:
        for tmp in temporaries.values():
            files.discard(tmp)
    return reports

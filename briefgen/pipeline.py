"""Trip -> outputs: the one path every build takes (`build`, and later `watch`).

The parent loads and validates each trip once, warms up (PDF engine, fonts, templates),
then every (trip, layout) output is a job run by `worker.run_all` in a bounded child:
render the HTML, lay it out, measure the page budgets, write the PDF bytes. The parent
reports each job in the order of the jobs and writes each output atomically.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from briefgen import worker
from briefgen.brief import Brief
from briefgen.errors import BuildError
from briefgen.files import write_atomically
from briefgen.products import PRODUCTS
from briefgen.render import find_house_style, render_html


@dataclass(frozen=True)
class Options:
    """How to build, the same for every job of a run."""

    paper: str | None = None
    template: Path | None = None
    standard: str | None = None
    strict: bool = False
    html: bool = False
    allow_missing_glyphs: bool = False
    limits: worker.Limits = worker.Limits()
    workers: int = 1
    debug: bool = False


@dataclass(frozen=True)
class Job:
    trip_path: Path
    brief: Brief
    layout: str
    target: Path
    changes: Any = None  # a diff.Diff with --changes-since


@dataclass
class Made:
    """What a job produced: the bytes (None when --strict refused them), what to report."""

    data: bytes | None
    warnings: list[str] = field(default_factory=list)
    overflows: list[str] = field(default_factory=list)
    pages: int = 0


@dataclass(frozen=True)
class Report:
    """One job's outcome, for the command to print."""

    job: Job
    ok: bool
    lines: list[tuple[str, str]]  # (level, text): level "info" | "warning" | "error"
    seconds: float = 0.0
    pages: int = 0


class PlanError(Exception):
    """An output that cannot be planned (its folder is missing, it would replace the trip)."""


def plan(trip_path: Path, brief: Brief, layouts: list[str], output: Path | None,
         html: bool) -> list[Job]:
    """The jobs for one trip: one per layout, each with its target file."""
    jobs = []
    for layout in layouts:
        target = output or PRODUCTS[layout].default_output(trip_path, html)
        if target.resolve() == trip_path.resolve():
            raise PlanError("refusing to overwrite the trip file itself with the output")
        if not target.resolve().parent.is_dir():
            raise PlanError(f"{target}: the folder {target.resolve().parent} does not exist")
        jobs.append(Job(trip_path, brief, layout, target))
    return jobs


def make(job: Job, options: Options) -> Made:
    """Render one output (runs in the bounded child)."""
    brief = job.brief
    templates = find_house_style(brief.folder, options.template)
    document = render_html(brief, layout=job.layout, paper=options.paper, templates=templates,
                           changes=job.changes)
    if options.html:
        return Made(document.encode("utf-8"))
    from briefgen import pdf

    rendered = pdf.render(document, layout=job.layout, standard=options.standard,
                          folders=[brief.folder, *templates.folders])
    if options.strict and rendered.overflows:
        return Made(None, rendered.warnings, rendered.overflows, len(rendered.document.pages))
    data = pdf.write(rendered, standard=options.standard, created=brief.trip.memo.date,
                     source=(job.trip_path.name, brief.source.raw),
                     allow_missing_glyphs=options.allow_missing_glyphs)
    return Made(data, rendered.warnings, rendered.overflows, len(rendered.document.pages))


def warm(jobs: Iterable[Job], options: Options) -> None:
    """Load in the parent what every child would otherwise load again: the PDF engine, fonts
    and the built-in templates compiled. House-style templates are compiled only in the
    bounded child (Jinja2 evaluates constant expressions while compiling)."""
    from briefgen.render.environment import environment

    for job in jobs:
        try:
            templates = find_house_style(job.brief.folder, options.template)
        except BuildError:
            continue  # the job reports it
        if templates.house is None:
            environment(templates).get_template(PRODUCTS[job.layout].template)
    if not options.html:
        from briefgen.pdf.fonts import font_config

        font_config()


def _report(job: Job, done: worker.Done, options: Options) -> Report:
    result = done.result
    if isinstance(result, worker.Failure):
        return Report(job, False, [("error", f"build failed: {result.message}; "
                                    "nothing was written")], done.seconds)
    assert isinstance(result, Made)
    level = "error" if options.strict else "warning"
    lines = [(level, overflow) for overflow in result.overflows]
    lines += [("warning", warning) for warning in result.warnings]
    if result.data is None:
        lines.append(("error", "build failed: page budget exceeded (--strict); "
                      "nothing was written"))
        return Report(job, False, lines, done.seconds, result.pages)
    try:
        write_atomically(job.target, result.data)
    except OSError as exc:
        lines.append(("error", f"{job.target}: cannot write: {exc.strerror or exc}; "
                      "nothing was written"))
        return Report(job, False, lines, done.seconds, result.pages)
    return Report(job, True, lines, done.seconds, result.pages)


def build(jobs: list[Job], options: Options,
          on_report: Callable[[Report], None] = lambda report: None) -> list[Report]:
    """Run every job; call `on_report` for each in the order of `jobs`; return them all."""
    warm(jobs, options)
    finished: dict[int, Report] = {}
    reports: list[Report] = []
    tasks = [partial(make, job, options) for job in jobs]
    for done in worker.run_all(tasks, workers=options.workers, limits=options.limits,
                               debug=options.debug):
        finished[done.index] = _report(jobs[done.index], done, options)
        while len(reports) in finished:
            reports.append(finished.pop(len(reports)))
            on_report(reports[-1])
    return reports

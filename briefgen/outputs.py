"""One output, in two steps that each run in a bounded child: `prepare` renders its HTML
from the templates, `finish` lays that out in pages and writes the PDF bytes. `make` is the
two in one child, as most builds run them; a one-off build runs `finish` in the PDF engine
started ahead (engine.py). Between the two passes only plain data: a `Printable`.

Nothing here imports WeasyPrint until `finish` runs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen import pagerefs
from briefgen.errors import BuildError

if TYPE_CHECKING:
    from briefgen.brief import Brief, Withheld
    from briefgen.pipeline import Job, Options


@dataclass
class Made:
    """What a job produced: the bytes (None when --strict refused them), what to report."""

    data: bytes | None
    warnings: list[str] = field(default_factory=list)
    overflows: list[str] = field(default_factory=list)
    pages: int = 0
    marking: str | None = None  # the banner of what the document prints
    anchor_pages: dict[str, int] = field(default_factory=dict)  # for the next build (watch)
    notes: list[str] = field(default_factory=list)  # an edition's verification line


@dataclass(frozen=True)
class Printable:
    """An output rendered to HTML, with all the PDF engine needs to lay it out and write it."""

    html: str
    layout: str
    marking: str | None  # the banner of what it prints
    folders: list[Path]  # what the engine may read: the trip's, its libraries', the templates'
    known_pages: dict[str, int]  # watch: see pagerefs
    duplex: bool
    copies: int | None  # --copies: how many, each marked with its name of `distribution`
    distribution: tuple[str, ...]
    strict: bool
    standard: str | None
    created: dt.date | None
    source: tuple[str, bytes] | None  # the trip file, attached to archival PDFs
    libraries: list[tuple[str, bytes]]
    allow_missing_glyphs: bool
    withheld: Withheld | None = None  # an edition: what must not appear in its PDF


def prepare(job: Job, options: Options) -> Printable | Made:
    """Render the job's HTML (the output itself with --html)."""
    from briefgen.render import find_house_style, render_document

    brief = job.brief
    templates = find_house_style(brief.folder, options.template)
    output = brief.trip.output
    duplex = options.duplex or bool(output and output.duplex)
    document, marking = render_document(
        brief,
        layout=job.layout,
        paper=options.paper or job.paper,
        templates=templates,
        event=job.event,
        changes=job.changes,
        duplex=duplex,
    )
    if options.html:
        from briefgen.render.inline import self_contained

        document = self_contained(document, [brief.folder, *templates.folders])
        data = document.encode("utf-8")
        return Made(data, marking=marking.banner, notes=_verified(brief.withheld, data, True))
    names = tuple(brief.trip.memo.distribution)
    return Printable(
        html=document,
        layout=job.layout,
        marking=marking.banner,
        folders=[brief.folder, *brief.library_folders, *templates.folders],
        known_pages=job.known_pages if templates.house is None else {},
        duplex=duplex,
        copies=len(names) if options.copies == "all" else options.copies,
        distribution=names,
        strict=options.strict,
        standard=options.standard,
        created=brief.trip.memo.date,
        # An edition never carries the trip file: it holds what was withheld.
        source=None if job.release else (job.trip_path.name, brief.source.raw),
        libraries=[] if job.release else _attached_libraries(brief),
        allow_missing_glyphs=options.allow_missing_glyphs,
        withheld=brief.withheld,
    )


def _verified(withheld: Withheld | None, data: bytes, html: bool = False) -> list[str]:
    """An edition's output read back: no withheld text in it (leaks.Leak fails the job)."""
    if withheld is None:
        return []
    from briefgen import leaks

    try:
        return [leaks.check(withheld.lookout, data, withheld.count, html)]
    except leaks.Leak as exc:
        raise BuildError(str(exc)) from None


def finish(printable: Printable) -> Made:
    """Lay the HTML out, number the copies, measure the budgets, write the PDF bytes."""
    from briefgen import pdf

    p = printable
    rendered, anchor_pages = pagerefs.lay_out(
        p.html,
        p.known_pages,
        partial(
            pdf.render,
            layout=p.layout,
            standard=p.standard,
            folders=p.folders,
            duplex=p.duplex,
        ),
    )
    if p.copies is not None:
        from briefgen.pdf.copies import copy_marks, numbered

        marks = copy_marks(p.copies, list(p.distribution))
        rendered.document = numbered(rendered.document, marks, p.duplex)
    pages = len(rendered.document.pages)
    if p.strict and rendered.overflows:
        return Made(None, rendered.warnings, rendered.overflows, pages, p.marking)
    data = pdf.write(
        rendered,
        standard=p.standard,
        created=p.created,
        source=p.source,
        libraries=p.libraries,
        allow_missing_glyphs=p.allow_missing_glyphs,
    )
    notes = _verified(p.withheld, data)
    return Made(data, rendered.warnings, rendered.overflows, pages, p.marking, anchor_pages, notes)


def make(job: Job, options: Options) -> Made:
    """Both steps, in one bounded child."""
    prepared = prepare(job, options)
    return prepared if isinstance(prepared, Made) else finish(prepared)


def _attached_libraries(brief: Brief) -> list[tuple[str, bytes]]:
    """Each library read, named by its path from the trip's folder (unique names)."""
    named: dict[str, bytes] = {}
    for library in brief.source.libraries:
        where = library.path.resolve()
        name = (
            where.relative_to(brief.folder).as_posix()
            if where.is_relative_to(brief.folder)
            else where.name
        )
        while name in named:
            name = "_" + name
        named[name] = library.raw
    return list(named.items())

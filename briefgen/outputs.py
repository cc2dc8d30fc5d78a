"""One output, made in a bounded child (`make`): render its HTML from the templates, lay
that out in pages, measure the budgets, write the PDF to the temporary file the parent
opened for it (the parent renames it into place: the bytes never travel through the
parent). Nothing here imports WeasyPrint until the layout starts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

from briefgen import pagerefs
from briefgen.errors import BuildError
from briefgen.files import write_to
from briefgen.language import is_rtl

if TYPE_CHECKING:
    from briefgen.brief import Brief, Withheld
    from briefgen.plans import Job, Options


@dataclass
class Made:
    """What a job produced: whether the output was written (False when --strict refused
    it), what to report."""

    written: bool
    warnings: list[str] = field(default_factory=list)
    overflows: list[str] = field(default_factory=list)
    pages: int = 0
    marking: str | None = None  # the banner of what the document prints
    anchor_pages: dict[str, int] = field(default_factory=dict)  # for the next build (watch)
    notes: list[str] = field(default_factory=list)  # an edition's verification line


def make(job: Job, options: Options, fd: int) -> Made:
    """Render the job's HTML, lay it out, number the copies, measure the budgets, and write
    the PDF (the HTML itself with --html) to `fd`."""
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
        from briefgen.render.inline import html_file

        data = html_file(document, templates.folders).encode("utf-8")
        notes = _verified(brief.withheld, data, True)
        write_to(fd, data)
        return Made(True, marking=marking.banner, notes=notes)
    from briefgen import pdf

    rendered, anchor_pages = pagerefs.lay_out(
        document,
        job.known_pages if templates.house is None else {},
        partial(
            pdf.render,
            layout=job.layout,
            standard=options.standard,
            folders=templates.folders,
            duplex=duplex,
            output=output,
        ),
    )
    if options.copies is not None:
        from briefgen.pdf.copies import copy_marks, numbered

        names = list(brief.trip.memo.distribution)
        count = len(names) if options.copies == "all" else options.copies
        language = brief.trip.trip.language
        marks = copy_marks(count, names, brief.trip.memo.version, language)
        rendered.document = numbered(rendered.document, marks, duplex, is_rtl(language))
    pages = len(rendered.document.pages)
    if options.strict and rendered.overflows:
        return Made(False, rendered.warnings, rendered.overflows, pages, marking.banner)
    data = pdf.write(
        rendered,
        standard=options.standard,
        created=brief.trip.memo.date,
        # An edition never carries the trip file: it holds what was withheld.
        source=None if job.release else (job.trip_path.name, brief.source.raw),
        libraries=[] if job.release else _attached_libraries(brief),
        allow_missing_glyphs=options.allow_missing_glyphs,
    )
    notes = _verified(brief.withheld, data)  # before a byte reaches the file
    write_to(fd, data)
    return Made(
        True, rendered.warnings, rendered.overflows, pages, marking.banner, anchor_pages, notes
    )


def _verified(withheld: Withheld | None, data: bytes, html: bool = False) -> list[str]:
    """An edition's output read back: no withheld text in it (leaks.Leak fails the job, and
    the parent removes the temporary file unrenamed)."""
    if withheld is None:
        return []
    from briefgen import leaks

    try:
        return [leaks.check(withheld.lookout, data, withheld.count, html)]
    except leaks.Leak as exc:
        raise BuildError(str(exc)) from None


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

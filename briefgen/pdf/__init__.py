"""Stage 4: HTML -> PDF with WeasyPrint.

Only this package imports WeasyPrint (slow to import; `check` and `--help` never pay for
it). `fetcher` says what the engine may read, `fonts` finds missing glyphs, `budgets`
measures pages; archival (PDF/A-3b, with the trip attached) and accessible (PDF/UA-1)
output are set up in `write`.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from briefgen.pdf.startup import import_weasyprint

# fontTools stamps subset fonts with the current time unless this is set; fixed, so the
# same input gives the same bytes even without HarfBuzz subsetting.
os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
import_weasyprint()  # before anything else imports it, and quickly: see startup.py

import weasyprint  # noqa: E402
from weasyprint.urls import FatalURLFetchingError  # noqa: E402

from briefgen.errors import BuildError  # noqa: E402
from briefgen.pdf import bars, budgets, continued, economy, ellipsis, tagging, targets  # noqa: E402
from briefgen.pdf.fetcher import AssetFetcher  # noqa: E402
from briefgen.pdf.fonts import font_config, glyph_problem  # noqa: E402
from briefgen.products import page_budget  # noqa: E402

economy.install()
targets.install()  # page references laid out twice, not three times


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def weasyprint_log():
    """Collect what WeasyPrint logs (warnings and up) instead of letting it reach stderr."""
    collector = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    previous_propagate = logger.propagate
    logger.propagate = False
    try:
        yield collector.messages
    except FatalURLFetchingError as exc:  # a BaseException: catch it by name
        raise BuildError(str(exc)) from None
    finally:
        logger.removeHandler(collector)
        logger.propagate = previous_propagate


@dataclass
class Rendered:
    """A laid-out document, what WeasyPrint warned about, and what overflows its budget."""

    document: weasyprint.Document
    warnings: list[str]
    overflows: list[str]


DUPLEX_END = '<div class="duplex-end">'
DUPLEX_END_SHOWN = '<div class="duplex-end shown">'


CHANGES_FULL = '<div class="changes-full">'
CHANGES_FULL_END = "</div><!--/changes-full-->"
CHANGES_COMPACT = '<span class="changes-compact">'


def compact_changes(html: str) -> str | None:
    """The HTML with the memo's or card's list of changes cut, its one-line summary in the
    version line shown, and the flags in its schedule without what each event was (`was
    13:00–17:30`: the book says it) (templates/sections/changes*.html.j2, style.css), or None
    when it has no such list."""
    start = html.find(CHANGES_FULL)
    end = html.find(CHANGES_FULL_END, start)
    if start < 0 or end < 0 or CHANGES_COMPACT not in html:
        return None
    cut = html[:start] + html[end + len(CHANGES_FULL_END) :]
    cut = cut.replace(CHANGES_COMPACT, '<span class="changes-compact shown">', 1)
    return cut.replace('<body class="', '<body class="changes-compacted ', 1)


def _options(standard: str | None) -> dict:
    return {"pdf_tags": True, **({"pdf_variant": standard} if standard else {})}


def render(
    html: str,
    *,
    layout: str,
    folders: Iterable[Path],
    standard: str | None = None,
    duplex: bool = False,
    output=None,
) -> Rendered:
    """Lay the HTML out in pages and measure them against the page budgets. `folders`: what
    the document may load (`render.reach`), the first the base of relative URLs (a house
    style's own folder). `duplex`: an odd page count is laid out again with the closing
    blank page shown (templates/duplex.css). `output`: the trip's `output` (its `card`
    decides whether the card's budget is counted in pocket pages or sheets)."""
    folders = list(folders)

    economical = True  # off when a break it declined put a unit on the wrong side

    def lay_out(html: str) -> weasyprint.Document:
        with economy.declining(economical):
            document = weasyprint.HTML(
                string=html, base_url=folders[0].as_uri() + "/", url_fetcher=AssetFetcher(folders)
            ).render(font_config=font_config(), **_options(standard))
        if f'class="{bars.BAR_CLASS}"' in html:  # only with --changes-since
            bars.place(document, duplex)
        return document

    budget = page_budget(layout, output)
    with weasyprint_log() as messages:
        document = lay_out(html)  # page economy decides its breaks meanwhile (economy.py)
        if duplex and economy.on_the_wrong_side(document):
            messages.clear()
            economical = False
            document = lay_out(html)
        overflows = budgets.overflows(document, layout, budget)  # the closing page aside
        if overflows and (compact := compact_changes(html)) is not None:
            messages.clear()  # the list of changes broke the budget: its one-line summary
            html, document = compact, lay_out(compact)
            overflows = budgets.overflows(document, layout, budget)
        if duplex and len(document.pages) % 2 and DUPLEX_END in html:
            messages.clear()
            head, _, tail = html.rpartition(DUPLEX_END)
            document = lay_out(head + DUPLEX_END_SHOWN + tail)
    if continued.MARK in html:  # a heading says "continued" where its table goes on
        continued.show(document)
    ellipsis.draw_inside(document.pages)
    return Rendered(document, messages, overflows)


def _drop_attachments(document: weasyprint.Document) -> list[str]:
    """Remove every file the HTML asks to embed (`<link rel=attachment>`, `<a rel=attachment>`):
    the only attachments are the ones `write` adds. A warning per file dropped."""
    asked = [a.description or "a <link rel=attachment>" for a in document.metadata.attachments]
    document.metadata.attachments = []
    for page in document.pages:
        asked += [target for kind, target, *_ in page.links if kind == "attachment"]
        page.links = [link for link in page.links if link[0] != "attachment"]
    return [
        f"dropped an attachment the templates asked for ({what}): only briefgen attaches files"
        for what in asked
    ]


def write(
    rendered: Rendered,
    *,
    standard: str | None = None,
    source: tuple[str, bytes] | None = None,
    created: dt.date | None = None,
    allow_missing_glyphs: bool = False,
    libraries: Iterable[tuple[str, bytes]] = (),
) -> bytes:
    """The PDF bytes; for PDF/A-3 the trip file itself is attached (relationship Source),
    and every library it read: the only attachments (any the HTML asks for are dropped, with
    a warning). Text that no font could draw fails the build, naming it and the font
    package."""
    options = _options(standard)
    dropped = _drop_attachments(rendered.document)
    if standard == "pdf/a-3b" and source is not None:
        when = dt.datetime.combine(created or dt.date(1970, 1, 1), dt.time(), dt.UTC)
        files = [(*source, "The trip file this book was built from")] + [
            (name, data, "A library the trip file includes") for name, data in libraries
        ]
        options["attachments"] = [
            weasyprint.Attachment(
                string=data,
                name=name,
                description=description,
                relationship="Source",
                created=when,
                modified=when,
            )
            for name, data, description in files
        ]
    with weasyprint_log() as messages, tagging.finisher(standard == "pdf/ua-1") as finish:
        pdf = rendered.document.write_pdf(finisher=finish, **options)
    problem = glyph_problem(rendered.warnings + messages)
    if problem and not allow_missing_glyphs:
        raise BuildError(problem)
    rendered.warnings = [m for m in rendered.warnings + messages if "notdef" not in m] + dropped
    if problem:
        rendered.warnings.append(problem)
    return pdf

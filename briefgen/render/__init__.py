"""Stage 3: a validated Brief -> one HTML document, through the Jinja2 templates.

`text` makes trip text safe and formats dates and clocks, `view` freezes what templates
see into plain data, `environment` finds templates (built-in and house styles) and holds
the sandbox. Trip text is data handed to templates, never template source, so `{{ }}` in a
trip file prints as typed.
"""

from __future__ import annotations

import traceback

import jinja2

from briefgen.brief import Brief
from briefgen.errors import TemplateProblem
from briefgen.language import RTL_LANGUAGES, is_rtl, speaking
from briefgen.markings import Marking, marks_of, rollup
from briefgen.plain import plain_text
from briefgen.products import PAPER_SIZES, PRODUCTS, pocket_size
from briefgen.render.bars import CHANGE_BAR
from briefgen.render.environment import (
    Templates,
    check_house_blocks,
    find_house_style,
    locate_template_error,
    template_environment,
)
from briefgen.render.frozen import freeze, freezing_once
from briefgen.render.itinerary import itinerary_context
from briefgen.render.marked import MarkedText, printing
from briefgen.render.packet import packet_context
from briefgen.render.page_words import page_css
from briefgen.render.reach import check_house_apart
from briefgen.render.text import TextPrinter
from briefgen.render.view import build_view, printed_paper

__all__ = [
    "Templates",
    "find_house_style",
    "printed_marking",
    "render_document",
    "render_html",
    "template_context",
]


def template_context(
    brief: Brief,
    *,
    layout: str,
    paper: str | None,
    templates: Templates,
    marking: Marking | None = None,
    printed: set | None = None,
    event: str | None = None,
    changes=None,
    duplex: bool = False,
) -> dict:
    """Everything a template sees: plain data, and the functions we define. `text` and
    `portion` add the marks they print to `printed`, and so does every other way to print
    a Text (render/marked.py);
    `changes` (a diff.Diff) only when the build shows what changed."""
    t = brief.trip
    marking = marking or brief.marking
    printed = set() if printed is None else printed
    text = TextPrinter(
        marking,
        {s.id: n for n, s in enumerate(t.sources, 1)},
        cite_sources=PRODUCTS[layout].cites_sources,
        printed=printed.add,
    )
    with freezing_once(), printing(text):
        view = build_view(brief, changes)
        text.barred = frozenset(view.barred_texts)
        frozen_t, packet = freeze(t), None
        if layout == "meeting":
            frozen_t, view, packet = packet_context(brief, view, event or "")
        elif layout == "itinerary":  # `event` names the traveller
            frozen_t, view, packet = itinerary_context(brief, view, event or "")
        principal = freeze(t.people[t.trip.principal])
        subject = MarkedText(plain_text(t.memo.subject.text), t.memo.subject.mark, bare=True)

    def portion(mark: str | None = None) -> str | None:
        printed.add(mark)
        return marking.portion(mark)

    return {
        "t": frozen_t,
        "view": view,
        "packet": packet,
        "marking": freeze(marking),
        "layout": layout,
        "text": text.__call__,  # a bound method: no attribute a template can reach
        "portion": portion,
        "change_bar": CHANGE_BAR,
        "paper": PAPER_SIZES.get(paper or ""),
        "pocket": pocket_size(layout, brief.trip.output, paper),  # a pocket card's page size
        "stylesheets": _stylesheets(templates, duplex, is_rtl(t.trip.language)),
        # the page words (page_words) go after the built-in sheets, before a house style's
        "builtin_sheets": 1 + duplex + is_rtl(t.trip.language),
        "duplex": duplex,
        "house": templates.house.as_uri() + "/" if templates.house else "",
        "rtl_languages": RTL_LANGUAGES,
        "language": t.trip.language,
        "rtl": is_rtl(t.trip.language),
        "page_css": page_css(t.trip.language, duplex),
        "principal": principal,
        "subject_plain": subject,
        "edition": brief.withheld.statement if brief.withheld else None,
    }


def _stylesheets(templates: Templates, duplex: bool, rtl: bool) -> tuple[str, ...]:
    """The built-in stylesheet, duplex.css when printing on both sides, rtl.css for a book
    right to left, the house style's."""
    sheets = list(templates.stylesheets)
    extra = [name for name, wanted in (("duplex.css", duplex), ("rtl.css", rtl)) if wanted]
    sheets[1:1] = [(templates.builtin / name).resolve().as_uri() for name in extra]
    return tuple(sheets)


def render_html(
    brief: Brief,
    *,
    layout: str = "book",
    paper: str | None = None,
    templates: Templates | None = None,
    changes=None,
) -> str:
    """The HTML document for one layout. Raises TemplateProblem for template errors."""
    return render_document(brief, layout=layout, paper=paper, templates=templates, changes=changes)[
        0
    ]


def render_document(
    brief: Brief,
    *,
    layout: str = "book",
    paper: str | None = None,
    templates: Templates | None = None,
    event: str | None = None,
    changes=None,
    duplex: bool = False,
) -> tuple[str, Marking]:
    """The HTML document for one layout and its marking: the highest mark of the portions
    it prints. The page furniture (banner, metadata, portion marks) is printed before the
    body, so the document is rendered with the file's marking first, and again with the
    marking of what it printed when that is lower (never lower than anything printed)."""
    templates = templates or Templates()
    old_bytes = changes.old_bytes if changes is not None else ()
    check_house_apart(templates.house, brief.files_read, (*brief.bytes_read, *old_bytes))
    env = template_environment(templates)
    name = PRODUCTS[layout].template
    try:
        check_house_blocks(env, templates, name)
        template = env.get_template(name)
        marking, printed = brief.marking, set[str | None]()
        with speaking(brief.trip.trip.language):
            for _ in range(3):
                html = template.render(
                    template_context(
                        brief,
                        layout=layout,
                        paper=paper,
                        templates=templates,
                        marking=marking,
                        printed=printed,
                        event=event,
                        changes=changes,
                        duplex=duplex,
                    )
                )
                found = rollup(brief.trip.markings, printed)
                if found == marking:
                    return html, marking
                marking = found
            return html, marking  # pragma: no cover - marks only ever grow across passes
    except (TemplateProblem, MemoryError):
        raise
    except (jinja2.TemplateError, RecursionError) as exc:
        raise TemplateProblem(locate_template_error(exc)) from None
    except Exception as exc:  # an error raised inside a template's own code
        if any(f.filename.endswith(".j2") for f in traceback.extract_tb(exc.__traceback__)):
            raise TemplateProblem(locate_template_error(exc)) from None
        raise


def printed_marking(brief: Brief) -> str:
    """The banner of what the usual layouts print (`output.layouts`, else the book), from
    the built-in templates: `SECRET`, or `book SECRET, memo CONFIDENTIAL` when they differ.
    The book prints every Text of the file but the principal's own bio and notes (no bio
    page for the principal: render/view.py; tests/test_marking_printed.py holds it to that)
    and the title of a paper with nothing under it: while those carry no mark of their own,
    its banner is the file's and it is not rendered."""
    marking = brief.marking
    if marking.system is None or marking.overall in (None, *marks_of(marking.system)[:1]):
        return marking.banner or "no markings"  # nothing printed can be lower than this
    layouts = [
        x for x in (brief.trip.output.layouts if brief.trip.output else []) if x != "meeting"
    ] or ["book"]
    banners = {
        layout: (
            marking
            if layout == "book" and _book_prints_every_mark(brief)
            else _rendered_marking(brief, layout)
        ).banner
        or "no markings"
        for layout in layouts
    }
    if len(set(banners.values())) == 1:
        return next(iter(banners.values()))
    return ", ".join(f"{layout} {banner}" for layout, banner in banners.items())


def _book_prints_every_mark(brief: Brief) -> bool:
    """Whether the book leaves out no marked text: the principal's bio and notes (no bio
    page for the principal), and the title of an issue paper with nothing under it."""
    principal = brief.trip.people.get(brief.trip.trip.principal)
    left_out = [*principal.bio, *principal.notes] if principal else []
    left_out += [i.title for i in brief.trip.issues if not printed_paper(i)]
    return all(t.mark is None for t in left_out)


def _rendered_marking(brief: Brief, layout: str) -> Marking:
    return render_document(brief, layout=layout)[1]

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
from briefgen.products import PAPER_SIZES, PRODUCTS
from briefgen.render.environment import (
    Templates,
    check_house_blocks,
    environment,
    find_house_style,
    locate_template_error,
)
from briefgen.render.text import plain_text, text_renderer
from briefgen.render.view import RTL_LANGUAGES, build_view, freeze

__all__ = ["Templates", "find_house_style", "render_html", "template_context"]


def template_context(brief: Brief, *, layout: str, paper: str | None,
                     templates: Templates, changes=None) -> dict:
    """Everything a template sees: plain data, and the functions we define."""
    t = brief.trip
    view = build_view(brief, changes)
    marking = brief.marking

    def portion(mark: str | None = None) -> str | None:
        return marking.portion(mark)

    return {
        "t": freeze(t), "view": view, "marking": freeze(marking), "layout": layout,
        "text": text_renderer(marking, view.source_numbers,
                              cite_sources=PRODUCTS[layout].cites_sources),
        "portion": portion,
        "paper": PAPER_SIZES.get(paper or ""), "stylesheets": tuple(templates.stylesheets),
        "house": templates.house.as_uri() + "/" if templates.house else "",
        "rtl_languages": RTL_LANGUAGES,
        "principal": freeze(t.people[t.trip.principal]),
        "subject_plain": plain_text(t.memo.subject.text),
    }


def render_html(brief: Brief, *, layout: str = "book", paper: str | None = None,
                templates: Templates | None = None, changes=None) -> str:
    """The HTML document for one layout. Raises TemplateProblem for template errors."""
    templates = templates or Templates()
    env = environment(templates)
    name = PRODUCTS[layout].template
    try:
        check_house_blocks(env, templates, name)
        template = env.get_template(name)
        return template.render(template_context(brief, layout=layout, paper=paper,
                                                templates=templates, changes=changes))
    except (TemplateProblem, MemoryError):
        raise
    except (jinja2.TemplateError, RecursionError) as exc:
        raise TemplateProblem(locate_template_error(exc)) from None
    except Exception as exc:  # an error raised inside a template's own code
        if any(f.filename.endswith(".j2") for f in traceback.extract_tb(exc.__traceback__)):
            raise TemplateProblem(locate_template_error(exc)) from None
        raise

"""How text, dates and clock times print: inline Markdown made safe, portion marks and
citations on each Text, and the date/time formats the templates use as filters.

Trip text is untrusted: markdown-it-py runs with raw HTML off, images printed back as typed
and links only to http(s)/mailto; everything else is escaped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from functools import cache

from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from briefgen.markings import Marking
from briefgen.schedule import Span


@cache
def _markdown() -> MarkdownIt:
    md = MarkdownIt("zero", {"html": False, "breaks": False, "typographer": False})
    md.enable(["emphasis", "backticks", "link", "image", "newline", "escape", "entity",
               "strikethrough"])
    md.validateLink = lambda url: url.strip().lower().startswith(("http://", "https://",
                                                                   "mailto:"))
    # Images are parsed only to be printed back as the text that was typed: never fetched.
    md.add_render_rule("image", lambda self, tokens, idx, options, env: escape(
        f"![{tokens[idx].content}]({tokens[idx].attrGet('src')})"))
    return md


def inline_markdown(source: str) -> Markup:
    """Inline Markdown -> safe HTML. Raw HTML and images stay text; only web/mail links."""
    return Markup(_markdown().renderInline(source).strip())


def plain_text(source: str) -> str:
    """Inline Markdown reduced to its words (for PDF metadata and bookmarks)."""
    tokens = _markdown().parseInline(source)
    words = [" " if child.type in ("softbreak", "hardbreak") else child.content
             for t in tokens for child in (t.children or [])
             if child.type in ("text", "code_inline", "softbreak", "hardbreak")]
    return " ".join("".join(words).split())


# ---------------------------------------------------------------- dates and times


def hm(moment: dt.datetime | dt.time) -> str:
    return f"{moment.hour:02d}:{moment.minute:02d}"


def short_day(day: dt.date) -> str:
    return f"{day:%a} {day:%b} {day.day}"


def day_cell(day: dt.date) -> Markup:
    """`Mon May 13` that wraps only after the weekday."""
    return Markup('{} <span class="nowrap">{} {}</span>').format(f"{day:%a}", f"{day:%b}",
                                                                 day.day)


def long_date(day: dt.date) -> str:
    return f"{day:%A}, {day:%B} {day.day}, {day.year}"


def memo_date(day: dt.date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def utc_offset(moment: dt.datetime) -> str:
    offset = moment.utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def span_markup(span: Span, reference: dt.date | None = None) -> Markup:
    """`07:30–09:00`; the next day flagged; the day named when it is not `reference`."""
    text = hm(span.start) + (f"–{hm(span.end)}" if span.end is not None else "")
    out = Markup('<span class="nowrap">{}</span>').format(text)
    if span.end is not None and (extra := (span.end.date() - span.start.date()).days):
        out += Markup(' <span class="nowrap">(+{} day{})</span>').format(
            extra, "s" if extra > 1 else "")
    if reference is not None and span.start.date() != reference:
        out = Markup('<span class="nowrap">{},</span> ').format(short_day(span.start.date())) + out
    return out


def breakable(address: str | None) -> Markup:
    """An e-mail address or URL that may break only after `@`, `.`, `/` or `-` (never
    mid-word): escaped, with a line-break opportunity after each of those."""
    out = Markup("")
    for char in address or "":
        out += escape(char)
        if char in "@./-":
            out += Markup("<wbr>")
    return out


FILTERS: dict[str, Callable] = {
    "long_date": long_date, "short_day": short_day, "day_cell": day_cell,
    "memo_date": memo_date, "plain": plain_text, "hm": hm, "breakable": breakable,
}


# ---------------------------------------------------------------- a Text with its mark


def text_renderer(marking: Marking, source_numbers: Mapping[str, int],
                  cite_sources: bool,
                  printed: Callable[[str | None], None] = lambda mark: None,
                  ) -> Callable[..., Markup]:
    """`text(item)`: a Text (a record with text, mark, sources) or a plain string, with its
    portion mark and, where the layout prints the sources, its citations. Every Text printed
    is reported to `printed` with its mark (None: unmarked), so that the banner follows what
    the document prints."""

    def text(item, mark: bool = True) -> Markup:
        if item is None:
            return Markup("")
        if isinstance(item, str):
            return escape(item)
        printed(item.mark)
        out = Markup("")
        prefix = marking.portion(item.mark) if mark else None
        if prefix:
            out += Markup('<span class="pm">{}</span> ').format(prefix)
        out += inline_markdown(item.text)
        for sid in item.sources if cite_sources else ():
            out += Markup('<sup class="cite"><a href="#source-{}">[{}]</a></sup>').format(
                sid, source_numbers[sid])
        return out

    return text

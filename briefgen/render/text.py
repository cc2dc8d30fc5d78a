"""How text prints in HTML: inline Markdown made safe, portion marks and citations on each
Text, and the template filters for dates and clock times (their words come from `clock`; a
few are wrapped here so they break only where they should).

Trip text is untrusted: the parser (`plain.inline_parser`) runs with raw HTML off; images are
printed back as typed and links go only to http(s)/mailto; everything else is escaped.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Mapping
from functools import cache
from typing import cast

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markupsafe import Markup, escape

from briefgen.clock import days_later, hm, long_date, memo_date, short_day, times
from briefgen.language import date_range, is_rtl, quotes
from briefgen.language import gettext as _
from briefgen.limits import LONG_WORD_CHARS
from briefgen.markings import Marking
from briefgen.plain import curly, inline_parser, plain_text
from briefgen.render.bars import CHANGE_BAR
from briefgen.render.marked import MarkedText, parts, plain_words
from briefgen.schedule import Span

_LONG_WORD = re.compile(rf"\S{{{LONG_WORD_CHARS + 1},}}")
_CHUNK = 16


def breakable(text: str) -> str:
    """Words longer than LONG_WORD_CHARS get a zero-width space every few characters: the
    engine's search for a break inside one huge word is quadratic in its length."""
    if len(text) <= LONG_WORD_CHARS or not _LONG_WORD.search(text):
        return text
    return _LONG_WORD.sub(
        lambda m: "\u200b".join(
            m.group()[i : i + _CHUNK] for i in range(0, len(m.group()), _CHUNK)
        ),
        text,
    )


def finalize(value):
    """Jinja2's finalize: every plain string a template prints has the language's quotation
    marks (`plain.curly`) and may break in huge words."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return breakable(curly(value))
    return value


@cache
def _markdown(marks: tuple[str, ...]) -> MarkdownIt:
    md = inline_parser(marks)
    # Images are parsed only to be printed back as the text that was typed: never fetched.
    md.add_render_rule(
        "image",
        lambda self, tokens, idx, options, env: escape(
            f"![{tokens[idx].content}]({tokens[idx].attrGet('src')})"
        ),
    )
    renderer = cast(RendererHTML, md.renderer)
    for rule in ("text", "code_inline"):  # huge words break; links keep their address
        md.add_render_rule(rule, _breaking(renderer.rules[rule]))
    return md


def _breaking(default):
    def render(self, tokens, idx, options, env):
        if tokens[idx].type == "text":  # names in native script and office symbols whole
            return unbroken(tokens[idx].content)
        tokens[idx].content = breakable(tokens[idx].content)
        return default(tokens, idx, options, env)

    return render


# Runs of Hebrew, Arabic, Thai, Hangul, kana and CJK (a name, a place: 钓鱼台国宾馆, فيصل بن
# فرحان), and office symbols (S/ES-O, EAP/CM) are never broken inside: short ones only, so
# that a sentence in those scripts still wraps.
_SCRIPT = (
    "\u0590-\u08ff\u0e00-\u0e7f\u1100-\u11ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
)
_OFFICE = r"(?<![\w/-])[A-Z][A-Z0-9]{0,7}(?:[/-][A-Z0-9]{1,8})+(?![\w/-])"
_WHOLE = re.compile(rf"[{_SCRIPT}]+(?: [{_SCRIPT}]+)*|{_OFFICE}")
_WHOLE_MAX = 20  # characters: longer runs may break as usual


def unbroken(value: str | None) -> Markup:
    """Plain text, escaped, with its short native-script runs and office symbols in
    `nowrap` spans (and huge words breakable)."""
    out, last = Markup(""), 0
    text = str(value or "")
    for match in _WHOLE.finditer(text):
        if len(match.group()) > _WHOLE_MAX or match.start() < last:
            continue
        out += escape(breakable(text[last : match.start()]))
        out += Markup('<span class="nowrap">{}</span>').format(match.group())
        last = match.end()
    return out + escape(breakable(text[last:]))


def inline_markdown(source: str) -> Markup:
    """Inline Markdown -> safe HTML. Raw HTML and images stay text; only web/mail links."""
    return Markup(_markdown(quotes()).renderInline(source).strip())


# ---------------------------------------------------------------- dates and times


def day_cell(day: dt.date) -> Markup:
    """`Mon May 13` that wraps only after the weekday."""
    weekday, _space, rest = short_day(day).partition(" ")
    return Markup('{} <span class="nowrap">{}</span>').format(weekday, rest)


def ltr(words: str) -> str | Markup:
    """Words that read left to right (clock times), isolated in a right-to-left book."""
    return Markup('<bdi dir="ltr">{}</bdi>').format(words) if is_rtl() else words


def first_strong(words: str) -> str | None:
    """`ltr` or `rtl`: the direction of the first letter that has one (HTML's dir=auto)."""
    for char in words:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return None


def isolated(value):
    """Trip words beside the book's own, in a right-to-left book: in their own direction
    (`<bdi dir>`), so that `EAP/CM – A. Name, June 15` keeps its order; elsewhere as they are."""
    if not is_rtl() or not value:
        return value
    if not isinstance(value, Markup):
        value = curly(str(value))
    words = value.striptags() if isinstance(value, Markup) else value
    return Markup('<bdi dir="{}">{}</bdi>').format(first_strong(words) or "rtl", value)


def span_markup(span: Span, reference: dt.date | None = None) -> Markup:
    """`07:30–09:00`; the next day flagged; the day named when it is not `reference`."""
    out = Markup('<span class="nowrap">{}</span>').format(ltr(times(span)))
    if later := days_later(span):
        out += Markup(' <span class="nowrap">{}</span>').format(later)
    if reference is not None and span.start.date() != reference:
        day = short_day(span.start.date())
        out = Markup('<span class="nowrap">{}{}</span> ').format(day, _(",")) + out  # ، in ar
    return out


def address(value: str | None) -> Markup:
    """An e-mail address or URL that may break only after `@`, `.`, `/` or `-` (never
    mid-word): escaped, with a line-break opportunity after each of those."""
    pieces = re.split(r"(?<=[@./-])", str(value or ""))
    return Markup("<wbr>").join(escape(breakable(piece)) for piece in pieces if piece)


def _plain(item) -> str:
    """`|plain`: inline Markdown reduced to its words; a Text's mark is recorded."""
    return plain_words(item) if isinstance(item, MarkedText) else plain_text(str(item))


FILTERS: dict[str, Callable] = {
    "long_date": long_date,
    "short_day": short_day,
    "day_cell": day_cell,
    "memo_date": memo_date,
    "date_range": date_range,
    "plain": _plain,
    "hm": lambda moment: ltr(hm(moment)),
    "address": address,
    "unbroken": lambda value: unbroken(curly(str(value or ""))),
    "isolated": isolated,
}


# ---------------------------------------------------------------- a Text with its mark


class TextPrinter:
    """`text(item)` in templates, and the Printer of every MarkedText of the document: a
    Text with its portion mark and, where the layout prints the sources, its citations.
    Every Text printed is reported to `printed` with its mark (None: unmarked), so that
    the banner follows what the document prints."""

    def __init__(
        self,
        marking: Marking,
        source_numbers: Mapping[str, int],
        cite_sources: bool,
        printed: Callable[[str | None], None] = lambda mark: None,
    ):
        self.marking, self.source_numbers = marking, source_numbers
        self.cite_sources, self.record = cite_sources, printed
        self.barred: frozenset[MarkedText] = frozenset()  # changed Texts: a bar before each

    def __call__(self, item, mark: bool = True) -> Markup:
        if item is None:
            return Markup("")
        if isinstance(item, str):
            return escape(curly(item))
        if isinstance(item, MarkedText):
            words, item_mark, sources = parts(item)
        else:  # a model's Text (calendar, tests)
            words, item_mark, sources = item.text, item.mark, tuple(item.sources)
        self.record(item_mark)
        barred = mark and isinstance(item, MarkedText) and item in self.barred
        out = CHANGE_BAR if barred else Markup("")
        prefix = self.marking.portion(item_mark) if mark else None
        if prefix:
            out += Markup('<span class="pm">{}</span> ').format(prefix)
        out += inline_markdown(words)
        for sid in sources if self.cite_sources else ():
            out += Markup('<sup class="cite"><a href="#source-{}">[{}]</a></sup>').format(
                sid, self.source_numbers[sid]
            )
        if is_rtl() and first_strong(plain_text(words)) == "ltr":  # English in an Arabic book
            out = Markup('<bdi dir="ltr">{}</bdi>').format(out)
        return out

    def html(self, item: MarkedText) -> Markup:
        return self(item)

    def words(self, item: MarkedText) -> str:
        """`(C//NF) plain words`: the Text as plain text, with its mark."""
        words, mark, _ = parts(item)
        self.record(mark)
        prefix = self.marking.portion(mark)
        return f"{prefix} {plain_text(words)}" if prefix else plain_text(words)

    def plain(self, item: MarkedText) -> str:
        words, mark, _ = parts(item)
        self.record(mark)
        return plain_text(words)

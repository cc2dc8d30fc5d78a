"""The inline Markdown of trip text, parsed one way everywhere, and its plain words.

Trip text is untrusted: the parser runs with raw HTML off and takes links only to
http(s)/mailto (anything else stays text). `render.text` renders it as HTML; `plain_text`
gives its words for PDF metadata, bookmarks, the calendar and the diff.

Printed, straight quotes become the quotation marks of the book's language and apostrophes
`’` (markdown-it's typographer, `smartquotes`): in Markdown with `inline_parser(marks)`, in
plain fields (names, titles) with `curly`. What is read or compared (check, the diff, the
calendar) keeps what was typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from markdown_it import MarkdownIt

from briefgen.language import quotes


class _Markdown(MarkdownIt):
    def validateLink(self, url: str) -> bool:
        """Only web and mail links; `javascript:`, `file:`, `data:` stay text."""
        return url.strip().lower().startswith(("http://", "https://", "mailto:"))


def inline_parser(marks: Sequence[str] = ()) -> MarkdownIt:
    """A new parser of the inline Markdown trip files may use (the renderer adds its rules);
    with `marks` (language.quotes), straight quotes become those."""
    md = _Markdown("zero", {"html": False, "breaks": False, "typographer": bool(marks)})
    md.enable(
        ["emphasis", "backticks", "link", "image", "newline", "escape", "entity", "strikethrough"]
    )
    if marks:
        md.options["quotes"] = list(marks)
        md.enable("smartquotes")
    return md


@cache
def _quoting(marks: tuple[str, ...]) -> MarkdownIt:
    """A parser that reads everything as text, and only makes quotes typographic."""
    md = _Markdown("zero", {"html": False, "typographer": True})
    md.options["quotes"] = list(marks)
    return md.enable("smartquotes")


def curly(text: str) -> str:
    """Plain text (a name, a title) with straight quotes made those of the language being
    printed, and apostrophes `’`: `"Hosts' view"` -> `“Hosts’ view”`."""
    if "'" not in text and '"' not in text:
        return text
    tokens = _quoting(quotes()).parseInline(text)
    return "".join(child.content for token in tokens for child in token.children or [])


@cache
def _parser() -> MarkdownIt:
    return inline_parser()


def plain_text(source: str) -> str:
    """Inline Markdown reduced to its words: `Your *travel* to [Beijing](…)` -> `Your travel
    to Beijing`."""
    tokens = _parser().parseInline(source)
    words = [
        " " if child.type in ("softbreak", "hardbreak") else child.content
        for t in tokens
        for child in (t.children or [])
        if child.type in ("text", "code_inline", "softbreak", "hardbreak")
    ]
    return " ".join("".join(words).split())

"""The inline Markdown of trip text, parsed one way everywhere, and its plain words.

Trip text is untrusted: the parser runs with raw HTML off and takes links only to
http(s)/mailto (anything else stays text). `render.text` renders it as HTML; `plain_text`
gives its words for PDF metadata, bookmarks, the calendar and the diff.
"""

from __future__ import annotations

from functools import cache

from markdown_it import MarkdownIt


class _Markdown(MarkdownIt):
    def validateLink(self, url: str) -> bool:
        """Only web and mail links; `javascript:`, `file:`, `data:` stay text."""
        return url.strip().lower().startswith(("http://", "https://", "mailto:"))


def inline_parser() -> MarkdownIt:
    """A new parser of the inline Markdown trip files may use (the renderer adds its rules)."""
    md = _Markdown("zero", {"html": False, "breaks": False, "typographer": False})
    md.enable(
        ["emphasis", "backticks", "link", "image", "newline", "escape", "entity", "strikethrough"]
    )
    return md


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

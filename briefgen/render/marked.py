"""Texts as templates receive them: `MarkedText`, from which no template can get a Text's
words without its portion mark being recorded as printed (issue 22: a house style printing
`{{ b.text }}` put SECRET paragraphs under an UNCLASSIFIED banner).

A template holds a MarkedText where the trip has a Text. Every way to turn it into words —
`{{ b }}`, `{{ b.text }}` (the same object), `|string`, `|e`, `|safe`, `~`, `|format`,
`|join`, `|list`, a loop over its characters, `|length`, `|upper`, `in` — goes through
`__html__`, `__str__` or `__iter__`, which print it through the document's `Printer` (the
`text()` of the context): with its `(C//NF)` mark and recorded, so the banner follows. The
words themselves sit in attributes a sandboxed template cannot read (leading underscore).
A contact's fields and the subject in the metadata are `bare`: printed as they are, but
recorded with their mark all the same.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager
from contextvars import ContextVar
from typing import Any, Protocol

from markupsafe import Markup, escape

from briefgen.scoped import scoped


class Printer(Protocol):
    def html(self, item: MarkedText) -> Markup: ...

    def words(self, item: MarkedText) -> str: ...

    def plain(self, item: MarkedText) -> str: ...

    def record(self, mark: str | None) -> None: ...


_printer: ContextVar[Printer | None] = ContextVar("printer", default=None)


def printing(printer: Printer) -> AbstractContextManager[None]:
    """Texts frozen within the block print through `printer` (one per document pass)."""
    return scoped(_printer, printer)


class _Unrendered:
    """Outside a render (our own code reading a view): the words, no mark, nothing recorded."""

    def html(self, item: MarkedText) -> Markup:
        return escape(item._words)

    def words(self, item: MarkedText) -> str:
        return item._words

    def plain(self, item: MarkedText) -> str:
        return item._words

    def record(self, mark: str | None) -> None:
        return None


class MarkedText:
    """A Text (or a marked bare string) for templates: see the module."""

    __slots__ = ("_bare", "_extra", "_mark", "_printer", "_sources", "_words")

    def __init__(
        self,
        words: str,
        mark: str | None,
        sources: tuple[str, ...] = (),
        extra: Mapping[str, Any] | None = None,
        bare: bool = False,
    ):
        printer = _printer.get() or _Unrendered()
        self._words, self._mark, self._sources = words, mark, sources
        self._extra, self._bare, self._printer = dict(extra or {}), bare, printer

    # What a template may read: the mark, the cited sources, a goal's kind and priority.
    @property
    def mark(self) -> str | None:
        return self._mark

    @property
    def sources(self) -> tuple[str, ...]:
        return self._sources

    @property
    def text(self) -> MarkedText:
        """`b.text` is `b`: its words only with its mark."""
        return self

    def __getattr__(self, name: str) -> Any:
        extra = object.__getattribute__(self, "_extra")
        if name.startswith("_") or name not in extra:
            raise AttributeError(name)
        return extra[name]

    # Every way to its words records the mark.
    def __html__(self) -> Markup:
        if self._bare:
            self._printer.record(self._mark)
            return escape(self._words)
        return self._printer.html(self)

    def __str__(self) -> str:
        if self._bare:
            self._printer.record(self._mark)
            return self._words
        return self._printer.words(self)

    def __iter__(self) -> Iterator[str]:
        return iter(str(self))

    def __reversed__(self) -> Iterator[str]:
        return reversed(str(self))

    def __len__(self) -> int:
        return len(str(self))

    def __bool__(self) -> bool:
        return True  # `{% if b %}` tells nothing of its words

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __repr__(self) -> str:
        return f"<Text {self._mark or 'unmarked'}>"


def printing_marking() -> Any:
    """The marking the document being rendered prints with (None outside a render): for
    what draws its own words, such as the timelines' pictures."""
    return getattr(_printer.get(), "marking", None)


def parts(item: MarkedText) -> tuple[str, str | None, tuple[str, ...]]:
    """(words, mark, sources): for the Printer only (templates cannot reach it)."""
    return item._words, item._mark, item._sources


def plain_words(item: MarkedText) -> str:
    """`|plain`: its words without the mark (the template prints the mark beside them, as
    in bookmarks and running heads), recorded all the same."""
    if item._bare:
        return str(item)
    return item._printer.plain(item)

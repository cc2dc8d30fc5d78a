"""What a printed value needs to fit the place it is printed in (Jinja2 filters): a table
row long enough to split over pages, a cell word long enough to break anywhere, a name too
long for one line, the contacts with something to print, a card's column heading cut short."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from briefgen.render.marked import MarkedText, parts

LONG_CELL_CHARACTERS = 400  # a table cell this long may make its row taller than a page has left


def long_row(cells) -> bool:
    """`[a, b] | long_row`: whether one of a table row's cells runs past LONG_CELL_CHARACTERS
    (a row is as tall as its tallest cell). Such a row may split over pages (style.css
    `tr.long`): kept whole, it was pushed to the next page and left the page before it
    near-empty; shorter rows stay whole. Nothing is printed, so no mark is recorded."""
    cells = cells if isinstance(cells, list | tuple) else [cells]
    return any(_length(cell) > LONG_CELL_CHARACTERS for cell in cells)


LONG_WORD_IN_CELL = 30  # characters: a word this long in a table cell may break anywhere
_LONG_CELL_WORD = re.compile(rf"\S{{{LONG_WORD_IN_CELL + 1},}}")


def long_word(cell) -> bool:
    """`value | long_word`: whether a table cell holds a word of over LONG_WORD_IN_CELL
    characters (a code, an address); such a cell may break anywhere (style.css
    `td.long-word`). A 150-character role kept whole ran the contacts table off the page;
    breaking anywhere in every cell split "Medium" in a narrow column."""
    return bool(_LONG_CELL_WORD.search(_text(cell)))


CONTACT_FIELDS = ("name", "role", "organization", "phone", "email")


def contacts_to_print(contacts, fields: tuple[str, ...] = CONTACT_FIELDS) -> list:
    """`t.contacts | contacts_to_print`: the contacts with a word in one of the `fields` a
    layout prints (a contact of blank fields printed a bare bullet over the next one's)."""
    return [c for c in contacts if any(str(getattr(c, f, "") or "").strip() for f in fields)]


LONG_NAME_CHARACTERS = 40  # longer than the narrowest line may hold: may wrap where a line ends


def long_name(name) -> bool:
    """`name | long_name`: whether a name is too long to be kept on one line whatever the
    width it is printed in (style.css `.person-name.long`): a name of hundreds of characters
    kept whole ran off the page."""
    return len(str(name or "")) > LONG_NAME_CHARACTERS


COLUMN_WORD = 21  # letters of a word a card's time-column heading holds on two lines
COLUMN_CUT = 12  # letters of a cut heading: about one line, so two whatever the breaks


def column_label(place) -> str:
    """`place | column_label`: a place as a card's time-column heading (two lines at most,
    breaking at hyphens or, in a word, at a hyphenation point: style.css); when a word of it
    (between spaces or hyphens) is wider than COLUMN_WORD letters (a Chinese or Japanese
    character counts two), its start and an ellipsis, cut between whole letters (never
    between a letter and its vowel sign or accent). A 150-character place broke into a
    column of 8-letter pieces down the page."""
    text = str(place or "")
    if all(_letters(word) <= COLUMN_WORD for word in re.split(r"[\s\-\u2010\u2011]+", text)):
        return text
    cut = 0
    while cut < len(text) and _letters(text[: cut + 1]) <= COLUMN_CUT:
        cut += 1
    while 0 < cut < len(text) and _joins(text[cut - 1], text[cut]):
        cut -= 1
    return text[:cut].rstrip() + "…"


def _letters(text: str) -> float:
    """How many letters' room `text` takes: a capital, m or w one and a half, a wide (East
    Asian) character two, a combining mark none."""
    return sum(_letter(ch) for ch in text)


def _letter(ch: str) -> float:
    if unicodedata.category(ch) in ("Mn", "Me"):
        return 0
    if unicodedata.east_asian_width(ch) in "WF":
        return 2
    return 1.5 if ch.isupper() or ch in "mw" else 1


def _joins(before: str, after: str) -> bool:
    """Whether a cut between `before` and `after` would split one written letter: `after`
    a combining mark or vowel sign, or either a zero-width joiner."""
    return unicodedata.category(after) in ("Mn", "Mc", "Me") or "\u200d" in (before, after)


def _length(cell) -> int:
    """The characters of a cell's words (a list: its paragraphs)."""
    if isinstance(cell, list | tuple):
        return sum(_length(item) for item in cell)
    return len(_text(cell))


def _text(cell) -> str:
    """A cell's words (a list: its paragraphs, a line each)."""
    if isinstance(cell, MarkedText):
        return parts(cell)[0]
    if isinstance(cell, list | tuple):
        return "\n".join(_text(item) for item in cell)
    return str(cell or "")


FITS: dict[str, Callable] = {
    "long_row": long_row,
    "long_word": long_word,
    "long_name": long_name,
    "contacts_to_print": contacts_to_print,
    "column_label": column_label,
}

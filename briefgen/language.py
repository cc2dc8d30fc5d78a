"""The language of the book's own words (`trip.language`): one gettext catalogue per
language, dates and day names from CLDR through Babel.

The catalogues are the `.po` files in `briefgen/catalogues/` (English is the msgids
themselves); each is read with Babel's `.po` reader and compiled in memory once per process,
so the wheel ships the same files the translators edit. The language of the document being
rendered is a context variable set around rendering (`speaking`); everything else briefgen
prints — warnings, errors, the diff on the terminal, the calendar — stays English.
Markings are never translated: they are words of their system.
"""

from __future__ import annotations

import datetime as dt
import gettext as _gettext
import io
import re
from contextlib import AbstractContextManager
from contextvars import ContextVar
from functools import cache
from importlib import resources

from briefgen.scoped import scoped

# Languages written right to left (of the book, or of a name in its own script: `lang`).
RTL_LANGUAGES = ("ar", "fa", "he", "ur", "ps", "yi", "dv", "ug", "ku", "sd")

_current: ContextVar[str] = ContextVar("briefgen_language", default="en")


def current() -> str:
    """The language of the words being printed now (`en` outside a rendering)."""
    return _current.get()


def is_rtl(language: str | None = None) -> bool:
    return (language or current()).split("-")[0] in RTL_LANGUAGES


def speaking(language: str) -> AbstractContextManager[None]:
    """Print the book's words in `language` for the duration of the block."""
    return scoped(_current, language)


def catalogue_path(language: str):
    """The `.po` file of a language (a Traversable: inside the wheel or the checkout)."""
    return resources.files("briefgen") / "catalogues" / f"{language}.po"


@cache
def _catalogue(language: str):
    """The messages of `language`'s `.po` file (a babel Catalog), read once."""
    from babel.messages.pofile import read_po

    with catalogue_path(language).open("rb") as fh:
        return read_po(fh, locale=language, domain="briefgen")


@cache
def translations(language: str) -> _gettext.NullTranslations:
    """The compiled catalogue of `language` (English: the msgids as they are)."""
    if language == "en":
        return _gettext.NullTranslations()
    from babel.messages.mofile import write_mo

    compiled = io.BytesIO()
    write_mo(compiled, _catalogue(language), use_fuzzy=False)
    compiled.seek(0)
    return _gettext.GNUTranslations(compiled)


_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


@cache
def labels(language: str) -> tuple[str, ...]:
    """Every fixed wording a book in `language` may print: the catalogue's translations
    (English: the messages; a message left untranslated prints as it is), each cut where a
    placeholder stands. An edition's read-back does not look for them: a withheld note to
    "update the Schedule at a glance" was found in the schedule's heading, and a valid
    edition failed to build as a leak. Only what this book prints: an English wording in a
    French book is still looked for."""
    folder = resources.files("briefgen") / "catalogues"
    translated = catalogue_path(language).is_file()
    any_language = min(f.name for f in folder.iterdir() if f.name.endswith(".po"))[:-3]
    catalog = _catalogue(language if translated else any_language)
    said: list[str] = []
    for message in catalog:
        if not message.id:  # the catalogue's header
            continue
        printed = message.string if translated and not message.fuzzy else None
        ids = message.id if isinstance(message.id, tuple | list) else [message.id]
        strings = printed if isinstance(printed, tuple | list) else [printed]
        if not any(strings):
            strings = ids  # untranslated: printed as the message
        said += [text for text in strings if text]
    parts = (part.strip() for text in said for part in _PLACEHOLDER.split(text))
    return tuple(dict.fromkeys(part for part in parts if part))


def gettext(message: str) -> str:
    return translations(current()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current()).ngettext(singular, plural, n)


def N_(message: str) -> str:  # the gettext convention: mark now, translate where printed
    """Marks a message for the catalogues where it is defined; `gettext` it where printed."""
    return message


# Quotation marks (double open, close; single open, close) as CLDR's delimiters give them
# (Babel does not carry those); French and Spanish guillemets hold a no-break space inside.
QUOTES = {
    "en": ("\u201c", "\u201d", "\u2018", "\u2019"),  # “…” ‘…’
    "de": ("\u201e", "\u201c", "\u201a", "\u2018"),  # „…“ ‚…‘
    "fr": ("\u00ab\u00a0", "\u00a0\u00bb", "\u201c", "\u201d"),  # « … » “…”
    "es": ("\u00ab", "\u00bb", "\u201c", "\u201d"),  # «…» “…”
    "ar": ("\u201d", "\u201c", "\u2019", "\u2018"),  # ”…“ ’…‘
}


def quotes(language: str | None = None) -> tuple[str, str, str, str]:
    """The quotation marks of `language` (the one being printed): what straight ones become."""
    return QUOTES.get((language or current()).split("-")[0], QUOTES["en"])


# ---------------------------------------------------------------- dates from CLDR


def short_day(day: dt.date) -> str:
    """`Mon Jun 19`; `lun. 19 juin`."""
    if current() == "en":
        return f"{day:%a} {day:%b} {day.day}"
    from babel.dates import format_skeleton

    return format_skeleton("MMMEd", day, locale=current())


def long_date(day: dt.date) -> str:
    """`Monday, June 19, 2023`; `lundi 19 juin 2023`."""
    if current() == "en":
        return f"{day:%A}, {day:%B} {day.day}, {day.year}"
    from babel.dates import format_date

    return format_date(day, "full", locale=current())


def memo_date(day: dt.date) -> str:
    """`June 19, 2023`; `19 juin 2023`."""
    if current() == "en":
        return f"{day:%B} {day.day}, {day.year}"
    from babel.dates import format_date

    return format_date(day, "long", locale=current())


def date_range(first: dt.date, last: dt.date) -> str:
    """`Sun Jun 18 – Wed Jun 21 2023`; `dim. 18 – mer. 21 juin 2023`."""
    if current() == "en":
        if first == last:  # a one-day trip prints one date
            return f"{short_day(first)} {first.year}"
        return f"{short_day(first)} – {short_day(last)} {last.year}"
    from babel.dates import format_interval

    return format_interval(first, last, "yMMMEd", locale=current())


def weekday_day_month(day: dt.date) -> str:
    """`Monday 19 June` (the timeline's words); `dimanche 18 juin 2023`."""
    if current() == "en":
        return f"{day:%A} {day.day} {day:%B}"
    return long_date(day)

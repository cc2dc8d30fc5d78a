"""A releasable edition proves what it withheld: its PDF (or HTML) is read back and no
withheld portion's text may appear anywhere in it.

The rule, for text that reflows: both sides are reduced to their words (inline Markdown to
plain words, NFKC, case folded, Cyrillic and Greek look-alikes read as the Latin letters they
look like, zero-width characters, soft hyphens and quotation marks and
apostrophes dropped (typed straight, printed curly or as guillemets), every run of
white space one space: a line or page break is a space). From each withheld text we take
*runs*: every sequence of consecutive words at least `MIN_RUN` characters long that starts at
a word (an unspaced script, such as Chinese, in windows of `MIN_RUN` characters), and the
whole text when it is shorter. A run that also occurs in what the edition keeps is not
distinctive (a place name, a stock phrase) and is dropped, as is a run of one character
repeated or of no letter or digit (a rule of dashes, a row of nines: a font's bytes hold
them). A text shorter than `MIN_SHORT` characters, or of such runs only, cannot be told from
ordinary words or bytes and is not looked for (counted, and said).
The edition leaks when any run occurs in the read-back text as whole words (`occurs`).

The read-back: every page's extracted text, and every object of the file by its number
(reachable or not): its strings (outlines, annotations, metadata, alternate text, names)
and its streams decompressed (XMP metadata, attachments, anything else), by pypdf.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from briefgen.errors import BuildError

MIN_RUN = 16  # characters: a run of words this long is distinctive enough to look for
MIN_SHORT = 8  # characters: shorter texts are not looked for

_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_QUOTES = (
    "\"'\u201c\u201d\u201e\u201f\u2018\u2019\u201a\u201b\u00ab\u00bb\u2039\u203a"  # “”„‟‘’‚‛«»
)
_DROPPED = dict.fromkeys(map(ord, _INVISIBLE + _QUOTES))
# Cyrillic and Greek letters drawn like Latin ones (after case folding): a house style that
# printed withheld words with "а", "е", "о" for "a", "e", "o" read back clean
_LOOKALIKES = str.maketrans("асеһіјкорԛѕтухԝьαεικνορτυχ", "acehijkopqstyxwbaeikvoptux")


def normalise(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).translate(_DROPPED).casefold()
    return " ".join(folded.translate(_LOOKALIKES).split())


def runs_of(text: str) -> list[str]:
    """The runs of one normalised text (see the module's rule)."""
    if len(text) < MIN_SHORT:
        return []
    if len(text) <= MIN_RUN:
        return [text]
    words = text.split(" ")
    found: list[str] = []
    for i, word in enumerate(words):
        if len(word) > 2 * MIN_RUN:  # an unspaced script: windows inside the word
            step = MIN_RUN // 2
            found += [word[k : k + MIN_RUN] for k in range(0, len(word) - MIN_RUN + 1, step)]
            continue
        run = word
        for nxt in words[i + 1 :]:
            if len(run) >= MIN_RUN:
                break
            run += " " + nxt
        if len(run) >= MIN_RUN:
            found.append(run)
    return list(dict.fromkeys(found))


def _plain(run: str) -> bool:
    """A run of one character repeated, or of no letter or digit at all (a rule of dashes, a
    row of nines): a font's bytes hold such runs. "555-5555" is looked for."""
    chars = set(run) - {" "}
    return len(chars) < 2 or not any(c.isalnum() for c in chars)


@dataclass(frozen=True)
class Lookout:
    """What to look for in an edition's output: the distinctive runs, and how many withheld
    texts were too short or too plain to look for."""

    runs: tuple[str, ...]
    texts: int  # withheld texts looked for
    not_looked_for: int  # too short, or too plain

    @classmethod
    def of(cls, withheld: Iterable[str], kept: Iterable[str]) -> Lookout:
        from briefgen.plain import plain_text

        kept_text = " \n ".join(normalise(plain_text(k)) for k in kept)
        runs: list[str] = []
        looked = short = 0
        for text in dict.fromkeys(normalise(plain_text(t)) for t in withheld):
            if len(text) < MIN_SHORT:
                short += bool(text)
                continue
            found = [r for r in runs_of(text) if not _plain(r)]
            short += not found  # "--------", "99999999": in any font's bytes, telling nothing
            own = [r for r in found if r not in kept_text]
            looked += bool(own)
            runs += own
        return cls(tuple(dict.fromkeys(runs)), looked, short)

    def plus(self, other: Lookout) -> Lookout:
        runs = tuple(dict.fromkeys(self.runs + other.runs))
        return Lookout(runs, self.texts + other.texts, self.not_looked_for + other.not_looked_for)

    def find(self, haystack: str) -> list[str]:
        """The runs that occur in `haystack` (already normalised) as whole words."""
        return [r for r in self.runs if occurs(r, haystack)]


def occurs(words: str, text: str) -> bool:
    """Whether `words` occur in `text` as whole words: not "on maintaining open lines" in
    "our position maintaining open lines", nor "Sun Li" in "Sun Lithe"; inside a word of a
    script written without spaces (Chinese, Japanese, Thai) anywhere."""
    start = text.find(words)
    while start >= 0:
        end = start + len(words)
        if _edge(text, start - 1, words[0]) and _edge(text, end, words[-1]):
            return True
        start = text.find(words, start + 1)
    return False


def _edge(text: str, at: int, inside: str) -> bool:
    """Whether a word may end between `inside` and the character of `text` at `at`."""
    if not 0 <= at < len(text):
        return True
    outside = text[at]
    return not (outside.isalnum() and inside.isalnum()) or _unspaced(outside) or _unspaced(inside)


def _unspaced(char: str) -> bool:
    return "\u0e00" <= char <= "\u0eff" or char >= "\u2e80"  # Thai, Lao; CJK and after


class Leak(Exception):
    """Withheld text found in the output: the build fails and writes nothing."""


def check(lookout: Lookout, data: bytes, withheld: int, html: bool = False) -> str:
    """The line the build prints, or Leak naming what was found (never the text itself in
    full: its first words)."""
    haystack = html_text(data) if html else pdf_text(data)
    found = lookout.find(haystack)
    noun = "portion" if withheld == 1 else "portions"
    where = "the HTML" if html else "the PDF"
    if found:
        first = " ".join(found[0].split()[:3])
        raise Leak(
            f"withheld {withheld} {noun}, but withheld text appears in {where} "
            f"({len(found)} matching runs; one begins '{first} …'): the house style or "
            "template prints what was withheld"
        )
    unsought = lookout.not_looked_for
    short = f" ({unsought} too short or too plain to look for)" if unsought else ""
    return f"withheld {withheld} {noun}; verified: none appears in {where}{short}"


def html_text(data: bytes) -> str:
    """An HTML document's text and attribute values, normalised (inline tags dropped)."""
    import html
    import re

    source = re.sub(r"<br\s*/?>", " ", data.decode("utf-8", "ignore"), flags=re.IGNORECASE)
    return normalise(html.unescape(source) + " " + html.unescape(re.sub(r"<[^>]*>", "", source)))


def pdf_text(data: bytes) -> str:
    """Everything a PDF says, normalised: the pages' text, every string, every stream."""
    return normalise(" \n ".join(_pdf_strings(data)))


def _pdf_strings(data: bytes) -> Iterator[str]:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError
    from pypdf.generic import (
        ArrayObject,
        ByteStringObject,
        DictionaryObject,
        StreamObject,
        TextStringObject,
    )

    reader = PdfReader(io.BytesIO(data))
    for number, page in enumerate(reader.pages, 1):
        try:
            yield page.extract_text() or ""
        except PyPdfError as exc:  # past one of pypdf's limits: nothing proves the page clean
            raise BuildError(
                f"the read-back cannot read page {number}'s text ({exc}), so it cannot show "
                "that nothing withheld is printed there"
            ) from None

    def walk(obj, depth: int = 0) -> Iterator[str]:
        if depth > 64:
            return
        if isinstance(obj, StreamObject):
            try:
                yield obj.get_data().decode("utf-8", "ignore")
            except Exception:  # a filter pypdf cannot undo: its raw bytes
                yield bytes(obj._data).decode("latin-1")
        if isinstance(obj, DictionaryObject):
            for key, value in obj.items():
                yield str(key)
                yield from walk(value, depth + 1)
        elif isinstance(obj, ArrayObject):
            for value in obj:
                yield from walk(value, depth + 1)
        elif isinstance(obj, TextStringObject):
            yield str(obj)
        elif isinstance(obj, ByteStringObject):
            yield bytes(obj).decode("latin-1")

    size = int(reader.trailer.get("/Size", 0))
    for number in range(1, size):
        try:
            obj = reader.get_object(number)
        except Exception:
            continue
        if obj is not None:
            yield from walk(obj)
    yield from walk(reader.trailer)

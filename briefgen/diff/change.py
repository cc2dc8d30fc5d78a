"""What a comparison finds: one `Change` per fact, the `Diff` of two versions, and how both
word what they quote (plain words, short quotes, short days)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field

from briefgen.brief import Brief
from briefgen.language import gettext as _
from briefgen.language import quotes
from briefgen.markings import level_of, marks_of
from briefgen.plain import plain_text

SECTIONS = (
    "schedule",
    "people",
    "goals",
    "purpose",
    "issues",
    "press",
    "risks",
    "scenesetter",
    "their_objectives",
    "logistics",
)
# The memo's paragraphs compared like goals: (field, how a reader names one).
PARAGRAPHS = (
    ("purpose", "Purpose paragraph"),
    ("scenesetter", "Scenesetter paragraph"),
    ("their_objectives", "Their objectives, paragraph"),
)
# Within the schedule: what changes the day most comes first.
KINDS = (
    "cancelled",
    "removed",
    "moved",
    "retimed",
    "relocated",
    "status",
    "added",
    "participants",
    "reworded",
    "changed",
)
QUOTE = 70  # characters of a quoted text
# The kinds of event change an event's flag says in full (NEW; was 13:00–17:30, was at X,
# was tentative); of the others (participants, title, notes...) it says only that they changed.
SAID_BY_FLAG = ("added", "retimed", "moved", "relocated", "status", "cancelled")


@dataclass(frozen=True)
class Change:
    section: str  # one of SECTIONS
    kind: str  # one of KINDS
    path: str  # `agenda.qin-talks`, `people.wang-yi`, `goals[2]`
    text: str  # what changed, in plain words
    mark: str | None = None  # the portion mark of what it quotes (None: the default)
    event: int | None = None  # the event's index in the new agenda, when it is in it
    was: str | None = None  # for the event's flag: `was 13:00–17:30`
    was_mark: str | None = None  # the mark of what `was` tells of: the old event's title
    title: str | None = None  # the event's title, in plain words (schedule changes)
    subject: str = ""  # what changed, as a reader names it: an event's title and time, a
    # person's name and title, an issue paper's title (`path` keeps the ids, for scripts)
    day: dt.date | None = None  # the event's day (schedule changes), to group them by
    barred: tuple[str, ...] = ()  # what a change bar marks in the new version (diff/barred.py)
    # `subject: text`, worded as the change is found (in the book's language) wherever printed
    line: str = field(init=False)

    def __post_init__(self) -> None:
        words = _("%(subject)s: %(text)s") % {
            "subject": self.subject or self.path,
            "text": self.text,
        }
        object.__setattr__(self, "line", words)


@dataclass(frozen=True)
class Diff:
    old: str  # where each side came from
    new: str
    since: str  # `version 3`, or `the memo of June 14, 2023`
    changes: tuple[Change, ...]
    # what the old version's files held: a house style may hold no copy of them (render.reach)
    old_bytes: tuple[bytes, ...] = field(default=(), repr=False)

    def to_json(self) -> str:
        """JSON, readable (UTF-8 kept), but with every character a terminal would act on or
        hide (bidi controls U+202A–202E, U+2066–2069, U+200E/F, U+061C, other format and
        control characters, separators) written as a `\\uXXXX` escape: json.dumps keeps them
        raw. Outside strings the JSON has only ASCII, so escaping them anywhere is exact."""
        text = json.dumps(
            {
                "old": self.old,
                "new": self.new,
                "since": self.since,
                "changes": [asdict(c) for c in self.changes],
            },
            indent=2,
            ensure_ascii=False,
            default=str,  # the day of a schedule change: YYYY-MM-DD
        )
        return "".join(ch if ch.isprintable() or ch == "\n" else _json_escape(ch) for ch in text)


def _json_escape(ch: str) -> str:
    code = ord(ch)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000  # a UTF-16 surrogate pair, as JSON writes one
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def _quote(text: str, start: int = 0) -> str:
    """The text's words in the quotation marks of the language being printed, cut at QUOTE
    characters (from `start`, after an `…`)."""
    words = plain_text(text)[start:]
    cut = words if len(words) <= QUOTE else words[: QUOTE - 1].rstrip() + "…"
    opening, closing = quotes()[:2]
    return f"{opening}{'…' if start else ''}{cut}{closing}"


def _quotes(old: str, new: str) -> tuple[str, str]:
    """Both sides quoted, from a little before where they first differ when that lies past
    what a quote shows (so `…fentanyl precursor chemicals` → `…fentanyl precursors`)."""
    a, b = plain_text(old), plain_text(new)
    differs = next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )
    start = 0
    if differs > QUOTE - 20:
        start = a.rfind(" ", 0, differs - 20) + 1  # a word's start, some words before
    if not a or not b:
        return (_quote(old) if a else ""), (_quote(new) if b else "")
    return _quote(old, start), _quote(new, start)


class Collector:
    """The two versions, and the changes found so far."""

    def __init__(self, old: Brief, new: Brief):
        self.old, self.new = old, new
        self.o, self.n = old.trip, new.trip
        self.changes: list[Change] = []
        marking = new.marking
        self.levels = marks_of(marking.system) if marking.system else []
        self.default = marking.default

    def mark(self, *items) -> str | None:
        """The highest portion mark among the Texts quoted (None without levels)."""
        found = [getattr(i, "mark", None) or self.default for i in items if i is not None]
        marks = [m for m in found if isinstance(m, str) and level_of(m) in self.levels]
        return max(marks, key=lambda m: self.levels.index(level_of(m))) if marks else self.default

    def add(self, section: str, kind: str, path: str, text: str, mark=None, **kw) -> None:
        self.changes.append(Change(section, kind, path, text, mark or self.default, **kw))

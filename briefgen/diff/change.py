"""What a comparison finds: one `Change` per fact, the `Diff` of two versions, and how both
word what they quote (plain words, short quotes, short days)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from briefgen.brief import Brief
from briefgen.markings import marks_of

SECTIONS = ("schedule", "people", "goals", "issues", "press", "risks", "logistics")
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


@dataclass(frozen=True)
class Change:
    section: str  # one of SECTIONS
    kind: str  # one of KINDS
    path: str  # `agenda.qin-talks`, `people.wang-yi`, `goals[2]`
    text: str  # what changed, in plain words
    mark: str | None = None  # the portion mark of what it quotes (None: the default)
    event: int | None = None  # the event's index in the new agenda, when it is in it
    was: str | None = None  # for the event's flag: `was 13:00–17:30`
    title: str | None = None  # the event's title, in plain words (schedule changes)

    @property
    def line(self) -> str:
        return f"{self.path}: {self.text}"


@dataclass(frozen=True)
class Diff:
    old: str  # where each side came from
    new: str
    since: str  # `version 3`, or `the memo of June 14, 2023`
    changes: tuple[Change, ...]

    def to_json(self) -> str:
        return json.dumps(
            {
                "old": self.old,
                "new": self.new,
                "since": self.since,
                "changes": [{**asdict(c), "line": c.line} for c in self.changes],
            },
            indent=2,
            ensure_ascii=False,
        )


def _plain(text: str) -> str:
    from briefgen.render.text import plain_text

    return plain_text(text)


def _quote(text: str) -> str:
    words = _plain(text)
    return f"“{words if len(words) <= QUOTE else words[: QUOTE - 1].rstrip() + '…'}”"


def _day(day) -> str:
    return f"{day:%a} {day:%b} {day.day}"


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
        marks = [m for m in found if isinstance(m, str) and m in self.levels]
        return max(marks, key=self.levels.index) if marks else self.default

    def add(self, section: str, kind: str, path: str, text: str, mark=None, **kw) -> None:
        self.changes.append(Change(section, kind, path, text, mark or self.default, **kw))

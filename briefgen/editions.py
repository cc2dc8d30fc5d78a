"""Releasable editions (`--release LEVEL`): the same trip with every portion marked above
LEVEL left out, before anything is rendered.

Works on the validated models only (frozen pydantic models, copied with `model_copy`), so
every layout, house style and product sees nothing of what was withheld: not in the text,
the bookmarks, the running heads, the metadata or the attachments. A portion is a Text
(paragraph, bullet, goal, objective, talking point, bio paragraph, note), a Q&A pair (either
half above LEVEL withholds the pair), a risk (by its text), a contact (by its mark); an event
or issue paper whose title is above LEVEL is left out whole, and talking points that pull in
a withheld issue paper go with it. Unmarked portions carry `markings.default`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from briefgen import markings
from briefgen.brief import Brief
from briefgen.model import QA, Contact, Event, Issue, IssueRef, Risk, TextItem, TripFile

# How a withheld item is counted, by the field that holds it.
LABELS = {
    "purpose": ("purpose paragraph", "purpose paragraphs"),
    "goals": ("goal", "goals"),
    "scenesetter": ("scenesetter paragraph", "scenesetter paragraphs"),
    "their_objectives": ("of their objectives", "of their objectives"),
    "agenda": ("event", "events"),
    "issues": ("issue paper", "issue papers"),
    "objectives": ("objective", "objectives"),
    "talking_points": ("talking point", "talking points"),
    "qa": ("Q&A pair", "Q&A pairs"),
    "posture": ("press line", "press lines"),
    "key_messages": ("press line", "press lines"),
    "background": ("issue paragraph", "issue paragraphs"),
    "our_position": ("issue paragraph", "issue paragraphs"),
    "their_position": ("issue paragraph", "issue paragraphs"),
    "points_to_make": ("point to make", "points to make"),
    "if_raised": ("point to make", "points to make"),
    "risks": ("risk", "risks"),
    "mitigation": ("mitigation", "mitigations"),
    "bio": ("biography paragraph", "biography paragraphs"),
    "notes": ("note", "notes"),
    "contacts": ("contact", "contacts"),
}
ORDER = list(dict.fromkeys(plural for _, plural in LABELS.values()))


class ReleaseError(Exception):
    """The edition cannot be made: a required portion is above the level."""


class ReleaseUsageError(ReleaseError):
    """The level does not fit the trip's markings (a usage error: exit 2)."""


@dataclass(frozen=True)
class Edition:
    brief: Brief
    level: str
    withheld: Counter  # plural label -> count

    @property
    def total(self) -> int:
        return sum(self.withheld.values())

    def summary(self) -> str:
        """`withheld 14 portions: 3 goals, 2 events, ...` (or `withheld nothing`)."""
        if not self.total:
            return f"releasable at {self.level}: withheld nothing"
        parts = []
        for plural in ORDER:
            if count := self.withheld.get(plural):
                singular = next(s for s, p in LABELS.values() if p == plural)
                parts.append(f"{count} {singular if count == 1 else plural}")
        noun = "portion" if self.total == 1 else "portions"
        return f"releasable at {self.level}: withheld {self.total} {noun}: {', '.join(parts)}"


def check_level(trip: TripFile, level: str) -> str:
    """The level in capitals; ReleaseUsageError when the trip's system has no such level."""
    m = trip.markings
    if m is None or m.system == "plain":
        what = "plain markings" if m else "no markings"
        raise ReleaseUsageError(
            f"--release needs portion marks of the us or uk system; this trip has {what}"
        )
    level = level.strip().upper()
    levels = markings.marks_of(m.system)
    if level not in levels:
        raise ReleaseUsageError(
            f"--release {level}: not a level of the {m.system} system ({', '.join(levels)})"
        )
    return level


def release(brief: Brief, level: str) -> Edition:
    """The trip with every portion above `level` left out, and what was withheld."""
    trip = brief.trip
    level = check_level(trip, level)
    if trip.markings is None:  # check_level refuses a trip without markings
        raise ReleaseUsageError("--release needs a `markings:` block")
    system, default = (
        trip.markings.system,
        trip.markings.default or markings.marks_of(trip.markings.system)[0],
    )
    top = markings.rank(system, level)
    if markings.rank(system, default) > top:
        raise ReleaseError(
            f"markings.default is {default}, above {level}: every unmarked "
            "portion would be withheld; mark the releasable portions instead"
        )

    def above(mark: str | None) -> bool:
        return markings.rank(system, mark or default) > top

    if above(trip.memo.subject.mark):
        raise ReleaseError(
            f"memo.subject is marked {trip.memo.subject.mark}, above {level}, "
            "and the memo cannot go without its subject: give it a "
            "releasable subject"
        )
    gone_issues = {i.id for i in trip.issues if above(i.title.mark)}
    withheld: Counter = Counter()

    def withhold(item: Any) -> bool:
        if isinstance(item, TextItem):
            return above(item.mark)
        if isinstance(item, Event | Issue):
            return above(item.title.mark)
        if isinstance(item, Risk):
            return above(item.text.mark)
        if isinstance(item, QA):
            return above(item.q.mark) or above(item.a.mark)
        if isinstance(item, Contact):
            return above(item.mark)
        if isinstance(item, IssueRef):
            return item.issue in gone_issues
        return False

    def prune(value: Any, field: str) -> Any:
        if isinstance(value, BaseModel):
            updates = {}
            for name in type(value).model_fields:
                old = getattr(value, name)
                new = prune(old, name)
                if new is not old:
                    updates[name] = new
            return value.model_copy(update=updates) if updates else value
        if isinstance(value, list):
            kept = []
            for item in value:
                if withhold(item):
                    withheld[LABELS.get(field, ("portion", "other portions"))[1]] += 1
                else:
                    kept.append(prune(item, field))
            return (
                kept
                if len(kept) != len(value)
                or any(a is not b for a, b in zip(kept, value, strict=True))
                else value
            )
        if isinstance(value, dict):
            return {k: prune(v, field) for k, v in value.items()}
        return value

    released: TripFile = prune(trip, "")
    # Sources cited only by what was withheld would show what it was about: they go too.
    cited_before, cited_after = _cited(trip), _cited(released)
    sources = [s for s in released.sources if s.id in cited_after or s.id not in cited_before]
    if len(sources) != len(released.sources):
        released = released.model_copy(update={"sources": sources})
    marks = [m for m in _marks(released)]
    m = released.markings or trip.markings
    marking = markings.marking_for(
        system, m.default, m.banner, m.controls, markings.overall_level(system, m.default, marks)
    )
    return Edition(Brief(released, brief.source, marking), level, withheld)


def _walk(value: Any):
    yield value
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _walk(getattr(value, name))
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _walk(item)


def _cited(trip: TripFile) -> set[str]:
    return {sid for v in _walk(trip) if isinstance(v, TextItem) for sid in v.sources}


def _marks(trip: TripFile):
    for v in _walk(trip):
        if isinstance(v, TextItem | Contact) and v.mark:
            yield v.mark

"""A releasable edition compared with an older version (`--changes-since` with `--release`
or `--release-to`). The older version is cut to the same edition, then cut again of what
the newer edition withholds: a portion may be marked higher now than it was (its words,
releasable then, are withheld now; an event reclassified keeps its id). So the changes page
quotes nothing the edition withholds, never says "removed" of what is only withheld, and
the edition's read-back looks for what either version's edition withheld."""

from __future__ import annotations

import re
from dataclasses import replace
from difflib import SequenceMatcher
from typing import Any

from pydantic import BaseModel

from briefgen import markings
from briefgen.brief import Brief
from briefgen.editions import Edition, release
from briefgen.leaks import Lookout
from briefgen.model import QA, Event, Issue, IssueRef, ParticipantItem, Risk, TextItem
from briefgen.portions import book_wordings, marks_in, words


def compared(old: Brief, newer: Edition) -> tuple[Brief, Brief]:
    """(the older version as this edition shows it, the edition's brief on the lookout for
    what the older version's edition withheld too)."""
    older = release(old, newer.level, newer.country)
    trip = older.brief.trip
    gone = {pid for pid, p in trip.people.items() if p.name in newer.people}
    gone |= newer.person_ids & set(trip.people)  # by id too: a name may have been reworded
    gone -= {trip.trip.principal}
    kept = list(words(newer.brief.trip))  # every string the edition prints from the file
    cut = _Cut(set(newer.texts), set(kept), {key for key, _ in newer.events}, gone, newer.issue_ids)
    trip = cut.prune(trip)
    if gone:
        trip = trip.model_copy(
            update={"people": {k: v for k, v in trip.people.items() if k not in gone}}
        )
    marking = markings.rollup(trip.markings, marks_in(trip))
    old_brief = replace(older.brief, trip=trip, marking=marking)
    said = newer.brief.withheld
    if said is None:
        return old_brief, newer.brief
    extra = Lookout.of(older.texts, [*kept, *book_wordings(newer.brief.trip)])
    brief = replace(newer.brief, withheld=replace(said, lookout=said.lookout.plus(extra)))
    return old_brief, brief


REWORDED = 0.6  # difflib's ratio of two texts' words at which one reads as the other reworded


class _Cut:
    """What of the older version the newer edition withholds: its texts (and rewordings of
    them: a portion raised and reworded since, "Visit the port." now S as "Visit the port at
    night.", was quoted as removed), its events, people and issue papers (by id), and the
    talking points that pull in a withheld issue paper."""

    def __init__(
        self, texts: set[str], kept: set[str], events: set[str], people: set[str], issues: frozenset
    ):
        self.texts, self.kept, self.events = texts, kept, events
        self.people, self.issues = people, issues
        self.by_word: dict[str, list[list[str]]] = {}
        for text in texts:
            mine = _words(text)
            for word in {w for w in mine if len(w) > 3}:
                self.by_word.setdefault(word, []).append(mine)

    def withheld(self, text: str) -> bool:
        """Whether `text` is, or reads as a rewording of, a text the newer edition withholds
        (and is not also a text it keeps)."""
        if text in self.texts:
            return True
        if text in self.kept:
            return False
        mine = _words(text)
        seen: set[int] = set()
        for word in {w for w in mine if len(w) > 3}:
            for other in self.by_word.get(word, []):
                if id(other) not in seen:
                    seen.add(id(other))
                    if SequenceMatcher(a=mine, b=other, autojunk=False).ratio() >= REWORDED:
                        return True
        return False

    def drops(self, item: Any) -> bool:
        if isinstance(item, Event):
            return item.id in self.events or self.withheld(item.title.text)
        if isinstance(item, Issue):  # by id too: a title may have been reworded
            return item.id in self.issues or self.withheld(item.title.text)
        if isinstance(item, IssueRef):
            return item.issue in self.issues
        if isinstance(item, Risk):
            return self.withheld(item.text.text)
        if isinstance(item, QA):
            return self.withheld(item.q.text) or self.withheld(item.a.text)
        if isinstance(item, ParticipantItem):
            return item.person in self.people
        return isinstance(item, TextItem) and self.withheld(item.text)

    def prune(self, value: Any) -> Any:
        if isinstance(value, BaseModel):
            updates = {}
            for name in type(value).model_fields:
                before = getattr(value, name)
                if (after := self.prune(before)) is not before:
                    updates[name] = after
            return value.model_copy(update=updates) if updates else value
        if isinstance(value, list):
            kept = [self.prune(item) for item in value if not self.drops(item)]
            same = len(kept) == len(value) and all(a is b for a, b in zip(kept, value, strict=True))
            return value if same else kept
        if isinstance(value, dict):
            pruned = {k: self.prune(v) for k, v in value.items()}
            return value if all(pruned[k] is v for k, v in value.items()) else pruned
        return value


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())

"""A releasable edition compared with an older version (`--changes-since` with `--release`
or `--release-to`). The older version is cut to the same edition, then cut again of what
the newer edition withholds: a portion may be marked higher now than it was (its words,
releasable then, are withheld now; an event reclassified keeps its id). So the changes page
quotes nothing the edition withholds, never says "removed" of what is only withheld, and
the edition's read-back looks for what either version's edition withheld."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from pydantic import BaseModel

from briefgen import markings
from briefgen.brief import Brief
from briefgen.editions import Edition, release
from briefgen.leaks import Lookout
from briefgen.model import QA, Event, Issue, ParticipantItem, Risk, TextItem
from briefgen.portions import marks_in, words


def compared(old: Brief, newer: Edition) -> tuple[Brief, Brief]:
    """(the older version as this edition shows it, the edition's brief on the lookout for
    what the older version's edition withheld too)."""
    older = release(old, newer.level, newer.country)
    trip = older.brief.trip
    gone = {pid for pid, p in trip.people.items() if p.name in newer.people}
    gone |= newer.person_ids & set(trip.people)  # by id too: a name may have been reworded
    gone -= {trip.trip.principal}
    cut = _Cut(set(newer.texts), {key for key, _ in newer.events}, gone, newer.issue_ids)
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
    extra = Lookout.of(older.texts, words(newer.brief.trip))
    brief = replace(newer.brief, withheld=replace(said, lookout=said.lookout.plus(extra)))
    return old_brief, brief


class _Cut:
    def __init__(self, texts: set[str], events: set[str], people: set[str], issues: frozenset):
        self.texts, self.events, self.people, self.issues = texts, events, people, issues

    def drops(self, item: Any) -> bool:
        texts = self.texts
        if isinstance(item, Event):
            return item.id in self.events or item.title.text in texts
        if isinstance(item, Issue):  # by id too: a title may have been reworded
            return item.id in self.issues or item.title.text in texts
        if isinstance(item, Risk):
            return item.text.text in texts
        if isinstance(item, QA):
            return item.q.text in texts or item.a.text in texts
        if isinstance(item, ParticipantItem):
            return item.person in self.people
        return isinstance(item, TextItem) and item.text in texts

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

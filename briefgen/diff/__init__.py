"""What changed between two versions of a trip, by meaning rather than by line.

`compare(old, new) -> Diff`: plain data, most important first (the schedule, then people,
goals, issues, press, risks, logistics), one `Change` per fact, each with its document path,
its wording (`13:00–17:30 → 14:00–18:00 Beijing (01:00–05:30 → 02:00–06:00 Washington)`)
and the portion mark of what it quotes. Events are matched by id, then by title; people by
id; issues by id; other lists by their text. Either side is read by `revisions.read`.
`events` compares the schedule, `papers` everything else; `change` holds what both find.
"""

from __future__ import annotations

from briefgen.brief import Brief
from briefgen.clock import memo_date
from briefgen.diff.change import KINDS, PARAGRAPHS, SECTIONS, Change, Diff
from briefgen.diff.events import EventChanges
from briefgen.diff.papers import PaperChanges
from briefgen.language import gettext as _


class _Compare(EventChanges, PaperChanges):
    def run(self) -> list[Change]:
        self.schedule()
        self.people()
        self.goals()
        for field, label in PARAGRAPHS:
            old, new = getattr(self.o, field), getattr(self.n, field)
            self.texts(field, field, old, new, lambda t: t.text, label=label)
        self.issues()
        self.press()
        self.risks()
        self.logistics()
        return sorted(self.changes, key=lambda c: (SECTIONS.index(c.section), KINDS.index(c.kind)))


def since_label(old: Brief) -> str:
    """`version 3`, or the old memo's date when it has no version."""
    memo = old.trip.memo
    if memo.version is not None:
        return _("version %(number)s") % {"number": memo.version}
    return _("the memo of %(date)s") % {"date": memo_date(memo.date)}


def compare(old: Brief, new: Brief, old_label: str = "", new_label: str = "") -> Diff:
    return Diff(
        old_label or old.source.name,
        new_label or new.source.name,
        since_label(old),
        tuple(_Compare(old, new).run()),
    )


__all__ = ["Change", "Diff", "compare", "since_label"]

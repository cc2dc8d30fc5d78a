"""What changed between two versions of a trip, by meaning rather than by line.

`compare(old, new) -> Diff`: plain data, most important first (the schedule, then people,
goals, issues, press, risks, logistics), one `Change` per fact, each with its document path,
its wording (`13:00–17:30 → 14:00–18:00 Beijing (01:00–05:30 → 02:00–06:00 Washington)`)
and the portion mark of what it quotes. Events are matched by id, then by title; people by
id; issues by id; other lists by their text. Either side is read by `revisions.read`.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import asdict, dataclass, replace

from briefgen import schedule
from briefgen.brief import Brief
from briefgen.checks import clock_text
from briefgen.markings import marks_of
from briefgen.model import TextItem
from briefgen.schedule import Slot

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


# ---------------------------------------------------------------- comparing


def _plain(text: str) -> str:
    from briefgen.render.text import plain_text

    return plain_text(text)


def _quote(text: str) -> str:
    words = _plain(text)
    return f"“{words if len(words) <= QUOTE else words[: QUOTE - 1].rstrip() + '…'}”"


def _day(day) -> str:
    return f"{day:%a} {day:%b} {day.day}"


class _Compare:
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

    # -- schedule
    def schedule(self) -> None:
        old_slots = {s.index: s for s in schedule.ordered(self.o)}
        new_slots = schedule.ordered(self.n)
        pairs, unmatched_old = self._match_events()
        home = schedule.home_label(self.n)
        for s in new_slots:
            e = s.event
            path = self._event_path(e, s.index)
            if s.index not in pairs:
                self.add(
                    "schedule",
                    "added",
                    path,
                    f"new: {_plain(e.title.text)} — "
                    f"{_day(e.date)} {clock_text(s.local)} {s.place}"
                    + (f", {e.location}" if e.location else ""),
                    self.mark(e.title),
                    event=s.index,
                    title=_plain(e.title.text),
                )
                continue
            self._event(old_slots[pairs[s.index]], s, path, home)
        for i in unmatched_old:
            s = old_slots[i]
            e = s.event
            self.add(
                "schedule",
                "removed",
                self._event_path(e, i),
                f"removed: {_plain(e.title.text)} — was {_day(e.date)} "
                f"{clock_text(s.local)} {s.place}",
                self.mark(e.title),
                title=_plain(e.title.text),
            )

    @staticmethod
    def _event_path(event, index: int) -> str:
        return f"agenda.{event.id}" if event.id else f"agenda[{index}]"

    def _match_events(self) -> tuple[dict[int, int], list[int]]:
        """new index -> old index: by id, then by title; and the old indexes left over."""
        pairs: dict[int, int] = {}
        old_ids = {e.id: i for i, e in enumerate(self.o.agenda) if e.id}
        for j, e in enumerate(self.n.agenda):
            if e.id and e.id in old_ids:
                pairs[j] = old_ids[e.id]
        taken = set(pairs.values())
        for j, e in enumerate(self.n.agenda):
            if j in pairs:
                continue
            for i, old in enumerate(self.o.agenda):
                if (
                    i not in taken
                    and old.title.text.strip() == e.title.text.strip()
                    and not (old.id and e.id)
                ):
                    pairs[j] = i
                    taken.add(i)
                    break
        return pairs, [i for i in range(len(self.o.agenda)) if i not in taken]

    def _event(self, before: Slot, after: Slot, path: str, home: str) -> None:
        o, n = before.event, after.event
        mark = self.mark(o.title, n.title)
        was: list[str] = []

        def add(kind: str, text: str) -> None:
            self.add(
                "schedule", kind, path, text, mark, event=after.index, title=_plain(n.title.text)
            )

        old_clock, new_clock = clock_text(before.local), clock_text(after.local)
        if o.date != n.date or old_clock != new_clock or before.zone != after.zone:
            moved = o.date != n.date
            old_when = f"{_day(o.date)} {old_clock}" if moved else old_clock
            new_when = f"{_day(n.date)} {new_clock}" if moved else new_clock
            if before.zone == after.zone:
                text = f"{old_when} → {new_when} {after.place}"
            else:
                text = f"{old_when} {before.place} → {new_when} {after.place}"
            if before.home or after.home:
                zone = self.n.trip.home_timezone
                old_home = clock_text(before.local.on(zone) if before.local else None)
                new_home = clock_text(after.local.on(zone) if after.local else None)
                if old_home != new_home:
                    text += f" ({old_home} → {new_home} {home})"
            add("moved" if moved else "retimed", text)
            was.append(
                f"was {old_when}" + ("" if before.zone == after.zone else f" {before.place}")
            )
        if (o.location or "") != (n.location or ""):
            add("relocated", f"location {o.location or '(none)'} → {n.location or '(none)'}")
            was.append(f"was at {o.location}" if o.location else "location added")
        if o.status != n.status:
            if n.status == "cancelled":
                add("cancelled", f"cancelled (was {o.status})")
            else:
                add("status", f"{o.status} → {n.status}")
            was.append(f"was {o.status}")
        names = {pid: p.name for pid, p in {**self.o.people, **self.n.people}.items()}
        before_people = list(dict.fromkeys(p.person for p in o.participants))
        after_people = list(dict.fromkeys(p.person for p in n.participants))
        gained = [p for p in after_people if p not in before_people]
        lost = [p for p in before_people if p not in after_people]
        if gained or lost:
            parts = []
            if gained:
                parts.append("added " + ", ".join(f"{names[p]} ({p})" for p in gained))
            if lost:
                parts.append("removed " + ", ".join(f"{names[p]} ({p})" for p in lost))
            add("participants", "participants " + "; ".join(parts))
            was.append("participants changed")
        reworded = [
            label
            for label, a, b in (
                ("title", o.title.text, n.title.text),
                ("title mark", o.title.mark, n.title.mark),
                ("kind", o.kind, n.kind),
                ("press", o.press, n.press),
                ("objectives", o.objectives, n.objectives),
                ("talking points", o.talking_points, n.talking_points),
                ("notes", o.notes, n.notes),
            )
            if a != b
        ]
        if reworded:
            quoted = [o.title, n.title] if {"title", "title mark"} & set(reworded) else []
            quoted += [*o.objectives, *n.objectives, *o.notes, *n.notes]
            quoted += [p for p in (*o.talking_points, *n.talking_points) if isinstance(p, TextItem)]
            others = ", ".join(r for r in reworded if r != "title")
            if "title" in reworded:
                text = f"retitled {_quote(n.title.text)}" + (
                    f"; {others} changed" if others else ""
                )
            else:
                text = f"{others} changed"
            self.changes.append(
                Change(
                    "schedule",
                    "reworded",
                    path,
                    text,
                    self.mark(*quoted),
                    event=after.index,
                    title=_plain(n.title.text),
                )
            )
        if was:
            # The flag shows what the event was, on every change of this event.
            flagged = "; ".join(was)
            self.changes[:] = [
                replace(c, was=flagged) if c.event == after.index and c.section == "schedule" else c
                for c in self.changes
            ]

    # -- people
    def people(self) -> None:
        for pid, p in self.n.people.items():
            if pid not in self.o.people:
                self.add(
                    "people",
                    "added",
                    f"people.{pid}",
                    f"added: {p.name}, {p.title}"
                    + (f", {p.organization}" if p.organization else ""),
                )
                continue
            q = self.o.people[pid]
            for field in ("name", "title", "organization", "status"):
                a, b = getattr(q, field), getattr(p, field)
                if a != b:
                    self.add(
                        "people",
                        "changed",
                        f"people.{pid}",
                        f"{field} {a or '(none)'} → {b or '(none)'}",
                    )
            if q.bio != p.bio or q.notes != p.notes:
                which = [f for f in ("bio", "notes") if getattr(q, f) != getattr(p, f)]
                self.add(
                    "people",
                    "reworded",
                    f"people.{pid}",
                    f"{' and '.join(which)} reworded",
                    self.mark(*q.bio, *p.bio, *q.notes, *p.notes),
                )
        for pid, q in self.o.people.items():
            if pid not in self.n.people:
                self.add("people", "removed", f"people.{pid}", f"removed: {q.name}, {q.title}")

    # -- texts in lists (goals, press lines, risks)
    def texts(self, section: str, path: str, old: list, new: list, text_of) -> None:
        keys_old = [_plain(text_of(i)) for i in old]
        keys_new = [_plain(text_of(i)) for i in new]
        matcher = difflib.SequenceMatcher(a=keys_old, b=keys_new, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                continue
            paired = min(i2 - i1, j2 - j1)
            for k in range(paired):
                a, b = old[i1 + k], new[j1 + k]
                self.add(
                    section,
                    "reworded",
                    f"{path}[{j1 + k}]",
                    f"reworded: {_quote(text_of(a))} → {_quote(text_of(b))}",
                    self._item_mark(a, b),
                )
            for k in range(i1 + paired, i2):
                self.add(
                    section,
                    "removed",
                    f"{path}[{k}]",
                    f"removed: {_quote(text_of(old[k]))}",
                    self._item_mark(old[k]),
                )
            for k in range(j1 + paired, j2):
                self.add(
                    section,
                    "added",
                    f"{path}[{k}]",
                    f"added: {_quote(text_of(new[k]))}",
                    self._item_mark(new[k]),
                )

    def _item_mark(self, *items) -> str | None:
        texts = []
        for item in items:
            for attr in ("q", "a", "text"):
                value = getattr(item, attr, None)
                if value is not None and hasattr(value, "mark"):
                    texts.append(value)
            texts.append(item)
        return self.mark(*texts)

    def goals(self) -> None:
        self.texts("goals", "goals", self.o.goals, self.n.goals, lambda g: g.text)

    def issues(self) -> None:
        old = {i.id: i for i in self.o.issues}
        fields = (
            "title",
            "background",
            "our_position",
            "their_position",
            "points_to_make",
            "if_raised",
            "priority",
        )
        for issue in self.n.issues:
            path = f"issues.{issue.id}"
            if issue.id not in old:
                self.add(
                    "issues",
                    "added",
                    path,
                    f"added: {_quote(issue.title.text)}",
                    self.mark(issue.title),
                )
                continue
            before = old[issue.id]
            changed = [f for f in fields if getattr(before, f) != getattr(issue, f)]
            if changed:
                quoted = []
                for f in changed:
                    for side in (before, issue):
                        value = getattr(side, f)
                        quoted += value if isinstance(value, list) else [value]
                self.add(
                    "issues",
                    "reworded",
                    path,
                    "reworded: " + ", ".join(f.replace("_", " ") for f in changed),
                    self.mark(*[q for q in quoted if hasattr(q, "mark")]),
                )
        for issue in self.o.issues:
            if issue.id not in {i.id for i in self.n.issues}:
                self.add(
                    "issues",
                    "removed",
                    f"issues.{issue.id}",
                    f"removed: {_quote(issue.title.text)}",
                    self.mark(issue.title),
                )

    def press(self) -> None:
        o, n = self.o.press, self.n.press
        for field in ("posture", "key_messages"):
            self.texts(
                "press",
                f"press.{field}",
                getattr(o, field) if o else [],
                getattr(n, field) if n else [],
                lambda t: t.text,
            )
        self.texts(
            "press",
            "press.qa",
            o.qa if o else [],
            n.qa if n else [],
            lambda qa: f"{qa.q.text} — {qa.a.text}",
        )

    def risks(self) -> None:
        self.texts("risks", "risks", self.o.risks, self.n.risks, lambda r: r.text.text)

    def logistics(self) -> None:
        lo, ln = self.o.logistics, self.n.logistics
        for field, describe in (("flights", _flight), ("lodging", _stay)):
            old = getattr(lo, field) if lo else []
            new = getattr(ln, field) if ln else []
            for k in range(max(len(old), len(new))):
                path = f"logistics.{field}[{k}]"
                if k >= len(old):
                    self.add("logistics", "added", path, f"added: {describe(new[k])}")
                elif k >= len(new):
                    self.add("logistics", "removed", path, f"removed: {describe(old[k])}")
                elif old[k] != new[k]:
                    self.add(
                        "logistics",
                        "changed",
                        path,
                        f"{describe(old[k])} → {describe(new[k])}",
                        self.mark(*old[k].notes, *new[k].notes),
                    )

    def run(self) -> list[Change]:
        self.schedule()
        self.people()
        self.goals()
        self.issues()
        self.press()
        self.risks()
        self.logistics()
        return sorted(self.changes, key=lambda c: (SECTIONS.index(c.section), KINDS.index(c.kind)))


def _flight(f) -> str:
    legs = []
    for when in ("depart", "arrive"):
        moment = getattr(f, when)
        if moment:
            legs.append(f"{when} {moment:%a %b} {moment.day} {moment:%H:%M}")
    return f"{f.flight + ' ' if f.flight else ''}{f.from_} → {f.to}" + (
        f" ({', '.join(legs)})" if legs else ""
    )


def _stay(s) -> str:
    days = ""
    if s.from_ or s.to:
        days = f" ({_day(s.from_) if s.from_ else '…'} – {_day(s.to) if s.to else '…'})"
    return f"{s.place}{days}"


def since_label(old: Brief) -> str:
    """`version 3`, or the old memo's date when it has no version."""
    memo = old.trip.memo
    if memo.version is not None:
        return f"version {memo.version}"
    return f"the memo of {memo.date:%B} {memo.date.day}, {memo.date.year}"


def compare(old: Brief, new: Brief, old_label: str = "", new_label: str = "") -> Diff:
    return Diff(
        old_label or old.source.name,
        new_label or new.source.name,
        since_label(old),
        tuple(_Compare(old, new).run()),
    )


__all__ = ["Change", "Diff", "compare", "since_label"]

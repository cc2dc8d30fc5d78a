"""What changed beside the schedule: people, goals, issue papers, press lines, risks and
logistics, each list matched by id or by its text."""

from __future__ import annotations

import difflib

from briefgen.clock import short_day
from briefgen.diff.barred import issue_portions, person_portions
from briefgen.diff.change import Collector, _quote, _quotes
from briefgen.plain import plain_text


class PaperChanges(Collector):
    # -- people
    def people(self) -> None:
        for pid, p in self.n.people.items():
            if pid not in self.o.people:
                self.add(
                    "people",
                    "added",
                    f"people.{pid}",
                    "added" + (f" ({p.organization})" if p.organization else ""),
                    subject=f"{p.name}, {p.title}",
                    barred=(f"people.{pid}",),
                )
                continue
            q = self.o.people[pid]
            who = f"{p.name}, {p.title}"
            barred = person_portions(pid, q, p)
            for field in ("name", "title", "organization", "status"):
                a, b = getattr(q, field), getattr(p, field)
                if a != b:
                    self.add(
                        "people",
                        "changed",
                        f"people.{pid}",
                        f"{field} {a or '(none)'} → {b or '(none)'}",
                        subject=who,
                        barred=barred,
                    )
            if q.bio != p.bio or q.notes != p.notes:
                which = [f for f in ("bio", "notes") if getattr(q, f) != getattr(p, f)]
                self.add(
                    "people",
                    "reworded",
                    f"people.{pid}",
                    f"{' and '.join(which)} reworded",
                    self.mark(*q.bio, *p.bio, *q.notes, *p.notes),
                    subject=who,
                    barred=barred,
                )
        for pid, q in self.o.people.items():
            if pid not in self.n.people:
                self.add(
                    "people", "removed", f"people.{pid}", "removed", subject=f"{q.name}, {q.title}"
                )

    # -- texts in lists (goals, press lines, risks)
    def texts(
        self,
        section: str,
        path: str,
        old: list,
        new: list,
        text_of,
        fields: tuple = (),
        label: str = "",
    ) -> None:
        """Items matched by their text; a reworded one says how, and `fields` of an item (a
        risk's likelihood, a goal's priority) that changed are said too."""
        keys_old = [plain_text(text_of(i)) for i in old]
        keys_new = [plain_text(text_of(i)) for i in new]
        matcher = difflib.SequenceMatcher(a=keys_old, b=keys_new, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            paired = min(i2 - i1, j2 - j1)
            for k in range(paired):
                a, b = old[i1 + k], new[j1 + k]
                said = field_changes(a, b, fields)
                if op != "equal":
                    before, after = _quotes(text_of(a), text_of(b))
                    said.insert(0, f"reworded: {before} → {after}")
                if said:
                    kind = "changed" if op == "equal" else "reworded"
                    self.add(
                        section,
                        kind,
                        f"{path}[{j1 + k}]",
                        "; ".join(said),
                        self._item_mark(a, b),
                        subject=f"{label} {j1 + k + 1}",
                        barred=(f"{path}[{j1 + k}]",),
                    )
            for k in range(i1 + paired, i2):
                self.add(
                    section,
                    "removed",
                    f"{path}[{k}]",
                    f"removed: {_quote(text_of(old[k]))}",
                    self._item_mark(old[k]),
                    subject=f"{label} {k + 1} of {len(old)} before",
                )
            for k in range(j1 + paired, j2):
                self.add(
                    section,
                    "added",
                    f"{path}[{k}]",
                    f"added: {_quote(text_of(new[k]))}",
                    self._item_mark(new[k]),
                    subject=f"{label} {k + 1}",
                    barred=(f"{path}[{k}]",),
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
        self.texts(
            "goals",
            "goals",
            self.o.goals,
            self.n.goals,
            lambda g: g.text,
            ("kind", "priority"),
            "Goal",
        )

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
                    "added",
                    self.mark(issue.title),
                    subject=f"Issue paper {_quote(issue.title.text)}",
                    barred=(path,),
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
                    subject=f"Issue paper {_quote(issue.title.text)}",
                    barred=issue_portions(before, issue),
                )
        for issue in self.o.issues:
            if issue.id not in {i.id for i in self.n.issues}:
                self.add(
                    "issues",
                    "removed",
                    f"issues.{issue.id}",
                    "removed",
                    self.mark(issue.title),
                    subject=f"Issue paper {_quote(issue.title.text)}",
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
                label={"posture": "Press posture", "key_messages": "Key message"}[field],
            )
        self.texts(
            "press",
            "press.qa",
            o.qa if o else [],
            n.qa if n else [],
            lambda qa: f"{qa.q.text} — {qa.a.text}",
            label="Press question",
        )

    def risks(self) -> None:
        self.texts(
            "risks",
            "risks",
            self.o.risks,
            self.n.risks,
            lambda r: r.text.text,
            ("likelihood", "impact", "mitigation"),
            "Risk",
        )

    def logistics(self) -> None:
        lo, ln = self.o.logistics, self.n.logistics
        for field, describe in (("flights", _flight), ("lodging", _stay)):
            old = getattr(lo, field) if lo else []
            new = getattr(ln, field) if ln else []
            for k in range(max(len(old), len(new))):
                path = f"logistics.{field}[{k}]"
                subject = f"{'Flight' if field == 'flights' else 'Lodging'} {k + 1}"
                if k >= len(old):
                    self.add(
                        "logistics", "added", path, f"added: {describe(new[k])}", subject=subject
                    )
                elif k >= len(new):
                    self.add(
                        "logistics",
                        "removed",
                        path,
                        f"removed: {describe(old[k])}",
                        subject=subject,
                    )
                elif old[k] != new[k]:
                    before, after = describe(old[k]), describe(new[k])
                    if before == after:  # the change is in what the line leaves out
                        hidden = field_changes(old[k], new[k], LOGISTICS_DETAILS[field])
                        text = "; ".join([after, *hidden])
                    else:
                        text = f"{before} → {after}"
                    self.add(
                        "logistics",
                        "changed",
                        path,
                        text,
                        self.mark(*old[k].notes, *new[k].notes),
                        subject=subject,
                    )


# What a flight's or a stay's one-line description leaves out.
LOGISTICS_DETAILS = {
    "flights": ("depart_timezone", "arrive_timezone", "notes"),
    "lodging": ("address", "notes"),
}


def field_changes(before, after, names: tuple) -> list[str]:
    """`likelihood high → medium`, `mitigation reworded: “…” → “…”`, for each field that
    differs."""
    said = []
    for name in names:
        a, b = getattr(before, name), getattr(after, name)
        if a == b:
            continue
        label = name.rstrip("_").replace("_", " ")
        if isinstance(a, list) or isinstance(b, list):
            old_text = " / ".join(t.text for t in a or [])
            new_text = " / ".join(t.text for t in b or [])
            if plain_text(old_text) == plain_text(new_text):
                said.append(f"{label} mark changed")
                continue
            quoted_a, quoted_b = _quotes(old_text, new_text)
            said.append(f"{label} reworded: {quoted_a or '(none)'} → {quoted_b or '(none)'}")
        else:
            said.append(
                f"{label} {a if a is not None else '(none)'} → {b if b is not None else '(none)'}"
            )
    return said


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
        days = f" ({short_day(s.from_) if s.from_ else '…'} – {short_day(s.to) if s.to else '…'})"
    return f"{s.place}{days}"

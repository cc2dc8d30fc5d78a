"""What changed beside the schedule: people, goals, issue papers, press lines, risks and
logistics, each list matched by id or by its text."""

from __future__ import annotations

import difflib

from briefgen.diff.barred import issue_portions, person_portions
from briefgen.diff.change import Collector, _quote, _quotes
from briefgen.diff.fields import (
    LOGISTICS_DETAILS,
    field_changes,
    field_values,
    flight_line,
    stay_line,
)
from briefgen.language import N_
from briefgen.language import gettext as _
from briefgen.model import TextItem
from briefgen.plain import plain_text
from briefgen.portions import walk


class PaperChanges(Collector):
    # -- people
    def people(self) -> None:
        for pid, p in self.n.people.items():
            if pid not in self.o.people:
                self.add(
                    "people",
                    "added",
                    f"people.{pid}",
                    _("added") + (f" ({p.organization})" if p.organization else ""),
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
                        field_values(field, a, b),
                        subject=who,
                        barred=barred,
                    )
            if q.bio != p.bio or q.notes != p.notes:
                which = [f for f in ("bio", "notes") if getattr(q, f) != getattr(p, f)]
                self.add(
                    "people",
                    "reworded",
                    f"people.{pid}",
                    {
                        ("bio",): _("bio reworded"),
                        ("notes",): _("notes reworded"),
                        ("bio", "notes"): _("bio and notes reworded"),
                    }[tuple(which)],
                    self.mark(*q.bio, *p.bio, *q.notes, *p.notes),
                    subject=who,
                    barred=barred,
                )
        for pid, q in self.o.people.items():
            if pid not in self.n.people:
                self.add(
                    "people",
                    "removed",
                    f"people.{pid}",
                    _("removed"),
                    subject=f"{q.name}, {q.title}",
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
                    said.insert(
                        0,
                        _("reworded: %(before)s → %(after)s") % {"before": before, "after": after},
                    )
                if said:
                    kind = "changed" if op == "equal" else "reworded"
                    self.add(
                        section,
                        kind,
                        f"{path}[{j1 + k}]",
                        "; ".join(said),
                        self._item_mark(a, b),
                        subject=f"{_(label)} {j1 + k + 1}",
                        barred=(f"{path}[{j1 + k}]",),
                    )
            for k in range(i1 + paired, i2):
                self.add(
                    section,
                    "removed",
                    f"{path}[{k}]",
                    _("removed: %(text)s") % {"text": _quote(text_of(old[k]))},
                    self._item_mark(old[k]),
                    subject=_("%(label)s %(number)d of %(count)d before")
                    % {"label": _(label), "number": k + 1, "count": len(old)},
                )
            for k in range(j1 + paired, j2):
                self.add(
                    section,
                    "added",
                    f"{path}[{k}]",
                    _("added: %(text)s") % {"text": _quote(text_of(new[k]))},
                    self._item_mark(new[k]),
                    subject=f"{_(label)} {k + 1}",
                    barred=(f"{path}[{k}]",),
                )

    def _item_mark(self, *items) -> str | None:
        """The highest mark of every Text in the items (a risk's mitigation, a Q&A's
        answer): a line may quote any of them."""
        return self.mark(*[v for item in items for v in walk(item) if isinstance(v, TextItem)])

    def goals(self) -> None:
        self.texts(
            "goals",
            "goals",
            self.o.goals,
            self.n.goals,
            lambda g: g.text,
            ("kind", "priority"),
            N_("Goal"),
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
                    _("added"),
                    self.mark(issue.title),
                    subject=_("Issue paper %(title)s") % {"title": _quote(issue.title.text)},
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
                    _("reworded: %(fields)s")
                    % {"fields": ", ".join(_(f.replace("_", " ")) for f in changed)},
                    self.mark(*[q for q in quoted if hasattr(q, "mark")]),
                    subject=_("Issue paper %(title)s") % {"title": _quote(issue.title.text)},
                    barred=issue_portions(before, issue),
                )
        for issue in self.o.issues:
            if issue.id not in {i.id for i in self.n.issues}:
                self.add(
                    "issues",
                    "removed",
                    f"issues.{issue.id}",
                    _("removed"),
                    self.mark(issue.title),
                    subject=_("Issue paper %(title)s") % {"title": _quote(issue.title.text)},
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
                label={"posture": N_("Press posture"), "key_messages": N_("Key message")}[field],
            )
        self.texts(
            "press",
            "press.qa",
            o.qa if o else [],
            n.qa if n else [],
            lambda qa: f"{qa.q.text} — {qa.a.text}",
            label=N_("Press question"),
        )

    def risks(self) -> None:
        self.texts(
            "risks",
            "risks",
            self.o.risks,
            self.n.risks,
            lambda r: r.text.text,
            ("likelihood", "impact", "mitigation"),
            N_("Risk"),
        )

    def logistics(self) -> None:
        lo, ln = self.o.logistics, self.n.logistics
        for field, describe in (("flights", flight_line), ("lodging", stay_line)):
            old = getattr(lo, field) if lo else []
            new = getattr(ln, field) if ln else []
            for k in range(max(len(old), len(new))):
                path = f"logistics.{field}[{k}]"
                subject = f"{_('Flight') if field == 'flights' else _('Lodging')} {k + 1}"
                if k >= len(old):
                    self.add(
                        "logistics",
                        "added",
                        path,
                        _("added: %(text)s") % {"text": describe(new[k])},
                        subject=subject,
                    )
                elif k >= len(new):
                    self.add(
                        "logistics",
                        "removed",
                        path,
                        _("removed: %(text)s") % {"text": describe(old[k])},
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

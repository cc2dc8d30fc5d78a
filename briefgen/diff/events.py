"""What changed in the schedule: events matched by id, then by title, and compared slot by
slot (date, time in both clocks, place, status, participants), each change flagged on its
event."""

from __future__ import annotations

from dataclasses import replace

from briefgen import schedule
from briefgen.clock import clock_text, short_day
from briefgen.diff.change import Change, Collector, _quote
from briefgen.language import N_
from briefgen.language import gettext as _
from briefgen.model import TextItem
from briefgen.plain import plain_text
from briefgen.schedule import Slot


class EventChanges(Collector):
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
                    _("new — %(when)s")
                    % {
                        "when": f"{short_day(e.date)} {clock_text(s.local)} {s.place}"
                        + (f", {e.location}" if e.location else "")
                    },
                    self.mark(e.title),
                    event=s.index,
                    title=plain_text(e.title.text),
                    subject=plain_text(e.title.text),
                    day=e.date,
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
                _("removed — was %(when)s")
                % {"when": f"{short_day(e.date)} {clock_text(s.local)} {s.place}"},
                self.mark(e.title),
                title=plain_text(e.title.text),
                subject=plain_text(e.title.text),
                day=e.date,
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

        title = plain_text(n.title.text)
        when = f"{short_day(n.date)} {clock_text(after.local)}".removesuffix(" " + _("time TBC"))

        def add(kind: str, text: str) -> None:
            # The event by its title and time; when its time is what changed, the text says it.
            subject = title if kind in ("moved", "retimed") else f"{title}, {when}"
            self.add(
                "schedule",
                kind,
                path,
                text,
                mark,
                event=after.index,
                title=title,
                subject=subject,
                day=n.date,
            )

        old_clock, new_clock = clock_text(before.local), clock_text(after.local)
        if o.date != n.date or old_clock != new_clock or before.zone != after.zone:
            moved = o.date != n.date
            old_when = f"{short_day(o.date)} {old_clock}" if moved else old_clock
            new_when = f"{short_day(n.date)} {new_clock}" if moved else new_clock
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
                _("was %(when)s")
                % {"when": old_when + ("" if before.zone == after.zone else f" {before.place}")}
            )
        if (o.location or "") != (n.location or ""):
            none = _("(none)")
            add(
                "relocated",
                _("location %(old)s → %(new)s")
                % {"old": o.location or none, "new": n.location or none},
            )
            was.append(
                _("was at %(location)s") % {"location": o.location}
                if o.location
                else _("location added")
            )
        if o.status != n.status:
            if n.status == "cancelled":
                add("cancelled", _("cancelled (was %(status)s)") % {"status": _(o.status)})
            else:  # the status words are the catalogue's (templates/macros.html.j2)
                add("status", f"{_(o.status)} → {_(n.status)}")
            was.append(_("was %(when)s") % {"when": _(o.status)})
        names = {pid: p.name for pid, p in {**self.o.people, **self.n.people}.items()}
        before_people = list(dict.fromkeys(p.person for p in o.participants))
        after_people = list(dict.fromkeys(p.person for p in n.participants))
        gained = [p for p in after_people if p not in before_people]
        lost = [p for p in before_people if p not in after_people]
        if gained or lost:
            parts = []
            if gained:
                parts.append(_("added %(names)s") % {"names": ", ".join(names[p] for p in gained)})
            if lost:
                parts.append(_("removed %(names)s") % {"names": ", ".join(names[p] for p in lost)})
            add("participants", _("participants %(changes)s") % {"changes": "; ".join(parts)})
            was.append(_("participants changed"))
        reworded = [
            label
            for label, a, b in (
                (N_("title"), o.title.text, n.title.text),
                (N_("title mark"), o.title.mark, n.title.mark),
                (N_("kind"), o.kind, n.kind),
                (N_("press"), o.press, n.press),
                (N_("objectives"), o.objectives, n.objectives),
                (N_("talking points"), o.talking_points, n.talking_points),
                (N_("notes"), o.notes, n.notes),
            )
            if a != b
        ]
        if reworded:
            quoted = [o.title, n.title] if {"title", "title mark"} & set(reworded) else []
            quoted += [*o.objectives, *n.objectives, *o.notes, *n.notes]
            quoted += [p for p in (*o.talking_points, *n.talking_points) if isinstance(p, TextItem)]
            others = ", ".join(_(r) for r in reworded if r != "title")
            changed = _("%(what)s changed") % {"what": others}
            if "title" in reworded:
                text = _("retitled %(title)s") % {"title": _quote(n.title.text)} + (
                    f"; {changed}" if others else ""
                )
            else:
                text = changed
            self.changes.append(
                Change(
                    "schedule",
                    "reworded",
                    path,
                    text,
                    self.mark(*quoted),
                    event=after.index,
                    title=title,
                    subject=f"{title}, {when}",
                    day=n.date,
                )
            )
        if was:
            # The flag shows what the event was, on every change of this event.
            flagged = "; ".join(was)
            self.changes[:] = [
                replace(c, was=flagged, was_mark=self.mark(o.title))
                if c.event == after.index and c.section == "schedule"
                else c
                for c in self.changes
            ]

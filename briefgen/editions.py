"""Releasable editions (`--release LEVEL`, `--release-to CTY`, or both): the same trip with
every portion that may not go left out, before anything is rendered.

`--release LEVEL` keeps the portions at or below LEVEL; `--release-to CTY` keeps unclassified
portions without NF and classified portions whose REL TO names CTY (the contract's rules;
`markings.Marking.effective` gives each portion's level and controls).

Works on the validated models only (frozen pydantic models, copied with `model_copy`), so
every layout, house style and product sees nothing of what was withheld: not in the text,
the bookmarks, the running heads, the metadata or the attachments. A portion is a Text
(paragraph, bullet, goal, objective, talking point, bio paragraph, note), a Q&A pair (either
half above LEVEL withholds the pair), a risk (by its text), a contact (by its mark); an event
or issue paper whose title may not go is left out whole, and talking points that pull in
a withheld issue paper go with it. Unmarked portions carry `markings.default`. People seen
only in what was withheld (its participants, or named in its text) go too, unless what is
kept names them; sources cited only by what was withheld go too.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

from pydantic import BaseModel

from briefgen import errors, leaks, markings
from briefgen.brief import Brief, Withheld
from briefgen.countries import ALPHA3, ALPHA3_OF
from briefgen.language import gettext as _
from briefgen.language import ngettext, speaking
from briefgen.leaks import Lookout
from briefgen.model import QA, Contact, Event, Issue, IssueRef, Person, Risk, TextItem, TripFile
from briefgen.portions import book_wordings, cited, marks_in, walk, words

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
    """The edition cannot be made: a required portion may not go."""


class ReleaseUsageError(ReleaseError):
    """The level or country does not fit the trip's markings (a usage error: exit 2)."""


@dataclass(frozen=True)
class Edition:
    brief: Brief
    level: str | None  # --release LEVEL
    country: str | None  # --release-to CTY
    withheld: Counter  # plural label -> count
    texts: tuple[str, ...] = ()  # every withheld string (what the PDF must not show)
    people: tuple[str, ...] = ()  # names of the people left out
    events: tuple[tuple[str, str], ...] = ()  # (id of a withheld event, why it was withheld)
    issue_ids: frozenset[str] = frozenset()  # the withheld issue papers
    person_ids: frozenset[str] = frozenset()  # the people left out

    @property
    def total(self) -> int:
        return sum(self.withheld.values())

    @property
    def tag(self) -> str:
        """What names the output: `u`, `ltu`, `c-ltu` (trip-rel-c-ltu.pdf)."""
        return "-".join(x.lower() for x in (self.level, self.country) if x)

    def scope(self) -> str:
        """`at or below SBU, releasable to LTU`."""
        parts = [f"at or below {self.level}" if self.level else "", self.country or ""]
        if self.country:
            parts[1] = f"releasable to {self.country}"
        return ", ".join(p for p in parts if p)

    def statement(self) -> str:
        """Page 1 of every product of the edition: what it is and how much it left out, in
        the book's language (the levels and country codes in their system's words)."""
        with speaking(self.brief.trip.trip.language):
            scope = [_("at or below %(level)s") % {"level": self.level}] if self.level else []
            if self.country:
                scope.append(_("releasable to %(country)s") % {"country": self.country})
            withheld = ngettext("%(n)d portion withheld", "%(n)d portions withheld", self.total) % {
                "n": self.total
            }
            edition = _("Releasable edition")
            return f"{edition} — {', '.join(scope)} — {withheld}"

    def summary(self) -> str:
        """`releasable at SBU: withheld 14 portions: 3 goals, 2 events, ...`."""
        where = f"edition {self.scope()}"
        people = (
            f"; left out {errors.plural(len(self.people), 'person', 'people')} seen only there"
            if self.people
            else ""
        )
        if not self.total:
            return f"{where}: withheld nothing{people}"
        parts = []
        for plural in ORDER:
            if count := self.withheld.get(plural):
                singular = next(s for s, p in LABELS.values() if p == plural)
                parts.append(f"{count} {singular if count == 1 else plural}")
        noun = "portion" if self.total == 1 else "portions"
        return f"{where}: withheld {self.total} {noun}: {', '.join(parts)}{people}"

    def withheld_event(self, key: str) -> str | None:
        """Why the event with the id `key` is not in the edition (None: it is, or never was)."""
        return next((why for k, why in self.events if k == key), None)


def check_level(trip: TripFile, level: str | None, country: str | None = None) -> tuple:
    """(LEVEL, CTY) in capitals; ReleaseUsageError when the trip's system has no such level,
    or the country is not an ISO 3166 alpha-3 code (REL TO is a us control)."""
    m = trip.markings
    option = "--release" if level is not None else "--release-to"
    if m is None or m.system == "plain" or (country is not None and m.system != "us"):
        what = f"{m.system} markings" if m else "no markings"
        need = "the us system" if country is not None else "the us or uk system"
        raise ReleaseUsageError(f"{option} needs portion marks of {need}; this trip has {what}")
    if level is not None:
        level = level.strip().upper()
        levels = markings.marks_of(m.system)
        if level not in levels:
            raise ReleaseUsageError(
                f"--release {level}: not a level of the {m.system} system ({', '.join(levels)})"
            )
    if country is not None:
        country = country.strip().upper()
        if country not in ALPHA3:
            hint = f" (did you mean {ALPHA3_OF[country]}?)" if country in ALPHA3_OF else ""
            raise ReleaseUsageError(
                f"--release-to {country}: not an ISO 3166 alpha-3 country code{hint}"
            )
    return level, country


def release(brief: Brief, level: str | None, country: str | None = None) -> Edition:
    """The trip with every portion that may not go left out, and what was withheld."""
    trip = brief.trip
    level, country = check_level(trip, level, country)
    marking = brief.marking
    system = marking.system or "us"
    top = markings.rank(system, level) if level else None
    cui_control = (
        (trip.markings.cui.dissemination or "") if trip.markings and trip.markings.cui else ""
    )

    def why_not(mark: str | None) -> str | None:
        p = marking.effective(mark)
        if top is not None and markings.rank(system, p.level) > top:
            return f"marked {p}, above {level}"
        if country and (
            p.noforn or (markings.classified(system, p.level) and country not in (p.rel_to or ()))
        ):
            return f"marked {p}, not releasable to {country}"
        if country and p.level == "CUI" and not _cui_goes_to(cui_control, country):
            return f"marked CUI//{cui_control}, not releasable to {country}"
        return None

    default_why = why_not(None)
    if default_why:
        raise ReleaseError(
            f"markings.default is {default_why.removeprefix('marked ')}: "
            "names and places carry no mark of their own and would go out under it; give "
            "markings.default a releasable level and mark the portions above it"
        )
    if why := why_not(trip.memo.subject.mark):
        raise ReleaseError(
            f"memo.subject is {why}, and the memo cannot go without its subject: give it a "
            "releasable subject"
        )
    gone_issues = {i.id for i in trip.issues if why_not(i.title.mark)}
    withheld: Counter = Counter()
    gone: list[Any] = []

    def reason(item: Any) -> str | None:
        if isinstance(item, TextItem):
            return why_not(item.mark)
        if isinstance(item, Event | Issue):
            return why_not(item.title.mark)
        if isinstance(item, Risk):
            return why_not(item.text.mark)
        if isinstance(item, QA):
            return why_not(item.q.mark) or why_not(item.a.mark)
        if isinstance(item, Contact):
            return why_not(item.mark)
        if isinstance(item, IssueRef) and item.issue in gone_issues:
            return "its issue paper is withheld"
        return None

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
                if reason(item):
                    withheld[LABELS.get(field, ("portion", "other portions"))[1]] += 1
                    gone.append(item)
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
    cited_before, cited_after = cited(trip), cited(released)
    sources = [s for s in released.sources if s.id in cited_after or s.id not in cited_before]
    if len(sources) != len(released.sources):
        released = released.model_copy(update={"sources": sources})
    released, left_out = _without_unseen_people(released, gone)
    people = list(left_out.values())
    texts = [v.text for v in walk(gone) if isinstance(v, TextItem)]
    texts += [t for p in people for t in _person_strings(p)]
    texts += [v for v in words(gone) if len(v) >= leaks.MIN_SHORT]
    # By id only: an event's place in the agenda is the edition's own (`--event 3`).
    events = tuple((e.id, why) for e in trip.agenda if e.id and (why := reason(e)))
    edition = Edition(
        brief,
        level,
        country,
        withheld,
        tuple(dict.fromkeys(texts)),
        tuple(p.name for p in people),
        events,
        frozenset(gone_issues),
        frozenset(left_out),
    )
    lookout = Lookout.of(edition.texts, [*words(released), *book_wordings(released)])
    said = Withheld(edition.statement(), edition.total, lookout)
    marking = markings.rollup(released.markings, marks_in(released))
    return replace(edition, brief=Brief(released, brief.source, marking, said))


def _cui_goes_to(control: str, country: str) -> bool:
    """Whether CUI under this limited dissemination control may go to CTY: without one, or
    under REL TO naming it (read as a portion's controls are). NOFORN, FED ONLY, FEDCON,
    NOCON, DL ONLY and DISPLAY ONLY never make a copy to hand a partner."""
    if not control.strip():
        return True
    try:
        noforn, rel_to = markings.parse_controls(control)
    except markings.MarkError:
        return False
    return not noforn and country in (rel_to or ())


def _without_unseen_people(trip: TripFile, gone: list) -> tuple[TripFile, dict[str, Person]]:
    """The trip without the people seen only in what was withheld (participants of withheld
    events, named in withheld text) and not in what is kept (the principal, participants of
    kept events, named in kept text); and those people."""
    kept_ids = {trip.trip.principal} | {p.person for e in trip.agenda for p in e.participants}
    gone_ids = {p.person for e in gone if isinstance(e, Event) for p in e.participants}
    kept_text = _folded(" ".join(v.text for v in walk(trip) if isinstance(v, TextItem)))
    gone_text = _folded(" ".join(v.text for v in walk(gone) if isinstance(v, TextItem)))
    left_out = [
        pid
        for pid, person in trip.people.items()
        if pid not in kept_ids
        and not leaks.occurs(_folded(person.name), kept_text)
        and (pid in gone_ids or leaks.occurs(_folded(person.name), gone_text))
    ]
    if not left_out:
        return trip, {}
    people = {pid: p for pid, p in trip.people.items() if pid not in left_out}
    return trip.model_copy(update={"people": people}), {pid: trip.people[pid] for pid in left_out}


def _folded(text: str) -> str:
    return " ".join(text.casefold().split())


def _person_strings(person: Person) -> list[str]:
    return [
        person.name,
        *(x for x in (person.native_name, person.title, person.organization) if x),
        *(v.text for v in walk(person) if isinstance(v, TextItem)),
    ]

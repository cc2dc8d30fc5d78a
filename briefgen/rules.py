"""The rules that need the whole file: references, dates inside the trip, marks for the
chosen system, the authority block, photos, unique ids. They read the loaded data
defensively (it may not fit the model yet), so they report alongside the model's errors."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from briefgen import markings
from briefgen.errors import DocPath, Problem
from briefgen.loaded import LoadedTrip
from briefgen.photos import photo_problem
from briefgen.rawdata import get, items
from briefgen.scalars import check_timezone, parse_date, parse_datetime
from briefgen.suggestions import Suggester


def _date(value: Any) -> dt.date | None:
    try:
        return parse_date(value)
    except Exception:
        return None


def _instant(flight: Any, when: str) -> dt.datetime | None:
    """A flight's depart or arrive as an aware instant, or None when it cannot be read (the
    model reports why)."""
    try:
        moment = parse_datetime(get(flight, when))
        zone = ZoneInfo(check_timezone(get(flight, f"{when}_timezone")))
    except Exception:
        return None
    return moment.replace(tzinfo=zone)


class WholeFileRules:
    """Rules that need the whole file. They read the loaded data defensively (it may not fit
    the model yet), so they report alongside the model's errors, not after them."""

    def __init__(self, loaded: LoadedTrip):
        self.loaded = loaded
        self.data: dict = loaded.data
        self.problems: list[Problem] = []

    def add(self, path: DocPath, message: str, *, key: bool = False) -> None:
        self.problems.append(self.loaded.problem(path, message, key=key))

    def run(self) -> list[Problem]:
        self.references()
        self.dates()
        self.marks()
        self.photos()
        self.unique_ids()
        return self.problems

    # -- references
    def references(self) -> None:
        d = self.data
        people = d.get("people") if isinstance(d.get("people"), dict) else {}
        issue_ids = {
            i.get("id")
            for _, i in items(d.get("issues"))
            if isinstance(i, dict) and isinstance(i.get("id"), str)
        }
        source_ids = {
            s.get("id")
            for _, s in items(d.get("sources"))
            if isinstance(s, dict) and isinstance(s.get("id"), str)
        }

        suggesters: dict[int, Suggester] = {}  # one index per set of ids, built when needed

        def ref(path: DocPath, value: Any, known: Any, what: str) -> None:
            if isinstance(value, str) and value not in known:
                if (near := suggesters.get(id(known))) is None:
                    near = suggesters[id(known)] = Suggester(
                        sorted(k for k in known if isinstance(k, str))
                    )
                self.add(path, f"unknown {what} '{value}'{near.hint(value)}")

        ref(("trip", "principal"), get(d, "trip", "principal"), people, "person")
        for i, event in items(d.get("agenda")):
            for j, who in items(get(event, "participants")):
                person = who.get("person") if isinstance(who, dict) else who
                at = (
                    "agenda",
                    i,
                    "participants",
                    j,
                    *(("person",) if isinstance(who, dict) else ()),
                )
                ref(at, person, people, "person")
            for j, point in items(get(event, "talking_points")):
                if isinstance(point, dict) and "issue" in point:
                    ref(
                        ("agenda", i, "talking_points", j, "issue"),
                        point["issue"],
                        issue_ids,
                        "issue",
                    )
        for path, cited in self._walk_key(d, "sources", skip_root=True):
            for j, source in items(cited):
                ref((*path, j), source, source_ids, "source")

    def _walk_key(self, node: Any, key: str, path: DocPath = (), skip_root: bool = False):
        """Every (path, value) of `key` in mappings below node, outside top-level x- keys."""
        if isinstance(node, dict):
            for k, v in node.items():
                if not path and str(k).startswith("x-"):
                    continue
                if k == key and not (skip_root and not path):
                    yield (*path, k), v
                yield from self._walk_key(v, key, (*path, k))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                yield from self._walk_key(v, key, (*path, i))

    # -- dates
    def dates(self) -> None:
        d = self.data
        start, end = _date(get(d, "trip", "start")), _date(get(d, "trip", "end"))
        window = (start, end) if start is not None and end is not None and start <= end else None
        if start and end and end < start:
            self.add(("trip", "end"), f"the trip ends ({end}) before the trip starts ({start})")

        def inside(path: DocPath, value: Any, what: str) -> None:
            day = _date(value)
            if window and day and not window[0] <= day <= window[1]:
                self.add(path, f"{what} {day} is outside the trip ({start} to {end})")

        def ordered(path: DocPath, item: Any, what: str) -> None:
            a, b = _date(get(item, "from")), _date(get(item, "to"))
            if a and b and b < a:
                self.add((*path, "to"), f"the {what} ends ({b}) before it starts ({a})")

        for i, stop in items(get(d, "trip", "stops")):
            inside(("trip", "stops", i, "from"), get(stop, "from"), "stop date")
            inside(("trip", "stops", i, "to"), get(stop, "to"), "stop date")
            ordered(("trip", "stops", i), stop, "stop")
        for i, event in items(d.get("agenda")):
            inside(("agenda", i, "date"), get(event, "date"), "event date")
            if get(event, "end") is not None and get(event, "start") is None:
                self.add(("agenda", i, "end"), "'end' needs a 'start' (write both, or neither)")
        for i, stay in items(get(d, "logistics", "lodging")):
            ordered(("logistics", "lodging", i), stay, "stay")
        for i, flight in items(get(d, "logistics", "flights")):
            for when in ("depart", "arrive"):
                if get(flight, when) and not get(flight, f"{when}_timezone"):
                    self.add(
                        ("logistics", "flights", i, when),
                        f"'{when}' needs '{when}_timezone' to say whose clock it is",
                    )
            depart, arrive = _instant(flight, "depart"), _instant(flight, "arrive")
            if depart and arrive and arrive <= depart:
                self.add(
                    ("logistics", "flights", i, "arrive"),
                    f"the flight lands ({get(flight, 'arrive')} {get(flight, 'arrive_timezone')}) "
                    f"before it takes off ({get(flight, 'depart')} "
                    f"{get(flight, 'depart_timezone')}), as the clocks of the two zones read; "
                    "check the date and each zone",
                )

    # -- marks
    def marks(self) -> None:
        m = self.data.get("markings")
        system = m.get("system") if isinstance(m, dict) else None
        if not isinstance(system, str) or system not in markings.LEVELS:
            system = None  # the model reports it
        found = [(p, v) for p, v in self._walk_key(self.data, "mark") if isinstance(v, str)]
        default = m.get("default") if isinstance(m, dict) else None
        if isinstance(default, str):
            found.insert(0, (("markings", "default"), default))
        if not isinstance(m, dict):
            for path, value in found:
                self.add(
                    path,
                    f"mark '{value}' is given, but the file has no `markings:` block "
                    "naming the system (us, uk or plain)",
                )
            return
        if system is None:
            return
        self._check_marks(system, m, found)
        if isinstance(m.get("banner"), str) and system != "plain":
            self.add(
                ("markings", "banner"),
                f"'banner' is for the plain system only; the "
                f"{system} banner is computed from the marks",
            )
        if system == "plain" and m.get("controls") and not m.get("banner"):
            self.add(
                ("markings", "controls"),
                "controls are appended to the banner, and this "
                "plain marking has none: add 'banner' (e.g. COMPANY CONFIDENTIAL)",
            )
        overall = markings.overall_level(system, default, [v for _, v in found])
        if overall is not None and markings.classified(system, overall) and not m.get("authority"):
            top = [p for p, v in found if markings.level_of(v) == overall]
            words = dict(markings.LEVELS[system])[overall]
            self.add(
                top[0] if top else ("markings",),
                f"the overall level is {words}: markings.authority (classified_by, reason "
                "or derived_from, declassify_on) is required at C and above",
            )

    def _check_marks(self, system: str, m: dict, found: list) -> None:
        """Each mark against the system (level, controls, countries); markings.controls; SBU
        and CUI not both; markings.cui once a portion is CUI."""
        levels: dict[str, DocPath] = {}
        for path, value in found:
            try:
                levels.setdefault(markings.parse_mark(system, value).level, path)
            except markings.MarkError as exc:
                self.add(path, str(exc))
        controls = m.get("controls")
        for i, control in items(controls if system == "us" else None):
            try:
                markings.parse_controls(str(control))
            except markings.MarkError as exc:
                self.add(("markings", "controls", i), str(exc))
        if "SBU" in levels and "CUI" in levels:
            self.add(
                max(levels["SBU"], levels["CUI"], key=self._position),
                "a file may use SBU or CUI, not both (CUI replaced SBU): mark these "
                "portions CUI, or the CUI ones SBU",
            )
        if "CUI" in levels and not m.get("cui"):
            where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in levels["CUI"])
            self.add(
                ("markings",),
                f"{where.lstrip('.')[: -len('.mark')]} is CUI: markings.cui (controlled_by, "
                "categories, poc) is required for the designation indicator",
                key=True,
            )
        if m.get("cui") is not None and system != "us":
            self.add(("markings", "cui"), f"CUI is a level of the us system, not of {system}")

    def _position(self, path: DocPath) -> tuple[int, int]:
        problem = self.loaded.problem(path, "")
        return (problem.line or 0, problem.column or 0)

    # -- photos
    def photos(self) -> None:
        people = self.data.get("people")
        for pid, person in people.items() if isinstance(people, dict) else []:
            value = get(person, "photo")
            if not isinstance(value, str):
                continue
            path = ("people", pid, "photo")
            folder = self.loaded.folder_of(path)  # a library's photos are relative to it
            if Path(value).is_absolute() or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", value):
                self.add(path, f"photo '{value}' must be a path relative to the trip file")
                continue
            try:
                target = (folder / value).resolve()
                exists = target.is_file()
            except OSError as exc:  # a name too long, a loop of links, ...
                self.add(path, f"photo '{value}' cannot be opened: {exc.strerror or exc}")
                continue
            if not target.is_relative_to(folder):
                self.add(path, f"photo '{value}' is outside the trip file's folder")
            elif not exists:
                self.add(path, f"photo '{value}' does not exist (looked for {target})")
            elif problem := photo_problem(target):
                self.add(path, f"photo '{value}' {problem}")

    # -- ids that must be unique
    def unique_ids(self) -> None:
        for section in ("agenda", "issues", "sources"):
            seen: dict[str, int] = {}
            for i, item in items(self.data.get(section)):
                ident = get(item, "id")
                if isinstance(ident, str):
                    if ident in seen:
                        self.add(
                            (section, i, "id"),
                            f"id '{ident}' is already used by {section}[{seen[ident]}]",
                        )
                    seen.setdefault(ident, i)

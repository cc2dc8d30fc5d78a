"""Stage 3: a validated Brief -> one HTML document, through Jinja2 templates.

Trip text is untrusted: Jinja2 autoescapes everything, and Text values go through
markdown-it-py with raw HTML off, images off and links only to http(s)/mailto. Trip text is
data handed to templates, never template source, so `{{ }}` in a trip file prints as typed.
This module also prepares what the templates show: clock times in the local and home
zones, participants by side in precedence order, goals by kind, talking points with
`{issue: x}` expanded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import jinja2
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from briefgen.model import Event, Issue, IssueRef, Person, TextItem
from briefgen.validate import Brief

PAPER_SIZES = {"letter": "letter", "a4": "A4"}
LAYOUTS = ("book",)
SIDE_LABELS = {"home": "Our delegation", "host": "Host side", "third": "Others"}
GOAL_KINDS = [("objective", "Objectives"), ("deliverable", "Deliverables"),
              ("expectation", "Expectations"), ("red-line", "Red lines")]


def builtin_template_dir() -> Path:
    """Templates ship inside the wheel as briefgen/templates; in a checkout they sit at the top."""
    packaged = Path(__file__).parent / "templates"
    return packaged if packaged.is_dir() else Path(__file__).parent.parent / "templates"


# ---------------------------------------------------------------- inline Markdown


@cache
def _markdown() -> MarkdownIt:
    md = MarkdownIt("zero", {"html": False, "breaks": False, "typographer": False})
    md.enable(["emphasis", "backticks", "link", "image", "newline", "escape", "entity",
               "strikethrough"])
    md.validateLink = lambda url: url.strip().lower().startswith(("http://", "https://",
                                                                   "mailto:"))
    # Images are parsed only to be printed back as the text that was typed: never fetched.
    md.add_render_rule("image", lambda self, tokens, idx, options, env: escape(
        f"![{tokens[idx].content}]({tokens[idx].attrGet('src')})"))
    return md


def inline_markdown(source: str) -> Markup:
    """Inline Markdown -> safe HTML. Raw HTML and images stay text; only web/mail links."""
    return Markup(_markdown().renderInline(source).strip())


def plain_text(source: str) -> str:
    """Inline Markdown reduced to its words (for PDF metadata and bookmarks)."""
    tokens = _markdown().parseInline(source)
    return "".join(child.content for t in tokens for child in (t.children or [])
                   if child.type in ("text", "code_inline")).strip()


# ---------------------------------------------------------------- times


def zone_city(name: str) -> str:
    return name.split("/")[-1].replace("_", " ")


def utc_offset(moment: dt.datetime) -> str:
    offset = moment.utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def _hm(moment: dt.datetime | dt.time) -> str:
    return f"{moment.hour:02d}:{moment.minute:02d}"


def short_day(day: dt.date) -> str:
    return f"{day:%a} {day:%b} {day.day}"


def long_date(day: dt.date) -> str:
    return f"{day:%A}, {day:%B} {day.day}, {day.year}"


def memo_date(day: dt.date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


@dataclass
class Clock:
    """A span of time on one clock, formatted for people: `22:00–00:30 (+1 day)`."""

    start: dt.datetime
    end: dt.datetime | None

    def span(self, reference: dt.date | None = None) -> Markup:
        """`07:30–09:00`; the next day flagged; the day named when it is not `reference`."""
        text = _hm(self.start) + (f"–{_hm(self.end)}" if self.end is not None else "")
        out = Markup('<span class="nowrap">{}</span>').format(text)
        if self.end is not None and (extra := (self.end.date() - self.start.date()).days):
            out += Markup(' <span class="nowrap">(+{} day{})</span>').format(
                extra, "s" if extra > 1 else "")
        if reference is not None and self.start.date() != reference:
            out = Markup('<span class="nowrap">{},</span> ').format(
                short_day(self.start.date())) + out
        return out

    @property
    def zone(self) -> str:
        return utc_offset(self.start)


def event_clocks(event: Event, tz: str, home_tz: str) -> tuple[Clock | None, Clock | None]:
    """(local clock, home clock or None when the home zone shows the same time)."""
    if event.start is None:
        return None, None
    local_zone, home_zone = ZoneInfo(tz), ZoneInfo(home_tz)
    start = dt.datetime.combine(event.date, event.start, tzinfo=local_zone)
    end = None
    if event.end is not None:
        end_day = event.date + dt.timedelta(days=1 if event.end < event.start else 0)
        end = dt.datetime.combine(end_day, event.end, tzinfo=local_zone)
    local = Clock(start, end)
    if start.utcoffset() == start.astimezone(home_zone).utcoffset():
        return local, None
    home = Clock(start.astimezone(home_zone), end.astimezone(home_zone) if end else None)
    return local, home


# ---------------------------------------------------------------- the view the templates read


@dataclass
class EventView:
    event: Event
    anchor: str
    timezone: str
    place: str
    local: Clock | None
    home: Clock | None
    sides: list[tuple[str, list[tuple[Person, str, str | None]]]]
    points: list[tuple[str, object]]  # ("text", TextItem) | ("issue", Issue)


@dataclass
class View:
    brief: Brief
    home_label: str
    schedule: list[EventView] = field(default_factory=list)
    goal_groups: list[tuple[str, list]] = field(default_factory=list)
    sides: list[tuple[str, list[tuple[str, Person]]]] = field(default_factory=list)
    bios: list[tuple[str, Person]] = field(default_factory=list)
    issues: dict[str, Issue] = field(default_factory=dict)
    source_numbers: dict[str, int] = field(default_factory=dict)
    flights: list[tuple] = field(default_factory=list)
    photos: dict[str, str] = field(default_factory=dict)
    initials: dict[str, str] = field(default_factory=dict)
    any_home_times: bool = False

    @property
    def bio_ids(self) -> set[str]:
        return {pid for pid, _ in self.bios}


def _precedence_order(items: list, person_of) -> list:
    """Stable sort by protocol precedence; people without one keep file order, after."""
    return sorted(items, key=lambda it: (person_of(it).precedence is None,
                                         person_of(it).precedence or 0))


def _event_timezone(brief: Brief, event: Event) -> tuple[str, str]:
    trip = brief.trip.trip
    if event.timezone:
        stop = next((s for s in trip.stops if s.timezone == event.timezone), None)
        if stop:
            return event.timezone, stop.place
        if event.timezone == trip.home_timezone:
            return event.timezone, trip.home_place or zone_city(event.timezone)
        return event.timezone, zone_city(event.timezone)
    for stop in trip.stops:  # a stop covers the dates its from..to names (one may be open)
        if (stop.from_ or stop.to) and (stop.from_ or event.date) <= event.date <= (
                stop.to or event.date):
            return stop.timezone, stop.place
    return trip.stops[0].timezone, trip.stops[0].place


def build_view(brief: Brief) -> View:
    t = brief.trip
    home_tz = t.trip.home_timezone
    view = View(brief, t.trip.home_place or zone_city(home_tz))
    view.issues = {i.id: i for i in t.issues}
    view.source_numbers = {s.id: n for n, s in enumerate(t.sources, 1)}
    order = {"home": 0, "host": 1, "third": 2}

    events = sorted(enumerate(t.agenda), key=lambda ie: (
        ie[1].date, ie[1].start is None, ie[1].start or dt.time(0), ie[0]))
    for index, event in events:
        tz, place = _event_timezone(brief, event)
        local, home = event_clocks(event, tz, home_tz)
        view.any_home_times |= home is not None
        by_side: dict[str, list] = {}
        for p in event.participants:
            person = t.people[p.person]
            by_side.setdefault(person.side, []).append((person, p.person, p.role))
        sides = [(SIDE_LABELS[s], _precedence_order(by_side[s], lambda x: x[0]))
                 for s in sorted(by_side, key=order.get)]
        points = [("issue", view.issues[p.issue]) if isinstance(p, IssueRef) else ("text", p)
                  for p in event.talking_points]
        view.schedule.append(EventView(event, f"event-{index + 1}", tz, place, local, home,
                                       sides, points))

    for kind, label in GOAL_KINDS:
        goals = [g for g in t.goals if g.kind == kind]
        goals.sort(key=lambda g: (g.priority is None, g.priority or 0))
        if goals:
            view.goal_groups.append((label, goals))

    people = list(t.people.items())
    for side in ("home", "host", "third"):
        members = _precedence_order([(pid, p) for pid, p in people if p.side == side],
                                    lambda x: x[1])
        if members:
            view.sides.append((SIDE_LABELS[side], members))
    # Bios: the counterparts first, then our side; the principal needs none.
    for side in ("host", "third", "home"):
        view.bios += [(pid, p) for pid, p in _precedence_order(
            [(pid, p) for pid, p in people if p.side == side], lambda x: x[1])
            if pid != t.trip.principal]

    for pid, person in people:
        if person.photo:
            view.photos[pid] = (brief.folder / person.photo).resolve().as_uri()
        capitalised = [w for w in person.name.split() if w[:1].isupper()] or person.name.split()
        view.initials[pid] = "".join(w[0] for w in (capitalised[:1] + capitalised[1:][-1:]))

    if t.logistics:
        for flight in t.logistics.flights:
            legs = []
            for when in ("depart", "arrive"):
                moment = getattr(flight, when)
                tz = getattr(flight, f"{when}_timezone")
                if moment and tz:
                    local = moment.replace(tzinfo=ZoneInfo(tz))
                    home = local.astimezone(ZoneInfo(home_tz))
                    legs.append((local, home if home.utcoffset() != local.utcoffset() else None))
                else:
                    legs.append(None)
            view.flights.append((flight, *legs))
    return view


# ---------------------------------------------------------------- Jinja2


class TextRenderer:
    """Renders a Text with its portion mark and source citations."""

    def __init__(self, brief: Brief, source_numbers: dict[str, int]):
        self.marking = brief.marking
        self.source_numbers = source_numbers

    def __call__(self, item: TextItem | str | None, mark: bool = True) -> Markup:
        if item is None:
            return Markup("")
        if isinstance(item, str):
            return escape(item)
        out = Markup("")
        prefix = self.marking.portion(item.mark) if mark else None
        if prefix:
            out += Markup('<span class="pm">{}</span> ').format(prefix)
        out += inline_markdown(item.text)
        for sid in item.sources:
            out += Markup('<sup class="cite"><a href="#source-{}">[{}]</a></sup>').format(
                sid, self.source_numbers[sid])
        return out


@cache
def _environment(template_dir: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(template_dir)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(long_date=long_date, short_day=short_day, memo_date=memo_date,
                       plain=plain_text, hm=_hm, utc_offset=utc_offset)
    return env


def render_html(brief: Brief, *, paper: str = "letter", layout: str = "book") -> str:
    template_dir = builtin_template_dir()
    env = _environment(template_dir)
    view = build_view(brief)
    t = brief.trip
    text = TextRenderer(brief, view.source_numbers)
    return env.get_template(f"{layout}.html.j2").render(
        t=t, view=view, marking=brief.marking, text=text, paper=PAPER_SIZES[paper],
        principal=t.people[t.trip.principal], css=(template_dir / "style.css").as_uri(),
        subject_plain=plain_text(t.memo.subject.text),
    )

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
import difflib
import os
import signal
import threading
import traceback
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path, PurePath
from zoneinfo import ZoneInfo

import jinja2
import jinja2.nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from briefgen.errors import BuildError
from briefgen.markings import Marking
from briefgen.model import Event, Issue, IssueRef, Person, TextItem, TripFile
from briefgen.validate import Brief

PAPER_SIZES = {"letter": "letter", "a4": "A4"}
LAYOUTS = {"book": "the full briefing book: cover memo, contents and every tab",
           "memo": "the cover memo alone with the schedule at a glance (two pages at most)",
           "card": "one page for the pocket: top goals, schedule, who's who, contacts"}
LONG_BIO_WORDS = 450  # about a page of the book's body text
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps", "yi", "dv", "ug", "ku", "sd"})
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
    words = [" " if child.type in ("softbreak", "hardbreak") else child.content
             for t in tokens for child in (t.children or [])
             if child.type in ("text", "code_inline", "softbreak", "hardbreak")]
    return " ".join("".join(words).split())


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


def day_cell(day: dt.date) -> Markup:
    """`Mon May 13` that wraps only after the weekday."""
    return Markup('{} <span class="nowrap">{} {}</span>').format(f"{day:%a}", f"{day:%b}",
                                                                 day.day)


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
    """What templates read besides the trip itself: plain data only, no paths or files."""

    trip: TripFile
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
    def top_goals(self) -> list:
        """Goals to act on (not expectations), by priority, the unprioritised last: top 4."""
        return _by_priority(g for g in self.trip.goals if g.kind != "expectation")[:4]

    @property
    def has_press(self) -> bool:
        press = self.trip.press
        return bool(press and (press.posture or press.key_messages or press.qa))

    @property
    def has_logistics(self) -> bool:
        logistics = self.trip.logistics
        return bool(logistics and (logistics.flights or logistics.lodging or logistics.notes))

    @property
    def counterparts(self) -> list[tuple[str, Person]]:
        """Who the principal will meet (hosts, then others); our side when there are none."""
        met = [(pid, p) for pid, p in self.bios if p.side != "home"]
        return met or self.bios

    @property
    def long_bios(self) -> set[str]:
        """Bios too long to keep on one page: they may break instead of being pushed whole
        onto the next page (which would leave their heading behind)."""
        return {pid for pid, person in self.bios
                if sum(len(b.text.split()) for b in person.bio) > LONG_BIO_WORDS}

    @property
    def bio_ids(self) -> set[str]:
        return {pid for pid, _ in self.bios}


def _by_priority(items) -> list:
    """Priority 1 first; items without a priority keep their order, after."""
    return sorted(items, key=lambda item: (item.priority is None, item.priority or 0))


def _precedence_order(items: list, person_of) -> list:
    """Stable sort by protocol precedence; people without one keep file order, after."""
    return sorted(items, key=lambda it: (person_of(it).precedence is None,
                                         person_of(it).precedence or 0))


def _event_timezone(trip_file: TripFile, event: Event) -> tuple[str, str]:
    trip = trip_file.trip
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
    view = View(t, t.trip.home_place or zone_city(home_tz))
    view.issues = {i.id: i for i in t.issues}
    view.source_numbers = {s.id: n for n, s in enumerate(t.sources, 1)}
    side_order = list(SIDE_LABELS)  # home, host, third

    events = sorted(enumerate(t.agenda), key=lambda ie: (
        ie[1].date, ie[1].start is None, ie[1].start or dt.time(0), ie[0]))
    for index, event in events:
        tz, place = _event_timezone(t, event)
        local, home = event_clocks(event, tz, home_tz)
        view.any_home_times |= home is not None
        by_side: dict[str, list] = {}
        for p in event.participants:
            person = t.people[p.person]
            by_side.setdefault(person.side, []).append((person, p.person, p.role))
        sides = [(SIDE_LABELS[s], _precedence_order(by_side[s], lambda x: x[0]))
                 for s in sorted(by_side, key=side_order.index)]
        points = [("issue", view.issues[p.issue]) if isinstance(p, IssueRef) else ("text", p)
                  for p in event.talking_points]
        view.schedule.append(EventView(event, f"event-{index + 1}", tz, place, local, home,
                                       sides, points))

    for kind, label in GOAL_KINDS:
        if goals := _by_priority(g for g in t.goals if g.kind == kind):
            view.goal_groups.append((label, goals))

    people = list(t.people.items())
    members = {side: _precedence_order([(pid, p) for pid, p in people if p.side == side],
                                       lambda x: x[1]) for side in side_order}
    view.sides = [(SIDE_LABELS[side], members[side]) for side in side_order if members[side]]
    # Bios: the counterparts first, then those of our side who have something to tell;
    # the principal needs none.
    for side in ("host", "third", "home"):
        view.bios += [(pid, p) for pid, p in members[side]
                      if pid != t.trip.principal and (side != "home" or p.bio or p.photo
                                                      or p.notes)]

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

    def __init__(self, marking: Marking, source_numbers: dict[str, int], cite_sources: bool):
        self.marking = marking
        self.source_numbers = source_numbers
        self.cite_sources = cite_sources  # only layouts that print the sources cite them

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
        for sid in item.sources if self.cite_sources else ():
            out += Markup('<sup class="cite"><a href="#source-{}">[{}]</a></sup>').format(
                sid, self.source_numbers[sid])
        return out


class TemplateProblem(BuildError):
    """An error in a (house style) template, located at its file and line."""


@dataclass(frozen=True)
class Templates:
    """Where templates come from: an optional house style folder, then the built-ins.

    A house style template named like a built-in replaces it; `builtin/NAME` always names the
    built-in, so `{% extends "builtin/book.html.j2" %}` overrides just a few blocks. Its
    optional `style.css` loads after the built-in stylesheet."""

    house: Path | None = None

    @property
    def builtin(self) -> Path:
        return builtin_template_dir()

    @property
    def folders(self) -> list[Path]:
        return [self.house, self.builtin] if self.house else [self.builtin]

    @property
    def stylesheets(self) -> list[str]:
        sheets = [self.builtin / "style.css"]
        if self.house and (self.house / "style.css").is_file():
            sheets.append(self.house / "style.css")
        return [sheet.resolve().as_uri() for sheet in sheets]


def find_house_style(trip_folder: Path, explicit: Path | None) -> Templates:
    """`--template DIR`, else a `templates/` folder beside the trip file, else none."""
    if explicit is not None:
        if not explicit.is_dir():
            raise BuildError(f"--template {explicit}: no such folder")
        return Templates(explicit.resolve())
    beside = trip_folder / "templates"
    return Templates(beside.resolve() if beside.is_dir() else None)


class _Sandbox(SandboxedEnvironment):
    """Jinja2's sandbox, tightened for templates that may arrive with a trip: no file system
    objects are reachable, and no operator can build huge strings or lists."""

    intercepted_binops = frozenset(["*", "**"])
    MAX_SIZE = 100_000

    def is_safe_attribute(self, obj, attr, value) -> bool:
        if isinstance(obj, PurePath | Path) or isinstance(value, PurePath | Path):
            return False
        return super().is_safe_attribute(obj, attr, value)

    def call_binop(self, context, operator, left, right):
        if operator == "**" and isinstance(right, int | float) and abs(right) > 100:
            raise SecurityError("'**' with an exponent over 100 is not allowed in templates")
        if operator == "*":
            sequence = next((x for x in (left, right) if isinstance(x, str | list | tuple)), None)
            times = next((x for x in (left, right) if isinstance(x, int)), 0)
            if sequence is not None and len(sequence) * times > self.MAX_SIZE:
                raise SecurityError("a repeated string or list would be too large")
        return super().call_binop(context, operator, left, right)


@cache
def _environment(templates: Templates) -> jinja2.Environment:
    builtin = jinja2.FileSystemLoader(str(templates.builtin))
    loaders: list[jinja2.BaseLoader] = [jinja2.PrefixLoader({"builtin": builtin})]
    if templates.house:
        loaders.append(jinja2.FileSystemLoader(str(templates.house)))
    loaders.append(builtin)
    env = _Sandbox(  # house styles may come with a trip: no Python reachable
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(long_date=long_date, short_day=short_day, day_cell=day_cell,
                       memo_date=memo_date,
                       plain=plain_text, hm=_hm, utc_offset=utc_offset)
    return env


def _template_path(env: jinja2.Environment, name: str) -> str:
    try:
        return env.loader.get_source(env, name)[1] or name
    except jinja2.TemplateNotFound:
        return name


def _blocks_of(env: jinja2.Environment, name: str, seen: frozenset = frozenset()) -> set[str]:
    """Every block a template defines, with those of the templates it extends."""
    if name in seen:
        return set()
    source = env.loader.get_source(env, name)[0]
    tree = env.parse(source, name)
    blocks = {b.name for b in tree.find_all(jinja2.nodes.Block)}
    for parent in tree.find_all(jinja2.nodes.Extends):
        if isinstance(parent.template, jinja2.nodes.Const):
            blocks |= _blocks_of(env, parent.template.value, seen | {name})
    return blocks


def _check_house_blocks(env: jinja2.Environment, templates: Templates, name: str) -> None:
    """A house template may only override blocks its parent has: a misspelt block name would
    otherwise be silently ignored."""
    path = _template_path(env, name)
    if not templates.house or not Path(path).is_relative_to(templates.house):
        return
    tree = env.parse(env.loader.get_source(env, name)[0], name, path)
    for parent in tree.find_all(jinja2.nodes.Extends):
        if not isinstance(parent.template, jinja2.nodes.Const):
            continue
        known = _blocks_of(env, parent.template.value)
        blocks = list(tree.find_all(jinja2.nodes.Block))
        nested = {id(inner) for block in blocks for inner in block.find_all(jinja2.nodes.Block)}
        for block in (b for b in blocks if id(b) not in nested):  # blocks inside blocks are new
            if block.name not in known:
                near = difflib.get_close_matches(block.name, sorted(known), n=1)
                hint = f" (did you mean '{near[0]}'?)" if near else ""
                raise TemplateProblem(
                    f"{path}:{block.lineno}: block '{block.name}' does not exist in "
                    f"'{parent.template.value}'{hint}; blocks there: {', '.join(sorted(known))}")
        _check_house_blocks(env, templates, parent.template.value)


def _locate_template_error(exc: Exception) -> str:
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return f"{exc.filename or exc.name}:{exc.lineno}: {exc.message}"
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if f.filename.endswith((".j2", ".html"))]
    where = f"{frames[-1].filename}:{frames[-1].lineno}: " if frames else ""
    if isinstance(exc, jinja2.TemplateNotFound):
        return f"{where}template '{exc.name}' not found"
    return f"{where}{type(exc).__name__}: {exc}"


def _template_seconds() -> float:
    """How long templates may take: BRIEFGEN_TEMPLATE_SECONDS, default 30."""
    try:
        return max(0.1, float(os.environ.get("BRIEFGEN_TEMPLATE_SECONDS", "30")))
    except ValueError:
        return 30.0


@contextmanager
def _time_limit(seconds: float):
    """Stop a template that runs away (a house style may loop for hours): the sandbox bounds
    what a template can reach, this bounds how long it may take."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal,
                                                                                "setitimer"):
        yield
        return

    def expired(signum, frame):
        raise TemplateProblem(f"the templates took longer than {seconds:g} s to render; "
                              "stopped (a loop that never ends in a house style?)")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def render_html(brief: Brief, *, layout: str = "book", paper: str | None = None,
                templates: Templates | None = None) -> str:
    """The HTML document for one layout. Raises TemplateProblem for template errors."""
    templates = templates or Templates()
    env = _environment(templates)
    view = build_view(brief)
    t = brief.trip
    name = f"{layout}.html.j2"
    try:
        _check_house_blocks(env, templates, name)
        template = env.get_template(name)
        with _time_limit(_template_seconds()):
            return template.render(
                t=t, view=view, marking=brief.marking, layout=layout,
                text=TextRenderer(brief.marking, view.source_numbers,
                                  cite_sources=layout == "book"),
                paper=PAPER_SIZES.get(paper or ""), stylesheets=templates.stylesheets,
                house=templates.house.as_uri() + "/" if templates.house else "",
                rtl_languages=RTL_LANGUAGES,
                principal=t.people[t.trip.principal],
                subject_plain=plain_text(t.memo.subject.text),
            )
    except TemplateProblem:
        raise
    except jinja2.TemplateError as exc:
        raise TemplateProblem(_locate_template_error(exc)) from None
    except Exception as exc:  # an error raised inside a template's own code
        if any(f.filename.endswith(".j2") for f in traceback.extract_tb(exc.__traceback__)):
            raise TemplateProblem(_locate_template_error(exc)) from None
        raise

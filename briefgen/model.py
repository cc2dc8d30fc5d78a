"""The trip file, format 1, as pydantic models (its scalar types live in `scalars`).

`briefgen schema` exports the JSON Schema of `TripFile`. Shapes the contract allows in two
forms (a Text as a string or a mapping, Texts as one or a list, a participant as an Id or a
mapping) are normalised before validation, so errors point at one shape, not a union.
Cross-references and date ranges are checked in `validate`, which sees the whole file.
"""

from __future__ import annotations

import os
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StrictInt,
    Tag,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from briefgen.limits import MAX_TEXT_CHARS
from briefgen.scalars import (  # noqa: F401 - re-exported: the contract's types live here
    ID_PATTERN,
    TZ_ABBREVIATIONS,
    TZ_CITIES,
    Country,
    Date,
    DateTime,
    Id,
    LangTag,
    Mark,
    Priority,
    Time,
    TimeZone,
    check_timezone,
    parse_date,
    parse_datetime,
    parse_time,
)

# Installed pydantic plugins (tracing, logging) are looked for in every installed package's
# entry points as the first model is built: ~25 ms of every command, for nothing briefgen
# uses. An empty PYDANTIC_DISABLE_PLUGINS brings them back.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

# ---------------------------------------------------------------- Text


class Strict(BaseModel):
    """The base of every model: unknown keys are errors, values are immutable, and an
    optional key with nothing after it counts as absent."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _empty_means_absent(cls, data: Any) -> Any:
        """`objectives:` with nothing after it is the same as no `objectives:` at all."""
        if not isinstance(data, dict):
            return data
        optional = {f.alias or name for name, f in cls.model_fields.items() if not f.is_required()}
        return {k: v for k, v in data.items() if not (v is None and k in optional)}


class TextItem(Strict):
    """One portion of text: inline Markdown, its portion mark and the sources it cites."""

    text: Annotated[str, Field(max_length=MAX_TEXT_CHARS)] = Field(
        description="the text: inline Markdown (emphasis, strong, links, code, line breaks); "
        "raw HTML is shown as text, never interpreted"
    )
    mark: Mark | None = Field(
        None,
        description="portion mark (us: U, SBU, C, S, TS; uk: O, OS, S, TS); default: "
        "markings.default; an error without a markings block or with system plain",
    )
    sources: list[Id] = Field([], description="ids of entries in `sources` that this text cites")


def _text_to_mapping(value: Any) -> Any:
    return {"text": value} if isinstance(value, str) else value


def _to_list(value: Any) -> Any:
    return value if isinstance(value, list) else [value]


Text = Annotated[TextItem, BeforeValidator(_text_to_mapping, json_schema_input_type=str | TextItem)]
Texts = Annotated[list[Text], BeforeValidator(_to_list, json_schema_input_type=Text | list[Text])]


class GoalItem(TextItem):
    """A goal: a Text, with what kind of goal it is and how much it matters."""

    kind: Literal["objective", "deliverable", "expectation", "red-line"] = Field(
        "objective",
        description="objective, deliverable, expectation or red-line; default objective",
    )
    priority: Priority | None = Field(None, description="1, 2 or 3; default none")


Goal = Annotated[GoalItem, BeforeValidator(_text_to_mapping, json_schema_input_type=str | GoalItem)]

# ---------------------------------------------------------------- header, markings, trip


def _str_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


class Memo(Strict):
    """The cover memo's header block."""

    type: str = Field(
        "Briefing Memo",
        description="the label in the header (Action Memo, Read-Ahead, ...); default Briefing Memo",
    )
    to: str = Field(description="the addressee (The Secretary)")
    from_: Annotated[
        list[str],
        BeforeValidator(_str_list, json_schema_input_type=str | list[str]),
        Field(alias="from", min_length=1),
    ] = Field(description="who the memo is from, office – name: one line, or a list of lines")
    through: list[str] = Field(
        [], description="who the memo goes through on its way to the addressee, one line each"
    )
    date: Date = Field(description="the memo's date, YYYY-MM-DD; also the PDF's creation date")
    subject: Text = Field(
        description="the memo's subject line: a string, or a mapping {text, mark, sources}"
    )
    drafted_by: str | None = Field(None, description="who drafted the memo")
    cleared_by: list[str] = Field([], description="who cleared the memo, one line each")
    version: str | StrictInt | None = Field(
        None,
        description='which version of the book this is (4, "4 – schedule as of Jun 15, '
        "18:00\"); printed on the cover memo and in every page's running footer",
    )
    distribution: list[str] = Field(
        [],
        description="who receives a copy, in copy order; numbered copy k is addressed to "
        "the k-th name",
    )


class Authority(Strict):
    """The classification authority block: classified_by, declassify_on, and reason or
    derived_from."""

    classified_by: str = Field(description="who classified the book (name and title)")
    reason: str | None = Field(
        None, description="reason for original classification; this or derived_from is required"
    )
    derived_from: str | None = Field(
        None, description="source of a derivative classification; this or reason is required"
    )
    declassify_on: str = Field(description="when the book is declassified (a date or an event)")

    @model_validator(mode="after")
    def _reason_or_source(self) -> Authority:
        if not (self.reason or self.derived_from):
            raise PydanticCustomError(
                "authority_basis",
                "the authority block needs 'reason' (original "
                "classification) or 'derived_from' (derivative classification)",
            )
        return self


class Markings(Strict):
    """Classification and handling markings: the banner on every page and the portion
    marks."""

    system: Literal["us", "uk", "plain"] = Field(
        description="which marking scheme: us, uk or plain"
    )
    default: Mark | None = Field(
        None,
        description="the mark of every Text that has none; default: the lowest level of the system",
    )
    banner: str | None = Field(
        None, description="plain only: free banner text (COMPANY CONFIDENTIAL)"
    )
    controls: list[str] = Field(
        [],
        description="handling controls appended to the banner after // and joined with / (NOFORN)",
    )
    authority: Authority | None = Field(
        None,
        description="the classification authority block; required in us when the overall "
        "level is C or above",
    )
    watermark: str | None = Field(None, description="a diagonal text on every page (DRAFT, SAMPLE)")


class Stop(Strict):
    """A place the trip stops at; an event on a date it covers (from..to) is in its time
    zone unless the event names another."""

    place: str = Field(description="the place as printed (Beijing)")
    country: Country | None = Field(None, description="ISO 3166 alpha-2 country code (CN)")
    timezone: TimeZone = Field(
        description="IANA time zone name (Asia/Shanghai); abbreviations such as CST are refused"
    )
    from_: Date | None = Field(
        None,
        alias="from",
        description="first day this stop covers, YYYY-MM-DD, within the trip; "
        "with only `to` given, open before it; with neither, the stop covers no date",
    )
    to: Date | None = Field(
        None,
        description="last day this stop covers, YYYY-MM-DD, within the trip; with only "
        "`from` given, open after it",
    )


class Trip(Strict):
    """Where, when, who travels."""

    title: str = Field(description="the trip's title (Secretary's Travel to Beijing)")
    principal: Id = Field(description="id of the person the book is for; must be in people")
    home_timezone: TimeZone = Field(
        description="the principal's home clock, shown beside local times: an IANA time zone name "
        "(America/New_York)"
    )
    home_place: str | None = Field(
        None,
        description="how to label the principal's home clock (Washington); default: the "
        "city of home_timezone",
    )
    start: Date = Field(description="first day of the trip, YYYY-MM-DD")
    end: Date = Field(description="last day of the trip, YYYY-MM-DD; not before start")
    stops: Annotated[list[Stop], Field(min_length=1)] = Field(
        description="the places the trip stops at; at least one"
    )
    id: Id | None = Field(
        None,
        description="a stable name for the trip, used in calendar event identifiers; "
        "default: the trip file's name without its extension, lowercased, other characters "
        "turned into -",
    )
    min_transfer: Annotated[StrictInt, Field(ge=0)] = Field(
        15,
        description="minutes a person needs between two events at different locations; default 15",
    )


class Person(Strict):
    """Someone named in the file: in `people`, under their id."""

    name: str = Field(description="the name as printed (Qin Gang)")
    native_name: str | None = Field(None, description="the name in the person's own script")
    lang: LangTag | None = Field(
        None, description="BCP-47 language tag of native_name (zh-Hans, ja, ar)"
    )
    pronunciation: str | None = Field(None, description="how to say the name (CHIN GAHNG)")
    title: str = Field(description="current title")
    organization: str | None = Field(None, description="the person's organization")
    country: Country | None = Field(None, description="ISO 3166 alpha-2 country code (CN)")
    side: Literal["home", "host", "third"] = Field(
        description="home (the traveling delegation), host (the hosts) or third (anyone else)"
    )
    precedence: Annotated[StrictInt, Field(ge=1)] | None = Field(
        None, description="protocol order within the side, a whole number from 1; lower first"
    )
    address_as: str | None = Field(None, description="form of address (State Councilor Qin)")
    status: Literal["confirmed", "expected", "tentative", "unverified"] = Field(
        "confirmed", description="confirmed, expected, tentative or unverified; default confirmed"
    )
    bio: Texts = Field([], description="biography: a Text or a list of Texts, one paragraph each")
    bio_as_of: Date | None = Field(
        None, description="the date the biography is current as of, YYYY-MM-DD"
    )
    photo: str | None = Field(
        None,
        description="PNG or JPEG image, a path relative to the file that names it (trip or "
        "library)",
    )
    notes: Texts = Field([], description="notes on the person: a Text or a list of Texts")


# ---------------------------------------------------------------- agenda


class ParticipantItem(Strict):
    """A participant of an event, with the role they take in it."""

    person: Id = Field(description="id of a person in people")
    role: str | None = Field(None, description="the person's role at this event")


def _participant_to_mapping(value: Any) -> Any:
    return {"person": value} if isinstance(value, str) else value


Participant = Annotated[
    ParticipantItem,
    BeforeValidator(_participant_to_mapping, json_schema_input_type=Id | ParticipantItem),
]


class IssueRef(Strict):
    """A talking point that pulls in an issue's points to make."""

    issue: Id = Field(
        description="id of an issue (in issues or a library) whose points to make are pulled in "
        "here"
    )


def _talking_point_kind(value: Any) -> str:
    if isinstance(value, IssueRef) or (isinstance(value, dict) and "issue" in value):
        return "as-issue"
    return "as-text"


# Tag names contain '-' so they never collide with a key when errors are mapped to the file.
TalkingPoint = Annotated[
    Annotated[Text, Tag("as-text")] | Annotated[IssueRef, Tag("as-issue")],
    Discriminator(_talking_point_kind),
]


class Event(Strict):
    """An agenda item."""

    id: Id | None = Field(
        None, description="an id other parts of the file can refer to; unique among events"
    )
    title: Text = Field(
        description="the event's title: a string, or a mapping {text, mark, sources}"
    )
    date: Date = Field(
        description="local date where it happens, YYYY-MM-DD; within trip.start..trip.end"
    )
    start: Time | None = Field(
        None, description="start time, HH:MM, 24-hour, local to the event's time zone"
    )
    end: Time | None = Field(
        None,
        description="end time, HH:MM, 24-hour, local to the event's time zone; earlier than "
        "start means it ends the next day",
    )
    timezone: TimeZone | None = Field(
        None,
        description="IANA time zone name; default: the stop whose from..to covers date, "
        "else the first stop",
    )
    location: str | None = Field(None, description="where it happens (a room, a building)")
    kind: Literal[
        "meeting", "meal", "travel", "arrival", "departure", "press", "ceremony", "hold", "other"
    ] = Field(
        "meeting", description="what sort of event; default meeting (a hold overlaps nothing)"
    )
    status: Literal["confirmed", "tentative", "proposed", "cancelled"] = Field(
        "confirmed", description="default confirmed; cancelled events count in no schedule check"
    )
    press: Literal["open", "pool", "photo-op", "closed"] | None = Field(
        None, description="press coverage: open, pool, photo-op or closed"
    )
    participants: list[Participant] = Field(
        [],
        description="who takes part: ids from people, or {person: id, role: text}; each "
        "must be in people",
    )
    objectives: Texts = Field(
        [], description="what the event should achieve: a Text or a list of Texts"
    )
    talking_points: list[TalkingPoint] = Field(
        [], description="points to make: Texts, or {issue: id} to pull in that issue's points"
    )
    notes: Texts = Field([], description="other notes: a Text or a list of Texts")


# ---------------------------------------------------------------- papers and annexes


class Issue(Strict):
    """An issue paper."""

    id: Id = Field(description="the issue's id, unique; talking points pull it in with {issue: id}")
    title: Text = Field(
        description="the issue's title: a string, or a mapping {text, mark, sources}"
    )
    background: Texts = Field([], description="the background: a Text or a list of Texts")
    our_position: Texts = Field([], description="our position: a Text or a list of Texts")
    their_position: Texts = Field([], description="their position: a Text or a list of Texts")
    points_to_make: Texts = Field([], description="the points to make: a Text or a list of Texts")
    if_raised: Texts = Field(
        [], description="what to say if the other side raises it: a Text or a list of Texts"
    )
    priority: Priority | None = Field(None, description="1, 2 or 3; default none")


class QA(Strict):
    """A question the press may ask, with its answer."""

    q: Text = Field(description="the question")
    a: Text = Field(description="the answer")


class Press(Strict):
    """Public messaging."""

    posture: Texts = Field([], description="the press posture: a Text or a list of Texts")
    key_messages: Texts = Field([], description="the key messages: a Text or a list of Texts")
    qa: list[QA] = Field([], description="likely questions, each with its answer")


Level3 = Literal["low", "medium", "high"]


class Risk(Strict):
    """Something that can go wrong, and what lessens it."""

    text: Text = Field(description="what can go wrong")
    likelihood: Level3 | None = Field(None, description="low, medium or high")
    impact: Level3 | None = Field(None, description="low, medium or high")
    mitigation: Texts = Field([], description="what lessens it: a Text or a list of Texts")


class Flight(Strict):
    """A flight; its times are local to its own time zones and may lie outside the trip."""

    flight: str | None = Field(None, description="flight number or name (UA 889)")
    from_: str = Field(alias="from", description="where it leaves from")
    to: str = Field(description="where it lands")
    depart: DateTime | None = Field(
        None, description='departure, "YYYY-MM-DD HH:MM", local to depart_timezone (which it needs)'
    )
    arrive: DateTime | None = Field(
        None, description='arrival, "YYYY-MM-DD HH:MM", local to arrive_timezone (which it needs)'
    )
    depart_timezone: TimeZone | None = Field(
        None, description="IANA time zone name of the departure"
    )
    arrive_timezone: TimeZone | None = Field(None, description="IANA time zone name of the arrival")
    notes: Texts = Field([], description="notes on the flight: a Text or a list of Texts")


class Lodging(Strict):
    """Where the party stays; its dates may lie outside the trip."""

    place: str = Field(description="where the party stays (hotel or residence)")
    address: str | None = Field(None, description="the street address")
    from_: Date | None = Field(
        None, alias="from", description="first night, YYYY-MM-DD (may lie before the trip)"
    )
    to: Date | None = Field(None, description="last day, YYYY-MM-DD")
    notes: Texts = Field([], description="notes on the lodging: a Text or a list of Texts")


class Logistics(Strict):
    """Flights, lodging, other practical notes."""

    flights: list[Flight] = Field([], description="the flights")
    lodging: list[Lodging] = Field([], description="where the party stays")
    notes: Texts = Field([], description="other practical notes: a Text or a list of Texts")


class Contact(Strict):
    """Someone to call."""

    name: str = Field(description="the contact's name")
    role: str | None = Field(None, description="the contact's role (control officer)")
    organization: str | None = Field(None, description="the contact's organization")
    phone: str | None = Field(None, description="phone number as printed")
    email: str | None = Field(None, description="email address")
    mark: Mark | None = Field(None, description="portion mark of this contact's line")


class Source(Strict):
    """Where facts come from; a Text cites it by id in its sources."""

    id: Id = Field(description="the source's id, unique; Texts cite it in their sources")
    title: str = Field(description="the source's title")
    publisher: str | None = Field(None, description="who published it")
    url: str | None = Field(None, description="where to find it")
    date: Date | None = Field(None, description="publication date, YYYY-MM-DD")


# ---------------------------------------------------------------- the file


class TopLevel(Strict):
    """A whole file (a trip or a library): `x-…` keys are a place for anchors, ignored."""

    @model_validator(mode="before")
    @classmethod
    def _drop_extension_keys(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if not str(k).startswith("x-")}
        return data


class Output(Strict):
    """How this trip is usually built; command-line options win."""

    paper: Literal["letter", "a4"] | None = Field(
        None, description="letter or a4; default letter (or what a house style sets)"
    )
    layouts: list[Literal["book", "memo", "card", "meeting"]] = Field(
        [], description="what build writes when no --layout is given; default [book]"
    )
    duplex: bool = Field(False, description="printed on both sides (see --duplex); default false")


class TripFile(TopLevel):
    """A briefgen trip file, format 1."""

    model_config = ConfigDict(
        extra="forbid",
        populate_by_name=True,
        frozen=True,
        json_schema_extra={"patternProperties": {"^x-": {}}},
    )

    briefgen: StrictInt = Field(description="format version: 1")
    memo: Memo = Field(description="the cover memo's header block")
    markings: Markings | None = Field(
        None, description="classification and handling markings; absent: no markings at all"
    )
    trip: Trip = Field(description="where, when, who travels")
    purpose: Texts = Field(
        description="why the trip happens (the bottom line up front): a Text or a list of Texts"
    )
    goals: Annotated[list[Goal], Field(min_length=1)] = Field(
        description="what the principal sets out to achieve; at least one"
    )
    scenesetter: Texts = Field(
        [], description="state of the relationship, why now: a Text or a list of Texts"
    )
    their_objectives: Texts = Field(
        [], description="what the other side is likely to want or raise: a Text or a list of Texts"
    )
    people: Annotated[dict[Id, Person], Field(min_length=1)] = Field(
        description="everyone named anywhere in the file, by id; at least one"
    )
    agenda: Annotated[list[Event], Field(min_length=1)] = Field(
        description="the schedule; at least one event"
    )
    issues: list[Issue] = Field(
        [], description="issue papers; a bare id names an issue from a library"
    )
    press: Press | None = Field(None, description="public messaging")
    risks: list[Risk] = Field([], description="what can go wrong")
    logistics: Logistics | None = Field(None, description="flights, lodging, other practical notes")
    contacts: list[Contact] = Field([], description="who to call")
    sources: list[Source] = Field([], description="where facts come from; Texts cite them by id")
    include: list[str] = Field(
        [],
        description="library files whose people, issues and sources this trip may use; "
        "each path is relative to the file that names it",
    )
    output: Output | None = Field(
        None,
        description="how this trip is usually built, so that a plain `briefgen build "
        "trip.yaml` does it; command-line options win",
    )

    @field_validator("briefgen", mode="before")
    @classmethod
    def _format_version(cls, value: Any) -> Any:
        if isinstance(value, str | bool):
            raise PydanticCustomError(
                "format_version",
                "the format version must be the number 1 (write `briefgen: 1`, without quotes)",
            )
        if value != 1:
            raise PydanticCustomError(
                "format_version",
                "format version {value} is not supported: this briefgen "
                "reads format 1 (write `briefgen: 1`)",
                {"value": value},
            )
        return value


def json_schema() -> dict[str, Any]:
    schema = TripFile.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "briefgen trip file, format 1"
    # With `include`, a person may give only the fields that replace a library's (or be {}),
    # and an issue may be a bare id from a library.
    defs = schema["$defs"]
    defs["PersonFields"] = {k: v for k, v in defs["Person"].items() if k != "required"} | {
        "title": "PersonFields",
        "description": "some fields of a person a library defines; "
        "they replace the library's for this trip",
    }
    people = schema["properties"]["people"]
    people["additionalProperties"] = {
        "anyOf": [{"$ref": "#/$defs/Person"}, {"$ref": "#/$defs/PersonFields"}]
    }
    issues = schema["properties"]["issues"]
    issues["items"] = {
        "anyOf": [
            issues["items"],
            {"type": "string", "pattern": ID_PATTERN, "description": "an issue from a library"},
        ]
    }
    return schema

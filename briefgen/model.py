"""The trip file, format 1, as pydantic models: the one place the contract's types live.

`briefgen schema` exports the JSON Schema of `TripFile`. Shapes the contract allows in two
forms (a Text as a string or a mapping, Texts as one or a list, a participant as an Id or a
mapping) are normalised before validation, so errors point at one shape, not a union.
Cross-references and date ranges are checked in `validate`, which sees the whole file.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from functools import cache
from typing import Annotated, Any, Literal
from zoneinfo import available_timezones

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StrictInt,
    Tag,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from briefgen.limits import MAX_TEXT_CHARS

# ---------------------------------------------------------------- scalar types

ID_PATTERN = r"^[a-z][a-z0-9-]*$"


def _check_id(value: Any) -> Any:
    if isinstance(value, str) and not re.fullmatch(ID_PATTERN, value):
        raise PydanticCustomError(
            "id_format",
            "'{value}' is not a valid id: use lowercase letters, digits and '-', "
            "starting with a letter (e.g. '{hint}')",
            {"value": value, "hint": re.sub(r"[^a-z0-9-]+", "-", value.lower()).strip("-") or "x"},
        )
    return value


Id = Annotated[str, BeforeValidator(_check_id), Field(pattern=ID_PATTERN)]


def parse_date(value: Any) -> Any:
    """`YYYY-MM-DD` (quoted or not) -> date. Numbers are refused, never read as timestamps."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            day = dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
        else:
            if 1900 <= day.year <= 2999:
                return day
            raise PydanticCustomError("date_range", "'{value}' is out of range (years 1900 to "
                                      "2999)", {"value": value})
    raise PydanticCustomError(
        "date_format", "'{value}' is not a valid date (YYYY-MM-DD)", {"value": str(value)}
    )


def parse_time(value: Any) -> Any:
    if isinstance(value, dt.time):
        return value
    if isinstance(value, str) and re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value.strip()):
        return dt.time.fromisoformat(value.strip())
    raise PydanticCustomError(
        "time_format", "'{value}' is not a valid time (HH:MM, 24-hour, e.g. 07:30)",
        {"value": str(value)},
    )


def parse_datetime(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        m = re.fullmatch(r"(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})", value.strip())
        if m:
            try:
                return dt.datetime.combine(parse_date(m[1]), parse_time(m[2]))
            except PydanticCustomError:
                pass
    raise PydanticCustomError(
        "datetime_format", "'{value}' is not a valid date and time (\"YYYY-MM-DD HH:MM\")",
        {"value": str(value)},
    )


Date = Annotated[dt.date, BeforeValidator(parse_date),
                 WithJsonSchema({"type": "string", "format": "date"})]
Time = Annotated[dt.time, BeforeValidator(parse_time),
                 WithJsonSchema({"type": "string", "pattern": r"^([01]\d|2[0-3]):[0-5]\d$"})]
DateTime = Annotated[dt.datetime, BeforeValidator(parse_datetime),
                     WithJsonSchema({"type": "string",
                                     "pattern": r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$"})]

# Common abbreviations people type, with the IANA names they may mean.
TZ_ABBREVIATIONS = {
    "CST": "Asia/Shanghai (China), America/Chicago (US Central), America/Havana (Cuba)",
    "CDT": "America/Chicago", "EST": "America/New_York", "EDT": "America/New_York",
    "ET": "America/New_York", "PST": "America/Los_Angeles", "PDT": "America/Los_Angeles",
    "MST": "America/Denver, America/Phoenix", "MDT": "America/Denver",
    "IST": "Asia/Kolkata (India), Europe/Dublin (Ireland), Asia/Jerusalem (Israel)",
    "BST": "Europe/London (UK), Asia/Dhaka (Bangladesh)", "GMT": "Europe/London or UTC",
    "CET": "Europe/Paris, Europe/Berlin, Europe/Brussels", "CEST": "Europe/Paris, Europe/Berlin",
    "EET": "Europe/Athens, Europe/Kyiv", "JST": "Asia/Tokyo", "KST": "Asia/Seoul",
    "HKT": "Asia/Hong_Kong", "SGT": "Asia/Singapore", "AEST": "Australia/Sydney",
    "MSK": "Europe/Moscow", "HST": "Pacific/Honolulu", "AST": "Asia/Riyadh, America/Halifax",
}
TZ_CITIES = {"beijing": "Asia/Shanghai", "washington": "America/New_York",
             "delhi": "Asia/Kolkata", "new delhi": "Asia/Kolkata", "mumbai": "Asia/Kolkata",
             "hanoi": "Asia/Ho_Chi_Minh", "kyiv": "Europe/Kyiv", "kiev": "Europe/Kyiv",
             "abu dhabi": "Asia/Dubai", "canberra": "Australia/Sydney",
             "ottawa": "America/Toronto", "brasilia": "America/Sao_Paulo"}


@cache
def _iana_names() -> frozenset[str]:
    return frozenset(n for n in available_timezones() if "/" in n or n == "UTC")


def check_timezone(value: Any) -> Any:
    if not isinstance(value, str):
        return value  # the str type reports it
    if value in _iana_names():
        return value
    upper = value.strip().upper()
    if upper in TZ_ABBREVIATIONS or re.fullmatch(r"[A-Z]{2,5}", value.strip()):
        hint = TZ_ABBREVIATIONS.get(upper)
        raise PydanticCustomError(
            "tz_abbreviation",
            "'{value}' is an abbreviation, not an IANA time zone; abbreviations are ambiguous"
            + (" — did you mean {hint}?" if hint else " — use a name such as 'Asia/Shanghai'"),
            {"value": value, "hint": hint or ""},
        )
    city = value.split("/")[-1].replace("_", " ").strip().lower()
    suggestion = TZ_CITIES.get(city) or next(
        iter(difflib.get_close_matches(value, sorted(_iana_names()), n=1, cutoff=0.7)), None)
    raise PydanticCustomError(
        "tz_unknown",
        "unknown time zone '{value}'" + (" (did you mean '{hint}'?)" if suggestion else
                                         "; use an IANA name such as 'Asia/Shanghai'"),
        {"value": value, "hint": suggestion or ""},
    )


TimeZone = Annotated[str, BeforeValidator(check_timezone),
                     WithJsonSchema({"type": "string", "description": "IANA time zone name"})]


def _upper_country(value: Any) -> Any:
    return value.upper() if isinstance(value, str) else value


Country = Annotated[str, BeforeValidator(_upper_country), Field(pattern=r"^[A-Z]{2}$")]
LangTag = Annotated[str, Field(pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")]
Mark = Literal["U", "SBU", "C", "S", "TS", "O", "OS"]
def _strict_priority(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int):
        raise PydanticCustomError("priority_type", "priority must be the number 1, 2 or 3, got "
                                  "{value}", {"value": repr(value)})
    return value


Priority = Annotated[Literal[1, 2, 3], BeforeValidator(_strict_priority)]

# ---------------------------------------------------------------- Text


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _empty_means_absent(cls, data: Any) -> Any:
        """`objectives:` with nothing after it is the same as no `objectives:` at all."""
        if not isinstance(data, dict):
            return data
        optional = {f.alias or name for name, f in cls.model_fields.items()
                    if not f.is_required()}
        return {k: v for k, v in data.items() if not (v is None and k in optional)}


class TextItem(Strict):
    """One portion of text: inline Markdown, its portion mark and the sources it cites."""

    text: Annotated[str, Field(max_length=MAX_TEXT_CHARS)]
    mark: Mark | None = None
    sources: list[Id] = []


def _text_to_mapping(value: Any) -> Any:
    return {"text": value} if isinstance(value, str) else value


def _to_list(value: Any) -> Any:
    return value if isinstance(value, list) else [value]


Text = Annotated[TextItem, BeforeValidator(_text_to_mapping, json_schema_input_type=str | TextItem)]
Texts = Annotated[list[Text], BeforeValidator(_to_list, json_schema_input_type=Text | list[Text])]


class GoalItem(TextItem):
    kind: Literal["objective", "deliverable", "expectation", "red-line"] = "objective"
    priority: Priority | None = None


Goal = Annotated[GoalItem, BeforeValidator(_text_to_mapping, json_schema_input_type=str | GoalItem)]

# ---------------------------------------------------------------- header, markings, trip


def _str_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


class Memo(Strict):
    type: str = "Briefing Memo"
    to: str
    from_: Annotated[list[str], BeforeValidator(_str_list, json_schema_input_type=str | list[str]),
                     Field(alias="from", min_length=1)]
    through: list[str] = []
    date: Date
    subject: Text
    drafted_by: str | None = None
    cleared_by: list[str] = []
    version: str | StrictInt | None = Field(
        None, description="which version of the book this is (4, \"4 – schedule as of Jun 15, "
        "18:00\"); printed on the cover memo and in every page's running footer")
    distribution: list[str] = Field(
        [], description="who receives a copy, in copy order; numbered copy k is addressed to "
        "the k-th name")


class Authority(Strict):
    classified_by: str
    reason: str | None = None
    derived_from: str | None = None
    declassify_on: str

    @model_validator(mode="after")
    def _reason_or_source(self) -> Authority:
        if not (self.reason or self.derived_from):
            raise PydanticCustomError(
                "authority_basis", "the authority block needs 'reason' (original "
                "classification) or 'derived_from' (derivative classification)")
        return self


class Markings(Strict):
    system: Literal["us", "uk", "plain"]
    default: Mark | None = None
    banner: str | None = None
    controls: list[str] = []
    authority: Authority | None = None
    watermark: str | None = None


class Stop(Strict):
    place: str
    country: Country | None = None
    timezone: TimeZone
    from_: Date | None = Field(None, alias="from")
    to: Date | None = None


class Trip(Strict):
    title: str
    principal: Id
    home_timezone: TimeZone
    home_place: str | None = Field(
        None, description="optional: how to label the home clock (e.g. 'Washington'); "
        "default: the city of home_timezone")
    start: Date
    end: Date
    stops: Annotated[list[Stop], Field(min_length=1)]
    id: Id | None = Field(
        None, description="a stable name for the trip, used in calendar event identifiers; "
        "default: the trip file's name without its extension")
    min_transfer: Annotated[StrictInt, Field(ge=0)] = Field(
        15, description="minutes a person needs between two events at different locations")


class Person(Strict):
    name: str
    native_name: str | None = None
    lang: LangTag | None = None
    pronunciation: str | None = None
    title: str
    organization: str | None = None
    country: Country | None = None
    side: Literal["home", "host", "third"]
    precedence: Annotated[StrictInt, Field(ge=1)] | None = None
    address_as: str | None = None
    status: Literal["confirmed", "expected", "tentative", "unverified"] = "confirmed"
    bio: Texts = []
    bio_as_of: Date | None = None
    photo: str | None = None
    notes: Texts = []


# ---------------------------------------------------------------- agenda


class ParticipantItem(Strict):
    person: Id
    role: str | None = None


def _participant_to_mapping(value: Any) -> Any:
    return {"person": value} if isinstance(value, str) else value


Participant = Annotated[ParticipantItem, BeforeValidator(
    _participant_to_mapping, json_schema_input_type=Id | ParticipantItem)]


class IssueRef(Strict):
    issue: Id


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
    id: Id | None = None
    title: Text
    date: Date
    start: Time | None = None
    end: Time | None = None
    timezone: TimeZone | None = None
    location: str | None = None
    kind: Literal["meeting", "meal", "travel", "arrival", "departure", "press", "ceremony",
                  "hold", "other"] = "meeting"
    status: Literal["confirmed", "tentative", "proposed", "cancelled"] = "confirmed"
    press: Literal["open", "pool", "photo-op", "closed"] | None = None
    participants: list[Participant] = []
    objectives: Texts = []
    talking_points: list[TalkingPoint] = []
    notes: Texts = []


# ---------------------------------------------------------------- papers and annexes


class Issue(Strict):
    id: Id
    title: Text
    background: Texts = []
    our_position: Texts = []
    their_position: Texts = []
    points_to_make: Texts = []
    if_raised: Texts = []
    priority: Priority | None = None


class QA(Strict):
    q: Text
    a: Text


class Press(Strict):
    posture: Texts = []
    key_messages: Texts = []
    qa: list[QA] = []


Level3 = Literal["low", "medium", "high"]


class Risk(Strict):
    text: Text
    likelihood: Level3 | None = None
    impact: Level3 | None = None
    mitigation: Texts = []


class Flight(Strict):
    flight: str | None = None
    from_: str = Field(alias="from")
    to: str
    depart: DateTime | None = None
    arrive: DateTime | None = None
    depart_timezone: TimeZone | None = None
    arrive_timezone: TimeZone | None = None
    notes: Texts = []


class Lodging(Strict):
    place: str
    address: str | None = None
    from_: Date | None = Field(None, alias="from")
    to: Date | None = None
    notes: Texts = []


class Logistics(Strict):
    flights: list[Flight] = []
    lodging: list[Lodging] = []
    notes: Texts = []


class Contact(Strict):
    name: str
    role: str | None = None
    organization: str | None = None
    phone: str | None = None
    email: str | None = None
    mark: Mark | None = None


class Source(Strict):
    id: Id
    title: str
    publisher: str | None = None
    url: str | None = None
    date: Date | None = None


# ---------------------------------------------------------------- the file


class Output(Strict):
    """How this trip is usually built; command-line options win."""

    paper: Literal["letter", "a4"] | None = None
    layouts: list[Literal["book", "memo", "card", "meeting"]] = []
    duplex: bool = False


class TripFile(Strict):
    """A briefgen trip file, format 1."""

    model_config = ConfigDict(
        extra="forbid", populate_by_name=True, frozen=True,
        json_schema_extra={"patternProperties": {"^x-": {}}},
    )

    briefgen: StrictInt
    memo: Memo
    markings: Markings | None = None
    trip: Trip
    purpose: Texts
    goals: Annotated[list[Goal], Field(min_length=1)]
    scenesetter: Texts = []
    their_objectives: Texts = []
    people: Annotated[dict[Id, Person], Field(min_length=1)]
    agenda: Annotated[list[Event], Field(min_length=1)]
    issues: list[Issue] = []
    press: Press | None = None
    risks: list[Risk] = []
    logistics: Logistics | None = None
    contacts: list[Contact] = []
    sources: list[Source] = []
    include: list[str] = Field(
        [], description="library files whose people, issues and sources this trip may use; "
        "each path is relative to the file that names it")
    output: Output | None = None

    @model_validator(mode="before")
    @classmethod
    def _drop_extension_keys(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if not str(k).startswith("x-")}
        return data

    @field_validator("briefgen", mode="before")
    @classmethod
    def _format_version(cls, value: Any) -> Any:
        if isinstance(value, str | bool):
            raise PydanticCustomError(
                "format_version", "the format version must be the number 1 (write `briefgen: 1`, "
                "without quotes)")
        if value != 1:
            raise PydanticCustomError(
                "format_version", "format version {value} is not supported: this briefgen "
                "reads format 1 (write `briefgen: 1`)", {"value": value})
        return value


def json_schema() -> dict[str, Any]:
    schema = TripFile.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "briefgen trip file, format 1"
    # With `include`, a person may give only the fields that replace a library's (or be {}),
    # and an issue may be a bare id from a library.
    defs = schema["$defs"]
    defs["PersonFields"] = {k: v for k, v in defs["Person"].items() if k != "required"} | {
        "title": "PersonFields", "description": "some fields of a person a library defines; "
        "they replace the library's for this trip"}
    people = schema["properties"]["people"]
    people["additionalProperties"] = {"anyOf": [{"$ref": "#/$defs/Person"},
                                                {"$ref": "#/$defs/PersonFields"}]}
    issues = schema["properties"]["issues"]
    issues["items"] = {"anyOf": [issues["items"], {
        "type": "string", "pattern": ID_PATTERN, "description": "an issue from a library"}]}
    return schema

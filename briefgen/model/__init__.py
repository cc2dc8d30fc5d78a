"""The trip file, format 1, as pydantic models (its scalar types live in `scalars`).

`briefgen schema` exports the JSON Schema of `TripFile`. Shapes the contract allows in two
forms (a Text as a string or a mapping, Texts as one or a list, a participant as an Id or a
mapping) are normalised before validation, so errors point at one shape, not a union.
Cross-references and date ranges are checked in `validate`, which sees the whole file.

The models live by the contract's sections: `text` (Texts, goals, the base of every model),
`trip` (memo, markings, trip, people), `agenda` (events), `papers` (issues, press, risks,
logistics, contacts, sources); the file itself is here.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    ConfigDict,
    Field,
    StrictInt,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from briefgen.model.agenda import (
    Event,
    IssueRef,
    Participant,
    ParticipantItem,
    TalkingPoint,
)
from briefgen.model.papers import (
    QA,
    Contact,
    Flight,
    Issue,
    Lodging,
    Logistics,
    Press,
    Risk,
    Source,
)
from briefgen.model.text import Goal, GoalItem, Mark, Strict, Text, TextItem, Texts
from briefgen.model.trip import Authority, Cui, Markings, Memo, Person, Stop, Trip
from briefgen.scalars import (  # the contract's scalar types, from here too
    ID_PATTERN,
    TZ_ABBREVIATIONS,
    TZ_CITIES,
    Country,
    Date,
    DateTime,
    Id,
    LangTag,
    Priority,
    Time,
    TimeZone,
)


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
    card: Literal["pocket", "page"] | None = Field(
        None,
        description="pocket (default): the card on pocket pages, 4x6 in with letter paper, "
        "A6 with A4; page: one full sheet",
    )


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


__all__ = [
    "ID_PATTERN",
    "QA",
    "TZ_ABBREVIATIONS",
    "TZ_CITIES",
    "Authority",
    "Contact",
    "Country",
    "Cui",
    "Date",
    "DateTime",
    "Event",
    "Flight",
    "Goal",
    "GoalItem",
    "Id",
    "Issue",
    "IssueRef",
    "LangTag",
    "Lodging",
    "Logistics",
    "Mark",
    "Markings",
    "Memo",
    "Output",
    "Participant",
    "ParticipantItem",
    "Person",
    "Press",
    "Priority",
    "Risk",
    "Source",
    "Stop",
    "Strict",
    "TalkingPoint",
    "Text",
    "TextItem",
    "Texts",
    "Time",
    "TimeZone",
    "TopLevel",
    "Trip",
    "TripFile",
    "json_schema",
]

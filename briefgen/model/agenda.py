"""The agenda: events, their participants and talking points."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BeforeValidator,
    Discriminator,
    Field,
    Tag,
)

from briefgen.model.text import (
    Strict,
    Text,
    Texts,
)
from briefgen.scalars import (
    Date,
    Id,
    Time,
    TimeZone,
)


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
    end_timezone: TimeZone | None = Field(
        None,
        description="IANA time zone name `end` is read in, when the event ends in another zone "
        "than it starts (a drive across a border); default: the event's zone",
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

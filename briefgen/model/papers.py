"""Issue papers, press lines, risks, logistics (flights, lodging), contacts and sources."""

from __future__ import annotations

from typing import Literal

from pydantic import (
    Field,
)

from briefgen.model.text import (
    Mark,
    Strict,
    Text,
    Texts,
)
from briefgen.scalars import (
    Date,
    DateTime,
    Id,
    Priority,
    TimeZone,
)


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

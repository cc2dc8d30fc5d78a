"""The memo's header block, the markings, the trip (stops, principal, dates) and people."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BeforeValidator,
    Field,
    StrictInt,
    model_validator,
)
from pydantic_core import PydanticCustomError

from briefgen.model.text import (
    Mark,
    Strict,
    Text,
    Texts,
)
from briefgen.scalars import (
    Country,
    Date,
    Id,
    LangTag,
    TimeZone,
)


def _str_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


_HH_MM = r"([01][0-9]|2[0-3]):[0-5][0-9]"  # ASCII digits: \d matches every script's


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


class Cui(Strict):
    """The CUI designation indicator, on the first page of every product printing CUI."""

    controlled_by: Annotated[list[str], Field(min_length=1)] = Field(
        description="the organisation, then the office (Department of Defense, OUSD(P))"
    )
    categories: Annotated[list[str], Field(min_length=1)] = Field(
        description="CUI category markings (PRVCY, OPSEC)"
    )
    dissemination: str | None = Field(
        None, description="a limited dissemination control (FEDCON, NOFORN, DL ONLY)"
    )
    poc: str = Field(description="point of contact, name and phone or e-mail")


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
        description="us: the controls of every classified portion that gives none of its own "
        "(NOFORN, or REL TO USA, GBR); uk and plain: appended to the banner after //",
    )
    cui: Cui | None = Field(
        None,
        description="the CUI designation indicator (us); required once a portion is CUI",
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


class DateSpan(Strict):
    """Two dates, the first and the last day."""

    start: Date = Field(description="first day, YYYY-MM-DD")
    end: Date = Field(description="last day, YYYY-MM-DD")


class BodyClock(Strict):
    """How fast the principal's body clock follows local time, and when its night is (the
    defaults are the usual figures from the physiology of jet lag)."""

    east_hours_per_day: Annotated[float, Field(gt=0, le=24)] = Field(
        1.0, description="hours a day the body clock advances after flying east; default 1"
    )
    west_hours_per_day: Annotated[float, Field(gt=0, le=24)] = Field(
        1.5, description="hours a day the body clock delays after flying west; default 1.5"
    )
    night: Annotated[str, Field(pattern=rf"^{_HH_MM}-{_HH_MM}$")] = Field(
        "00:00-06:00",
        description="the body's night, HH:MM-HH:MM on the body clock (may wrap past "
        "midnight, 22:00-06:00; 00:00-00:00 is none); an event of the principal that starts "
        "in it is warned about; default 00:00-06:00",
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
    moved_from: DateSpan | None = Field(
        None,
        description="the first and last day of the trip this file was made from (written by "
        "`briefgen new --from`): text that still names one of those dates is warned about; "
        "delete it once the text is right",
    )
    body_clock: BodyClock = Field(
        BodyClock(),
        description="the principal's body clock: how fast it follows local time after a "
        "flight across 3 or more zones, and its night (warned about)",
    )
    language: Literal["en", "fr", "es", "de", "ar"] = Field(
        "en",
        description="the language of the book's own words (labels, dates, day and month names, "
        "'Page X of Y'); ar sets the pages right to left; markings stay in their system's words",
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

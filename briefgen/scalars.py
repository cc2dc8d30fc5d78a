"""The contract's scalar types, as people type them: ids, dates, times, IANA time zones (with
a hint for abbreviations and city names), countries, language tags, marks, priorities.
Each parser says what is wrong in plain words."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from functools import cache
from typing import Annotated, Any, Literal
from zoneinfo import available_timezones

from pydantic import BeforeValidator, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from briefgen.limits import MAX_COMBINING_MARKS

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
    if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value.strip()):
        try:
            day = dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
        else:
            if 1900 <= day.year <= 2999:
                return day
            raise PydanticCustomError(
                "date_range", "'{value}' is out of range (years 1900 to 2999)", {"value": value}
            )
    raise PydanticCustomError(
        "date_format", "'{value}' is not a valid date (YYYY-MM-DD)", {"value": str(value)}
    )


def parse_time(value: Any) -> Any:
    if isinstance(value, dt.time):
        return value
    if isinstance(value, str) and re.fullmatch(r"([01][0-9]|2[0-3]):[0-5][0-9]", value.strip()):
        return dt.time.fromisoformat(value.strip())
    raise PydanticCustomError(
        "time_format",
        "'{value}' is not a valid time (HH:MM, 24-hour, e.g. 07:30)",
        {"value": str(value)},
    )


def parse_datetime(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        m = re.fullmatch(r"([0-9]{4}-[0-9]{2}-[0-9]{2})[ T]([0-9]{2}:[0-9]{2})", value.strip())
        if m:
            try:
                return dt.datetime.combine(parse_date(m[1]), parse_time(m[2]))
            except PydanticCustomError:
                pass
    raise PydanticCustomError(
        "datetime_format",
        "'{value}' is not a valid date and time (\"YYYY-MM-DD HH:MM\")",
        {"value": str(value)},
    )


Date = Annotated[
    dt.date, BeforeValidator(parse_date), WithJsonSchema({"type": "string", "format": "date"})
]
Time = Annotated[
    dt.time,
    BeforeValidator(parse_time),
    WithJsonSchema({"type": "string", "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9]$"}),
]
DateTime = Annotated[
    dt.datetime,
    BeforeValidator(parse_datetime),
    WithJsonSchema(
        {"type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}$"}
    ),
]

# Common abbreviations people type, with the IANA names they may mean.
TZ_ABBREVIATIONS = {
    "CST": "Asia/Shanghai (China), America/Chicago (US Central), America/Havana (Cuba)",
    "CDT": "America/Chicago",
    "EST": "America/New_York",
    "EDT": "America/New_York",
    "ET": "America/New_York",
    "PST": "America/Los_Angeles",
    "PDT": "America/Los_Angeles",
    "MST": "America/Denver, America/Phoenix",
    "MDT": "America/Denver",
    "IST": "Asia/Kolkata (India), Europe/Dublin (Ireland), Asia/Jerusalem (Israel)",
    "BST": "Europe/London (UK), Asia/Dhaka (Bangladesh)",
    "GMT": "Europe/London or UTC",
    "CET": "Europe/Paris, Europe/Berlin, Europe/Brussels",
    "CEST": "Europe/Paris, Europe/Berlin",
    "EET": "Europe/Athens, Europe/Kyiv",
    "JST": "Asia/Tokyo",
    "KST": "Asia/Seoul",
    "HKT": "Asia/Hong_Kong",
    "SGT": "Asia/Singapore",
    "AEST": "Australia/Sydney",
    "MSK": "Europe/Moscow",
    "HST": "Pacific/Honolulu",
    "AST": "Asia/Riyadh, America/Halifax",
}
TZ_CITIES = {
    "beijing": "Asia/Shanghai",
    "washington": "America/New_York",
    "delhi": "Asia/Kolkata",
    "new delhi": "Asia/Kolkata",
    "mumbai": "Asia/Kolkata",
    "hanoi": "Asia/Ho_Chi_Minh",
    "kyiv": "Europe/Kyiv",
    "kiev": "Europe/Kyiv",
    "abu dhabi": "Asia/Dubai",
    "canberra": "Australia/Sydney",
    "ottawa": "America/Toronto",
    "brasilia": "America/Sao_Paulo",
}


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
        iter(difflib.get_close_matches(value, sorted(_iana_names()), n=1, cutoff=0.7)), None
    )
    raise PydanticCustomError(
        "tz_unknown",
        "unknown time zone '{value}'"
        + (
            " (did you mean '{hint}'?)"
            if suggestion
            else "; use an IANA name such as 'Asia/Shanghai'"
        ),
        {"value": value, "hint": suggestion or ""},
    )


TimeZone = Annotated[
    str,
    BeforeValidator(check_timezone),
    WithJsonSchema({"type": "string", "description": "IANA time zone name"}),
]


def _upper_country(value: Any) -> Any:
    return value.upper() if isinstance(value, str) else value


Country = Annotated[str, BeforeValidator(_upper_country), Field(pattern=r"^[A-Z]{2}$")]
LangTag = Annotated[str, Field(pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")]


def _strict_priority(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int):
        raise PydanticCustomError(
            "priority_type",
            "priority must be the number 1, 2 or 3, got {value}",
            {"value": repr(value)},
        )
    return value


Priority = Annotated[Literal[1, 2, 3], BeforeValidator(_strict_priority)]


# -- combining-mark floods: at most MAX_COMBINING_MARKS marks after one base character
# Every combining mark (categories Mn, Mc, Me) lies in these planes' ranges; ZWJ and ZWNJ
# join marks too. Runs without marks are passed over by a cheap search first: only runs of
# more than MAX_COMBINING_MARKS characters outside Latin, CJK, kana and Hangul are looked at.
_MARK_RANGES = ((0x300, 0x1F000), (0xE0100, 0xE01F0))
_NO_MARKS = "\x00-\u02ff\u3041-\u3096\u30a1-\u30fa\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3"
_MAYBE_FLOOD = re.compile(f"[^{_NO_MARKS}]{{{MAX_COMBINING_MARKS + 1},}}")
_FLOOD = re.compile(f"\x01{{{MAX_COMBINING_MARKS + 1},}}")


@cache
def _marks() -> dict[int, str]:
    """Every combining mark (and ZWJ, ZWNJ) -> \\x01 (a control: never in loaded text)."""
    table = {0x200C: "\x01", 0x200D: "\x01"}
    for start, end in _MARK_RANGES:
        for code in range(start, end):
            if unicodedata.category(chr(code))[0] == "M":
                table[code] = "\x01"
    return table


def combining_flood(text: str) -> int | None:
    """Where (an index) a base character is followed by more than MAX_COMBINING_MARKS
    combining marks, or None. No script needs more than a few (Vietnamese two, Tibetan
    stacks a handful); a flood of thousands makes text layout take minutes."""
    for found in _MAYBE_FLOOD.finditer(text):
        if run := _FLOOD.search(found.group().translate(_marks())):
            return found.start() + run.start()
    return None

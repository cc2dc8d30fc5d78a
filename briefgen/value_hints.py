"""Suggestions for values typed the way people say them: `9:00` and `2:30 PM` for a 24-hour
time, `LTU` (alpha-3) for an alpha-2 country code, `CET` for the zone of a stop in Poland.

The countries and their zones come from the tz database's own tables (`iso3166.tab`,
`zone.tab`, shipped with the `tzdata` package or the system's zoneinfo): no list is kept here.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from briefgen.countries import ALPHA2_OF


def time_hint(value: str) -> str | None:
    """`09:00` for `9:00`, `14:30` for `2:30 PM`, `09:00` for `9am`; None when unclear."""
    m = re.fullmatch(
        r"\s*([0-9]{1,2})(?:[:.h]([0-9]{2}))?\s*(?:([AaPp])\.?\s*[Mm]\.?)?\s*", str(value)
    )
    if not m or (m[2] is None and m[3] is None):
        return None
    hour, minute = int(m[1]), int(m[2] or 0)
    if m[3]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if m[3].lower() == "p" else 0)
    if hour > 23 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"


def _table(name: str) -> list[list[str]]:
    for folder in _zoneinfo_folders():
        path = folder / name
        if path.is_file():
            lines = path.read_text(encoding="utf-8").splitlines()
            return [line.split("\t") for line in lines if line and not line.startswith("#")]
    return []


def _zoneinfo_folders() -> list[Path]:
    spec = importlib.util.find_spec("tzdata")
    package = [Path(spec.origin).parent / "zoneinfo"] if spec and spec.origin else []
    return [*package, Path("/usr/share/zoneinfo")]


@cache
def countries() -> dict[str, str]:
    """Alpha-2 code -> the tz database's name of the country."""
    return {row[0]: row[1] for row in _table("iso3166.tab") if len(row) > 1}


@cache
def zones_of(country: str) -> tuple[str, ...]:
    """The IANA zones of a country (alpha-2), from zone.tab."""
    return tuple(row[2] for row in _table("zone.tab") if len(row) > 2 and row[0] == country)


def country_hint(value: str) -> str | None:
    """`'DE' (Germany)` for `DEU`: the alpha-2 code of an ISO 3166 alpha-3 code, else None."""
    two = ALPHA2_OF.get(str(value).strip().upper())
    return None if two is None else f"'{two}' ({countries().get(two, two)})"


def zone_hint(abbreviation: str, country: str) -> str | None:
    """The zones of `country` (alpha-2) that go by `abbreviation` in winter or summer (`CET`
    in PL: Europe/Warsaw); else all the country's zones, when it has few."""
    zones = zones_of(country.upper())
    named = [z for z in zones if abbreviation.upper() in _abbreviations(z)]
    chosen = named[:3] or (list(zones) if len(zones) <= 3 else [])
    if not chosen:
        return None
    name = countries().get(country.upper(), country)
    return f"{', '.join(chosen)} ({name})"


def _abbreviations(zone: str) -> set[str]:
    try:
        info = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return set()
    year = dt.date.today().year
    return {
        (dt.datetime(year, month, 15, 12, tzinfo=info).tzname() or "").upper() for month in (1, 7)
    }

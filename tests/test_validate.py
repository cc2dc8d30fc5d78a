"""Stage 2: every model check and whole-file rule, with located, worded errors."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml

from briefgen.errors import BriefError, format_path
from briefgen.load import load, load_text
from briefgen.markings import overall_level
from briefgen.model import json_schema
from briefgen.validate import validate
from conftest import EXAMPLE, MINIMAL
from helpers import PNG

BASE = load(MINIMAL).data  # read the YAML 1.2 way: "13:00" stays a string


def trip(**changes) -> dict:
    data = copy.deepcopy(BASE)
    data.update(changes)
    return data


def dump(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def errors(data: dict, folder: Path | None = None) -> list[tuple[str, str]]:
    name = str((folder or Path("/nonexistent")) / "trip.yaml")
    with pytest.raises(BriefError) as info:
        validate(load_text(dump(data), name, Path(name)))
    return [(format_path(p.path), p.message) for p in info.value.problems]


def valid(data: dict, folder: Path | None = None):
    name = str((folder or Path("/nonexistent")) / "trip.yaml")
    return validate(load_text(dump(data), name, Path(name)))


def test_minimal_and_example_are_valid():
    assert valid(trip()).trip.trip.principal == "blinken"
    brief = validate(load(EXAMPLE))
    assert brief.marking.banner == "SENSITIVE BUT UNCLASSIFIED"
    assert brief.marking.portion_marks


def test_extension_keys_are_ignored_and_anchors_reuse_what_they_name():
    text = MINIMAL.read_text(encoding="utf-8").replace(
        "people:\n", "x-note: {anything: [1, 2]}\nx-core: &core [blinken, wang-yi]\npeople:\n", 1
    )
    text = text.replace("    participants: [blinken, wang-yi]\n", "    participants: *core\n", 1)
    assert "*core" in text
    agenda = validate(load_text(text, "t.yaml")).trip.agenda
    assert [p.person for p in agenda[2].participants] == ["blinken", "wang-yi"]


def test_all_errors_are_reported_at_once_sorted_by_line():
    data = trip()
    data["agenda"][0]["participants"] = ["nobody"]
    data["agenda"][1]["start"] = "25:00"
    data["people"]["blinken"]["side"] = "us"
    data["scene_setter"] = "typo"
    found = errors(data)
    assert [path for path, _ in found] == [
        "people.blinken.side",
        "agenda[0].participants[0]",
        "agenda[1].start",
        "scene_setter",
    ]


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        (
            lambda d: d["agenda"][0].update(partcipants=["blinken"]),
            "agenda[0].partcipants",
            "unknown key 'partcipants' (did you mean 'participants'?)",
        ),
        (
            lambda d: d["people"]["qin-gang"].update(nativename="x"),
            "people.qin-gang.nativename",
            "did you mean 'native_name'?",
        ),
        (lambda d: d.update(memo={**d["memo"], "form": "x"}), "memo.form", "did you mean 'from'?"),
        (
            lambda d: d["agenda"][1]["participants"].append("nobuko"),
            "agenda[1].participants[2]",
            "unknown person 'nobuko'",
        ),
        (
            lambda d: d["trip"].update(principal="blinkin"),
            "trip.principal",
            "unknown person 'blinkin' (did you mean 'blinken'?)",
        ),
        (
            lambda d: d["agenda"][1].update(talking_points=[{"issue": "fentanil"}]),
            "agenda[1].talking_points[0].issue",
            "unknown issue 'fentanil' (did you mean 'fentanyl'?)",
        ),
        (
            lambda d: d["goals"].append({"text": "x", "sources": ["readot"]}),
            "goals[1].sources[0]",
            "unknown source 'readot'",
        ),
        (
            lambda d: d["agenda"][1].update(participants=[{"person": "ghost", "role": "x"}]),
            "agenda[1].participants[0].person",
            "unknown person 'ghost'",
        ),
        (
            lambda d: d["trip"].update(home_timezone="CST"),
            "trip.home_timezone",
            "Asia/Shanghai (China), America/Chicago (US Central)",
        ),
        (lambda d: d["trip"].update(home_timezone="EST"), "trip.home_timezone", "abbreviation"),
        (
            lambda d: d["trip"].update(home_timezone="America/Washington"),
            "trip.home_timezone",
            "unknown time zone 'America/Washington' (did you mean 'America/New_York'?)",
        ),
        (
            lambda d: d["trip"].update(home_timezone="Europe/Londn"),
            "trip.home_timezone",
            "did you mean 'Europe/London'?",
        ),
        (lambda d: d["agenda"][0].update(start="7:30"), "agenda[0].start", "not a valid time"),
        (lambda d: d["agenda"][0].update(start="07:30 PM"), "agenda[0].start", "not a valid time"),
        (lambda d: d["agenda"][0].update(date="2023-06-31"), "agenda[0].date", "not a valid date"),
        (lambda d: d["agenda"][0].update(date=20230618), "agenda[0].date", "not a valid date"),
        (lambda d: d["agenda"][0].update(date="2023-06-21"), "agenda[0].date", "outside the trip"),
        (
            lambda d: d["trip"]["stops"][0].update(to="2023-06-25"),
            "trip.stops[0].to",
            "outside the trip",
        ),
        (
            lambda d: d["trip"]["stops"][0].update({"from": "2023-06-19", "to": "2023-06-18"}),
            "trip.stops[0].to",
            "the stop ends",
        ),
        (lambda d: d["trip"].update(end="2023-06-01"), "trip.end", "before the trip starts"),
        (lambda d: d["trip"].update(stops=[]), "trip.stops", "needs at least one entry"),
        (lambda d: d.update(goals=[]), "goals", "needs at least one entry"),
        (lambda d: d.update(people={}), "people", "needs at least one entry"),
        (lambda d: d.update(agenda=[]), "agenda", "needs at least one entry"),
        (lambda d: d.update(briefgen=2), "briefgen", "format version 2 is not supported"),
        (lambda d: d.pop("purpose"), "purpose", "missing required key 'purpose'"),
        (
            lambda d: d["people"].update({"Wang_Yi": d["people"].pop("wang-yi")}),
            "people.Wang_Yi",
            "not a valid id",
        ),
        (lambda d: d["issues"][0].update(id="Fentanyl"), "issues[0].id", "not a valid id"),
        (
            lambda d: d["issues"].append({"id": "fentanyl", "title": "again"}),
            "issues[1].id",
            "already used by issues[0]",
        ),
        (
            lambda d: d["people"]["qin-gang"].update(country="CHN"),
            "people.qin-gang.country",
            "two-letter ISO 3166",
        ),
        (
            lambda d: d["people"]["qin-gang"].update(lang="zh Hans"),
            "people.qin-gang.lang",
            "BCP-47",
        ),
        (
            lambda d: d["people"]["qin-gang"].update(precedence=0),
            "people.qin-gang.precedence",
            "must be at least 1",
        ),
        (
            lambda d: d["people"]["qin-gang"].update(status="maybe"),
            "people.qin-gang.status",
            "is not one of: confirmed, expected, tentative, unverified",
        ),
        (
            lambda d: d["goals"].append({"text": "x", "kind": "redline"}),
            "goals[1].kind",
            "(did you mean 'red-line'?)",
        ),
        (lambda d: d["memo"].update(to=12), "memo.to", "expected text, got the number 12"),
        (lambda d: d["memo"].update(subject=["a", "b"]), "memo.subject", "expected text"),
        (lambda d: d.update(purpose=[{"txt": "x"}]), "purpose[0].txt", "did you mean 'text'?"),
        (
            lambda d: d["agenda"][0].update(talking_points=[42]),
            "agenda[0].talking_points[0]",
            "expected text",
        ),
        (
            lambda d: d.update(
                logistics={"flights": [{"from": "A", "to": "B", "depart": "2023-06-18 07:30"}]}
            ),
            "logistics.flights[0].depart",
            "needs 'depart_timezone'",
        ),
        (
            lambda d: d.update(
                logistics={
                    "flights": [
                        {"from": "A", "to": "B", "depart": "18.6.2023", "depart_timezone": "UTC"}
                    ]
                }
            ),
            "logistics.flights[0].depart",
            "not a valid date and time",
        ),
        (
            lambda d: d.update(contacts=[{"name": "Duty", "phone": 5550100}]),
            "contacts[0].phone",
            "put it in quotes",
        ),
        (
            lambda d: d["agenda"][1].update(talking_points=[{"text": "fine", "priority": 1}]),
            "agenda[1].talking_points[0].priority",
            "unknown key 'priority'",
        ),
        (
            lambda d: d["agenda"][1].update(talking_points=[{"issue": "fentanyl", "text": "y"}]),
            "agenda[1].talking_points[0].text",
            "unknown key 'text'",
        ),
        (
            lambda d: d["agenda"][1].update(talking_points=[{"text": "t", "sources": "readout"}]),
            "agenda[1].talking_points[0].sources",
            "expected a list",
        ),
        (
            lambda d: d["goals"].append({"text": "x", "priority": True}),
            "goals[1].priority",
            "priority must be the number 1, 2 or 3, got True",
        ),
        (
            lambda d: d["goals"].append({"text": "x", "priority": "1"}),
            "goals[1].priority",
            "priority must be the number 1, 2 or 3, got '1'",
        ),
        (lambda d: d["issues"][0].update(priority=1.0), "issues[0].priority", "got 1.0"),
        (
            lambda d: d.update(briefgen="1"),
            "briefgen",
            "must be the number 1 (write `briefgen: 1`, without quotes)",
        ),
        (lambda d: d["agenda"][0].update(end="10:00"), "agenda[0].end", "'end' needs a 'start'"),
        (lambda d: d["memo"].update(date="0001-01-01"), "memo.date", "out of range"),
        (
            lambda d: d.update(markings={"system": "plain", "controls": ["NOFORN"]}),
            "markings.controls",
            "add 'banner'",
        ),
        (
            lambda d: d.update(
                markings={
                    "system": "us",
                    "authority": {"classified_by": "X", "declassify_on": "2048"},
                }
            ),
            "markings.authority",
            "needs 'reason'",
        ),
    ],
)
def test_each_rule_names_the_path_and_says_what_is_wrong(change, path, message):
    data = trip()
    change(data)
    found = errors(data)
    assert any(p == path and message in m for p, m in found), found


# ---------------------------------------------------------------- markings


def marked(markings: dict | None, *marks: str) -> dict:
    data = trip()
    if markings is None:
        data.pop("markings")
    else:
        data["markings"] = markings
    data["purpose"] = [{"text": f"portion {m}", "mark": m} for m in marks] or data["purpose"]
    return data


@pytest.mark.parametrize(
    ("markings", "marks", "banner", "portions"),
    [
        (None, [], None, False),
        ({"system": "us"}, [], "UNCLASSIFIED", False),
        ({"system": "us"}, ["U", "SBU"], "SENSITIVE BUT UNCLASSIFIED", True),
        ({"system": "us", "default": "SBU"}, [], "SENSITIVE BUT UNCLASSIFIED", True),
        (
            {
                "system": "us",
                "controls": ["noforn"],
                "authority": {
                    "classified_by": "A. Officer, EAP",
                    "reason": "1.4(b), (d)",
                    "declassify_on": "20480615",
                },
            },
            ["C", "SBU"],
            "CONFIDENTIAL//NOFORN",
            True,
        ),
        ({"system": "uk"}, ["OS"], "OFFICIAL-SENSITIVE", False),
        ({"system": "uk", "default": "O"}, [], "OFFICIAL", False),
        (
            {"system": "plain", "banner": "COMPANY CONFIDENTIAL", "controls": ["INTERNAL"]},
            [],
            "COMPANY CONFIDENTIAL//INTERNAL",
            False,
        ),
        ({"system": "plain"}, [], None, False),
    ],
)
def test_banner_and_portion_marks(markings, marks, banner, portions):
    brief = valid(marked(markings, *marks))
    assert brief.marking.banner == banner
    assert brief.marking.portion_marks is portions


@pytest.mark.parametrize(
    ("markings", "marks", "message"),
    [
        (None, ["SBU"], "has no `markings:` block"),
        ({"system": "uk"}, ["SBU"], "'SBU' is not a mark of the uk system (O, OS, S, TS)"),
        ({"system": "plain"}, ["U"], "not a mark of the plain system"),
        (
            {"system": "us"},
            ["S"],
            "markings.authority (classified_by, reason or derived_from, declassify_on) is required",
        ),
        ({"system": "us", "default": "TS"}, [], "the overall level is TOP SECRET"),
        ({"system": "us", "banner": "FREE TEXT"}, [], "'banner' is for the plain system only"),
        ({"system": "us"}, ["X"], "'X' is not a mark of the us system"),
    ],
)
def test_marking_errors(markings, marks, message):
    found = errors(marked(markings, *marks))
    assert any(message in m for _, m in found), found


def test_authority_error_points_at_the_mark_that_raised_the_level():
    found = errors(marked({"system": "us"}, "U", "S"))
    assert found[0][0] == "purpose[1].mark"


def test_overall_level_is_the_highest_of_default_and_marks():
    assert overall_level("us", None, []) == "U"
    assert overall_level("us", "SBU", ["U"]) == "SBU"
    assert overall_level("us", "U", ["C", "SBU", "S"]) == "S"
    assert overall_level("uk", None, ["OS", "O"]) == "OS"
    assert overall_level("plain", None, []) is None
    assert overall_level("us", None, ["C//NF", "CUI"]) == "C"


# ---------------------------------------------------------------- photos


@pytest.mark.parametrize(
    ("photo", "message"),
    [
        ("photos/qin.png", None),
        ("photos/missing.png", "does not exist"),
        ("../outside.png", "outside the trip file's folder"),
        ("/etc/hostname", "must be a path relative"),
        ("http://example.com/qin.png", "must be a path relative"),
        ("photos/link.png", "outside the trip file's folder"),
        ("photos/notes.txt", "not a PNG or JPEG"),
    ],
)
def test_photo_paths(tmp_path, photo, message):
    folder = tmp_path / "trip"
    (folder / "photos").mkdir(parents=True)
    (folder / "photos" / "qin.png").write_bytes(PNG)
    (folder / "photos" / "notes.txt").write_text("hello")
    (tmp_path / "outside.png").write_bytes(PNG)
    (folder / "photos" / "link.png").symlink_to(tmp_path / "outside.png")
    data = trip()
    data["people"]["qin-gang"]["photo"] = photo
    if message is None:
        assert valid(data, folder).trip.people["qin-gang"].photo == photo
    else:
        assert any(message in m for _, m in errors(data, folder))


def test_json_schema_is_exported_from_the_model():
    schema = json_schema()
    assert schema["title"].startswith("briefgen trip file")
    assert set(schema["required"]) >= {
        "briefgen",
        "memo",
        "trip",
        "purpose",
        "goals",
        "people",
        "agenda",
    }
    assert "from" in schema["$defs"]["Memo"]["properties"]
    assert schema["$defs"]["Event"]["properties"]["status"]["enum"] == [
        "confirmed",
        "tentative",
        "proposed",
        "cancelled",
    ]
    text_schema = json.dumps(schema["properties"]["purpose"])
    assert '"string"' in text_schema
    assert "TextItem" in text_schema


def test_one_bad_trip_date_hides_no_other_error():
    data = trip()
    data["trip"]["end"] = "2023-06-01"
    data["logistics"] = {
        "flights": [{"from": "A", "to": "B", "depart": "2023-06-18 08:00"}],
        "lodging": [{"place": "H", "from": "2023-06-19", "to": "2023-06-18"}],
    }
    data["agenda"][0]["end"] = "09:00"
    paths = [p for p, _ in errors(data)]
    assert paths == [
        "trip.end",
        "agenda[0].end",
        "logistics.flights[0].depart",
        "logistics.lodging[0].to",
    ]


def test_empty_optional_values_mean_absent():
    data = trip(scenesetter=None, issues=None, press=None, risks=None)
    data["agenda"][0].update(objectives=None, participants=None, notes=None)
    data["agenda"][1]["talking_points"] = None
    data["people"]["qin-gang"]["bio"] = None
    brief = valid(data)
    assert brief.trip.agenda[0].objectives == []
    assert brief.trip.issues == []
    assert errors(trip(purpose=None)) == [  # a required key left empty is still an error
        ("purpose", "expected text (or a mapping with 'text'), got nothing (an empty value)")
    ]


def _with(path: tuple, value: str) -> dict:
    data = trip()
    where = data
    for key in path[:-1]:
        where = where[key]
    where[path[-1]] = value
    return data


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("trip", "body_clock"), {"night": "0๙:40-23:50"}),  # Thai nine
        (("agenda", 1, "start"), "١٣:٠٠"),  # Arabic-Indic digits
        (("agenda", 1, "date"), "２０２３-06-18"),  # full-width digits
        (("trip", "start"), "२०२३-06-18"),  # Devanagari digits
    ],
)
def test_digits_of_other_scripts_in_times_and_dates_are_an_error_not_a_crash(path, value):
    """Python's and pydantic's \\d match every script's digits: such a time passed
    validation and then failed as a traceback where it was read as a number."""
    found = errors(_with(path, value))
    where = ".".join(str(p) for p in path).replace(".1.", "[1].")
    assert any(p.startswith(where) for p, _ in found), found

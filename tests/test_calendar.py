"""`briefgen ics`: read back with icalendar and with vobject (an independent parser), every
event's start and end compared, as instants, with the times the book prints."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import icalendar
import pytest
import vobject
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.load import load, load_text
from briefgen.render import render_html
from briefgen.validate import validate
from conftest import EXAMPLE, MINIMAL, run_cli


@pytest.fixture(scope="module")
def example_ics(tmp_path_factory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("ics") / "trip.ics"
    result = run_cli("ics", EXAMPLE, "-o", out)
    assert result.returncode == 0, result.stderr
    return out, result.stdout


def events(path: Path) -> list:
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    return list(cal.walk("VEVENT"))


def book_times() -> dict[str, tuple[dt.datetime, dt.datetime | None]]:
    """Title -> (start, end) as instants, read from the book's schedule at a glance."""
    page = render_html(validate(load(EXAMPLE)))
    table = page[page.index('<table class="schedule">') :]
    body = table[table.index("<tbody") : table.index("</tbody>")]
    out = {}
    for row in re.findall(r"<tr(?! class=\"timeline-row).*?</tr>", body, re.S):  # not a timeline
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        words = [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", c)).split()) for c in cells]
        day = dt.datetime.strptime(f"{words[0]} 2023", "%a %b %d %Y").date()
        m = re.match(
            r"(\d\d):(\d\d)(?:–(\d\d):(\d\d))?(?: \(\+(\d) day\))? .*UTC([+−])(\d+)", words[1]
        )
        sign = -1 if m[6] == "−" else 1
        zone = dt.timezone(sign * dt.timedelta(hours=int(m[7])))
        start = dt.datetime.combine(day, dt.time(int(m[1]), int(m[2])), zone)
        end = None
        if m[3]:
            end = dt.datetime.combine(
                day + dt.timedelta(days=int(m[5] or 0)), dt.time(int(m[3]), int(m[4])), zone
            )
        out[words[3]] = (start, end)
    return out


def test_every_event_at_the_books_instants_in_both_parsers(example_ics):
    path, _ = example_ics
    book = book_times()
    parsed = {str(e["SUMMARY"]): e for e in events(path) if "flight" not in e["UID"]}
    assert set(parsed) == set(book)
    for title, (start, end) in book.items():
        e = parsed[title]
        assert e["DTSTART"].dt == start, title
        assert e["DTSTART"].dt.tzinfo is not None
        assert e["DTSTART"].params["TZID"]
        assert (e["DTEND"].dt if "DTEND" in e else None) == end, title
    other = vobject.readOne(path.read_text(encoding="utf-8"))
    by_title = {v.summary.value: v for v in other.vevent_list}
    assert set(by_title) >= set(book)
    for title, (start, end) in book.items():
        v = by_title[title]
        assert v.dtstart.value == start, title
        assert (v.dtend.value if hasattr(v, "dtend") else None) == end, title


def test_calendar_fields(example_ics):
    path, stdout = example_ics
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    assert str(cal["X-WR-CALNAME"]) == "Secretary's Travel to Beijing"
    assert {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")} == {
        "America/New_York",
        "Asia/Shanghai",
        "Europe/London",
    }
    qin = next(e for e in events(path) if e["UID"] == "qin-talks@beijing-2023")
    assert str(qin["SUMMARY"]).startswith("(SBU) Talks with")
    assert qin["SEQUENCE"] == 0
    assert qin["STATUS"] == "CONFIRMED"
    assert "Diaoyutai" in str(qin["LOCATION"])
    assert "DESCRIPTION" not in qin
    statuses = {str(e["UID"]).split("@")[0]: str(e["STATUS"]) for e in events(path)}
    assert statuses["xi-meeting"] == "TENTATIVE"
    assert statuses["london-press"] == "TENTATIVE"
    flights = [e for e in events(path) if str(e["UID"]).startswith("flight-")]
    assert len(flights) == 3
    assert str(flights[0]["DTSTART"].params["TZID"]) == "America/New_York"
    assert str(flights[0]["DTEND"].params["TZID"]) == "Asia/Shanghai"
    assert f"{path} holds text marked SBU" in stdout


def test_version_sequence_cancelled_all_day_and_uid_without_id(tmp_path):
    text = (
        MINIMAL.read_text(encoding="utf-8")
        .replace("  date: 2023-06-10\n", '  date: 2023-06-10\n  version: "7 – as of June 9"\n')
        .replace(
            "  - title: Meeting with Director Wang\n",
            "  - title: Meeting with Director Wang\n    status: cancelled\n",
        )
    )
    trip = tmp_path / "Trip File.yaml"
    trip.write_text(text, encoding="utf-8")
    result = run_cli("ics", trip)
    assert result.returncode == 0, result.stderr
    assert "holds text marked" not in result.stdout  # only (U) text
    found = {str(e["SUMMARY"]): e for e in events(tmp_path / "Trip File.ics")}
    wang = found["Meeting with Director Wang"]
    assert wang["STATUS"] == "CANCELLED"
    assert wang["SEQUENCE"] == 7
    assert wang["DTSTART"].dt == dt.date(2023, 6, 19)  # no start: all day
    assert wang["DTEND"].dt == dt.date(2023, 6, 20)
    assert wang["UID"] == "2023-06-19-meeting-with-director-wang@trip-file"


def test_for_a_person_and_details_without_talking_points(tmp_path):
    out = tmp_path / "wang.ics"
    result = run_cli("ics", EXAMPLE, "--for", "wang-yi", "--details", "-o", out)
    assert result.returncode == 0, result.stderr
    mine = events(out)
    assert {str(e["UID"]).split("@")[0] for e in mine} == {"xi-meeting", "wang-yi-meeting"}
    description = str(mine[0]["DESCRIPTION"])
    assert "Participants:" in description
    assert "Wang Yi" in description
    assert "Objectives:" in description
    source = EXAMPLE.read_text(encoding="utf-8")
    assert "Talking points" not in description
    # nothing of a talking point's own text reaches the calendar
    points = [
        text
        for block in re.findall(r"talking_points:\n((?:\s+- .*\n)+)", source)
        for text in re.findall(r'- "(.{20,}?)"', block)
    ]
    assert points
    for text in points:
        assert text[:20] not in out.read_text(encoding="utf-8")


def test_for_the_principal_keeps_every_event_they_count_for(tmp_path):
    out = tmp_path / "p.ics"
    assert run_cli("ics", EXAMPLE, "--for", "blinken", "-o", out).returncode == 0
    assert len(events(out)) == len(validate(load(EXAMPLE)).trip.agenda) + 3  # and flights


def test_for_an_unknown_person_one_line_exit_1_nothing_written(tmp_path):
    out = tmp_path / "x.ics"
    result = run_cli("ics", EXAMPLE, "--for", "wangyi", "-o", out)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"{EXAMPLE}: --for: unknown person 'wangyi' (did you mean 'wang-yi'?); the trip names "
        "12 people in `people:`; nothing was written"
    ]
    assert not out.exists()


@pytest.fixture(autouse=True)
def _libraries_beside_copies(example_libraries):
    """Copies of the example are written in tmp_path: its libraries go there too."""


@pytest.mark.parametrize(
    ("version", "expected"),
    [("4", 4), ("4.2", 4), ("v5", 5), ("version 6 – as of Jun 15", 6), ("draft", 0), (None, 0)],
)
def test_sequence_is_the_first_number_of_the_version(version, expected):
    from briefgen.calendar import sequence

    text = MINIMAL.read_text(encoding="utf-8")
    if version is not None:
        text = text.replace("  date: 2023-06-10\n", f"  date: 2023-06-10\n  version: {version!r}\n")
    brief = validate(load_text(text, "trip.yaml"))
    assert sequence(brief) == expected


def test_uid_uses_the_trips_own_id(tmp_path):
    trip = tmp_path / "trip.yaml"
    trip.write_text(
        MINIMAL.read_text(encoding="utf-8").replace("trip:\n", "trip:\n  id: bj-2023\n", 1),
        encoding="utf-8",
    )
    assert run_cli("ics", trip).returncode == 0
    uids = {str(e["UID"]) for e in events(tmp_path / "trip.ics")}
    assert uids
    assert all(uid.endswith("@bj-2023") for uid in uids)


# --- Hostile text: every property escaped and folded by icalendar (issue 22) ----------------

PIECES = ["\r\nBEGIN:VEVENT\r\n", "\rATTENDEE:mailto:x@evil\r", "\nEND:VCALENDAR", "é" * 40]
HOSTILE = st.lists(
    st.one_of(
        st.sampled_from(list('\r\n\x00\x0b\x0c\x1c\x1f\x7f\x85\u2028\u2029\t:;,\\"')),
        st.sampled_from(PIECES),
        st.text(st.characters(exclude_categories=["Cs"]), max_size=8),
    ),
    min_size=1,
    max_size=12,
).map("".join)


def _hostile_calendar(title, event_title, location, name, objective) -> bytes:
    from briefgen.calendar import export

    loaded = load(MINIMAL)
    data = loaded.data
    data["trip"]["title"] = title
    data["agenda"][1].update(title=event_title, location=location, objectives=[objective])
    data["people"]["qin-gang"].update(name=name, title=name)
    return export(validate(loaded), MINIMAL, details=True).data


def _lines(data: bytes) -> dict[str, list[str]]:
    """The content lines as three naive readers see them, folded lines left as they are."""
    text = data.decode("utf-8")
    return {
        "CR or LF": re.split(r"\r\n|\r|\n", text),
        "LF": [line.removesuffix("\r") for line in text.split("\n")],
        "splitlines": text.splitlines(),
    }


def _names(lines: list[str]) -> set[str]:
    return {re.split(r"[:;]", line, maxsplit=1)[0] for line in lines if line[:1] not in " \t"}


@pytest.fixture(scope="module")
def benign() -> bytes:
    return _hostile_calendar("Trip", "Talks", "Hall", "Qin Gang", "Agree")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(HOSTILE, HOSTILE, HOSTILE, HOSTILE, HOSTILE)
@pytest.mark.slow
def test_no_text_forges_a_content_line(benign, title, event_title, location, name, objective):
    data = _hostile_calendar(title, event_title, location, name, objective)
    for reader, lines in _lines(data).items():
        assert lines.count("BEGIN:VEVENT") == 3, reader
        assert lines.count("BEGIN:VCALENDAR") == lines.count("END:VCALENDAR") == 1, reader
        assert _names(lines) <= _names(_lines(benign)[reader]), reader
    cal = icalendar.Calendar.from_ical(data)
    vevents = list(cal.walk("VEVENT"))
    assert len(vevents) == 3
    assert {k for e in vevents for k in e} <= {
        k for e in icalendar.Calendar.from_ical(benign).walk("VEVENT") for k in e
    }
    calname = re.sub(  # icalendar reads an X- property as it is written: unescape it here
        r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], str(cal["X-WR-CALNAME"])
    )
    assert calname.replace("\n", "") == re.sub(
        r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]", "", title
    )


def test_a_title_with_line_breaks_is_one_escaped_line(tmp_path):
    """The red team's payloads: bare CRs forged a VEVENT, a LF was an AssertionError."""
    trip = tmp_path / "trip.yaml"
    forged = r"Trip\rBEGIN:VEVENT\rATTENDEE:mailto:x@evil\rEND:VEVENT\nX-EVIL:1"
    trip.write_text(
        MINIMAL.read_text(encoding="utf-8").replace(
            "title: Secretary's Travel to Beijing", f'title: "{forged}"'
        ),
        encoding="utf-8",
    )
    result = run_cli("ics", trip)
    assert result.returncode == 0, result.stderr
    data = (tmp_path / "trip.ics").read_bytes()
    assert data.count(b"\r") == data.count(b"\r\n")
    assert (
        b"X-WR-CALNAME:Trip\\nBEGIN:VEVENT\\nATTENDEE:mailto:x@evil\\nEND:VEVENT\\nX-EVIL:1\r\n"
        in data.replace(b"\r\n ", b"")  # unfolded
    )

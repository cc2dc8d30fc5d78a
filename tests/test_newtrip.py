"""`briefgen new NEW --from OLD --start DATE`: the next trip from the last one, edited in
place (comments, order, quoting, anchors kept byte for byte)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from briefgen.intake import read_brief
from briefgen.newtrip import next_trip_text
from conftest import run_cli

OLD = """\
# The last trip. Comments stay.
briefgen: 1
include: ['lib/people.yaml']
x-hall: &hall "Great Hall"   # an anchor
x-day: &day 2023-12-30
memo:
  to: The Secretary
  from: EAP – Office
  date: 2023-12-01
  version: "4 – schedule as of Dec 1"
  subject: "Travel, December 29–January 2"
trip:
  title: Travel
  principal: blinken
  home_timezone: America/New_York
  start: 2023-12-29     # Friday
  end: "2024-01-02"
  stops:
    - {place: Beijing, timezone: Asia/Shanghai, from: 2023-12-30, to: '2024-01-01'}
purpose: Reopen channels.
goals: [Agree.]
people:
  blinken: {}
agenda:
  - id: depart
    title: Depart
    date: 2023-12-29
    timezone: America/New_York
    kind: departure
  - {title: Dinner, date: *day, location: *hall, status: confirmed}
  - title: Talks
    date: 2024-01-01
    status: "tentative"
    participants: [blinken]
  - {title: Talks again, date: *day}
logistics:
  flights:
    - {from: WAS, to: BJS, depart: "2023-12-29 22:00", depart_timezone: America/New_York,
       arrive: "2023-12-31 07:30", arrive_timezone: Asia/Shanghai}
  lodging:
    - place: Hotel
      from: 2023-12-30
      to: 2024-01-02
sources:
  - {id: s1, title: A source, date: 2023-11-01}
"""

LIB = """\
briefgen-library: 1
people:
  blinken: {name: Antony Blinken, title: Secretary of State, side: home, bio_as_of: 2023-11-02}
"""

TODAY = dt.date(2025, 6, 1)


@pytest.fixture
def old(tmp_path):
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "people.yaml").write_text(LIB, encoding="utf-8")
    path = tmp_path / "old.yaml"
    path.write_text(OLD, encoding="utf-8")
    return path


def _changed_lines(old: str, new: str) -> list[tuple[str, str]]:
    a, b = old.splitlines(), new.splitlines()
    return [(x, y) for x, y in zip(a, b, strict=False) if x != y]


@pytest.mark.parametrize(
    ("start", "expect"),
    [
        # +3 days: across a month end and a year end (Dec 30 -> Jan 2, Jan 1 -> Jan 4)
        (
            "2024-01-01",
            {
                "2023-12-29": "2024-01-01",
                "2023-12-30": "2024-01-02",
                "2024-01-01": "2024-01-04",
                "2024-01-02": "2024-01-05",
                "2023-12-31": "2024-01-03",
            },
        ),
        # onto 29 February of a leap year
        (
            "2024-02-26",
            {
                "2023-12-29": "2024-02-26",
                "2023-12-30": "2024-02-27",
                "2024-01-01": "2024-02-29",
                "2024-01-02": "2024-03-01",
                "2023-12-31": "2024-02-28",
            },
        ),
    ],
)
def test_every_trip_date_moves_and_nothing_else_changes(old, start, expect):
    text, done = next_trip_text(old, dt.date.fromisoformat(start), today=TODAY)
    days = (dt.date.fromisoformat(start) - dt.date(2023, 12, 29)).days
    assert done == (
        f"11 dates moved by +{days} days; 4 events now proposed; memo.date set to "
        "2025-06-01; memo.version removed"
    )
    # the version line goes; every other line keeps its bytes but for the values that change
    # one line less (the version), one more (the status of an event that had none)
    assert "version:" not in text
    assert len(text.splitlines()) == len(OLD.splitlines())
    back = {after: before for before, after in expect.items()} | {"2025-06-01": "2023-12-01"}
    undo = re.sub(r"\d{4}-\d\d-\d\d", lambda m: back.get(m[0], m[0]), text)
    undo = (
        undo.replace("    status: proposed\n", "", 1)
        .replace("status: proposed, ", "", 1)
        .replace("status: proposed}", "status: confirmed}")
        .replace('status: "proposed"', 'status: "tentative"')
    )
    assert undo == OLD.replace('  version: "4 – schedule as of Dec 1"\n', "")
    assert "bio_as_of" not in text
    assert "date: 2023-11-01}" in text


def test_keep_status_and_the_new_file_checks(old):
    text, done = next_trip_text(old, dt.date(2024, 2, 26), keep_status=True, today=TODAY)
    assert "proposed" not in text
    assert "events now proposed" not in done
    new = old.parent / "new.yaml"
    new.write_text(text, encoding="utf-8")
    brief = read_brief(new)
    assert brief.trip.trip.start == dt.date(2024, 2, 26)
    assert brief.trip.memo.version is None
    assert brief.trip.memo.date == TODAY


def test_new_from_writes_a_trip_that_checks_in_another_folder(old, tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFGEN_LIBRARIES", str(tmp_path / "lib"))  # ../lib: a shared folder
    target = tmp_path / "next" / "trip.yaml"
    target.parent.mkdir()
    result = run_cli("new", target, "--from", old, "--start", "2024-02-26")
    assert result.returncode == 0, result.stderr
    assert re.search(
        r"wrote .*trip.yaml from .*old.yaml: 11 dates moved by \+59 days; "
        r"4 events now proposed; memo.date set to \d{4}-\d\d-\d\d; memo.version "
        r"removed; 1 include path rewritten for the new folder",
        result.stdout,
    )
    text = target.read_text(encoding="utf-8")
    assert "include: ['../lib/people.yaml']" in text  # same quoting, same library
    assert read_brief(target).trip.people["blinken"].name == "Antony Blinken"
    assert run_cli("check", target).returncode == 0


def test_the_trips_own_photos_are_copied_beside_it_in_another_folder(old, tmp_path, monkeypatch):
    """A photo is read only from inside the trip's folder: the next trip started in another
    folder gets a copy of its own people's photos at the same relative path (never over a
    file already there); should the new trip not be written, no copy is left."""
    from helpers import PNG

    monkeypatch.setenv("BRIEFGEN_LIBRARIES", str(tmp_path / "lib"))  # ../lib: a shared folder
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "wang.png").write_bytes(PNG)
    old.write_text(
        OLD.replace(
            "  blinken: {}\n",
            "  blinken: {}\n  wang: {name: Wang Yi, title: Director, side: host,"
            " photo: photos/wang.png}\n",
        ),
        encoding="utf-8",
    )
    target = tmp_path / "next" / "trip.yaml"
    target.parent.mkdir()
    (tmp_path / "portraits").mkdir()
    (tmp_path / "portraits" / "qin.png").write_bytes(PNG)
    two = old.read_text(encoding="utf-8").replace(  # wang is copied, then qin fails
        " photo: photos/wang.png}\n",
        " photo: photos/wang.png}\n  qin: {name: Qin Gang, title: Minister, side: host,"
        " photo: portraits/qin.png}\n",
    )
    assert two.index("wang:") < two.index("qin:")
    old.with_name("two.yaml").write_text(two, encoding="utf-8")
    (target.parent / "portraits").write_text("a file where a folder would go", encoding="utf-8")
    failed = run_cli("new", target, "--from", old.with_name("two.yaml"), "--start", "2024-02-26")
    assert failed.returncode == 1
    assert "cannot write" in failed.stderr
    assert sorted(p.name for p in target.parent.iterdir()) == ["portraits"]  # no copy left
    (target.parent / "portraits").unlink()

    result = run_cli("new", target, "--from", old, "--start", "2024-02-26")
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip().endswith("; 1 photo copied beside it")
    assert "photo: photos/wang.png}" in target.read_text(encoding="utf-8")
    assert (target.parent / "photos" / "wang.png").read_bytes() == PNG
    assert run_cli("check", target).returncode == 0


def test_a_photo_path_that_leaves_the_folder_is_never_copied_outside(tmp_path):
    """`../trip/p.png` checks in trip/ (it resolves inside), but from another folder it would
    be outside: nothing is created anywhere, and the error names the new file."""
    from helpers import PNG

    (tmp_path / "trip").mkdir()
    (tmp_path / "trip" / "p.png").write_bytes(PNG)
    trip = tmp_path / "trip" / "trip.yaml"
    trip.write_text(
        OLD.replace("include: ['lib/people.yaml']\n", "").replace(
            "  blinken: {}\n",
            "  blinken: {name: Antony Blinken, title: Secretary of State, side: home,"
            " photo: ../trip/p.png}\n",
        ),
        encoding="utf-8",
    )
    assert run_cli("check", trip).returncode == 0
    (tmp_path / "dest" / "sub").mkdir(parents=True)
    before = sorted(tmp_path.rglob("*"))
    result = run_cli(
        "new", tmp_path / "dest" / "sub" / "new.yaml", "--from", trip, "--start", "2024-02-26"
    )
    assert result.returncode == 1
    assert "new.yaml:" in result.stderr
    assert "is outside the trip file's folder" in result.stderr
    assert result.stderr.rstrip().endswith("new.yaml: 1 error; nothing was written")
    assert sorted(tmp_path.rglob("*")) == before


@pytest.mark.slow
def test_the_next_trip_builds(old, tmp_path):
    target = tmp_path / "next.yaml"
    assert run_cli("new", target, "--from", old, "--start", "2024-02-26").returncode == 0
    result = run_cli("build", target, "-o", tmp_path / "next.pdf")
    assert result.returncode == 0, result.stderr


def test_refuses_to_overwrite_and_refuses_an_old_trip_that_does_not_check(old, tmp_path):
    existing = tmp_path / "exists.yaml"
    existing.write_text("mine\n")
    result = run_cli("new", existing, "--from", old, "--start", "2024-02-26")
    assert result.returncode == 1
    assert "already exists; not overwritten" in result.stderr
    assert existing.read_text() == "mine\n"

    old.write_text(OLD.replace("title: Talks\n", "titel: Talks\n"), encoding="utf-8")
    target = tmp_path / "new.yaml"
    result = run_cli("new", target, "--from", old, "--start", "2024-02-26")
    assert result.returncode == 1
    assert f"{old}:31:5: agenda[2].titel: unknown key 'titel'" in result.stderr
    assert "nothing was written" in result.stderr
    assert not target.exists()


def test_usage_errors(old, tmp_path):
    assert run_cli("new", tmp_path / "a.yaml", "--from", old).returncode == 2
    assert run_cli("new", tmp_path / "a.yaml", "--start", "2024-01-01").returncode == 2
    result = run_cli("new", tmp_path / "a.yaml", "--from", old, "--start", "2024-02-30")
    assert result.returncode == 2
    assert "'2024-02-30' is not a date" in result.stderr
    assert not (tmp_path / "a.yaml").exists()

"""`briefgen new NEW --from OLD --start DATE`: the next trip from the last one, edited in
place (comments, order, quoting, anchors kept byte for byte)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from briefgen.carryforward import next_trip_text
from briefgen.intake import read_brief
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
    text, done = next_trip_text(
        old, dt.date.fromisoformat(start), today=TODAY, new_name=old.with_name("next.yaml")
    )
    days = (dt.date.fromisoformat(start) - dt.date(2023, 12, 29)).days
    assert done == (
        f"11 dates moved by +{days} days; 4 events now proposed; memo.date set to "
        "2025-06-01; memo.version removed"
    )
    # the version line goes; every other line keeps its bytes but for the values that change
    # one line less (the version), two more (the status of an event that had none, and the
    # old trip's dates)
    assert "version:" not in text
    assert len(text.splitlines()) == len(OLD.splitlines()) + 1
    moved_from = (
        "  moved_from: {start: 2023-12-29, end: 2024-01-02}"
        "  # the last trip's dates: delete once no text names them\n"
    )
    assert moved_from in text
    text = text.replace(moved_from, "")
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
    text, done = next_trip_text(
        old, dt.date(2024, 2, 26), keep_status=True, today=TODAY, new_name=old.with_name("n.yaml")
    )
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
    assert "; 1 photo copied beside it; 2 dates of the old trip" in result.stdout
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


LAST = """\
briefgen: 1
memo:
  to: The Secretary
  from: EUR – Office
  date: 2027-02-20
  version: 3
  subject: "Your Travel to Vilnius, March 14–17, 2027"
trip:
  id: dsd-baltics-2027
  title: Baltics
  principal: dsd
  home_timezone: America/New_York
  start: 2027-03-14
  end: 2027-03-17
  stops:
    - {place: Vilnius, country: LT, timezone: Europe/Vilnius}
purpose: Reassure.
goals: [Agree.]
people:
  dsd: {name: D. S. D., title: Deputy Secretary, side: home}
agenda:
  - id: pol-bilat
    title: Bilateral
    date: 2027-03-15
    start: "10:00"
    end: "11:00"
    status: confirmed
  - id: ltu-president
    title: Call on the President
    date: 2027-03-15
    start: "10:30"
    end: "11:30"
    status: cancelled
  - id: wrap
    title: Wrap-up
    date: 2027-03-16
    notes: "Unlike Monday, 15 March, no press. See 2027-03-16 and 17 March."
"""


def _uids(ics: str) -> set[str]:
    return set(re.findall(r"^UID:(.*)$", ics.replace("\r\n", "\n"), re.M))


def test_a_clean_next_trip(tmp_path):
    """Done when: the next trip of a trip with a cancelled event and a dated subject has no
    cancelled event, a calendar that shares no UID with the old one, and located warnings
    for the dates of the old trip written in its text, from `new` and from `check`."""
    old = tmp_path / "baltics.yaml"
    old.write_text(LAST, encoding="utf-8")
    new = tmp_path / "baltics-june.yaml"
    result = run_cli("new", new, "--from", old, "--start", "2027-06-06")
    assert result.returncode == 0, result.stderr
    assert "1 cancelled event left out" in result.stdout
    assert "4 dates of the old trip still written in text" in result.stdout
    text = new.read_text(encoding="utf-8")
    assert "ltu-president" not in text
    assert "cancelled" not in text
    assert "  id: baltics-june\n" in text
    warnings = result.stderr.splitlines()
    assert warnings[0] == (
        f"{new}:6:37: warning: 'March 14–17, 2027' is a date of the trip this one was made "
        "from (2027-03-14 to 2027-03-17); this trip is 2027-06-06 to 2027-06-09 (then "
        "delete trip.moved_from)"
    )
    assert [w.split(": warning: ")[0].rsplit(":", 2)[1:] for w in warnings] == [
        ["6", "37"],
        ["32", "20"],
        ["32", "52"],
        ["32", "67"],
    ]
    assert "'Monday, 15 March'" in warnings[1]
    checked = run_cli("check", new)
    assert checked.returncode == 0
    assert checked.stderr.splitlines() == warnings  # until the text is changed
    fixed = text.replace("March 14–17, 2027", "June 6–9, 2027").replace(
        '"Unlike Monday, 15 March, no press. See 2027-03-16 and 17 March."', "No press."
    )
    new.write_text(fixed, encoding="utf-8")
    assert run_cli("check", new).stderr == ""

    for trip in (old, new):
        assert run_cli("ics", trip).returncode == 0
    old_uids = _uids(old.with_suffix(".ics").read_text(encoding="utf-8"))
    new_uids = _uids(new.with_suffix(".ics").read_text(encoding="utf-8"))
    assert "pol-bilat@dsd-baltics-2027" in old_uids
    assert "pol-bilat@baltics-june" in new_uids
    assert not old_uids & new_uids


def test_keep_id_and_keep_status_keep_them(tmp_path):
    old = tmp_path / "baltics.yaml"
    old.write_text(LAST, encoding="utf-8")
    new = tmp_path / "june.yaml"
    args = ("new", new, "--from", old, "--start", "2027-06-06", "--keep-id", "--keep-status")
    assert run_cli(*args).returncode == 0
    text = new.read_text(encoding="utf-8")
    assert "  id: dsd-baltics-2027\n" in text
    assert "status: cancelled" in text


def test_the_same_name_in_another_folder_gets_its_own_id(tmp_path):
    """Without `trip.id` the name gives it: the same name elsewhere would give the same
    calendar identifiers, so the new trip gets one with its start date."""
    old = tmp_path / "trip.yaml"
    old.write_text(LAST.replace("  id: dsd-baltics-2027\n", ""), encoding="utf-8")
    (tmp_path / "june").mkdir()
    new = tmp_path / "june" / "trip.yaml"
    assert run_cli("new", new, "--from", old, "--start", "2027-06-06").returncode == 0
    assert "  id: trip-2027-06-06  # its own calendar identifiers\n" in new.read_text()


@pytest.mark.parametrize("from_old", [False, True])
def test_new_leaves_nothing_when_the_schema_cannot_be_written(tmp_path, monkeypatch, from_old):
    """Issue 22: on a nearly full disk the schema file failed after the trip was written,
    which stayed, with `unexpected error: OSError`. Now: one line, and nothing left."""
    import errno

    from briefgen import newfiles

    real = newfiles.create_atomically

    def full_disk(target, data):
        if target.name == "briefgen.schema.json":
            raise OSError(errno.ENOSPC, "No space left on device")
        real(target, data)

    monkeypatch.setattr(newfiles, "create_atomically", full_disk)
    old = tmp_path / "old" / "baltics.yaml"
    old.parent.mkdir()
    old.write_text(LAST, encoding="utf-8")
    (tmp_path / "new").mkdir()
    new = tmp_path / "new" / "trip.yaml"
    args = ("--from", old, "--start", "2027-06-06") if from_old else ()
    result = run_cli("new", new, *args)
    assert result.returncode == 1
    assert result.stderr == (
        f"{new}: cannot write briefgen.schema.json: No space left on device; nothing was written\n"
    )
    assert list((tmp_path / "new").iterdir()) == []

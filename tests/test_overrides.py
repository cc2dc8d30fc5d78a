"""`--set PATH=VALUE` on check and build: validated like the file, the file never changed."""

from __future__ import annotations

import pytest

from briefgen.errors import BriefError
from briefgen.intake import read_brief
from conftest import EXAMPLE, MINIMAL, run_cli


def test_values_are_set_by_key_by_id_and_by_number():
    before = EXAMPLE.read_bytes()
    brief = read_brief(
        EXAMPLE,
        [
            "markings.watermark=DRAFT",
            "memo.version=5",
            "agenda.qin-talks.status=proposed",
            "agenda.1.location=Home",
            "people.qin-gang.title=Foreign Minister",
        ],
    )
    t = brief.trip
    assert t.markings.watermark == "DRAFT"
    assert t.memo.version == 5  # read as YAML: a number
    assert next(e for e in t.agenda if e.id == "qin-talks").status == "proposed"
    assert t.agenda[0].location == "Home"
    assert t.people["qin-gang"].title == "Foreign Minister"  # a library person, for this run
    assert EXAMPLE.read_bytes() == before


def test_yaml_values_and_missing_blocks():
    brief = read_brief(
        MINIMAL, ['memo.version="5"', "memo.cleared_by=[A, B]", "markings.controls=[NOFORN]"]
    )
    assert brief.trip.memo.version == "5"
    assert brief.trip.memo.cleared_by == ["A", "B"]


def _errors(*sets: str, trip=MINIMAL) -> list[str]:
    with pytest.raises(BriefError) as exc:
        read_brief(trip, sets)
    return [str(p) for p in exc.value.problems]


def test_unknown_keys_are_refused_with_a_suggestion_and_all_errors_come_at_once():
    errors = _errors(
        "memo.dte=2023-01-01",
        "agenda.9.title=x",
        "agenda.nope.title=x",
        "memo.date=2023-02-30",
        "colour=red",
        "nothing",
    )
    assert (
        "--set memo.dte=2023-01-01: unknown key 'dte' under memo (did you mean 'date'?)" in errors
    )
    assert (
        "--set agenda.9.title=x: agenda has 3 item(s); 9 is not one of them (items are "
        "numbered from 1)" in errors
    )
    assert any(
        e.startswith("--set agenda.nope.title=x: no item of agenda has id 'nope'") for e in errors
    )
    assert (
        "--set memo.date=2023-02-30: memo.date: '2023-02-30' is not a valid date "
        "(YYYY-MM-DD)" in errors
    )
    assert "--set colour=red: unknown key 'colour' at the top level" in errors
    assert "--set nothing: expected PATH=VALUE (e.g. --set markings.watermark=DRAFT)" in errors


def test_a_wrong_value_is_named_by_its_option_not_a_file_line():
    [error] = _errors("agenda.2.status=confirmd")
    assert error == (
        "--set agenda.2.status=confirmd: agenda[1].status: 'confirmd' is not one "
        "of: confirmed, tentative, proposed, cancelled (did you mean 'confirmed'?)"
    )


def test_check_and_build_take_set_repeatedly_and_write_nothing_on_error(tmp_path):
    result = run_cli(
        "check", MINIMAL, "--set", "markings.watermark=DRAFT", "--set", "memo.version=5"
    )
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out.pdf"
    result = run_cli("build", MINIMAL, "-o", out, "--set", "memo.dte=x")
    assert result.returncode == 1
    assert "--set memo.dte=x: unknown key 'dte' under memo (did you mean 'date'?)" in result.stderr
    assert "nothing was written" in result.stderr
    assert not out.exists()


def test_a_photo_set_on_the_command_line_is_relative_to_the_trip_not_the_working_folder(
    tmp_path,
):
    """Was resolved against the working folder: `check` and `build` disagreed, and the build
    failed with `unexpected error: FileNotFoundError`."""
    from helpers import PNG

    folder, elsewhere = tmp_path / "trips", tmp_path / "elsewhere"
    (folder / "x").mkdir(parents=True)
    (elsewhere / "x").mkdir(parents=True)
    trip = folder / "trip.yaml"
    trip.write_bytes(MINIMAL.read_bytes())
    (folder / "p.png").write_bytes(PNG)
    (elsewhere / "only-here.png").write_bytes(PNG)
    (tmp_path / "secret.png").write_bytes(PNG)
    ok = run_cli("check", trip, "--set", "people.qin-gang.photo=p.png", cwd=elsewhere)
    assert ok.returncode == 0, ok.stderr
    brief = read_brief(trip, ["people.qin-gang.photo=p.png"])
    assert brief.source.folder_of(("people", "qin-gang", "photo")) == folder
    for value, says in [("only-here.png", "does not exist"), ("x/../../secret.png", "outside")]:
        for command in ("check", "build"):
            result = run_cli(
                command, trip, "--set", f"people.qin-gang.photo={value}", cwd=elsewhere
            )
            assert result.returncode == 1
            assert (
                f"--set people.qin-gang.photo={value}: people.qin-gang.photo: photo"
                in result.stderr
            )
            assert says in result.stderr
            assert "unexpected error" not in result.stderr

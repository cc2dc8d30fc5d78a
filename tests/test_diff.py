"""`briefgen diff OLD NEW`: what changed by meaning, one line each, most important first;
`--format json`; OLD as `git:REV`; bad input gets a one-line error and exit 1."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import CORPUS, run_cli

EXAMPLE = CORPUS / "good" / "beijing-2023-inline.yaml"  # the example, people and papers inline

QIN = '''    date: 2023-06-18
    start: "13:00"
    end: "17:30"'''


def edited(tmp_path: Path, name: str, *edits: tuple[str, str]) -> Path:
    text = EXAMPLE.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


RETIME = (QIN, QIN.replace("13:00", "14:00").replace("17:30", "18:00"))


def test_retimed_event_in_both_clocks(tmp_path):
    new = edited(tmp_path, "new.yaml", RETIME)
    result = run_cli("diff", EXAMPLE, new)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "agenda.qin-talks: 13:00–17:30 → 14:00–18:00 Beijing "
        "(01:00–05:30 → 02:00–06:00 Washington)",
        "1 change since the memo of June 15, 2023",
    ]


def test_no_change_still_exit_0(tmp_path):
    result = run_cli("diff", EXAMPLE, EXAMPLE)
    assert result.returncode == 0
    assert result.stdout.strip() == "0 changes since the memo of June 15, 2023"


def test_schedule_first_then_people_goals_issues(tmp_path):
    new = edited(
        tmp_path,
        "new.yaml",
        RETIME,
        ("    kind: press\n    status: proposed", "    kind: press\n    status: cancelled"),
        ("  - id: depart-london\n", "  - id: leave-london\n"),  # an id change: removed + new
        (
            'title: "State Councilor and Minister of Foreign Affairs"',
            'title: "Minister of Foreign Affairs"',
        ),
        ("Re-establish open, empowered", "Re-establish open and empowered"),
        (
            '- {person: qin-gang, role: "host"}\n      - hua-chunying\n      - yang-tao',
            '- {person: qin-gang, role: "host"}\n      - hua-chunying',
        ),
    )
    lines = run_cli("diff", EXAMPLE, new).stdout.splitlines()
    assert lines[0] == "agenda.london-press: cancelled (was proposed)"
    assert (
        "agenda.depart-london: removed: Depart London for Washington — was Wed Jun 21 "
        "18:00 London" in lines
    )
    assert any(
        line.startswith("agenda.leave-london: new: Depart London for Washington") for line in lines
    )
    assert "agenda.qin-talks: participants removed Yang Tao (yang-tao)" in lines
    assert (
        "people.qin-gang: title State Councilor and Minister of Foreign Affairs → "
        "Minister of Foreign Affairs" in lines
    )
    assert any(
        line.startswith("goals[0]: reworded: “Re-establish open, empowered") for line in lines
    )
    sections = [line.split(".")[0].split("[")[0] for line in lines[:-1]]
    assert sections == sorted(sections, key=["agenda", "people", "goals", "issues"].index)


def test_events_without_id_match_by_title_and_json(tmp_path):
    old = edited(tmp_path, "old.yaml", ("  - id: qin-talks\n    title:", "  - title:"))
    new = edited(tmp_path, "new.yaml", ("  - id: qin-talks\n    title:", "  - title:"), RETIME)
    result = run_cli("diff", "--format", "json", old, new)
    data = json.loads(result.stdout)
    assert [c["kind"] for c in data["changes"]] == ["retimed"]
    change = data["changes"][0]
    assert change["path"] == "agenda[3]"
    assert change["mark"] == "SBU"
    assert change["was"] == "was 13:00–17:30"


def test_issue_reworded_says_which_part(tmp_path):
    new = edited(
        tmp_path,
        "new.yaml",
        ('    title: "Taiwan Strait"', '    title: "The Strait"'),
        ("Both sides trade recriminations", "Both sides still trade recriminations"),
    )
    lines = run_cli("diff", EXAMPLE, new).stdout.splitlines()
    assert lines == [
        "issues.taiwan: reworded: title, background",
        "1 change since the memo of June 15, 2023",
    ]


@pytest.fixture
def repo(tmp_path) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    trip = tmp_path / "trip.yaml"
    shutil.copy(EXAMPLE, trip)
    git = ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "trip.yaml"], check=True)
    subprocess.run([*git, "commit", "-qm", "v1"], check=True)
    trip.write_text(trip.read_text(encoding="utf-8").replace(QIN, RETIME[1]), encoding="utf-8")
    return trip


def test_git_revision_as_old(repo):
    result = run_cli("diff", "git:HEAD", repo)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("agenda.qin-talks: 13:00–17:30 → 14:00–18:00 Beijing")


def test_unknown_git_revision_one_line_exit_1(repo):
    result = run_cli("diff", "git:no-such-rev", repo)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"briefgen: git:no-such-rev: unknown revision in the repository of {repo.parent}"
    ]


def test_git_outside_a_repository(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    trip = tmp_path / "trip.yaml"
    shutil.copy(EXAMPLE, trip)
    result = run_cli("diff", "git:HEAD~1", trip, cwd=tmp_path)
    assert result.returncode == 1
    assert "is not inside a git repository" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_diff_of_a_broken_file_exit_1(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("briefgen: 1\nmemo: [\n", encoding="utf-8")
    result = run_cli("diff", broken, EXAMPLE)
    assert result.returncode == 1
    assert result.stderr.startswith(f"{broken}:")
    assert result.stdout == ""

"""`briefgen diff OLD NEW`: what changed by meaning, one line each, most important first;
`--format json`; OLD as `git:REV`; bad input gets a one-line error and exit 1."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


QIN_TALKS = "Talks with State Councilor and Foreign Minister Qin Gang"
XI_CALL = "Possible call on President Xi Jinping, Mon Jun 19 16:30–17:15"
RETIME = (QIN, QIN.replace("13:00", "14:00").replace("17:30", "18:00"))


def test_retimed_event_in_both_clocks(tmp_path):
    new = edited(tmp_path, "new.yaml", RETIME)
    result = run_cli("diff", EXAMPLE, new)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        QIN_TALKS + ": 13:00–17:30 → 14:00–18:00 Beijing (01:00–05:30 → 02:00–06:00 Washington)",
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
    # In words, as a principal names them: events by title and time, people by name and
    # title (issue 21: no `agenda.`/`people.` keys); most important first.
    assert lines[0] == (
        "Joint press availability with Foreign Secretary Cleverly, Tue Jun 20 14:00–14:45: "
        "cancelled (was proposed)"
    )
    assert "Depart London for Washington: removed — was Wed Jun 21 18:00 London" in lines
    assert any(line.startswith("Depart London for Washington: new — Wed Jun 21") for line in lines)
    assert (
        "Talks with State Councilor and Foreign Minister Qin Gang, Sun Jun 18 14:00–18:00: "
        "participants removed Yang Tao" in lines
    )
    assert (
        "Qin Gang, Minister of Foreign Affairs: title State Councilor and Minister of Foreign "
        "Affairs → Minister of Foreign Affairs" in lines
    )
    assert any(line.startswith("Goal 1: reworded: “Re-establish open, empowered") for line in lines)
    assert not [line for line in lines if re.match(r"(agenda|people|goals|issues)[.\[]", line)]
    data = json.loads(run_cli("diff", "--format", "json", EXAMPLE, new).stdout)
    paths = [c["path"].split(".")[0].split("[")[0] for c in data["changes"]]  # ids kept
    assert paths == sorted(paths, key=["agenda", "people", "goals", "issues"].index)
    assert "people.qin-gang" in [c["path"] for c in data["changes"]]


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


BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


def test_json_escapes_bidi_and_other_controls(tmp_path):
    """A retitled event whose new title hides its words with bidi overrides: the JSON says
    the same, but shows every control as `\\uXXXX` (json.dumps kept them raw)."""
    sly = "Talks\u202egnitteeM" + BIDI + "\u2028\x85\U000e0041"
    goal = '  - text: "Re-establish'
    new = edited(tmp_path, "new.yaml", (goal, goal.replace('"', f'"{sly} ')))
    result = run_cli("diff", "--format", "json", EXAMPLE, new)
    assert result.returncode == 0, result.stderr
    assert all(ch.isprintable() or ch == "\n" for ch in result.stdout)
    assert "\\u202e" in result.stdout
    assert "\\udb40\\udc41" in result.stdout
    assert "Talks\u202egnitteeM" + BIDI in json.loads(result.stdout)["changes"][0]["text"]


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(exclude_categories=["Cs"])))
def test_json_output_is_printable_and_reads_back(words):
    from briefgen.diff.change import Change, Diff

    found = Diff(words, "new", "version 3", (Change("schedule", "added", words, words),))
    text = found.to_json()
    assert all(ch.isprintable() or ch == "\n" for ch in text)
    assert json.loads(text)["changes"][0]["text"] == words


def test_issue_reworded_says_which_part(tmp_path):
    new = edited(
        tmp_path,
        "new.yaml",
        ('    title: "Taiwan Strait"', '    title: "The Strait"'),
        ("Both sides trade recriminations", "Both sides still trade recriminations"),
    )
    lines = run_cli("diff", EXAMPLE, new).stdout.splitlines()
    assert lines == [
        "Issue paper “The Strait”: reworded: title, background",
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
    assert result.stdout.startswith(QIN_TALKS + ": 13:00–17:30 → 14:00–18:00 Beijing")


def test_both_sides_git_revisions(repo):
    """Issue 21: `diff git:HEAD~1 git:HEAD` read `git:HEAD` as a file name. Both sides may be
    revisions of the trip file named after them; without it, a usage error says so."""
    git = ["git", "-C", str(repo.parent), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "commit", "-qam", "v2"], check=True)
    repo.write_text("briefgen: 1\n", encoding="utf-8")  # the file as it is now is not read
    result = run_cli("diff", "git:HEAD~1", "git:HEAD", repo)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(QIN_TALKS + ": 13:00–17:30 → 14:00–18:00 Beijing")
    result = run_cli("diff", "git:HEAD~1", "git:HEAD")
    assert result.returncode == 2
    assert "git:HEAD is a revision: name the trip file too" in result.stderr


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


XI = """    title: {text: "Possible call on President Xi Jinping", mark: SBU}
    date: 2023-06-19
    start: "16:30"
    end: "17:15"
    location: *great-hall
    kind: meeting
    status: tentative"""
LONDON_PRESS = (
    '    title: {text: "Joint press availability with Foreign Secretary Cleverly", mark: SBU}\n'
    "    date: 2023-06-20"
)


@pytest.mark.parametrize(
    ("edit", "line"),
    [
        pytest.param(
            (LONDON_PRESS, LONDON_PRESS.replace("06-20", "06-21")),
            "Joint press availability with Foreign Secretary Cleverly: Tue Jun 20 14:00–14:45 → "
            "Wed Jun 21 14:00–14:45 London",
            id="moved to another day",
        ),
        pytest.param(
            (XI, XI.replace("status: tentative", "status: confirmed")),
            XI_CALL + ": tentative → confirmed",
            id="status",
        ),
        pytest.param(
            (XI, XI.replace("location: *great-hall", 'location: "Zhongnanhai"')),
            XI_CALL + ": location Great Hall of the People",
            id="relocated",
        ),
        pytest.param(
            (
                XI + "\n    press: pool\n    participants:\n",
                XI + "\n    press: pool\n    participants:\n      - kritenbrink\n",
            ),
            XI_CALL + ": participants added Daniel J. Kritenbrink",
            id="participants added",
        ),
        pytest.param(
            (
                'organization: "U.S. Embassy Beijing"',
                'organization: "U.S. Embassy Beijing, Political Section"',
            ),
            "organization U.S. Embassy Beijing → U.S. Embassy Beijing, Political Section",
            id="person's organization",
        ),
        pytest.param(
            ("Build buffers;", "Build big buffers;"),
            "Risk 2: mitigation reworded: “Build buffers;",
            id="risk mitigation",
        ),
        pytest.param(
            ("    likelihood: high\n    impact: low", "    likelihood: medium\n    impact: low"),
            "Risk 2: likelihood high → medium",
            id="risk likelihood",
        ),
        pytest.param(
            ("    priority: 3", "    priority: 1"),
            "Goal 6: priority 3 → 1",
            id="goal priority",
        ),
        pytest.param(
            ("fentanyl precursor chemicals**", "fentanyl precursors**"),
            "Goal 3: reworded: “…all fentanyl precursor chemicals.” → “…all fentanyl precursors.”",
            id="goal reworded past what a quote shows",
        ),
        pytest.param(
            ("“We’re not going to Beijing", "“We are not going to Beijing"),
            "Key message 2: reworded: ““We’re not going",
            id="press line",
        ),
        pytest.param(
            ('address: "[address placeholder], London"', 'address: "1 Portland Place, London"'),
            "Lodging 2: [London hotel – TBC by advance team] (Tue Jun 20 – Wed Jun "
            "21); address [address placeholder], London → 1 Portland Place, London",
            id="lodging address",
        ),
        pytest.param(
            ("Departure time notional;", "Departure time now firm;"),
            "; notes reworded: “Departure time notional;",
            id="flight notes",
        ),
    ],
)
def test_each_kind_of_change_says_what_changed(tmp_path, edit, line):
    result = run_cli("diff", EXAMPLE, edited(tmp_path, "new.yaml", edit))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1] == "1 change since the memo of June 15, 2023", lines
    assert line in lines[0], lines


def test_people_added_and_removed(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8")
    at = text.index("\n  ", text.index("\npeople:\n") + 1)  # before the first person
    new = tmp_path / "new.yaml"
    new.write_text(
        text[:at] + "\n  aide: {name: Jo Aide, title: Staff Assistant, side: home}" + text[at:],
        encoding="utf-8",
    )
    result = run_cli("diff", EXAMPLE, new)
    assert "Jo Aide, Staff Assistant: added" in result.stdout
    result = run_cli("diff", new, EXAMPLE)
    assert "Jo Aide, Staff Assistant: removed" in result.stdout


def test_git_revision_reads_the_libraries_of_that_revision(tmp_path):
    """The example's people live in its library: a title changed there since the last
    commit is a change of `git:HEAD` against today's trip."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    from conftest import EXAMPLE as BOOK  # the example that includes its library

    shutil.copy(BOOK, tmp_path / "trip.yaml")
    shutil.copytree(BOOK.parent / "library", tmp_path / "library")
    git = ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "v1"], check=True)
    people = next((tmp_path / "library").glob("*people*.yaml"))
    text = people.read_text(encoding="utf-8")
    assert 'title: "Director of the Office of the Central Foreign Affairs Commission' in text
    people.write_text(
        text.replace("Director of the Office of the Central", "Head of the Office of the Central"),
        encoding="utf-8",
    )
    result = run_cli("diff", "git:HEAD", tmp_path / "trip.yaml")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Wang Yi, Head of the Office of the Central Foreign Affairs")
    assert ": title Director of the Office" in result.stdout
    assert result.stdout.rstrip().endswith("1 change since the memo of June 15, 2023")


def test_a_revision_over_the_size_cap_is_refused_by_its_size(repo):
    """git is asked the size first: a huge file in history is never read into memory."""
    from briefgen.limits import MAX_FILE_BYTES

    git = ["git", "-C", str(repo.parent), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    repo.write_text("# " + "x" * MAX_FILE_BYTES + "\n" + EXAMPLE.read_text(encoding="utf-8"))
    subprocess.run([*git, "commit", "-qam", "huge"], check=True)
    repo.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    result = run_cli("diff", "git:HEAD", repo)
    assert result.returncode == 1
    assert result.stderr.strip().endswith("MB; refused")
    assert f"git:HEAD:{repo}: larger than 5 MB; refused" in result.stderr


@pytest.mark.parametrize(
    ("language", "goal", "opening", "closing"),
    [("en", "Goal 1: ", "“", "”"), ("fr", "Objectif 1\u00a0: ", "« ", " »")],
)
def test_a_quoted_text_takes_the_quotation_marks_and_colon_of_the_books_language(
    tmp_path, language, goal, opening, closing
):
    from briefgen.diff import compare
    from briefgen.intake import read_brief
    from briefgen.language import speaking

    new = edited(tmp_path, "new.yaml", ("Re-establish open", "Re-open"))
    with speaking(language):
        changes = compare(read_brief(EXAMPLE), read_brief(new), "old", "new")
    [line] = [c.line for c in changes.changes if "Re-open" in c.line]
    assert line.startswith(goal)  # a no-break space before a French colon
    assert f"{opening}Re-establish open" in line.replace("\u00a0", " ")
    assert f"{closing} → {opening}Re-open" in line.replace("\u00a0", " ")

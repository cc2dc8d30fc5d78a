"""`build --changes-since OLD`: the changes page (book), short list (memo), one line per
changed event (card), CHANGED/NEW flags with what the event was; `memo.version` on the
cover and in every page's running footer, in every layout."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import MINIMAL, run_cli

MEETING = """  - title: Meeting with Foreign Minister Qin
    date: 2023-06-18
    start: 13:00
    end: 18:30"""


@pytest.fixture(scope="module")
def versions(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("changes")
    text = MINIMAL.read_text(encoding="utf-8")
    old = text.replace("  date: 2023-06-10\n", "  date: 2023-06-10\n  version: 3\n")
    new = (
        old.replace("version: 3", "version: 4")
        .replace(
            MEETING,
            MEETING.replace("13:00", "14:00")
            .replace("18:30", "18:45")
            .replace(
                "title: Meeting with Foreign Minister Qin",
                "title: {text: Meeting with Foreign Minister Qin, mark: SBU}",
            ),
        )
        .replace(
            "  - title: Meeting with Director Wang\n",
            "  - title: Embassy meet and greet\n"
            "    date: 2023-06-19\n    start: 09:00\n    participants: [blinken]\n"
            "  - title: Meeting with Director Wang\n",
        )
    )
    new = new.replace("military-to-military communication", "military-to-military talks")
    assert new.count("version: 4") == 1
    assert "mark: SBU" in new
    (folder / "old.yaml").write_text(old, encoding="utf-8")
    (folder / "new.yaml").write_text(new, encoding="utf-8")
    return folder / "old.yaml", folder / "new.yaml"


@pytest.fixture(scope="module")
def pages(versions) -> dict[str, list[str]]:
    from pypdf import PdfReader

    old, new = versions
    out = {}
    for layout in ("book", "memo", "card"):
        target = new.parent / f"{layout}.pdf"
        result = run_cli("build", new, "--layout", layout, "-o", target, "--changes-since", old)
        assert result.returncode == 0, result.stderr
        out[layout] = [p.extract_text() for p in PdfReader(target).pages]
    return out


def test_version_on_the_cover_and_every_page_in_every_layout(pages):
    for layout, texts in pages.items():
        assert "Version 4" in texts[0], layout
        for number, text in enumerate(texts, 1):
            assert "Version 4" in text, (layout, number)


def test_version_in_every_meeting_packet_page(versions, tmp_path):
    from pypdf import PdfReader

    target = tmp_path / "packet.pdf"
    result = run_cli("build", versions[1], "--layout", "meeting", "--event", "2", "-o", target)
    assert result.returncode == 0, result.stderr
    texts = [page.extract_text() for page in PdfReader(target).pages]
    assert texts
    assert all("Version 4" in text for text in texts)


def test_book_changes_page_right_after_the_cover_memo(pages):
    book = pages["book"]
    at = next(i for i, text in enumerate(book) if "CHANGES SINCE VERSION 3" in text)
    assert all("CONTENTS" not in text for text in book[:at])
    page = " ".join(book[at].split())
    # a re-timed SBU event is an (SBU) line; the new (U) event a (U) line
    assert (
        "(SBU) agenda[1]: 13:00–18:30 → 14:00–18:45 Beijing "
        "(01:00–06:30 → 02:00–06:45 New York)" in page
    )
    assert "(SBU) agenda[1]: title mark changed" in page
    assert "(U) agenda[2]: new: Embassy meet and greet" in page


def test_changed_and_new_events_are_flagged_where_they_appear(pages):
    book = [" ".join(text.split()) for text in pages["book"]]
    schedule = next(text for text in book if "SCHEDULE AT A GLANCE" in text)
    assert "CHANGED was 13:00–18:30" in schedule
    assert "NEW" in schedule
    sheet = next(text for text in book if "CHANGED — was 13:00–18:30" in text)
    assert "Meeting with Foreign Minister Qin" in sheet
    card = " ".join(pages["card"][0].split())
    assert "CHANGED Meeting with Foreign Minister Qin: 13:00–18:30 → 14:00–18:45" in card
    assert "NEW Embassy meet and greet" in card


def test_memo_has_a_short_note_under_its_header(pages):
    """Changed and new events are flagged in the memo's schedule at a glance (NEW, was
    13:00–18:30); the note lists only what the memo shows nowhere else."""
    memo = [" ".join(text.split()) for text in pages["memo"]]
    head, rest = memo[0].split("SUBJECT", 1)
    assert "Changes since version 3" not in head
    note = re.sub(r" ([,.])", r"\1", rest.split("PURPOSE", 1)[0])  # text after a flag
    assert (
        "(U) Changes since version 3: 4 changes; flagged in the schedule at a glance: "
        "1 CHANGED, 1 NEW." in note
    )
    assert "(U) goals[0]: reworded" in note
    assert "(SBU) agenda[1]: title mark changed" in note  # a bare CHANGED flag would hide it
    assert "13:00–18:30 →" not in note  # the flag says it: CHANGED was 13:00–18:30
    assert "new: Embassy meet and greet" not in note  # the flag says it: NEW
    schedule = next(text for text in memo if "SCHEDULE AT A GLANCE" in text)
    assert "CHANGED was 13:00–18:30" in schedule
    assert "NEW" in schedule


def test_no_changes_section_without_changes_since(versions, tmp_path):
    target = tmp_path / "plain.html"
    result = run_cli("build", versions[1], "--html", "-o", target)
    assert result.returncode == 0, result.stderr
    body = target.read_text(encoding="utf-8").split("<body", 1)[1]  # the style is inlined
    assert "Changes since" not in body
    assert "flag-changed" not in body
    assert "Version 4" in body


def test_changes_since_an_unreadable_old_writes_nothing(versions, tmp_path):
    target = tmp_path / "out.pdf"
    result = run_cli(
        "build", versions[1], "-o", target, "--changes-since", tmp_path / "missing.yaml"
    )
    assert result.returncode == 1
    assert "no such file" in result.stderr
    assert not target.exists()


def test_the_changes_templates_see_are_plain_frozen_data(versions):
    from types import MappingProxyType

    from briefgen.diff import compare
    from briefgen.render import Templates, template_context
    from briefgen.render.frozen import PLAIN_LEAVES
    from briefgen.revisions import read
    from helpers import walk

    old, new = versions
    changes = compare(read(old), read(new))
    context = template_context(
        read(new), layout="book", paper=None, templates=Templates(), changes=changes
    )
    view = context["view"]
    assert view.changes.count == 4
    assert view.changes.since == "version 3"
    from briefgen.render.marked import parts

    flags = {parts(e.event.title)[0]: e.change.word if e.change else None for e in view.schedule}
    assert flags == {
        "Arrival in Beijing": None,
        "Meeting with Foreign Minister Qin": "CHANGED",
        "Embassy meet and greet": "NEW",
        "Meeting with Director Wang": None,
    }
    for path, item in walk(view, "view"):
        assert isinstance(item, (*PLAIN_LEAVES, tuple, MappingProxyType)), path


def test_memo_without_changes_has_no_note(versions, tmp_path):
    old, _ = versions
    target = tmp_path / "same.html"
    result = run_cli(
        "build", old, "--layout", "memo", "--html", "-o", target, "--changes-since", old
    )
    assert result.returncode == 0, result.stderr
    body = target.read_text(encoding="utf-8").split("<body", 1)[1]
    assert "Changes since" not in body

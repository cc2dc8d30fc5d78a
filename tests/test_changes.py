"""`build --changes-since OLD`: the changes page (book), short list (memo), one line per
changed event (card), CHANGED/NEW flags with what the event was; `memo.version` on the
cover and in every page's running footer, in every layout."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pikepdf
import pytest

from conftest import MINIMAL, run_cli
from helpers import page_texts

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

    old, new = versions
    out = {}
    for layout in ("book", "memo", "card"):
        target = new.parent / f"{layout}.pdf"
        result = run_cli("build", new, "--layout", layout, "-o", target, "--changes-since", old)
        assert result.returncode == 0, result.stderr
        out[layout] = page_texts(target)
    return out


@pytest.mark.slow
def test_version_on_the_cover_and_every_page_in_every_layout(pages):
    for layout, texts in pages.items():
        assert "Version 4" in texts[0], layout
        for number, text in enumerate(texts, 1):
            assert "Version 4" in text, (layout, number)


def test_version_in_every_meeting_packet_page(versions, tmp_path):

    target = tmp_path / "packet.pdf"
    result = run_cli("build", versions[1], "--layout", "meeting", "--event", "2", "-o", target)
    assert result.returncode == 0, result.stderr
    texts = page_texts(target)
    assert texts
    assert all("Version 4" in text for text in texts)


def test_book_changes_page_right_after_the_cover_memo(pages):
    book = pages["book"]
    at = next(i for i, text in enumerate(book) if "CHANGES SINCE VERSION 3" in text)
    assert all("CONTENTS" not in text for text in book[:at])
    page = " ".join(book[at].split())
    # a re-timed SBU event is an (SBU) line; the new (U) event a (U) line
    # In words (issue 21): events by title and time, grouped by day; no internal keys
    page = page.replace("– ", "–")  # a line broken after a dash
    assert (
        "SUNDAY, JUNE 18, 2023 (SBU) Meeting with Foreign Minister Qin: 13:00–18:30 → "
        "14:00–18:45 Beijing (01:00–06:30 → 02:00–06:45 New York) (SBU) Meeting with Foreign "
        "Minister Qin, Sun Jun 18 14:00–18:45: title mark changed" in page
    )
    assert (
        "MONDAY, JUNE 19, 2023 (U) Embassy meet and greet: new — Mon Jun 19 09:00 Beijing" in page
    )
    assert "(U) Goal 1: reworded" in page
    assert not re.search(r"\b(agenda|people|goals|issues)[.\[]", page)


def test_changed_and_new_events_are_flagged_where_they_appear(pages):
    book = [" ".join(text.split()) for text in pages["book"]]
    schedule = next(text for text in book if "SCHEDULE AT A GLANCE" in text)
    assert "CHANGED (U) was 13:00–18:30" in schedule  # the old event's mark (issue 17)
    assert "NEW" in schedule
    sheet = next(text for text in book if "CHANGED — (U) was 13:00–18:30" in text)
    assert "Meeting with Foreign Minister Qin" in sheet
    card = " ".join(pages["card"][0].split())
    assert "CHANGED Meeting with Foreign Minister Qin: 13:00–18:30 → 14:00–18:45" in card
    assert "NEW Embassy meet and greet" in card


def test_memo_has_a_short_note_under_its_header(pages):
    """Changed and new events are flagged in the memo's schedule at a glance (NEW, was
    13:00–18:30); the note lists only what the memo shows nowhere else."""
    memo = [" ".join(text.split()) for text in pages["memo"]]
    # the header block ends with the subject (its labels are read out after it since the
    # pages merge: split on the subject's words, not the label)
    head, rest = memo[0].split("Your Travel to Beijing, June 18–20", 1)
    assert "Changes since version 3" not in head
    note = re.sub(r" ([,.])", r"\1", rest.split("PURPOSE", 1)[0])  # text after a flag
    assert (
        "(U) Changes since version 3: 4 changes; flagged in the schedule at a glance: "
        "1 CHANGED, 1 NEW." in note
    )
    assert "(U) Goal 1: reworded" in note
    assert (  # a bare CHANGED flag would hide it
        "(SBU) Meeting with Foreign Minister Qin, Sun Jun 18 14:00–18:45: title mark changed"
        in note
    )
    assert "13:00–18:30 →" not in note  # the flag says it: CHANGED was 13:00–18:30
    assert "new: Embassy meet and greet" not in note  # the flag says it: NEW
    schedule = next(text for text in memo if "SCHEDULE AT A GLANCE" in text)
    assert "CHANGED (U) was 13:00–18:30" in schedule  # the old event's mark (issue 17)
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


SEVEN = (  # a routine update of the example: seven changes, six of them to the schedule
    ('start: "09:00"', 'start: "09:30"'),
    ('start: "13:00"', 'start: "13:30"'),
    ('start: "18:00"', 'start: "18:30"'),
    ('start: "22:30"', 'start: "23:00"'),
    ("    status: tentative", "    status: confirmed"),
    ("    status: proposed", "    status: cancelled"),
    ("Re-establish open, empowered", "Re-establish open and empowered"),
)


@pytest.mark.slow
def test_memo_and_card_with_seven_changes_stay_within_their_budgets(tmp_path):
    """Issue 21: with 7 changes the memo grew to 3 pages and the card to 2. Where the list
    breaks the page budget, the version line carries `7 changes since version 3: see the
    book` instead (laid out again without the list: pdf.compact_changes)."""
    from pypdf import PdfReader

    from conftest import EXAMPLE

    shutil.copytree(EXAMPLE.parent, tmp_path, dirs_exist_ok=True)
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        "  date: 2023-06-15\n", "  date: 2023-06-15\n  version: 3\n", 1
    )
    old, new = tmp_path / "v3.yaml", tmp_path / "v4.yaml"
    old.write_text(text, encoding="utf-8")
    text = text.replace("version: 3", "version: 4", 1)
    for before, after in SEVEN:
        assert before in text, before
        text = text.replace(before, after, 1)
    new.write_text(text, encoding="utf-8")
    assert run_cli("diff", old, new).stdout.splitlines()[-1] == "7 changes since version 3"
    result = run_cli("build", new, "--layout", "memo,card", "--changes-since", old)
    assert result.returncode == 0, result.stderr
    assert "over its budget" not in result.stderr
    compact = "Version 4 · 7 changes since version 3, barred"
    for layout, budget, listed in (
        ("memo", 2, "Goal 1: reworded"),
        ("card", 4, "Cleverly: cancelled (was proposed)"),  # pocket pages
    ):
        reader = PdfReader(tmp_path / f"v4-{layout}.pdf")
        assert len(reader.pages) <= budget, layout
        first = " ".join(reader.pages[0].extract_text().split())
        # the list, or (where it would not fit) the one line instead: never both
        assert (compact in first) != (listed in first), layout
    memo = " ".join(page_texts(tmp_path / "v4-memo.pdf")[0].split())
    assert compact in memo  # the memo's list would have made it 3 pages


BAR_COLOUR = (0.121569, 0.305882, 0.611765)  # #1f4e9c, style.css


def _bars_and_rows(pdf_path: Path, heading: str):
    """The change bars (thin filled rectangles in the left margin) of the page that starts
    with `heading`, and the vertical span of each schedule row's first word."""
    import pdfplumber

    with pdfplumber.open(pdf_path) as pdf:
        page = next(
            p
            for p in pdf.pages
            if heading in (text := (p.extract_text() or "").upper())
            and "ARRIVAL IN BEIJING" in text
            and "LOCATION" in text  # the table's head: not the contents page
        )
        bars = [
            (r["top"], r["bottom"])
            for r in page.rects
            if r["width"] > 1
            and r["width"] < 4
            and r["height"] > 8
            and r["x0"] < 72
            and tuple(round(c, 6) for c in r.get("non_stroking_color") or ()) == BAR_COLOUR
        ]
        lines = page.extract_text_lines()
    return bars, lines


@pytest.mark.slow
def test_change_bars_beside_exactly_the_changed_events(pages, versions):
    """Issue 21: a bar in the margin beside every event new or changed since OLD, and none
    beside the others; read back from the PDF: the bars' vertical spans against the rows'."""
    folder = versions[1].parent
    for layout, heading in (("book", "SCHEDULE AT A GLANCE"), ("memo", "SCHEDULE AT A GLANCE")):
        bars, lines = _bars_and_rows(folder / f"{layout}.pdf", heading)
        head = next(line for line in lines if "LOCATION" in line["text"].upper())
        # (the memo's page also bars its reworded goal, above the table: issue 21)
        bars = [(top, bottom) for top, bottom in bars if top >= head["bottom"]]
        rows = {  # the first line of each row's title (a title may wrap), below the table's head
            name: next(line for line in lines if name in line["text"] and line["top"] > head["top"])
            for name in (
                "Meeting with Foreign",  # re-timed
                "Embassy meet",  # new
                "Arrival in",  # unchanged
                "Meeting with Director",  # unchanged
            )
        }

        def barred(row, bars=bars) -> bool:
            return any(
                top - 1 <= row["top"] and row["bottom"] <= bottom + 1 for top, bottom in bars
            )

        assert len(bars) == 2, (layout, bars)
        assert barred(rows["Meeting with Foreign"]), layout
        assert barred(rows["Embassy meet"]), layout
        assert not barred(rows["Arrival in"]), layout
        assert not barred(rows["Meeting with Director"]), layout
    memo = " ".join(pages["memo"][0].split())
    assert "Version 4 · changes since version 3 are barred" in memo


def _bar_marks(pdf_path: Path) -> list[list[str]]:
    """For each change bar painted (a narrow rectangle in #1f4e9c left of the text), the
    marked-content sequences it is painted in, outermost first."""
    found = []
    with pikepdf.open(pdf_path) as pdf:
        for page in pdf.pages:
            marks: list[str] = []
            fill: tuple = ()
            rect: list = []
            for operands, operator in pikepdf.parse_content_stream(page):
                op = str(operator)
                if op in ("BMC", "BDC"):
                    marks.append(str(operands[0]))
                elif op == "EMC":
                    marks.pop()
                elif op in ("rg", "sc", "scn") and len(operands) == 3:
                    fill = tuple(round(float(v), 6) for v in operands)
                elif op == "re":
                    rect = [float(v) for v in operands]
                elif op in ("f", "f*") and fill == BAR_COLOUR and rect and abs(rect[2]) < 4:
                    found.append(list(marks))
    return found


@pytest.mark.parametrize("standard", [None, "pdf/ua-1"])
@pytest.mark.slow
def test_change_bars_are_artifacts(versions, pages, standard):
    """Issue 21: the bars say nothing to a screen reader: each is painted inside an
    /Artifact sequence, and under PDF/UA-1 no structure element is left for them (the
    outloud check in test_accessible finds no empty element). The plain memo is the one
    `pages` built."""
    old, new = versions
    target = new.parent / "memo.pdf"
    if standard:
        target = new.parent / "memo-bars-ua.pdf"
        args = ["--layout", "memo", "-o", target, "--changes-since", old]
        result = run_cli("build", new, *args, "--pdf-standard", standard)
        assert result.returncode == 0, result.stderr
    bars = _bar_marks(target)
    assert len(bars) >= 2, bars  # the re-timed and the new event, the reworded goal
    assert all(marks and marks[-1] == "/Artifact" for marks in bars), bars
    if standard:
        import outloud

        findings = outloud.check(str(target)).sorted_findings()
        assert [(f.rule, f.message) for f in findings] == []

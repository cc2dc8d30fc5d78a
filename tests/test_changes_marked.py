"""`build --changes-since` against a version whose changed portions were CONFIDENTIAL
(corpus/changes/muscat-v1.yaml → muscat-v2.yaml), read back from real PDFs:

- issue 17: what a changed event *was* (its old time and place) carries the old event's
  portion mark and counts in the roll-up; a releasable edition never prints an old version
  of a withheld portion;
- issue 21: change bars beside changed goals, issue papers' points (in the paper and where
  an event pulls them in), biography paragraphs, risks and press lines, not beside what did
  not change; in the left margin, or in the outer one with `--duplex`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import CORPUS, run_cli
from helpers import everything, first_page, page_texts

OLD = CORPUS / "changes" / "muscat-v1.yaml"
NEW = CORPUS / "changes" / "muscat-v2.yaml"
BAR_COLOUR = (0.121569, 0.305882, 0.611765)  # #1f4e9c, style.css
# Words only version 1's CONFIDENTIAL portions hold.
OLD_CONFIDENTIAL = [
    "Pier Seven annex",
    "Kestrel dry dock",
    "radar gap",
    "anti-submarine serial",
    "Privately doubts",
    "frigate sale",
    "cleared in advance",
    "Duqm berthing rights",
]
# (changed: barred, unchanged neighbour: not barred), as printed in version 2.
PAIRS = [
    ("Reaffirm the maritime security", "Thank the Sultanate for hosting"),  # purpose
    ("Welcome the new coastal radar", "Agree the dates of the combined"),  # goals
    ("add a search-and-rescue serial", "We value the exercise as the"),  # points to make
    ("Speaks fluent English", "Served as chief of the naval staff"),  # bio paragraphs
    ("The minister may raise the", "Weather may close the harbour"),  # risks
    ("We look forward to the spring", "The partnership keeps the sea"),  # key messages
    ("That is a question for the", "We expect a modest increase"),  # Q&A pairs (answers)
]


# Version 2 with a changed event whose sheet runs over three pages (60 notes).
NOTES = [
    f"Note {i:02d} on the dry dock visit, long enough to fill a line of the sheet."
    for i in range(60)
]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("changes-marked")
    shutil.copy(OLD, folder / "v1.yaml")
    shutil.copy(NEW, folder / "v2.yaml")
    notes = "".join(f"      - {note}\n" for note in NOTES)
    text = NEW.read_text(encoding="utf-8").replace(
        "    location: Main gate\n", "    location: Main gate\n    notes:\n" + notes
    )
    assert text.count("Note ") == 60
    (folder / "long.yaml").write_text(text, encoding="utf-8")
    runs = [
        ["v2.yaml", "--layout", "book", "-o", "book.pdf"],
        # the one duplex book: version 2 with the long sheet (both duplex tests read it)
        ["long.yaml", "--layout", "book", "--duplex", "-o", "duplex.pdf"],
        ["v2.yaml", "--layout", "meeting", "--event", "dock-visit", "-o", "packet.pdf"],
        ["v2.yaml", "--layout", "book", "--release", "U", "-o", "rel-u.pdf"],
        [
            "v2.yaml",
            "--layout",
            "meeting",
            "--event",
            "dock-visit",
            "--release",
            "U",
            "-o",
            "u-packet.pdf",
        ],
        ["v2.yaml", "--layout", "book", "--release-to", "OMN", "-o", "rel-omn.pdf"],
        ["v2.yaml", "--layout", "memo", "--release-to", "OMN", "-o", "rel-omn-memo.pdf"],
    ]
    for args in runs:
        result = run_cli("build", *args, "--changes-since", "v1.yaml", cwd=folder)
        assert result.returncode == 0, (args, result.stderr)
    return folder


def _plain(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.slow
def test_what_an_event_was_carries_the_old_events_mark_and_raises_the_banner(built):
    """The dry-dock visit was C//NF at 14:00 at the Pier Seven annex: its packet says so
    under that mark, and is bannered (and carries the authority block) as what it prints.
    (The old code printed it unmarked under UNCLASSIFIED.)"""
    packet = first_page(built / "packet.pdf")
    assert "(C//NF) was 14:00–15:00; was at Pier Seven annex" in packet
    assert "CONFIDENTIAL//NOFORN" in packet
    assert "Classified By" in packet
    assert "UNCLASSIFIED" not in everything(built / "packet.pdf")

    book = [_plain(text) for text in page_texts(built / "book.pdf")]
    schedule = next(text for text in book if "SCHEDULE AT A GLANCE" in text)
    assert "CHANGED (C//NF) was 14:00–" in schedule


@pytest.mark.parametrize("name", ["rel-u.pdf", "u-packet.pdf", "rel-omn.pdf", "rel-omn-memo.pdf"])
@pytest.mark.slow
def test_an_edition_never_prints_an_old_version_of_a_withheld_portion(built, name):
    """Editions compare with version 1 cut to the same edition: none of its CONFIDENTIAL
    words (old texts, the old event's place), and no classified marking, anywhere in the
    file (every string and stream)."""
    text = everything(built / name)
    for words in OLD_CONFIDENTIAL:
        assert words.lower() not in text.lower(), (name, words)
    for marking in ("CONFIDENTIAL", "NOFORN", "(C)", "Classified By"):
        assert marking not in text, (name, marking)
    assert "Changes since version 1" in text or name.endswith("packet.pdf") or "memo" in name


def _bars_and_matches(path: Path, phrases: list[str]):
    """Per page: (page number, its width, the bars' (x0, top, bottom), each phrase's
    occurrences (top, bottom)) for the pages where a phrase is printed as a portion (not
    the changes page, which quotes them)."""
    import pdfplumber

    out = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            found = {p: [(m["top"], m["bottom"]) for m in page.search(p)] for p in phrases}
            if not any(found.values()) or "reworded:" in (page.extract_text() or ""):
                continue
            bars = [
                (r["x0"], r["top"], r["bottom"])
                for r in page.rects
                if 1 < r["width"] < 4
                and r["height"] > 6
                and tuple(round(c, 6) for c in r.get("non_stroking_color") or ()) == BAR_COLOUR
            ]
            out.append((number, page.width, bars, found))
    return out


def _barred(line, bars) -> list[float]:
    """The x of each bar beside a line (spanning it)."""
    top, bottom = line
    return [x for x, t, b in bars if t - 1 <= top and bottom <= b + 1]


@pytest.mark.slow
def test_change_bars_beside_changed_portions_and_not_their_neighbours(built):
    """Every changed goal, point to make (in its paper and in the event sheet that pulls it
    in), bio paragraph, risk and key message has a bar in the left margin; the unchanged one
    beside it has none. (The old code barred events only.)"""
    pages = _bars_and_matches(built / "book.pdf", [p for pair in PAIRS for p in pair])
    seen = set()
    for number, _width, bars, found in pages:
        for changed, unchanged in PAIRS:
            for line in found[changed]:
                xs = _barred(line, bars)
                assert xs, (number, changed, bars)
                assert all(x < 72 for x in xs), (number, changed, xs)  # the left margin
                seen.add(changed)
            for line in found[unchanged]:
                assert not _barred(line, bars), (number, unchanged)
    assert seen == {changed for changed, _ in PAIRS}
    points = [n for n, _, _, found in pages if found["add a search-and-rescue serial"]]
    assert len(points) >= 2  # the issue paper and the call's event sheet


@pytest.mark.slow
def test_a_new_paper_and_a_person_whose_title_changed_are_barred_whole(built):
    """An issue paper added since version 1: one bar beside the whole paper, its title and
    its background; a person whose title changed: beside the whole biography, name to last
    paragraph."""
    whole = {
        "Harbour fees": "The port charges foreign navies",
        "Salim al-Rawahi": "Ran the Sohar port authority",
    }
    pages = _bars_and_matches(built / "book.pdf", [*whole, *whole.values()])
    checked = set()
    for number, _width, bars, found in pages:
        for head, body in whole.items():
            if not found[body]:
                continue  # not the paper or the biography itself (a participants list)
            # the heading right above the body (not the same name in a participants table)
            top = max(t for t, _ in found[head] if t < found[body][0][0])
            bottom = found[body][-1][1]
            assert _barred((top, bottom), bars), (number, head)
            checked.add(head)
    assert checked == set(whole)


@pytest.mark.slow
def test_duplex_puts_change_bars_in_the_outer_margin(built):
    """Right-hand (odd) pages: the bar right of the text; left-hand (even) pages: left of it.
    Checked on at least one page of each side."""
    phrases = [changed for changed, _ in PAIRS] + ["Visit to the dry dock"]
    sides = set()
    for number, width, bars, found in _bars_and_matches(built / "duplex.pdf", phrases):
        for phrase in phrases:
            for line in found[phrase]:
                xs = _barred(line, bars)
                if phrase == "Visit to the dry dock" and not xs:
                    continue  # the title in the timeline and the running head: not a portion
                assert xs, (number, phrase)
                if number % 2:  # a right-hand page: outer margin on the right
                    assert all(x > width - 72 for x in xs), (number, phrase, xs)
                    sides.add("right")
                else:
                    assert all(x < 72 for x in xs), (number, phrase, xs)
                    sides.add("left")
    assert sides == {"left", "right"}


@pytest.mark.slow
def test_a_changed_event_sheet_over_pages_is_barred_on_each(built):
    """A changed event whose sheet runs over three pages: a bar beside it on every page it
    reaches, in each page's outer margin, spanning its lines there. (The first version
    barred only its first page.)"""
    pages = _bars_and_matches(built / "duplex.pdf", [f"Note {i:02d}" for i in range(60)])
    assert len(pages) >= 2
    for number, width, bars, found in pages:
        lines = [line for spans in found.values() for line in spans]
        top, bottom = min(t for t, _ in lines), max(b for _, b in lines)
        xs = _barred((top, bottom), bars)
        assert xs, (number, bars)
        assert all((x > width - 72) if number % 2 else (x < 72) for x in xs), (number, xs)


@pytest.mark.slow
def test_an_editions_read_back_also_looks_for_what_the_old_versions_edition_withheld(built):
    """With --changes-since, the edition's own read-back (leaks.py) looks for version 1's
    withheld words too: the full book, whose changes page quotes them, fails it; the
    edition passes. (Version 2 withholds nothing at U: before, the read-back looked for
    nothing and passed the full book.)"""
    from briefgen import editions, leaks
    from briefgen.edition_since import compared
    from briefgen.intake import read_brief

    new = editions.release(read_brief(built / "v2.yaml"), "U")
    assert new.brief.withheld is not None
    full = (built / "book.pdf").read_bytes()
    assert "verified" in leaks.check(new.brief.withheld.lookout, full, new.total)
    _, brief = compared(read_brief(built / "v1.yaml"), new)
    assert brief.withheld is not None
    with pytest.raises(leaks.Leak, match="withheld text appears in the PDF"):
        leaks.check(brief.withheld.lookout, full, new.total)
    edition = (built / "rel-u.pdf").read_bytes()
    assert "verified" in leaks.check(brief.withheld.lookout, edition, new.total)


@pytest.mark.slow
def test_a_line_quoting_a_risks_old_mitigation_carries_its_mark(tmp_path):
    """A risk whose CONFIDENTIAL mitigation was reworded: the line quoting the old words is
    (C) in `diff --format json` and on the book's changes page.
    (The old code marked it by the risk's own text: (U) under an UNCLASSIFIED banner.)"""
    import json

    risk = "  - text: Weather may close the harbour on the second day.\n    likelihood: low\n"
    new = NEW.read_text(encoding="utf-8")
    old = OLD.read_text(encoding="utf-8")
    assert risk in new
    assert risk in old
    (tmp_path / "v2.yaml").write_text(
        new.replace(risk, risk + "    mitigation: Move the call to the airport lounge.\n"),
        encoding="utf-8",
    )
    (tmp_path / "v1.yaml").write_text(
        old.replace(
            risk,
            risk + "    mitigation: {text: Fall back to the Seeb naval annex., mark: C}\n",
        ),
        encoding="utf-8",
    )
    result = run_cli("diff", "v1.yaml", "v2.yaml", "--format", "json", cwd=tmp_path)
    changes = json.loads(result.stdout)["changes"]
    line = next(c for c in changes if "Seeb naval annex" in c["text"])
    assert line["mark"] == "C", line
    result = run_cli("build", "v2.yaml", "--changes-since", "v1.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    pages = [_plain(text) for text in page_texts(tmp_path / "v2.pdf")]
    page = next(p for p in pages if "Seeb naval annex" in p)  # the changes page
    assert "(C) Risk 1: mitigation reworded: “Fall back to the Seeb naval annex.”" in page


@pytest.mark.slow
def test_a_portion_marked_higher_since_is_neither_quoted_nor_said_removed(tmp_path):
    """Version 2 marks NOFORN an event and a goal that version 1 had unclassified (same
    words, same id). The Oman edition with --changes-since version 1 builds, verified, and
    says nothing of them: not their words, not "removed", not the person seen only there.
    (The old code quoted them from version 1, and its own read-back failed the build.)"""
    text = NEW.read_text(encoding="utf-8")
    marked = text.replace(
        "  - title: Visit to the dry dock\n",
        "  - title: {text: Visit to the dry dock, mark: C//NF}\n",
    ).replace(
        "  - Welcome the new coastal radar station at Ras al Hadd.\n",
        "  - {text: Welcome the new coastal radar station at Ras al Hadd., mark: C//NF}\n",
    )
    assert marked.count("C//NF") == 2
    (tmp_path / "v1.yaml").write_text(text.replace("version: 2", "version: 1"), encoding="utf-8")
    (tmp_path / "v2.yaml").write_text(marked, encoding="utf-8")
    args = ["v2.yaml", "--release-to", "OMN", "-o", "e.pdf", "--changes-since", "v1.yaml"]
    result = run_cli("build", *args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "withheld 2 portions; verified: none appears in the PDF" in result.stderr
    found = everything(tmp_path / "e.pdf")
    for words in ("Visit to the dry dock", "coastal radar station", "Salim al-Rawahi", "removed"):
        assert words not in found, words
    assert "No changes." in found


@pytest.mark.slow
def test_a_portion_raised_and_reworded_since_is_neither_quoted_nor_said_changed(tmp_path):
    """Version 2 rewords and marks C//NF a goal, a biography paragraph and an event without
    an id that version 1 had unclassified, and marks the issue paper an event pulls in. The
    Oman edition says nothing of them: the goal's old words were quoted as removed, the
    event as removed, the person's bio as reworded, and the event that pulls the paper in
    was flagged CHANGED (found by an outside attack)."""
    text = NEW.read_text(encoding="utf-8").replace("    id: dock-visit\n", "")
    old = text.replace("version: 2", "version: 1")
    goal = "  - Welcome the new coastal radar station at Ras al Hadd.\n"
    bio = '"Ran the Sohar port authority for a decade."'
    new = (
        text.replace(
            goal, "  - {text: Welcome the new coastal radar station on Monday., mark: C//NF}\n"
        )
        .replace(bio, '{text: "Ran the Sohar port authority for a decade and more.", mark: C//NF}')
        .replace(
            "  - title: Visit to the dry dock\n",
            "  - title: {text: Visit to the old dry dock, mark: C//NF}\n",
        )
        .replace(
            "    title: The spring exercise\n",
            "    title: {text: The spring exercise, mark: C//NF}\n",
        )
    )
    assert new.count("C//NF") == 4
    (tmp_path / "v1.yaml").write_text(old, encoding="utf-8")
    (tmp_path / "v2.yaml").write_text(new, encoding="utf-8")
    args = ["v2.yaml", "--release-to", "OMN", "-o", "e.pdf", "--changes-since", "v1.yaml"]
    result = run_cli("build", *args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    found = everything(tmp_path / "e.pdf")
    for words in ("radar station", "Sohar port", "dry dock", "removed", "reworded", "CHANGED"):
        assert words not in found, words
    assert "No changes." in found


def test_what_keeps_the_older_version_from_an_edition_names_the_older_version(tmp_path):
    """Its subject marked S, version 1 cannot be cut to a U edition: the error named version
    2's file, where the subject is releasable (found by an outside attack)."""
    text = NEW.read_text(encoding="utf-8")
    subject = next(line for line in text.splitlines() if line.startswith("  subject: "))
    secret = f'  subject: {{text: "{subject.split(": ", 1)[1]}", mark: S}}'
    (tmp_path / "v1.yaml").write_text(text.replace(subject, secret), encoding="utf-8")
    (tmp_path / "v2.yaml").write_text(text, encoding="utf-8")
    args = ["v2.yaml", "--release", "U", "-o", "e.pdf", "--changes-since", "v1.yaml"]
    result = run_cli("build", *args, cwd=tmp_path)
    assert result.returncode == 1
    assert "v1.yaml (the version --changes-since compares with): memo.subject" in result.stderr
    assert not (tmp_path / "e.pdf").exists()


def test_an_edition_never_says_removed_of_a_reworded_paper_or_person_it_withholds(tmp_path):
    """Version 1 had an unclassified issue paper "Duqm port" and "Z. Hartwell"; version 2
    rewords both and withholds them (S). Matched by text alone, the U edition's changes
    page said both were removed, telling that something about Duqm and that person exists
    (found by an outside attack); they are matched by id too."""
    for version in ("v1", "v2"):
        shutil.copy(CORPUS / "changes" / f"reworded-{version}.yaml", tmp_path)
    out = tmp_path / "memo.pdf"
    args = ["--release", "U", "--changes-since", "reworded-v1.yaml", "--layout", "memo"]
    result = run_cli("build", "reworded-v2.yaml", *args, "-o", out, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    held = everything(out)
    for told in ("removed", "Hartwell", "Duqm"):
        assert told not in held, told

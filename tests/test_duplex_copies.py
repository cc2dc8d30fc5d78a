"""Printing for meetings (issue 10) §4 and §5: double-sided printing (`--duplex`,
`output.duplex`) and numbered copies (`--copies N|all`, `memo.distribution`).

Real builds of the small two-country trip (`corpus/good/printing.yaml`), read back with poppler
and pypdf: one duplex book and card (from the trip's `output.duplex`), one set of numbered memos."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from conftest import CORPUS, run_cli
from helpers import page_runs, page_texts

TRIP = CORPUS / "good" / "printing.yaml"
BLANK = "This page intentionally left blank"
TITLE = "Deputy Secretary\u2019s Travel to Kenya and Ethiopia"  # the running head on the left
NAMES = ["The Deputy Secretary", "Amb. Harlan", "Desk Officer Kenya"]  # memo.distribution
TABS = {
    "Contents",
    "Schedule at a glance",
    "Event sheets",
    "Issue papers",
    "Press and Q&A",
    "Participants",
    "Biographies",
    "Contacts",
}
INCH = 72.0


def runs(path: Path, number: int) -> list[tuple[str, float, float]]:
    """(text, x, y) of each run of words on page `number`, in points from the bottom left
    (y: the bottom of the words' boxes)."""
    return [(run.text, run.x, run.y) for run in page_runs(path)[number - 1].runs]


def outline_pages(reader: PdfReader, items=None, depth: int = 0) -> list[tuple[int, str, int]]:
    """(depth, title, page number) of every bookmark, in order."""
    found = []
    for item in reader.outline if items is None else items:
        if isinstance(item, list):
            found += outline_pages(reader, item, depth + 1)
        else:
            found.append((depth, item.title, reader.get_destination_page_number(item) + 1))
    return found


def page_card(folder: Path) -> None:
    """The trip, its card printed on one sheet (`output.card: page`)."""
    text = TRIP.read_text(encoding="utf-8") + "output: {card: page}\n"
    (folder / "trip.yaml").write_text(text, encoding="utf-8")


def build(folder: Path, *args, output: str | None = None) -> tuple[Path, str]:
    trip = folder / "trip.yaml"
    if not trip.exists():
        trip.write_bytes(TRIP.read_bytes())
    result = run_cli("build", trip, *args, "-j", "1")
    assert result.returncode == 0, result.stderr
    return trip, result.stdout + result.stderr


# ---------------------------------------------------------------- §4 double-sided printing


@pytest.fixture(scope="module")
def duplex(tmp_path_factory) -> dict:
    """The book and card of the trip with `output: {duplex: true}` (no --duplex flag)."""
    folder = tmp_path_factory.mktemp("duplex")
    (folder / "trip.yaml").write_text(
        TRIP.read_text(encoding="utf-8") + "output: {duplex: true, card: page}\n",
        encoding="utf-8",
    )
    _, said = build(folder, "--layout", "book,card")
    return {
        "book": folder / "trip.pdf",
        "card": folder / "trip-card.pdf",
        "said": said,
    }


@pytest.mark.slow
def test_every_tab_starts_on_a_right_hand_page(duplex):
    reader = PdfReader(duplex["book"])
    tabs = {
        title: page for depth, title, page in outline_pages(reader) if depth == 0 and title in TABS
    }
    assert set(tabs) == TABS  # every tab of the trip is there
    assert {title: page % 2 for title, page in tabs.items()} == dict.fromkeys(TABS, 1), tabs
    first = page_texts(duplex["book"])[0]
    assert BLANK not in first
    assert "BRIEFING MEMO" in first
    assert len(reader.pages) % 2 == 0


@pytest.mark.slow
def test_blank_left_pages_say_so_with_banners_and_without_running_heads(duplex):
    pages = page_texts(duplex["book"])
    blank = [number for number, text in enumerate(pages, 1) if BLANK in text]
    assert len(blank) >= 3, blank
    assert all(number % 2 == 0 for number in blank), blank
    # The tabs' first pages follow them; the last page closes the even count.
    assert blank[-1] == len(pages)
    for number in blank:
        height = page_runs(duplex["book"])[number - 1].height
        found = sorted(runs(duplex["book"], number), key=lambda run: -run[2])  # top to bottom
        texts = [text for text, _, _ in found]
        assert texts == ["SECRET", BLANK, f"Page {number} of {len(pages)}", "SECRET"], (
            number,
            texts,
        )  # both banners, no running head
        assert found[0][2] > height - 0.5 * INCH
        assert found[-1][2] < 0.5 * INCH
        assert height * 0.3 < found[1][2] < height * 0.8  # in the page, not in a margin
    # A page that is not blank has its running heads.
    assert TITLE in pages[blank[0]]


@pytest.mark.slow
def test_margins_mirror_around_the_gutter_and_page_numbers_sit_outside(duplex):
    width = page_runs(duplex["book"])[0].width
    edges = {}
    for number in range(1, len(page_runs(duplex["book"])) + 1):
        found = runs(duplex["book"], number)
        ((x, _),) = [(x, y) for text, x, y in found if text.startswith("Page ")]
        body = [x for text, x, y in found if 1.2 * INCH < y < 9.5 * INCH and text != BLANK]
        if number % 2:  # right-hand page: gutter on the left, number on the right
            assert x > width / 2, number
        else:
            assert x == pytest.approx(0.6 * INCH, abs=1), number
        if body:
            edges[number] = min(body)
    gutter = {number: (1.1 if number % 2 else 0.6) * INCH for number in edges}
    assert all(edges[n] > gutter[n] - 1 for n in edges), edges  # nothing in the gutter
    flush = [n for n in edges if edges[n] == pytest.approx(gutter[n], abs=1)]
    assert len(flush) >= 0.8 * len(edges), edges
    assert {n % 2 for n in flush} == {0, 1}, edges


@pytest.mark.slow
def test_a_one_page_card_gets_a_blank_back_within_its_budget(duplex):
    pages = page_texts(duplex["card"])
    assert len(pages) == 2
    assert BLANK not in pages[0]
    assert BLANK in pages[1]
    assert "budget" not in duplex["said"]  # the closing page is not counted as an overflow


# ---------------------------------------------------------------- §5 numbered copies


@pytest.fixture(scope="module")
def copies(tmp_path_factory) -> dict:
    """The one-page memo, --duplex, one copy per name of memo.distribution."""
    folder = tmp_path_factory.mktemp("copies")
    _, said = build(folder, "--layout", "memo", "--duplex", "--copies", "all")
    return {"memo": folder / "trip-memo.pdf", "said": said, "folder": folder}


@pytest.mark.slow
def test_each_copy_starts_a_new_sheet_and_every_page_says_whose_it_is(copies):
    pages = page_texts(copies["memo"])
    assert len(pages) == 2 * len(NAMES)  # a one-page memo and its blank back, 3 times
    for number, text in enumerate(pages, 1):
        k = (number + 1) // 2
        assert f"Copy {k} of 3 · {NAMES[k - 1]}" in text, (number, text)
        assert ("BRIEFING MEMO" in text) == (number % 2 == 1)  # each copy on a right page
        assert [n for n in range(1, 4) if f"Copy {n} of" in text] == [k]
    bookmarks = outline_pages(PdfReader(copies["memo"]))
    assert [(title, page) for depth, title, page in bookmarks if depth == 0] == [
        (f"Copy {k} of 3 · {name}", 2 * k - 1) for k, name in enumerate(NAMES, 1)
    ]
    assert [page for depth, title, page in bookmarks if title == "Purpose"] == [1, 3, 5]


@pytest.mark.slow
def test_the_copy_mark_sits_on_the_inner_edge_opposite_the_page_number(copies):
    width = page_runs(copies["memo"])[0].width
    for number in range(1, len(page_runs(copies["memo"])) + 1):
        found = runs(copies["memo"], number)
        ((mark,),) = [[x for text, x, _ in found if text.startswith("Copy ")]]
        ((count,),) = [[x for text, x, _ in found if text.startswith("Page ")]]
        if number % 2:
            assert mark == pytest.approx(1.1 * INCH, abs=1)
            assert count > width / 2
        else:
            assert mark > width / 2
            assert count == pytest.approx(0.6 * INCH, abs=1)


@pytest.mark.slow
def test_the_cover_memo_lists_the_distribution(copies):
    text = " ".join(page_texts(copies["memo"])[0].split())
    assert "DISTRIBUTION: 1 The Deputy Secretary · 2 Amb. Harlan · 3 Desk Officer Kenya" in text


@pytest.mark.slow
def test_a_number_of_copies_without_duplex(tmp_path):
    """`--copies 4` with three names: copy 4 has no name; pages follow one another, with no
    blank page (the flag and the trip setting are off: the one-sheet card on one page)."""
    page_card(tmp_path)
    build(tmp_path, "--layout", "card", "--copies", "4", output=None)
    texts = page_texts(tmp_path / "trip-card.pdf")
    assert len(texts) == 4
    assert not [text for text in texts if BLANK in text]
    assert [f"Copy {k} of 4 · {NAMES[k - 1]}" in texts[k - 1] for k in (1, 2, 3)] == [True] * 3
    assert "Copy 4 of 4" in texts[3]
    assert "·" not in texts[3].split("Copy 4 of 4")[1][:3]


@pytest.mark.slow
def test_a_copy_mark_cut_short_reads_back_as_it_shows(tmp_path):
    """A mark too long for its corner ends in an ellipsis, and its text in the PDF is the
    words it shows: WeasyPrint 70 gave the ellipsis the text the first cut removed, so copy
    2's mark read back with copy 1's holder's missing words (pdf/ellipsis.py)."""
    holders = [
        "The Deputy Secretary of State for Management and Resources in Room 7208",
        "Amb. Harlan of the Embassy of the United States in Nairobi and Addis Ababa",
        "Desk Officer Kenya",
    ]
    text = TRIP.read_text(encoding="utf-8").replace(
        "  distribution: [The Deputy Secretary, Amb. Harlan, Desk Officer Kenya]",
        f'  version: "4 – schedule as of Apr 12, 18:00"\n  distribution: [{", ".join(holders)}]',
    )
    assert "Room 7208" in text
    (tmp_path / "trip.yaml").write_text(text, encoding="utf-8")
    build(tmp_path, "--layout", "card", "--copies", "all")
    texts = page_texts(tmp_path / "trip-card.pdf")
    per_copy = len(texts) // 3
    for number, page in enumerate(texts):
        k = number // per_copy + 1
        whole = f"Copy {k} of 3 · {holders[k - 1]} · Version 4 – schedule as of Apr 12, 18:00"
        (mark,) = [line.strip() for line in page.splitlines() if line.strip().startswith("Copy ")]
        assert mark.endswith("…"), mark
        assert whole.startswith(mark[:-1].rstrip()), (number, mark)
        assert len(mark) > len(f"Copy {k} of 3 · ") + 5, mark  # the cut keeps what fits


@pytest.mark.slow
def test_a_copy_mark_takes_the_look_of_the_house_footer_it_replaces(tmp_path):
    """A house style's footer in blue bold, centred in its box: the copy's mark, in the
    corner of the line it replaces, prints in that look, not in the built-in grey."""
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "style.css").write_text(
        "@page { @bottom-left { color: #0b4f8a; font-weight: bold; vertical-align: middle;"
        " padding-top: 0 } @bottom-right { color: #0b4f8a; font-weight: bold;"
        " vertical-align: middle; padding-top: 0 } }\n",
        encoding="utf-8",
    )
    build(tmp_path, "--layout", "memo", "--copies", "2")
    with pdfplumber.open(tmp_path / "trip-memo.pdf") as pdf:
        for page in pdf.pages:
            words = page.extract_words(extra_attrs=["fontname", "non_stroking_color"])
            mark = next(word for word in words if word["text"] == "Copy")
            number = next(word for word in words if word["text"] == "Page")
            assert "Bold" in mark["fontname"], mark
            assert mark["non_stroking_color"] == number["non_stroking_color"], (mark, number)
            assert mark["top"] == pytest.approx(number["top"], abs=0.5)


@pytest.mark.slow
def test_a_copy_mark_without_a_footer_to_replace_stays_in_its_half_of_the_page(tmp_path):
    """A house style numbering the pages at the top and printing no footer: the mark takes
    the bottom left, within the left half of the page's area."""
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "style.css").write_text(
        '@page { @top-right { content: "Page " counter(page) " of " counter(pages) }'
        " @bottom-left { content: none } @bottom-right { content: none } }\n",
        encoding="utf-8",
    )
    text = TRIP.read_text(encoding="utf-8").replace(
        "Amb. Harlan,", "Amb. Harlan of the Embassy of the United States in Nairobi and Addis,"
    )
    (tmp_path / "trip.yaml").write_text(text, encoding="utf-8")
    build(tmp_path, "--layout", "memo", "--copies", "2")
    with pdfplumber.open(tmp_path / "trip-memo.pdf") as pdf:
        for page in pdf.pages:
            line = [w for w in page.extract_words() if w["top"] > page.height - 72]
            mark = [w for w in line if w["x0"] < page.width / 2]
            assert [w["text"] for w in mark[:1]] == ["Copy"], line
            assert max(w["x1"] for w in mark) < page.width / 2, mark


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--copies", "0"], "give a number of copies from 1 to 500"),
        (["--copies", "501"], "give a number of copies from 1 to 500"),
        (["--copies", "some"], "give a number of copies from 1 to 500"),
        (["--copies", "2", "--html"], "numbered copies are printed in a PDF"),
    ],
)
def test_bad_copies_are_one_line_usage_errors_writing_nothing(tmp_path, args, message):
    trip = tmp_path / "trip.yaml"
    trip.write_bytes(TRIP.read_bytes())
    result = run_cli("build", trip, *args)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert "--copies" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["trip.yaml"]


def test_copies_all_without_a_distribution_is_a_usage_error(tmp_path):
    trip = tmp_path / "trip.yaml"
    trip.write_text(
        TRIP.read_text(encoding="utf-8").replace(
            "  distribution: [The Deputy Secretary, Amb. Harlan, Desk Officer Kenya]\n", ""
        ),
        encoding="utf-8",
    )
    result = run_cli("build", trip, "--copies", "all")
    assert result.returncode == 2
    assert (
        "--copies all makes one copy per name of memo.distribution, and the trip has "
        "none" in result.stderr
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["trip.yaml"]

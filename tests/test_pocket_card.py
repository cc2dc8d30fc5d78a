"""Issue 16, item 6: a real pocket card. By default the card prints on pocket pages (4x6 in
with letter paper, A6 with A4) in one column, text of 8 pt, times that wrap in their own
column, the banner at the top and bottom of every pocket page, as many pages as it needs
(four at most for the example); `output.card: page` keeps the one-sheet card. Read back
from the PDFs with pdfplumber: page sizes in points, font sizes, characters printed over
characters."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import nullcontext
from pathlib import Path

import pdfplumber
import pytest

from conftest import CORPUS, EXAMPLE, MINIMAL, laid_out, run_cli
from helpers import crowded_trip, page_runs
from layout_checks import violations

BANNER = "SENSITIVE BUT UNCLASSIFIED"
LETTER_POCKET = (288.0, 432.0)  # 4 x 6 in
A6 = (297.64, 419.53)  # 105 x 148 mm

# The minimal trip with a dinner past midnight (the time that overprinted its neighbour),
# a very long version (that ran into the bottom banner), and a native name written as the
# name is (printed twice).
LATE = (
    MINIMAL.read_text(encoding="utf-8")
    .replace(
        "  date: 2023-06-10\n",
        "  date: 2023-06-10\n  version: 4 – schedule as of June 15 after the advance team's "
        "visit, with the Embassy's comments and the protocol office's seating plan\n",
        1,
    )
    .replace("wang-yi: {name: Wang Yi,", "wang-yi: {name: Wang Yi, native_name: Wang Yi,", 1)
    .replace(
        "agenda:\n",
        "agenda:\n  - {title: Late dinner hosted by the Ambassador, date: 2023-06-18, "
        'start: "19:30", end: "00:30", kind: meal}\n',
        1,
    )
)

LONE = """\
briefgen: 1
memo: {to: The Secretary, from: Desk, date: 2027-01-01, subject: Day trip}
trip:
  title: Day trip
  principal: sec
  home_timezone: America/New_York
  start: 2027-06-17
  end: 2027-06-17
  stops: [{place: Ottawa, timezone: America/Toronto, from: 2027-06-17}]
purpose: Talk.
goals: [Talk.]
people:
  sec: {name: Pat Doe, title: Secretary, side: home}
agenda:
  - {title: Talks, date: 2027-06-17, start: "10:00", end: "12:00", participants: [sec]}
"""  # nobody to list in who's who


def _upright(chars):
    """The characters set straight (the watermark is turned: it is meant to lie under)."""
    return [c for c in chars if abs(c["matrix"][1]) < 0.01 and abs(c["matrix"][2]) < 0.01]


def printed_over(page) -> list[str]:
    """Pairs of characters whose boxes overlap by more than half a point both ways, but for
    neighbours in the text (a kerned pair such as `Ta`)."""
    chars = sorted(enumerate(_upright(page.chars)), key=lambda ic: ic[1]["x0"])
    found = []
    for n, (i, a) in enumerate(chars):
        for j, b in chars[n + 1 :]:
            if b["x0"] > a["x1"] - 0.5:
                break
            overlap = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
            if overlap > 0.5 and not (abs(i - j) == 1 and abs(a["top"] - b["top"]) < 0.5):
                found.append(f"{a['text']!r}@{a['x0']:.0f},{a['top']:.0f} over {b['text']!r}")
    return found


def straight(page):
    """The page without its watermark (turned characters)."""
    return page.filter(lambda o: o.get("object_type") != "char" or abs(o["matrix"][1]) < 0.01)


def text_of(pdf) -> str:
    return " ".join(" ".join(straight(p).extract_text() for p in pdf.pages).split())


def lines_of(page) -> list[str]:
    words = straight(page).extract_words(keep_blank_chars=True)
    rows: dict[int, list] = {}
    for w in words:
        rows.setdefault(round(w["top"]), []).append(w)
    return [
        " ".join(w["text"] for w in sorted(ws, key=lambda w: w["x0"]))
        for _, ws in sorted(rows.items())
    ]


@pytest.fixture(scope="module")
def cards(tmp_path_factory, example_as) -> Iterator[dict[str, pdfplumber.PDF]]:
    """The example's card with letter and A4 paper, its one-sheet card, and the late trip's
    pocket and one-sheet cards, opened once for the module (pdfplumber reads each page's
    characters once, and the tests read the same cards many times). The example's letter
    card is the session's (conftest.example_as), which other modules read too; its budget:
    test_layouts.py::test_example_layouts_fit_their_budgets."""
    folder = tmp_path_factory.mktemp("cards")
    shutil.copytree(EXAMPLE.parent, folder, dirs_exist_ok=True)
    sheet = folder / "sheet.yaml"
    sheet.write_text(EXAMPLE.read_text(encoding="utf-8") + "output: {card: page}\n", "utf-8")
    late, late_sheet = folder / "late.yaml", folder / "late-sheet.yaml"
    late.write_text(LATE, encoding="utf-8")
    late_sheet.write_text(LATE + "output: {card: page}\n", encoding="utf-8")
    (folder / "lone.yaml").write_text(LONE, encoding="utf-8")
    made = {"letter": pdfplumber.open(example_as("card"))}
    for name, trip, args in (
        ("a4", folder / EXAMPLE.name, ["--paper", "a4"]),
        ("sheet", sheet, []),
        ("late", late, []),
        ("late-sheet", late_sheet, []),
        ("lone", folder / "lone.yaml", []),
    ):
        out = folder / f"{name}-card.pdf"
        result = run_cli("build", trip, "--layout", "card", *args, "-o", out)
        assert result.returncode == 0, result.stderr
        assert "budget" not in result.stderr, result.stderr
        made[name] = pdfplumber.open(out)
    yield made
    for pdf in made.values():
        pdf.close()


@pytest.mark.parametrize(("name", "size"), [("letter", LETTER_POCKET), ("a4", A6)])
@pytest.mark.slow
def test_the_example_card_is_on_at_most_four_pocket_pages(cards, name, size):
    with nullcontext(cards[name]) as pdf:
        assert 2 <= len(pdf.pages) <= 4
        for page in pdf.pages:
            assert (page.width, page.height) == pytest.approx(size, abs=0.05)


@pytest.mark.slow
def test_output_card_page_keeps_the_one_sheet_card(cards):
    with nullcontext(cards["sheet"]) as pdf:
        assert len(pdf.pages) == 1
        assert (pdf.pages[0].width, pdf.pages[0].height) == (612, 792)


@pytest.mark.parametrize("name", ["letter", "a4", "late"])
@pytest.mark.slow
def test_no_text_under_eight_points(cards, name):
    with nullcontext(cards[name]) as pdf:
        sizes = [c["size"] for page in pdf.pages for c in _upright(page.chars)]
    assert min(sizes) >= 7.95  # the strips' hours included (drawn at 8 pt, never shrunk)


@pytest.mark.parametrize("name", ["letter", "a4", "late", "late-sheet", "sheet"])
@pytest.mark.slow
def test_no_character_is_printed_over_another(cards, name):
    with nullcontext(cards[name]) as pdf:
        assert [
            (n, printed_over(p)[:3]) for n, p in enumerate(pdf.pages, 1) if printed_over(p)
        ] == []


@pytest.mark.parametrize("name", ["letter", "a4", "late"])
@pytest.mark.slow
def test_every_pocket_page_opens_and_closes_with_the_banner(cards, name):
    with nullcontext(cards[name]) as pdf:
        for page in pdf.pages:
            lines = lines_of(page)
            assert lines[0] in (BANNER, "UNCLASSIFIED"), lines
            assert lines[-1] == lines[0], lines


@pytest.mark.slow
def test_a_time_past_midnight_wraps_in_its_own_column(cards):
    with nullcontext(cards["late"]) as pdf:
        text = text_of(pdf)
    # "(+1 day)" on the next line of its own column, beside the event's second line
    assert "19:30–00:30 07:30–12:30 Late dinner hosted by the (+1 day) Ambassador" in text


@pytest.mark.parametrize(("name", "margin"), [("late", 0.5), ("late-sheet", 0.75)])
@pytest.mark.slow
def test_a_long_version_stays_on_one_line_above_the_bottom_banner(cards, name, margin):
    """In the bottom margin (inches): the footer line, then the banner, apart."""
    with nullcontext(cards[name]) as pdf:
        for page in pdf.pages:
            words = straight(page).extract_words()
            bottom = [w for w in words if w["top"] > page.height - margin * 72]
            banner_top = min(w["top"] for w in bottom if w["text"] in BANNER.split())
            version = [w for w in bottom if w["text"] not in BANNER.split()]
            assert version, "the footer line"
            assert max(w["bottom"] for w in version) < banner_top
            assert len({round(w["top"]) for w in version}) == 1  # one line, cut short
            assert "seating" not in " ".join(w["text"] for w in version)  # not merely hidden


@pytest.mark.slow
def test_each_day_has_its_strip_and_no_empty_whos_who(cards):
    with nullcontext(cards["letter"]) as pdf:
        text = text_of(pdf)
    for day in ("Fri Jun 16 · Washington", "Sun Jun 18 · Beijing", "Tue Jun 20 · London"):
        assert day in text
    assert "WHO'S WHO" in text
    assert "07:00 09:00 11:00 13:00" in text  # the strip's local hours over Sunday
    with nullcontext(cards["lone"]) as pdf:  # only the principal: nobody to list
        text = text_of(pdf)
    assert "SCHEDULE" in text
    assert "WHO'S WHO" not in text


@pytest.mark.slow
def test_a_native_name_that_is_the_name_is_printed_once(cards):
    with nullcontext(cards["late"]) as pdf:
        assert text_of(pdf).count("Wang Yi") == 1


@pytest.mark.slow
def test_the_budget_of_a_one_sheet_card_is_one_sheet(tmp_path):
    """The crowded card over its one sheet with `card: page` (the same card over its 4 pocket
    pages: test_layouts.py::test_overflowing_card_warns_and_strict_fails_writing_nothing)."""
    trip = crowded_trip(tmp_path)
    trip.write_text(trip.read_text(encoding="utf-8") + "output: {card: page}\n", "utf-8")
    result = run_cli("build", trip, "--layout", "card", "-o", tmp_path / "sheet.pdf")
    assert "the card layout uses 2 pages, over its budget of 1 by 1 page" in result.stderr


def _card_marks(trip: Path):
    # the inline trip's card is the example's again
    return [pytest.mark.slow] if trip.stem == "beijing-2023-inline" else []


@pytest.mark.parametrize(
    "trip",
    [
        pytest.param(trip, id=trip.stem, marks=_card_marks(trip))
        for trip in [EXAMPLE, *sorted((CORPUS / "good").glob("*.yaml"))]
        if trip.stem != "stress"  # tests/test_stress.py
    ],
)
@pytest.mark.slow
def test_the_pocket_card_passes_the_layout_check(trip):
    """The layout check of the book and memo (tests/layout_checks.py: text over text, text
    in the banner or footer areas, stranded headings, underfilled pages) over the pocket card
    of the example and of every good corpus trip."""
    assert violations(laid_out(trip, "card").document) == []


@pytest.mark.slow
@pytest.mark.parametrize("language", ["en", "ar"])
def test_numbered_duplex_pocket_cards_number_each_page_on_its_outer_edge(tmp_path, language):
    """`--copies 2 --duplex`: each copy's stamp takes the version's place on the inner edge of
    every pocket page, in the book's language, and the page numbers stay on the outer edge,
    on one footer line above the banner, over nothing. A left-hand page's outer edge is its
    left; in a right-to-left book the first page is a left-hand one. (The pocket card printed
    its numbers bottom right on both sides; an Arabic book's copy stamp replaced its page
    numbers.) The printing trip's card: two pocket pages a copy."""
    out = tmp_path / "cards.pdf"
    trip = CORPUS / "good" / "printing.yaml"
    args = ("--set", f"trip.language={language}", "--set", "memo.version=4")
    result = run_cli(
        "build", trip, "--layout", "card", "--copies", "2", "--duplex", *args, "-o", out
    )
    assert result.returncode == 0, result.stderr
    with pdfplumber.open(out) as pdf:
        assert len(pdf.pages) == 4  # two copies of two pocket pages
        for number, page in enumerate(pdf.pages, 1):
            assert printed_over(page) == [], number
            assert lines_of(page)[-1] == BANNER
    stamp = "Copy" if language == "en" else "ةخسنلا"  # poppler reads Arabic letters reversed
    numbers = "of" if language == "en" else "نم"
    for number, page in enumerate(page_runs(out), 1):
        footer = [r for r in page.runs if r.y < 40 and BANNER not in r.text]
        heights = [r.y for r in footer]
        assert max(heights) - min(heights) < 1.5, (number, footer)  # one line
        assert all(r.x > 0.25 * 72 - 0.5 for r in footer), (number, footer)  # not in the margin
        # the numbers' box: the outer 34% of the footer line; the stamp's: the inner 60%
        on_right = (number % 2) == (language == "en")
        edge = 0.62 * page.width if on_right else 0.38 * page.width
        outer_runs = [r for r in footer if (r.x > edge) == on_right]
        outer = " ".join(r.text for r in outer_runs)
        inner = " ".join(r.text for r in footer if r not in outer_runs)
        copy = (number + 1) // 2
        holder = ["Deputy", "Harlan"][copy - 1]  # memo.distribution's first two
        for word in (stamp, holder, str(copy)):
            assert word in inner, (number, word, footer)
        assert numbers in outer, (number, footer)
        assert str(2 - number % 2) in outer, (number, footer)
        assert stamp not in outer, (number, footer)


@pytest.mark.parametrize(
    ("place", "label"),
    [
        ("Washington", "Washington"),
        ("Thiruvananthapuram", "Thiruvananthapuram"),  # whole: it hyphenates onto two lines
        ("Saint-Pierre-et-Miquelon", "Saint-Pierre-et-Miquelon"),  # breaks at its hyphens
        ("Home-" + "H" * 150, "Home-HHHH…"),  # a capital takes more room than a letter
        ("北京市朝阳区建国门外大街", "北京市朝阳区…"),  # a Chinese character takes two
    ],
)
def test_a_place_heading_a_card_time_column_is_whole_or_cut_between_letters(place, label):
    """A card's time column is headed by its place: whole when each word of it fits two
    lines of the column, else its start and an ellipsis that fit about one line, cut
    between whole letters (render/fit.py column_label)."""
    from briefgen.render.fit import column_label

    assert column_label(place) == label


@pytest.mark.parametrize("place", ["ประจวบคีรีขันธ์" * 3, "Cafe\u0301" * 8, "Ba\u0301\u0301" * 9])
def test_a_cut_place_heading_keeps_each_letter_with_its_marks(place):
    """Never cut between a letter and its vowel sign or accent (written apart: NFD)."""
    import unicodedata

    from briefgen.render.fit import column_label

    label = column_label(place)
    assert label.endswith("…")
    assert place.startswith(label[:-1])
    assert len(label) > 5
    assert unicodedata.category(place[len(label) - 1])[0] != "M", label


def test_a_cut_home_place_is_named_whole_in_the_card_header():
    """The day's heading names each stop whole; a home place cut in its column's heading is
    named whole once, in the card's header line."""
    from briefgen.load import load
    from briefgen.render import Templates, render_document
    from briefgen.validate import validate

    home = "Llanfairpwllgwyngyllgogerychwyrndrobwll"
    text = MINIMAL.read_text(encoding="utf-8").replace(
        "  home_timezone: America/New_York\n",
        f"  home_timezone: America/New_York\n  home_place: {home}\n",
    )
    folder = Path(tempfile.mkdtemp())
    (folder / "trip.yaml").write_text(text, encoding="utf-8")
    html = render_document(
        validate(load(folder / "trip.yaml")), layout="card", templates=Templates()
    )[0]
    assert f"times are local, with {home} time beside them" in html
    assert '<th scope="col">Llanfairpwl…</th>' in html

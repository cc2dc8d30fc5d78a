"""Printing for meetings (issue 10): the banner follows what is printed, releasable
editions, meeting packets, duplex, numbered copies, the usual set in one command.

Real builds of a small two-country trip (`corpus/good/printing.yaml`), read back with
poppler, pypdf and pikepdf; one build per product, shared by the module."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefgen.load import load
from briefgen.render import Templates, render_document
from briefgen.validate import validate
from conftest import CORPUS, run_cli
from helpers import Page, page_runs, page_texts, pdf_text

TRIP = CORPUS / "good" / "printing.yaml"
BANNERS = {
    "U": "UNCLASSIFIED",
    "SBU": "SENSITIVE BUT UNCLASSIFIED",
    "C": "CONFIDENTIAL",
    "S": "SECRET",
}


def edge_lines(page: Page, margin: float = 40) -> tuple[str, list[str]]:
    """(the text in the top `margin` points, the runs in the bottom `margin` points) of a
    page."""
    top = [run.text for run in page.runs if run.y > page.height - margin]
    return " ".join(top), [run.text for run in page.runs if run.y < margin]


@pytest.fixture(scope="module")
def trip_copy(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("printing")
    trip = folder / "trip.yaml"
    trip.write_bytes(TRIP.read_bytes())
    return trip


@pytest.fixture(scope="module")
def built(trip_copy) -> dict[str, Path]:
    """The book, memo and card of the trip, from one command (a comma list of layouts)."""
    result = run_cli("build", trip_copy, "--layout", "book,memo,card")
    assert result.returncode == 0, result.stderr
    folder = trip_copy.parent
    outputs = {
        "book": folder / "trip.pdf",
        "memo": folder / "trip-memo.pdf",
        "card": folder / "trip-card.pdf",
    }
    assert all(p.exists() for p in outputs.values())
    return {**outputs, "stdout": result.stdout}


# ---------------------------------------------------------------- §1 the banner follows


def test_banner_is_the_highest_mark_each_document_prints(built):
    # The SECRET Q&A pair and the CONFIDENTIAL issue paper are printed only in the book.
    expected = {"book": "SECRET", "memo": BANNERS["SBU"], "card": BANNERS["SBU"]}
    for layout in expected:
        path = built[layout]
        for number, page in enumerate(page_runs(path), 1):
            # a pocket card's banner band is narrower: its content starts 30 pt from the edge
            top, bottom = edge_lines(page, 28 if layout == "card" else 40)
            assert top == expected[layout], (layout, number, top)
            assert any(run.startswith(expected[layout]) for run in bottom), (layout, number)
        assert expected[layout] in PdfReader(path).metadata["/Keywords"]
    memo = pdf_text(built["memo"])
    assert "SECRET" not in memo.replace("SENSITIVE", "")
    assert "CONFIDENTIAL" not in memo
    assert "Classified By" not in memo  # the authority block is for C and above
    assert "Classified By" in pdf_text(built["book"])
    assert "(SBU)" in memo
    assert "(C)" not in memo


def test_build_and_check_say_the_marking_of_what_they_print(built, trip_copy):
    assert (
        f"trip.yaml -> {trip_copy.parent / 'trip-memo.pdf'} ({BANNERS['SBU']})" in built["stdout"]
    )
    assert f"-> {trip_copy.parent / 'trip.pdf'} (SECRET)" in built["stdout"]
    result = run_cli("check", trip_copy)
    assert result.returncode == 0
    assert result.stdout.strip().endswith("6 people, 11 events, 2 issues, marking: SECRET")
    memo_only = trip_copy.with_name("memo-only.yaml")
    memo_only.write_text(
        trip_copy.read_text(encoding="utf-8") + "output: {layouts: [memo, card]}\n",
        encoding="utf-8",
    )
    result = run_cli("check", memo_only)
    assert result.stdout.strip().endswith(f"marking: {BANNERS['SBU']}"), result.stdout
    assert (
        "nothing was written"
        not in run_cli("check", CORPUS / "bad" / "01-unclosed-bracket.yaml").stderr
    )


def test_a_house_style_cannot_under_mark(tmp_path):
    """A house memo that prints the CONFIDENTIAL issue paper gets a CONFIDENTIAL banner;
    one that leaves out every SBU portion is UNCLASSIFIED, without portion marks."""
    brief = validate(load(TRIP))
    adds = tmp_path / "adds"
    adds.mkdir()
    (adds / "memo.html.j2").write_text(
        '{% extends "builtin/memo.html.j2" %}{% block scenesetter %}{{ super() }}'
        '{% set issue = view.issues["lamu"] %}{% include "sections/issue_paper.html.j2" %}'
        "{% endblock scenesetter %}",
        encoding="utf-8",
    )
    html, marking = render_document(brief, layout="memo", templates=Templates(adds))
    assert marking.banner == "CONFIDENTIAL"
    assert '<div class="banner" id="banner">CONFIDENTIAL</div>' in html
    assert "(C)" in html
    trims = tmp_path / "trims"
    trims.mkdir()
    (trims / "memo.html.j2").write_text(
        '{% extends "builtin/memo.html.j2" %}{% block purpose %}{% endblock purpose %}'
        "{% block goals %}{% endblock goals %}{% block schedule %}{% endblock schedule %}",
        encoding="utf-8",
    )
    html, marking = render_document(brief, layout="memo", templates=Templates(trims))
    assert marking.banner == "UNCLASSIFIED"
    assert "(U)" not in html
    assert "(SBU)" not in html
    assert ">UNCLASSIFIED</div>" in html


# ---------------------------------------------------------------- §3 releasable editions

# Words of every portion above U in the trip, as they would print.
WITHHELD = [
    "regional port financing",
    "where the Treasury stands",
    "Port financing",
    "Lamu",
    "sovereign guarantee",
    "budget team",
    "Grace Wanjiru",
    "Treasury channel",
    "the audit",
    "+254 20 363 6000",
]


@functools.cache
def everything_in(path: Path) -> str:
    """Every string a reader of the file could reach: page text, bookmarks, metadata,
    annotations, attachments (their names and bytes)."""
    import pikepdf

    reader = PdfReader(path)
    parts = page_texts(path)

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                parts.append(item.title)

    walk(reader.outline)
    parts += [str(v) for v in (reader.metadata or {}).values()]
    with pikepdf.open(path) as pdf:
        parts.append(str(pdf.open_metadata()))
        for name, spec in pdf.attachments.items():
            parts += [name, spec.get_file().read_bytes().decode("utf-8", "replace")]
        for obj in pdf.objects:  # alt text, link targets, structure titles
            if isinstance(obj, pikepdf.Dictionary):
                for key in ("/Alt", "/T", "/TU", "/Contents", "/URI", "/ActualText", "/E"):
                    if key in obj and not isinstance(obj[key], pikepdf.Stream | pikepdf.Array):
                        parts.append(str(obj[key]))
    return "\n".join(parts)


@pytest.fixture(scope="module")
def released(trip_copy) -> dict:
    result = run_cli(
        "build",
        trip_copy,
        "--release",
        "u",
        "--layout",
        "book,memo,card,meeting",
        "--pdf-standard",
        "pdf/a-3b",
    )
    assert result.returncode == 0, result.stderr
    return {
        "stdout": result.stdout,
        "stderr": result.stderr,
        "files": [
            *sorted(trip_copy.parent.glob("*-rel-u.pdf")),
            trip_copy.with_name("trip-rel-u.pdf"),
        ],
    }


def test_the_read_back_fails_the_full_book_and_passes_the_edition(built, released, trip_copy):
    """The check a releasable build runs, on the session's books of the printing trip: the
    full book prints what the U edition withholds, and fails it; the edition passes. (The
    quick loop's one run of the read-back against a laid-out leak.)"""
    from briefgen import editions, leaks

    edition = editions.release(validate(load(trip_copy)), "U")
    assert edition.brief.withheld is not None
    lookout = edition.brief.withheld.lookout
    with pytest.raises(leaks.Leak, match="withheld text appears in the PDF"):
        leaks.check(lookout, built["book"].read_bytes(), edition.total)
    book = trip_copy.with_name("trip-rel-u.pdf")
    assert book in released["files"]
    assert "verified" in leaks.check(lookout, book.read_bytes(), edition.total)


def test_release_names_its_outputs_and_says_what_was_withheld(released, trip_copy):
    names = {p.name for p in released["files"]}
    assert names == {
        "trip-rel-u.pdf",
        "trip-memo-rel-u.pdf",
        "trip-card-rel-u.pdf",
        "trip-meeting-meet-odhiambo-rel-u.pdf",
        "trip-meeting-3-rel-u.pdf",
        "trip-meeting-4-rel-u.pdf",
        "trip-meeting-meet-dawit-rel-u.pdf",
    }
    assert (
        "trip.yaml: edition at or below U: withheld 8 portions: 1 purpose paragraph, 1 goal, "
        "1 event, 1 issue paper, 1 Q&A pair, 1 issue paragraph, 1 point to make, "
        "1 contact"
    ) in released["stdout"]
    assert released["stdout"].count("(UNCLASSIFIED)") == 7


def test_nothing_of_a_withheld_portion_remains_anywhere(released):
    for path in released["files"]:
        found = everything_in(path)
        for words in WITHHELD:
            assert words.lower() not in found.lower(), (path.name, words)
        assert "(SBU)" not in found
        assert "(U)" not in found
        assert "UNCLASSIFIED" in found
        assert "SENSITIVE" not in found
    book = " ".join(everything_in(released["files"][-1]).split())
    for kept in (
        "Trade dialogue",
        "Meeting with Cabinet Secretary Odhiambo",
        "Daily Nation",
        "Will you discuss debt relief?",
        "Samuel Tesfaye",
    ):
        assert kept in book
    import pikepdf

    with pikepdf.open(released["files"][-1]) as pdf:
        assert len(pdf.attachments) == 0  # PDF/A-3b: the trip file is not attached


def test_a_required_portion_above_the_level_fails_naming_it(tmp_path):
    trip = tmp_path / "trip.yaml"
    trip.write_text(
        TRIP.read_text(encoding="utf-8").replace(
            "subject: Your Travel to Nairobi and Addis Ababa, April 14–16",
            "subject: {text: 'Your Travel to Nairobi and Addis Ababa', mark: SBU}",
        ),
        encoding="utf-8",
    )
    result = run_cli("build", trip, "--release", "U")
    assert result.returncode == 1
    assert "memo.subject is marked SBU, above U" in result.stderr
    assert "nothing was written" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["trip.yaml"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--release", "X"], "'X' is not a marking level"),
        (["--release", "OS"], "--release OS: not a level of the us system (U, SBU, CUI, C, S, TS)"),
        (["--event", "nope", "--layout", "meeting"], "--event nope: no such event"),
        (["--event", "meet-dawit", "--layout", "book"], "use it with --layout meeting"),
        (["--layout", "book,pamphlet"], "'pamphlet' is not a layout"),
        (["-o", "out.docx"], "the output must end in .pdf or .html"),
        (["-o", "out.pdf", "--layout", "book,memo"], "-o names one file, and this build writes 2"),
        (["--html", "-o", "out.pdf"], "--html writes HTML, and out.pdf ends in .pdf"),
    ],
)
def test_bad_options_are_one_line_usage_errors_writing_nothing(tmp_path, args, message):
    trip = tmp_path / "trip.yaml"
    trip.write_bytes(TRIP.read_bytes())
    result = run_cli("build", trip, *args, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert message in " ".join(result.stderr.split()), result.stderr
    assert "Traceback" not in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["trip.yaml"]


def test_release_with_plain_markings_is_a_usage_error(tmp_path):
    trip = tmp_path / "trip.yaml"
    source = TRIP.read_text(encoding="utf-8")
    source = re.sub(
        r"markings:\n(  .*\n)+", "markings: {system: plain, banner: COMPANY CONFIDENTIAL}\n", source
    )
    trip.write_text(re.sub(r", mark: \w+|\n +mark: \w+", "", source), encoding="utf-8")
    assert run_cli("check", trip).returncode == 0
    result = run_cli("build", trip, "--release", "U")
    assert result.returncode == 2
    assert "this trip has plain markings" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["trip.yaml"]


# ---------------------------------------------------------------- §2 meeting packets


def test_one_packet_per_meeting_with_participants(released):
    # the arrival, hold, site visit, flight and departure have no packet
    assert len([p for p in released["files"] if "-meeting-" in p.name]) == 4


@pytest.fixture(scope="module")
def packet(trip_copy) -> dict:
    out = trip_copy.with_name("odhiambo.pdf")
    result = run_cli(
        "build", trip_copy, "--layout", "meeting", "--event", "meet-odhiambo", "-o", out
    )
    assert result.returncode == 0, result.stderr
    return {"path": out, "stderr": result.stderr, "reader": PdfReader(out)}


@pytest.mark.slow
def test_a_packet_holds_what_the_meeting_needs_on_two_pages(packet):
    reader = packet["reader"]
    assert len(reader.pages) == 2
    assert packet["stderr"] == ""  # no engine, budget or schedule warnings
    text = " ".join(pdf_text(packet["path"]).split())
    for expected in (
        "MEETING PACKET",
        "Meeting with Cabinet Secretary Odhiambo",
        "11:00–12:00 Nairobi (UTC+3)",
        "04:00–05:00 Washington (UTC−4)",
        "Ministry of Trade, Nairobi",
        "Photo op",
        "Confirmed",
        "Our delegation (2)",
        "Host side (2)",
        "(oh-DEE-ahm-boh)",
        "Confirm the signing date",
        "Thank the Cabinet Secretary",
        "ISSUE PAPERS",
        "Trade dialogue",
        "OUR POSITION",
        "BIOGRAPHIES",
        "Trade minister since 2023",
        "led the 2022 debt restructuring",
        "CONTACTS",
        "Tom Brunner",
        "Grace Wanjiru",
        "CONFIDENTIAL",
    ):
        assert expected in text, expected
    for absent in (
        "CONTENTS",
        "SCHEDULE AT A GLANCE",
        "Samuel Tesfaye",
        "Dawit",
        "Lamu port",
        "BRIEFING MEMO",
        "Deputy Secretary of State Pronounced",
    ):
        assert absent not in text, absent
    # the page reference points at the issue paper, inside the packet
    ref = re.search(r"Trade dialogue \(issue paper, p\. (\d+)\)", text)
    assert ref
    assert 1 <= int(ref[1]) <= 2
    assert "OUR POSITION" in page_texts(packet["path"])[int(ref[1]) - 1]


def test_packet_of_an_event_numbered_by_its_place_in_the_agenda(trip_copy):
    result = run_cli("build", trip_copy, "--event", "4", "--html")
    assert result.returncode == 0, result.stderr
    html = trip_copy.with_name("trip-meeting-4.html").read_text(encoding="utf-8")
    assert "Press availability" in html
    assert "Daily Nation" in html
    assert "Meeting with Cabinet Secretary" not in html


# ---------------------------------------------------------------- §7 pages handed over unchanged

LONG_BANNER = "WATERBRIDGE CONFIDENTIAL – DO NOT FORWARD OUTSIDE THE TEAM XX"  # 60 characters


def plain_trip(title: str | None = None) -> str:
    source = TRIP.read_text(encoding="utf-8")
    source = re.sub(
        r"markings:\n(  .*\n)+", f"markings: {{system: plain, banner: '{LONG_BANNER}'}}\n", source
    )
    if title:
        source = source.replace(
            "title: Deputy Secretary's Travel to Kenya and Ethiopia", f"title: {title}"
        )
    return re.sub(r", mark: \w+|\n +mark: \w+", "", source)


@functools.lru_cache(maxsize=4)  # each (source, layout, paper) laid out once while in use
def lay_out(source: str, layout: str, paper: str | None = None):
    from briefgen import pdf
    from briefgen.load import load_text

    brief = validate(load_text(source, "trip.yaml", TRIP))
    html = render_document(brief, layout=layout, paper=paper)[0]
    return pdf.render(html, layout=layout, folders=[TRIP.parent, *Templates().folders])


def margin_lines(page) -> dict[str, list[str]]:
    from weasyprint.formatting_structure import boxes

    found = {}
    for box in page._page_box.children:
        if isinstance(box, boxes.MarginBox):
            found[box.at_keyword] = [
                "".join(t.text for t in line.descendants() if isinstance(t, boxes.TextBox))
                for line in box.descendants()
                if isinstance(line, boxes.LineBox)
            ]
    return found


LONG_TITLE = "Deputy Secretary's Travel to Kenya and Ethiopia for the Trade and Health Talks"
# The A4 book of the plain trip with the long banner and title is laid out once for the
# three tests below: what they check does not depend on the markings (A4: the narrower paper).


@pytest.mark.parametrize("paper", ["a4", pytest.param("letter", marks=pytest.mark.slow)])
def test_a_long_banner_and_the_running_heads_stay_on_one_line(paper):
    rendered = lay_out(plain_trip(LONG_TITLE), "book", paper)
    for number, page in enumerate(rendered.document.pages, 1):
        lines = margin_lines(page)
        assert lines["@top-center"] == [LONG_BANNER], (number, lines)
        assert lines["@bottom-center"] == [LONG_BANNER], (number, lines)
        if number > 1:
            for head in ("@top-left", "@top-right"):
                assert len(lines[head]) == 1, (number, head, lines[head])
            assert lines["@top-left"][0].endswith("…")  # shortened because it must be
    heads = [margin_lines(page)["@top-right"] for page in rendered.document.pages[1:]]
    # each page is headed by what it opens in: the schedule's last page, then the sheets
    assert ["Schedule at a glance"] in heads
    assert any(head and " · " in head[0] for head in heads)


def test_events_with_nothing_to_prepare_share_pages():
    from layout_checks import has_class, pages_per_element

    rendered = lay_out(plain_trip(LONG_TITLE), "book", "a4")
    sheets = pages_per_element(rendered.document, has_class("event-sheet"))
    assert len(sheets) == 11
    assert len({p for _, pages in sheets.values() for p in pages}) <= 7
    assert len(rendered.document.pages) <= 15  # 3 days, 11 events on A4


def test_e_mails_break_only_after_at_dot_slash_or_hyphen():
    from weasyprint.formatting_structure import boxes

    from layout_checks import page_boxes

    rendered = lay_out(plain_trip(LONG_TITLE), "book", "a4")
    lines = []
    for page in rendered.document.pages:
        for box in page_boxes(page):
            if isinstance(box, boxes.LineBox) and "email" in (
                (getattr(box, "element", None) is not None and box.element.get("class")) or ""
            ):
                lines.append(
                    "".join(t.text for t in box.descendants() if isinstance(t, boxes.TextBox))
                )
    assert "".join(lines).replace("\u200b", "") == "t.brunner@waterbridge.example"
    lines = [line.replace("\u200b", "") for line in lines]
    assert len(lines) > 1, lines
    assert all(line[-1] in "@./-" for line in lines[:-1]), lines


@pytest.mark.parametrize("extra", [6, 10, 14, 18])
@pytest.mark.slow
def test_memo_headings_never_end_a_page_and_no_bullet_is_left_alone(extra):
    from layout_checks import headings_alone_at_page_end, pages_per_element

    goals = "".join(
        f"  - Goal number {i} that the delegation should keep in mind during "
        "the talks, written out at some length.\n"
        for i in range(extra)
    )
    source = TRIP.read_text(encoding="utf-8").replace(
        "scenesetter:\n", goals.replace("  - ", "  - ") + "scenesetter:\n", 1
    )
    rendered = lay_out(source, "memo")
    doc = rendered.document
    assert headings_alone_at_page_end(doc) == []
    items = pages_per_element(doc, lambda e: e.tag == "li")
    lists = pages_per_element(doc, lambda e: e.tag in ("ul", "ol"))
    assert len(doc.pages) == 2  # the memo breaks somewhere in or after its goals
    for element, _ in lists.values():
        children = [c for c in element if c.tag == "li"]
        if len(children) > 1:
            last, before = items[id(children[-1])][1], items[id(children[-2])][1]
            assert last[0] == before[-1], "the last bullet is alone on its page"


def test_book_text_fixes(built):
    text = " ".join(pdf_text(built["book"]).split())
    assert "Addis Ababa (ET), Tue Apr 16 · times are local" in text  # one day, not a range
    assert "Tue Apr 16–Tue Apr 16" not in text
    assert "Brian Otieno, Senior Correspondent, Daily Nation" in text  # on the event sheet
    assert "Host side · KE (Nairobi)" in text
    assert "Host side · ET (Addis Ababa)" in text


def test_bio_placeholders_skip_honorifics():
    html, _ = render_document(validate(load(TRIP)), layout="book")
    initials = re.findall(r'class="photo placeholder" aria-hidden="true">(\w+)<', html)
    assert initials == ["EO", "PK", "DB", "BO"]


def test_check_counts_in_words_and_never_says_it_wrote_nothing(tmp_path):
    trip = tmp_path / "one.yaml"
    source = TRIP.read_text(encoding="utf-8")
    head, agenda = source.split("agenda:\n", 1)
    first_event = agenda.split("\n  - ", 1)[0]
    trip.write_text(
        head + "agenda:\n" + first_event + "\nissues:" + agenda.split("\nissues:", 1)[1],
        encoding="utf-8",
    )
    result = run_cli("check", trip)
    assert result.returncode == 0, result.stderr
    assert "1 event," in result.stdout
    assert "1 events" not in result.stdout
    trip.write_text(source.replace("purpose:", "purpose: [", 1), encoding="utf-8")
    result = run_cli("check", trip)
    assert result.returncode == 1
    assert "nothing was written" not in result.stderr


def test_doctor_and_the_font_check_know_more_scripts():
    from briefgen.doctor import SCRIPTS
    from briefgen.pdf.fonts import glyph_problem

    scripts = {name for name, *_ in SCRIPTS}
    for name, sample in (
        ("Ethiopic (Amharic)", "ዳዊት"),
        ("Devanagari", "मोदी"),
        ("Thai", "เศรษฐา"),
        ("Hebrew", "נתניהו"),
        ("Cyrillic", "Лавров"),
        ("Greek", "Μητσοτάκης"),
    ):
        assert name in scripts
        message = glyph_problem(
            [
                f"Missing glyph: .notdef glyph rendered for Unicode string "
                f'unsupported by fonts: "{sample}"'
            ]
        )
        assert f"for {name} text" in message
        assert "apt-get install fonts-noto-core" in message
    result = run_cli("doctor")
    assert "ok   Ethiopic (Amharic) fonts installed" in result.stdout


# ---------------------------------------------------------------- §6 the usual set


def test_html_is_one_self_contained_file(tmp_path):
    from conftest import ROOT

    out = tmp_path / "book.html"
    result = run_cli("build", TRIP, "-o", out, "--template", ROOT / "docs" / "house-style")
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert "file:" not in html
    assert "<link" not in html
    assert html.count("<style>") >= 2  # the built-in stylesheet and the house one
    assert 'src="data:image/svg+xml;base64,' in html  # the house logo
    assert "Meeting with Cabinet Secretary Odhiambo" in html


def test_the_trip_says_what_to_build_and_layouts_add_up(tmp_path):
    trip = tmp_path / "trip.yaml"
    trip.write_text(
        TRIP.read_text(encoding="utf-8") + "output: {paper: a4, layouts: [memo, card]}\n",
        encoding="utf-8",
    )
    result = run_cli("build", trip, trip, "--html")  # the same trip twice: built once
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("->") == 2
    assert {p.name for p in tmp_path.iterdir()} == {"trip.yaml", "trip-memo.html", "trip-card.html"}
    assert "size: A4" in (tmp_path / "trip-memo.html").read_text(encoding="utf-8")
    result = run_cli(
        "build", trip, "--layout", "book", "--layout", "card", "--paper", "letter", "--html"
    )
    assert result.returncode == 0
    assert "size: letter" in (tmp_path / "trip.html").read_text(encoding="utf-8")
    assert (tmp_path / "trip.html").exists()
    assert result.stdout.count("->") == 2

"""Printing for meetings (issue 10): the banner follows what is printed, releasable
editions, meeting packets, duplex, numbered copies, the usual set in one command.

Real builds of a small two-country trip (`corpus/good/printing.yaml`), read back with pypdf
and pikepdf; one build per product, shared by the module."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefgen.load import load
from briefgen.render import Templates, render_document
from briefgen.validate import validate
from conftest import CORPUS, run_cli

TRIP = CORPUS / "good" / "printing.yaml"
BANNERS = {"U": "UNCLASSIFIED", "SBU": "SENSITIVE BUT UNCLASSIFIED", "C": "CONFIDENTIAL",
           "S": "SECRET"}


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def edge_lines(page, margin: float = 40) -> tuple[str, str]:
    """(text in the top `margin` points, text in the bottom `margin` points) of a page."""
    top, bottom = [], []
    height = float(page.mediabox.height)

    def visit(text, cm, tm, font, size):
        y = tm[5] * cm[3] + cm[5]
        if text.strip() and y > height - margin:
            top.append(text)
        elif text.strip() and y < margin:
            bottom.append(text)

    page.extract_text(visitor_text=visit)
    return " ".join("".join(top).split()), " ".join("".join(bottom).split())


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
    outputs = {"book": folder / "trip.pdf", "memo": folder / "trip-memo.pdf",
               "card": folder / "trip-card.pdf"}
    assert all(p.exists() for p in outputs.values())
    return {**outputs, "stdout": result.stdout}


# ---------------------------------------------------------------- §1 the banner follows


def test_banner_is_the_highest_mark_each_document_prints(built):
    # The SECRET Q&A pair and the CONFIDENTIAL issue paper are printed only in the book.
    expected = {"book": "SECRET", "memo": BANNERS["SBU"], "card": BANNERS["SBU"]}
    for layout in expected:
        path = built[layout]
        reader = PdfReader(path)
        for number, page in enumerate(reader.pages, 1):
            top, bottom = edge_lines(page)
            assert top == expected[layout], (layout, number, top)
            assert bottom.startswith(expected[layout]), (layout, number, bottom)
        assert expected[layout] in reader.metadata["/Keywords"]
    memo = pdf_text(built["memo"])
    assert "SECRET" not in memo.replace("SENSITIVE", "") and "CONFIDENTIAL" not in memo
    assert "Classified By" not in memo  # the authority block is for C and above
    assert "Classified By" in pdf_text(built["book"])
    assert "(SBU)" in memo and "(C)" not in memo


def test_build_and_check_say_the_marking_of_what_they_print(built, trip_copy):
    assert f"trip.yaml -> {trip_copy.parent / 'trip-memo.pdf'} ({BANNERS['SBU']})" in \
        built["stdout"]
    assert f"-> {trip_copy.parent / 'trip.pdf'} (SECRET)" in built["stdout"]
    result = run_cli("check", trip_copy)
    assert result.returncode == 0
    assert result.stdout.strip().endswith("6 people, 11 events, 2 issues, marking: SECRET")
    memo_only = trip_copy.with_name("memo-only.yaml")
    memo_only.write_text(trip_copy.read_text(encoding="utf-8")
                         + "output: {layouts: [memo, card]}\n", encoding="utf-8")
    result = run_cli("check", memo_only)
    assert result.stdout.strip().endswith(f"marking: {BANNERS['SBU']}"), result.stdout
    assert "nothing was written" not in run_cli("check", CORPUS / "bad" /
                                                "01-unclosed-bracket.yaml").stderr


def test_a_house_style_cannot_under_mark(tmp_path):
    """A house memo that prints the CONFIDENTIAL issue paper gets a CONFIDENTIAL banner;
    one that leaves out every SBU portion is UNCLASSIFIED, without portion marks."""
    brief = validate(load(TRIP))
    adds = tmp_path / "adds"
    adds.mkdir()
    (adds / "memo.html.j2").write_text(
        '{% extends "builtin/memo.html.j2" %}{% block scenesetter %}{{ super() }}'
        '{% set issue = view.issues["lamu"] %}{% include "sections/issue_paper.html.j2" %}'
        '{% endblock scenesetter %}', encoding="utf-8")
    html, marking = render_document(brief, layout="memo", templates=Templates(adds))
    assert marking.banner == "CONFIDENTIAL" and '<div class="banner" id="banner">' \
        'CONFIDENTIAL</div>' in html and "(C)" in html
    trims = tmp_path / "trims"
    trims.mkdir()
    (trims / "memo.html.j2").write_text(
        '{% extends "builtin/memo.html.j2" %}{% block purpose %}{% endblock purpose %}'
        '{% block goals %}{% endblock goals %}{% block schedule %}{% endblock schedule %}',
        encoding="utf-8")
    html, marking = render_document(brief, layout="memo", templates=Templates(trims))
    assert marking.banner == "UNCLASSIFIED" and "(U)" not in html and "(SBU)" not in html
    assert ">UNCLASSIFIED</div>" in html


# ---------------------------------------------------------------- §3 releasable editions

# Words of every portion above U in the trip, as they would print.
WITHHELD = ["regional port financing", "where the Treasury stands", "Port financing",
            "Lamu", "sovereign guarantee", "budget team", "Grace Wanjiru", "Treasury channel",
            "the audit", "+254 20 363 6000"]


def everything_in(path: Path) -> str:
    """Every string a reader of the file could reach: page text, bookmarks, metadata,
    annotations, attachments (their names and bytes)."""
    import pikepdf

    reader = PdfReader(path)
    parts = [page.extract_text() for page in reader.pages]

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
    result = run_cli("build", trip_copy, "--release", "u", "--layout", "book,memo,card,meeting",
                     "--pdf-standard", "pdf/a-3b")
    assert result.returncode == 0, result.stderr
    return {"stdout": result.stdout, "stderr": result.stderr,
            "files": sorted(trip_copy.parent.glob("*-rel-u.pdf"))
            + [trip_copy.with_name("trip-rel-u.pdf")]}


def test_release_names_its_outputs_and_says_what_was_withheld(released, trip_copy):
    names = {p.name for p in released["files"]}
    assert names == {"trip-rel-u.pdf", "trip-memo-rel-u.pdf", "trip-card-rel-u.pdf",
                     "trip-meeting-meet-odhiambo-rel-u.pdf", "trip-meeting-3-rel-u.pdf",
                     "trip-meeting-4-rel-u.pdf", "trip-meeting-meet-dawit-rel-u.pdf"}
    assert ("trip.yaml: releasable at U: withheld 8 portions: 1 purpose paragraph, 1 goal, "
            "1 event, 1 issue paper, 1 Q&A pair, 1 issue paragraph, 1 point to make, "
            "1 contact") in released["stdout"]
    assert released["stdout"].count("(UNCLASSIFIED)") == 7


def test_nothing_of_a_withheld_portion_remains_anywhere(released):
    for path in released["files"]:
        found = everything_in(path)
        for words in WITHHELD:
            assert words.lower() not in found.lower(), (path.name, words)
        assert "(SBU)" not in found and "(U)" not in found  # no portion marks at U
        assert "UNCLASSIFIED" in found and "SENSITIVE" not in found
    book = " ".join(everything_in(released["files"][-1]).split())
    for kept in ("Trade dialogue", "Meeting with Cabinet Secretary Odhiambo", "Daily Nation",
                 "Will you discuss debt relief?", "Samuel Tesfaye"):
        assert kept in book
    import pikepdf

    with pikepdf.open(released["files"][-1]) as pdf:
        assert len(pdf.attachments) == 0  # PDF/A-3b: the trip file is not attached


def test_a_required_portion_above_the_level_fails_naming_it(tmp_path):
    trip = tmp_path / "trip.yaml"
    trip.write_text(TRIP.read_text(encoding="utf-8").replace(
        "subject: Your Travel to Nairobi and Addis Ababa, April 14–16",
        "subject: {text: 'Your Travel to Nairobi and Addis Ababa', mark: SBU}"),
        encoding="utf-8")
    result = run_cli("build", trip, "--release", "U")
    assert result.returncode == 1
    assert "memo.subject is marked SBU, above U" in result.stderr
    assert "nothing was written" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["trip.yaml"]


@pytest.mark.parametrize("args, message", [
    (["--release", "X"], "'X' is not a marking level"),
    (["--release", "OS"], "--release OS: not a level of the us system (U, SBU, C, S, TS)"),
    (["--event", "nope", "--layout", "meeting"], "--event nope: no such event"),
    (["--event", "meet-dawit", "--layout", "book"], "use it with --layout meeting"),
    (["--layout", "book,pamphlet"], "'pamphlet' is not a layout"),
    (["-o", "out.docx"], "the output must end in .pdf or .html"),
    (["-o", "out.pdf", "--layout", "book,memo"], "-o names one file, and this build writes 2"),
    (["--html", "-o", "out.pdf"], "--html writes HTML, and out.pdf ends in .pdf"),
])
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
    source = re.sub(r"markings:\n(  .*\n)+", "markings: {system: plain, banner: COMPANY "
                    "CONFIDENTIAL}\n", source)
    trip.write_text(re.sub(r", mark: \w+|\n +mark: \w+", "", source), encoding="utf-8")
    assert run_cli("check", trip).returncode == 0
    result = run_cli("build", trip, "--release", "U")
    assert result.returncode == 2 and "this trip has plain markings" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["trip.yaml"]


# ---------------------------------------------------------------- §2 meeting packets


def test_one_packet_per_meeting_with_participants(released):
    # the arrival, hold, site visit, flight and departure have no packet
    assert len([p for p in released["files"] if "-meeting-" in p.name]) == 4


@pytest.fixture(scope="module")
def packet(trip_copy) -> dict:
    out = trip_copy.with_name("odhiambo.pdf")
    result = run_cli("build", trip_copy, "--layout", "meeting", "--event", "meet-odhiambo",
                     "-o", out)
    assert result.returncode == 0, result.stderr
    return {"path": out, "stderr": result.stderr, "reader": PdfReader(out)}


def test_a_packet_holds_what_the_meeting_needs_on_two_pages(packet):
    reader = packet["reader"]
    assert len(reader.pages) == 2
    assert packet["stderr"] == ""  # no engine warnings, no budget warnings
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    for expected in ("MEETING PACKET", "Meeting with Cabinet Secretary Odhiambo",
                     "11:00–12:00 Nairobi (UTC+3)", "04:00–05:00 Washington (UTC−4)",
                     "Ministry of Trade, Nairobi", "Photo op", "Confirmed",
                     "Our delegation (2)", "Host side (2)", "(oh-DEE-ahm-boh)",
                     "Confirm the signing date", "Thank the Cabinet Secretary",
                     "ISSUE PAPERS", "Trade dialogue", "OUR POSITION", "BIOGRAPHIES",
                     "Trade minister since 2023", "led the 2022 debt restructuring",
                     "CONTACTS", "Tom Brunner", "Grace Wanjiru", "CONFIDENTIAL"):
        assert expected in text, expected
    for absent in ("CONTENTS", "SCHEDULE AT A GLANCE", "Samuel Tesfaye", "Dawit", "Lamu port",
                   "BRIEFING MEMO", "Deputy Secretary of State Pronounced"):
        assert absent not in text, absent
    # the page reference points at the issue paper, inside the packet
    ref = re.search(r"Trade dialogue \(issue paper, p\. (\d+)\)", text)
    assert ref and 1 <= int(ref[1]) <= 2
    assert "OUR POSITION" in reader.pages[int(ref[1]) - 1].extract_text()


def test_packet_of_an_event_numbered_by_its_place_in_the_agenda(trip_copy):
    result = run_cli("build", trip_copy, "--event", "4", "--html")
    assert result.returncode == 0, result.stderr
    html = trip_copy.with_name("trip-meeting-4.html").read_text(encoding="utf-8")
    assert "Press availability" in html and "Daily Nation" in html
    assert "Meeting with Cabinet Secretary" not in html

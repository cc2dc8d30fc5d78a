"""Printing for meetings (issue 10): the banner follows what is printed, releasable
editions, meeting packets, duplex, numbered copies, the usual set in one command.

Real builds of a small two-country trip (`corpus/good/printing.yaml`), read back with pypdf
and pikepdf; one build per product, shared by the module."""

from __future__ import annotations

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

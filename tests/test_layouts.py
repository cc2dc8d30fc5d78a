"""Layouts (book, memo, card), page budgets, print fidelity, house styles."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefgen.load import load
from briefgen.render import render_html
from briefgen.validate import validate
from conftest import CORPUS, EXAMPLE, MINIMAL, ROOT, laid_out, run_cli
from helpers import crowded_trip, page_texts, pdf_text
from layout_checks import (
    continued_headings_wrong,
    has_class,
    headings_alone_at_page_end,
    split_across_pages,
    tables_missing_header,
    text_running_off,
    units_split_across_pages,
)

HOUSE = ROOT / "docs" / "house-style"
# the stress trip's layouts are checked in tests/test_stress.py
TRIPS = {"example": EXAMPLE, "edge": CORPUS / "good" / "edge.yaml"}
DOCUMENTS = [
    pytest.param((t, layout), id=f"{t}-{layout}")
    for t in TRIPS
    for layout in ("book", "memo", "card")
]


# module-scoped: pytest runs every test of one document before laying out the next, so each
# is laid out once here (function-scoped, the four tests cycled through six documents and
# laid_out's cache of four laid every one out again for each test)
@pytest.fixture(scope="module", params=DOCUMENTS)
def document(request):
    trip, layout = request.param
    return trip, layout, laid_out(TRIPS[trip], layout)


@pytest.mark.slow
def test_nothing_runs_off_the_page(document):
    _trip, _layout, rendered = document
    assert text_running_off(rendered.document) == []


@pytest.mark.slow
def test_rows_pairs_and_event_headers_never_split(document):
    _trip, _layout, rendered = document
    assert units_split_across_pages(rendered.document) == []


@pytest.mark.slow
def test_bios_stay_on_one_page_unless_longer_than_a_page(document):
    _trip, _layout, rendered = document
    assert split_across_pages(rendered.document, has_class("bio")) == []
    assert [m for m in rendered.overflows if "biography" in m] == []


@pytest.mark.slow
def test_headings_are_never_the_last_line_of_a_page(document):
    _trip, _layout, rendered = document
    assert headings_alone_at_page_end(rendered.document) == []


@pytest.mark.slow
def test_long_tables_repeat_their_header(document):
    _trip, _layout, rendered = document
    assert tables_missing_header(rendered.document) == []
    assert continued_headings_wrong(rendered.document) == []  # and say "continued" there


def test_memo_contains_the_cover_memo_and_schedule_only(example_as):
    text = pdf_text(example_as("memo"))
    for expected in (
        "BRIEFING MEMO",
        "PURPOSE",
        "GOALS",
        "Expectations",
        "SCENESETTER",
        "THEIR OBJECTIVES",
        "SCHEDULE AT A GLANCE",
        "Sat Jun 17, 19:30",
    ):
        assert expected in text
    for absent in ("CONTENTS", "ISSUE PAPERS", "BIOGRAPHIES", "LOGISTICS", "EVENT SHEETS"):
        assert absent not in text


def test_card_has_the_essentials(example_as):
    text = " ".join(pdf_text(example_as("card")).split())
    for expected in (
        "TOP GOALS",
        "SCHEDULE",
        "WHO'S WHO",
        "CONTACTS",
        "习近平",
        "SHEE jin-PING",
        "President Xi",
        "Sat Jun 17, 19:30",
        "SENSITIVE BUT UNCLASSIFIED",
        "Control Officer",
    ):
        assert expected in text, expected


@pytest.mark.slow
def test_default_outputs_are_named_per_layout(tmp_path):
    trip = tmp_path / "trip.yaml"
    trip.write_bytes(MINIMAL.read_bytes())
    for layout, name in (
        ("book", "trip.pdf"),
        ("memo", "trip-memo.pdf"),
        ("card", "trip-card.pdf"),
    ):
        assert run_cli("build", trip, "--layout", layout).returncode == 0
        assert (tmp_path / name).exists()


@pytest.mark.slow
def test_overflowing_card_warns_and_strict_fails_writing_nothing(tmp_path):
    trip = crowded_trip(tmp_path)
    out = tmp_path / "card.pdf"
    result = run_cli("build", trip, "--layout", "card", "-o", out)
    assert result.returncode == 0
    assert "warning: the card layout uses 6 pages, over its budget of 4 by 2 pages" in result.stderr
    assert "beyond page 4: Schedule" in result.stderr
    out.write_bytes(b"previous")
    result = run_cli("build", trip, "--layout", "card", "--strict", "-o", out)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "error: the card layout uses 6 pages" in result.stderr
    assert "nothing was written" in result.stderr
    assert out.read_bytes() == b"previous"


@pytest.mark.slow
def test_a_bio_longer_than_a_page_is_reported(tmp_path):
    trip = crowded_trip(tmp_path, events=0, bio_words=2000)
    result = run_cli("build", trip, "--strict", "-o", tmp_path / "x.pdf")
    assert result.returncode == 1
    assert "error: the biography of Qin Gang 秦刚 runs over" in result.stderr
    assert "over its budget of one page" in result.stderr


# ---------------------------------------------------------------- house styles


@pytest.mark.slow
def test_house_style_overrides_one_block_in_a_few_lines(tmp_path):
    source = re.sub(r"{#.*?#}", "", (HOUSE / "cover.html.j2").read_text(), flags=re.S)
    lines = [line for line in source.splitlines() if line.strip()]
    assert len(lines) <= 6
    out = tmp_path / "house.pdf"
    result = run_cli("build", EXAMPLE, "--template", HOUSE, "-o", out)
    assert result.returncode == 0, result.stderr
    reader = PdfReader(out)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 from style.css
    first = reader.pages[0].extract_text()
    assert "Acme Corporation · Office of the Chief Executive" in first
    assert "BRIEFING MEMO" in first
    assert "(U) Your Travel to Beijing" in first
    assert "ACME" in first  # the logo (SVG, its text drawn as text)
    assert len(reader.pages) > 20  # the rest of the book is the built-in one
    memo = tmp_path / "memo.pdf"
    assert (
        run_cli("build", EXAMPLE, "--template", HOUSE, "--layout", "memo", "-o", memo).returncode
        == 0
    )
    assert "Acme Corporation" in page_texts(memo)[0]


@pytest.mark.slow
def test_paper_option_overrides_the_house_style(tmp_path):
    out = tmp_path / "letter.pdf"
    assert (
        run_cli("build", MINIMAL, "--template", HOUSE, "--paper", "letter", "-o", out).returncode
        == 0
    )
    assert round(float(PdfReader(out).pages[0].mediabox.width)) == 612


def house_trip(tmp_path: Path, template: str, name: str = "book.html.j2") -> Path:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / name).write_text(template, encoding="utf-8")
    trip = tmp_path / "trip.yaml"
    trip.write_bytes(MINIMAL.read_bytes())
    return trip


@pytest.mark.slow
def test_templates_folder_beside_the_trip_is_found(tmp_path):
    trip = house_trip(
        tmp_path,
        '{% extends "builtin/book.html.j2" %}\n'
        "{% block purpose %}<h2 class='section'>Why this trip</h2>"
        "{{ super() }}{% endblock %}\n",
    )
    (tmp_path / "templates" / "style.css").write_text("h2.section { color: rgb(200, 0, 0); }")
    result = run_cli("build", trip)
    assert result.returncode == 0, result.stderr
    assert "WHY THIS TRIP" in page_texts(tmp_path / "trip.pdf")[0]


@pytest.mark.parametrize(
    ("template", "message"),
    [
        (
            '{% extends "builtin/book.html.j2" %}\n\n{% block memo_heder %}x{% endblock %}\n',
            "book.html.j2:3: block 'memo_heder' does not exist in 'builtin/book.html.j2' "
            "(did you mean 'memo_header'?)",
        ),
        (
            '{% extends "builtin/book.html.j2" %}\n{% block purpose %}\n{% if %}{% endblock %}\n',
            "book.html.j2:3: Expected an expression",
        ),
        (
            '{% extends "builtin/book.html.j2" %}\n{% block purpose %}\n\n{{ nothing.here }}'
            "{% endblock %}\n",
            "book.html.j2:4: UndefinedError: 'nothing' is undefined",
        ),
        (
            '{% extends "builtin/book.html.j2" %}\n{% block purpose %}'
            '{{ "".__class__.__mro__[1].__subclasses__() }}{% endblock %}\n',
            "book.html.j2:2: SecurityError",
        ),
        ('{% extends "builtin/nope.html.j2" %}\n', "template 'builtin/nope.html.j2' not found"),
        (
            '{% extends "builtin/book.html.j2" %}\n{% block purpose %}{{ view.brief.folder }}'
            "{% endblock %}\n",
            "book.html.j2:2: UndefinedError",
        ),
        (
            '{% extends "builtin/book.html.j2" %}\n{% block purpose %}{{ "a" * 10 * 100000000 }}'
            "{% endblock %}\n",
            "book.html.j2:2: SecurityError: a repeated string or list would be too large",
        ),
        (
            '{% extends "builtin/book.html.j2" %}\n{% block purpose %}{{ 2 ** 100000000 }}'
            "{% endblock %}\n",
            "book.html.j2:2: SecurityError",
        ),
        (
            '{% extends "builtin/book.html.j2" %}{% block purpose %}{% include "/etc/passwd" %}'
            "{% endblock %}",
            "template '/etc/passwd' not found",
        ),
    ],
)
@pytest.mark.slow
def test_house_template_errors_are_located_never_tracebacks(tmp_path, template, message):
    trip = house_trip(tmp_path, template)
    (tmp_path / "trip.pdf").write_bytes(b"previous")
    result = run_cli("build", trip)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert message in result.stderr, result.stderr
    assert (tmp_path / "trip.pdf").read_bytes() == b"previous"


@pytest.mark.slow
def test_templates_list_and_copy(tmp_path):
    result = run_cli("templates")
    assert result.returncode == 0
    assert [line.split()[0] for line in result.stdout.splitlines()] == [
        "book",
        "memo",
        "card",
        "meeting",
        "itinerary",
    ]
    house = tmp_path / "house"
    assert run_cli("templates", "copy", "card", house).returncode == 0
    copied = house / "card.html.j2"
    assert copied.read_text() == (ROOT / "templates" / "card.html.j2").read_text()
    assert (house / "style.css").exists()
    goals = house / "sections" / "card_goals.html.j2"  # the sections come along
    assert goals.read_text() == (ROOT / "templates" / "sections" / "card_goals.html.j2").read_text()
    goals.write_text(goals.read_text().replace("Top goals", "Priorities"))
    out = tmp_path / "card.pdf"
    result = run_cli("build", MINIMAL, "--layout", "card", "--template", house, "-o", out)
    assert result.returncode == 0, result.stderr
    assert "PRIORITIES" in page_texts(out)[0]  # the minimal trip's goal
    again = run_cli("templates", "copy", "card", house)
    assert again.returncode == 1
    assert "already exists" in again.stderr
    onto_a_file = run_cli("templates", "copy", "book", house / "style.css")
    assert onto_a_file.returncode == 1
    assert "Traceback" not in onto_a_file.stderr
    assert "unexpected" not in onto_a_file.stderr
    assert "Priorities" in goals.read_text()


def test_missing_template_folder_is_an_error(tmp_path):
    result = run_cli("build", MINIMAL, "--template", tmp_path / "nope", "-o", tmp_path / "x.pdf")
    assert result.returncode == 1
    assert "no such folder" in result.stderr


def test_citations_only_where_sources_are_printed(tmp_path):
    for layout, cited in (("book", True), ("memo", False), ("card", False)):
        html = render_html(validate(load(EXAMPLE)), layout=layout)
        assert ('class="cite"' in html) is cited, layout


@pytest.mark.slow
def test_a_runaway_house_template_is_stopped(tmp_path):
    trip = house_trip(
        tmp_path,
        '{% extends "builtin/book.html.j2" %}{% block purpose %}'
        "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}"
        "{% endfor %}{% endblock %}",
    )
    result = run_cli("build", trip, "--timeout", "2")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "build failed: took longer than 2 s (--timeout); nothing was written" in result.stderr
    assert not (tmp_path / "trip.pdf").exists()

"""The book in the principal's language (issue 19, items 3 and 4): `trip.language` sets every
word briefgen prints from one catalogue per language, dates from CLDR, `ar` right to left;
markings, warnings and errors stay in their own words."""

from __future__ import annotations

import base64
import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from pypdf import PdfReader

from briefgen import schedule
from briefgen.language import speaking
from briefgen.load import load
from briefgen.render.timeline import timelines
from briefgen.validate import validate
from conftest import EXAMPLE, ROOT, run_cli
from helpers import page_runs, page_texts

CATALOGUES = ROOT / "briefgen" / "catalogues"


@pytest.fixture(scope="module")
def memo_in(tmp_path_factory):
    """`memo_in(language)`: (the example's memo PDF in that language, its HTML, stderr),
    laid out once per module; the PDF is PDF/UA-1 (what the validators read below), the
    output every other test reads being tagged as well."""
    made: dict[str, tuple[Path, str, str]] = {}

    def build(language: str) -> tuple[Path, str, str]:
        if language not in made:
            folder = tmp_path_factory.mktemp(f"memo-{language}")
            lang = ("--set", f"trip.language={language}")
            pdf, html = folder / "memo.pdf", folder / "memo.html"
            ua = ("--pdf-standard", "pdf/ua-1")
            result = run_cli("build", EXAMPLE, "--layout", "memo", *lang, *ua, "-o", pdf)
            assert result.returncode == 0, result.stderr
            shown = run_cli("build", EXAMPLE, "--layout", "memo", *lang, "--html", "-o", html)
            assert shown.returncode == 0, shown.stderr
            made[language] = (pdf, html.read_text(encoding="utf-8"), result.stderr)
        return made[language]

    return build


def text_of(pdf: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(pdf).pages)


@pytest.mark.slow
def test_french_memo_prints_french_dates_and_labels(memo_in):
    pdf, html, stderr = memo_in("fr")
    text = text_of(pdf)
    assert "15 juin 2023" in text  # the memo's date, CLDR's long French date
    assert "dim. 18 juin" in text  # the schedule's days
    assert "ven. 16\u2009–\u2009mer. 21 juin 2023" in text  # CLDR's interval
    assert re.search(r"Page 1 sur \d+", text)
    for words in ("Programme en un coup d’œil", "OBJET\u00a0:", "Confirmé"):
        assert words.casefold() in text.casefold(), words  # headings print in capitals
    for english in ("Page 1 of", "Schedule at a glance", "SUBJECT:", "Sun Jun 18"):
        assert english.casefold() not in text.casefold(), english
    assert "SENSITIVE BUT UNCLASSIFIED" in text  # markings stay in their system's words
    assert "(SBU)" in text
    assert "warning: agenda 'qin-talks' starts at 13:00 Beijing" in stderr  # terminal: English
    assert PdfReader(pdf).trailer["/Root"]["/Lang"] == "fr"
    assert '<html lang="fr">' in html
    assert "Programme en un coup d’œil" in html  # the preview says the same words
    assert '.toc-title { string-set: section "Sommaire"; }' in html  # the book's running head


def said(text: str, arabic: str) -> bool:
    """pdfplumber gives Arabic words in the order they are drawn (right to left)."""
    return arabic in text or arabic[::-1] in text


@pytest.mark.slow
def test_arabic_memo_is_right_to_left_with_latin_and_chinese_kept(memo_in):
    pdf, html, stderr = memo_in("ar")
    assert "Ignored" not in stderr  # every property of rtl.css is one WeasyPrint supports
    assert "over its budget" not in stderr  # two pages, like the English memo
    reader = PdfReader(pdf)
    assert reader.trailer["/Root"]["/Lang"] == "ar"
    assert '<html lang="ar" dir="rtl">' in html
    assert "grid-auto-flow: row dense" in html  # rtl.css, inlined in the preview
    text = text_of(pdf)
    for words in ("الجدول في لمحة", "الموضوع", "مؤكد"):
        assert words in text, words
    assert "Schedule at a glance" not in text
    assert "Page 1 of" not in text
    assert "人民大会堂" in text  # Chinese names still CJK glyphs
    assert "SENSITIVE BUT UNCLASSIFIED" in text
    # Clock times read left to right inside the Arabic page (bdi), not 12:00–09:00
    assert '<bdi dir="ltr">09:00–12:00</bdi>' in html
    assert '<bdi dir="ltr"><span class="nowrap">EAP/CM</span> –' in html  # the clearance
    assert "09:00–12:00" in text
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        page = doc.pages[0]
        words = page.extract_words(use_text_flow=False, keep_blank_chars=False)
        label = next(w for w in words if said(w["text"], "الموضوع"))
        value = next(w for w in words if w["text"] == "Travel" and abs(w["top"] - label["top"]) < 4)
        assert label["x0"] > value["x1"]  # the label at the right, the value to its left
        assert label["x0"] > page.width / 2
        footer = next(w for w in words if said(w["text"], "صفحة"))
        assert footer["x1"] < page.width / 2  # the page numbers at the bottom left
        second = doc.pages[1].extract_words()
        title = next(w for w in second if w["text"] == "Secretary\u2019s" and w["top"] < 72)
        assert title["x0"] > doc.pages[1].width / 2  # the running title at the top right


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("es", ["15 de junio de 2023", "Agenda resumida", "ASUNTO:", "Confirmado"]),
        ("de", ["15. Juni 2023", "Programm auf einen Blick", "BETREFF:", "Bestätigt"]),
    ],
)
def test_spanish_and_german_memos_in_their_words(tmp_path, language, words):
    out = tmp_path / "memo.html"
    set_language = ("--set", f"trip.language={language}")
    result = run_cli("build", EXAMPLE, "--layout", "memo", *set_language, "--html", "-o", out)
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert f'<html lang="{language}">' in html
    for word in words:
        assert word in html, word
    assert "Schedule at a glance" not in html
    assert "SENSITIVE BUT UNCLASSIFIED" in html


def test_an_unknown_language_is_located_with_a_suggestion(tmp_path, example_libraries):
    source = EXAMPLE.read_text(encoding="utf-8")
    trip = example_libraries / "trip.yaml"
    trip.write_text(source.replace("trip:\n", "trip:\n  language: esp\n", 1), encoding="utf-8")
    line = trip.read_text(encoding="utf-8").splitlines().index("  language: esp") + 1
    result = run_cli("check", trip)
    assert result.returncode != 0
    assert f"trip.yaml:{line}:13:" in result.stderr, result.stderr
    assert "trip.language" in result.stderr
    assert "did you mean 'es'?" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_arabic_timeline_runs_right_to_left():
    brief = validate(load(EXAMPLE))
    day = dt.date(2023, 6, 18)

    def hours(language: str) -> tuple[list[tuple[float, str]], str]:
        with speaking(language):
            drawn = timelines(brief, schedule.ordered(brief.trip))[day]
        svg = ET.fromstring(base64.b64decode(drawn.image.split(",", 1)[1]))
        assert drawn.night  # the body clock's night is shaded that day
        words = [t.text or "" for t in svg.iter("{http://www.w3.org/2000/svg}text")]
        # WeasyPrint draws SVG text glyph by glyph: no Arabic inside the drawing
        assert not any(re.search("[\u0600-\u06ff]", w) for w in words)
        assert ("body-clock night" in words) == (language == "en")
        ticks = [  # the local clock's axis, on top
            (float(t.get("x", 0)), t.text or "")
            for t in svg.iter("{http://www.w3.org/2000/svg}text")
            if re.fullmatch(r"\d\d:00", t.text or "") and float(t.get("y", 0)) < 30
        ]
        return ticks, drawn.alt

    def flights(language: str) -> list[float]:
        with speaking(language):
            days = timelines(brief, schedule.ordered(brief.trip))
        widths = []
        for drawn in days.values():
            svg = ET.fromstring(base64.b64decode(drawn.image.split(",", 1)[1]))
            rects = svg.iter("{http://www.w3.org/2000/svg}rect")
            widths += [float(r.get("width", 0)) for r in rects if r.get("class") == "flight"]
        return sorted(widths)

    assert flights("en"), "the example's flights are drawn"
    assert flights("ar") == flights("en")  # as long right to left as left to right

    ltr, english = hours("en")
    rtl, arabic = hours("ar")
    assert ltr[0][1] == rtl[0][1] == "07:00"
    assert ltr[0][0] < ltr[1][0]  # left to right
    assert rtl[0][0] > rtl[1][0]  # right to left
    assert english.startswith("Sunday 18 June: 4 events from 07:30 to 21:30 Beijing")
    assert arabic.startswith("الأحد، 18 يونيو 2023: 4 فعاليات من 07:30 إلى 21:30")


def _messages() -> set[str]:
    """Every msgid the templates and the package print (extracted by Babel)."""
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
    jinja = {"**.j2": {"trim_blocks": "true", "extensions": "jinja2.ext.i18n"}}
    found = set()
    for folder, method, options in (
        (ROOT / "templates", "jinja2.ext:babel_extract", jinja),
        (ROOT / "briefgen", "python", {}),
    ):
        pattern = "**.j2" if folder.name == "templates" else "**.py"
        for _, _, message, _, _ in extract_from_dir(
            str(folder), [(pattern, method)], options, keywords=keywords
        ):
            found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_every_message_is_in_every_catalogue_with_its_placeholders():
    messages = _messages()
    assert "Schedule at a glance" in messages
    assert "Page %(page)s of %(pages)s" in messages
    assert len(messages) > 100
    for language in ("fr", "es", "de", "ar"):
        with (CATALOGUES / f"{language}.po").open("rb") as fh:
            catalog = read_po(fh, locale=language)
        assert "MACHINE-DRAFTED" in (catalog.header_comment or ""), language
        missing = [m for m in messages if not (catalog.get(m) and catalog.get(m).string)]
        assert not missing, (language, missing)
        for message in catalog:  # every plural form of the language (CLDR's) is written
            if message.id and isinstance(message.string, tuple):
                assert len(message.string) == catalog.num_plurals, (language, message.id)
                assert all(message.string), (language, message.id)
        problems = [(m.id, errors) for m, errors in catalog.check()]
        assert not problems, (language, problems)  # %(x)s placeholders kept, plural forms all


def test_the_changes_in_french(tmp_path, example_libraries):
    """The changes note and flags, and what they are since, in the book's language."""
    old = example_libraries / "old.yaml"
    old.write_text(
        EXAMPLE.read_text(encoding="utf-8").replace('start: "13:00"', 'start: "12:00"', 1),
        encoding="utf-8",
    )
    out = tmp_path / "memo.html"
    result = run_cli(
        "build", EXAMPLE, "--layout", "memo", "--set", "trip.language=fr",
        "--changes-since", old, "--html", "-o", out,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert "Modifications depuis la version 4" in html or "Modifications depuis la note du" in html
    assert "MODIFIÉ" in html
    assert "était 12:00" in html  # what the moved event was (diff/events.py), in French
    assert "was 12:00" not in html
    assert "Changes since" not in html
    assert "CHANGED" not in html.replace("flag-changed", "")


def test_a_house_style_speaks_the_books_language(tmp_path, example_libraries):
    """`_()`, `ngettext()` and `{% trans %}` in a house template: the built-in catalogue."""
    folder = example_libraries / "templates"
    folder.mkdir()
    (folder / "memo.html.j2").write_text(
        '{% extends "builtin/memo.html.j2" %}{% block purpose %}'
        '<p id="h1">{{ _("Contacts") }}</p>'
        '<p id="h2">{{ ngettext("%(num)d change", "%(num)d changes", 3) }}</p>'
        '<p id="h3">{% trans %}Schedule{% endtrans %}</p>'
        '<p id="h4">{{ _("Ours & theirs <b>") }}</p>{{ super() }}{% endblock %}',
        encoding="utf-8",
    )
    trip = example_libraries / "trip.yaml"
    trip.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "memo.html"
    set_language = ("--set", "trip.language=de")
    result = run_cli("build", trip, "--layout", "memo", *set_language, "--html", "-o", out)
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert '<p id="h1">Kontakte</p>' in html
    assert '<p id="h2">3 Änderungen</p>' in html
    assert '<p id="h3">Programm</p>' in html
    assert '<p id="h4">Ours &amp; theirs &lt;b&gt;</p>' in html  # not in it: as written, escaped


@pytest.mark.parametrize("language", ["fr", "ar"])
@pytest.mark.slow
def test_the_memo_in_another_language_passes_both_pdf_ua_validators(memo_in, language):
    """/Lang follows trip.language; right to left changes nothing the validators read."""
    import outloud
    import page

    out, _html, _stderr = memo_in(language)
    assert PdfReader(out).trailer["/Root"]["/Lang"] == language
    report = page.validate_pdf(out, profile="ua1")
    assert [(f.rule_id, f.message) for f in report.failures] == []
    findings = outloud.check(str(out)).sorted_findings()
    assert [(f.rule, f.message) for f in findings if f.severity == "error"] == []


def card_in(language: str, folder: Path) -> Path:
    """The example's pocket card in `language`."""
    out = folder / "card.pdf"
    set_language = ("--set", f"trip.language={language}")
    result = run_cli("build", EXAMPLE, "--layout", "card", *set_language, "-o", out)
    assert result.returncode == 0, result.stderr
    return out


@pytest.mark.slow
def test_the_arabic_card_keeps_phone_numbers_and_times_left_to_right(tmp_path):
    out = card_in("ar", tmp_path)
    text = text_of(out)
    assert "+86 10 0000 0000" in text  # not 0000 0000 10 86+
    assert "09:00–12:00" in text  # not 12:00–09:00
    assert "الشخصيات" in text  # Who's who
    for number, page in enumerate(page_runs(out), 1):  # "1 من 4" at the bottom left
        footer = [r for r in page.runs if r.top < 40 and "UNCLASSIFIED" not in r.text]
        assert {r.text for r in footer} == {str(number), "4", "نم"}  # poppler: letters reversed
        assert all(r.x < page.width / 3 for r in footer)


@pytest.mark.slow
def test_the_pocket_card_numbers_its_pages_in_the_books_language(tmp_path):
    pages = page_texts(card_in("fr", tmp_path))
    for number, text in enumerate(pages, 1):
        assert f"{number} sur {len(pages)}" in text
        assert not re.search(r"\d of \d", text)


def test_the_edition_line_in_the_books_language(tmp_path):
    """A releasable edition says what it is in the book's words, the level in its system's."""
    out = tmp_path / "memo.html"
    args = ("--layout", "memo", "--release", "U", "--set", "trip.language=fr", "--html")
    result = run_cli("build", EXAMPLE, *args, "-o", out)
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    edition = r"Édition communicable — au niveau U ou inférieur — \d+ passages retenus"
    assert re.search(edition, html)
    assert "Releasable edition" not in html
    assert "withheld" in result.stderr  # the terminal's summary stays English


@pytest.mark.slow
def test_a_right_to_left_books_long_version_line_is_cut_inside_its_box(tmp_path):
    """The version line of an Arabic memo stays one line in its box (the right 47% of the
    footer), cut with an ellipsis. It wrapped onto a second line toward the banner; held to
    one line, WeasyPrint 70 drew it from outside its box, clipped mid-letter
    (briefgen/pdf/ellipsis.py)."""
    out = tmp_path / "memo.pdf"
    version = (
        "memo.version=4 – schedule as of June 15 after the advance team's visit, "
        "with the Embassy's comments and the protocol office's seating plan"
    )
    args = ("--layout", "memo", "--set", "trip.language=ar", "--set", version, "-o", out)
    result = run_cli("build", EXAMPLE, *args)
    assert result.returncode == 0, result.stderr
    for number, page in enumerate(page_runs(out), 1):
        footer = [r for r in page.runs if r.y < 0.9 * 72 and "UNCLASSIFIED" not in r.text]
        heights = [r.y for r in footer]
        assert max(heights) - min(heights) < 1.5, (number, footer)  # one line
        box = 0.85 * 72 + 0.53 * (page.width - 1.7 * 72)  # where the version's box starts
        version_runs = [r for r in footer if r.x > page.width / 3]  # the numbers: bottom left
        assert any("schedule" in r.text for r in version_runs), (number, footer)
        assert all(r.x > box - 1 for r in version_runs), (number, box, footer)
        printed = " ".join(r.text for r in version_runs)  # the text layer: what it shows
        assert "…" in printed, printed
        assert "Embassy" not in printed, printed  # not what it cut


def test_a_margin_line_that_may_overflow_is_left_as_laid_out():
    """`text-overflow: ellipsis` cuts only a box that hides its overflow (CSS, and
    WeasyPrint): a right-to-left line in a box with `overflow: visible` (a house style's)
    keeps its place and its words; in one that hides it, it is cut inside the box."""
    from weasyprint.formatting_structure import boxes

    from briefgen.pdf import ellipsis
    from briefgen.pdf.startup import import_weasyprint

    weasyprint = import_weasyprint()
    words = ("نص طويل جدا " * 12).strip()

    def footer(overflow: str):
        page = (
            weasyprint.HTML(
                string=f"<html dir=rtl><style>@page {{ size: 4in 3in; @bottom-right {{"
                f" content: '{words}'; width: 40%; white-space: nowrap; overflow: {overflow};"
                " text-overflow: ellipsis } }</style><p>x</p>"
            )
            .render()
            .pages[0]
        )
        (box,) = [b for b in page._page_box.children if isinstance(b, boxes.MarginBox)]
        (line,) = box.children
        before = line.position_x
        ellipsis.draw_inside([page])
        text = "".join(b.text for b in line.descendants() if isinstance(b, boxes.TextBox))
        return box, line, before, text

    box, line, before, text = footer("visible")
    assert (line.position_x, text) == (before, words)
    box, line, before, text = footer("hidden")
    assert text.endswith("…\u200e")  # the mark keeps the ellipsis after cut Latin words
    assert words.startswith(text[:-2].rstrip())
    assert box.content_box_x() - 0.01 <= line.position_x
    assert line.position_x + line.width <= box.content_box_x() + box.width + 0.01


@pytest.mark.parametrize("direction", ["ltr", "rtl"])
def test_a_cut_margin_line_keeps_its_images_and_drops_what_it_cannot_show(direction):
    """A house style's margin line of a logo, a long text, a logo and a word: the first logo
    and the text's start stay, inside the box, and the rest goes, from the page and from its
    text (WeasyPrint 70 clipped the logos and the word away but kept the word's text, and
    its ellipsis gave the whole file's "…" the first cut's words)."""
    from weasyprint.formatting_structure import boxes

    from briefgen.pdf import ellipsis
    from briefgen.pdf.startup import import_weasyprint

    weasyprint = import_weasyprint()
    svg = "<svg xmlns=\\'http://www.w3.org/2000/svg\\' width=\\'20\\' height=\\'10\\'/>"
    logo = f"url('data:image/svg+xml,{svg}')"
    page = (
        weasyprint.HTML(
            string=f"<html dir={direction}><style>@page {{ size: 4in 3in; @top-left {{"
            f" content: {logo} 'Alpha beta gamma delta epsilon zeta eta theta' {logo} 'Draft';"
            " width: 40%; white-space: nowrap; overflow: hidden; text-overflow: ellipsis } }"
            "</style><p>x</p>"
        )
        .render()
        .pages[0]
    )
    (box,) = [b for b in page._page_box.children if isinstance(b, boxes.MarginBox)]
    ellipsis.draw_inside([page])
    (line,) = box.children
    pieces = line.children
    assert [type(piece).__name__ for piece in pieces] == ["InlineReplacedBox", "TextBox"]
    assert pieces[1].text.startswith("Alpha b")
    assert pieces[1].text.rstrip("\u200e").endswith("…")
    for piece in pieces:
        assert box.content_box_x() - 0.01 <= piece.position_x
        assert piece.position_x + piece.width <= box.content_box_x() + box.width + 0.01

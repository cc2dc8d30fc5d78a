"""End to end: real CLI, real WeasyPrint, PDFs read back with poppler and pypdf."""

from __future__ import annotations

import re
import threading
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from pypdf import PdfReader

from conftest import CORPUS, EXAMPLE, MINIMAL, run_cli
from helpers import page_runs, page_texts, pdf_text

BANNER = "SENSITIVE BUT UNCLASSIFIED"


def outline_pages(reader: PdfReader) -> dict[str, int]:
    pages: dict[str, int] = {}

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                title = re.sub(r"^\((U|SBU|C|S|TS)\) ", "", item.title)
                pages.setdefault(title, reader.get_destination_page_number(item) + 1)

    walk(reader.outline)
    return pages


def test_example_banner_top_and_bottom_of_every_page(example_pdf):
    pages = page_runs(example_pdf)
    assert len(pages) > 10
    for number, page in enumerate(pages, 1):
        heights = [run.y for run in page.runs if BANNER in run.text]
        assert any(h > page.height - 50 for h in heights), f"no top banner on page {number}"
        assert any(h < 50 for h in heights), f"no bottom banner on page {number}"


def test_example_page_furniture(example_pages):
    total = len(example_pages)
    for number, text in enumerate(example_pages, 1):
        assert f"Page {number} of {total}" in text
        # the watermark, drawn letter-spaced on a slant: its words are read in pieces
        assert "SAMPLE–MARKINGSFORTRAININGUSEONLY" in "".join(text.split())
    assert "Secretary\u2019s Travel to Beijing" in example_pages[1]  # running header


def test_example_memo_header_and_portion_marks(example_pages):
    first = example_pages[0]
    for expected in (
        "BRIEFING MEMO",
        "June 15, 2023",
        "TO:",
        "The Secretary",
        "FROM:",
        "EAP – Daniel J. Kritenbrink",
        "SUBJECT:",
        "(U) Your Travel to Beijing, June 18–19, 2023",
        "PURPOSE",
        "GOALS",
    ):
        assert expected in first
    assert "(SBU)" in first
    assert "Classified By" not in first


def test_example_native_names_and_pronunciations_extract(example_pages):
    text = "\n".join(example_pages)
    for name in ("秦刚", "王毅", "习近平", "SHEE jin-PING", "CHIN GAHNG", "State Councilor Qin"):
        assert name in text


def test_example_cjk_font_is_embedded(example_reader):
    fonts = set()
    for page in example_reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert any("CJK" in f or "WenQuanYi" in f for f in fonts), fonts


def test_example_schedule_shows_home_times_and_statuses(example_pages):
    # the schedule and its continuation pages (each day opens with a timeline)
    schedule = "\n".join(p for p in example_pages if "schedule at a glance" in p.lower())
    assert "WASHINGTON" in schedule.upper()
    assert "Sat Jun 17, 19:30" in schedule  # 07:30 Sunday in Beijing = Saturday evening at home
    assert "TENTATIVE" in schedule
    assert "PROPOSED" in schedule
    xi = next(
        p
        for p in example_pages
        if "Possible call on President Xi Jinping" in p and "TENTATIVE — not confirmed" in p
    )
    assert "16:30–17:15 Beijing (UTC+8)" in xi
    assert "04:30–05:15 Washington (UTC−4)" in xi


def test_example_talking_points_expand_issues(example_pages):
    sheet = next(p for p in example_pages if "Open channels of communication (issue paper" in p)
    assert "Open channels of communication (issue paper, p. 15)" in " ".join(sheet.split())


def test_contents_page_numbers_match_the_real_pages(example_reader, example_pages):
    # pypdf reads a dot leader as one line with its entry (poppler gives a line a dot)
    toc = next(p for p in example_pages if "CONTENTS" in p)
    toc = example_reader.pages[example_pages.index(toc)].extract_text()
    entries = re.findall(r"^(.+?)[ .]+ (\d+)$", toc, flags=re.M)
    assert len(entries) > 20
    outline = outline_pages(example_reader)
    checked = 0
    for label, number in entries:
        label = re.sub(
            r"\((U|SBU|C|S|TS)\) | \((tentative|proposed|cancelled)\)$", "", label.strip(" .")
        )
        matches = [t for t in outline if label == t or label.endswith("· " + t)]
        assert matches, f"contents entry {label!r} has no bookmark"
        assert outline[matches[0]] == int(number), label
        checked += 1
    assert checked == len(entries)


def test_bookmarks_per_section_and_per_event(example_reader):
    top = [item.title for item in example_reader.outline if not isinstance(item, list)]
    assert top[:4] == ["Purpose", "Goals", "Scenesetter", "Their objectives"]
    for section in ("Schedule at a glance", "Event sheets", "Issue papers", "Biographies"):
        assert section in top
    events = example_reader.outline[top.index("Event sheets") + 1]
    assert isinstance(events, list)
    assert len(events) == 12
    assert events[0].title == "(SBU) Depart Washington for Beijing"


def test_metadata(example_reader):
    meta = example_reader.metadata
    assert meta.title == "Secretary\u2019s Travel to Beijing"
    assert meta.author == "EAP – Daniel J. Kritenbrink"
    assert meta.subject == "Your Travel to Beijing, June 18–19, 2023"
    assert meta["/CreationDate"].startswith("D:20230615")
    assert example_reader.trailer["/Root"]["/Lang"] == "en"
    assert "/StructTreeRoot" in example_reader.trailer["/Root"]  # tagged PDF


@pytest.mark.slow
def test_letter_by_default_and_a4_on_request(example_reader, tmp_path):
    box = example_reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    out = tmp_path / "a4.pdf"
    assert run_cli("build", MINIMAL, "--paper", "a4", "-o", out).returncode == 0
    box = PdfReader(out).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


@pytest.mark.slow
def test_two_builds_give_identical_bytes(example_pdf, tmp_path):
    again = tmp_path / "again.pdf"
    assert run_cli("build", EXAMPLE, "-o", again).returncode == 0
    assert again.read_bytes() == example_pdf.read_bytes()


@pytest.mark.slow
def test_edge_trip_dates_lines_and_scripts(tmp_path):
    out = tmp_path / "edge.pdf"
    result = run_cli("build", CORPUS / "good" / "edge.yaml", "-o", out)
    assert result.returncode == 0, result.stderr
    pages = page_texts(out)
    text = "\n".join(pages)
    assert all("OFFICIAL-SENSITIVE//UK EYES ONLY" in p for p in pages)
    assert "(O)" not in text
    assert "(OS)" not in text
    assert "22:00–00:30 (+1 day)" in text  # past midnight
    assert "Mon Mar 11, 21:00–23:30" in text  # Honolulu evening is the next day at home
    assert "CANCELLED — this event will not take place" in text
    for name in ("김민준", "林芳正", "王毅", "Wáng Yì"):
        assert name in text
    assert "فيصل" in text or "ﻓﻴﺼﻞ" in text or "فيصل"[::-1] in text
    assert "Read-Ahead".upper() in pages[0]


@pytest.fixture(scope="module")
def minimal_beside(tmp_path_factory) -> Path:
    """The minimal trip built with no -o from another folder: the PDF beside the trip."""
    folder = tmp_path_factory.mktemp("minimal")
    trip = folder / "trip.yaml"
    trip.write_bytes(MINIMAL.read_bytes())
    result = run_cli("build", trip, cwd=Path("/"))
    assert result.returncode == 0, result.stderr
    return folder / "trip.pdf"


@pytest.mark.slow
def test_a_section_with_no_content_is_left_out(minimal_beside):
    text = pdf_text(minimal_beside)
    for heading in (
        "PRESS AND Q&A",
        "RISKS",
        "LOGISTICS",
        "CONTACTS",
        "SCENESETTER",
        "Press and Q&A",
        "Logistics",
    ):
        assert heading not in text
    assert "SCHEDULE AT A GLANCE" in text
    assert "Counternarcotics cooperation" in text


# ---------------------------------------------------------------- untrusted text


class _Recorder(BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self):
        _Recorder.requests.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def loopback_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    _Recorder.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


HOSTILE = [
    "{{ 7 * 7 }} and {% raw %}{% for x in y %}{% endraw %}",
    "<script>alert('x')</script>",
    '<img src="URL/img.png">',
    "![tracking](URL/md.png)",
    "[click me](javascript:alert(1))",
    '<link rel="stylesheet" href="URL/style.css">',
    '<style>@import url("URL/import.css");</style>',
    '<a rel="attachment" href="file:///etc/passwd">passwd</a>',
    "{{ config }}{{ self.__init__ }}",
]


def tags_of(markup: str) -> list[tuple[str, list]]:
    """Every start tag of an HTML document, with its attributes, as a browser parses them."""
    found: list[tuple[str, list]] = []

    class Tags(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    Tags().feed(markup)
    return found


@pytest.mark.slow
def test_hostile_text_stays_text_and_fetches_nothing(tmp_path, loopback_server):
    source = MINIMAL.read_text(encoding="utf-8")
    items = "\n".join(
        f"  - {{text: {value!r}}}".replace("URL", loopback_server) for value in HOSTILE
    )
    source = source.replace("purpose:\n", "purpose:\n" + items + "\n", 1)
    source = source.replace("title: Secretary's Travel to Beijing", 'title: "<b>{{ 6 * 7 }}</b>"')
    trip = tmp_path / "hostile.yaml"
    trip.write_text(source, encoding="utf-8")
    html = tmp_path / "hostile.html"
    assert run_cli("build", trip, "--html", "-o", html).returncode == 0
    markup = html.read_text(encoding="utf-8")
    assert "<script>" not in markup
    assert 'href="javascript:' not in markup
    # no image but each day's timeline, drawn by briefgen (an SVG data URI)
    images = re.findall(r"<img [^>]*", markup)
    assert images
    assert all(i.startswith('<img src="data:image/svg+xml;base64,') for i in images), images
    assert "<style>@import" not in markup
    assert f"![tracking]({loopback_server}/md.png)" in markup
    attribute_values = [v for _, attrs in tags_of(markup) for _, v in attrs]
    assert not any(loopback_server in (v or "") for v in attribute_values)
    assert "&lt;script&gt;" in markup
    result = run_cli("build", trip)
    assert result.returncode == 0, result.stderr
    text = pdf_text(tmp_path / "hostile.pdf")
    # (not a bare "49"/"42" check: the loopback port printed in the hostile URLs may hold them)
    assert "{{ 7 * 7 }} and" in text
    assert "49 and" not in text
    assert "<b>42</b>" not in text
    assert text.count("{{ 6 * 7 }}") >= 2
    assert "<script>alert(\u2018x\u2019)</script>" in text  # as text, its quotes printed curly
    assert "<b>{{ 6 * 7 }}</b>" in text
    assert "/EmbeddedFile" not in (tmp_path / "hostile.pdf").read_bytes().decode("latin-1")
    assert _Recorder.requests == []


# ---------------------------------------------------------------- failure leaves nothing


@pytest.mark.slow
def test_missing_glyph_fails_clearly_and_keeps_the_previous_pdf(tmp_path):
    source = MINIMAL.read_text(encoding="utf-8")
    trip = tmp_path / "tofu.yaml"
    trip.write_text(
        source.replace("native_name: 秦刚", "native_name: 秦刚\ue123"), encoding="utf-8"
    )
    previous = tmp_path / "tofu-card.pdf"  # the card: the native name in its who's who
    previous.write_bytes(b"%PDF-previous good build")
    result = run_cli("build", trip, "--layout", "card")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "no installed font has glyphs" in result.stderr
    assert "apt-get install" in result.stderr
    assert previous.read_bytes() == b"%PDF-previous good build"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tofu-card.pdf", "tofu.yaml"]
    result = run_cli("build", trip, "--layout", "card", "--allow-missing-glyphs")
    assert result.returncode == 0
    assert "warning: no installed font" in result.stderr
    assert previous.read_bytes().startswith(b"%PDF-1.")


def test_fetcher_refuses_everything_but_allowed_files(tmp_path):
    from weasyprint.urls import FatalURLFetchingError

    from briefgen.pdf.fetcher import AssetFetcher

    allowed = tmp_path / "trip"
    allowed.mkdir()
    (allowed / "ok.txt").write_text("ok")
    (tmp_path / "secret.txt").write_text("secret")
    fetcher = AssetFetcher([allowed])
    assert fetcher.fetch((allowed / "ok.txt").as_uri())
    assert fetcher.fetch("data:text/plain,hello")
    for url in [
        (tmp_path / "secret.txt").as_uri(),
        (allowed / ".." / "secret.txt").as_uri(),
        "http://127.0.0.1:9/x",
        "https://example.com/",
        "file:///dev/urandom",
        allowed.as_uri(),
        "ftp://example.com/x",
    ]:
        with pytest.raises(FatalURLFetchingError):
            fetcher.fetch(url)


@pytest.mark.slow
def test_photo_is_embedded_and_placeholder_otherwise(tmp_path):
    from helpers import PNG

    source = MINIMAL.read_text(encoding="utf-8")
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "qin.png").write_bytes(PNG)
    trip = tmp_path / "photo.yaml"
    trip.write_text(
        source.replace("    lang: zh-Hans\n", "    lang: zh-Hans\n    photo: photos/qin.png\n"),
        encoding="utf-8",
    )
    result = run_cli("build", trip)
    assert result.returncode == 0, result.stderr
    reader = PdfReader(tmp_path / "photo.pdf")
    images = {img.data for page in reader.pages for img in page.images}
    assert len(images) == 1
    assert "WY" in pdf_text(tmp_path / "photo.pdf")  # Wang Yi's placeholder


def test_example_output_path_default_is_beside_the_trip(minimal_beside):
    assert minimal_beside.exists()  # built from "/" (the fixture), with no -o
    assert sorted(p.name for p in minimal_beside.parent.iterdir()) == ["trip.pdf", "trip.yaml"]


@pytest.mark.parametrize("blank", ['""', '"   "', '{text: "", mark: U}', '["", " "]'])
@pytest.mark.slow
def test_a_blank_text_is_no_text_and_gets_no_heading(tmp_path, blank):
    """`notes: ""` is `notes:` (found by the layout check on drawn trips: a NOTES heading
    over nothing at the foot of a page)."""
    trip = tmp_path / "trip.yaml"
    trip.write_text(
        MINIMAL.read_text(encoding="utf-8").replace(
            "    kind: arrival\n", f"    kind: arrival\n    notes: {blank}\n", 1
        ),
        encoding="utf-8",
    )
    html = tmp_path / "trip.html"
    result = run_cli("build", trip, "--html", "-o", html)
    assert result.returncode == 0, result.stderr
    assert "<h4>Notes</h4>" not in html.read_text(encoding="utf-8")
    control = run_cli(
        "build", MINIMAL, "--set", "agenda.1.notes=Meet at the gate", "--html", "-o", html
    )
    assert control.returncode == 0, control.stderr
    assert "<h4>Notes</h4>" in html.read_text(encoding="utf-8")

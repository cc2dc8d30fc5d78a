"""Issue 19: accessible PDFs (`--pdf-standard pdf/ua-1`) as two independent validators see
them (`page-validation`'s PDF/UA-1 profile, `outloud`), and the tag tree read back: one H1
that is the title, headings without skips, links in Link elements that print, lists of
LI/Lbl/LBody, /Lang on names in other languages, the page furniture as artifacts with the
overall marking read once, first; XMP with the title in every build."""

from __future__ import annotations

import itertools
from pathlib import Path

import pikepdf
import pytest

from conftest import CORPUS, EXAMPLE

EDGE = CORPUS / "good" / "edge.yaml"  # the Gulf visit: Arabic, Japanese, Korean, Chinese names
TITLE = "Secretary\u2019s Travel to Beijing"
BANNER = "SENSITIVE BUT UNCLASSIFIED"

# outloud's warnings left on these products, and why (the closing note lists them):
# FIG-012, "alternative text does not read as language": each day's timeline figure is
# described as "Sunday 18 June: 4 events from 07:30 to 22:00, ...", times and counts that
# outloud's word heuristic does not count as language, though a screen reader reads them well.
KNOWN_WARNINGS = {"FIG-012"}
# TAG-002 ("prose marked /Artifact") is outloud's guess from words: a line of eight words,
# four of them lower case, that recurs on fewer than three pages. A running head such as
# "Secretary's Travel to Beijing  Schedule at a glance, continued" is that, and is page
# furniture, a pagination artifact as PDF/UA asks. Such a finding is allowed only when every
# line it points at lies in the page's top margin, above the body (style.css: 0.95in).
TOP_MARGIN = 0.95 * 72

PRODUCTS = [
    pytest.param(
        trip, layout, options, id="-".join([(trip or EXAMPLE).stem, layout, *options]), marks=marks
    )
    for trip, layout, options, marks in (
        (None, "book", (), [pytest.mark.slow]),
        (None, "memo", (), [pytest.mark.slow]),
        (None, "card", (), [pytest.mark.slow]),
        (None, "memo", ("--release", "U"), []),  # the quick one; every event withheld
        (None, "meeting", ("--event", "qin-talks"), [pytest.mark.slow]),
        (None, "itinerary", ("--for", "burns"), [pytest.mark.slow]),
        (EDGE, "book", (), [pytest.mark.slow]),
        (EDGE, "memo", (), [pytest.mark.slow]),
        (EDGE, "card", (), [pytest.mark.slow]),
        (EDGE, "meeting", ("--event", "1"), [pytest.mark.slow]),
        (EDGE, "itinerary", ("--for", "fs"), [pytest.mark.slow]),
    )
]


def accessible(example_as, trip, layout, options) -> Path:
    extra = {} if trip is None else {"trip": trip}
    return example_as(layout, "pdf/ua-1", *options, **extra)


@pytest.mark.parametrize(("trip", "layout", "options"), PRODUCTS)
@pytest.mark.slow
def test_both_validators_pass_every_product(example_as, trip, layout, options):
    import outloud
    import page

    out = accessible(example_as, trip, layout, options)
    report = page.validate_pdf(out, profile="ua1")
    assert [(f.rule_id, f.message) for f in report.failures] == []
    assert report.is_compliant
    result = outloud.check(str(out))
    assert result.error is None
    findings = result.sorted_findings()
    errors = [f for f in findings if f.severity == "error" and not _running_head(out, f)]
    assert [(f.rule, f.message, f.evidence) for f in errors] == []
    assert {f.rule for f in findings if f.severity == "warning"} <= KNOWN_WARNINGS


def _running_head(path: Path, finding) -> bool:
    """Whether `finding` is TAG-002 on lines that all lie in the top margin of their page."""
    if finding.rule != "TAG-002" or not finding.boxes:
        return False
    with pikepdf.open(path) as pdf:
        heights = [float(page.mediabox[3]) for page in pdf.pages]
    return all(b["y0"] >= heights[b["page"] - 1] - TOP_MARGIN for b in finding.boxes)


def _tree(path: Path):
    from outloud.model import Document

    return Document(str(path))


def _text(doc, element) -> str:
    """The words an element's marked content prints, in paint order."""
    refs = {(m.page, m.mcid) for e in [element, *element.descendants()] for m in e.mcrefs}
    pages = sorted({page for page, _ in refs})
    return "".join(
        run.text
        for page in pages
        for run in doc.content(page).runs
        if (page, run.mcid) in refs and not run.artifact
    )


@pytest.mark.parametrize("layout", ["memo", "card"])
@pytest.mark.slow
def test_one_h1_the_title_and_no_skipped_heading(example_as, layout):
    doc = _tree(example_as(layout, "pdf/ua-1"))
    try:
        headings = [e for e in doc.elements if e.is_heading]
        levels = [e.heading_level for e in headings]
        assert levels[0] == 1, levels
        assert levels.count(1) == 1, levels
        assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels
        assert " ".join(_text(doc, headings[0]).split()) == TITLE
        assert len(levels) > 3
    finally:
        doc.close()


def test_the_marking_is_read_once_first_and_the_furniture_is_artifacts(example_as):
    """The memo: its first top banner is the first element of the document; the other
    banners, the page numbers and the watermark are artifacts in the pages' content."""
    doc = _tree(example_as("memo", "pdf/ua-1"))
    try:
        first = doc.elements[1]  # [0] is the Document
        assert first.parent is doc.elements[0]
        assert _text(doc, first).strip() == BANNER
        tagged = " ".join(r.text for p in doc.pages for r in doc.content(p.index).runs if r.tagged)
        assert " ".join(tagged.split()).count(BANNER) == 1
        artifacts = [
            " ".join(r.text.split())
            for p in doc.pages
            for r in doc.content(p.index).runs
            if r.artifact
        ]
        joined = " ".join(artifacts)
        assert joined.count(BANNER) == 3  # bottom of page 1, top and bottom of page 2
        assert "Page 1 of 2" in joined
        assert "Page 2 of 2" in joined
        assert "TRAINING" in joined  # the watermark
        assert "TRAINING" not in tagged
        assert "Page 1 of" not in tagged
    finally:
        doc.close()


@pytest.mark.slow
def test_links_lists_and_languages_in_a_meeting_packet(example_as):
    out = example_as("meeting", "pdf/ua-1", "--event", "qin-talks")
    with pikepdf.open(out) as pdf:
        nums = pdf.Root.StructTreeRoot.ParentTree.Nums
        parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        links = [
            a for page in pdf.pages for a in page.obj.get("/Annots", []) if a.Subtype == "/Link"
        ]
        assert links
        for annotation in links:
            assert int(annotation.F) & 4  # Print
            assert parents[int(annotation.StructParent)].S == "/Link"
        elements = [
            o
            for o in pdf.objects
            if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/StructElem"
        ]
        items = [e for e in elements if e.S == "/LI"]
        assert items
        for item in items:
            kids = item.K if isinstance(item.K, pikepdf.Array) else [item.K]
            assert {str(k.S) for k in kids} <= {"/Lbl", "/LBody"}
        langs = {str(e.Lang) for e in elements if "/Lang" in e}
        assert "zh-Hans" in langs, langs  # the Chinese names


@pytest.mark.slow
def test_every_build_carries_xmp_with_its_title(example_as):
    for standard in (None, "pdf/ua-1"):
        with pikepdf.open(example_as("card", standard)) as pdf:
            assert "/Metadata" in pdf.Root
            with pdf.open_metadata() as xmp:
                assert xmp["dc:title"] == TITLE
            assert pdf.docinfo.Title == TITLE


@pytest.mark.slow
def test_names_in_other_languages_carry_their_lang_on_the_gulf_card(example_as):
    """The Gulf trip's card: Faisal bin Farhan's Arabic name, Hayashi's Japanese, Kim's
    Korean, each element tagged with its language (the document is English)."""
    with pikepdf.open(example_as("card", "pdf/ua-1", trip=EDGE)) as pdf:
        assert pdf.Root.Lang == "en"
        langs = {
            str(o.Lang)
            for o in pdf.objects
            if isinstance(o, pikepdf.Dictionary)
            and o.get("/Type") == "/StructElem"
            and "/Lang" in o
        }
    assert {"ar", "ja", "ko"} <= langs, langs

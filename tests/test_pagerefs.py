"""Page references from the last layout (briefgen/pagerefs.py): printed at once under watch,
never wrong, the same bytes as a cold build."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pytest

from briefgen import outputs, pagerefs, plans
from briefgen.intake import read_brief
from conftest import CORPUS, EXAMPLE

PRINTING = CORPUS / "good" / "printing.yaml"
HTML = (
    '<nav class="toc"><ul><li><a href="#purpose">Purpose</a></li>'
    '<li><a href="#issue-x">X</a></li><li><a href="#nowhere">?</a></li></ul></nav>'
    '<p>see <a href="#purpose">the purpose</a>, p. <a class="pageref" href="#issue-x"></a></p>'
)


def test_known_pages_go_on_the_links_that_print_them_and_nowhere_else():
    marked, printed = pagerefs.with_pages(HTML, {"purpose": 1, "issue-x": 7, "other": 3})
    assert printed == {"purpose": 1, "issue-x": 7}
    assert '<li><a href="#purpose" data-page="1">' in marked
    assert '<li><a href="#issue-x" data-page="7">' in marked
    assert '<a class="pageref" href="#issue-x" data-page="7">' in marked
    assert '<a href="#nowhere">' in marked  # no page known: target-counter prints it
    assert 'see <a href="#purpose">the' in marked  # prints no page: left alone
    assert pagerefs.with_pages(HTML, {}) == (HTML, {})


class Doc:
    def __init__(self, *pages):
        self.pages = [type("Page", (), {"anchors": dict.fromkeys(p)})() for p in pages]


def layouts(*documents):
    """A stand-in for WeasyPrint that returns these documents in turn, recording the HTML."""
    seen: list[str] = []

    def lay_out(html):
        seen.append(html)
        return SimpleNamespace(document=documents[len(seen) - 1])

    return seen, lay_out


def test_an_anchor_over_several_pages_is_on_its_first():
    assert pagerefs.anchor_pages(Doc(["a"], ["b", "a"], ["b"])) == {"a": 1, "b": 2}


def test_right_pages_cost_one_layout():
    seen, lay_out = layouts(Doc(["purpose"], [], ["issue-x"]))
    _done, found = pagerefs.lay_out(HTML, {"purpose": 1, "issue-x": 3}, lay_out)
    assert len(seen) == 1
    assert 'data-page="3"' in seen[0]
    assert found == {"purpose": 1, "issue-x": 3}


def test_a_page_that_moved_is_laid_out_again_with_the_pages_found():
    seen, lay_out = layouts(
        Doc(["purpose"], [], [], ["issue-x"]), Doc(["purpose"], [], [], ["issue-x"])
    )
    _, found = pagerefs.lay_out(HTML, {"purpose": 1, "issue-x": 3}, lay_out)
    assert len(seen) == 2
    assert 'data-page="4"' in seen[1]
    assert found["issue-x"] == 4


def test_pages_that_keep_moving_end_in_the_plain_layout():
    moving = [Doc(["purpose"], ["issue-x"]), Doc(["purpose"], [], ["issue-x"]), Doc(["purpose"])]
    seen, lay_out = layouts(*moving)
    pagerefs.lay_out(HTML, {"purpose": 1, "issue-x": 3}, lay_out)
    assert len(seen) == 3
    assert seen[2] == HTML


def test_nothing_is_kept_outside_watch(tmp_path):
    pagerefs.keep(tmp_path / "a.pdf", {"x": 1})
    assert pagerefs.recall(tmp_path / "a.pdf") == {}
    with pagerefs.remembered():
        pagerefs.keep(tmp_path / "a.pdf", {"x": 1})
        assert pagerefs.recall(tmp_path / "./a.pdf") == {"x": 1}
    assert pagerefs.recall(tmp_path / "a.pdf") == {}


def page_layouts(monkeypatch) -> list[int]:
    """Counts the pages WeasyPrint lays out (first time and again)."""
    from weasyprint.layout import page

    made: list[int] = []
    real = page.remake_page

    def counted(index, *args):
        made.append(index)
        return real(index, *args)

    monkeypatch.setattr(page, "remake_page", counted)
    return made


def made(trip: Path, tmp_path: Path, known: dict[str, int]) -> tuple[outputs.Made, bytes]:
    """What `outputs.make` reports, and the bytes it writes."""
    brief = read_brief(trip)
    [job] = plans.plan(trip, brief, ["book"], tmp_path / "out.pdf", False)
    with (tmp_path / "made.pdf").open("wb+") as written:
        made = outputs.make(replace(job, known_pages=known), plans.Options(), written.fileno())
        written.seek(0)
        return made, written.read()


@pytest.mark.slow
def test_wrong_pages_are_corrected_to_the_bytes_of_a_cold_build(tmp_path, monkeypatch):
    cold, cold_data = made(PRINTING, tmp_path, {})  # its contents and "p. N" print pages
    assert cold.anchor_pages
    assert max(cold.anchor_pages.values()) > 1
    wrong = dict.fromkeys(cold.anchor_pages, 1)  # every anchor "on page 1"
    count = page_layouts(monkeypatch)
    corrected, corrected_data = made(PRINTING, tmp_path, wrong)
    assert corrected_data == cold_data
    assert corrected.anchor_pages == cold.anchor_pages
    assert len(count) > corrected.pages  # laid out again: the numbers were checked


@pytest.mark.slow
def test_the_example_with_its_pages_known_lays_each_page_out_once(
    example_pdf, example_reader, tmp_path, monkeypatch
):
    """The pages a cold build put its anchors on, read from its PDF (pypdf), give a book
    with the same bytes in one pass: no page laid out twice."""
    known = {
        name: example_reader.get_destination_page_number(dest) + 1
        for name, dest in example_reader.named_destinations.items()
    }
    count = page_layouts(monkeypatch)
    warm, warm_data = made(EXAMPLE, tmp_path, known)
    assert warm_data == example_pdf.read_bytes()
    assert sorted(count) == list(range(warm.pages))
    count.clear()
    made(EXAMPLE, tmp_path, {})
    assert len(count) > warm.pages  # the control: a cold build lays some pages out twice


# What a page refers to, by the built-in stylesheet's rule, by a house style's that prints a
# counter of its own as well, backwards, and by an attribute that names no anchor without a
# base URL (a counter style `none`: WeasyPrint never looks it up).
PAGES = '<h2 id="a">A</h2><h2 id="b">B</h2>'
REFERRING = '<p>A on <a href="#a"></a>, B on <a href="#b"></a>.</p>'
STYLE = "<style>h2 {{ break-before: page }} a::after {{ content: {} }}</style>"


def _lay_out(html: str, monkeypatch) -> tuple[list[int], str, bytes]:
    """(the pages laid out, in turn; the text of every page; the PDF)."""
    import subprocess

    import weasyprint

    from briefgen.pdf.fonts import font_config  # briefgen.pdf installs the mend

    count = page_layouts(monkeypatch)
    document = weasyprint.HTML(string=html).render(font_config=font_config())
    data = document.write_pdf()
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    return list(count), " ".join(text.split()), data


@pytest.mark.parametrize(
    ("content", "body", "printed", "mended_layouts", "weasyprint_layouts"),
    [
        pytest.param(
            "target-counter(attr(href), page)",
            REFERRING + PAGES,
            "A on 2, B on 3.",
            [0, 1, 2, 0],
            [0, 1, 2, 0, 0],
            id="forward",
        ),
        pytest.param(
            'counter(page) "→" target-counter(attr(href), page)',
            REFERRING + PAGES,
            "A on 1→2, B on 1→3.",
            [0, 1, 2, 0, 0],  # left to WeasyPrint
            [0, 1, 2, 0, 0],
            id="own-counter",
        ),
        pytest.param(
            "target-counter(attr(href), page)",
            PAGES + "<h2>C</h2>" + REFERRING,
            "A on 1, B on 2.",
            [0, 1, 2, 2],
            [0, 1, 2, 2, 2],
            id="backward",
        ),
        pytest.param(
            "target-counter(attr(href), page) target-counter(attr(data-x url), page, none)",
            REFERRING + PAGES,
            "A on 2, B on 3.",
            [0, 1, 2, 0],  # the counter style `none` is never looked up: no crash
            [0, 1, 2, 0, 0],
            id="unresolvable",
        ),
    ],
)
def test_a_page_referring_forward_is_laid_out_twice_not_three_times(
    content, body, printed, mended_layouts, weasyprint_layouts, monkeypatch
):
    """WeasyPrint 70 filed a `target-counter(attr(href), page)` under the anchor None and read
    the reference again whenever its page's count of pages changed: a page referring forward
    was laid out three times (briefgen/pdf/targets.py). Mended, twice, with the same numbers
    and bytes; what cannot be resolved is left to WeasyPrint. Fails loudly (the control) when
    an upgrade mends it upstream: then delete targets.py."""
    from weasyprint import layout
    from weasyprint.css import targets as weasyprint_targets

    from briefgen.pdf import targets

    collector = weasyprint_targets.TargetCollector
    assert collector.collect_missing_counters is targets._collect_missing_counters
    assert layout.make_all_pages is targets._make_all_pages
    html = STYLE.format(content) + body
    mended, mended_text, mended_pdf = _lay_out(html, monkeypatch)
    monkeypatch.setattr(collector, "collect_missing_counters", targets._real_collect)
    monkeypatch.setattr(layout, "make_all_pages", targets._real_make_all_pages)
    unmended, unmended_text, unmended_pdf = _lay_out(html, monkeypatch)
    assert printed in mended_text
    assert mended_text == unmended_text
    assert mended_pdf == unmended_pdf
    assert (mended, unmended) == (mended_layouts, weasyprint_layouts)


def test_either_half_of_the_mend_alone_changes_nothing(monkeypatch):
    """The two go together: the count of pages is kept up to date only in what a reference
    filed under its anchor read (kept up to date in what WeasyPrint filed under None, every
    reference printed 0); either half alone lays the page out three times, numbers right."""
    from weasyprint import layout
    from weasyprint.css import targets as weasyprint_targets

    from briefgen.pdf import targets

    html = STYLE.format("target-counter(attr(href), page)") + REFERRING + PAGES
    collector = weasyprint_targets.TargetCollector
    for collect, make_all_pages in (
        (targets._real_collect, targets._make_all_pages),
        (targets._collect_missing_counters, targets._real_make_all_pages),
    ):
        monkeypatch.setattr(collector, "collect_missing_counters", collect)
        monkeypatch.setattr(layout, "make_all_pages", make_all_pages)
        layouts, text, _pdf = _lay_out(html, monkeypatch)
        assert "A on 2, B on 3." in text
        assert layouts == [0, 1, 2, 0, 0]

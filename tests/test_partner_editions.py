"""Issue 17's "done when", on real PDFs read back whole (every string and decompressed
stream, not only the extracted text): portion controls, partner and level editions that
prove what they withheld, CUI, the authority block on every classified product; and issue
22's people seen only in withheld portions."""

from __future__ import annotations

import shutil

import pytest
from pypdf import PdfReader

from briefgen.intake import read_brief
from conftest import CORPUS, run_cli
from helpers import everything, first_page, pdf_text

PARTNERS = CORPUS / "good" / "partners.yaml"
CUI_TRIP = CORPUS / "good" / "cui.yaml"
# The texts of the trip's NOFORN portions (the withheld event's title and talking point).
NOFORN_TEXTS = [
    "harbour master quietly favours the competing Kestrel proposal",
    "Private session with the Harbour Master of Duqm",
    "berthing fees quoted to the Kestrel consortium",
    "Yusuf al-Balushi",  # seen only in the NOFORN event
    "Retired naval officer who ran the Duqm dry dock",
]


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> dict:
    """Each product of the test trips, built once: name -> (path, the build's output)."""
    folder = tmp_path_factory.mktemp("partners")
    for trip in (PARTNERS, CUI_TRIP):
        shutil.copy(trip, folder)
    runs = {
        "full": ["partners.yaml", "--layout", "book,memo,card,meeting"],
        "omn": ["partners.yaml", "--release-to", "omn", "--layout", "book,memo,card,meeting"],
        "sbu": ["partners.yaml", "--release", "SBU", "--layout", "book,card"],
        "c-omn": ["partners.yaml", "--release", "C", "--release-to", "OMN", "--layout", "memo"],
        "itinerary": ["partners.yaml", "--layout", "itinerary", "--for", "all"],
        "cui": ["cui.yaml", "--layout", "book,card"],
    }
    out = {}
    for name, args in runs.items():
        result = run_cli("build", *args, "-j", "2", cwd=folder)
        assert result.returncode == 0, result.stderr
        out[name] = result
    return {"folder": folder, **out}


@pytest.mark.slow
def test_the_book_rolls_up_to_noforn(built):
    book = built["folder"] / "partners.pdf"
    text = everything(book)
    assert "CONFIDENTIAL//NOFORN" in text
    page = first_page(book)
    for mark in ("(C//NF)", "(C//REL TO USA, OMN)", "(SBU)", "(U)"):
        assert mark in page
    assert "partners.pdf (CONFIDENTIAL//NOFORN)" in built["full"].stdout


@pytest.mark.slow
def test_the_oman_edition_holds_nothing_noforn(built):
    folder = built["folder"]
    products = [
        "partners-rel-omn.pdf",
        "partners-memo-rel-omn.pdf",
        "partners-card-rel-omn.pdf",
        "partners-meeting-1-rel-omn.pdf",
    ]
    for name in products:
        text = everything(folder / name)
        assert "CONFIDENTIAL//REL TO USA, OMN" in text, name
        assert "NOFORN" not in text.upper(), name
        assert "//NF" not in text, name
        for withheld in NOFORN_TEXTS:
            assert withheld.lower() not in text.lower(), (name, withheld)
        assert "Releasable edition — releasable to OMN — 2 portions withheld" in first_page(
            folder / name
        ), name
    assert not (folder / "partners-meeting-harbour-session-rel-omn.pdf").exists()
    lines = built["omn"].stderr.count("withheld 2 portions; verified: none appears in the PDF")
    assert lines == len(products)


@pytest.mark.slow
def test_the_sbu_edition_is_not_classified_anywhere(built):
    for name in ("partners-rel-sbu.pdf", "partners-card-rel-sbu.pdf"):
        path = built["folder"] / name
        text = everything(path)
        assert "SENSITIVE BUT UNCLASSIFIED" in text
        for word in ("CONFIDENTIAL", "NOFORN", "REL TO", "Classified By"):
            assert word.lower() not in text.lower(), (name, word)
        assert "at or below SBU — 5 portions withheld" in first_page(path)
    assert "withheld 5 portions; verified: none appears in the PDF" in built["sbu"].stderr


@pytest.mark.slow
def test_both_options_name_the_output_and_the_edition(built):
    path = built["folder"] / "partners-memo-rel-c-omn.pdf"
    assert "at or below C, releasable to OMN" in first_page(path)


@pytest.mark.slow
def test_every_confidential_product_has_the_authority_block_on_page_1(built):
    folder = built["folder"]
    pdfs = sorted(folder.glob("partners*.pdf"))
    assert len(pdfs) >= 12
    for path in pdfs:
        page = first_page(path)
        classified = "CONFIDENTIAL" in page
        assert ("Classified By: J. Halvorsen" in page) is classified, path.name
        assert ("Declassify On: 20510310" in page) is classified, path.name


@pytest.mark.slow
def test_cui_banner_portions_and_indicator(built):
    book = built["folder"] / "cui.pdf"
    page = first_page(book)
    assert page.count("CUI//FEDCON") == 2  # the banner, top and bottom
    assert "(CUI) The brigade\u2019s ammunition storage site" in page
    for line in (
        "Controlled by: Department of Defense",
        "Controlled by: OUSD(P)",
        "CUI Category: OPSEC",
        "Limited Dissemination Control: FEDCON",
        "POC: M. Okafor",
    ):
        assert line in page
    card = built["folder"] / "cui-card.pdf"  # prints no CUI portion: no banner CUI, no block
    assert "CUI" not in everything(card)


@pytest.mark.slow
def test_a_packet_of_a_withheld_event_says_why(tmp_path):
    shutil.copy(PARTNERS, tmp_path)
    args = ["build", "partners.yaml", "--release-to", "OMN", "--layout", "meeting"]
    result = run_cli(*args, "--event", "harbour-session", cwd=tmp_path)
    assert result.returncode == 1
    assert "--event harbour-session: withheld from this edition (marked C//NF, not " in (
        result.stderr
    )
    assert "no such event" not in result.stderr
    assert not list(tmp_path.glob("*.pdf"))


@pytest.mark.slow
def test_the_read_back_finds_withheld_text(built):
    """The check the build runs, on the full book: it holds what the edition withheld."""
    from briefgen import editions, leaks

    edition = editions.release(read_brief(built["folder"] / "partners.yaml"), None, "OMN")
    assert edition.brief.withheld is not None
    lookout = edition.brief.withheld.lookout
    full = (built["folder"] / "partners.pdf").read_bytes()
    with pytest.raises(leaks.Leak, match="withheld text appears in the PDF"):
        leaks.check(lookout, full, edition.total)
    edition_pdf = (built["folder"] / "partners-rel-omn.pdf").read_bytes()
    assert "verified" in leaks.check(lookout, edition_pdf, edition.total)


@pytest.mark.slow
def test_withheld_text_with_quotes_is_found_printed_curly(tmp_path):
    """Typed with straight quotes and an apostrophe, printed with curly ones (plain.curly,
    the Markdown typographer): the read-back still finds it in the full book. Every run of
    the withheld text holds a quote, so only quote-blind matching finds it."""
    from briefgen import editions, leaks

    trip = tmp_path / "partners.yaml"
    typed = "\"Zephyr's\" 'quiet' deal"
    trip.write_text(
        PARTNERS.read_text(encoding="utf-8").replace(
            "Press the harbour master on the berthing fees quoted to the Kestrel consortium.",
            typed.replace("'", "''").join("''"),  # a YAML single-quoted scalar
        ),
        encoding="utf-8",
    )
    assert run_cli("build", trip, "-o", tmp_path / "full.pdf").returncode == 0
    assert (
        "\u201czephyr\u2019s\u201d \u2018quiet\u2019 deal"
        in everything(tmp_path / "full.pdf").lower()
    )
    edition = editions.release(read_brief(trip), None, "OMN")
    assert edition.brief.withheld is not None
    lookout = edition.brief.withheld.lookout
    ours = [run for run in lookout.runs if "zephyr" in run]  # the old rule kept its quotes
    assert ours
    found = lookout.find(leaks.pdf_text((tmp_path / "full.pdf").read_bytes()))
    assert set(ours) <= set(found)


def test_runs_survive_reflow():
    from briefgen import leaks

    lookout = leaks.Lookout.of(
        ["Press the harbour master on the **berthing fees** quoted"], ["Duqm harbour"]
    )
    assert lookout.runs
    assert lookout.texts == 1
    reflowed = leaks.normalise("…press the HARBOUR master on\nthe berthing\u00ad fees quoted")
    assert lookout.find(reflowed)
    assert not lookout.find(leaks.normalise("the Duqm harbour at dawn"))
    # a house style printing it with Cyrillic look-alikes (found by an outside attack)
    disguised = "press the harbour master on the berthing fees".translate(
        str.maketrans("aeo", "аео")
    )
    assert "a" not in disguised
    assert lookout.find(leaks.normalise(disguised))
    # too short to tell from ordinary words: said, not looked for
    assert leaks.Lookout.of(["Lunch"], []).not_looked_for == 1


def test_runs_are_found_as_whole_words():
    """A withheld answer "... on maintaining open lines" was found in a kept paper's "Our
    position" + "Maintaining open lines ...", and a trip of the example's library failed to
    build as a leak (an outside attack); a name is found as a name, in Chinese inside words."""
    from briefgen import leaks

    lookout = leaks.Lookout.of(["We insist on maintaining open lines"], ["Maintaining open lines"])
    assert "on maintaining open" in lookout.runs
    assert not lookout.find(leaks.normalise("Our position\nMaintaining open lines matters"))
    assert lookout.find(leaks.normalise("we insist, on maintaining open lines."))
    assert leaks.occurs("sun li", "lunch with sun li.")
    assert not leaks.occurs("sun li", "lunch at the sun lithe restaurant")
    assert leaks.occurs("秦刚", "会见秦刚外长")
    # a rule of dashes, a row of nines: a font's bytes hold them (a valid edition failed)
    plain = leaks.Lookout.of(["-" * 40, "9" * 32, "— " * 12], [])
    assert plain.runs == ()
    assert (plain.texts, plain.not_looked_for) == (0, 3)
    assert leaks.Lookout.of(["555-5555"], []).runs == ("555-5555",)  # a number is looked for


WORDED_AS_THE_BOOK_IS = {  # a withheld note, the book's language, what the book prints
    "date": ("Moved from Sunday, June 18, 2023, by request", "en", "sunday, june 18, 2023"),
    "label": ("Add it to the schedule at a glance by request", "en", "schedule at a glance"),
    "label-fr": ("Programme en un coup d’œil revu by request", "fr", "programme en un coup"),
}


@pytest.mark.parametrize("case", list(WORDED_AS_THE_BOOK_IS))
@pytest.mark.slow
def test_a_withheld_text_worded_as_the_book_prints_a_date_or_label_is_no_leak(tmp_path, case):
    """A withheld note "... Sunday, June 18, 2023" shares its date with the schedule's
    heading of that day, and one to add something to the "schedule at a glance" shares the
    heading's words: the U edition failed to build as a leak (an outside attack). The
    distinctive rest of the note is still looked for, and not printed."""
    note, language, printed = WORDED_AS_THE_BOOK_IS[case]
    trip = tmp_path / "trip.yaml"
    text = (CORPUS / "good" / "minimal.yaml").read_text(encoding="utf-8")
    text = text.replace("  title: Secretary's", f"  language: {language}\n  title: Secretary's")
    note_line = f'    notes: {{text: "{note}", mark: SBU}}\n'
    trip.write_text(text.replace("    kind: arrival\n", "    kind: arrival\n" + note_line), "utf-8")
    result = run_cli("build", trip, "--release", "U", "-o", tmp_path / "u.pdf")
    assert result.returncode == 0, result.stderr
    assert "withheld 1 portion; verified" in result.stderr, result.stderr
    found = everything(tmp_path / "u.pdf")
    assert printed in found.lower()  # the day's heading, or the schedule's
    assert "by request" not in found
    from briefgen import editions

    withheld = editions.release(read_brief(trip), "U").brief.withheld
    assert withheld is not None
    assert any("by request" in run for run in withheld.lookout.runs)  # the rest is looked for


@pytest.mark.slow
def test_an_edition_whose_version_outruns_its_footer_is_read_back(tmp_path):
    """A 600-character version: the footer's ellipsis stood for the 540 characters it cut,
    past what pypdf reads of one glyph, and the U edition's read-back failed as an
    unexpected error (base.html.j2 cuts the running version at 120 characters)."""
    trip = tmp_path / "trip.yaml"
    version = " ".join(["Draft"] * 100)
    text = (CORPUS / "good" / "minimal.yaml").read_text(encoding="utf-8")
    trip.write_text(
        text.replace("  date: 2023-06-10\n", f"  date: 2023-06-10\n  version: {version}\n")
    )
    result = run_cli("build", trip, "--release", "U", "-o", tmp_path / "u.pdf")
    assert result.returncode == 0, result.stderr
    assert "verified" in result.stderr
    assert version in pdf_text(tmp_path / "u.pdf").replace("\n", " ")  # the memo's, whole


def test_a_page_the_read_back_cannot_read_fails_the_edition_in_a_sentence():
    """What pypdf will not read (one glyph standing for 600 cut characters) proves nothing
    absent: the edition fails closed, saying why, not as an unexpected error."""
    from briefgen import leaks
    from briefgen.errors import BuildError
    from briefgen.pdf.startup import import_weasyprint

    footer = "white-space: nowrap; overflow: hidden; text-overflow: ellipsis; width: 30%"
    html = (
        f"<style>@page {{ @bottom-left {{ content: string(v); {footer} }} }}"
        ".v { string-set: v content() }</style>"
        f"<p class=v>{'Draft ' * 100}</p>"
    )
    data = import_weasyprint().HTML(string=html).write_pdf()
    with pytest.raises(BuildError, match=r"cannot read page 1's text .*cannot show that nothing"):
        leaks.pdf_text(data)


def test_an_edition_below_the_default_level_is_refused_saying_what_to_change(tmp_path):
    """Every releasable portion marked U does not make a U edition of a trip whose default
    is S: names and places carry no mark and would go out under S. The message said "mark
    the releasable portions instead", which the attack's trip had done."""
    trip = tmp_path / "trip.yaml"
    text = (CORPUS / "good" / "minimal.yaml").read_text(encoding="utf-8")
    authority = "  authority: {classified_by: T, reason: 1.4(d), declassify_on: '20500101'}\n"
    trip.write_text(text.replace("  default: U\n", "  default: S\n" + authority), "utf-8")
    result = run_cli("build", trip, "--release", "U", "-o", tmp_path / "u.pdf")
    assert result.returncode == 1
    assert "markings.default is S, above U: names and places carry no mark" in result.stderr
    assert "give markings.default a releasable level" in result.stderr
    assert not (tmp_path / "u.pdf").exists()


def test_people_seen_only_in_withheld_portions_are_left_out(tmp_path):
    from briefgen import editions

    edition = editions.release(read_brief(PARTNERS), None, "OMN")
    assert "harbour" not in edition.brief.trip.people
    assert edition.people == ("Yusuf al-Balushi",)
    # ... unless what is kept names them
    named = tmp_path / "named.yaml"
    named.write_text(
        PARTNERS.read_text(encoding="utf-8").replace(
            "  - Reaffirm the maritime", "  - Thank Yusuf al-Balushi; reaffirm the maritime"
        ),
        encoding="utf-8",
    )
    assert "harbour" in editions.release(read_brief(named), None, "OMN").brief.trip.people
    # ... as a name, not inside another word
    inside = tmp_path / "inside.yaml"
    inside.write_text(
        PARTNERS.read_text(encoding="utf-8").replace(
            "  - Reaffirm the maritime", "  - Thank Yusuf al-Balushiyya; reaffirm the maritime"
        ),
        encoding="utf-8",
    )
    assert "harbour" not in editions.release(read_brief(inside), None, "OMN").brief.trip.people
    assert "harbour" in editions.release(read_brief(PARTNERS), "C", None).brief.trip.people


@pytest.mark.slow
def test_a_house_style_that_attaches_the_trip_never_carries_it_into_the_edition(tmp_path):
    """Issue 22's first hole: a house style asking to attach the trip file gets its request
    dropped (pdf/: only briefgen attaches files); the edition is written without it, and the
    read-back verified it."""
    shutil.copy(PARTNERS, tmp_path)
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "book.html.j2").write_text(
        '{% extends "builtin/book.html.j2" %}\n'
        '{% block head %}<link rel="attachment" href="partners.yaml">{% endblock %}\n',
        encoding="utf-8",
    )
    result = run_cli("build", "partners.yaml", "--release-to", "OMN", cwd=tmp_path)
    said = result.stdout + result.stderr
    assert "dropped an attachment" in said
    assert "verified: none appears in the PDF" in said
    (written,) = tmp_path.glob("*.pdf")
    assert not PdfReader(written).attachments


@pytest.mark.slow
def test_rel_to_lists_that_share_only_usa_are_noforn_on_the_page(tmp_path):
    """`markings.controls` with two REL TO lists that share no country but USA gives every
    classified portion without its own controls NF, never the `REL TO USA` that the portion
    rules refuse; the banner is NOFORN. (The old code printed `(C//REL TO USA)`.)"""
    text = PARTNERS.read_text(encoding="utf-8").replace(
        "  default: U\n",
        '  default: U\n  controls: ["REL TO USA, GBR", "REL TO USA, OMN"]\n',
    )
    text = text.replace('mark: "C//REL TO USA, OMN"', "mark: C").replace("mark: C//NF", "mark: C")
    (tmp_path / "shared.yaml").write_text(text, encoding="utf-8")
    result = run_cli("build", "shared.yaml", "--layout", "memo", "-o", "m.pdf", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    all_text = everything(tmp_path / "m.pdf")
    assert "(C//NF)" in first_page(tmp_path / "m.pdf")
    assert "CONFIDENTIAL//NOFORN" in all_text
    assert "REL TO USA)" not in all_text
    assert "REL TO USA//" not in all_text
    assert "shared.yaml -> m.pdf (CONFIDENTIAL//NOFORN)" in result.stdout


@pytest.mark.slow
def test_a_days_timeline_is_one_marked_portion(built):
    """A day's timeline draws its events' titles: it is one portion, marked with what those
    titles make together, left of its lanes, and its mark is recorded when the page prints
    the picture (the old code drew C//NF titles unmarked and recorded nothing)."""
    import base64
    import datetime as dt

    import pdfplumber

    from briefgen.render import Templates, template_context

    printed: set = set()
    context = template_context(
        read_brief(PARTNERS), layout="book", paper=None, templates=Templates(), printed=printed
    )
    timelines = context["view"].timelines
    for day, mark in ((dt.date(2026, 3, 9), "U"), (dt.date(2026, 3, 10), "C//NF")):
        printed.clear()
        uri = timelines[day].image.__html__()  # as the template prints it
        assert printed == {mark}, day
        svg = base64.b64decode(uri.split(",", 1)[1]).decode("utf-8")
        assert f">({mark})</text>" in svg, day
    with pdfplumber.open(built["folder"] / "partners.pdf") as pdf:
        page = next(p for p in pdf.pages if "SCHEDULE AT A GLANCE" in (p.extract_text() or ""))
        marks = [w["text"] for w in page.extract_words() if w["x0"] < 110]
    assert marks.count("(U)") >= 1  # the stops line's mark is left too
    assert "(C//NF)" in marks


@pytest.mark.parametrize(
    ("control", "kept"),
    [("FEDCON", False), ("NOFORN", False), ("REL TO USA, LTU", True), ("REL TO USA, GBR", False)],
)
@pytest.mark.slow
def test_a_partner_edition_keeps_cui_only_where_its_control_releases_it(tmp_path, control, kept):
    """CUI//FEDCON or //NOFORN may not go to a partner: the Lithuanian edition printed it,
    with its indicator (found by an outside attack); CUI//REL TO USA, LTU may."""
    trip = tmp_path / "cui.yaml"
    trip.write_text(
        CUI_TRIP.read_text(encoding="utf-8").replace(
            "dissemination: FEDCON", f'dissemination: "{control}"'
        ),
        encoding="utf-8",
    )
    out = tmp_path / "memo.pdf"
    result = run_cli("build", trip, "--release-to", "LTU", "--layout", "memo", "-o", out)
    assert result.returncode == 0, result.stderr
    held = everything(out)
    assert ("ammunition storage site at Pab" in held) is kept
    assert ("Controlled by" in held) is kept

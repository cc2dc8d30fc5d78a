"""The book prints every Text of the file, so its banner is the file's marking: `check`
says so without rendering it (cli/trips.py). Held for every trip of the corpus and for
trips drawn from the schema (tests/drawn.py)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, seed
from pydantic import BaseModel

from briefgen.intake import read_brief
from briefgen.model.text import TextItem
from briefgen.render import render_document
from briefgen.render.view import printed_paper
from conftest import CORPUS, EXAMPLE, run_cli
from drawn import drawn_trips, trip_texts


def texts(value, path=()):
    """(path, Text) for every Text of a validated trip."""
    if isinstance(value, TextItem):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from texts(getattr(value, name), (*path, name))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from texts(item, (*path, key))
    elif isinstance(value, list | tuple):
        for number, item in enumerate(value):
            yield from texts(item, (*path, number))


def assert_the_book_prints_every_text(brief, monkeypatch) -> None:
    """Every Text but the principal's own bio and notes is printed (as often as it occurs:
    a duplicate left out is seen), and the book's marking is the file's when those carry
    no mark of their own."""
    import briefgen.render.text as text_module

    printed: Counter[str] = Counter()
    real = text_module.inline_markdown
    monkeypatch.setattr(
        text_module, "inline_markdown", lambda source: printed.update([source]) or real(source)
    )
    _, marking = render_document(brief, layout="book")
    monkeypatch.undo()
    principal = ("people", brief.trip.trip.principal)
    own = [item for path, item in texts(brief.trip) if path[:2] == principal]
    # an issue paper with a title and nothing under it is not printed (render/view.py)
    bare = [i.title for i in brief.trip.issues if not printed_paper(i)]
    left_out = [*own, *bare]
    left = {id(item) for item in left_out}
    expected = Counter(item.text for _path, item in texts(brief.trip) if id(item) not in left)
    assert expected - printed == Counter()
    if all(item.mark is None for item in left_out):  # else check renders the book to know
        assert marking == brief.marking


@pytest.mark.parametrize(
    "trip", [*sorted((CORPUS / "good").glob("*.yaml")), EXAMPLE], ids=lambda p: p.name
)
@pytest.mark.slow
def test_the_book_prints_every_text_of_the_corpus(trip: Path, monkeypatch):
    assert_the_book_prints_every_text(read_brief(trip, ()), monkeypatch)


@pytest.mark.slow
@seed(20261129)
@drawn_trips(40)
@given(trip_texts(valid=True))
def test_the_book_prints_every_text_of_trips_from_the_schema(tmp_path_factory, text):
    folder = tmp_path_factory.mktemp("drawn", numbered=True)
    trip = folder / "trip.yaml"
    trip.write_text(text, encoding="utf-8", errors="surrogatepass")
    brief = read_brief(trip, ())
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert_the_book_prints_every_text(brief, monkeypatch)


def test_a_text_the_book_left_out_would_be_seen(monkeypatch):
    """The control: a book that drops the issue papers fails the check above."""
    brief = read_brief(CORPUS / "good" / "printing.yaml", ())
    from briefgen.render.marked import MarkedText, parts
    from briefgen.render.text import TextPrinter

    papers = {item.text for _, item in texts(brief.trip.issues)}

    class WithoutIssuePapers(TextPrinter):
        def __call__(self, item, mark=True):
            words = parts(item)[0] if isinstance(item, MarkedText) else None
            return "" if words in papers else super().__call__(item, mark)

    import briefgen.render as render_module

    monkeypatch.setattr(render_module, "TextPrinter", WithoutIssuePapers)
    with pytest.raises(AssertionError):
        assert_the_book_prints_every_text(brief, pytest.MonkeyPatch())


def test_check_renders_no_book_to_say_its_marking(monkeypatch):
    import briefgen.render as render_module

    rendered = []
    monkeypatch.setattr(
        render_module, "render_document", lambda *a, **k: rendered.append(k) or 1 / 0
    )
    result = run_cli("check", CORPUS / "good" / "printing.yaml")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("marking: SECRET")
    assert rendered == []


def test_a_marked_principal_bio_is_left_out_of_the_books_marking(tmp_path):
    """The book has no bio page for the principal: its SBU bio does not make it SBU, and
    check, which then renders the book, says what the build prints."""
    trip = tmp_path / "trip.yaml"
    trip.write_text(
        """briefgen: 1
memo: {to: The Secretary, from: EAP, date: 2023-06-10, subject: Trip}
markings: {system: us, default: U}
trip: {title: T, principal: p, home_timezone: America/New_York, start: 2023-06-18,
       end: 2023-06-18, stops: [{place: Beijing, timezone: Asia/Shanghai}]}
purpose: Why.
goals: [Goal.]
people:
  p: {name: Prin Cipal, title: Secretary, side: home, bio: {text: Prefers tea., mark: SBU}}
agenda:
  - {title: Meeting, date: 2023-06-18, participants: [p]}
""",
        encoding="utf-8",
    )
    brief = read_brief(trip, ())
    assert brief.marking.overall == "SBU"  # the file holds an SBU portion
    assert render_document(brief, layout="book")[1].banner == "UNCLASSIFIED"
    result = run_cli("check", trip)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("marking: UNCLASSIFIED")


def test_check_says_the_marking_of_the_book_without_a_bare_issue_paper(tmp_path):
    """Found by the trips drawn from the schema (seed 20261129): an issue paper with only a
    title is not printed, yet `check` says the file's marking comes from its title's mark
    (SECRET) while the build prints an UNCLASSIFIED book."""
    trip = tmp_path / "trip.yaml"
    trip.write_text(
        """briefgen: 1
memo: {to: The Secretary, from: EAP, date: 2023-06-10, subject: Trip}
markings: {system: us, default: U, authority: {classified_by: "J. Doe, Director",
           reason: "1.4(d)", declassify_on: "2048-06-10"}}
trip: {title: T, principal: p, home_timezone: America/New_York, start: 2023-06-18,
       end: 2023-06-18, stops: [{place: Beijing, timezone: Asia/Shanghai}]}
purpose: Why.
goals: [Goal.]
people:
  p: {name: Prin Cipal, title: Secretary, side: home}
agenda:
  - {title: Meeting, date: 2023-06-18, participants: [p]}
issues:
  - {id: paper, title: {text: Codeword title, mark: S}}
""",
        encoding="utf-8",
    )
    _, marking = render_document(read_brief(trip, ()), layout="book")
    assert marking.banner == "UNCLASSIFIED"  # what the build prints
    result = run_cli("check", trip)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("marking: UNCLASSIFIED")

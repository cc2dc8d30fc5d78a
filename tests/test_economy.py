"""Page economy on a rebuild (pdf/economy.py): the breaks the last build of an output took
back are read from its PDF and tried first; one layout when the pages did not move, and the
bytes of a cold build either way."""

from __future__ import annotations

import weasyprint

from briefgen import outputs, pdf, plans
from briefgen.intake import read_brief
from briefgen.load import load
from briefgen.pdf import economy
from briefgen.render import Templates, render_document
from briefgen.validate import validate
from conftest import CORPUS

DAY_TRIP = CORPUS / "good" / "day-trip.yaml"  # 3 pages; 4 of its 5 breaks taken back, not all


def _layouts(monkeypatch) -> list[int]:
    """Counts whole-document layouts (WeasyPrint's HTML.render), one entry per call."""
    calls: list[int] = []
    real = weasyprint.HTML.render

    def counted(self, *args, **kwargs):
        calls.append(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "render", counted)
    return calls


def _made(trip, target) -> bytes:
    """What `outputs.make` writes for the trip's book aimed at `target` (which holds the
    last build, if any), in this process."""
    brief = read_brief(trip)
    [job] = plans.plan(trip, brief, ["book"], target, False)
    with (target.parent / "made.pdf").open("wb+") as written:
        outputs.make(job, plans.Options(), written.fileno())
        written.seek(0)
        return written.read()


def test_a_rebuild_lays_out_once_and_writes_the_bytes_of_a_cold_build(tmp_path, monkeypatch):
    out = tmp_path / "trip.pdf"
    calls = _layouts(monkeypatch)
    cold = _made(DAY_TRIP, out)
    assert len(calls) >= 2  # the day trip's book takes breaks back (the control)
    out.write_bytes(cold)
    assert economy.recall(out)  # and says which, for the next build
    calls.clear()
    assert _made(DAY_TRIP, out) == cold
    assert len(calls) == 1


def test_a_wrong_guess_is_laid_out_again_as_a_cold_build(monkeypatch):
    brief = validate(load(DAY_TRIP))
    templates = Templates()
    html = render_document(brief, layout="book", templates=templates)[0]
    folders = [brief.folder, *templates.folders]
    cold = pdf.render(html, layout="book", folders=folders)
    numbered = economy.numbered(html)
    every = set(economy._names(numbered))  # every break taken back: the pages run together
    assert every - economy.guessed(numbered, cold.flowed_on)
    calls = _layouts(monkeypatch)
    wrong = pdf.render(
        html, layout="book", folders=folders, flow_hint=economy.names_of(numbered, every)
    )
    assert len(calls) >= 2  # the guess, found wrong, then cold
    assert wrong.flowed_on == cold.flowed_on
    assert pdf.write(wrong) == pdf.write(cold)


def test_an_unreadable_last_output_is_no_hint(tmp_path):
    (tmp_path / "trip.pdf").write_bytes(b"%PDF-1.7 not really")
    assert economy.recall(tmp_path / "trip.pdf") == ""
    assert economy.recall(tmp_path / "missing.pdf") == ""

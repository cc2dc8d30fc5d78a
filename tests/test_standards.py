"""Archival (PDF/A-3b) and accessible (PDF/UA-1) output, checked with what runs here:
pikepdf for structure and attachments, qpdf for syntax, the `pdfua` rules; and the same
bytes from separate processes for every layout and standard."""

from __future__ import annotations

import shutil
import subprocess

import pikepdf
import pytest

from conftest import EXAMPLE, MINIMAL, run_cli, run_process
from helpers import PNG


def built(tmp_path, *args, trip=EXAMPLE, name="out.pdf"):
    out = tmp_path / name
    result = run_cli("build", trip, *args, "-o", out)
    assert result.returncode == 0, result.stderr
    return out


def qpdf_ok(path) -> bool:
    result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    return result.returncode == 0 and "No syntax or stream encoding errors" in result.stdout


needs_qpdf = pytest.mark.skipif(
    shutil.which("qpdf") is None, reason="qpdf is not installed (scripts/bootstrap.sh installs it)"
)


@pytest.mark.slow
@needs_qpdf
def test_pdf_a_3b_carries_its_trip_file(example_as):
    out = example_as("book", "pdf/a-3b")
    assert qpdf_ok(out)
    with pikepdf.open(out) as pdf:
        files = {
            "beijing-2023.yaml": EXAMPLE,
            "library/people.yaml":  # and its libraries
            EXAMPLE.parent / "library" / "people.yaml",
            "library/issues.yaml": EXAMPLE.parent / "library" / "issues.yaml",
        }
        assert set(pdf.attachments) == set(files)
        for name, path in files.items():
            assert pdf.attachments[name].get_file().read_bytes() == path.read_bytes()
            assert pdf.attachments[name].obj.AFRelationship == "/Source"
        spec = pdf.attachments["beijing-2023.yaml"]
        assert sorted({str(f.UF) for f in pdf.Root.AF}) == sorted(files)
        params = spec.get_file().obj.Params
        assert str(params.CreationDate).startswith("D:20230615")
        assert str(params.ModDate).startswith("D:20230615")
        with pdf.open_metadata() as xmp:
            assert xmp["pdfaid:part"] == "3"
            assert xmp["pdfaid:conformance"] == "B"
        assert pdf.Root.OutputIntents[0].S == "/GTS_PDFA1"
        assert "/StructTreeRoot" in pdf.Root  # still tagged


@pytest.mark.slow
@needs_qpdf
def test_pdf_ua_1_passes_the_local_checks(tmp_path, example_as):
    import pdfua

    folder = tmp_path / "trip"
    (folder / "photos").mkdir(parents=True)
    (folder / "photos" / "qin.png").write_bytes(PNG)
    trip = folder / "trip.yaml"
    trip.write_text(
        MINIMAL.read_text(encoding="utf-8").replace(
            "    lang: zh-Hans\n", "    lang: zh-Hans\n    photo: photos/qin.png\n"
        ),
        encoding="utf-8",
    )
    for source in (EXAMPLE, trip):
        out = (
            example_as("book", "pdf/ua-1")
            if source == EXAMPLE
            else built(tmp_path, "--pdf-standard", "pdf/ua-1", trip=source, name="ua.pdf")
        )
        assert qpdf_ok(out)
        report = pdfua.validate(str(out))
        assert [f for f in report.findings if f.severity >= pdfua.Severity.WARNING] == []
        with pikepdf.open(out) as pdf:
            assert pdf.Root.Lang == "en"
            assert pdf.Root.MarkInfo.Marked is True
            assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
            assert pdf.docinfo.Title in ("Secretary\u2019s Travel to Beijing",)
            with pdf.open_metadata() as xmp:
                assert xmp["pdfuaid:part"] == "1"
            kinds = {}
            for obj in pdf.objects:
                if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/StructElem":
                    kinds.setdefault(str(obj.S), []).append(obj)
            assert all(th.A.Scope == "/Column" for th in kinds["/TH"])
            assert all("/Headers" in td.A for td in kinds["/TD"])
            assert "/Table" in kinds
            assert "/H2" in kinds
            alts = [str(figure.Alt) for figure in kinds["/Figure"]]
            if source == trip:
                assert "Photo of Qin Gang" in alts
            # each day's timeline is a figure that says itself in words
            assert any(alt.startswith("Sunday 18 June: ") for alt in alts), alts


@pytest.mark.slow
def test_default_output_is_tagged(tmp_path):
    out = built(tmp_path, trip=MINIMAL)
    with pikepdf.open(out) as pdf:
        assert "/StructTreeRoot" in pdf.Root
        assert pdf.Root.MarkInfo.Marked is True
        assert "/AF" not in pdf.Root


def _heavy(layout: str, standard: str | None):
    """The quick loop keeps one pair; the full run, all (and the separate process below)."""
    return [] if (layout, standard) == ("card", None) else [pytest.mark.slow]


@pytest.mark.parametrize(
    ("layout", "standard"),
    [
        pytest.param(layout, standard, marks=_heavy(layout, standard))
        for layout in ("book", "memo", "card")
        for standard in (None, "pdf/a-3b", "pdf/ua-1")
        if (layout, standard) != ("book", None)  # test_build: two builds, identical bytes
    ],
)
@pytest.mark.slow
def test_same_input_same_bytes(tmp_path, example_as, layout, standard):
    args = ["--layout", layout] + (["--pdf-standard", standard] if standard else [])
    again = built(tmp_path, *args, name="again.pdf")  # another forked child, same input
    assert again.read_bytes() == example_as(layout, standard).read_bytes()


@pytest.mark.slow
def test_same_bytes_from_a_separate_process(tmp_path, example_as):
    out = tmp_path / "process.pdf"
    args = ["--layout", "card", "--pdf-standard", "pdf/a-3b", "-o", out]
    result = run_process("build", EXAMPLE, *args)
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == example_as("card", "pdf/a-3b").read_bytes()

"""`briefgen doctor`: reports the engine, HarfBuzz subsetting and font coverage with fixes."""

from __future__ import annotations

from typer.testing import CliRunner

from briefgen import doctor
from briefgen.cli.common import app
from conftest import run_cli


def test_doctor_passes_on_a_set_up_machine():
    result = run_cli("doctor")
    assert result.returncode == 0, result.stdout
    lines = result.stdout.splitlines()
    assert lines[0].startswith("ok   WeasyPrint 70.")
    assert "Pango 1." in lines[0]
    assert "HarfBuzz subsetting available" in result.stdout
    for script in ("Chinese", "Japanese", "Korean", "Arabic"):
        assert f"ok   {script} fonts installed" in result.stdout


def test_doctor_names_the_fix_and_fails_when_a_needed_font_is_missing(monkeypatch):
    monkeypatch.setattr(
        doctor,
        "SCRIPTS",
        [
            ("Private use", "\ue123\ue124", "en", "fonts-example-private", True),
            ("Optional", "\ue125", "en", "fonts-example-optional", False),
        ],
    )
    result = CliRunner().invoke(app, ["doctor"])
    assert result.exit_code == 1
    assert (
        "FAIL Private use fonts missing (2 characters print as boxes): fix with "
        "`sudo apt-get install fonts-example-private`"
    ) in result.output
    assert "warn Optional fonts missing" in result.output

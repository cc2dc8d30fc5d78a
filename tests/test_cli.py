"""The command line as users meet it: the bad-input corpus, exit codes, new, schema."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CORPUS, EXAMPLE, MINIMAL, ROOT, run_cli

BAD = sorted((CORPUS / "bad").glob("*.yaml"))


def expectations(path: Path) -> dict[str, str]:
    head = path.read_bytes().decode("utf-8", "replace").splitlines()[:5]
    return dict(
        re.match(r"# expect-([a-z-]+): (.*)", line).groups()
        for line in head
        if line.startswith("# expect-")
    )


def located(stderr: str, path: Path) -> list[tuple[int, str, str, int]]:
    """(line, document path, message, column) of every located error line for `path`."""
    out = []
    for line in stderr.splitlines():
        m = re.match(re.escape(str(path)) + r":(\d+):(\d+): (?:([^ ]+): )?(.*)$", line)
        if m:
            out.append((int(m[1]), m[3] or "-", m[4], int(m[2])))
    return out


def test_corpus_is_large_enough():
    assert len(BAD) >= 30


@pytest.mark.parametrize("trip", BAD, ids=[p.stem for p in BAD])
def test_bad_input_fails_clearly_and_writes_nothing(trip, tmp_path):
    expect = expectations(trip)
    # Photo and include rules depend on the trip's folder: those files are used where they are.
    copy = trip if "photo" in expect["text"] or "in-place" in expect else tmp_path / trip.name
    if copy != trip:
        copy.write_bytes(trip.read_bytes())
    output = tmp_path / "out.pdf"
    output.write_bytes(b"%PDF-previous good build")
    result = run_cli("build", copy, "-o", output)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "Error:" not in result.stderr
    errors = located(result.stderr, copy)
    assert errors, result.stderr
    line, path, message, column = errors[0]
    assert line == int(expect["line"]), result.stderr
    if "column" in expect:
        assert column == int(expect["column"]), result.stderr
        assert len(errors) == 1, result.stderr  # one mistake, one error
    assert expect["text"].lower() in message.lower(), result.stderr
    if expect["path"] != "-":
        assert path == expect["path"], result.stderr
    if "also-line" in expect:
        assert int(expect["also-line"]) in [e[0] for e in errors]
    assert "nothing was written" in result.stderr
    assert output.read_bytes() == b"%PDF-previous good build"
    expected = {"out.pdf"} | ({copy.name} if copy != trip else set())
    assert {p.name for p in tmp_path.iterdir()} == expected


def test_check_reports_every_file_and_summarises_good_ones():
    result = run_cli("check", EXAMPLE, MINIMAL, *BAD[:3])
    assert result.returncode == 1
    assert re.search(
        r"beijing-2023.yaml: ok — 12 people \(12 from libraries\), 12 events, "
        r"10 issues \(10 from libraries\), marking: "
        r"SENSITIVE BUT UNCLASSIFIED",
        result.stdout,
    )
    assert "minimal.yaml: ok" in result.stdout
    for bad in BAD[:3]:
        assert f"{bad}:" in result.stderr
    assert run_cli("check", EXAMPLE).returncode == 0


@pytest.mark.slow
def test_build_several_trips_keeps_going_after_a_failure(tmp_path):
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_bytes(MINIMAL.read_bytes())
    bad.write_bytes(BAD[15].read_bytes())
    result = run_cli("build", bad, good)
    assert result.returncode == 1
    assert (tmp_path / "good.pdf").exists()
    assert not (tmp_path / "bad.pdf").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["build", "a.yaml", "b.yaml", "-o", "x.pdf"],
        ["build", "--paper", "a5", "a.yaml"],
        ["build"],
        ["frobnicate"],
        ["check", "--nope", "a.yaml"],
    ],
)
def test_usage_errors_exit_2(args):
    result = run_cli(*args)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr


def test_output_folder_must_exist_and_input_is_never_overwritten(tmp_path):
    trip = tmp_path / "trip.yaml"
    trip.write_bytes(MINIMAL.read_bytes())
    result = run_cli("build", trip, "-o", tmp_path / "missing" / "out.pdf")
    assert result.returncode == 1
    assert "does not exist" in result.stderr
    result = run_cli("build", trip, "-o", trip)
    assert result.returncode == 1
    assert "refusing to overwrite" in result.stderr
    assert trip.read_bytes() == MINIMAL.read_bytes()


def test_html_preview(tmp_path):
    out = tmp_path / "preview.html"
    assert run_cli("build", MINIMAL, "--html", "-o", out).returncode == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_version_and_help():
    from briefgen import __version__

    assert run_cli("--version").stdout.strip() == f"briefgen {__version__}"
    result = run_cli("--help")
    assert result.returncode == 0
    for command in ("build", "check", "new", "schema"):
        assert command in result.stdout


def test_schema_is_json_matching_the_model():
    from briefgen.model import json_schema

    result = run_cli("schema")
    assert result.returncode == 0
    assert json.loads(result.stdout) == json_schema()


@pytest.mark.slow
def test_new_writes_a_skeleton_that_checks_and_builds_and_is_never_overwritten(tmp_path):
    trip = tmp_path / "trip.yaml"
    result = run_cli("new", trip)
    assert result.returncode == 0, result.stderr
    text = trip.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=briefgen.schema.json"
    assert json.loads((tmp_path / "briefgen.schema.json").read_text())["title"]
    assert run_cli("check", trip).returncode == 0
    assert run_cli("build", trip).returncode == 0
    assert (tmp_path / "trip.pdf").exists()
    trip.write_text(text + "# my edits\n", encoding="utf-8")
    result = run_cli("new", trip)
    assert result.returncode == 1
    assert "already exists" in result.stderr
    assert trip.read_text(encoding="utf-8").endswith("# my edits\n")


@pytest.mark.parametrize(
    "args",
    [["--help"], ["check", str(EXAMPLE)], ["check", "--help"], ["schema"], ["build", str(BAD[0])]],
)
def test_fast_paths_do_not_import_weasyprint(args):
    probe = (
        "import runpy, sys\n"
        f"sys.argv = ['briefgen', *{args!r}]\n"
        "try:\n    runpy.run_module('briefgen', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "print('WEASYPRINT' if 'weasyprint' in sys.modules else 'CLEAN', file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
    assert result.stderr.strip().splitlines()[-1] == "CLEAN"


@pytest.mark.parametrize("debug", [False, True])
def test_unexpected_errors_are_one_line_unless_debug(monkeypatch, debug):
    def broken(*args, **kwargs):
        raise ZeroDivisionError("injected")

    monkeypatch.setattr("briefgen.intake.read_brief", broken)  # a bug anywhere in the work
    result = run_cli(*(["--debug"] if debug else []), "check", MINIMAL)
    assert result.returncode == 1
    line = (
        "briefgen: unexpected error: ZeroDivisionError: injected "
        "(run again with --debug for the details)"
    )
    if debug:
        assert result.stderr.startswith("Traceback (most recent call last):")
        assert result.stderr.rstrip().endswith(line)
    else:
        assert result.stderr.strip() == line


def test_an_output_that_cannot_be_written_fails_clearly_and_leaves_nothing(tmp_path):
    # A target we cannot write over turns into a clear error, not a traceback.
    trip = tmp_path / "trip.yaml"
    trip.write_bytes(MINIMAL.read_bytes())
    target = tmp_path / "out.pdf"
    target.mkdir()  # writing a file over a folder fails at the rename
    result = run_cli("build", trip, "--layout", "card", "-o", target)  # the least to lay out
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "nothing was written" in result.stderr
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_the_layout_option_names_every_product():
    from briefgen.cli.common import Layout
    from briefgen.products import PRODUCTS

    assert [layout.value for layout in Layout] == list(PRODUCTS)

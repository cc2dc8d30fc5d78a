"""Issue 22's bounds: no `assert` in the package, bounded work in the parent (suggestions,
photos, flow lists, outputs), `include` inside its folder, `--set` paths, escaped JSON and
combining-mark floods. The calendar's escaping is held in test_calendar.py."""

from __future__ import annotations

import ast
import struct
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.errors import BriefError
from briefgen.intake import brief_from
from briefgen.load import load_text
from conftest import MINIMAL, ROOT, run_cli

PACKAGE = ROOT / "briefgen"


def test_the_package_has_no_assert_statements():
    """`python -O` drops asserts, and an assert on input is a traceback for the user: the
    package checks with real errors (a walk of the syntax tree, not a grep)."""
    found = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(), str(path)))
        if isinstance(node, ast.Assert)
    ]
    assert found == []


# --- Did-you-mean: bounded work ---------------------------------------------------------------


def _many_unknown(people: int, unknown: int) -> str:
    base = MINIMAL.read_text(encoding="utf-8")
    head, rest = base.split("agenda:\n")
    extra = "".join(
        f"  person-{i:04d}: {{name: P {i}, title: T, side: host}}\n" for i in range(people)
    )
    events = "".join(
        f"  - {{title: E{i}, date: 2023-06-18, participants: [persn-{i:04d}, wangyi]}}\n"
        for i in range(unknown)
    )
    return (
        head.replace("  wang-yi:", extra + "  wang-yi:")
        + "agenda:\n"
        + events
        + "issues:"
        + rest.split("issues:")[1]
    )


def _comparisons(text: str, monkeypatch) -> tuple[int, list[str]]:
    from briefgen import suggestions

    made: list[suggestions.Suggester] = []
    real = suggestions.Suggester.__init__

    def spy(self, choices):
        real(self, choices)
        made.append(self)

    monkeypatch.setattr(suggestions.Suggester, "__init__", spy)
    with pytest.raises(BriefError) as exc:
        brief_from(load_text(text, "trip.yaml"))
    return sum(s.comparisons for s in made), [p.message for p in exc.value.problems]


@pytest.mark.slow
def test_suggestions_are_computed_once_per_id_within_a_fixed_budget(monkeypatch):
    """4,000 unknown ids among 4,000 people made 16 million comparisons (minutes)."""
    from briefgen.suggestions import MAX_CANDIDATES, MAX_COMPARISONS

    few, messages = _comparisons(_many_unknown(4 * MAX_CANDIDATES, 3), monkeypatch)
    assert "unknown person 'persn-0001' (did you mean 'person-0001'?)" in messages
    assert messages.count("unknown person 'wangyi' (did you mean 'wang-yi'?)") == 3
    assert few <= 4 * MAX_CANDIDATES  # each distinct id once, 'wangyi' once for 3 events
    # as many unknown ids as people: a million comparisons without the budget
    many, messages = _comparisons(_many_unknown(MAX_CANDIDATES, MAX_CANDIDATES), monkeypatch)
    assert len(messages) == 2 * MAX_CANDIDATES  # every error reported; late ones without a hint
    assert many <= MAX_COMPARISONS < MAX_CANDIDATES**2
    assert messages.count("unknown person 'wangyi' (did you mean 'wang-yi'?)") == MAX_CANDIDATES


def test_an_id_written_another_way_is_found_without_comparing():
    from briefgen.suggestions import Suggester

    near = Suggester(["wang-yi", "qin-gang"])
    assert near.hint("Wang_Yi") == " (did you mean 'wang-yi'?)"
    assert near.hint("qin gang") == " (did you mean 'qin-gang'?)"
    assert near.hint("zzzzzz") == ""
    assert near.comparisons == 2  # only "zzzzzz" was compared, with each once


# --- Photos: checked from the header, never decoded in the parent ------------------------------


def _with_photo(tmp_path, photo: bytes, name: str = "p.png") -> Path:
    trip = tmp_path / "t.yaml"
    trip.write_text(
        MINIMAL.read_text(encoding="utf-8").replace(
            "    title: Secretary of State\n", f"    title: Secretary of State\n    photo: {name}\n"
        ),
        encoding="utf-8",
    )
    (tmp_path / name).write_bytes(photo)
    return trip


def _jpeg(width: int, height: int) -> bytes:
    """A real 8×8 JPEG whose frame header then says width × height."""
    import io
    import struct

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, "JPEG")
    data = out.getvalue()
    sof = data.index(b"\xff\xc0")
    return data[: sof + 5] + struct.pack(">HH", height, width) + data[sof + 9 :]


def test_a_huge_photo_is_refused_from_its_header_without_decoding(tmp_path, monkeypatch):
    """The red team's 688 KB PNG of 13,300² pixels was decoded in the parent (735 MB, and a
    raw DecompressionBombWarning on stderr)."""
    import warnings

    from PIL import Image

    from helpers import png

    header = png(1, 1)
    bomb = header[:16] + struct.pack(">II", 13_300, 13_300) + header[24:]  # CRC left wrong
    huge, small = [(bomb, "p.png"), (_jpeg(13_300, 13_300), "p.jpg")], _jpeg(8, 8)
    monkeypatch.setattr(Image.Image, "load", lambda self: pytest.fail("decoded a photo"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for photo, name in huge:
            result = run_cli("check", _with_photo(tmp_path, photo, name))
            assert result.returncode == 1
            assert (
                f"people.blinken.photo: photo '{name}' is 13,300 × 13,300 pixels (177 "
                "megapixels), over the limit of 50 megapixels: scale it down"
            ) in result.stderr
            assert "Warning" not in result.stderr
        for photo, name in [(png(40, 30), "ok.png"), (small, "ok.jpg")]:
            result = run_cli("check", _with_photo(tmp_path, photo, name))
            assert result.returncode == 0, result.stderr


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200), st.sampled_from([b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff"]))
def test_any_bytes_after_an_image_magic_are_a_clear_answer(tail, magic):
    import tempfile

    from briefgen.photos import photo_problem

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "p"
        path.write_bytes(magic + tail)
        problem = photo_problem(path)
    assert problem is None or problem.startswith(("cannot be read as an image", "is "))


# --- Outputs per run ---------------------------------------------------------------------------


def test_a_run_of_over_500_outputs_is_refused_before_anything_is_built(tmp_path, monkeypatch):
    """`output.layouts: [meeting]` with 5,000 events planned 5,005 outputs (501 here: one
    over the limit is enough, and ten times less to read)."""
    from briefgen import pipeline

    base = MINIMAL.read_text(encoding="utf-8")
    head, rest = base.split("agenda:\n")
    meetings = "".join(
        f"  - {{title: M{i}, date: 2023-06-18, participants: [blinken, qin-gang]}}\n"
        for i in range(501)
    )
    trip = tmp_path / "trip.yaml"
    trip.write_text(
        head
        + "output: {layouts: [meeting]}\nagenda:\n"
        + meetings
        + "issues:"
        + rest.split("issues:")[1],
        encoding="utf-8",
    )
    built: list[int] = []
    monkeypatch.setattr(pipeline, "build", lambda jobs, *a, **k: built.append(len(jobs)) or [])
    result = run_cli("build", trip)
    assert result.returncode == 1
    assert "this run would write 501 outputs, over the limit of 500 per run" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["trip.yaml"]
    assert built == []
    result = run_cli("build", trip, "--layout", "meeting", "--event", "400")
    assert result.returncode == 0, result.stderr
    assert built == [1]


# --- Combining-mark floods ---------------------------------------------------------------------


def _naive_flood(text: str) -> int | None:
    import unicodedata

    run = 0
    for i, ch in enumerate(text):
        mark = unicodedata.category(ch)[0] == "M" or ch in "\u200c\u200d"
        run = run + 1 if mark else 0
        if run > 16:
            return i - 16
    return None


MARKS = st.sampled_from(["\u0301", "\u0308", "\u20dd", "\u0903", "\u200d", "\U000e0100", "\u3099"])
BASES = st.sampled_from(["a", "ệ", "漢", "ア", "к", "ب", " ", "\U0001f468"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(MARKS, BASES, st.characters(exclude_categories=["Cs"])), max_size=120))
@pytest.mark.slow
def test_a_flood_is_found_exactly_where_a_naive_count_finds_it(chars):
    from briefgen.scalars import combining_flood

    text = "".join(chars)
    assert combining_flood(text) == _naive_flood(text)


def test_the_mark_table_holds_every_combining_mark():
    import sys
    import unicodedata

    from briefgen.scalars import _marks

    every = {c for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c))[0] == "M"}
    assert every <= set(_marks())


def test_a_text_of_99001_combining_marks_is_a_located_error(tmp_path):
    """It took a memo 105 s to lay out; 16 marks on each character still build."""
    trip = tmp_path / "trip.yaml"
    purpose = "  - text: Put a floor under the relationship and reopen channels."
    base = MINIMAL.read_text(encoding="utf-8")
    trip.write_text(base.replace(purpose, '  - text: "a' + "\\u0301" * 99_000 + '"'))
    result = run_cli("check", trip)
    assert result.returncode == 1
    assert (
        f"{trip}:24:11: purpose[0].text: more than 16 combining marks (accents) follow "
        "character 1 of this text; no script needs so many: remove them"
    ) in result.stderr
    trip.write_text(base.replace(purpose, '  - text: "' + ("e" + "\\u0301" * 16) * 50 + '"'))
    assert run_cli("check", trip).returncode == 0


# --- One-line flow lists -----------------------------------------------------------------------


@pytest.mark.slow
def test_a_one_line_list_stops_at_the_node_limit_before_composing_the_rest(monkeypatch):
    """libyaml composed the whole graph first: a 4.8 MB one-line list of numbers peaked `check`
    at 647 MB and a one-line agenda at 438 MB (135 and 151 MB now: bench/hostile_inputs.py)."""
    from briefgen import yaml_parse
    from briefgen.limits import MAX_NODES

    made = []
    real = yaml_parse.ScalarNode.__init__

    def counting(self, *args):
        made.append(1)
        real(self, *args)

    monkeypatch.setattr(yaml_parse.ScalarNode, "__init__", counting)
    text = "x-junk: [" + ", ".join(["1"] * (2 * MAX_NODES)) + "]\n"
    with pytest.raises(BriefError) as exc:
        load_text(text, "trip.yaml")
    (problem,) = exc.value.problems
    assert str(problem) == (
        f"trip.yaml:1:{10 + 3 * (MAX_NODES - 3)}: x-junk[{MAX_NODES - 3}]: this file holds more "
        f"than {MAX_NODES:,} keys, values and list items; refused (no trip needs so many: was "
        "it generated?)"
    )
    assert len(made) < MAX_NODES


@pytest.mark.slow
def test_what_lies_under_an_x_key_keeps_no_positions():
    """A 4.8 MB one-line list of numbers under x-junk kept 1.6 million positions (1 GB peak
    for `check`); nothing there is ever located."""
    text = "x-junk: [" + ", ".join(["1"] * 100_000) + "]\n" + MINIMAL.read_text(encoding="utf-8")
    loaded = load_text(text, "trip.yaml")
    assert len(loaded.data["x-junk"]) == 100_000
    assert not [p for p in loaded.value_marks if p[:1] == ("x-junk",)][1:]
    assert len(loaded.value_marks) < 200
    brief_from(loaded)  # still valid
    with pytest.raises(BriefError) as exc:  # the loader's own problems there are located
        load_text("x-junk: [1, !!python/object x]\n", "trip.yaml")
    assert exc.value.problems[0].line == 1

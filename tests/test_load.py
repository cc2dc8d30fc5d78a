"""Stage 1: the loader's YAML 1.2 rules, refusals and positions."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from briefgen.errors import BriefError
from briefgen.load import MAX_NODES, load, load_text


def data(text: str):
    return load_text(text, "t.yaml").data


def problems(text: str) -> list[str]:
    with pytest.raises(BriefError) as info:
        load_text(text, "t.yaml")
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize(("source", "expected"), [
    ("NO", "NO"), ("no", "no"), ("on", "on"), ("Off", "Off"), ("yes", "yes"), ("y", "y"),
    ("true", True), ("false", False), ("True", True), ("FALSE", False),
    ("12:30", "12:30"), ("1:30:00", "1:30:00"), ("07:05", "07:05"),
    ("2023-06-18", "2023-06-18"), ("2023-06-18 07:30", "2023-06-18 07:30"),
    ("42", 42), ("-3", -3), ("0o17", 15), ("0x1F", 31), ("012", 12),
    ("1.5", 1.5), ("1e3", 1000.0), (".inf", float("inf")),
    ("~", None), ("null", None), ("", None), ("'NO'", "NO"), ('"12:30"', "12:30"),
    ("0049301234", 49301234), ("+1 202 555 0100", "+1 202 555 0100"),
    ("1_000", "1_000"), ("0b101", "0b101"), ("<<", "<<"),
])
def test_yaml_12_scalars(source, expected):
    assert data(f"key: {source}\n")["key"] == expected


def test_nan_is_a_float():
    value = data("key: .nan\n")["key"]
    assert value != value


def test_bom_is_accepted():
    assert load_text("\ufeffa: 1\n", "t.yaml").data == {"a": 1}


def test_positions_are_one_based_for_keys_and_values():
    loaded = load_text("top:\n  list:\n    - x\n    - {k: v}\n", "t.yaml")
    assert loaded.value_marks[("top", "list", 1, "k")] == (4, 11)
    assert loaded.key_marks[("top", "list")] == (2, 3)
    assert loaded.mark_of(("top", "list", 5, "missing")) == (3, 5)


def test_duplicate_keys_are_refused_at_the_second():
    found = problems("people:\n  qin: {name: A}\n  wang: {name: B}\n  qin: {name: C}\n")
    assert found == ["t.yaml:4:3: people.qin: duplicate key 'qin' (first defined on line 2); "
                     "YAML would silently keep only the last one"]


def test_every_duplicate_is_reported():
    assert len(problems("a: 1\na: 2\nb: 1\nb: 2\n")) == 2


@pytest.mark.parametrize("tag", [
    "!!python/object/apply:os.system ['ls']", "!!python/name:os.system", "!include other.yaml",
    "!!binary aGk=", "!!set {a}", "!custom x", "!!timestamp 2023-06-18"])
def test_tags_outside_the_core_schema_are_refused(tag):
    (found,) = problems(f"a: 1\nb: {tag}\n")
    assert found.startswith("t.yaml:2:4: b: tag '") and "is not allowed" in found


def test_core_tags_are_allowed():
    assert data("a: !!str 12\nb: !!int '7'\n") == {"a": "12", "b": 7}


def test_alias_bomb_fails_fast_without_expanding():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, cur in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 9) + "]")
    started = time.perf_counter()
    found = problems("\n".join(lines) + "\n")
    assert time.perf_counter() - started < 1.0
    assert len(found) == 1 and "alias bomb" in found[0] and f"{MAX_NODES:,}" in found[0]
    assert found[0].startswith("t.yaml:")


def test_string_alias_bomb_is_bounded_by_characters():
    text = "a: &a " + "x" * 1_000_000 + "\nb: [" + ", ".join(["*a"] * 100) + "]\n"
    assert "alias bomb" in problems(text)[0]


def test_recursive_alias_is_refused():
    (found,) = problems("a: &a [1, *a]\n")
    assert "refers to itself" in found


def test_merge_keys_work_and_explicit_keys_win():
    loaded = data("x-base: &base {side: host, title: T}\np: {<<: *base, title: Own}\n")
    assert loaded["p"] == {"side": "host", "title": "Own"}


def test_tab_indentation_is_named():
    (found,) = problems("a:\n\tb: 1\n")
    assert found == "t.yaml:2:1: tab character used for indentation; YAML needs spaces"


def test_syntax_error_is_located():
    (found,) = problems("a: [1, 2\nb: 3\n")
    assert found.startswith("t.yaml:2:") and "YAML syntax error" in found


def test_empty_and_comment_only_files():
    assert "empty" in problems("")[0]
    assert "empty" in problems("# just a comment\n")[0]


def test_multiple_documents_are_refused():
    assert "YAML syntax error" in problems("a: 1\n---\nb: 2\n")[0]


def test_invalid_utf8_names_line_and_byte(tmp_path: Path):
    path = tmp_path / "bad.yaml"
    path.write_bytes(b"a: 1\nbio: caf\xe9 au lait\n")
    with pytest.raises(BriefError) as info:
        load(path)
    (problem,) = info.value.problems
    assert (problem.line, problem.column) == (2, 9)
    assert "not valid UTF-8 (byte 0xe9)" in problem.message


def test_control_characters_are_refused():
    assert "U+0007" in problems("a: b\x07c\n")[0]


def test_missing_file_and_folder(tmp_path: Path):
    for path, word in [(tmp_path / "nope.yaml", "no such file"), (tmp_path, "folder")]:
        with pytest.raises(BriefError) as info:
            load(path)
        assert word in str(info.value)


def test_deep_nesting_is_refused_not_crashed():
    assert "nested too deeply" in problems("a: " + "[" * 5000 + "]" * 5000 + "\n")[0]


plain_words = st.text(alphabet="abcdefghijklmnpqrstuvwxyz ABCDEFGHIJKLMNPQRSTUVWXYZ-",
                      min_size=1, max_size=20).map(str.strip).filter(bool)


@given(st.dictionaries(plain_words, plain_words, max_size=8))
def test_plain_text_mappings_round_trip(mapping):
    text = yaml.safe_dump({"root": mapping}, allow_unicode=True)
    assert data(text) == {"root": mapping or {}}


@pytest.mark.parametrize("escape", ["\\x1b[31m", "\\uD800", "\\x0c", "\\uFFFF", "\\x00"])
def test_escaped_control_characters_are_refused_where_they_are(escape):
    (found,) = problems(f'a: ok\nb: "text {escape} more"\n')
    assert found.startswith("t.yaml:2:4: b: character U+") and "not allowed" in found


def test_tab_after_a_key_and_flow_punctuation_get_hints():
    assert "a tab character here" in problems("a:\tb\n")[0]
    assert "quote text that contains" in problems("qa:\n  - {q: Question one?, a: A.}\n")[0]

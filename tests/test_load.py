"""Stage 1: the loader's YAML 1.2 rules, refusals and positions."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from briefgen import yaml_build
from briefgen.errors import BriefError
from briefgen.limits import MAX_ALIAS_NODES, MAX_FILE_BYTES, MAX_NODES
from briefgen.load import load, load_text


def data(text: str):
    return load_text(text, "t.yaml").data


def problems(text: str) -> list[str]:
    with pytest.raises(BriefError) as info:
        load_text(text, "t.yaml")
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("NO", "NO"),
        ("no", "no"),
        ("on", "on"),
        ("Off", "Off"),
        ("yes", "yes"),
        ("y", "y"),
        ("true", True),
        ("false", False),
        ("True", True),
        ("FALSE", False),
        ("12:30", "12:30"),
        ("1:30:00", "1:30:00"),
        ("07:05", "07:05"),
        ("2023-06-18", "2023-06-18"),
        ("2023-06-18 07:30", "2023-06-18 07:30"),
        ("42", 42),
        ("-3", -3),
        ("0o17", 15),
        ("0x1F", 31),
        ("012", 12),
        ("1.5", 1.5),
        ("1e3", 1000.0),
        (".inf", float("inf")),
        ("~", None),
        ("null", None),
        ("", None),
        ("'NO'", "NO"),
        ('"12:30"', "12:30"),
        ("0049301234", 49301234),
        ("+1 202 555 0100", "+1 202 555 0100"),
        ("1_000", "1_000"),
        ("0b101", "0b101"),
        ("<<", "<<"),
    ],
)
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
    assert found == [
        "t.yaml:4:3: people.qin: duplicate key 'qin' (first defined on line 2); "
        "YAML would silently keep only the last one"
    ]


def test_every_duplicate_is_reported():
    assert len(problems("a: 1\na: 2\nb: 1\nb: 2\n")) == 2


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.system ['ls']",
        "!!python/name:os.system",
        "!include other.yaml",
        "!!binary aGk=",
        "!!set {a}",
        "!custom x",
        "!!timestamp 2023-06-18",
    ],
)
def test_tags_outside_the_core_schema_are_refused(tag):
    (found,) = problems(f"a: 1\nb: {tag}\n")
    assert found.startswith("t.yaml:2:4: b: tag '")
    assert "is not allowed" in found


def test_core_tags_are_allowed():
    assert data("a: !!str 12\nb: !!int '7'\n") == {"a": "12", "b": 7}


def lol_bomb() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, cur in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


@pytest.fixture
def builders(monkeypatch) -> list:
    """Every _Builder the loader makes, counting the nodes it turned into data."""
    made = []

    class Counting(yaml_build.Builder):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.calls = 0
            made.append(self)

        def build(self, node, path):
            self.calls += 1
            return super().build(node, path)

    monkeypatch.setattr(yaml_build, "Builder", Counting)
    return made


def test_alias_bomb_fails_fast_without_expanding(builders):
    found = problems(lol_bomb())  # 9**9 "lol"s once expanded
    assert len(found) == 1
    assert "alias bomb" in found[0]
    assert f"{MAX_ALIAS_NODES:,}" in found[0]
    assert found[0].startswith("t.yaml:")
    (builder,) = builders
    # Each alias is sized before it is expanded: the one that would pass the bound is refused
    # unexpanded, so at most MAX_ALIAS_NODES nodes were built from aliases (plus the 91 written).
    assert builder.nodes > MAX_ALIAS_NODES
    assert builder.calls <= MAX_ALIAS_NODES + 91
    assert len(builder.loaded.value_marks) <= MAX_ALIAS_NODES + 91


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
    assert found.startswith("t.yaml:2:")
    assert "YAML syntax error" in found


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


def test_deep_nesting_is_refused_where_it_passes_the_limit():
    """Was 'the document is nested too deeply' at 1:1 (a RecursionError) after composing it all."""
    from briefgen.limits import MAX_DEPTH

    deep = problems("a: " + "[" * 5000 + "]" * 5000 + "\n")
    assert deep == [
        f"t.yaml:1:{4 + MAX_DEPTH - 1}: a{'[0]' * (MAX_DEPTH - 1)}: lists and mappings are "
        f"nested more than {MAX_DEPTH} deep here; refused"
    ]
    fits = "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1)
    assert load_text("a: " + fits + "\n", "t.yaml").data["a"]


plain_words = (
    st.text(
        alphabet="abcdefghijklmnpqrstuvwxyz ABCDEFGHIJKLMNPQRSTUVWXYZ-", min_size=1, max_size=20
    )
    .map(str.strip)
    .filter(bool)
)


plain_keys = st.text(alphabet="abcdefghijklmnpqrstuvwxyz_-", min_size=1, max_size=20).filter(
    lambda key: not key.startswith("-")
)


@given(st.dictionaries(plain_keys, plain_words, max_size=8))
def test_plain_text_mappings_round_trip(mapping):  # keys never contain spaces (see below)
    text = yaml.safe_dump({"root": mapping}, allow_unicode=True)
    assert data(text) == {"root": mapping or {}}


@pytest.mark.parametrize("escape", ["\\x1b[31m", "\\uD800", "\\x0c", "\\uFFFF", "\\x00"])
def test_escaped_control_characters_are_refused_where_they_are(escape):
    (found,) = problems(f'a: ok\nb: "text {escape} more"\n')
    assert found.startswith("t.yaml:2:4: b: character U+")
    assert "not allowed" in found


def test_tab_after_a_key_and_flow_punctuation_get_hints():
    assert "a tab character here" in problems("a:\tb\n")[0]
    assert "quote text that contains" in problems("qa:\n  - {q: Question one?, a: A.}\n")[0]


# --- Input files: only regular files, and only as many bytes as the cap --------------------


def refusal(path: Path) -> str:
    with pytest.raises(BriefError) as info:
        load(path)
    (problem,) = info.value.problems
    return str(problem)


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path):
    fifo = tmp_path / "trip.yaml"
    os.mkfifo(fifo)  # no writer: a blocking open or read would hang here forever
    assert refusal(fifo) == f"{fifo}:1:1: is a FIFO (named pipe), not a regular file"


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_devices_are_refused_unread(device):
    if not Path(device).exists():
        pytest.skip(f"no {device}")
    assert refusal(Path(device)) == f"{device}:1:1: is a device, not a regular file"


def test_the_size_cap_counts_bytes_read_not_stat(tmp_path: Path, monkeypatch):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"a: 1\n" + b"#" * MAX_FILE_BYTES)
    reads = []
    real_read = os.read

    def counting_read(fd, n):
        data = real_read(fd, n)
        reads.append(len(data))
        return data

    monkeypatch.setattr(os, "read", counting_read)
    assert "larger than 5 MB" in refusal(path)
    assert sum(reads) == MAX_FILE_BYTES + 1  # never more than the cap and a byte
    path.write_bytes(b"a: 1\n")
    assert load(path).data == {"a": 1}
    assert load(path).raw == b"a: 1\n"


# --- Aliases: only what they expand to is bounded ----------------------------------------


@pytest.mark.slow
def test_nodes_written_out_do_not_count_against_what_aliases_may_produce():
    events = "".join(f"  - [e{i}, 2023-06-18, a, b]\n" for i in range(30_000))
    uses = "x-uses: [" + ", ".join(["*t"] * 15_000) + "]\n"
    loaded = load_text("x-t: &t [a, b, c, d]\n" + uses + "agenda:\n" + events, "t.yaml")
    assert len(loaded.data["agenda"]) == 30_000
    assert loaded.data["agenda"][-1] == ["e29999", "2023-06-18", "a", "b"]
    written, through_aliases = 2 + 5 * 30_000, 5 * 15_000
    assert written < MAX_NODES
    assert through_aliases < MAX_ALIAS_NODES
    assert written + through_aliases > max(MAX_NODES, MAX_ALIAS_NODES)


def test_reused_anchors_still_load_and_an_anchor_mistake_is_reported_once():
    loaded = data("x-team: &team [a, b]\nagenda:\n" + "  - {people: *team}\n" * 500)
    assert loaded["agenda"][499] == {"people": ["a", "b"]}
    assert problems("x: &t [priority:1]\ny: [*t, *t]\n") == [
        "t.yaml:1:8: x[0]: missing space after ':' in 'priority:1': write `priority: 1`"
    ]


# --- Both parsers read every file the same way --------------------------------------------

PARSERS = ["auto", "python"]
SAMPLES = [
    "a:\tb\n",
    "a:\n\tb: 1\n",
    "\ufeffa: 1\n",
    "a: b\x07c\n",
    "a: [1, 2\nb: 3\n",
    "a: 1\n---\nb: 2\n",
    "名前: 秦刚\nx: [秦, 刚]\n",
    "a: *nope\n",
    "a: {b: c, d: }\n",
    "qa:\n  - {q: Question one?, a: A.}\n",
    "a: [Why?]\n",
    "a: &x 1\nb: &x 2\n",
    "a: !!str 12\n",
    "a:\r\n  b: 1\r\n",
    "a: x\u2028y\n",
    "? a\n: b\n",
    "a: |\n  x\n  y\n",
    "a: 'x\n",
    "a: b: c\n",
    "- a\n - b\n",
    "a:\n  b: 1\n c: 2\n",
    "a:\n",
    "a: {b: , c: 1}\n",
    'a: "\\ud800"\n',
    "a: \ud800\n",
    "a: x\ufeffy\n",
    "%YAML 1.2\n---\na: 1\n",
    "a: |#\n  x\n",
]


def outcome(text: str, parser: str):
    try:
        loaded = load_text(text, "t.yaml", parser=parser)
    except BriefError as exc:
        return [str(p) for p in exc.problems]
    return loaded.data, loaded.value_marks, loaded.key_marks


@pytest.mark.parametrize("text", SAMPLES)
def test_libyaml_and_python_agree(text):
    assert outcome(text, "auto") == outcome(text, "python")


@pytest.mark.parametrize(
    "trip",
    [
        *sorted(  # not the red-team payloads of hundreds of KB (bad/87-95): 11 s in Python
            p
            for p in (Path(__file__).parent / "corpus").glob("*/*.yaml")
            if p.stat().st_size < 64_000
        ),
        Path(__file__).parent.parent / "briefs" / "beijing-2023.yaml",
    ],
    ids=lambda p: p.stem,
)
def test_libyaml_and_python_agree_on_the_corpus(trip):
    text = trip.read_bytes().decode("utf-8", "replace").lstrip("\ufeff")
    assert outcome(text, "auto") == outcome(text, "python")


def test_libyaml_is_used_for_ordinary_files(monkeypatch):
    from briefgen import yaml_parse

    if not yaml_parse.HAVE_LIBYAML:
        pytest.skip("PyYAML without libyaml")
    monkeypatch.setattr(yaml_parse, "PythonComposer", None)  # any use would fail
    assert data("a: [1, {b: c}]\n") == {"a": [1, {"b": "c"}]}


# --- Mistakes people make while typing YAML ------------------------------------------------

BAD = Path(__file__).parent / "corpus" / "bad"


@pytest.mark.parametrize("parser", PARSERS)
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "64-comma-in-flow-mapping.yaml",
            "66:31: contacts[0].role: a comma inside {...} ended the text early, so 'fixer and "
            "interpreter' became a key of its own: put the whole value in quotes, e.g. "
            'role: "Driver, fixer and interpreter"',
        ),
        (
            "65-colon-in-list-item.yaml",
            "31:5: goals[1]: this text contains ': ', so YAML read it as a key and a value: "
            'put the whole text in quotes, e.g. - "Our position: we will not move first"',
        ),
        (
            "66-indented-too-far.yaml",
            "57:6: YAML syntax error: line 57 is indented by 5 spaces, but the keys before it at "
            "this level are indented by 4: line it up with them",
        ),
        (
            "67-unclosed-quote.yaml",
            '34:12: YAML syntax error: this quote (") is never closed: add the closing " where '
            "the text ends",
        ),
        (
            "68-no-space-after-colon.yaml",
            "47:5: YAML syntax error: missing space after ':' in 'kind:arrival': write "
            "`kind: arrival`",
        ),
        (
            "69-no-space-in-list-item.yaml",
            "31:5: goals[1]: missing space after ':' in 'priority:1': write `priority: 1`",
        ),
        (
            "70-key-with-space.yaml",
            "38:5: people.qin-gang.native name: keys never contain spaces, so 'native name' cannot "
            "be a key: if it is text, put all of it in quotes; if it is a key, write it with '_' "
            "instead of spaces",
        ),
        (
            "59-bad-indentation.yaml",
            "50:4: YAML syntax error: line 50 is indented by 3 spaces, but the keys before it at "
            "this level are indented by 4: line it up with them",
        ),
        (
            "58-unquoted-colon-in-title.yaml",
            "49:12: YAML syntax error: this text contains ': ', so YAML read part of it as another "
            'key: put the whole value in quotes, e.g. title: "Meeting: Foreign Minister Qin"',
        ),
    ],
)
def test_typing_mistakes_get_a_plain_sentence_and_a_fix(name, expected, parser):
    text = (BAD / name).read_text(encoding="utf-8")
    with pytest.raises(BriefError) as info:
        load_text(text, "t.yaml", parser=parser)
    assert [str(p) for p in info.value.problems] == [f"t.yaml:{expected}"]


@pytest.mark.parametrize(
    "text",
    [
        "- https://example.org/a\n",
        "- mailto:desk@example.org\n",
        "- 12:30\n",
        "- tel:+1202555\n",
        "- 'priority:1'\n",
        "a: b:c\n",
        "- x-y\n",
        "- note\n",
        "- a:b c\n",
    ],
)
def test_things_that_only_look_like_missing_spaces_are_left_alone(text):
    data(text)


def test_keys_with_spaces_are_fine_under_x_keys():
    assert data("x-notes: {some key: 1}\n") == {"x-notes": {"some key": 1}}


def test_missing_space_as_a_whole_line_value():
    assert problems("memo:\n  priority:1\n") == [
        "t.yaml:2:3: memo: missing space after ':' in 'priority:1': write `priority: 1`"
    ]


# --- Control characters never reach the terminal --------------------------------------------


def test_problems_escape_control_characters_in_message_path_and_file():
    from briefgen.errors import Problem

    problem = Problem(
        3,
        1,
        "t\x1b[2J.yaml",
        ("people", "\x1b]0;TITLE\x07"),
        "unknown key '\x1b]0;TITLE\x07' \u202e\x9b 秦刚",
    )
    assert str(problem) == (
        "t\\x1b[2J.yaml:3:1: people.\\x1b]0;TITLE\\x07: unknown key "
        "'\\x1b]0;TITLE\\x07' \\u202e\\x9b 秦刚"
    )
    assert str(problem).isprintable()


def test_a_control_character_in_a_key_is_refused_and_echoed_escaped():
    (found,) = problems('"\\e]0;TITLE\\a": 1\n')
    assert found == (
        "t.yaml:1:1: \\x1b]0;TITLE\\x07: character U+001B is not allowed in a "
        "trip file (a control character or an invalid code point); remove it"
    )

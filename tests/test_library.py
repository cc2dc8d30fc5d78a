"""Libraries (`include:`): shared people, issues and sources, merged only where a trip uses
them; errors located in the library; the example split into briefs/library/."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest

from briefgen.errors import BriefError
from briefgen.intake import read_brief
from briefgen.library import from_libraries
from briefgen.render import render_html
from briefgen.render.view import build_view
from conftest import CORPUS, EXAMPLE, run_cli
from helpers import PNG, page_texts, pdf_text

INLINE = CORPUS / "good" / "beijing-2023-inline.yaml"

TRIP = """\
briefgen: 1
include: [lib/people.yaml, lib/issues.yaml]
memo: {to: The Secretary, from: EAP – Office, date: 2023-06-10, subject: Travel}
trip:
  title: Travel to Beijing
  principal: blinken
  home_timezone: America/New_York
  start: 2023-06-18
  end: 2023-06-20
  stops: [{place: Beijing, timezone: Asia/Shanghai}]
purpose: Reopen channels.
goals: [Agree.]
people:
  blinken: {}
  qin-gang: {title: State Councilor and Minister, status: tentative}
agenda:
  - id: talks
    title: Talks with State Councilor Qin
    date: 2023-06-18
    participants: [blinken, qin-gang, wang-yi]
    talking_points:
      - {issue: fentanyl}
issues:
  - taiwan
  - id: local
    title: A paper of this trip only
"""

PEOPLE = """\
briefgen-library: 1
include: [more.yaml]
people:
  blinken: {name: Antony Blinken, title: Secretary of State, side: home}
  qin-gang:
    name: Qin Gang
    title: Minister of Foreign Affairs
    side: host
    photo: photos/qin.png
  unused-person: {name: Unused Person, title: Nobody, side: third}
"""

MORE = """\
briefgen-library: 1
people:
  wang-yi: {name: Wang Yi, title: Director, side: host}
"""

ISSUES = """\
briefgen-library: 1
issues:
  - id: taiwan
    title: Taiwan
  - id: fentanyl
    title: Counternarcotics
    background: {text: Precursor chemicals., sources: [unodc]}
  - id: unused-issue
    title: Never used
sources:
  - id: unodc
    title: UNODC report
  - id: unused-source
    title: Never cited
"""


def _write(folder: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder / "trip.yaml"


@pytest.fixture
def trip(tmp_path) -> Path:
    return _write(
        tmp_path,
        {
            "trip.yaml": TRIP,
            "lib/people.yaml": PEOPLE,
            "lib/more.yaml": MORE,
            "lib/issues.yaml": ISSUES,
            "lib/photos/qin.png": PNG,
        },
    )


def test_only_what_the_trip_uses_is_merged(trip):
    brief = read_brief(trip)
    t = brief.trip
    assert list(t.people) == ["blinken", "qin-gang", "wang-yi"]  # trip order, then library
    qin = t.people["qin-gang"]
    assert (qin.name, qin.title, qin.status) == (
        "Qin Gang",
        "State Councilor and Minister",
        "tentative",
    )
    assert t.people["blinken"].title == "Secretary of State"
    assert [i.id for i in t.issues] == ["taiwan", "local", "fentanyl"]
    assert [s.id for s in t.sources] == ["unodc"]  # cited from a library text
    assert from_libraries(brief.source) == (3, 2)
    assert [p.name for p in brief.files_read] == [
        "trip.yaml",
        "people.yaml",
        "more.yaml",
        "issues.yaml",
    ]


def test_photos_are_relative_to_the_library_and_its_folder_is_allowed(trip):
    brief = read_brief(trip)
    lib = (trip.parent / "lib").resolve()
    photo = base64.b64encode((lib / "photos/qin.png").read_bytes()).decode()
    assert build_view(brief).photos["qin-gang"] == f"data:image/png;base64,{photo}"


def test_check_says_what_came_from_libraries(trip):
    result = run_cli("check", trip)
    assert result.returncode == 0, result.stderr
    assert "ok — 3 people (3 from libraries), 1 event, 3 issues (2 from libraries)" in result.stdout


def _errors(trip: Path) -> list[str]:
    with pytest.raises(BriefError) as exc:
        read_brief(trip)
    return [str(p) for p in exc.value.problems]


def test_an_error_in_a_library_names_the_library_and_the_include_line(trip):
    lib = trip.parent / "lib" / "people.yaml"
    lib.write_text(PEOPLE.replace("    title: Minister", "    titel: Minister"))
    trip.write_text(TRIP.replace("principal: blinken", "principal: blinkin"))
    errors = _errors(trip)
    assert (
        f"{lib}:7:5: people.qin-gang.titel: unknown key 'titel' (did you mean 'title'?) "
        f"(included from {trip}:2:11)" in errors
    )
    assert any(
        e.startswith(f"{trip}:6:14: trip.principal: unknown person 'blinkin'") for e in errors
    )  # the trip's errors come at once with the library's


def test_nested_library_errors_name_the_whole_chain(trip):
    more = trip.parent / "lib" / "more.yaml"
    more.write_text(MORE.replace("side: host", "side: hosts"))
    people = trip.parent / "lib" / "people.yaml"
    [error] = _errors(trip)
    assert error.startswith(f"{more}:3:")
    assert error.endswith(f"(included from {people}:2:11, included from {trip}:2:11)")


def test_the_same_id_in_two_libraries_names_both_places(trip):
    more = trip.parent / "lib" / "more.yaml"
    more.write_text(MORE + "  blinken: {name: A. Blinken, title: S, side: home}\n")
    errors = _errors(trip)
    people = trip.parent / "lib" / "people.yaml"
    assert any(
        e.startswith(
            f"{more}:4:3: people.blinken: person 'blinken' is defined in two "
            f"libraries: here and at {people}:4:3"
        )
        for e in errors
    ), errors


def test_a_missing_library_names_the_include_line(trip):
    trip.write_text(TRIP.replace("lib/issues.yaml]", "lib/isues.yaml]"))
    errors = _errors(trip)
    assert errors == [
        f"{trip}:2:28: include[1]: library 'lib/isues.yaml' not found (did you mean "
        f"'lib/issues.yaml'? looked for {trip.parent / 'lib' / 'isues.yaml'}); the trip's other "
        "checks wait until it is found"
    ]  # one error: not one per person and issue it would have given (issue 21)


def test_a_file_that_is_not_a_library_is_refused_with_what_a_library_is(trip):
    (trip.parent / "lib" / "more.yaml").write_text("people: {}\n")
    error, unknown = _errors(trip)  # and wang-yi, who was to come from it, is unknown
    assert "unknown person 'wang-yi'" in unknown
    assert "not a briefgen library" in error
    assert "a library is a YAML file that starts with `briefgen-library: 1`" in error


def test_an_include_cycle_is_an_error_that_names_it(trip):
    more = trip.parent / "lib" / "more.yaml"
    more.write_text(MORE + "include: [people.yaml]\n")
    people = trip.parent / "lib" / "people.yaml"
    [error] = _errors(trip)
    assert f"include cycle: {people} -> {more} -> {people}" in error
    assert error.startswith(f"{more}:4:11: include[0]:")


def test_an_unknown_bare_issue_id_is_located_in_the_trip(trip):
    trip.write_text(TRIP.replace("  - taiwan\n", "  - taiwn\n"))
    [error] = _errors(trip)
    assert error == (
        f"{trip}:24:5: issues[0]: unknown issue 'taiwn': no included library "
        "defines it (did you mean 'taiwan'?)"
    )


def test_a_library_photo_outside_its_folder_is_refused(trip):
    people = trip.parent / "lib" / "people.yaml"
    people.write_text(PEOPLE.replace("photos/qin.png", "../lib2/qin.png"))
    _write(trip.parent, {"lib2/qin.png": PNG})
    [error] = _errors(trip)
    assert error.startswith(f"{people}:9:12: people.qin-gang.photo:")


def test_schema_covers_partial_people_and_prints_the_library_schema():
    trip_schema = json.loads(run_cli("schema").stdout)
    people = trip_schema["properties"]["people"]["additionalProperties"]
    assert {"$ref": "#/$defs/PersonFields"} in people["anyOf"]
    assert "required" not in trip_schema["$defs"]["PersonFields"]
    library = json.loads(run_cli("schema", "--library").stdout)
    assert library["title"] == "briefgen library file, format 1"
    assert library["required"] == ["briefgen-library"]
    assert {"people", "issues", "sources", "include"} <= set(library["properties"])


def test_new_skeleton_shows_a_commented_include(tmp_path):
    assert run_cli("new", tmp_path / "t.yaml").returncode == 0
    assert re.search(r"^# include: \[", (tmp_path / "t.yaml").read_text(), re.M)


def test_the_example_uses_libraries_and_renders_exactly_as_the_inline_trip():
    example = read_brief(EXAMPLE)
    assert [p.name for p in example.files_read] == [
        "beijing-2023.yaml",
        "people.yaml",
        "issues.yaml",
    ]
    assert from_libraries(example.source) == (12, 10)
    assert render_html(example) == render_html(read_brief(INLINE))


# ---------------------------------------------------------------- real PDFs


def _library_of(count: int) -> str:
    lines = ["briefgen-library: 1", "people:"]
    for n in range(count):
        lines.append(
            f"  person-{n:03d}: {{name: Zed{n:03d} Person{n:03d}, title: Official, side: host}}"
        )
    return "\n".join(lines) + "\n"


@pytest.mark.slow
def test_a_300_person_library_adds_only_the_people_used_and_pdf_a_attaches_it(tmp_path):
    from pikepdf import Pdf

    trip = _write(
        tmp_path,
        {
            "trip.yaml": TRIP.replace(
                "include: [lib/people.yaml, lib/issues.yaml]",
                "include: [lib/people.yaml, lib/issues.yaml, big/who.yaml]",
            ).replace(
                "[blinken, qin-gang, wang-yi]",
                "[blinken, qin-gang, wang-yi, person-007, person-123]",
            ),
            "lib/people.yaml": PEOPLE,
            "lib/more.yaml": MORE,
            "lib/issues.yaml": ISSUES,
            "lib/photos/qin.png": PNG,
            "big/who.yaml": _library_of(300),
        },
    )
    out = tmp_path / "out.pdf"
    result = run_cli("build", trip, "-o", out, "--pdf-standard", "pdf/a-3b")
    assert result.returncode == 0, result.stderr
    text = pdf_text(out)
    named = set(re.findall(r"Zed(\d{3})", text))
    assert named == {"007", "123"}
    assert "Unused Person" not in text
    assert "Never used" not in text
    assert "Qin Gang" in text
    assert "Wang Yi" in text
    with Pdf.open(out) as pdf:
        attached = {name: f.get_file().read_bytes() for name, f in pdf.attachments.items()}
    assert attached == {
        "trip.yaml": trip.read_bytes(),
        "lib/people.yaml": PEOPLE.encode(),
        "lib/more.yaml": MORE.encode(),
        "lib/issues.yaml": ISSUES.encode(),
        "big/who.yaml": _library_of(300).encode(),
    }


@pytest.mark.slow
def test_the_example_book_has_the_same_pages_and_text_as_the_inline_trip(example_pages, tmp_path):

    out = tmp_path / "inline.pdf"
    assert run_cli("build", INLINE, "-o", out).returncode == 0
    inline = page_texts(out)
    assert len(inline) == len(example_pages)
    for n, (a, b) in enumerate(zip(inline, example_pages, strict=True), 1):
        assert a == b, f"page {n} differs"


def test_inline_copy_is_the_example_with_its_libraries_written_out():
    """The inline variant must stay the example's twin: same people and issues."""
    a, b = read_brief(EXAMPLE).trip, read_brief(INLINE).trip
    assert a.include
    assert not b.include
    assert a.model_dump(exclude={"include"}) == b.model_dump(exclude={"include"})


# --- What `include` may read (issue 22) --------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "says"),
    [
        ("/etc/shadow", "must be a path relative to this file"),
        ("/proc/self/environ", "must be a path relative to this file"),
        ("file:///etc/passwd", "must be a path relative to this file"),
        ("../../../../../../etc/passwd", "leads outside this file's folder"),
        ("lib/../../outside.yaml", "leads outside this file's folder"),
        ("escape/secret.yaml", "leads through a symbolic link outside this file's folder"),
    ],
)
def test_include_outside_the_folder_is_refused_and_never_opened(trip, path, says, monkeypatch):
    """Refused before anything at the path is opened: its YAML problems cannot leak."""
    secret = trip.parent.parent / f"{trip.parent.name}-secret"
    secret.mkdir()
    (secret / "secret.yaml").write_text("password: [hunter2\n")  # a syntax error, line 1
    (trip.parent.parent / "outside.yaml").write_text("password: [hunter2\n")
    (trip.parent / "escape").symlink_to(secret)
    opened = []
    real_open = __import__("os").open
    monkeypatch.setattr(
        "os.open", lambda p, *a, **k: opened.append(str(p)) or real_open(p, *a, **k)
    )
    trip.write_text(TRIP.replace("lib/issues.yaml]", f"lib/issues.yaml, '{path}']"))
    errors = _errors(trip)
    assert errors[0].startswith(f"{trip}:2:"), errors
    assert "include[2]: " in errors[0]
    assert says in errors[0]
    assert not any("hunter2" in e or "YAML" in e for e in errors)
    assert not [
        p
        for p in opened
        if p.endswith(("secret.yaml", "/outside.yaml")) or p.startswith(("/etc", "/proc"))
    ]
    result = run_cli("check", trip)
    assert result.returncode == 1
    assert "unexpected error" not in result.stderr


def test_a_folder_the_user_allows_may_hold_libraries(trip, monkeypatch):
    shared = trip.parent.parent / f"{trip.parent.name}-shared"
    (trip.parent / "lib").rename(shared)
    trip.write_text(TRIP.replace("lib/", f"../{shared.name}/"))
    assert "leads outside this file's folder" in _errors(trip)[0]
    monkeypatch.setenv("BRIEFGEN_LIBRARIES", f"/nonexistent:{shared}")
    assert read_brief(trip).trip.people["qin-gang"].name == "Qin Gang"


def test_a_chain_of_500_libraries_is_a_located_error_at_depth_16(tmp_path):
    """Was `unexpected error: RecursionError`."""
    files = {
        "trip.yaml": TRIP.replace(
            "include: [lib/people.yaml, lib/issues.yaml]", "include: [l0/lib.yaml]"
        )
    }
    for n in range(500):
        files[f"{'/'.join(f'l{k}' for k in range(n + 1))}/lib.yaml"] = (
            f"briefgen-library: 1\ninclude: [l{n + 1}/lib.yaml]\n"
        )
    trip = _write(tmp_path, files)
    errors = _errors(trip)
    deep = [e for e in errors if "more than 16 deep" in e]
    assert len(deep) == 1
    assert deep[0].startswith(
        f"{tmp_path}/{'/'.join(f'l{k}' for k in range(16))}/lib.yaml:2:11: include[0]:"
    )
    result = run_cli("check", trip)
    assert "unexpected error" not in result.stderr


def test_an_include_name_too_long_for_the_system_is_an_error_not_a_crash(trip):
    """A 300-character name is not an absent file: the system refuses to look it up."""
    long = "x" * 300 + ".yaml"
    trip.write_text(TRIP.replace("lib/issues.yaml]", f"{long}]"))
    errors = _errors(trip)
    assert errors[0] == (
        f"{trip}:2:28: include[1]: include '{'x' * 60}…{'x' * 11}.yaml' cannot be opened: "
        "File name too long"
    ), errors  # then the issues it was to define are unknown

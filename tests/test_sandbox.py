"""House styles may come with a trip: templates see plain read-only data, read only files
inside their own folder, and every route to Python fails with a located error."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from types import MappingProxyType

import pytest
from markupsafe import Markup

from briefgen.load import load
from briefgen.render import Templates, template_context
from briefgen.render.frozen import PLAIN_LEAVES
from briefgen.render.marked import MarkedText
from briefgen.validate import validate
from conftest import EXAMPLE, MINIMAL, run_cli
from helpers import walk


def test_templates_see_only_plain_read_only_data():
    brief = validate(load(EXAMPLE))
    context = template_context(brief, layout="book", paper=None, templates=Templates())
    functions = {name for name, value in context.items() if callable(value)}
    assert functions == {"text", "portion"}  # the two functions we define, nothing else
    reached = 0
    for name, value in context.items():
        if name in functions:
            continue
        for path, item in walk(value, name):
            reached += 1
            plain = (
                isinstance(item, PLAIN_LEAVES)
                or type(item) is tuple
                or isinstance(item, MappingProxyType)
                or (isinstance(item, tuple) and hasattr(type(item), "_fields"))
            )
            assert plain, f"{path} is a {type(item).__name__}"
            if isinstance(item, dt.datetime):
                assert item.tzinfo is None, path  # no zone objects
            assert not isinstance(item, Path | os.PathLike), path
            if isinstance(item, tuple) and hasattr(type(item), "_fields"):
                own = {a for a in vars(type(item)) if not a.startswith("_")}
                assert own <= set(type(item)._fields), f"{path} has methods {own}"
    assert reached > 1000  # the whole book's data was walked
    assert isinstance(context["t"].memo.subject.text, MarkedText)  # never the raw string
    assert isinstance(context["text"](context["t"].memo.subject), Markup)


def house(tmp_path: Path, body: str, name: str = "book.html.j2") -> Path:
    folder = tmp_path / "templates"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(body, encoding="utf-8")
    trip = tmp_path / "trip.yaml"
    trip.write_bytes(MINIMAL.read_bytes())
    return trip


ATTACKS = {
    "pickle": '{{ t.parse_raw("cos\\nsystem\\n(S\'id > pwned.txt\'\\ntR.", proto="pickle", '
    "allow_pickle=True) }}",
    "parse_file": "{{ t.parse_file('/etc/passwd') }}",
    "model_validate": "{{ t.model_validate({}) }}",
    "model_dump": "{{ t.memo.model_dump() }}",
    "copy": "{{ t.copy(update={'x': 1}) }}",
    "json": "{{ t.json() }}",
    "schema_json": "{{ t.schema_json() }}",
    "dunder_class": "{{ t.__class__.__mro__ }}",
    "dunder_via_attr": "{{ t|attr('__class__') }}",
    "globals": "{{ text.__globals__ }}",
    "closure": "{{ portion.__closure__ }}",
    "format": "{{ '{0.__class__}'.format(t) }}",
    "namedtuple_private": "{{ t._asdict() }}",
    "tzinfo": "{{ view.flights[0][1].when.tzinfo.key }}",
    "lipsum": "{{ lipsum(1000000) }}",
    "cycler": "{{ cycler.__init__.__globals__ }}",
    "gettext": "{{ _.__globals__ }}",
    "ngettext": "{{ ngettext.__code__ }}",
}


@pytest.mark.parametrize("attack", list(ATTACKS), ids=list(ATTACKS))
def test_every_route_to_python_fails_located(tmp_path, attack):
    trip = house(
        tmp_path,
        '{% extends "builtin/book.html.j2" %}\n{% block purpose %}'
        + ATTACKS[attack]
        + "{{ super() }}{% endblock %}\n",
    )
    result = run_cli("build", trip, "--html", "-o", tmp_path / "out.html")
    assert result.returncode == 1, (attack, result.stdout)
    assert "Traceback" not in result.stderr
    assert "templates/book.html.j2:2:" in result.stderr, result.stderr
    assert not (tmp_path / "pwned.txt").exists()
    assert not (tmp_path / "out.html").exists()
    assert "root:" not in result.stderr


def test_symlinked_template_and_folder_are_refused(tmp_path):
    trip = house(
        tmp_path,
        '{% extends "builtin/book.html.j2" %}{% block purpose %}'
        '{% include "p.html.j2" %}{% endblock %}',
    )
    (tmp_path / "templates" / "p.html.j2").symlink_to("/etc/passwd")
    result = run_cli("build", trip, "--html", "-o", tmp_path / "out.html")
    assert result.returncode == 1
    assert "root:" not in result.stderr + result.stdout
    assert "links outside the house style folder" in result.stderr
    (tmp_path / "templates" / "p.html.j2").unlink()
    (tmp_path / "templates" / "etc").symlink_to("/etc")
    (tmp_path / "templates" / "book.html.j2").write_text(
        '{% extends "builtin/book.html.j2" %}{% block purpose %}{% include "etc/passwd" %}'
        "{% endblock %}"
    )
    result = run_cli("build", trip, "--html", "-o", tmp_path / "out.html")
    assert result.returncode == 1
    assert "root:" not in result.stderr + result.stdout
    assert "links outside the house style folder" in result.stderr
    assert not (tmp_path / "out.html").exists()


def test_symlinked_style_sheet_is_refused(tmp_path):
    trip = house(tmp_path, '{% extends "builtin/book.html.j2" %}')
    (tmp_path / "templates" / "style.css").symlink_to("/etc/passwd")
    result = run_cli("build", trip, "--html", "-o", tmp_path / "out.html")
    assert result.returncode == 1
    assert "links outside the house style folder" in result.stderr


def test_a_link_inside_the_folder_is_fine(tmp_path):
    trip = house(
        tmp_path,
        '{% extends "builtin/book.html.j2" %}{% block purpose %}'
        '{% include "alias.html.j2" %}{% endblock %}',
    )
    (tmp_path / "templates" / "real.html.j2").write_text("<p>inside</p>")
    (tmp_path / "templates" / "alias.html.j2").symlink_to("real.html.j2")
    result = run_cli("build", trip, "--html", "-o", tmp_path / "out.html")
    assert result.returncode == 0, result.stderr
    assert "<p>inside</p>" in (tmp_path / "out.html").read_text()


def test_template_not_utf8_and_extending_itself_are_located(tmp_path):
    trip = house(tmp_path, "")
    (tmp_path / "templates" / "book.html.j2").write_bytes(b"{% extends 'x' %}\n\xff\xfe")
    result = run_cli("build", trip, "--html", "-o", tmp_path / "out.html")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "templates/book.html.j2:2: not valid UTF-8 (byte 0xff)" in result.stderr
    (tmp_path / "templates" / "book.html.j2").write_text('{% extends "book.html.j2" %}')
    result = run_cli("build", trip, "--html", "-o", tmp_path / "out.html")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "templates/book.html.j2:1: extends itself" in result.stderr
    (tmp_path / "templates" / "book.html.j2").write_text('{% include "book.html.j2" %}')
    result = run_cli("build", trip, "--html", "-o", tmp_path / "out.html")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "include each other without end" in result.stderr


def test_a_memory_cap_far_below_what_the_build_needs_stops_it_with_the_memory_sentence(tmp_path):
    """At --max-memory 1024 the build failed wherever the cap happened to bite (a
    SystemError, "no installed font", SIGTRAP): 64 MB is below the address space this
    process (and so its forked child) already maps, so the child reports memory at once."""
    import weasyprint  # noqa: F401  (with the PDF engine's libraries mapped, as in a build)

    mapped = int(Path("/proc/self/statm").read_bytes().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    assert mapped > 64 << 20
    trip = house(
        tmp_path,
        '{% extends "builtin/book.html.j2" %}{% block purpose %}'
        '{{ "x"|center(3000000000) }}{% endblock %}',
    )
    (tmp_path / "trip.pdf").write_bytes(b"previous")
    for _ in range(3):
        result = run_cli("build", trip, "--max-memory", "64")
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        assert (
            "build failed: needed more than 64 MB of memory (--max-memory); nothing was "
            "written" in result.stderr
        ), result.stderr
        assert (tmp_path / "trip.pdf").read_bytes() == b"previous"
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []

"""Issue 22, item 2: banners cannot under-mark. A house style that prints a Text any way
but `text(b)` still prints it with (or records) its mark, so the banner follows: templates
never receive a Text's raw string (render/marked.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.errors import TemplateProblem
from briefgen.load import load_text
from briefgen.render import Templates, render_document
from briefgen.validate import validate
from conftest import MINIMAL, run_cli

SECRET = "Our fallback is to concede the port fees in the second round"
AUTHORITY = (
    '  authority: {classified_by: A. Officer, reason: "1.4(b)", declassify_on: "20480615"}\n'
)

# Every way a template could print the purpose's only (SECRET) paragraph `b`.
WAYS = {
    "attribute": "{{ b.text }}",
    "itself": "{{ b }}",
    "attribute_chain": "{{ b.text.text.text }}",
    "string": "{{ b|string }}",
    "join": "{{ b|join }}",
    "text_join": "{{ b.text|join('') }}",
    "list": "{{ b|list|join }}",
    "chars": "{% for c in b %}{{ c }}{% endfor %}",
    "concatenate": "{{ '' ~ b }}",
    "concatenate_attribute": "{{ b.text ~ '' }}",
    "format_filter": "{{ '%s'|format(b) }}",
    "format_method": "{{ '{}'.format(b) }}",
    "attr_filter": "{{ b|attr('text') }}",
    "item": "{{ b['text'] }}",
    "upper": "{{ b|upper }}",
    "escape": "{{ b|e }}",
    "safe": "{{ b|safe }}",
    "replace": "{{ b|replace('port', 'port') }}",
    "truncate": "{{ b|truncate(9999) }}",
    "reverse": "{{ b|reverse|join }}",
    "first": "{{ b|first }}",
    "map": "{{ b|map('upper')|join }}",
    "plain": "{{ b|plain }}",
    "set": "{% set x = b.text %}{{ x }}",
    "macro": "{% macro p(x) %}{{ x }}{% endmacro %}{{ p(b.text) }}",
    "loop_over_purpose": "{{ t.purpose|map(attribute='text')|join }}",
    "view_goal": "{{ t.purpose|first }}",
}


def secret_trip() -> str:
    return (
        MINIMAL.read_text(encoding="utf-8")
        .replace("  default: U\n", "  default: U\n" + AUTHORITY)
        .replace(
            "  - text: Put a floor under the relationship and reopen channels.\n"
            "    sources: [readout]\n",
            f"  - text: {SECRET}\n    mark: S\n",
        )
    )


def house(folder: Path, way: str) -> Templates:
    folder.mkdir(exist_ok=True)
    (folder / "book.html.j2").write_text(
        '{% extends "builtin/book.html.j2" %}\n'
        "{% block content %}{% for b in t.purpose %}<p>" + way + "</p>{% endfor %}"
        "{% endblock %}\n",
        encoding="utf-8",
    )
    return Templates(folder)


@pytest.mark.parametrize("way", list(WAYS), ids=list(WAYS))
def test_every_way_to_print_a_text_carries_its_mark(tmp_path, way):
    brief = validate(load_text(secret_trip(), "t.yaml"))
    html, marking = render_document(brief, layout="book", templates=house(tmp_path, WAYS[way]))
    assert marking.banner == "SECRET", way
    assert '<div class="banner" id="banner">SECRET</div>' in html


@pytest.mark.parametrize(
    "way",
    [
        "{{ b._words }}",
        "{{ b|attr('_words') }}",
        "{{ b._printer }}",
        "{{ b|tojson }}",
        "{{ b|wordwrap(20) }}",  # string methods: a Text has none
        "{{ b.split() }}",
    ],
)
def test_the_words_cannot_be_reached_without_the_mark(tmp_path, way):
    brief = validate(load_text(secret_trip(), "t.yaml"))
    with pytest.raises(TemplateProblem):
        render_document(brief, layout="book", templates=house(tmp_path, way))


def test_a_text_printed_raw_keeps_its_portion_mark(tmp_path):
    brief = validate(load_text(secret_trip(), "t.yaml"))
    html, _ = render_document(brief, layout="book", templates=house(tmp_path, "{{ b.text }}"))
    assert f'<span class="pm">(S)</span> {SECRET}' in html


def test_looking_at_a_text_without_printing_it_marks_nothing(tmp_path):
    brief = validate(load_text(secret_trip(), "t.yaml"))
    way = "{% if b and b.mark %}marked{% endif %}{{ b|pprint }}"
    html, marking = render_document(brief, layout="book", templates=house(tmp_path, way))
    assert marking.banner == "UNCLASSIFIED"
    assert SECRET not in html


@pytest.mark.slow
def test_the_build_summary_says_secret(tmp_path):
    trip = tmp_path / "trip.yaml"
    trip.write_text(secret_trip(), encoding="utf-8")
    house(tmp_path / "templates", "{{ b.text|join('') }}")
    result = run_cli("build", trip)
    assert result.returncode == 0, result.stderr
    assert "(SECRET)" in result.stdout

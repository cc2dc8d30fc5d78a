"""Issue 22's bounds: no `assert` in the package, bounded work in the parent (suggestions,
photos, flow lists, outputs), `include` inside its folder, `--set` paths, escaped JSON and
combining-mark floods. The calendar's escaping is held in test_calendar.py."""

from __future__ import annotations

import ast

import pytest

from briefgen.errors import BriefError
from briefgen.intake import brief_from
from briefgen.load import load_text
from conftest import MINIMAL, ROOT

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


def test_suggestions_are_computed_once_per_id_within_a_fixed_budget(monkeypatch):
    """4,000 unknown ids among 4,000 people made 16 million comparisons (minutes)."""
    from briefgen.suggestions import MAX_CANDIDATES, MAX_COMPARISONS

    few, messages = _comparisons(_many_unknown(4000, 3), monkeypatch)
    assert "unknown person 'persn-0001' (did you mean 'person-0001'?)" in messages
    assert messages.count("unknown person 'wangyi' (did you mean 'wang-yi'?)") == 3
    assert few <= 4 * MAX_CANDIDATES  # each distinct id once, 'wangyi' once for 3 events
    many, messages = _comparisons(_many_unknown(4000, 4000), monkeypatch)
    assert len(messages) == 8000  # every error reported; the late ones without a hint
    assert many <= MAX_COMPARISONS
    assert messages.count("unknown person 'wangyi' (did you mean 'wang-yi'?)") == 4000


def test_an_id_written_another_way_is_found_without_comparing():
    from briefgen.suggestions import Suggester

    near = Suggester(["wang-yi", "qin-gang"])
    assert near.hint("Wang_Yi") == " (did you mean 'wang-yi'?)"
    assert near.hint("qin gang") == " (did you mean 'qin-gang'?)"
    assert near.hint("zzzzzz") == ""
    assert near.comparisons == 2  # only "zzzzzz" was compared, with each once

"""Issue 22's bounds: no `assert` in the package, bounded work in the parent (suggestions,
photos, flow lists, outputs), `include` inside its folder, `--set` paths, escaped JSON and
combining-mark floods. The calendar's escaping is held in test_calendar.py."""

from __future__ import annotations

import ast

from conftest import ROOT

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

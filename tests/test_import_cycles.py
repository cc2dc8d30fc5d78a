"""No import cycle in `briefgen/`: the imports of every module, read from its source.

Every `import` statement counts, at module level, inside functions and under
`if TYPE_CHECKING:` alike: a late or type-only import back up the layers still ties the lower
module to the upper one. Importing `briefgen.render.text` from outside `briefgen.render` runs
`briefgen/render/__init__.py` first, so it is an edge to that package too.
"""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

from conftest import ROOT

# TEMPORARY, for the lead to delete once the "engine" branch of issue 20 is merged: the cycles
# that branch removes (`engine → outputs → pipeline → engine`, and the commands in `cli/` that
# import each other and their package's helpers). Every other cycle fails the test, and so does
# an entry here that is no longer a cycle.


def modules(package: Path) -> dict[str, Path]:
    """Dotted module name -> source file, for every module of the package."""
    found = {}
    for path in package.rglob("*.py"):
        parts = path.relative_to(package.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _named(name: str, known: dict[str, Path]) -> str | None:
    """The module of the package an imported name is in (`briefgen.x.f` -> `briefgen.x`)."""
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


def _packages_around(name: str) -> set[str]:
    parts = name.split(".")
    return {".".join(parts[:n]) for n in range(1, len(parts))}


def import_graph(package: Path) -> dict[str, set[str]]:
    """Module -> the modules of the package it imports."""
    known = modules(package)
    graph: dict[str, set[str]] = {}
    for module, path in known.items():
        here = module if path.name == "__init__.py" else module.rpartition(".")[0]
        named: list[str] = []
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                named += [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:  # relative: from the package `level - 1` steps up
                    up = here.split(".")[: len(here.split(".")) - node.level + 1]
                    base = ".".join([*up, base] if base else up)
                named += [f"{base}.{alias.name}" for alias in node.names]  # a module or a name
        edges = set()
        for name in named:
            target = _named(name, known)
            if target is None:
                continue
            edges.add(target)
            # Importing a module runs the packages around it that are not around the importer.
            edges |= (_packages_around(target) & known.keys()) - _packages_around(module)
        graph[module] = edges - {module}
    return graph


def cycles(graph: dict[str, set[str]]) -> set[tuple[str, ...]]:
    """Every elementary cycle, once, as the modules in import order from the smallest name."""
    found = set()

    def walk(start: str, path: list[str]) -> None:
        for following in sorted(graph[path[-1]]):
            if following == start:
                found.add(tuple(path))
            elif following > start and following not in path:
                walk(start, [*path, following])

    for start in sorted(graph):
        walk(start, [start])
    return found


def spelled(cycle: tuple[str, ...]) -> str:
    return " → ".join([*cycle, cycle[0]])


def test_briefgen_has_no_import_cycle():
    found = cycles(import_graph(ROOT / "briefgen"))
    assert not found, "import cycles:\n" + "\n".join(map(spelled, sorted(found)))


def test_cycles_through_late_imports_and_packages_are_found_and_named(tmp_path):
    """The control: the walker sees a cycle through a function-level import and through a
    package's `__init__` (the one `diff` and `render` made before `clock.py`), and none in a
    package whose modules import only downwards."""
    sources = {
        "top/__init__.py": "",
        "top/low.py": "import os\n",
        "top/high.py": "from top import low\nfrom top.stage.text import plain\n",
        "top/stage/__init__.py": "from top.stage.view import view\n",
        "top/stage/text.py": "from top.low import x\n",
        "top/stage/view.py": "def view():\n    from top.high import y\n",
    }
    for name, text in sources.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(textwrap.dedent(text), encoding="utf-8")
    graph = import_graph(tmp_path / "top")
    assert graph["top.high"] == {"top.low", "top.stage", "top.stage.text"}
    assert list(map(spelled, cycles(graph))) == ["top.high → top.stage → top.stage.view → top.high"]
    (tmp_path / "top/stage/view.py").write_text("def view():\n    from top.low import y\n")
    assert cycles(import_graph(tmp_path / "top")) == set()

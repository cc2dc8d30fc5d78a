"""The JSON Schemas committed in docs/ (for editors that cannot run briefgen) are what
`briefgen schema` prints now, and every property in them carries a description (hover text)."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT, run_cli

SCHEMAS = {"briefgen.schema.json": [], "briefgen-library.schema.json": ["--library"]}


def _printed(args: list[str]) -> str:
    result = run_cli("schema", *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize(("name", "args"), SCHEMAS.items(), ids=list(SCHEMAS))
def test_committed_schema_is_what_briefgen_prints(name, args):
    committed = (ROOT / "docs" / name).read_text(encoding="utf-8")
    if committed != _printed(args):
        command = " ".join(["briefgen", "schema", *args, ">", f"docs/{name}"])
        pytest.fail(
            f"docs/{name} is out of date with the models; regenerate it with\n    {command}",
            pytrace=False,
        )


def _undescribed(node: object, where: str) -> list[str]:
    """Every property (recursively, $defs included) and every $defs entry without a
    description, as a JSON-pointer-like path."""
    out: list[str] = []
    if isinstance(node, dict):
        for key, prop in (node.get("properties") or {}).items():
            if not (isinstance(prop, dict) and prop.get("description")):
                out.append(f"{where}/properties/{key}")
        for key, sub in (node.get("$defs") or {}).items():
            if not (isinstance(sub, dict) and sub.get("description")):
                out.append(f"{where}/$defs/{key}")
        for key, sub in node.items():
            out += _undescribed(sub, f"{where}/{key}")
    elif isinstance(node, list):
        for i, sub in enumerate(node):
            out += _undescribed(sub, f"{where}/{i}")
    return out


@pytest.mark.parametrize(("name", "args"), SCHEMAS.items(), ids=list(SCHEMAS))
def test_every_property_has_a_description(name, args):
    schema = json.loads(_printed(args))
    assert schema["description"]
    assert len(schema["$defs"]) > 3
    assert len(schema["properties"]) > 3
    assert _undescribed(schema, "#") == []

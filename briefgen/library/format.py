"""The library file's format: its key, its model (`LibraryFile`) and JSON Schema."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict, Field

from briefgen.model import Id, Issue, Person, Source, TopLevel

LIBRARY_KEY = "briefgen-library"
LIBRARY_KEYS = (LIBRARY_KEY, "people", "issues", "sources", "include")
WHAT_A_LIBRARY_IS = (
    "a library is a YAML file that starts with `briefgen-library: 1` and holds people, issues "
    "and sources that trips share (keys: people, issues, sources, include)"
)


class LibraryFile(TopLevel):
    """A briefgen library file, format 1: people, issues and sources that trips include."""

    model_config = ConfigDict(
        extra="forbid",
        populate_by_name=True,
        frozen=True,
        json_schema_extra={"patternProperties": {"^x-": {}}},
    )

    briefgen_library: Literal[1] = Field(
        alias=LIBRARY_KEY, description="format version of the library: 1"
    )
    people: dict[Id, Person] = Field(
        {}, description="people trips may use, by id; a trip gets only those it names"
    )
    issues: list[Issue] = Field(
        [],
        description="issue papers trips may use: listed by id in a trip's issues, or pulled "
        "in by {issue: id}",
    )
    sources: list[Source] = Field([], description="sources that trips and this library cite")
    include: list[str] = Field(
        [],
        description="other libraries, each path relative to the file that names it "
        "(a cycle is an error)",
    )


def library_schema() -> dict[str, Any]:
    schema = LibraryFile.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "briefgen library file, format 1"
    return schema

"""Texts: the base of every model, a Text (a string, or a mapping with its mark, sources
and language), a list of Texts, and a goal."""

from __future__ import annotations

import os
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    model_validator,
)

from briefgen.limits import MAX_TEXT_CHARS
from briefgen.scalars import (
    Id,
    Priority,
)

# Installed pydantic plugins (tracing, logging) are looked for in every installed package's
# entry points as the first model is built: ~25 ms of every command, for nothing briefgen
# uses. An empty PYDANTIC_DISABLE_PLUGINS brings them back.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")


class Strict(BaseModel):
    """The base of every model: unknown keys are errors, values are immutable, and an
    optional key with nothing after it counts as absent."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _empty_means_absent(cls, data: Any) -> Any:
        """`objectives:` with nothing after it is the same as no `objectives:` at all."""
        if not isinstance(data, dict):
            return data
        optional = {f.alias or name for name, f in cls.model_fields.items() if not f.is_required()}
        return {k: v for k, v in data.items() if not (v is None and k in optional)}


# A portion mark: a level, and for `us` its controls after `//` (`C//NF`, `S//REL TO USA, GBR`).
# The rules check it against the file's system (markings.parse_mark) with a located error.
Mark = Annotated[
    str,
    Field(
        max_length=200,
        pattern=r"^(U|SBU|CUI|C|S|TS|O|OS)(//.+)?$",
        json_schema_extra={
            "examples": ["SBU", "C", "C//NF", "C//REL TO USA, GBR", "S//NOFORN", "CUI"]
        },
    ),
]


class TextItem(Strict):
    """One portion of text: inline Markdown, its portion mark and the sources it cites."""

    text: Annotated[str, Field(max_length=MAX_TEXT_CHARS)] = Field(
        description="the text: inline Markdown (emphasis, strong, links, code, line breaks); "
        "raw HTML is shown as text, never interpreted"
    )
    mark: Mark | None = Field(
        None,
        description="portion mark (us: U, SBU, CUI, C, S, TS, with controls after // on us "
        "marks: C//NF, C//REL TO USA, GBR; uk: O, OS, S, TS); default: markings.default; an "
        "error without a markings block or with system plain",
    )
    sources: list[Id] = Field([], description="ids of entries in `sources` that this text cites")


def _text_to_mapping(value: Any) -> Any:
    return {"text": value} if isinstance(value, str) else value


def _to_list(value: Any) -> Any:
    return value if isinstance(value, list) else [value]


def _without_blanks(texts: list[TextItem]) -> list[TextItem]:
    """A blank text is no text (`notes: ""` as `notes:`, `{text: " "}` as nothing): no heading
    is printed over nothing. Dropped after validation, so errors keep their places."""
    return [text for text in texts if text.text.strip()]


Text = Annotated[TextItem, BeforeValidator(_text_to_mapping, json_schema_input_type=str | TextItem)]
Texts = Annotated[
    list[Text],
    BeforeValidator(_to_list, json_schema_input_type=Text | list[Text]),
    AfterValidator(_without_blanks),
]


class GoalItem(TextItem):
    """A goal: a Text, with what kind of goal it is and how much it matters."""

    kind: Literal["objective", "deliverable", "expectation", "red-line"] = Field(
        "objective",
        description="objective, deliverable, expectation or red-line; default objective",
    )
    priority: Priority | None = Field(None, description="1, 2 or 3; default none")


Goal = Annotated[GoalItem, BeforeValidator(_text_to_mapping, json_schema_input_type=str | GoalItem)]

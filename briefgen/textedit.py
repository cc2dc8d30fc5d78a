"""A YAML file's text edited value by value, at the positions the loader recorded: what is
not edited (comments, key order, quoting, anchors) stays byte for byte. Used by `new --from`."""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefgen.errors import DocPath
from briefgen.loaded import LoadedTrip

_ANCHOR = re.compile(r"&[^\s,\[\]{}]+[ \t]+")


@dataclass(frozen=True)
class Edit:
    start: int  # character offsets in the text
    end: int
    new: str


class Editor:
    def __init__(self, loaded: LoadedTrip, text: str):
        self.loaded, self.text = loaded, text
        self.lines = [0]
        for m in re.finditer("\n", text):
            self.lines.append(m.end())
        self.edits: dict[int, Edit] = {}

    def offset(self, position: tuple[int, int]) -> int:
        line, col = position
        return self.lines[line - 1] + col - 1

    def value_at(self, path: DocPath) -> int | None:
        """Where the value at `path` is written, after any anchor (`&day 2023-06-18`)."""
        position = self.loaded.value_marks.get(tuple(path))
        if position is None:
            return None
        start = self.offset(position)
        anchor = _ANCHOR.match(self.text, start)
        return anchor.end() if anchor else start

    def replace(self, start: int, end: int, new: str) -> bool:
        if start in self.edits:
            return False  # the same anchored value, reached through an alias: once
        self.edits[start] = Edit(start, end, new)
        return True

    def scalar_span(self, start: int) -> tuple[int, int, str]:
        """(start, end, quote) of the scalar written at `start`, quotes included."""
        text = self.text
        quote = text[start] if text[start] in "\"'" else ""
        if quote == '"':
            i = start + 1
            while i < len(text) and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
            return start, i + 1, quote
        if quote == "'":
            i = start + 1
            while i < len(text):
                if text[i] == "'" and text[i + 1 : i + 2] != "'":
                    break
                i += 2 if text[i] == "'" else 1
            return start, i + 1, quote
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        chunk = text[start:end]
        cut = re.search(r"\s#|,\s|[\]}]|,$", chunk)
        chunk = chunk[: cut.start()] if cut else chunk
        return start, start + len(chunk.rstrip()), ""

    def apply(self) -> str:
        out, last = [], 0
        for edit in sorted(self.edits.values(), key=lambda e: e.start):
            if edit.start < last:
                continue  # inside a part removed
            out += [self.text[last : edit.start], edit.new]
            last = edit.end
        return "".join([*out, self.text[last:]])

    def remove_item(self, path: DocPath) -> bool:
        """Remove the block sequence item at `path` (`- ...` and the lines under it). False,
        and nothing removed, for an item of a flow sequence (`[a, b]`) or one holding an
        anchor used elsewhere."""
        position = self.loaded.value_marks.get(tuple(path))
        if position is None:
            return False
        line, col = position
        begin = self.lines[line - 1]
        prefix = self.text[begin : begin + col - 1]
        if not re.fullmatch(r" *- +", prefix):
            return False
        dash = prefix.index("-")
        end = len(self.text)
        for number in range(line, len(self.lines)):  # the lines after the item's first
            at = self.lines[number]
            content = self.text[at : self.text.find("\n", at) + 1 or len(self.text)]
            if content.strip() and len(content) - len(content.lstrip(" ")) <= dash:
                end = at
                break
        while end > begin and not self.text[self.lines_before(end) : end].strip():
            end = self.lines_before(end)  # blank lines before what follows stay
        removed = self.text[begin:end]
        for anchor in re.findall(r"&([^\s,\[\]{}]+)", removed):
            if re.search(r"\*" + re.escape(anchor) + r"\b", self.text[:begin] + self.text[end:]):
                return False
        return self.replace(begin, end, "")

    def lines_before(self, offset: int) -> int:
        """The start of the line before the one that starts at `offset`."""
        return self.text.rfind("\n", 0, max(offset - 1, 0)) + 1

    def add_keys(self, mapping: DocPath, pairs: list[tuple[str, str, str]]) -> bool:
        """Write `key: value` entries first in the mapping at `mapping` (values as written),
        each with its comment (`# ...`) in a block mapping."""
        start = self.value_at(mapping)
        if start is None or not pairs:
            return False
        if self.text[start] == "{":
            return self.replace(start + 1, start + 1, "".join(f"{k}: {v}, " for k, v, _ in pairs))
        keys = [
            where
            for path, where in self.loaded.key_marks.items()
            if len(path) == len(mapping) + 1 and tuple(path[: len(mapping)]) == tuple(mapping)
        ]
        if not keys:
            return False
        line, col = min(keys)
        begin = self.lines[line - 1]
        indent = " " * (col - 1)
        if self.text[begin : begin + col - 1].strip() == "":
            return self.replace(
                begin,
                begin,
                "".join(f"{indent}{k}: {v}{f'  # {c}' if c else ''}\n" for k, v, c in pairs),
            )
        at = self.offset((line, col))
        return self.replace(
            at,
            at,
            "".join(f"{k}: {v}{f'  # {c}' if c else ''}\n{indent}" for k, v, c in pairs),
        )

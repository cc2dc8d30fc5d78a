"""Stage 1, second half: the composed node graph to plain Python data, with positions.

Refuses (as problems collected for load.py): tags outside the core schema, keys that are
not plain text, duplicate keys, typing mistakes in keys (yaml_hints), forbidden characters,
combining-mark floods, and scalars that do not fit their tag. Aliases are sized before they
are expanded (AliasTooLarge past MAX_ALIAS_NODES nodes or MAX_ALIAS_CHARS characters).
"""

from __future__ import annotations

import re
from typing import Any, cast

from briefgen.errors import DocPath, Problem
from briefgen.limits import MAX_ALIAS_CHARS, MAX_ALIAS_NODES, MAX_COMBINING_MARKS
from briefgen.loaded import LoadedTrip, Position
from briefgen.scalars import combining_flood
from briefgen.yaml_hints import key_mistake, missing_space
from briefgen.yaml_parse import (
    ALLOWED_TAGS,
    BOOL,
    CORE,
    FLOAT,
    INT,
    MAP,
    MERGE,
    NULL,
    SEQ,
    STR,
    MappingNode,
    Node,
    ScalarNode,
    SequenceNode,
    check_flow_children,
)


def where(node_or_mark) -> Position:
    """(line, column), 1-based, where a node (or a mark) starts."""
    m = getattr(node_or_mark, "start_mark", node_or_mark)
    return (m.line + 1, m.column + 1)


def _show_tag(tag: str) -> str:
    return "!!" + tag[len(CORE) :] if tag.startswith(CORE) else tag


# Characters no text should carry, even when written as YAML escapes ("\x1b", "\ud800"):
# C0/C1 controls other than tab and newlines, surrogates, and the non-characters.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _forbidden(char: str) -> str:
    return (
        f"character U+{ord(char):04X} is not allowed in a trip file (a control character "
        "or an invalid code point); remove it"
    )


class Builder:
    """Turns the composed node graph into Python data, counting what aliases expand to."""

    def __init__(self, loaded: LoadedTrip, text: str, parsed_by_c: bool):
        self.loaded, self.text, self.parsed_by_c = loaded, text, parsed_by_c
        self.problems: list[Problem] = []
        self.nodes = 0  # nodes produced through aliases
        self.chars = 0  # characters of scalar text produced through aliases
        self.built: set[int] = set()
        self.expanding: set[int] = set()
        self.in_alias = False
        self.sizes: dict[int, tuple[int, int]] = {}  # node id -> (nodes, chars) it expands to
        self.sizing: set[int] = set()
        self.unmarked = False  # building what lies under a top-level x- key

    def fail(self, mark: Position, path: DocPath, message: str) -> None:
        self.problems.append(Problem(mark[0], mark[1], self.loaded.name, path, message))

    def value_position(self, node: Node) -> Position:
        m = node.start_mark
        if (
            self.parsed_by_c
            and isinstance(node, ScalarNode)
            and node.value == ""
            and not node.style
        ):
            # libyaml puts an empty value at the next token, PyYAML right after the `:`.
            index = m.index
            while index > 0 and self.text[index - 1] == " ":
                index -= 1
            return (m.line + 1, m.column + 1 - (m.index - index))
        return (m.line + 1, m.column + 1)

    def build(self, node: Node, path: DocPath) -> Any:
        alias = self.in_alias or id(node) in self.built
        if alias and not self.in_alias:  # an alias: count all it expands to before expanding
            nodes, chars = self.size(node, path)
            self.nodes, self.chars = self.nodes + nodes, self.chars + chars
            if self.nodes > MAX_ALIAS_NODES or self.chars > MAX_ALIAS_CHARS:
                raise AliasTooLarge(node, path)
        if id(node) in self.expanding:
            raise RecursiveAlias(node, path)
        self.built.add(id(node))
        if not self.unmarked:
            self.loaded.value_marks.setdefault(path, self.value_position(node))
        if node.tag not in ALLOWED_TAGS:
            self.fail(
                where(node),
                path,
                f"tag '{_show_tag(node.tag)}' is not allowed in a trip file",
            )
            return None
        if isinstance(node, ScalarNode):
            return self.scalar(node, path)
        self.expanding.add(id(node))
        outer, self.in_alias = self.in_alias, alias
        try:
            if isinstance(node, SequenceNode):
                if node.flow_style and self.parsed_by_c:
                    check_flow_children(node)
                if node.tag != SEQ:
                    self.fail(
                        where(node),
                        path,
                        f"tag '{_show_tag(node.tag)}' does not fit a list",
                    )
                for i, child in enumerate(node.value):
                    if isinstance(child, ScalarNode) and not child.style and child.tag == STR:
                        self.check_missing_space(child, (*path, i))
                return [self.build(child, (*path, i)) for i, child in enumerate(node.value)]
            if node.tag != MAP:
                self.fail(where(node), path, f"tag '{_show_tag(node.tag)}' does not fit a mapping")
            return self.mapping(cast(MappingNode, node), path)  # the composers make no other
        finally:
            self.expanding.discard(id(node))
            self.in_alias = outer

    def size(self, node: Node, path: DocPath) -> tuple[int, int]:
        """(nodes, characters) that expanding `node` produces, without expanding it."""
        if (known := self.sizes.get(id(node))) is not None:
            return known
        if id(node) in self.sizing:
            raise RecursiveAlias(node, path)
        self.sizing.add(id(node))
        if isinstance(node, ScalarNode):
            nodes, chars = 1, len(node.value)
        else:
            nodes, chars = 1, 0
            children = (
                node.value
                if isinstance(node, SequenceNode)
                else [child for pair in node.value for child in pair]
            )
            for child in children:
                more = self.size(child, path)
                nodes = min(nodes + more[0], MAX_ALIAS_NODES + 1)  # bounded: no huge integers
                chars = min(chars + more[1], MAX_ALIAS_CHARS + 1)
        self.sizing.discard(id(node))
        self.sizes[id(node)] = (nodes, chars)
        return nodes, chars

    def check_missing_space(self, node: ScalarNode, path: DocPath) -> None:
        if self.in_alias:
            return  # reported where the anchor's text is written
        if message := missing_space(node.value):
            self.fail(where(node), path, message)

    def scalar(self, node: ScalarNode, path: DocPath = ()) -> Any:
        text = node.value
        if bad := _FORBIDDEN.search(text):
            self.fail(where(node), path, _forbidden(bad.group()))
            return text
        if (at := combining_flood(text)) is not None:
            self.fail(
                where(node),
                path,
                f"more than {MAX_COMBINING_MARKS} combining marks (accents) follow character "
                f"{at:,} of this text; no script needs so many: remove them",
            )
            return text
        tag = node.tag
        try:
            if tag == NULL:
                return None
            if tag == BOOL:
                return text.lower() == "true"
            if tag == INT:
                return int(text, 0) if text[:2] in ("0o", "0x") else int(text)
            if tag == FLOAT:
                return float(text.lower().replace(".inf", "inf").replace(".nan", "nan"))
        except ValueError:
            self.fail(where(node), (), f"'{text}' does not fit its tag '{_show_tag(tag)}'")
            return text
        return text

    def mapping(self, node: MappingNode, path: DocPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, Position] = {}
        merged: list[tuple[Node, DocPath]] = []
        if node.flow_style and self.parsed_by_c:
            check_flow_children(node)
        for index, (key_node, value_node) in enumerate(node.value):
            if key_node.tag == MERGE:
                merged.append((value_node, path))
                continue
            if not isinstance(key_node, ScalarNode):
                self.fail(where(key_node), path, "a key must be plain text, not a list or mapping")
                continue
            if key_node.tag not in ALLOWED_TAGS:
                self.fail(
                    where(key_node),
                    path,
                    f"tag '{_show_tag(key_node.tag)}' is not allowed in a trip file",
                )
                continue
            key = key_node.value
            if bad := _FORBIDDEN.search(key):
                self.fail(where(key_node), (*path, key), _forbidden(bad.group()))
                continue
            if message := key_mistake(node, index, path, self.text):
                self.fail(where(key_node), message[0], message[1])
                continue
            if key in first_seen:
                line = first_seen[key][0]
                self.fail(
                    where(key_node),
                    (*path, key),
                    f"duplicate key '{key}' (first defined on line {line}); "
                    "YAML would silently keep only the last one",
                )
                continue
            first_seen[key] = where(key_node)
            if not self.unmarked:
                self.loaded.key_marks.setdefault((*path, key), where(key_node))
            if (
                isinstance(value_node, ScalarNode)
                and not value_node.style
                and value_node.start_mark.line > key_node.start_mark.line
            ):
                self.check_missing_space(value_node, (*path, key))  # `key:\n  priority:1`
            # Nothing under a top-level x- key is validated, so no later problem is located
            # there: its positions are not kept (a one-line list of 1.6 million numbers
            # under x-junk kept 270 MB of them). The loader's own problems carry theirs.
            outer, self.unmarked = self.unmarked, self.unmarked or (not path and key[:2] == "x-")
            try:
                result[key] = self.build(value_node, (*path, key))
            finally:
                self.unmarked = outer
        for value_node, at in merged:  # `<<: *base` or `<<: [*a, *b]`; explicit keys win
            sources = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
            for source in sources:
                if not isinstance(source, MappingNode):
                    self.fail(
                        where(source),
                        at,
                        "a merge key '<<' needs a mapping or a list of them",
                    )
                    continue
                for key, value in self.mapping(source, at).items():
                    result.setdefault(key, value)
        return result


class AliasTooLarge(Exception):
    def __init__(self, node: Node, path: DocPath):
        self.node, self.path = node, path


class RecursiveAlias(AliasTooLarge):
    pass

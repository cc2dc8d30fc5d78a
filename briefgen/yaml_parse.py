"""YAML text to a node graph, with the YAML 1.2 core schema and node positions.

The graph is composed here from the parser's events, not by PyYAML's composer: nodes are
counted and their nesting measured as the events arrive, so a file of millions of tiny values
(a one-line flow list) or of thousands of `[` stops at the limit with a located error
instead of first building every node; and a node keeps only its tag, value, style and the
line, column and offset where it starts and ends (a PyYAML node and its two marks weigh
about five times as much).

libyaml's C parser is used when PyYAML has it; the pure-Python parser is the reference and
reads the text instead when libyaml is missing, when the C parser reports an error (PyYAML's
messages and positions are the ones yaml_hints knows), and wherever the two could read the
same text differently, so what a file means never depends on the install.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
import yaml.nodes
from yaml.composer import Composer, ComposerError
from yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from briefgen.errors import DocPath
from briefgen.limits import MAX_DEPTH, MAX_NODES

try:
    from yaml._yaml import CParser
except ImportError:  # PyYAML built without libyaml
    HAVE_LIBYAML = False
else:
    HAVE_LIBYAML = True

CORE = "tag:yaml.org,2002:"
STR, INT, FLOAT, BOOL, NULL = (CORE + t for t in ("str", "int", "float", "bool", "null"))
SEQ, MAP, MERGE = CORE + "seq", CORE + "map", CORE + "merge"
ALLOWED_TAGS = {STR, INT, FLOAT, BOOL, NULL, SEQ, MAP, MERGE}


class _Yaml12Resolver(BaseResolver):
    """The YAML 1.2 core schema, instead of PyYAML's YAML 1.1 rules."""


for _tag, _regex, _first in [
    (BOOL, r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    (INT, r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        FLOAT,
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
    (NULL, r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    (MERGE, r"^(?:<<)$", "<"),
]:
    _Yaml12Resolver.add_implicit_resolver(_tag, re.compile(_regex), list(_first))


class PythonComposer(Reader, Scanner, Parser, Composer, _Yaml12Resolver):
    """The pure-Python parser: slow, but the reference for what a file means and its errors."""

    def __init__(self, text: str):
        Reader.__init__(self, text)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        _Yaml12Resolver.__init__(self)


if HAVE_LIBYAML:

    class CComposer(CParser, _Yaml12Resolver):
        """libyaml's scanner, parser and composer with our resolver; nodes keep start marks."""

        def __init__(self, text: str):
            CParser.__init__(self, text)
            _Yaml12Resolver.__init__(self)


# Text on which libyaml and PyYAML do, or might, disagree: tabs (PyYAML refuses them after
# `:`), line breaks other than \n and \r, directives, a block scalar header running into a
# comment, and a tag (`!`) or explicit key (`? `) where a token starts, outside a comment.
# (Characters either reader refuses make libyaml fail, and PyYAML then reads the text.)
# Only literal searches run over the whole text: Python's regex engine is slow at scanning.
_ODD = ("\t", "\x85", "\u2028", "\u2029", "\n%", "|#", ">#", "|-#", "|+#", ">-#", ">+#")
_TAG_OR_KEY = re.compile(
    r"(?:[^#]|(?<=\S)#)*?(?:^[ ]*(?:-[ ]+)*|[:,\[{][ ]*|&[^\s,\[\]{}]+[ ]+)(?:!|\?(?:[ ]|$))"
)


def needs_python(text: str) -> bool:
    """Whether `text` holds something only the pure-Python parser may read."""
    if text.lstrip("\ufeff").startswith("%") or any(odd in text for odd in _ODD):
        return True
    for mark in "!?":
        at = text.find(mark)
        while at >= 0:
            start = text.rfind("\n", 0, at) + 1
            end = text.find("\n", at)
            end = len(text) if end < 0 else end
            if _TAG_OR_KEY.match(text[start:end]):
                return True
            at = text.find(mark, end)
    return False


class Mark:
    """Where a node starts or ends: 0-based line and column, and offset in the text."""

    __slots__ = ("column", "index", "line")

    def __init__(self, mark: Any):  # a yaml.Mark, from libyaml or PyYAML
        self.line, self.column, self.index = mark.line, mark.column, mark.index


class Node:
    __slots__ = ("end_mark", "flow_style", "start_mark", "style", "tag", "value")
    value: Any

    def __init__(self, tag: str, value: Any, start: yaml.Mark, end: yaml.Mark, style: Any = None):
        self.tag, self.value = tag, value
        self.style = style  # a scalar's: "" (plain), "'", '"', "|" or ">"
        self.flow_style = style  # a collection's: whether it is written [...] or {...}
        self.start_mark, self.end_mark = Mark(start), Mark(end)


class ScalarNode(Node):
    value: str


class SequenceNode(Node):
    value: list[Node]


class MappingNode(Node):
    value: list[tuple[Node, Node]]


class TooLarge(Exception):
    """The file holds more nodes, or deeper nesting, than briefgen reads."""

    def __init__(self, mark: Any, path: DocPath, message: str):
        self.line, self.column, self.path, self.message = mark.line, mark.column, path, message


def compose(text: str, use_c: bool) -> tuple[Node | None, bool]:
    """(root node, whether libyaml parsed it); PyYAML's exceptions propagate."""
    if use_c and HAVE_LIBYAML and not needs_python(text):
        try:
            return compose_events(CComposer(text)), True
        except (yaml.YAMLError, UnicodeEncodeError):  # the latter: a lone surrogate
            pass  # read it again in Python, for PyYAML's message and position
    return compose_events(PythonComposer(text)), False


_KIND = {
    ScalarEvent: (ScalarNode, yaml.nodes.ScalarNode),
    SequenceStartEvent: (SequenceNode, yaml.nodes.SequenceNode),
    MappingStartEvent: (MappingNode, yaml.nodes.MappingNode),
}


def compose_events(parser: Any) -> Node | None:
    """The single document of `parser`'s events as nodes, within MAX_NODES and MAX_DEPTH.

    What PyYAML's composer does (and its errors), without recursion: `open` holds each
    collection being filled and, for a mapping, the key waiting for its value."""
    parser.get_event()  # stream start
    if parser.check_event(StreamEndEvent):
        return None
    document = parser.get_event()
    anchors: dict[str, Node] = {}
    open_: list[list[Any]] = []  # [collection node, pending key or None]
    count, root = 0, None
    while True:
        event: Any = parser.get_event()
        if isinstance(event, CollectionEndEvent):
            node = open_.pop()[0]
            node.end_mark = Mark(event.end_mark)
            if not open_:
                break
            continue
        count, start = count + 1, event.start_mark
        if count > MAX_NODES:
            raise TooLarge(
                start,
                _path(open_),
                f"this file holds more than {MAX_NODES:,} keys, values and list items; "
                "refused (no trip needs so many: was it generated?)",
            )
        if isinstance(event, AliasEvent):
            if event.anchor not in anchors:
                raise ComposerError(None, None, f"found undefined alias {event.anchor!r}", start)
            node = anchors[event.anchor]
        else:
            ours, theirs = _KIND[type(event)]
            tag = event.tag
            if tag is None or tag == "!":
                value = event.value if ours is ScalarNode else None
                tag = parser.resolve(theirs, value, event.implicit)
            if ours is ScalarNode:
                node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
            else:
                node = ours(tag, [], event.start_mark, event.end_mark, event.flow_style)
            if event.anchor is not None:
                if event.anchor in anchors:
                    raise ComposerError(
                        f"found duplicate anchor {event.anchor!r}; first occurrence",
                        _yaml_mark(anchors[event.anchor].start_mark),
                        "second occurrence",
                        event.start_mark,
                    )
                anchors[event.anchor] = node
        if len(open_) >= MAX_DEPTH and isinstance(event, (SequenceStartEvent, MappingStartEvent)):
            raise TooLarge(
                event.start_mark,
                _path(open_),
                f"lists and mappings are nested more than {MAX_DEPTH} deep here; refused",
            )
        if open_:
            parent = open_[-1]
            if isinstance(parent[0], SequenceNode):
                parent[0].value.append(node)
            elif parent[1] is None:
                parent[1] = node
            else:
                parent[0].value.append((parent[1], node))
                parent[1] = None
        else:
            root = node
        if isinstance(event, (SequenceStartEvent, MappingStartEvent)):
            open_.append([node, None])
        elif not open_:
            break
    parser.get_event()  # document end
    if not parser.check_event(StreamEndEvent):
        raise ComposerError(
            "expected a single document in the stream",
            document.start_mark,
            "but found another document",
            parser.get_event().start_mark,
        )
    return root


def _path(open_: list[list[Any]]) -> DocPath:
    """Where the next node goes: inside the last child of each open collection but the
    innermost, whose next item or pending key's value it is."""
    path: list[str | int] = []
    for depth, (node, key) in enumerate(open_, 1):
        inner = depth == len(open_)
        if isinstance(node, SequenceNode):
            path.append(len(node.value) - (not inner))
            continue
        if not inner and key is None and node.value:
            key = node.value[-1][0]
        if not isinstance(key, ScalarNode):
            break
        path.append(key.value)
    return tuple(path)


def _yaml_mark(mark: Mark) -> yaml.Mark:
    return yaml.Mark("<unicode string>", mark.index, mark.line, mark.column, None, 0)


class ReadWithPython(Exception):
    """Raised while building libyaml's nodes where PyYAML would have read the text otherwise."""


def check_flow_children(node: Node) -> None:
    """PyYAML ends plain text inside [...] or {...} at a `?`; libyaml reads on."""
    children = (
        node.value if isinstance(node, SequenceNode) else [n for pair in node.value for n in pair]
    )
    for child in children:
        if isinstance(child, ScalarNode) and not child.style and "?" in child.value:
            raise ReadWithPython

"""YAML text to a node graph, with the YAML 1.2 core schema and node positions.

libyaml's C parser is used when PyYAML has it; the pure-Python parser is the reference and
reads the text instead when libyaml is missing, when the C parser reports an error (PyYAML's
messages and positions are the ones yaml_hints knows), and wherever the two could read the
same text differently, so what a file means never depends on the install.
"""

from __future__ import annotations

import re

import yaml
from yaml.composer import Composer
from yaml.nodes import Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

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


def compose(text: str, use_c: bool) -> tuple[Node | None, bool]:
    """(root node, whether libyaml composed it); PyYAML's exceptions propagate."""
    if use_c and HAVE_LIBYAML and not needs_python(text):
        try:
            return CComposer(text).get_single_node(), True
        except (yaml.YAMLError, UnicodeEncodeError):  # the latter: a lone surrogate
            pass  # read it again in Python, for PyYAML's message and position
    return PythonComposer(text).get_single_node(), False


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

"""Stage 1: read a trip file into plain Python data, remembering where every node came from.

YAML is read with the contract's YAML 1.2 scalar rules (only true/false are booleans, no
base-60 numbers, dates stay strings for the schema to parse). Refused, each with a located
error: invalid UTF-8, syntax errors, tab indentation, duplicate keys, any tag outside the
core schema (`!!python/...`, `!include`), recursive aliases and documents whose alias
expansion passes a size bound. Expansion is counted while it happens, so an alias bomb
stops after MAX_NODES nodes instead of allocating.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from briefgen.errors import BriefError, DocPath, Problem

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_NODES = 200_000  # nodes after alias expansion; a large real trip has ~10,000
MAX_CHARS = 20_000_000  # characters of scalar text after alias expansion

_CORE = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = (_CORE + t for t in ("str", "int", "float", "bool", "null"))
_SEQ, _MAP, _MERGE = _CORE + "seq", _CORE + "map", _CORE + "merge"
_ALLOWED_TAGS = {_STR, _INT, _FLOAT, _BOOL, _NULL, _SEQ, _MAP, _MERGE}


class _Yaml12Resolver(BaseResolver):
    """The YAML 1.2 core schema, instead of PyYAML's YAML 1.1 rules."""


for _tag, _regex, _first in [
    (_BOOL, r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    (_INT, r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        _FLOAT,
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
    (_NULL, r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    (_MERGE, r"^(?:<<)$", "<"),
]:
    _Yaml12Resolver.add_implicit_resolver(_tag, re.compile(_regex), list(_first))


class _Composer(Reader, Scanner, Parser, Composer, _Yaml12Resolver):
    def __init__(self, text: str):
        Reader.__init__(self, text)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        _Yaml12Resolver.__init__(self)


Mark = tuple[int, int]  # 1-based line, column


@dataclass
class LoadedTrip:
    """A trip file's data, plus the position of every key and value in it."""

    path: Path
    data: Any
    raw: bytes = b""
    value_marks: dict[DocPath, Mark] = field(default_factory=dict)
    key_marks: dict[DocPath, Mark] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return str(self.path)

    def mark_of(self, path: DocPath, *, key: bool = False) -> Mark:
        """Position of `path`, or of its nearest ancestor that exists in the file."""
        path = tuple(path)
        while True:
            if key and path in self.key_marks:
                return self.key_marks[path]
            if path in self.value_marks:
                return self.value_marks[path]
            if not path:
                return (1, 1)
            path = path[:-1]

    def problem(self, path: DocPath, message: str, *, key: bool = False) -> Problem:
        line, col = self.mark_of(path, key=key)
        return Problem(line, col, self.name, tuple(path), message)


def _mark(node_or_mark) -> Mark:
    m = getattr(node_or_mark, "start_mark", node_or_mark)
    return (m.line + 1, m.column + 1)


def _show_tag(tag: str) -> str:
    return "!!" + tag[len(_CORE):] if tag.startswith(_CORE) else tag


# Characters no text should carry, even when written as YAML escapes ("\x1b", "\ud800"):
# C0/C1 controls other than tab and newlines, surrogates, and the non-characters.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


class _Builder:
    """Turns the composed node graph into Python data, counting every expanded node."""

    def __init__(self, loaded: LoadedTrip):
        self.loaded = loaded
        self.problems: list[Problem] = []
        self.nodes = 0
        self.chars = 0
        self.expanding: set[int] = set()

    def fail(self, mark: Mark, path: DocPath, message: str) -> None:
        self.problems.append(Problem(mark[0], mark[1], self.loaded.name, path, message))

    def build(self, node: Node, path: DocPath) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES or self.chars > MAX_CHARS:
            raise _TooLarge(node, path)
        if id(node) in self.expanding:
            raise _Recursive(node, path)
        self.loaded.value_marks.setdefault(path, _mark(node))
        if node.tag not in _ALLOWED_TAGS:
            self.fail(_mark(node), path,
                      f"tag '{_show_tag(node.tag)}' is not allowed in a trip file")
            return None
        if isinstance(node, ScalarNode):
            return self.scalar(node, path)
        self.expanding.add(id(node))
        try:
            if isinstance(node, SequenceNode):
                if node.tag != _SEQ:
                    self.fail(_mark(node), path, f"tag '{_show_tag(node.tag)}' does not fit a list")
                return [self.build(child, (*path, i)) for i, child in enumerate(node.value)]
            if node.tag != _MAP:
                self.fail(_mark(node), path, f"tag '{_show_tag(node.tag)}' does not fit a mapping")
            return self.mapping(node, path)
        finally:
            self.expanding.discard(id(node))

    def scalar(self, node: ScalarNode, path: DocPath = ()) -> Any:
        text = node.value
        self.chars += len(text)
        if bad := _FORBIDDEN.search(text):
            self.fail(_mark(node), path, f"character U+{ord(bad.group()):04X} is not allowed in "
                      "a trip file (a control character or an invalid code point); remove it")
            return text
        tag = node.tag
        try:
            if tag == _NULL:
                return None
            if tag == _BOOL:
                return text.lower() == "true"
            if tag == _INT:
                return int(text, 0) if text[:2] in ("0o", "0x") else int(text)
            if tag == _FLOAT:
                return float(text.lower().replace(".inf", "inf").replace(".nan", "nan"))
        except ValueError:
            self.fail(_mark(node), (), f"'{text}' does not fit its tag '{_show_tag(tag)}'")
            return text
        return text

    def mapping(self, node: MappingNode, path: DocPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, Mark] = {}
        merged: list[tuple[Node, DocPath]] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                merged.append((value_node, path))
                continue
            if not isinstance(key_node, ScalarNode):
                self.fail(_mark(key_node), path, "a key must be plain text, not a list or mapping")
                continue
            if key_node.tag not in _ALLOWED_TAGS:
                self.fail(_mark(key_node), path,
                          f"tag '{_show_tag(key_node.tag)}' is not allowed in a trip file")
                continue
            key = key_node.value
            if key in first_seen:
                line = first_seen[key][0]
                self.fail(_mark(key_node), (*path, key),
                          f"duplicate key '{key}' (first defined on line {line}); "
                          "YAML would silently keep only the last one")
                continue
            first_seen[key] = _mark(key_node)
            self.loaded.key_marks.setdefault((*path, key), _mark(key_node))
            result[key] = self.build(value_node, (*path, key))
        for value_node, at in merged:  # `<<: *base` or `<<: [*a, *b]`; explicit keys win
            sources = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
            for source in sources:
                if not isinstance(source, MappingNode):
                    self.fail(_mark(source), at,
                              "a merge key '<<' needs a mapping or a list of them")
                    continue
                for key, value in self.mapping(source, at).items():
                    result.setdefault(key, value)
        return result


class _TooLarge(Exception):
    def __init__(self, node: Node, path: DocPath):
        self.node, self.path = node, path


class _Recursive(_TooLarge):
    pass


def _decode(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1:].decode("utf-8", "replace")) + 1
        bad = raw[exc.start: exc.start + 1].hex()
        raise BriefError([Problem(line, col, name, (), f"file is not valid UTF-8 (byte 0x{bad}); "
                                  "save it as UTF-8")]) from None


def _syntax_problem(exc: yaml.YAMLError, name: str, text: str) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if isinstance(exc, yaml.reader.ReaderError):
        before = text[: exc.position]
        line = before.count("\n") + 1
        col = exc.position - (before.rfind("\n") + 1) + 1
        return Problem(line, col, name, (),
                       f"character U+{exc.character:04X} is not allowed in YAML; remove it")
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = getattr(exc, "problem", None) or str(exc)
    source_line = text.splitlines()[line - 1] if 0 < line <= len(text.splitlines()) else ""
    if "\t" in source_line[: max(col, 1)] and ("\t" in problem or "tab" in problem.lower()
                                               or source_line.lstrip(" ").startswith("\t")):
        return Problem(line, source_line.index("\t") + 1, name, (),
                       "tab character used for indentation; YAML needs spaces")
    if "'\\t'" in problem or "\t" in problem:
        return Problem(line, col, name, (), "a tab character here: YAML needs spaces (tabs are "
                       "not allowed for indentation or, in this reader, after ':')")
    context = getattr(exc, "context", None)
    context_mark = getattr(exc, "context_mark", None)
    if context and "flow" in context:
        problem += ("; inside [...] or {...}, quote text that contains , : ? # [ ] { }")
    if context and context_mark and context_mark.line + 1 != line:
        context = f"{context} started on line {context_mark.line + 1}"
    detail = f"{problem} ({context})" if context else problem
    return Problem(line, col, name, (), f"YAML syntax error: {detail}")


def load_text(text: str, name: str, path: Path | None = None) -> LoadedTrip:
    """Parse YAML text already decoded; raise BriefError with every problem found."""
    loaded = LoadedTrip(path=path or Path(name), data=None)
    try:
        root = _Composer(text).get_single_node()
    except yaml.YAMLError as exc:
        raise BriefError([_syntax_problem(exc, name, text)]) from None
    except RecursionError:
        raise BriefError([Problem(1, 1, name, (), "the document is nested too deeply")]) from None
    if root is None:
        raise BriefError([Problem(1, 1, name, (), "the file is empty: "
                                  "start from `briefgen new trip.yaml`")])
    builder = _Builder(loaded)
    try:
        loaded.data = builder.build(root, ())
    except _Recursive as exc:
        line, col = _mark(exc.node)
        raise BriefError([Problem(line, col, name, exc.path,
                                  "an alias refers to itself (recursive anchor)")]) from None
    except _TooLarge as exc:
        line, col = loaded.key_marks.get(exc.path[:1]) or _mark(exc.node)
        raise BriefError([Problem(line, col, name, exc.path[:1],
                                  f"the document expands to more than {MAX_NODES:,} nodes or "
                                  f"{MAX_CHARS:,} characters through aliases; refused "
                                  "(an alias bomb?)")]) from None
    except RecursionError:
        raise BriefError([Problem(1, 1, name, (), "the document is nested too deeply")]) from None
    if builder.problems:
        raise BriefError(builder.problems)
    return loaded


def load(path: Path) -> LoadedTrip:
    """Read and parse one trip file."""
    name = str(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise BriefError([Problem(1, 1, name, (), f"file is larger than "
                                      f"{MAX_FILE_BYTES // 1024 // 1024} MB; refused")])
        raw = path.read_bytes()
    except FileNotFoundError:
        raise BriefError([Problem(1, 1, name, (), "no such file")]) from None
    except IsADirectoryError:
        raise BriefError([Problem(1, 1, name, (), "is a folder, not a trip file")]) from None
    except OSError as exc:
        raise BriefError([Problem(1, 1, name, (), f"cannot read: {exc.strerror}")]) from None
    loaded = load_text(_decode(raw, name), name, path)
    loaded.raw = raw
    return loaded

"""Stage 1: read a trip file into plain Python data, remembering where every node came from.

Only a regular file is read (a FIFO or a device is refused without blocking on it), and no
more than MAX_FILE_BYTES of it. YAML is read with the contract's YAML 1.2 scalar rules (only
true/false are booleans, no base-60 numbers, dates stay strings for the schema to parse), by
libyaml's C parser when PyYAML has it. The pure-Python parser reads the file instead when
libyaml is missing, when the C parser finds an error (for the better message), and where
the two read YAML differently (tabs, unusual characters, tags, directives, explicit `?`
keys, `?` inside [...] or {...}), so what a file means never depends on the install.

Refused, each with a located error: invalid UTF-8, syntax errors (the usual typing mistakes
worded plainly, see yaml_hints), duplicate keys, keys containing spaces, a comma that split
{...} text, `key:value` with no space, any tag outside the core schema (`!!python/...`,
`!include`), recursive aliases and alias bombs, more than MAX_NODES nodes or MAX_DEPTH levels
of nesting (counted while the parser's events arrive, see yaml_parse). What aliases produce is
counted apart, before it is produced: an alias bomb stops after MAX_ALIAS_NODES expanded nodes
(or MAX_ALIAS_CHARS characters) instead of allocating.
"""

from __future__ import annotations

import gc
from pathlib import Path

import yaml

from briefgen import yaml_build
from briefgen.errors import BriefError, Problem
from briefgen.limits import MAX_ALIAS_CHARS, MAX_ALIAS_NODES
from briefgen.loaded import LoadedTrip
from briefgen.reading import decode_utf8, read_input
from briefgen.yaml_build import AliasTooLarge, RecursiveAlias, where
from briefgen.yaml_hints import syntax_problem
from briefgen.yaml_parse import HAVE_LIBYAML, STR, ReadWithPython, ScalarNode, TooLarge, compose


def load_text(
    text: str, name: str, path: Path | None = None, *, parser: str = "auto"
) -> LoadedTrip:
    """Parse YAML text already decoded; raise BriefError with every problem found.

    `parser`: "auto" (libyaml when PyYAML has it), or "python" to use only the pure-Python
    parser (tests compare the two)."""
    collecting = gc.isenabled()
    gc.disable()  # the node graph only grows while loading: cyclic GC passes are pure cost
    try:
        return _load_text(text, name, path, parser)
    finally:
        if collecting:
            gc.enable()


def _load_text(text: str, name: str, path: Path | None, parser: str) -> LoadedTrip:
    use_c = parser == "auto" and HAVE_LIBYAML
    while True:
        loaded = LoadedTrip(path=path or Path(name), data=None)
        try:
            root, by_c = compose(text, use_c)
        except yaml.YAMLError as exc:
            raise BriefError([syntax_problem(exc, name, text)]) from None
        except TooLarge as exc:
            raise BriefError(
                [Problem(exc.line + 1, exc.column + 1, name, exc.path, exc.message)]
            ) from None
        if root is None:
            raise BriefError(
                [Problem(1, 1, name, (), "the file is empty: start from `briefgen new trip.yaml`")]
            )
        builder = yaml_build.Builder(loaded, text, parsed_by_c=by_c)
        try:
            if isinstance(root, ScalarNode) and not root.style and root.tag == STR:
                builder.check_missing_space(root, ())
            loaded.data = builder.build(root, ())
            break
        except ReadWithPython:
            use_c = False
        except RecursiveAlias as exc:
            line, col = where(exc.node)
            raise BriefError(
                [Problem(line, col, name, exc.path, "an alias refers to itself (recursive anchor)")]
            ) from None
        except AliasTooLarge as exc:
            line, col = loaded.key_marks.get(exc.path[:1]) or where(exc.node)
            raise BriefError(
                [
                    Problem(
                        line,
                        col,
                        name,
                        exc.path[:1],
                        f"aliases expand to more than {MAX_ALIAS_NODES:,} nodes or "
                        f"{MAX_ALIAS_CHARS:,} characters; refused "
                        "(an alias bomb?)",
                    )
                ]
            ) from None
        except RecursionError:
            raise BriefError([_too_deep(name)]) from None
    if builder.problems:  # an anchor's mistake shows once, not once per alias
        unique = {(p.line, p.column, p.path, p.message): p for p in builder.problems}
        raise BriefError(list(unique.values()))
    return loaded


def _too_deep(name: str) -> Problem:
    return Problem(1, 1, name, (), "the document is nested too deeply")


def load(path: Path) -> LoadedTrip:
    """Read and parse one trip file."""
    return load_bytes(read_input(Path(path), str(path)), str(path), path)


def load_bytes(raw: bytes, name: str, path: Path) -> LoadedTrip:
    """Parse a file's bytes read already (`name` is what its problems are located in)."""
    loaded = load_text(decode_utf8(raw, name), name, path)
    loaded.raw = raw
    return loaded

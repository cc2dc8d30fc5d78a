"""Plain-language messages for the YAML mistakes people make while typing a trip file.

`syntax_problem` turns a PyYAML syntax error into a located Problem, naming the usual cause
when it can tell: a tab, an unclosed quote (at the line where it opens, even when a later quote
closed it), a line indented differently from its siblings (`yaml_indent`), a `: ` inside
unquoted text, `key:value` with no space, a `#` inside `{...}`, a value starting with `*`.
The other helpers word the mistakes the loader finds in documents that parse:
`missing_space` and `quoted`.
"""

from __future__ import annotations

import json
import re

import yaml

from briefgen.errors import DocPath, Problem
from briefgen.yaml_indent import indentation, item_among_keys, key_indent
from briefgen.yaml_parse import NULL, MappingNode, ScalarNode

_KEY_VALUE = re.compile(r"([A-Za-z_][\w-]*):(\S+)")
_SCHEMES = {"http", "https", "ftp", "file", "mailto", "tel", "sms", "urn", "data", "geo", "doi"}


def missing_space(text: str) -> str | None:
    """The message for plain text such as `priority:1` that was meant as `priority: 1`."""
    if ":" not in text or len(text) > 200:  # a key and a value, not a paragraph
        return None
    m = _KEY_VALUE.fullmatch(text)
    if not m or m[1].lower() in _SCHEMES or m[2].startswith("/"):
        return None
    return f"missing space after ':' in '{text}': write `{m[1]}: {m[2]}`"


def quoted(text: str) -> str:
    """`text` as a YAML double-quoted scalar (JSON's escapes are YAML's)."""
    return json.dumps(text, ensure_ascii=False)


def key_mistake(node: MappingNode, index: int, path: DocPath, text: str):
    """(path, message) when a key is certainly a typing mistake, else None."""
    key_node, value_node = node.value[index]
    key = key_node.value
    if (
        node.flow_style
        and not key_node.style
        and isinstance(value_node, ScalarNode)
        and value_node.tag == NULL
        and not value_node.value
        and not value_node.style
        and ":" not in text[key_node.end_mark.index : value_node.start_mark.index]
    ):
        # `{name: Ana, role: Driver, fixer and interpreter}`: a key written with no `:`
        if index and isinstance(node.value[index - 1][1], ScalarNode):
            prev_key, prev = node.value[index - 1]
            whole = text[prev.start_mark.index : key_node.end_mark.index]
            return (*path, prev_key.value), (
                f"a comma inside {{...}} ended the text early, so '{key}' became a key of "
                f"its own: put the whole value in quotes, e.g. "
                f"{prev_key.value}: {quoted(whole)}"
            )
        return (*path, key), (
            f"'{key}' has no ':' and no value: inside {{...}}, put text "
            "that contains a comma in quotes"
        )
    if " " not in key or (path and str(path[0]).startswith("x-")) or key.startswith("x-"):
        return None
    if (
        path
        and isinstance(path[-1], int)
        and len(node.value) == 1
        and not node.flow_style
        and not key_node.style
        and isinstance(value_node, ScalarNode)
        and not value_node.style
        and value_node.value
        and value_node.start_mark.line == key_node.start_mark.line
    ):
        line = text[key_node.start_mark.index : value_node.end_mark.index].split("\n")[0]
        return path, (
            "this text contains ': ', so YAML read it as a key and a value: put "
            f"the whole text in quotes, e.g. - {quoted(line)}"
        )
    return (*path, key), (
        f"keys never contain spaces, so '{key}' cannot be a key: if it "
        "is text, put all of it in quotes; if it is a key, write it "
        "with '_' instead of spaces"
    )


def _colon_in_text(line: str, col: int) -> tuple[int, str] | None:
    """For `title: Meeting: Foreign Minister Qin`: the value holds `: ` and needs quotes."""
    m = re.match(r"([ ]*(?:-[ ]+)*)([^\s:#'\"][^:#]*?):[ ]+(?=\S)", line)
    if not m or m.end() > col:
        return None
    value = line[m.end() :].split(" #")[0].rstrip()
    return m.end() + 1, (
        "this text contains ': ', so YAML read part of it as another key: put "
        f"the whole value in quotes, e.g. {m[2]}: {quoted(value)}"
    )


_VALUE_START = re.compile(r"[ ]*(?:-[ ]+)*(?:[^\s#'\"{\[][^:#]*:[ ]+)?")


def _runaway_quote(lines: list[str], mark) -> tuple[int, int, str] | None:
    """A quote opened and not closed on its line, whose text ran on until a quote on the
    line of the error closed it (`title: "Secretary of State` ... `name: "Qin Gang"`)."""
    here = lines[mark.line][: mark.column] if mark.line < len(lines) else ""
    for i in range(mark.line - 1, max(-1, mark.line - 40), -1):
        start = _VALUE_START.match(lines[i])
        at = start.end() if start else 0
        quote = lines[i][at : at + 1]
        if quote not in ("'", '"') or quote not in here:
            continue
        rest = lines[i][at + 1 :]
        closed = re.search(r'(?<!\\)"', rest) if quote == '"' else "'" in rest.replace("''", "")
        if closed:
            return None
        return (
            i + 1,
            at + 1,
            f"this quote ({quote}) is never closed on its line, so the text ran on to line "
            f"{mark.line + 1}: add the closing {quote} where the text ends",
        )
    return None


def _comment_in_flow(lines: list[str], first: int, last: int) -> tuple[int, int, str] | None:
    """` #` inside `{...}` or `[...]`: it starts a comment, and the rest of the line is lost."""
    for i in range(first, min(last, len(lines) - 1) + 1):
        line = lines[i]
        for m in re.finditer(r"(?<=\s)#", line):
            before = line[: m.start()]
            if before.count('"') % 2 or before.count("'") % 2:
                continue  # inside quotes
            start = max(before.rfind(","), before.rfind("{"), before.rfind("["), before.rfind(": "))
            start += 2 if before[start : start + 2] == ": " else 1
            end = re.search(r"[,}\]]", line[m.end() :])
            value = line[start : m.end() + (end.start() if end else len(line))].strip()
            key = re.search(r"([\w-]+):\s*$", before[:start])
            example = f"{key[1]}: {quoted(value)}" if key else quoted(value)
            return (
                i + 1,
                m.start() + 1,
                "'#' after a space starts a comment, so the rest of this line was dropped "
                f"inside {{...}} or [...]: put the text in quotes, e.g. {example}",
            )
    return None


def _alias_text(lines: list[str], mark) -> tuple[int, int, str] | None:
    """A value that starts with `*`, read as an alias (a reference to an `&anchor`)."""
    line = lines[mark.line] if mark.line < len(lines) else ""
    at = line.find("*", mark.column)
    at = mark.column if line[mark.column : mark.column + 1] == "*" else at
    if at < 0:
        return None
    key = re.match(r"[ ]*(?:-[ ]+)*([^\s#'\"][^:#]*):[ ]+$", line[:at])
    value = line[at:].split(" #")[0].rstrip()
    example = f"{key[1]}: {quoted(value)}" if key else f"- {quoted(value)}"
    name = re.match(r"\*([^\s,\[\]{}]+)", value)
    return (
        mark.line + 1,
        at + 1,
        "a value that starts with '*' is read as a reference to an anchor (&name)"
        + (f", and no anchor &{name[1]} is defined before it" if name else "")
        + f": if it is text, put it in quotes, e.g. {example}",
    )


def _hint(exc: yaml.MarkedYAMLError, lines: list[str]) -> tuple[int, int, str] | None:
    problem, context = exc.problem or "", exc.context or ""
    mark, context_mark = exc.problem_mark, exc.context_mark
    if mark and ("while scanning an alias" in context or "undefined alias" in str(exc.problem)):
        alias_mark = context_mark if "scanning an alias" in context and context_mark else mark
        if hint := _alias_text(lines, alias_mark):
            return hint
    if (
        "flow" in context
        and context_mark
        and mark
        and (hint := _comment_in_flow(lines, context_mark.line, mark.line))
    ):
        return hint
    if (
        mark
        and (problem.startswith("expected <block end>") or "expected ':'" in problem)
        and (hint := _runaway_quote(lines, mark))
    ):
        return hint
    if "quoted scalar" in context and context_mark and "end of stream" in problem:
        quote = lines[context_mark.line][context_mark.column : context_mark.column + 1]
        return (
            context_mark.line + 1,
            context_mark.column + 1,
            f"this quote ({quote}) is never closed: add the closing {quote} where the text ends",
        )
    if "could not find expected ':'" in problem and context_mark:
        line = lines[context_mark.line] if context_mark.line < len(lines) else ""
        start = key_indent(line)
        text = line[start:].split(" #")[0].strip()
        if message := missing_space(text):
            return context_mark.line + 1, start + 1, message
    if not mark or mark.line >= len(lines):
        return None
    misplaced = "mapping values are not allowed" in problem
    if misplaced and (found := _colon_in_text(lines[mark.line], mark.column)):
        return mark.line + 1, *found
    if (misplaced or problem.startswith("expected <block end>")) and (
        found := indentation(lines, mark.line)
    ):
        return mark.line + 1, *found
    if problem.startswith("expected <block end>, but found '-'"):
        return item_among_keys(lines, mark.line)
    return None


def syntax_problem(exc: yaml.YAMLError, name: str, text: str) -> Problem:
    """A located, plainly worded Problem for a syntax error from the pure-Python parser."""
    if isinstance(exc, yaml.reader.ReaderError):
        before = text[: exc.position]
        line = before.count("\n") + 1
        col = exc.position - (before.rfind("\n") + 1) + 1
        return Problem(
            line,
            col,
            name,
            (),
            f"character U+{exc.character:04X} is not allowed in YAML; remove it",
        )
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = getattr(exc, "problem", None) or str(exc)
    lines = text.splitlines()
    source_line = lines[line - 1] if 0 < line <= len(lines) else ""
    if "\t" in source_line[: max(col, 1)] and (
        "\t" in problem or "tab" in problem.lower() or source_line.lstrip(" ").startswith("\t")
    ):
        return Problem(
            line,
            source_line.index("\t") + 1,
            name,
            (),
            "tab character used for indentation; YAML needs spaces",
        )
    if "'\\t'" in problem or "\t" in problem:
        return Problem(
            line,
            col,
            name,
            (),
            "a tab character here: YAML needs spaces (tabs are "
            "not allowed for indentation or, in this reader, after ':')",
        )
    if isinstance(exc, yaml.MarkedYAMLError) and (found := _hint(exc, lines)):
        return Problem(found[0], found[1], name, (), f"YAML syntax error: {found[2]}")
    context = getattr(exc, "context", None)
    context_mark = getattr(exc, "context_mark", None)
    if context and "flow" in context:
        problem += "; inside [...] or {...}, quote text that contains , : ? # [ ] { }"
    if context and context_mark and context_mark.line + 1 != line:
        context = f"{context} started on line {context_mark.line + 1}"
    detail = f"{problem} ({context})" if context else problem
    return Problem(line, col, name, (), f"YAML syntax error: {detail}")

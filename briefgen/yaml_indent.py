"""Plain words for indentation mistakes: a line indented unlike its siblings, a list item
written at the indentation of the keys around it (both name the list they break)."""

from __future__ import annotations

import re


def key_indent(line: str) -> int:
    """Where the first key or value of `line` starts: after its indentation and any `- `."""
    m = re.match(r"[ ]*(?:-[ ]+)*", line)
    return m.end() if m else 0


_KEY_LINE = re.compile(r"[ ]*(?:-[ ]+)*[^\s#'\"{\[&*!|>-][^:]*?:(?:[ ]|$)")


def indentation(lines: list[str], index: int) -> tuple[int, str] | None:
    """(column, message) when line `index` is indented unlike the lines before it at its level."""
    line = lines[index]
    item = line.lstrip().startswith("-")
    mine = len(line) - len(line.lstrip(" ")) if item else key_indent(line)
    deeper: set[int] = set()  # levels of the lines walked over, deeper than this one
    walked = False
    for i in range(index - 1, -1, -1):
        before = lines[i].split(" #")[0].rstrip()
        if not before.strip() or before.lstrip().startswith("#"):
            continue
        if not item and not _KEY_LINE.match(before):
            walked = True  # text or list items inside a sibling: keep looking
            continue
        theirs = len(before) - len(before.lstrip(" ")) if item else key_indent(before)
        if theirs == mine:
            return None  # lined up with a sibling: the mistake is something else
        if theirs > mine:
            deeper.add(theirs)
            walked = True
            continue
        opens = before.endswith(":")
        if opens and not walked:
            return None  # the first line of a block under `before`: indenting it is right
        levels = set(deeper) if opens and deeper else {theirs}
        if opens and deeper and not item:
            levels.add(theirs)  # `key:` whose block ended: its level is a sibling level too
        sibling = min(levels, key=lambda t: (abs(t - mine), -t))
        what = "list items before it at this level"
        if not item:
            what = "keys before it at this level"
        elif owner := _list_owner(lines, index, sibling):
            what = f"items of the list '{owner[1]}' (line {owner[0]})"
        return mine + 1, (
            f"line {index + 1} is indented by {mine} spaces, but the {what} are indented "
            f"by {sibling}: line it up with them"
        )
    return None


def _list_owner(lines: list[str], index: int, indent: int) -> tuple[int, str] | None:
    """(line, key) of the `key:` that opens the list whose items are indented by `indent`."""
    for i in range(index - 1, -1, -1):
        before = lines[i].split(" #")[0].rstrip()
        if not before.strip():
            continue
        if len(before) - len(before.lstrip(" ")) < indent or key_indent(before) < indent:
            m = re.search(r"([^\s:#'\"-][^:#]*):$", before)
            return (i + 1, m[1].strip()) if m else None
    return None


def item_among_keys(lines: list[str], index: int) -> tuple[int, int, str] | None:
    """A list item written at the indentation of the keys around it (`- b` under `key:` whose
    items are indented deeper): it belongs to the list above, indented too little."""
    line = lines[index]
    mine = len(line) - len(line.lstrip(" "))
    for i in range(index - 1, -1, -1):
        before = lines[i].split(" #")[0].rstrip()
        if not before.strip():
            continue
        theirs = len(before) - len(before.lstrip(" "))
        if theirs <= mine:
            return None
        if before.lstrip().startswith("- ") and (owner := _list_owner(lines, i, theirs)):
            return (
                index + 1,
                mine + 1,
                f"this list item is indented by {mine} spaces, like the keys around it, so "
                f"it breaks the list '{owner[1]}' (line {owner[0]}), whose items are indented "
                f"by {theirs}: indent it by {theirs} too",
            )
    return None

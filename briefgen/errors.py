"""Located problems: every error a user sees names file, line, column and document path."""

from __future__ import annotations

from dataclasses import dataclass, field

DocPath = tuple[str | int, ...]


def plural(count: int, word: str, words: str | None = None) -> str:
    """`1 event`, `2 events`, `3 people` (with `words`)."""
    return f"{count} {word if count == 1 else words or word + 's'}"


def escape_unprintable(text: str) -> str:
    r"""Show every character a terminal would act on or hide as a visible escape (`\x1b`,
    `\u202e`, `\U000e0001`): C0/C1 controls, DEL, bidi and other format characters, line and
    paragraph separators, spaces other than U+0020, unassigned code points. Printable text,
    including every script, passes unchanged."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else _escape(ch) for ch in text)


def _escape(ch: str) -> str:
    code = ord(ch)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def format_path(path: DocPath) -> str:
    """`('agenda', 3, 'participants', 1)` -> `agenda[3].participants[1]`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


@dataclass(frozen=True, order=True)
class Problem:
    line: int
    column: int
    file: str = field(compare=False)
    path: DocPath = field(compare=False, default=())
    message: str = field(compare=False, default="")

    def __str__(self) -> str:
        """One line: `file:line:column: path: message`, with anything taken from the file
        (names, keys, values quoted in the message) unable to reach the terminal raw."""
        where = f"{escape_unprintable(self.file)}:{self.line}:{self.column}"
        message = escape_unprintable(self.message)
        if self.path:
            return f"{where}: {escape_unprintable(format_path(self.path))}: {message}"
        return f"{where}: {message}"


class BriefError(Exception):
    """One or more problems with a trip file; nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class BuildError(Exception):
    """A build failed for a reason that is not a located input error (fonts, assets, ...)."""


class TemplateProblem(BuildError):
    """An error in a (house style) template, located at its file and line."""

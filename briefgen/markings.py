"""Classification and handling markings: levels per system, the overall level, the banner.

Pure functions of the markings block and the marks found in the file; used by `validate`
(which marks are allowed, when an authority block is required) and by `render_html`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# Levels per system, lowest first: (portion mark, banner words).
LEVELS: dict[str, list[tuple[str, str]]] = {
    "us": [
        ("U", "UNCLASSIFIED"),
        ("SBU", "SENSITIVE BUT UNCLASSIFIED"),
        ("C", "CONFIDENTIAL"),
        ("S", "SECRET"),
        ("TS", "TOP SECRET"),
    ],
    "uk": [("O", "OFFICIAL"), ("OS", "OFFICIAL-SENSITIVE"), ("S", "SECRET"), ("TS", "TOP SECRET")],
    "plain": [],
}


def marks_of(system: str) -> list[str]:
    return [mark for mark, _ in LEVELS[system]]


def rank(system: str, mark: str) -> int:
    return marks_of(system).index(mark)


def overall_level(system: str, default: str | None, marks: Iterable[str]) -> str | None:
    """The highest of the default (every unmarked Text has it) and every explicit mark."""
    levels = marks_of(system)
    if not levels:
        return None
    found = [m for m in marks if m in levels]
    found.append(default if default in levels else levels[0])
    return max(found, key=levels.index)


def needs_authority(system: str, overall: str | None) -> bool:
    return system == "us" and overall is not None and rank("us", overall) >= rank("us", "C")


@dataclass(frozen=True)
class Marking:
    """What the renderer needs: the banner text and which portion mark each Text gets."""

    system: str | None = None
    overall: str | None = None
    default: str | None = None
    banner: str | None = None
    portion_marks: bool = False
    authority: bool = False  # the authority block is printed (C and above)

    def portion(self, mark: str | None) -> str | None:
        """The `(SBU)` prefix for a portion, or None when portions are not marked."""
        if not self.portion_marks:
            return None
        return f"({mark or self.default or 'U'})"


def marking_for(
    system: str | None,
    default: str | None,
    banner_text: str | None,
    controls: list[str],
    overall: str | None,
) -> Marking:
    if system is None:
        return Marking()
    words = dict(LEVELS[system]).get(overall) if overall else banner_text
    if words and controls:
        words = f"{words}//{'/'.join(c.strip().upper() for c in controls)}"
    portion_marks = system == "us" and overall is not None and rank("us", overall) > 0
    return Marking(
        system,
        overall,
        default or next(iter(marks_of(system)), None),
        words,
        portion_marks,
        needs_authority(system, overall),
    )


def marking_of_printed(block, printed: Iterable[str | None]) -> Marking:
    """The marking of a document from the marks of the portions it printed (None: an
    unmarked portion, which carries the default). `block` is the trip's `markings`."""
    if block is None:
        return Marking()
    marks = [m for m in printed if m is not None]
    overall = overall_level(block.system, block.default, marks)
    return marking_for(block.system, block.default, block.banner, block.controls, overall)

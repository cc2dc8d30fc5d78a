"""Which portions of the new version carry a change bar: document paths in the new trip
(`goals[1]`, `issues.x.points_to_make[2]`, `people.y.bio[0]`, `people.y` for a whole
biography, `issues.x` for a whole issue paper), found beside each change (render/bars.py
turns them into the Texts and pages that show them)."""

from __future__ import annotations

PERSON_FIELDS = ("name", "title", "organization", "status", "country", "native_name")
ISSUE_TEXT_FIELDS = ("background", "our_position", "their_position", "points_to_make", "if_raised")


def new_texts(path: str, old: list, new: list) -> list[str]:
    """`path[k]` for each Text of `new` that `old` does not hold (same words, same mark)."""
    before = {(t.text, t.mark) for t in old}
    return [f"{path}[{k}]" for k, t in enumerate(new) if (t.text, t.mark) not in before]


def issue_portions(before, issue) -> tuple[str, ...]:
    """What changed in an issue paper: its title line (title, priority) and its new Texts."""
    path = f"issues.{issue.id}"
    out = []
    if before.title != issue.title or before.priority != issue.priority:
        out.append(f"{path}.title")
    for field in ISSUE_TEXT_FIELDS:
        out += new_texts(f"{path}.{field}", getattr(before, field), getattr(issue, field))
    return tuple(out)


def person_portions(pid: str, before, person) -> tuple[str, ...]:
    """A biography changed as a whole (who the person is) or paragraph by paragraph."""
    if any(getattr(before, f) != getattr(person, f) for f in PERSON_FIELDS):
        return (f"people.{pid}",)
    return tuple(
        new_texts(f"people.{pid}.bio", before.bio, person.bio)
        + new_texts(f"people.{pid}.notes", before.notes, person.notes)
    )

"""What the changes page and the flags beside changed events see (with --changes-since),
from a diff.Diff: plain, frozen records whose texts carry their portion marks."""

from __future__ import annotations

from typing import Any

from briefgen import markings
from briefgen.render.frozen import record
from briefgen.render.marked import MarkedText


def changes_view(changes, levels: list[str]) -> tuple[tuple | None, dict]:
    """(the changes page's data, event index -> its flag) from a diff.Diff, or nothing."""
    if changes is None:
        return None, {}
    from briefgen.diff.change import SAID_BY_FLAG  # only with --changes-since

    flags: dict[int, Any] = {}
    for c in changes.changes:
        if c.event is not None and c.event not in flags:
            flags[c.event] = record(
                "Flag",
                word="NEW" if c.kind == "added" else "CHANGED",
                # What the event was tells of the old event: its mark, recorded when printed.
                was=None
                if c.kind == "added" or c.was is None
                else MarkedText(c.was, c.was_mark, bare=True),
            )
    lines: list[Any] = [
        record(
            "ChangeLine",
            section=c.section,
            kind=c.kind,
            path=c.path,
            text=MarkedText(c.text, c.mark, bare=True),  # recorded with its mark when printed
            line=MarkedText(c.line, c.mark, bare=True),
            subject=c.subject,
            day=c.day,
            mark=c.mark,
            # Shown in full where the event is (its row, its sheet): `NEW`, or `was 13:00`
            said_by_flag=c.event in flags and c.kind in SAID_BY_FLAG,
        )
        for c in changes.changes
    ]
    events: dict[str, dict] = {}  # one line per changed event, in the diff's order
    for c in changes.changes:
        if c.section != "schedule":
            continue
        word = {"added": "NEW", "removed": "REMOVED", "cancelled": "CANCELLED"}.get(
            c.kind, "CHANGED"
        )
        entry = events.setdefault(c.path, dict(word=word, title=c.title, texts=[], mark=c.mark))
        if word == "CANCELLED":
            entry["word"] = word
        if (
            c.mark
            and markings.level_of(c.mark) in levels
            and (
                not entry["mark"]
                or markings.level_of(entry["mark"]) not in levels
                or levels.index(markings.level_of(c.mark))
                > levels.index(markings.level_of(entry["mark"]))
            )
        ):
            entry["mark"] = c.mark
        # New and removed events: the title is on the line already; keep when and where.
        entry["texts"].append(
            c.text.split(" — ", 1)[-1] if c.kind in ("added", "removed") else c.text
        )
    per_event = [
        record(
            "EventChange",
            word=e["word"],
            title=MarkedText(e["title"], e["mark"], bare=True),
            mark=e["mark"],
            text=MarkedText("; ".join(e["texts"]), e["mark"], bare=True),
        )
        for e in events.values()
    ]
    page = record(
        "Changes",
        since=changes.since,
        lines=lines,
        events=per_event,
        sections=[
            (section, [x for x in lines if x.section == section])
            for section in dict.fromkeys(c.section for c in changes.changes)
        ],
        # The schedule's changes by day (in the day's order), each day's most important first.
        days=[
            (day, [x for x in lines if x.section == "schedule" and x.day == day])
            for day in sorted({x.day for x in lines if x.section == "schedule" and x.day})
        ],
        count=len(lines),
        flag_counts=[  # (word, how many events carry it), CHANGED first
            (word, n)
            for word in ("CHANGED", "NEW")
            if (n := sum(f.word == word for f in flags.values()))
        ],
        beyond_flags=[x for x in lines if not x.said_by_flag],
    )
    return page, flags

"""The next trip's text from the last one's (`briefgen new --from`), edited in place.

The old file's text is edited value by value, at the positions the loader recorded:
comments, key order, quoting and anchors stay byte for byte, apart from the values that
change. Every trip date moves by the same number of days (trip start and end, stops, events,
flights, lodging); `memo.date` becomes today; `bio_as_of` and source dates stay;
`memo.version` goes; every event becomes `proposed` unless asked to keep its status; the
`include` paths are rewritten so they still reach the same libraries from NEW's folder; the
new trip gets its own `trip.id` and `trip.moved_from` (the old trip's first and last day).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

from briefgen.errors import DocPath, plural
from briefgen.intake import brief_from
from briefgen.load import load
from briefgen.rawdata import get, items
from briefgen.textedit import Editor

BOM = "\ufeff"
_DATE = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})")
_WORD = re.compile(r"[A-Za-z][A-Za-z-]*")


def _date_paths(data: dict) -> list[DocPath]:
    """Every date of the trip that moves with it (flights: the date part of date-times)."""
    paths: list[DocPath] = [("trip", "start"), ("trip", "end")]
    paths += [
        ("trip", "stops", i, key)
        for i, _ in items(get(data, "trip", "stops"))
        for key in ("from", "to")
    ]
    paths += [("agenda", i, "date") for i, _ in items(data.get("agenda"))]
    paths += [
        ("logistics", "flights", i, key)
        for i, _ in items(get(data, "logistics", "flights"))
        for key in ("depart", "arrive")
    ]
    paths += [
        ("logistics", "lodging", i, key)
        for i, _ in items(get(data, "logistics", "lodging"))
        for key in ("from", "to")
    ]
    return [p for p in paths if isinstance(get(data, *p), str)]


def _shift_date(editor: Editor, path: DocPath, days: int | None, to: dt.date | None = None) -> bool:
    start = editor.value_at(path)
    if start is None:
        return False
    m = _DATE.match(editor.text, start + (editor.text[start] in "\"'"))
    if m is None:
        return False
    day = dt.date.fromisoformat(m[1])
    new = to if to is not None else day + dt.timedelta(days=days or 0)
    return editor.replace(m.start(1), m.end(1), new.isoformat())


def _propose(editor: Editor, data: dict, index: int) -> bool:
    event = get(data, "agenda", index)
    if not isinstance(event, dict):
        return False
    if "status" in event:
        start = editor.value_at(("agenda", index, "status"))
        if start is None:
            return False
        begin = start + (editor.text[start] in "\"'")
        m = _WORD.match(editor.text, begin)
        if m is None:
            return False
        return m[0] == "proposed" or editor.replace(m.start(), m.end(), "proposed")
    start = editor.value_at(("agenda", index))
    if start is None:
        return False
    if editor.text[start] == "{":  # a flow mapping: first key inside the braces
        after = start + 1
        while editor.text[after] == " ":
            after += 1
        return editor.replace(after, after, "status: proposed, ")
    line, col = editor.loaded.value_marks[("agenda", index)]
    indent = " " * (col - 1)
    date_key = editor.loaded.key_marks.get(("agenda", index, "date"))
    following = editor.loaded.value_marks.get(("agenda", index + 1), (10**9, 0))
    if date_key and date_key[1] == col and line <= date_key[0] < following[0]:
        at = editor.lines[date_key[0]] if date_key[0] < len(editor.lines) else len(editor.text)
        return editor.replace(at, at, f"{indent}status: proposed\n")
    return editor.replace(start, start, f"status: proposed\n{indent}")


def _remove_version(editor: Editor) -> bool:
    key = editor.loaded.key_marks.get(("memo", "version"))
    if key is None:
        return False
    line, col = key
    text, begin = editor.text, editor.lines[line - 1]
    if text[begin : begin + col - 1].strip() == "":  # a block entry: its line(s) go
        end = editor.lines[line] if line < len(editor.lines) else len(text)
        while end < len(text):
            nxt = text[end : text.find("\n", end) + 1 or len(text)]
            if nxt.strip() and len(nxt) - len(nxt.lstrip(" ")) < col:
                break
            if not nxt.strip():
                break
            end += len(nxt)
        return editor.replace(begin, end, "")
    start = editor.offset(key)  # in a flow mapping: `version: 4, `
    value = editor.value_at(("memo", "version"))
    if value is None:
        return False
    _, end, _ = editor.scalar_span(value)
    tail = re.match(r"\s*,\s*", text[end:])
    return editor.replace(start, end + (tail.end() if tail else 0), "")


def _move_includes(editor: Editor, data: dict, old_folder: Path, new_folder: Path) -> int:
    """Rewrite each relative `include` so it reaches the same library from NEW's folder."""
    moved = 0
    for i, value in items(data.get("include")):
        if not isinstance(value, str) or Path(value).is_absolute():
            continue
        target = Path(os.path.relpath(os.path.normpath(old_folder / value), new_folder))
        if target.as_posix() == value:
            continue
        start = editor.value_at(("include", i))
        if start is None:
            continue
        begin, end, quote = editor.scalar_span(start)
        new = target.as_posix()
        if quote == "'":
            new = "'" + new.replace("'", "''") + "'"
        elif quote or not re.fullmatch(r"[\w./-]+", new):
            new = json.dumps(new, ensure_ascii=False)
        moved += editor.replace(begin, end, new)
    return moved


def trip_id_of(path: Path) -> str:
    """The `trip.id` a trip file's name gives (the contract's default): its name without the
    extension, lowercased, other characters turned into `-`."""
    return re.sub(r"[^a-z0-9-]", "-", path.stem.lower()).strip("-") or "trip"


def _new_id(editor: Editor, data: dict, old: Path, new_name: Path, start: dt.date) -> str | None:
    """The new trip's own `trip.id` (so that its calendar shares no event with the old one's):
    from NEW's file name, with the start date when that is the old trip's id too. Written over
    the old `trip.id`, or returned to be added when the name would not give it."""
    old_id = get(data, "trip", "id")
    new_id = trip_id_of(new_name)
    if new_id == (old_id if isinstance(old_id, str) else trip_id_of(old)):
        new_id = f"{new_id}-{start.isoformat()}"
    if isinstance(old_id, str) and (at := editor.value_at(("trip", "id"))) is not None:
        begin, end, _ = editor.scalar_span(at)
        editor.replace(begin, end, new_id)
        return None
    return None if new_id == trip_id_of(new_name) else new_id


def _record_old_span(editor: Editor, data: dict, old_span: tuple[dt.date, dt.date]) -> str | None:
    """`trip.moved_from` set to the old trip's first and last day; returned to be added when
    the old trip has none."""
    if not isinstance(get(data, "trip", "moved_from"), dict):
        return f"{{start: {old_span[0]}, end: {old_span[1]}}}"
    for key, day in zip(("start", "end"), old_span, strict=True):
        _shift_date(editor, ("trip", "moved_from", key), None, to=day)
    return None


def next_trip_text(
    old: Path,
    start: dt.date,
    *,
    keep_status: bool = False,
    keep_id: bool = False,
    today: dt.date | None = None,
    new_folder: Path | None = None,
    new_name: Path | None = None,
) -> tuple[str, str]:
    """(text of the new trip, what was done). Raises BriefError when OLD does not check."""
    loaded = load(old)
    brief = brief_from(loaded)  # the trip's own data stays as loaded, for the editor
    raw = loaded.raw.decode("utf-8")
    bom, text = (BOM, raw[1:]) if raw.startswith(BOM) else ("", raw)
    data = loaded.data
    editor = Editor(loaded, text)
    left_out: set[int] = set()
    if not keep_status:  # cancelled events stay behind (when written as a block item)
        left_out = {
            i
            for i, event in items(data.get("agenda"))
            if get(event, "status") == "cancelled" and editor.remove_item(("agenda", i))
        }
    days = (start - brief.trip.trip.start).days
    moved = sum(
        _shift_date(editor, path, days)
        for path in _date_paths(data)
        if path[:1] != ("agenda",) or path[1] not in left_out
    )
    today = today or dt.date.today()
    _shift_date(editor, ("memo", "date"), None, to=today)
    proposed = 0
    if not keep_status:
        proposed = sum(
            _propose(editor, data, i) or get(data, "agenda", i, "status") == "proposed"
            for i, event in items(data.get("agenda"))
            if i not in left_out and get(event, "status") != "cancelled"
        )
    removed = _remove_version(editor)
    old_folder = old.resolve().parent
    includes = _move_includes(editor, data, old_folder, (new_folder or old_folder).resolve())
    added = []
    new_id = None if keep_id else _new_id(editor, data, old, new_name or old, start)
    if new_id:
        added.append(("id", new_id, "its own calendar identifiers"))
    span = _record_old_span(editor, data, (brief.trip.trip.start, brief.trip.trip.end))
    if span:
        added.append(("moved_from", span, "the last trip's dates: delete once no text names them"))
    editor.add_keys(("trip",), added)
    said = [f"{moved} dates moved by {days:+d} days"]
    if left_out:
        said.append(f"{plural(len(left_out), 'cancelled event')} left out")
    if not keep_status:
        said.append(f"{proposed} events now proposed")
    said.append(f"memo.date set to {today.isoformat()}")
    if removed:
        said.append("memo.version removed")
    if includes:
        said.append(f"{plural(includes, 'include path')} rewritten for the new folder")
    return bom + editor.apply(), "; ".join(said)

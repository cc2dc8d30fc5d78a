"""`briefgen new NEW.yaml --from OLD.yaml --start DATE`: the next trip from the last one.

The old file's text is edited in place, value by value, at the positions the loader
recorded: comments, key order, quoting and anchors stay byte for byte, apart from the values
that change. Every trip date moves by the same number of days (trip start and end, stops,
events, flights, lodging); `memo.date` becomes today; `bio_as_of` and source dates stay;
`memo.version` goes; every event becomes `proposed` unless asked to keep its status; the
`include` paths are rewritten so they still reach the same libraries from NEW's folder, and
the photos of the trip's own people are copied beside NEW (at the same relative paths) when
its folder lacks them. The result is checked before it is written, and it is written only if
NEW does not exist; should anything fail, the photos copied are removed again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from briefgen.errors import DocPath, plural
from briefgen.files import create_atomically
from briefgen.intake import brief_from
from briefgen.load import load, load_text
from briefgen.loaded import LoadedTrip
from briefgen.rawdata import get, items

BOM = "\ufeff"
_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")
_WORD = re.compile(r"[A-Za-z][A-Za-z-]*")
_ANCHOR = re.compile(r"&[^\s,\[\]{}]+[ \t]+")


class NotWritten(Exception):
    """NEW could not be written (it exists, or its folder is missing)."""


def parse_start(text: str) -> dt.date:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
        try:
            return dt.date.fromisoformat(text.strip())
        except ValueError:
            pass
    raise ValueError(f"'{text}' is not a date (YYYY-MM-DD)")


@dataclass(frozen=True)
class _Edit:
    start: int  # character offsets in the text
    end: int
    new: str


class _Editor:
    def __init__(self, loaded: LoadedTrip, text: str):
        self.loaded, self.text = loaded, text
        self.lines = [0]
        for m in re.finditer("\n", text):
            self.lines.append(m.end())
        self.edits: dict[int, _Edit] = {}

    def offset(self, position: tuple[int, int]) -> int:
        line, col = position
        return self.lines[line - 1] + col - 1

    def value_at(self, path: DocPath) -> int | None:
        """Where the value at `path` is written, after any anchor (`&day 2023-06-18`)."""
        position = self.loaded.value_marks.get(tuple(path))
        if position is None:
            return None
        start = self.offset(position)
        anchor = _ANCHOR.match(self.text, start)
        return anchor.end() if anchor else start

    def replace(self, start: int, end: int, new: str) -> bool:
        if start in self.edits:
            return False  # the same anchored value, reached through an alias: once
        self.edits[start] = _Edit(start, end, new)
        return True

    def scalar_span(self, start: int) -> tuple[int, int, str]:
        """(start, end, quote) of the scalar written at `start`, quotes included."""
        text = self.text
        quote = text[start] if text[start] in "\"'" else ""
        if quote == '"':
            i = start + 1
            while i < len(text) and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
            return start, i + 1, quote
        if quote == "'":
            i = start + 1
            while i < len(text):
                if text[i] == "'" and text[i + 1 : i + 2] != "'":
                    break
                i += 2 if text[i] == "'" else 1
            return start, i + 1, quote
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        chunk = text[start:end]
        cut = re.search(r"\s#|,\s|[\]}]|,$", chunk)
        chunk = chunk[: cut.start()] if cut else chunk
        return start, start + len(chunk.rstrip()), ""

    def apply(self) -> str:
        out, last = [], 0
        for edit in sorted(self.edits.values(), key=lambda e: e.start):
            out += [self.text[last : edit.start], edit.new]
            last = edit.end
        return "".join([*out, self.text[last:]])


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


def _shift_date(
    editor: _Editor, path: DocPath, days: int | None, to: dt.date | None = None
) -> bool:
    start = editor.value_at(path)
    if start is None:
        return False
    m = _DATE.match(editor.text, start + (editor.text[start] in "\"'"))
    if m is None:
        return False
    day = dt.date.fromisoformat(m[1])
    new = to if to is not None else day + dt.timedelta(days=days or 0)
    return editor.replace(m.start(1), m.end(1), new.isoformat())


def _propose(editor: _Editor, data: dict, index: int) -> bool:
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


def _remove_version(editor: _Editor) -> bool:
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


def _move_includes(editor: _Editor, data: dict, old_folder: Path, new_folder: Path) -> int:
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


def _photos_to_copy(data: dict, old_folder: Path, new_folder: Path) -> list[tuple[Path, Path]]:
    """(from, to) for each photo of the trip's own people that NEW's folder lacks. A photo is
    read only from inside the trip's folder, so it moves with the trip, at the same relative
    path; a library's photos stay with the library. Only a plain path inside both folders is
    copied (no `..`, no link out of either): anything else is left for the check to explain."""
    old_folder, new_folder = old_folder.resolve(), new_folder.resolve()
    if old_folder == new_folder or not isinstance(data.get("people"), dict):
        return []
    copies: list[tuple[Path, Path]] = []
    for person in data["people"].values():
        photo = person.get("photo") if isinstance(person, dict) else None
        if not isinstance(photo, str) or not photo or Path(photo).is_absolute():
            continue
        source = (old_folder / photo).resolve()
        if not source.is_relative_to(old_folder) or not source.is_file():
            continue
        relative = source.relative_to(old_folder)
        target = new_folder / relative
        if (
            relative.as_posix() != os.path.normpath(photo)  # `a/../p.png`, or through a link
            or not target.resolve().is_relative_to(new_folder)
            or os.path.lexists(target)
            or target in {t for _, t in copies}
        ):
            continue
        copies.append((source, target))
    return copies


def next_trip_text(
    old: Path,
    start: dt.date,
    *,
    keep_status: bool = False,
    today: dt.date | None = None,
    new_folder: Path | None = None,
) -> tuple[str, str]:
    """(text of the new trip, what was done). Raises BriefError when OLD does not check."""
    loaded = load(old)
    brief = brief_from(loaded)  # the trip's own data stays as loaded, for the editor
    raw = loaded.raw.decode("utf-8")
    bom, text = (BOM, raw[1:]) if raw.startswith(BOM) else ("", raw)
    data = loaded.data
    editor = _Editor(loaded, text)
    days = (start - brief.trip.trip.start).days
    moved = sum(_shift_date(editor, path, days) for path in _date_paths(data))
    today = today or dt.date.today()
    _shift_date(editor, ("memo", "date"), None, to=today)
    proposed = 0
    if not keep_status:
        proposed = sum(
            _propose(editor, data, i) or get(data, "agenda", i, "status") == "proposed"
            for i, _ in items(data.get("agenda"))
        )
    removed = _remove_version(editor)
    old_folder = old.resolve().parent
    includes = _move_includes(editor, data, old_folder, (new_folder or old_folder).resolve())
    said = [f"{moved} dates moved by {days:+d} days"]
    if not keep_status:
        said.append(f"{proposed} events now proposed")
    said.append(f"memo.date set to {today.isoformat()}")
    if removed:
        said.append("memo.version removed")
    if includes:
        said.append(f"{plural(includes, 'include path')} rewritten for the new folder")
    return bom + editor.apply(), "; ".join(said)


def new_from(
    path: Path,
    old: Path,
    start: dt.date,
    *,
    keep_status: bool = False,
    today: dt.date | None = None,
) -> str:
    """Write the next trip to `path` (never over an existing file); return what was done.
    Raises BriefError (OLD does not check, or the result would not), NotWritten."""
    if path.exists() or path.is_symlink():
        raise NotWritten("already exists; not overwritten (choose another name)")
    folder = path.resolve().parent
    if not folder.is_dir():
        raise NotWritten(f"the folder {folder} does not exist")
    text, done = next_trip_text(old, start, keep_status=keep_status, today=today, new_folder=folder)
    new = load_text(text, str(path), path)  # the same people and photos as OLD
    copies = _photos_to_copy(new.data, old.resolve().parent, folder)
    made: list[Path] = []  # files and folders created, removed again if anything fails
    try:
        for source, target in copies:
            for parent in reversed(target.relative_to(folder).parents[:-1]):
                if not (folder / parent).exists():
                    (folder / parent).mkdir()
                    made.append(folder / parent)
            create_atomically(target, source.read_bytes())
            made.append(target)
        brief_from(new)  # the new trip must check too
        _create(path, text.encode("utf-8"))
    except BaseException:
        for created in reversed(made):
            with contextlib.suppress(OSError):  # never hide why it failed
                if created.is_dir():
                    created.rmdir()
                else:
                    created.unlink()
        raise
    if copies:
        done += f"; {plural(len(copies), 'photo')} copied beside it"
    return done


def _create(path: Path, data: bytes) -> None:
    """Write a new file whole, or not at all; never over an existing one."""
    try:
        create_atomically(path, data)
    except FileExistsError:
        raise NotWritten("already exists; not overwritten (choose another name)") from None

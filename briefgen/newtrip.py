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

The text is made by `carryforward`; the files are written by `newfiles`.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

from briefgen.carryforward import next_trip_text
from briefgen.errors import Problem, plural
from briefgen.files import create_atomically
from briefgen.intake import brief_from
from briefgen.load import load_bytes
from briefgen.newfiles import NotWritten, all_or_nothing, create_new
from briefgen.olddates import old_dates


def parse_start(text: str) -> dt.date:
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text.strip()):
        try:
            return dt.date.fromisoformat(text.strip())
        except ValueError:
            pass
    raise ValueError(f"'{text}' is not a date (YYYY-MM-DD)")


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


def new_from(
    path: Path,
    old: Path,
    start: dt.date,
    *,
    keep_status: bool = False,
    keep_id: bool = False,
    today: dt.date | None = None,
    beside: tuple[tuple[Path, bytes], ...] = (),
) -> tuple[str, list[Problem]]:
    """Write the next trip to `path` (never over an existing file), and the `beside` files
    that do not exist yet; return what was done and the warnings about the new trip (dates of
    the old one still in its text). Raises BriefError (OLD does not check, or the result would
    not), NotWritten; on any failure nothing is left behind."""
    if path.exists() or path.is_symlink():
        raise NotWritten("already exists; not overwritten (choose another name)")
    folder = path.resolve().parent
    if not folder.is_dir():
        raise NotWritten(f"the folder {folder} does not exist")
    text, done = next_trip_text(
        old,
        start,
        keep_status=keep_status,
        keep_id=keep_id,
        today=today,
        new_folder=folder,
        new_name=path,
    )
    new = load_bytes(text.encode("utf-8"), str(path), path)  # the same people, photos as OLD
    copies = _photos_to_copy(new.data, old.resolve().parent, folder)
    with all_or_nothing() as made:
        for source, target in copies:
            for parent in reversed(target.relative_to(folder).parents[:-1]):
                if not (folder / parent).exists():
                    (folder / parent).mkdir()
                    made.append(folder / parent)
            create_atomically(target, source.read_bytes())
            made.append(target)
        brief = brief_from(new)  # the new trip must check too
        create_new(path, text.encode("utf-8"), beside, made)
    if copies:
        done += f"; {plural(len(copies), 'photo')} copied beside it"
    warnings = old_dates(brief)
    if warnings:
        done += (
            f"; {plural(len(warnings), 'date')} of the old trip still written in text "
            "(warned about below)"
        )
    return done, warnings

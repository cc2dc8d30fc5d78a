"""What a rendered document may load (stylesheets, images, fonts): regular files inside the
house style's folder and the built-in templates, nothing else. Never the trip's folder, its
libraries' or anything beside them: photos reach every output inlined as data: URIs (from
the view), so no trip-side file is ever needed. The PDF engine (`pdf.fetcher`) and `--html`
inlining (`render.inline`) both obey `readable_file`; the PDF's attachments are only the ones
briefgen adds (`pdf.write`)."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from briefgen.errors import TemplateProblem
from briefgen.limits import MAX_ASSET_BYTES


def readable_file(url: str, folders: Iterable[Path]) -> Path | None:
    """The file a `file:` URL names when a document may load it: a regular file of at most
    MAX_ASSET_BYTES whose real path (links followed) lies inside one of `folders`. None for
    anything else: another scheme or host, a path outside (`../`, a link out), a folder or
    device, a file too large."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        return None
    real = Path(os.path.realpath(unquote(parts.path)))
    if not any(real.is_relative_to(Path(folder).resolve()) for folder in folders):
        return None
    try:
        info = real.stat()
    except OSError:
        return None
    return real if stat.S_ISREG(info.st_mode) and info.st_size <= MAX_ASSET_BYTES else None


def check_house_apart(
    house: Path | None, files_read: Iterable[Path], bytes_read: Iterable[bytes] = ()
) -> None:
    """A house style folder may not hold the trip file or a library it reads; nor a copy or
    a hard link of one or of the version `--changes-since` compares with; nor any YAML trip
    or library at all (an older version, a copy edited since). A template may include any
    file of its folder as text, and a document may load it: what a releasable edition
    withholds would print, in any disguise (the read-back looks for the words as written)."""
    if house is None:
        return
    root = house.resolve()
    for path in files_read:
        if path.resolve().is_relative_to(root):
            raise TemplateProblem(
                f"{root}: the house style folder holds {path.name}, which the trip reads; "
                "keep a house style in a folder of its own"
            )
    held: dict[int, set[bytes]] = {}  # by size: most files differ in size
    for read in bytes_read:
        held.setdefault(len(read), set()).add(read)
    for path, size in _files_in(root):
        if size > MAX_ASSET_BYTES:
            continue  # nothing may load it (templates are smaller still): never read
        yaml = path.suffix.lower() in YAML
        data = _bytes(path) if size in held or yaml else None
        if data is None:
            continue
        if data in held.get(size, set()) or (yaml and TRIP_KEY.search(data)):
            raise TemplateProblem(
                f"{path}: the house style folder holds a trip or library file, or a copy of "
                "one; keep a house style in a folder of its own"
            )


YAML = (".yaml", ".yml")
# a trip's or a library's format key, however written (indented, flow, tagged, quoted)
TRIP_KEY = re.compile(rb"briefgen(?:-library)?[\"']?\s*:")
MOST_HOUSE_FILES = 10_000


def _files_in(root: Path):
    """(path, size) of each regular file under `root`, links not followed. A folder that
    cannot be listed is refused (a template could still open a file in it by name), and so
    is a house style of more than MOST_HOUSE_FILES entries: neither is read in part."""
    folders, count = [root], 0
    while folders:
        folder = folders.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError as exc:
            raise TemplateProblem(
                f"{folder}: cannot list this folder of the house style ({exc.strerror or exc})"
            ) from None
        for entry in entries:
            count += 1
            if count > MOST_HOUSE_FILES:
                raise TemplateProblem(
                    f"{root}: the house style folder holds more than {MOST_HOUSE_FILES} files"
                )
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if stat.S_ISDIR(info.st_mode):
                folders.append(Path(entry.path))
            elif stat.S_ISREG(info.st_mode):
                yield Path(entry.path), info.st_size


def _bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None

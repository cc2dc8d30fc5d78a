"""What a rendered document may load (stylesheets, images, fonts): regular files inside the
house style's folder and the built-in templates, nothing else. Never the trip's folder, its
libraries' or anything beside them: photos reach every output inlined as data: URIs (from
the view), so no trip-side file is ever needed. The PDF engine (`pdf.fetcher`) and `--html`
inlining (`render.inline`) both obey `readable_file`; the PDF's attachments are only the ones
briefgen adds (`pdf.write`)."""

from __future__ import annotations

import os
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
    """A house style folder may not hold the trip file or a library it reads, nor a copy or
    a hard link of one or of the version `--changes-since` compares with: a template may
    include any file of its folder as text, and a document may load it, so what a
    releasable edition withholds would print (in any disguise: the read-back looks for the
    words as written)."""
    if house is None:
        return
    root = house.resolve()
    for path in files_read:
        if path.resolve().is_relative_to(root):
            raise TemplateProblem(
                f"{root}: the house style folder holds {path.name}, which the trip reads; "
                "keep a house style in a folder of its own"
            )
    held = {len(data): data for data in bytes_read if data}  # by size: most files differ
    for path, size in _files_in(root):
        if size in held and _bytes(path) == held[size]:
            raise TemplateProblem(
                f"{path}: the house style folder holds a copy of a file the trip reads; "
                "keep a house style in a folder of its own"
            )


def _files_in(root: Path, most: int = 10_000):
    """(path, size) of each regular file under `root`, links not followed, up to `most`."""
    for count, path in enumerate(root.rglob("*")):
        if count >= most:
            return
        try:
            info = path.lstat()
        except OSError:
            continue
        if stat.S_ISREG(info.st_mode):
            yield path, info.st_size


def _bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None

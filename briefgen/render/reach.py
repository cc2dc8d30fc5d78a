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


def check_house_apart(house: Path | None, files_read: Iterable[Path]) -> None:
    """A house style folder may not hold the trip file or a library it reads: the document
    may load anything in that folder, and so could print or attach them."""
    if house is None:
        return
    root = house.resolve()
    for path in files_read:
        if path.resolve().is_relative_to(root):
            raise TemplateProblem(
                f"{root}: the house style folder holds {path.name}, which the trip reads; "
                "keep a house style in a folder of its own"
            )

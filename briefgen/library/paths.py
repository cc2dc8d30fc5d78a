"""Where an `include` may lead: relative paths inside the including file's folder, or in a
folder the user allows (`BRIEFGEN_LIBRARIES`); and the nearest path to one that is missing."""

from __future__ import annotations

import os
import re
from pathlib import Path

LIBRARIES_VARIABLE = "BRIEFGEN_LIBRARIES"  # folders the user allows libraries in, like PATH


def allowed_folders() -> list[Path]:
    """Folders the user allows libraries in besides the including file's own
    (`BRIEFGEN_LIBRARIES`, separated like PATH): a trip file never widens what it may read."""
    found = os.environ.get(LIBRARIES_VARIABLE, "").split(os.pathsep)
    return [Path(folder).resolve() for folder in found if folder.strip()]


def refused_include(folder: Path, value: str, target: Path) -> str | None:
    """Why an include path is refused before anything at it is opened, or None: it must be
    relative, and lie (links resolved) in the including file's folder or below it, or in a
    folder the user allows. Nothing outside is read, so nothing of it can show in an error."""
    shown = value if len(value) <= 80 else f"{value[:60]}…{value[-16:]}"
    if Path(value).is_absolute() or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", value):
        return f"include '{shown}' must be a path relative to this file"
    try:
        real = target.resolve()
        target.exists()  # a name too long is not an absent file: it fails here
    except (OSError, RuntimeError) as exc:  # a loop of links, a name too long
        return f"include '{shown}' cannot be opened: {getattr(exc, 'strerror', None) or exc}"
    home = folder.resolve()
    inside = target.is_relative_to(folder) and real.is_relative_to(home)
    if inside or any(real.is_relative_to(allowed) for allowed in allowed_folders()):
        return None
    how = "through a symbolic link " if target.is_relative_to(folder) else ""
    return (
        f"include '{shown}' leads {how}outside this file's folder ({home}); libraries must be "
        f"in it or below it, or in a folder named in {LIBRARIES_VARIABLE}"
    )


def nearest_path(folder: Path, value: str) -> str | None:
    """`value` (a relative path that does not exist) with each part that is not there replaced
    by the nearest name beside it (`lib/peple.yaml` -> `lib/people.yaml`), or None."""
    import difflib

    parts = Path(value).parts
    fixed: list[str] = []
    here = folder
    for n, part in enumerate(parts):
        if part in (".", "..") or (here / part).exists():
            fixed.append(part)
            here = here / part
            continue
        try:
            beside = [
                p.name
                for p in here.iterdir()
                if (p.is_dir() if n < len(parts) - 1 else p.suffix in (".yaml", ".yml"))
            ]
        except OSError:
            return None
        match = difflib.get_close_matches(part, beside, n=1, cutoff=0.6)
        if not match:
            return None
        fixed.append(match[0])
        here = here / match[0]
    return "/".join(fixed)

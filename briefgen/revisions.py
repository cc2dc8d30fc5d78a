"""Reading a version of a trip: a file, or `git:REV` (the same file at a git revision,
through `git show`). The one place `diff` and `build --changes-since` read the other side."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from functools import cache, partial
from pathlib import Path

from briefgen.brief import Brief
from briefgen.errors import BriefError, plural
from briefgen.limits import MAX_FILE_BYTES
from briefgen.load import load_text
from briefgen.reading import read_input
from briefgen.validate import validate


class DiffError(Exception):
    """A trip that cannot be read for comparison (git outside a repository, unknown revision);
    located trip errors are a BriefError instead."""


def read(spec: str | Path, beside: Path | None = None) -> Brief:
    """A validated trip from a path, or from `git:REV` (the file `beside` at revision REV).
    The one place `diff` and `build --changes-since` read a trip."""
    text = str(spec)
    if text.startswith("git:"):
        if beside is None:
            raise DiffError("git:REV needs the trip file it is a revision of")
        return _read_git(text[4:], beside)
    from briefgen.intake import read_brief

    return read_brief(Path(spec))


def _read_git(rev: str, path: Path) -> Brief:
    folder, name = path.resolve().parent, path.name
    label = f"git:{rev}:{path}"
    if not rev or rev.startswith("-"):
        raise DiffError(f"git:{rev}: not a revision (write git:HEAD, git:HEAD~1, git:v3, ...)")

    def git(*args: str) -> subprocess.CompletedProcess:
        try:
            return subprocess.run(
                ["git", "-C", str(folder), *args], capture_output=True, timeout=30, check=False
            )
        except FileNotFoundError:
            raise DiffError("git:REV needs git, which is not installed") from None
        except subprocess.TimeoutExpired:
            raise DiffError(f"git:{rev}: git did not answer within 30 s") from None

    inside = git("rev-parse", "--is-inside-work-tree")
    if inside.returncode != 0:
        raise DiffError(f"git:{rev}: {folder} is not inside a git repository")
    if git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").returncode != 0:
        raise DiffError(f"git:{rev}: unknown revision in the repository of {folder}")
    raw = _blob(git, rev, f"./{name}", label)
    if raw is None:
        raise DiffError(f"git:{rev}: {name} is not in that revision")
    try:
        source = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise DiffError(f"{label}: not valid UTF-8") from None
    loaded = load_text(source, label, path)
    loaded.raw = raw
    top = git("rev-parse", "--show-toplevel").stdout.decode("utf-8", "replace").strip()
    # cached: a library is asked for once to see that it is there, once to be read
    loaded.read_other = cache(partial(_at_revision, git, rev, Path(top).resolve()))
    return validate(loaded)


def _at_revision(git, rev: str, top: Path, path: Path) -> tuple[bytes, str] | None:
    """A file the trip includes, as it was at REV (None: not in that revision). A file
    outside the repository has no history: it is read as it is now."""
    real = path.resolve()
    if not real.is_relative_to(top):
        return (read_input(path, str(path)), str(path)) if path.exists() else None
    label = f"git:{rev}:{path}"
    raw = _blob(git, rev, real.relative_to(top).as_posix(), label)
    return None if raw is None else (raw, label)


def _blob(git, rev: str, where: str, label: str) -> bytes | None:
    """A file's bytes at REV (None: no such file there), its size asked first: a file over
    MAX_FILE_BYTES is refused before git hands it over."""
    size = git("cat-file", "-s", f"{rev}:{where}")
    if size.returncode != 0 or git("cat-file", "-t", f"{rev}:{where}").stdout.strip() != b"blob":
        return None
    if int(size.stdout.strip() or 0) > MAX_FILE_BYTES:
        raise DiffError(f"{label}: larger than {MAX_FILE_BYTES // 1024 // 1024} MB; refused")
    return git("cat-file", "blob", f"{rev}:{where}").stdout


def read_other(spec: str, beside: Path, err: Callable[[str], None]) -> Brief | None:
    """A trip for comparison (a path or git:REV), or None after printing why not."""
    try:
        return read(spec, beside)
    except BriefError as exc:
        for problem in exc.problems:
            err(str(problem))
        err(f"{spec}: {plural(len(exc.problems), 'error')}; nothing was compared")
    except DiffError as exc:
        err(f"briefgen: {exc}")
    return None

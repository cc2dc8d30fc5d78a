"""Writing outputs safely: to a temporary file beside the target, then an atomic rename.

- `check_target(path)` refuses a target that is a symbolic link or exists and is not a
  regular file (FIFO, device, directory, socket) with `UnsafeTarget`; call it before a long
  build. `write_atomically` checks again (lstat) right before the rename. The rename itself
  only ever replaces the directory entry: it never writes through a link or into a device.
- Modes: a new file gets 0666 & ~umask, as open() would give it; a replaced file keeps its
  permission bits (0o777; set-id and sticky bits are not carried over).
- `write_atomically(path, data)` replaces the target (`open_temporary`, `write_to` and
  `settle` are its steps, for a build whose child writes the temporary file);
  `create_atomically(path, data)` makes a new file and raises FileExistsError if the target
  exists (a hard link from the temp
  file makes that race-free). Either way a failure leaves nothing behind.
- Temporary files are named `.{name}.{pid}.{random}.tmp` beside the target and are kept in
  a registry while they live. A later write to the same target removes the ones whose
  process is gone (after a SIGKILL or a power cut); those of a live process are left alone.
  The registry is `interruption.LIVE`: a stop signal removes them (see `interruption`).
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path

from briefgen import interruption
from briefgen.interruption import LIVE, stopping_held

_KINDS = {
    stat.S_IFIFO: "a FIFO",
    stat.S_IFCHR: "a character device",
    stat.S_IFDIR: "a directory",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
}
_NO_HARD_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.ENOSYS, errno.EXDEV}


class UnsafeTarget(OSError):
    """The target is a symbolic link, or exists and is not a regular file.

    `strerror` is the reason alone (e.g. "refusing to write through a symbolic link");
    `str(exc)` is "{path}: {reason}", one line, ready to print."""

    def __str__(self) -> str:
        return f"{self.filename}: {self.strerror}"


def check_target(path: Path) -> None:
    """Raise UnsafeTarget if `path` is a symbolic link or exists and is not a regular file.

    A missing target is fine. Only the last part of the path is checked: linked folders on
    the way are followed as usual. Never opens the target, so a FIFO cannot block it."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(st.st_mode):
        raise UnsafeTarget(errno.ELOOP, "refusing to write through a symbolic link", str(path))
    if not stat.S_ISREG(st.st_mode):
        kind = _KINDS.get(stat.S_IFMT(st.st_mode), "not a regular file")
        raise UnsafeTarget(
            errno.EINVAL, f"is {kind}, not a regular file; refusing to replace it", str(path)
        )


def write_atomically(target: Path, data: bytes) -> None:
    """Replace (or create) `target` with `data`: a failure or an interruption never leaves
    half a file, clobbers the previous good one or leaves a temporary file behind.

    Raises UnsafeTarget (see check_target) or the OSError of the failing step."""
    tmp, fd = open_temporary(target)
    try:
        write_to(fd, data)
    except BaseException:
        _discard(tmp)
        raise
    finally:
        os.close(fd)
    settle(tmp, target)


def open_temporary(target: Path) -> tuple[str, int]:
    """A new registered temporary file beside `target`, open for writing: (its path, its
    descriptor; the caller closes it). It gets the target's permission bits, or 0666 & ~umask
    for a new target. Raises UnsafeTarget (see check_target) or the OSError of the failing
    step. Settle it with `settle`: anything else, and it is removed when the process is
    interrupted or next writes the target."""
    target = Path(target)
    check_target(target)
    try:
        mode: int | None = stat.S_IMODE(os.lstat(target).st_mode) & 0o777
    except FileNotFoundError:
        mode = None
    return _open_temporary(target, mode)


def write_to(fd: int, data: bytes) -> None:
    """Write all of `data` to `fd` and flush it to the disk."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view[: 1 << 20]) :]
    os.fsync(fd)


def settle(tmp: str, target: Path) -> None:
    """Rename the written temporary file `tmp` onto `target` (checked again just before),
    or remove it. A stop signal waits while the rename is done and recorded in
    `interruption.WRITTEN`, so that what the interruption's message says is the truth."""
    target = Path(target)
    try:
        check_target(target)
        with stopping_held():
            os.replace(tmp, target)  # noqa: PTH105 - the temp file is a str from mkstemp
            LIVE.discard(tmp)
            interruption.WRITTEN.append(target)
        _fsync_dir(target.parent)
    finally:
        _discard(tmp)


def discard(tmp: str) -> None:
    """Remove a temporary file that will not be settled."""
    _discard(tmp)


def create_atomically(target: Path, data: bytes) -> None:
    """Create `target` holding `data`; raise FileExistsError if anything is there already
    (even a dangling symbolic link). Nothing is left behind on failure."""
    target = Path(target)
    if os.path.lexists(target):
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(target))
    tmp, fd = _open_temporary(target, None)
    try:
        try:
            write_to(fd, data)
        finally:
            os.close(fd)
        try:
            os.link(tmp, target, follow_symlinks=False)
        except OSError as exc:
            if exc.errno not in _NO_HARD_LINKS:  # FileExistsError among them
                raise
            # No hard links here (some network and FAT file systems): a checked rename.
            if os.path.lexists(target):
                raise FileExistsError(
                    errno.EEXIST, os.strerror(errno.EEXIST), str(target)
                ) from None
            os.rename(tmp, target)  # noqa: PTH104 - the temp file is a str from mkstemp
        _fsync_dir(target.parent)
    finally:
        _discard(tmp)


def _open_temporary(target: Path, mode: int | None) -> tuple[str, int]:
    """A new registered temporary file beside `target`: (its path, its descriptor). With
    `mode` None the file gets 0666 & ~umask; otherwise exactly `mode`."""
    _remove_stale(target)
    stem = _stem(target.name)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    while True:
        tmp = str(target.parent / f"{stem}{os.getpid()}.{os.urandom(4).hex()}.tmp")
        LIVE.add(tmp)  # before it exists, so a signal at any point finds it
        try:
            fd = os.open(tmp, flags, 0o666 if mode is None else mode & 0o600)
            break
        except FileExistsError:
            LIVE.discard(tmp)
        except BaseException as exc:
            LIVE.discard(tmp)
            if isinstance(exc, OSError) and exc.filename == tmp:
                exc.filename = str(target)  # name what the user asked for, not our temp
            raise
    try:
        if mode is not None:
            os.fchmod(fd, mode)
    except BaseException:
        os.close(fd)
        _discard(tmp)
        raise
    return tmp, fd


def _stem(name: str) -> str:
    """The temp-name prefix for a target name, short enough for any file system."""
    return "." + os.fsdecode(os.fsencode(name)[:180]) + "."


def _remove_stale(target: Path) -> None:
    """Remove temporary files for `target` left by processes that no longer exist."""
    pattern = re.compile(re.escape(_stem(target.name)) + r"(\d+)\.[0-9a-f]{8}\.tmp")
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return
    for entry in entries:
        match = pattern.fullmatch(entry.name)
        if not match or not entry.is_file(follow_symlinks=False):
            continue
        pid = int(match.group(1))
        if pid == os.getpid():  # ours if live; else left by an earlier process with our pid
            stale = str(target.parent / entry.name) not in LIVE
        else:
            stale = not _alive(pid)
        if stale:
            Path(entry.path).unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    if os.name != "posix":  # os.kill(pid, 0) would terminate the process on Windows
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: it exists, but belongs to someone else
        return True
    return True


def _discard(tmp: str) -> None:
    if not tmp:  # none was opened (`Path("")` is the current folder)
        return
    Path(tmp).unlink(missing_ok=True)
    LIVE.discard(tmp)


def _fsync_dir(folder: Path) -> None:
    """Make the rename durable where the platform allows it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)

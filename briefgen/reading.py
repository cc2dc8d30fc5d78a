"""Reading input files safely: only regular files, at most MAX_FILE_BYTES of them counted
as read (a FIFO or device is refused at once, never waited on), and UTF-8 with the line and
column of the first bad byte."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from briefgen.errors import BriefError, Problem
from briefgen.limits import MAX_FILE_BYTES

_NOT_REGULAR = [
    (stat.S_ISDIR, "is a folder, not a trip file"),
    (stat.S_ISFIFO, "is a FIFO (named pipe), not a regular file"),
    (stat.S_ISCHR, "is a device, not a regular file"),
    (stat.S_ISBLK, "is a device, not a regular file"),
    (stat.S_ISSOCK, "is a socket, not a regular file"),
]


def read_input(path: Path, name: str) -> bytes:
    """The bytes of a regular file, at most MAX_FILE_BYTES of them; anything else refused."""

    def refuse(message: str) -> BriefError:
        return BriefError([Problem(1, 1, name, (), message)])

    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)  # O_NONBLOCK: opening a FIFO never waits for a writer
    except FileNotFoundError:
        raise refuse("no such file") from None
    except IsADirectoryError:
        raise refuse("is a folder, not a trip file") from None
    except OSError as exc:
        raise refuse(f"cannot read: {exc.strerror}") from None
    try:
        mode = os.fstat(fd).st_mode
        for test, message in _NOT_REGULAR:
            if test(mode):
                raise refuse(message)
        if not stat.S_ISREG(mode):
            raise refuse("is not a regular file")
        chunks, size = [], 0
        while size <= MAX_FILE_BYTES:  # count what is read: stat() sizes can lie
            chunk = os.read(fd, min(1 << 20, MAX_FILE_BYTES + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise refuse(f"cannot read: {exc.strerror}") from None
    finally:
        os.close(fd)
    if size > MAX_FILE_BYTES:
        raise refuse(f"file is larger than {MAX_FILE_BYTES // 1024 // 1024} MB; refused")
    return b"".join(chunks)


def decode_utf8(raw: bytes, name: str) -> str:
    """The text of a file (a leading BOM dropped), or a located error at the first bad byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        bad = raw[exc.start : exc.start + 1].hex()
        raise BriefError(
            [
                Problem(
                    line, col, name, (), f"file is not valid UTF-8 (byte 0x{bad}); save it as UTF-8"
                )
            ]
        ) from None

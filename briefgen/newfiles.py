"""New files written whole, never over an existing one, all or nothing: a new trip (the
skeleton, or the next trip from the last one) and the files beside it."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from briefgen.files import create_atomically


class NotWritten(Exception):
    """NEW could not be written (it exists, or its folder is missing)."""


@contextlib.contextmanager
def all_or_nothing() -> Iterator[list[Path]]:
    """The files and folders created inside, removed again if anything fails."""
    made: list[Path] = []
    try:
        yield made
    except BaseException:
        for created in reversed(made):
            with contextlib.suppress(OSError):  # never hide why it failed
                if created.is_dir():
                    created.rmdir()
                else:
                    created.unlink()
        raise


def create_new(
    path: Path,
    data: bytes,
    beside: tuple[tuple[Path, bytes], ...] = (),
    made: list[Path] | None = None,
) -> None:
    """Write a new file whole, never over an existing one, and each `beside` file that does
    not exist yet; all or nothing. Raises NotWritten, naming the file that failed."""
    with all_or_nothing() as created:
        for target, content in ((path, data), *beside):
            try:
                create_atomically(target, content)
            except FileExistsError:
                if target == path:
                    raise NotWritten(
                        "already exists; not overwritten (choose another name)"
                    ) from None
                continue  # a schema already there is kept
            except OSError as exc:
                name = "" if target == path else f" {target.name}"
                raise NotWritten(
                    f"cannot write{name}: {exc.strerror or exc}; nothing was written"
                ) from None
            created.append(target)
        if made is not None:
            made.extend(created)

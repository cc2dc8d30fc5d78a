"""The validated trip that every stage after validation takes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from briefgen.leaks import Lookout
from briefgen.loaded import LoadedTrip
from briefgen.markings import Marking
from briefgen.model import TripFile


@dataclass(frozen=True)
class Withheld:
    """What a releasable edition left out: said on the first page of each of its products,
    and looked for in each of them once written (leaks.py)."""

    statement: str  # Releasable edition — at or below SBU, releasable to LTU — 14 portions withheld
    count: int
    lookout: Lookout


@dataclass(frozen=True)
class Brief:
    """A validated trip: the model, where it came from, and its computed marking; for a
    releasable edition, what it withheld."""

    trip: TripFile
    source: LoadedTrip
    marking: Marking
    withheld: Withheld | None = None

    @property
    def folder(self) -> Path:
        return self.source.path.resolve().parent

    @property
    def files_read(self) -> tuple[Path, ...]:
        """The trip file and every library it read, in the order read."""
        return (self.source.path, *(library.path for library in self.source.libraries))

    @property
    def bytes_read(self) -> tuple[bytes, ...]:
        """What those files held when read (a version from git included)."""
        return (self.source.raw, *(library.raw for library in self.source.libraries))

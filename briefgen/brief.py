"""The validated trip that every stage after validation takes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from briefgen.load import LoadedTrip
from briefgen.markings import Marking
from briefgen.model import TripFile


@dataclass(frozen=True)
class Brief:
    """A validated trip: the model, where it came from, and its computed marking."""

    trip: TripFile
    source: LoadedTrip
    marking: Marking

    @property
    def folder(self) -> Path:
        return self.source.path.resolve().parent

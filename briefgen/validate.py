"""Stage 2: check a loaded trip against the contract and turn it into the model.

Two passes over the same loaded data, both always run so every error of a file is reported
at once: the pydantic models (shapes, types, unknown keys), then the whole-file rules
(references, dates inside the trip, marks for the chosen system, the authority block,
photos). Every problem is located (file:line:col) and worded for the person who wrote it.
"""

from __future__ import annotations

from pydantic import ValidationError

from briefgen import markings
from briefgen.brief import Brief
from briefgen.errors import BriefError, Problem
from briefgen.interruption import stopping_held
from briefgen.loaded import LoadedTrip
from briefgen.model import TripFile
from briefgen.portions import marks_in
from briefgen.rules import WholeFileRules
from briefgen.wording import pydantic_problems


def validate(loaded: LoadedTrip) -> Brief:
    """Return the Brief, or raise BriefError listing every problem in the file."""
    if not isinstance(loaded.data, dict):
        raise BriefError(
            [
                loaded.problem(
                    (),
                    "expected a mapping of keys (briefgen:, memo:, "
                    "trip:, ...) at the top of the file",
                )
            ]
        )
    problems: list[Problem] = []
    if not loaded.resolved and "include" in loaded.data:  # libraries: see briefgen.intake
        from briefgen.library import resolve

        loaded, problems = resolve(loaded)
    rules = WholeFileRules(loaded)
    problems += rules.run()
    trip = None
    try:
        # Ctrl-C waits until pydantic-core is done: cut off inside it, it reports the field
        # it was at as invalid instead of stopping.
        with stopping_held():
            trip = TripFile.model_validate(loaded.data)
    except ValidationError as exc:
        problems += pydantic_problems(loaded, exc.errors())
    if problems:
        raise BriefError(_dedupe(problems))
    if trip is None:  # model_validate either returns or raised
        raise BriefError(_dedupe(problems))
    return Brief(trip, loaded, markings.rollup(trip.markings, marks_in(trip)))


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: set[tuple] = set()
    out = []
    for p in problems:
        if (p.file, p.line, p.column, p.path) not in seen:
            seen.add((p.file, p.line, p.column, p.path))
            out.append(p)
    return out

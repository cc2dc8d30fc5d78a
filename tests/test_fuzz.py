"""A short, fixed-seed fuzz of the front end: load+validate may only raise BriefError.

A fixed number of inputs from fixed seeds, so a run is the same every time and a failure
names what reproduces it. The generators (tests/drawn.py, tests/mutated.py) are the ones the
long runs use: `python bench/fuzz.py --inputs 100000 --seed K --save DIR`.
"""

from __future__ import annotations

import random

from hypothesis import given, seed

from drawn import drawn_trips, trip_texts
from mutated import mutate, run_one, seed_files

SEED = 20240601
SCHEMA_EXAMPLES = 60
MUTATIONS = 150


def _assert_no_crash(raw: bytes, origin: str, folder) -> None:
    out = run_one(raw, folder, hang_seconds=5.0)
    assert out.kind in ("valid", "error"), (
        f"{out.kind} on {origin} ({out.signature}):\n{out.detail}\n--- input ---\n"
        f"{raw.decode('utf-8', 'replace')[:3000]}"
    )


@seed(SEED)  # hypothesis prints the failing trip, and this seed reproduces the run
@drawn_trips(SCHEMA_EXAMPLES)
@given(trip_texts())
def test_trips_from_the_schema_never_crash(tmp_path_factory, text):
    folder = tmp_path_factory.mktemp("schema", numbered=True)
    _assert_no_crash(text.encode("utf-8", "surrogatepass"), "a trip drawn from the schema", folder)


def test_mutated_trips_never_crash(tmp_path):
    files = seed_files()
    for number in range(MUTATIONS):
        rnd = random.Random(SEED + number)  # one seed per input: each failure reproduces alone
        name, raw = rnd.choice(files)
        _assert_no_crash(
            mutate(raw, rnd),
            f"mutation {number} of {name} (mutate(raw, random.Random({SEED + number})) after "
            f"random.Random({SEED + number}).choice(seed_files()))",
            tmp_path,
        )

"""A short, fixed-seed run of bench/fuzz.py: load+validate may only raise BriefError.

The generators are bench/fuzz.py's own (one implementation); the long runs live there:
`python bench/fuzz.py --inputs 100000 --seed K --save DIR`.
"""

from __future__ import annotations

import random
import sys
import time

from hypothesis import given, seed

from conftest import ROOT, drawn_trips

sys.path.insert(0, str(ROOT / "bench"))
import fuzz

MUTATION_SECONDS = 3.0
SCHEMA_EXAMPLES = 60


def _assert_no_crash(raw: bytes, origin: str, folder) -> None:
    out = fuzz.run_one(raw, folder, hang_seconds=5.0)
    assert out.kind in ("valid", "error"), (
        f"{out.kind} on {origin} ({out.signature}):\n{out.detail}\n--- input ---\n"
        f"{raw.decode('utf-8', 'replace')[:3000]}"
    )


@seed(20240601)
@drawn_trips(SCHEMA_EXAMPLES)
@given(fuzz.trip_texts())
def test_trips_from_the_schema_never_crash(tmp_path_factory, text):
    folder = tmp_path_factory.mktemp("schema", numbered=True)
    _assert_no_crash(text.encode("utf-8", "surrogatepass"), "a trip drawn from the schema", folder)


def test_mutated_trips_never_crash(tmp_path):
    rnd = random.Random(20240601)
    seeds = fuzz._seed_files()
    stop = time.monotonic() + MUTATION_SECONDS
    runs = 0
    while time.monotonic() < stop:
        name, raw = rnd.choice(seeds)
        _assert_no_crash(fuzz.mutate(raw, rnd), f"a mutation of {name}", tmp_path)
        runs += 1
    assert runs > 50

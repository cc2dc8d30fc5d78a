"""A short, fixed-seed fuzz of the front end: load+validate may only raise BriefError.

A fixed number of inputs from fixed seeds, so a run is the same every time and a failure
names what reproduces it. The generators (tests/drawn.py, tests/mutated.py) are the ones the
long runs use: `python bench/fuzz.py --inputs 100000 --seed K --save DIR`.
"""

from __future__ import annotations

import random

import pytest
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
@pytest.mark.slow
def test_trips_from_the_schema_never_crash(tmp_path_factory, text):
    folder = tmp_path_factory.mktemp("schema", numbered=True)
    _assert_no_crash(text.encode("utf-8", "surrogatepass"), "a trip drawn from the schema", folder)


@pytest.mark.slow
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


DRAWS = """
import hashlib, sys
sys.path.insert(0, sys.argv[1])
if len(sys.argv) > 2:  # more local modules loaded first, as in a test worker
    import briefgen.pdf, briefgen.render, conftest, layout_checks, mutated
from hypothesis import given, seed
from drawn import drawn_trips, trip_texts
texts = []
@seed(20261206)
@drawn_trips(4)
@given(trip_texts(valid=True))
def draw(text):
    texts.append(text)
draw()
print(hashlib.sha256("\\n".join(texts).encode("utf-8", "surrogatepass")).hexdigest())
"""


@pytest.mark.slow
def test_drawn_trips_are_the_same_in_any_process(tmp_path):
    """A seed draws the same trips in a bare process and in one that has imported much of
    the project and the tests first (hypothesis mixed in the constants of local modules:
    CI drew trips no local run had)."""
    import subprocess
    import sys
    from pathlib import Path

    tests = str(Path(__file__).resolve().parent)
    script = tmp_path / "draws.py"
    script.write_text(DRAWS, encoding="utf-8")
    runs = [
        subprocess.run([sys.executable, script, tests, *extra], capture_output=True, text=True)
        for extra in ((), ("--preloaded",))
    ]
    for run in runs:
        assert run.returncode == 0, run.stderr
    assert runs[0].stdout == runs[1].stdout

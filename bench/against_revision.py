"""A command of this checkout against the same command of an earlier revision, in the same
minutes. Prints medians and the ratio, never asserts.

    python bench/against_revision.py d0aca44 --runs 15 -- check briefs/beijing-2023.yaml
    python bench/against_revision.py d0aca44 -- build briefs/beijing-2023.yaml --layout card -o OUT

The revision is checked out in a temporary worktree and byte-compiled like this one; both run
as `python -m briefgen ARGS` in fresh processes, alternating, from their own folders (so the
same relative trip path names each tree's copy). `OUT` in ARGS becomes a temporary file. On a
machine whose speed swings minute to minute, a ratio of runs taken side by side says more
than either time; d0aca44 is the code of the day issue 11 was filed (its card: 1.85 s).
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("revision")
    parser.add_argument("--runs", type=int, default=9)
    argv = sys.argv[1:]
    cut = argv.index("--") if "--" in argv else len(argv)
    options, args = parser.parse_args(argv[:cut]), argv[cut + 1 :]
    with tempfile.TemporaryDirectory() as tmp:
        old = Path(tmp) / "old"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(old), options.revision],
            check=True,
            capture_output=True,
        )
        try:
            trees = {options.revision: old, "this checkout": ROOT}
            for tree in trees.values():
                compileall.compile_dir(tree / "briefgen", quiet=1)
            times: dict[str, list[float]] = {name: [] for name in trees}
            for _ in range(options.runs):
                for name, tree in trees.items():
                    command = [a.replace("OUT", f"{tmp}/out.pdf") for a in args]
                    start = time.perf_counter()
                    subprocess.run(
                        [sys.executable, "-m", "briefgen", *command],
                        cwd=tree,
                        env={**os.environ, "PYTHONPATH": str(tree)},
                        check=True,
                        capture_output=True,
                    )
                    times[name].append(time.perf_counter() - start)
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(old)],
                capture_output=True,
            )
    print(f"briefgen {' '.join(args)}: {options.runs} alternating runs, fresh processes")
    median = {name: statistics.median(values) for name, values in times.items()}
    for name, values in times.items():
        print(f"{name:15s}: median {median[name]:.3f} s  (min {min(values):.3f})")
    ratio = median["this checkout"] / median[options.revision]
    print(f"this checkout / {options.revision}: {ratio:.2f}")


if __name__ == "__main__":
    main()

"""Fuzz the trip-file front end: anything but BriefError from load/validate is a crash.

    python bench/fuzz.py --inputs 100000 --build 500 --seconds S --seed K --save DIR

Inputs come from two generators, mixed (`tests/drawn.py` and `tests/mutated.py`, shared with
the short fixed-seed runs in tests/test_fuzz.py):
  (a) trips drawn from the JSON Schema (`briefgen.model.json_schema()`) with hypothesis:
      objects with their properties, enums, patterns, dates, numbers, lists, and strings
      with unicode, controls and Markdown punctuation; most get their cross-references
      (principal, participants, issues, sources, dates) made consistent so they go deep;
  (b) mutations of briefs/beijing-2023.yaml, tests/corpus/good/minimal.yaml and every file
      of tests/corpus/bad/: byte flips, line deletion/duplication, indentation changes,
      YAML punctuation inserted, values swapped between keys, scalars replaced by lists,
      maps, huge numbers or nothing.
Each input runs in-process (`load_text` + `validate`, or `load` for bytes that are not
UTF-8) under a watchdog: past --hang seconds it is a hang (SIGALRM interrupts it; if the
interpreter cannot be interrupted a thread saves the input and exits the process).
With --build N, N inputs that validated are built end to end by the CLI in subprocesses
(`python -m briefgen build`, --build-jobs at a time, with a timeout); a traceback, an
"unexpected error" or a timeout there is a crash too.

Every crash and hang is written to --save DIR (input + traceback), at most --keep per
distinct signature; --minimize shrinks one reproducer per signature by deleting lines.
Exit status: 0 when no crash or hang was found, 1 otherwise.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import hashlib
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, seed, settings

ROOT = Path(__file__).resolve().parent.parent
for folder in (ROOT, ROOT / "tests"):  # the generators live with the tests that use them
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from drawn import trip_texts  # noqa: E402
from mutated import Outcome, mutate, run_one, seed_files  # noqa: E402

EXAMPLE = ROOT / "briefs" / "beijing-2023.yaml"
MINIMAL = ROOT / "tests" / "corpus" / "good" / "minimal.yaml"


def build_one(raw: bytes, timeout: float, html: bool = False) -> Outcome:
    """Build one trip with the CLI in a fresh process and temp folder."""
    with tempfile.TemporaryDirectory(prefix="fuzzbuild-") as tmp:
        trip = Path(tmp) / "trip.yaml"
        trip.write_bytes(raw)
        out = Path(tmp) / ("out.html" if html else "out.pdf")
        cmd = [sys.executable, "-m", "briefgen", "--debug", "build", str(trip), "-o", str(out)]
        if html:
            cmd.append("--html")
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        start = time.perf_counter()
        try:
            res = subprocess.run(
                cmd,
                capture_output=True,
                text=True,
                timeout=timeout,
                env=env,
                cwd=tmp,
                errors="replace",
            )
        except subprocess.TimeoutExpired:
            return Outcome(
                "hang",
                detail=f"build took more than {timeout} s",
                signature="build-timeout",
                seconds=timeout,
            )
        took = time.perf_counter() - start
        err = res.stderr
        if res.returncode == 0 and out.exists() and out.stat().st_size > 0:
            return Outcome("valid", seconds=took, detail=err[-300:])
        if "Traceback" in err or "unexpected error" in err or res.returncode not in (0, 1):
            tb = [ln for ln in err.splitlines() if ln.startswith('  File "') and "briefgen" in ln]
            last = err.strip().splitlines()[-1] if err.strip() else f"rc={res.returncode}"
            where = tb[-1].split(", ", 1)[-1].strip() if tb else "?"
            sig = "build:" + last.split(":")[0][:60] + "@" + where
            return Outcome(
                "crash", detail=f"rc={res.returncode}\n{err}", signature=sig, seconds=took
            )
        if "build failed" in err:
            return Outcome("error", detail=err[-400:], signature="build-refused", seconds=took)
        return Outcome(
            "crash",
            detail=f"rc={res.returncode}, validated in-process but the CLI refused it:\n{err}",
            signature="build:mismatch",
            seconds=took,
        )


# ------------------------------------------------------------------------- the run


@dataclass
class Stats:
    inputs: int = 0
    valid: int = 0
    errors: int = 0
    crashes: int = 0
    hangs: int = 0
    by_origin: dict[str, list[int]] = field(default_factory=dict)
    signatures: dict[str, int] = field(default_factory=dict)
    slowest: tuple[float, str] = (0.0, "")


class Fuzzer:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.rnd = random.Random(args.seed)
        self.stats = Stats()
        self.build_stats = Stats()
        self.save = Path(args.save) if args.save else None
        self.saved: dict[str, int] = {}
        self.valid_pool: list[tuple[str, bytes]] = []
        self.deadline = time.monotonic() + args.seconds if args.seconds else None
        self.tmp = Path(tempfile.mkdtemp(prefix="fuzz-"))
        self.current: tuple[str, bytes, float] | None = None
        self.seeds = seed_files()
        self.example = EXAMPLE.read_bytes()
        self.first_crash: dict[str, tuple[str, bytes]] = {}

    # -- bookkeeping
    def out_of_time(self) -> bool:
        return self.deadline is not None and time.monotonic() > self.deadline

    def record(self, stats: Stats, origin: str, raw: bytes, out: Outcome, prefix: str) -> None:
        stats.inputs += 1
        counts = stats.by_origin.setdefault(origin.split(":")[0], [0, 0, 0, 0])
        idx = {"valid": 0, "error": 1, "crash": 2, "hang": 3}[out.kind]
        counts[idx] += 1
        if out.kind == "valid":
            stats.valid += 1
        elif out.kind == "error":
            stats.errors += 1
        else:
            if out.kind == "crash":
                stats.crashes += 1
            else:
                stats.hangs += 1
            stats.signatures[out.signature] = stats.signatures.get(out.signature, 0) + 1
            self.first_crash.setdefault(out.signature, (origin, raw))
            self.write_reproducer(prefix, out, origin, raw)
        if out.seconds > stats.slowest[0]:
            stats.slowest = (out.seconds, origin)

    def write_reproducer(self, prefix: str, out: Outcome, origin: str, raw: bytes) -> None:
        if not self.save:
            return
        n = self.saved.get(out.signature, 0)
        if n >= self.args.keep:
            return
        self.saved[out.signature] = n + 1
        self.save.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha1(out.signature.encode()).hexdigest()[:8]
        stem = f"{prefix}-{out.kind}-{digest}-s{self.args.seed}-{n:02d}"
        (self.save / f"{stem}.yaml").write_bytes(raw)
        (self.save / f"{stem}.txt").write_text(
            f"signature: {out.signature}\norigin: {origin}\nseconds: {out.seconds:.2f}\n\n"
            f"{out.detail}",
            encoding="utf-8",
        )

    # -- watchdog for hangs that SIGALRM cannot interrupt (e.g. inside C code)
    def watchdog(self) -> None:
        while True:
            time.sleep(1)
            cur = self.current
            if cur and time.monotonic() - cur[2] > self.args.hang * 6 + 10:
                out = Outcome(
                    "hang",
                    detail="uninterruptible: the watchdog thread ended the process",
                    signature="hang@uninterruptible",
                    seconds=time.monotonic() - cur[2],
                )
                self.write_reproducer("load", out, cur[0], cur[1])
                print(f"HANG (uninterruptible) on {cur[0]}; exiting", file=sys.stderr, flush=True)
                os._exit(3)

    def run_input(self, origin: str, raw: bytes) -> Outcome:
        self.current = (origin, raw, time.monotonic())
        out = run_one(raw, self.tmp, self.args.hang)
        self.current = None
        self.record(self.stats, origin, raw, out, "load")
        if out.kind == "valid" and len(raw) < 20_000:
            pool = self.valid_pool
            if len(pool) < 4 * max(self.args.build, 1):
                pool.append((origin, raw))
            else:
                pool[self.rnd.randrange(len(pool))] = (origin, raw)
        if self.stats.inputs % self.args.report == 0:
            self.progress()
        return out

    def progress(self) -> None:
        s = self.stats
        rate = s.inputs / max(time.monotonic() - self.started, 1e-9)
        print(
            f"[seed {self.args.seed}] {s.inputs} inputs, {s.valid} valid, {s.errors} errors, "
            f"{s.crashes} crashes, {s.hangs} hangs, {rate:.0f}/s",
            flush=True,
        )

    # -- generators
    def schema_batch(self, count: int, batch_seed: int) -> None:
        texts = trip_texts()

        @seed(batch_seed)
        @settings(
            max_examples=count,
            database=None,
            deadline=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(texts)
        def body(text: str) -> None:
            if self.stats.inputs < self.args.inputs and not self.out_of_time():
                raw = text.encode("utf-8", "surrogatepass")
                self.run_input(f"schema:{batch_seed}", raw)

        body()

    def mutation(self) -> None:
        r = self.rnd.random()
        if r < self.args.example_share:
            name, raw = "beijing-2023.yaml", self.example
        else:
            name, raw = self.rnd.choice(self.seeds)
        self.run_input(f"mutation:{name}", mutate(raw, self.rnd))

    def run(self) -> Stats:
        self.started = time.monotonic()
        threading.Thread(target=self.watchdog, daemon=True).start()
        while self.stats.inputs < self.args.inputs and not self.out_of_time():
            if self.rnd.random() < self.args.schema_share:
                self.schema_batch(
                    min(100, self.args.inputs - self.stats.inputs), self.rnd.randrange(2**32)
                )
            else:
                for _ in range(100):
                    if self.stats.inputs >= self.args.inputs or self.out_of_time():
                        break
                    self.mutation()
        self.elapsed = time.monotonic() - self.started
        return self.stats

    # -- whole builds
    def builds(self) -> None:
        n = self.args.build
        if not n:
            return
        pool = list(self.valid_pool)
        # Small mutated trips first: builds of the full example take several seconds each.
        extra = 0
        while len(pool) < n and extra < 50 * n:
            extra += 1
            name, raw = self.rnd.choice(
                [("minimal.yaml", MINIMAL.read_bytes())] * 4 + [("beijing-2023.yaml", self.example)]
            )
            cand = mutate(raw, self.rnd, rounds=1)
            out = run_one(cand, self.tmp, self.args.hang)
            if out.kind == "valid":
                pool.append((f"mutation:{name}", cand))
        self.rnd.shuffle(pool)
        pool = pool[:n]
        self.build_started = time.monotonic()
        deadline = time.monotonic() + self.args.build_seconds
        print(f"building {len(pool)} valid inputs, {self.args.build_jobs} at a time", flush=True)
        with concurrent.futures.ThreadPoolExecutor(self.args.build_jobs) as ex:
            futures = {}
            it = iter(pool)
            for origin, raw in it:
                futures[
                    ex.submit(build_one, raw, self.args.build_timeout, self.rnd.random() < 0.1)
                ] = (origin, raw)
                if len(futures) >= self.args.build_jobs * 2:
                    break
            while futures:
                done, _ = concurrent.futures.wait(futures, return_when="FIRST_COMPLETED")
                for fut in done:
                    origin, raw = futures.pop(fut)
                    self.record(self.build_stats, origin, raw, fut.result(), "build")
                    if self.build_stats.inputs % 25 == 0:
                        b = self.build_stats
                        print(
                            f"[seed {self.args.seed}] builds: {b.inputs} done, {b.valid} ok, "
                            f"{b.errors} refused, {b.crashes} crashes, {b.hangs} timeouts",
                            flush=True,
                        )
                    if time.monotonic() < deadline:
                        nxt = next(it, None)
                        if nxt:
                            futures[
                                ex.submit(
                                    build_one,
                                    nxt[1],
                                    self.args.build_timeout,
                                    self.rnd.random() < 0.1,
                                )
                            ] = nxt
        self.build_elapsed = time.monotonic() - self.build_started

    # -- shrinking one reproducer per signature
    def minimize(self) -> None:
        if not self.save:
            return
        for sig, (origin, raw) in self.first_crash.items():
            if sig.startswith("build") or sig.startswith("hang"):
                continue
            lines = raw.split(b"\n")
            chunk = max(1, len(lines) // 2)
            while chunk >= 1:
                i = 0
                while i < len(lines):
                    trial = lines[:i] + lines[i + chunk :]
                    out = run_one(b"\n".join(trial), self.tmp, self.args.hang)
                    if out.signature == sig:
                        lines = trial
                    else:
                        i += chunk
                chunk //= 2
            digest = hashlib.sha1(sig.encode()).hexdigest()[:8]
            (self.save / f"min-{digest}-s{self.args.seed}.yaml").write_bytes(b"\n".join(lines))
            (self.save / f"min-{digest}-s{self.args.seed}.txt").write_text(
                f"signature: {sig}\norigin: {origin}\n", encoding="utf-8"
            )

    def report(self) -> None:
        s = self.stats
        print(
            f"\nload+validate: {s.inputs} inputs in {self.elapsed:.0f} s "
            f"({s.inputs / max(self.elapsed, 1e-9):.0f}/s): {s.valid} valid, {s.errors} errors "
            f"(BriefError), {s.crashes} crashes, {s.hangs} hangs; slowest input "
            f"{s.slowest[0]:.2f} s ({s.slowest[1]})"
        )
        for origin, (v, e, c, h) in sorted(s.by_origin.items()):
            print(f"  {origin:10} valid {v:7}  errors {e:7}  crashes {c:5}  hangs {h:5}")
        b = self.build_stats
        if b.inputs:
            print(
                f"whole builds: {b.inputs} in {self.build_elapsed:.0f} s "
                f"({b.inputs / max(self.build_elapsed, 1e-9):.2f}/s): {b.valid} ok, "
                f"{b.errors} refused by the build, {b.crashes} crashes, {b.hangs} timeouts; "
                f"slowest {b.slowest[0]:.1f} s"
            )
        for stats in (s, b):
            for sig, count in sorted(stats.signatures.items(), key=lambda kv: -kv[1]):
                print(f"  {count:6} x {sig}")
        if self.save and self.saved:
            print(f"reproducers in {self.save}")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--inputs", type=int, default=10_000, help="load+validate inputs to run")
    p.add_argument("--build", type=int, default=0, help="valid inputs to build with the CLI")
    p.add_argument("--seconds", type=float, default=0, help="stop load+validate after S s")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--save", default=None, help="folder for crash/hang reproducers")
    p.add_argument("--hang", type=float, default=5.0, help="seconds before an input is a hang")
    p.add_argument("--keep", type=int, default=20, help="reproducers kept per signature")
    p.add_argument(
        "--schema-share",
        type=float,
        default=0.3,
        help="share of batches drawn from the JSON Schema (the rest: mutations)",
    )
    p.add_argument(
        "--example-share",
        type=float,
        default=0.05,
        help="share of mutations made from the (slow, large) example",
    )
    p.add_argument("--build-jobs", type=int, default=2)
    p.add_argument("--build-timeout", type=float, default=120)
    p.add_argument(
        "--build-seconds",
        type=float,
        default=2400,
        help="start no new build after this many seconds",
    )
    p.add_argument("--minimize", action="store_true", help="shrink one reproducer per crash")
    p.add_argument("--report", type=int, default=5000, help="progress line every N inputs")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    fuzzer = Fuzzer(args)
    fuzzer.run()
    fuzzer.builds()
    if args.minimize:
        fuzzer.minimize()
    fuzzer.report()
    s, b = fuzzer.stats, fuzzer.build_stats
    return 1 if s.crashes or s.hangs or b.crashes or b.hangs else 0


if __name__ == "__main__":
    sys.exit(main())

"""Fuzz the trip-file front end: anything but BriefError from load/validate is a crash.

    python bench/fuzz.py --inputs 100000 --build 500 --seconds S --seed K --save DIR

Inputs come from two generators, mixed:
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
import datetime as dt
import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from briefgen.errors import BriefError  # noqa: E402
from briefgen.load import load, load_text  # noqa: E402
from briefgen.model import json_schema  # noqa: E402
from briefgen.validate import validate  # noqa: E402

EXAMPLE = ROOT / "briefs" / "beijing-2023.yaml"
MINIMAL = ROOT / "tests" / "corpus" / "good" / "minimal.yaml"
BAD = sorted((ROOT / "tests" / "corpus" / "bad").glob("*.yaml"))

# ------------------------------------------------------------------------- strings

MARKDOWN = "*_`[]()#>!-+|\\<&;:{}\"' \n\t~=^$%@?,.aZ9é中"
NASTY = [
    "",
    " ",
    "\t",
    "\n",
    "null",
    "~",
    "yes",
    "no",
    "on",
    "true",
    "0",
    "-1",
    "1e999",
    ".nan",
    "2023-02-30",
    "2023-06-18T10:00",
    "24:00",
    "7:5",
    "CST",
    "Asia/Beijing",
    "UTC",
    "x-y",
    "<script>alert(1)</script>",
    "{{ 7*7 }}",
    "{% raw %}",
    "{# c #}",
    "${HOME}",
    "%s%n",
    "[a](javascript:alert(1))",
    "![i](file:///etc/passwd)",
    "<img src=x onerror=1>",
    "&amp;",
    "**",
    "***a***",
    "`",
    "``a``",
    "[a](",
    "](",
    "\\",
    "\u202e\u202d",
    "\u200b",
    "\ufeff",
    "\u0301",
    "a\u0000b",
    "\x1b[31m",
    "\ud800",
    "\U0001f600" * 3,
    "ﷺ",
    "\u0627\u0644",
    "𝔘",
    "a" * 300,
    "a " * 300,
    "-" * 80,
    "#" * 6 + " h",
    "> q",
    "1. x",
    "- x",
    "| a | b |",
    "http://" + "a" * 200 + ".com",
    "mailto:a@b",
    "\r\n",
    "\u2028",
    "\u0085",
]
IANA = [
    "Asia/Shanghai",
    "Europe/London",
    "America/New_York",
    "UTC",
    "Asia/Tokyo",
    "Pacific/Chatham",
    "Asia/Kathmandu",
    "America/St_Johns",
    "Pacific/Kiritimati",
    "Etc/GMT+12",
    "Asia/Tehran",
    "Australia/Lord_Howe",
    "Africa/Casablanca",
]


def text_strategy() -> st.SearchStrategy[str]:
    """Text: any unicode (controls and surrogates included), Markdown punctuation, traps."""
    clean = st.text(st.characters(exclude_categories=("Cc", "Cs", "Co", "Cn")), max_size=40)
    markdown = st.text(alphabet=MARKDOWN, max_size=60)
    words = st.lists(
        st.sampled_from(
            [
                *NASTY[:60],
                "word",
                "**b**",
                "*i*",
                "`c`",
                "[l](http://x)",
                "Beijing",
                "中文",
                "مرحبا",
                "—",
                "…",
            ]
        ),
        max_size=8,
    ).map(" ".join)
    return st.one_of(
        clean,
        clean,
        clean,
        markdown,
        markdown,
        words,
        words,
        st.sampled_from(NASTY),
        st.text(max_size=20),
    )


def _noise() -> st.SearchStrategy[Any]:
    """A value of the wrong kind, wherever a field is."""
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=True),
        st.just(10**400),
        st.just([]),
        st.just({}),
        text_strategy(),
        st.lists(st.integers(), max_size=2),
        st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    )


def _date_strings() -> st.SearchStrategy[str]:
    return st.one_of(
        st.dates(dt.date(1850, 1, 1), dt.date(3100, 12, 31)).map(dt.date.isoformat),
        st.dates(dt.date(2023, 6, 14), dt.date(2023, 6, 24)).map(dt.date.isoformat),
        st.from_regex(r"\A\d{4}-\d{2}-\d{2}\Z"),
        text_strategy(),
    )


class SchemaStrategies:
    """Hypothesis strategies derived from the trip file's JSON Schema."""

    def __init__(self, schema: dict | None = None, max_list: int = 3):
        self.schema = schema or json_schema()
        self.defs = self.schema.get("$defs", {})
        self.max_list = max_list
        self._refs: dict[str, st.SearchStrategy] = {}

    def for_node(self, node: dict, name: str = "") -> st.SearchStrategy[Any]:
        if "$ref" in node:
            ref = node["$ref"].split("/")[-1]
            if ref not in self._refs:
                self._refs[ref] = st.deferred(lambda: self.for_node(self.defs[ref], ref))
            return self._refs[ref]
        alts = node.get("anyOf") or node.get("oneOf")
        if alts:
            return st.one_of(*(self.for_node(a, name) for a in alts))
        if "enum" in node:
            return st.one_of(
                st.sampled_from(node["enum"]),
                st.sampled_from(node["enum"]),
                st.sampled_from(node["enum"]),
                _noise(),
            )
        if "const" in node:
            return st.just(node["const"])
        kind = node.get("type")
        if kind == "object" or "properties" in node:
            return self._object(node)
        if kind == "array":
            return st.lists(
                self.for_node(node.get("items", {}), name),
                min_size=node.get("minItems", 0),
                max_size=self.max_list,
            )
        if kind == "string":
            return self._string(node, name)
        if kind == "integer":
            return st.one_of(
                st.integers(min_value=node.get("minimum", 0), max_value=5),
                st.integers(),
                st.just(10**30),
                st.just(-(2**63)),
            )
        if kind == "number":
            return st.floats()
        if kind == "boolean":
            return st.booleans()
        if kind == "null":
            return st.none()
        return _noise()

    def _string(self, node: dict, name: str) -> st.SearchStrategy[str]:
        if node.get("format") == "date":
            return _date_strings()
        if "timezone" in name.lower() or "time zone" in node.get("description", ""):
            return st.one_of(st.sampled_from(IANA), st.sampled_from(IANA), text_strategy())
        if "pattern" in node:
            good = st.from_regex(node["pattern"], fullmatch=True).filter(lambda s: "\n" not in s)
            return st.one_of(good, good, good, text_strategy())
        return text_strategy()

    def _object(self, node: dict) -> st.SearchStrategy[dict]:
        props = node.get("properties", {})
        required = set(node.get("required", []))
        req = {k: self.for_node(v, k) for k, v in props.items() if k in required}
        opt = {k: self.for_node(v, k) for k, v in props.items() if k not in required}
        extra = node.get("additionalProperties")
        if isinstance(extra, dict) and not props:  # e.g. people: {id: Person}
            keys = st.one_of(st.from_regex(r"\A[a-z][a-z0-9-]{0,8}\Z"), text_strategy())
            return st.dictionaries(
                keys,
                self.for_node(extra),
                min_size=node.get("minProperties", 0),
                max_size=self.max_list,
            )
        base = st.fixed_dictionaries(req, optional=opt)
        odd = st.dictionaries(
            st.one_of(
                st.sampled_from(["x-a", "x-", "nope", "text", "id", "<<"]), st.text(max_size=5)
            ),
            _noise(),
            max_size=2,
        )
        return st.one_of(base, base, base, st.tuples(base, odd).map(lambda t: {**t[1], **t[0]}))

    def trip(self) -> st.SearchStrategy[Any]:
        return self.for_node({k: v for k, v in self.schema.items() if k != "$defs"}, "trip")


def harmonise(data: Any, rnd: random.Random) -> Any:
    """Make a generated trip's references and dates agree, so it gets past the easy errors."""
    if not isinstance(data, dict):
        return data
    if rnd.random() < 0.9:
        data["briefgen"] = 1
    people = data.get("people")
    ids = [k for k in people if isinstance(k, str)] if isinstance(people, dict) else []
    trip = data.get("trip") if isinstance(data.get("trip"), dict) else None
    days = [dt.date(2023, 6, 18) + dt.timedelta(days=i) for i in range(rnd.randint(1, 4))]
    if trip is not None:
        if ids:
            trip["principal"] = rnd.choice(ids)
        trip["start"], trip["end"] = days[0].isoformat(), days[-1].isoformat()
        for stop in trip.get("stops") or [] if isinstance(trip.get("stops"), list) else []:
            if isinstance(stop, dict):
                stop.pop("from", None), stop.pop("to", None)
    issue_ids = (
        [i.get("id") for i in data.get("issues") or [] if isinstance(i, dict)]
        if isinstance(data.get("issues"), list)
        else []
    )
    source_ids = (
        [s.get("id") for s in data.get("sources") or [] if isinstance(s, dict)]
        if isinstance(data.get("sources"), list)
        else []
    )
    for event in data.get("agenda") or [] if isinstance(data.get("agenda"), list) else []:
        if not isinstance(event, dict):
            continue
        event["date"] = rnd.choice(days).isoformat()
        if ids:
            event["participants"] = rnd.sample(ids, rnd.randint(0, len(ids)))
        points = event.get("talking_points")
        if isinstance(points, list):
            for j, p in enumerate(points):
                if isinstance(p, dict) and "issue" in p:
                    points[j] = {"issue": rnd.choice(issue_ids)} if issue_ids else "point"

    def fix_sources(node: Any) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "sources" and node is not data:
                    node[k] = rnd.sample(source_ids, min(len(source_ids), 2)) if source_ids else []
                else:
                    fix_sources(v)
        elif isinstance(node, list):
            for v in node:
                fix_sources(v)

    fix_sources(data)
    markings = data.get("markings")
    if isinstance(markings, dict) and rnd.random() < 0.7:
        markings.update(system="us", default="U")
        markings.pop("banner", None), markings.pop("authority", None)

        def drop_marks(node: Any) -> None:
            if isinstance(node, dict):
                node.pop("mark", None)
                for v in node.values():
                    drop_marks(v)
            elif isinstance(node, list):
                for v in node:
                    drop_marks(v)

        drop_marks(data)
    for person in people.values() if isinstance(people, dict) else []:
        if isinstance(person, dict):
            person.pop("photo", None)
    return data


def to_yaml(data: Any, rnd: random.Random) -> str:
    """Serialise generated data: block or flow YAML, or JSON (which YAML 1.2 reads)."""
    style = rnd.random()
    try:
        if style < 0.15:
            return json.dumps(data, ensure_ascii=rnd.random() < 0.5, default=str)
        return yaml.safe_dump(
            data,
            allow_unicode=rnd.random() < 0.7,
            sort_keys=False,
            default_flow_style=style < 0.3,
            width=rnd.choice([80, 10**6]),
        )
    except (yaml.YAMLError, ValueError, TypeError, RecursionError):
        return json.dumps(data, default=str)


def trip_texts(schema: dict | None = None) -> st.SearchStrategy[str]:
    """YAML texts of trips drawn from the schema (most made internally consistent)."""
    trips = SchemaStrategies(schema).trip()
    return st.tuples(trips, st.randoms(use_true_random=False), st.integers(0, 9)).map(
        lambda t: to_yaml(harmonise(t[0], t[1]) if t[2] < 7 else t[0], t[1])
    )


# ------------------------------------------------------------------------- mutations

PUNCT = [
    *list(":{}[],&*!|>'\"#-?"),
    ": ",
    " #",
    "- ",
    "&a ",
    "*a",
    "!!str ",
    "!!binary ",
    "<<: ",
    "? ",
    "--- ",
    "...",
    "%YAML 1.1\n",
    "\t",
    "\\",
]
REPLACEMENTS = [
    "[a, b]",
    "{x: 1}",
    "{}",
    "[]",
    "",
    "~",
    "null",
    "99999999999999999999999999",
    "1e999",
    "-1e999",
    ".nan",
    ".inf",
    "-0",
    "0x1F",
    "0o17",
    "true",
    "- a\n- b",
    "|\n  a\n  b",
    ">-\n  folded",
    "*undefined",
    "&anchor v",
    "!!int '1'",
    "!!python/name:os.system",
    '"\\x1b"',
    '"\\ud800"',
    "'2023-02-29'",
    "2023-06-18",
    '"12:60"',
    "a" * 5000,
    "[" * 50 + "]" * 50,
    "{a: " * 30 + "1" + "}" * 30,
    '"' + "\\u00e9" * 200 + '"',
    "!!map {a: 1}",
    "!!seq [1]",
    "!!str",
    "!!null ''",
    "<<: *a",
    "? [a]\n: b",
]
KEY_LINE = r"^(\s*(?:- )?)([A-Za-z_][\w-]*):(\s+)(\S.*)$"


def _seed_files() -> list[tuple[str, bytes]]:
    files = [(p.name, p.read_bytes()) for p in [MINIMAL, *BAD]]
    return files


def mutate(raw: bytes, rnd: random.Random, rounds: int | None = None) -> bytes:
    """Apply 1-4 random mutations to a trip file's bytes."""
    import re

    data = raw
    for _ in range(rounds or rnd.choice([1, 1, 2, 2, 3, 4])):
        op = rnd.randrange(11)
        if op == 0 and data:  # byte flips
            b = bytearray(data)
            for _ in range(rnd.randint(1, 4)):
                i = rnd.randrange(len(b))
                b[i] = rnd.choice([b[i] ^ (1 << rnd.randrange(8)), rnd.randrange(256)])
            data = bytes(b)
            continue
        text = data.decode("utf-8", "surrogateescape")
        lines = text.split("\n")
        i = rnd.randrange(len(lines))
        if op == 1 and len(lines) > 1:  # delete lines
            del lines[i : i + rnd.choice([1, 1, 2, 5])]
        elif op == 2:  # duplicate lines
            n = rnd.choice([1, 1, 3])
            lines[i:i] = lines[i : i + n]
        elif op == 3:  # indentation
            delta = rnd.choice([-4, -2, -1, 1, 2, 4])
            for j in range(i, min(len(lines), i + rnd.choice([1, 1, 3]))):
                lines[j] = (
                    " " * delta + lines[j]
                    if delta > 0
                    else lines[j][-delta:]
                    if lines[j][:-delta].isspace()
                    else lines[j]
                )
        elif op in (4, 5):  # punctuation token
            line = lines[i]
            k = rnd.randrange(len(line) + 1)
            lines[i] = line[:k] + rnd.choice(PUNCT) + line[k:]
        elif op == 6:  # swap values between two keys
            keyed = [j for j, line in enumerate(lines) if re.match(KEY_LINE, line)]
            if len(keyed) >= 2:
                a, b = rnd.sample(keyed, 2)
                ma, mb = re.match(KEY_LINE, lines[a]), re.match(KEY_LINE, lines[b])
                lines[a] = ma[1] + ma[2] + ":" + ma[3] + mb[4]
                lines[b] = mb[1] + mb[2] + ":" + mb[3] + ma[4]
        elif op in (7, 8):  # replace a scalar value
            keyed = [j for j, line in enumerate(lines) if re.match(KEY_LINE, line)]
            if keyed:
                j = rnd.choice(keyed)
                m = re.match(KEY_LINE, lines[j])
                new = rnd.choice(REPLACEMENTS)
                pad = " " * (len(m[1]) + 2)
                new = new.replace("\n", "\n" + pad)
                lines[j] = m[1] + m[2] + ":" + (" " + new if new else "")
        elif op == 9:  # move a line elsewhere
            line = lines.pop(i)
            lines.insert(rnd.randrange(len(lines) + 1), line)
        else:  # a nasty string in place of a word
            line = lines[i]
            words = line.split(" ")
            w = rnd.randrange(len(words))
            words[w] = rnd.choice(NASTY)
            lines[i] = " ".join(words)
        data = _encode("\n".join(lines))
    return data


def _encode(text: str) -> bytes:
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a lone surrogate from NASTY: keep it, as invalid UTF-8
        return text.encode("utf-8", "surrogatepass")


# ------------------------------------------------------------------------- running one input


class Hang(BaseException):
    """Raised by SIGALRM when one input runs past the limit."""


def _alarm(signum, frame):
    raise Hang()


@dataclass
class Outcome:
    kind: str  # valid | error | crash | hang
    detail: str = ""
    signature: str = ""
    seconds: float = 0.0


def signature(exc: BaseException) -> str:
    """Exception type plus the innermost briefgen frame (or the innermost frame)."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "briefgen" in f.filename] or frames[-1:]
    where = f"{Path(ours[-1].filename).name}:{ours[-1].lineno}:{ours[-1].name}" if ours else "?"
    return f"{type(exc).__name__}@{where}"


def run_one(raw: bytes, folder: Path, hang_seconds: float = 5.0) -> Outcome:
    """load(+decode) and validate one input; classify the result. Needs the main thread."""
    trip = folder / "trip.yaml"
    start = time.perf_counter()
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, hang_seconds)
    try:
        try:
            text = raw.decode("utf-8")
            loaded = load_text(text, str(trip), trip)
        except UnicodeDecodeError:
            trip.write_bytes(raw)
            loaded = load(trip)
        validate(loaded)
        out = Outcome("valid")
    except BriefError as exc:
        out = Outcome("error", detail=str(exc)[:200])
    except Hang:
        out = Outcome(
            "hang", detail=f"> {hang_seconds} s\n" + traceback.format_exc(), signature="hang"
        )
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:
        out = Outcome("crash", detail=traceback.format_exc(), signature=signature(exc))
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    out.seconds = time.perf_counter() - start
    if out.kind == "hang":  # say where it was stuck: the traceback's innermost briefgen frame
        lines = [ln for ln in out.detail.splitlines() if "briefgen" in ln and "File" in ln]
        out.signature = "hang@" + (lines[-1].split(", ")[-1].strip() if lines else "?")
    return out


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
        self.seeds = _seed_files()
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

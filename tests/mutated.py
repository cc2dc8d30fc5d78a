"""Mutations of real trip files, for fuzzing: byte flips, line deletion/duplication,
indentation changes, YAML punctuation inserted, values swapped between keys, scalars replaced
by lists, maps, huge numbers or nothing. And one input through the front end (load +
validate) under a watchdog, classified. Used by tests/test_fuzz.py and bench/fuzz.py.
"""

from __future__ import annotations

import random
import re
import signal
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from briefgen.errors import BriefError
from briefgen.load import load, load_text
from briefgen.validate import validate
from drawn import NASTY

CORPUS = Path(__file__).resolve().parent / "corpus"
# The bad corpus's red-team payloads (hundreds of KB each, tests/corpus/bad/87-95) are no seeds.
SEED_FILES = [
    CORPUS / "good" / "minimal.yaml",
    *sorted(p for p in (CORPUS / "bad").glob("*.yaml") if p.stat().st_size < 64_000),
]

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


def seed_files() -> list[tuple[str, bytes]]:
    """(name, bytes) of the files mutations start from: the minimal trip and every bad one."""
    return [(p.name, p.read_bytes()) for p in SEED_FILES]


def mutate(raw: bytes, rnd: random.Random, rounds: int | None = None) -> bytes:
    """Apply 1-4 random mutations to a trip file's bytes."""
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

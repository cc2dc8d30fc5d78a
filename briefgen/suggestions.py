"""Did-you-mean over a set of ids, with bounded work whatever the file holds.

`difflib` over every choice for every unknown word is quadratic: 4,000 unknown participants
among 4,000 people took minutes. A `Suggester` indexes the choices once (by first letter and
length), answers each distinct word once, compares it with at most MAX_CANDIDATES choices
(same first letter first, then the nearest lengths), and stops suggesting after
MAX_COMPARISONS comparisons in all: a file with a few typos gets every suggestion, a flood of
unknown ids gets its first ones and plain errors for the rest. Reusable for any ids (people,
issues, sources, library ids): build one per set of choices and call `hint`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

CUTOFF = 0.6  # difflib's similarity a suggestion needs
MAX_CANDIDATES = 1_000  # choices one word is compared with
MAX_COMPARISONS = 20_000  # comparisons one Suggester makes in all (~1 s at worst)


def _normal(word: str) -> str:
    return re.sub(r"[\s_]+", "-", word.strip().lower())


class Suggester:
    def __init__(self, choices: Iterable[str]):
        self.by_normal: dict[str, str] = {}
        self.index: dict[str, dict[int, list[str]]] = {}  # first letter -> length -> lowered
        self.original: dict[str, str] = {}
        for choice in choices:
            lowered = choice.lower()
            self.by_normal.setdefault(_normal(choice), choice)
            if lowered not in self.original:
                self.original[lowered] = choice
                self.index.setdefault(lowered[:1], {}).setdefault(len(lowered), []).append(lowered)
        self.answers: dict[str, str | None] = {}
        self.comparisons = 0  # similarity computations made so far (bounded)

    def hint(self, word: str) -> str:
        """` (did you mean 'wang-yi'?)`, or '' when nothing is close (or the budget is spent)."""
        if word not in self.answers:
            self.answers[word] = self._closest(word)
        found = self.answers[word]
        return f" (did you mean '{found}'?)" if found else ""

    def _closest(self, word: str) -> str | None:
        if (same := self.by_normal.get(_normal(word))) is not None:
            return same
        lowered = word.lower()
        matcher = difflib.SequenceMatcher()
        matcher.set_seq2(lowered)
        best, best_score = None, CUTOFF
        for candidate in self._candidates(lowered):
            if self.comparisons >= MAX_COMPARISONS:
                break
            self.comparisons += 1
            matcher.set_seq1(candidate)
            if (
                matcher.real_quick_ratio() >= best_score
                and matcher.quick_ratio() >= best_score
                and (score := matcher.ratio()) >= best_score
                and (score > best_score or best is None)
            ):
                best, best_score = candidate, score
        return self.original[best] if best is not None else None

    def _candidates(self, lowered: str) -> Iterable[str]:
        """Same first letter first, then the others; nearest lengths first; at most
        MAX_CANDIDATES, and only lengths that can reach CUTOFF (2·min/(n+m) ≥ 0.6)."""
        n = len(lowered)
        shortest, longest = (3 * n + 6) // 7, (7 * n) // 3
        lengths = sorted(range(shortest, longest + 1), key=lambda m: abs(m - n))
        first = lowered[:1]
        groups = [self.index.get(first, {})]
        groups += [group for letter, group in self.index.items() if letter != first]
        given = 0
        for group in groups:
            for m in lengths:
                for candidate in group.get(m, ()):
                    if given >= MAX_CANDIDATES:
                        return
                    given += 1
                    yield candidate

"""Classification and handling markings: levels per system, portion marks with their
controls, and the one roll-up that gives every product its banner from what it prints.

Pure functions of the markings block and the marks found; used by the rules (which marks
are allowed), `validate` (the file's marking), the renderer (each product's marking from
the portions it printed), editions and `check`. The rules are the contract's ("Format 1
additions, turn 3": portion controls, roll-up, CUI).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from briefgen.countries import ALPHA3, ALPHA3_OF

# Levels per system, lowest first: (portion mark, banner words).
LEVELS: dict[str, list[tuple[str, str]]] = {
    "us": [
        ("U", "UNCLASSIFIED"),
        ("SBU", "SENSITIVE BUT UNCLASSIFIED"),
        ("CUI", "CUI"),
        ("C", "CONFIDENTIAL"),
        ("S", "SECRET"),
        ("TS", "TOP SECRET"),
    ],
    "uk": [("O", "OFFICIAL"), ("OS", "OFFICIAL-SENSITIVE"), ("S", "SECRET"), ("TS", "TOP SECRET")],
    "plain": [],
}
CLASSIFIED = "C"  # us: this level and above are classified (authority block, REL TO)
NOFORN_FORMS = ("NF", "NOFORN")


class MarkError(ValueError):
    """A portion mark or control that is not well formed (the message says why)."""


def marks_of(system: str) -> list[str]:
    return [mark for mark, _ in LEVELS[system]]


def rank(system: str, mark: str) -> int:
    return marks_of(system).index(level_of(mark))


def level_of(mark: str) -> str:
    """`C//NF` -> `C`."""
    return mark.split("//", 1)[0].strip()


def classified(system: str | None, level: str | None) -> bool:
    return system == "us" and level is not None and rank("us", level) >= rank("us", CLASSIFIED)


@dataclass(frozen=True)
class PortionMark:
    """One portion's mark: its level, NOFORN, or the countries it may be released to (USA
    first, then alphabetical); `rel_to` None: no REL TO."""

    level: str
    noforn: bool = False
    rel_to: tuple[str, ...] | None = None

    def __str__(self) -> str:
        """The portion form: `C`, `C//NF`, `C//REL TO USA, LTU`."""
        if self.noforn:
            return f"{self.level}//NF"
        if self.rel_to:
            return f"{self.level}//REL TO {', '.join(self.rel_to)}"
        return self.level


def _rel_order(codes: Iterable[str]) -> tuple[str, ...]:
    rest = sorted(set(codes) - {"USA"})
    return ("USA", *rest)


def parse_controls(text: str) -> tuple[bool, tuple[str, ...] | None]:
    """`NF`, `NOFORN` or `REL TO USA, XXX[, YYY]` -> (noforn, rel_to). MarkError says what is
    wrong: an unknown control, REL TO without USA, a code that is not ISO 3166 alpha-3
    (with the alpha-3 of an alpha-2 code: `LT` -> `LTU`)."""
    control = " ".join(text.strip().upper().split())
    if control in NOFORN_FORMS:
        return True, None
    if not control.startswith("REL TO"):
        raise MarkError(
            f"unknown control '{text.strip()}': the controls are NF (NOFORN) or "
            "REL TO USA, XXX (ISO 3166 alpha-3 codes)"
        )
    codes = [c.strip() for c in control[len("REL TO") :].split(",") if c.strip()]
    for code in codes:
        if code in ALPHA3:
            continue
        hint = f" (did you mean {ALPHA3_OF[code]}?)" if code in ALPHA3_OF else ""
        raise MarkError(f"'{code}' in REL TO is not an ISO 3166 alpha-3 country code{hint}")
    if "USA" not in codes:
        raise MarkError(f"'{text.strip()}': a REL TO list starts with USA (REL TO USA, ...)")
    if len(set(codes)) < 2:
        raise MarkError("REL TO USA alone releases to no one: write NF (NOFORN) instead")
    return False, _rel_order(codes)


def parse_mark(system: str, text: str) -> PortionMark:
    """A portion mark of `system` (`C`, `C//NF`, `S//REL TO USA, GBR`), or MarkError."""
    head, sep, tail = text.partition("//")
    level = head.strip()
    levels = marks_of(system)
    if level not in levels:
        choices = ", ".join(levels) if levels else "no levels; remove the mark"
        raise MarkError(f"'{text}' is not a mark of the {system} system ({choices})")
    if not sep:
        return PortionMark(level)
    if system != "us":
        raise MarkError(f"'{text}': portion controls (//NF, //REL TO) belong to the us system")
    noforn, rel_to = parse_controls(tail)
    if rel_to and not classified(system, level):
        raise MarkError(
            f"'{text}': REL TO applies to classified portions (C, S, TS), not {level}; "
            "an unclassified portion is releasable unless marked NF"
        )
    return PortionMark(level, noforn, rel_to)


def file_controls(system: str, controls: Iterable[str]) -> PortionMark | None:
    """`markings.controls` (us) as the controls every classified portion without its own
    takes (the level is a placeholder), or None. MarkError for a control not understood."""
    noforn, rel = False, list[tuple[str, ...]]()
    for control in controls:
        nf, rel_to = parse_controls(control)
        noforn = noforn or nf
        if rel_to:
            rel.append(rel_to)
    shared = _shared(rel) if rel else None
    if noforn or shared == ("USA",):  # lists that share no country but USA: NOFORN
        return PortionMark(CLASSIFIED, True)
    if shared:
        return PortionMark(CLASSIFIED, False, shared)
    return None


def _shared(lists: list[tuple[str, ...]]) -> tuple[str, ...]:
    common = set(lists[0]).intersection(*lists[1:])
    return _rel_order(common)


@dataclass(frozen=True)
class Marking:
    """A product's marking, from the portions it prints: the banner, how each portion mark
    prints, and what its first page carries (authority block, CUI designation indicator)."""

    system: str | None = None
    overall: str | None = None  # the highest printed level
    default: str | None = None  # the mark of a Text that has none
    banner: str | None = None
    portion_marks: bool = False
    authority: bool = False  # C and above: the authority block on the first page
    cui: bool = False  # prints a CUI portion: the designation indicator on the first page
    controls: tuple[str, ...] = ()  # us: markings.controls, for classified portions without own

    def effective(self, mark: str | None) -> PortionMark:
        """What a portion marked `mark` (None: unmarked) is: its level and controls."""
        system = self.system or "plain"
        text = mark or self.default
        if system == "plain" or not text:
            return PortionMark("")
        try:
            own = parse_mark(system, text)
        except MarkError:  # validation refused it already; never print less than given
            return PortionMark(level_of(text))
        if own.noforn or own.rel_to or not classified(system, own.level):
            return own
        inherited = file_controls(system, self.controls) if system == "us" else None
        if inherited is None:
            return own
        return PortionMark(own.level, inherited.noforn, inherited.rel_to)

    def portion(self, mark: str | None) -> str | None:
        """The `(C//NF)` prefix for a portion, or None when portions are not marked."""
        if not self.portion_marks:
            return None
        return f"({self.effective(mark)})"

    def joined(self, marks: Iterable[str | None]) -> str | None:
        """One mark for a portion made of others (a day's timeline drawing several event
        titles): the highest level and the controls the roll-up gives them together."""
        levels = marks_of(self.system) if self.system in LEVELS else []
        known = [p for p in map(self.effective, marks) if p.level in levels]
        if not known:
            return self.default
        top = max((p.level for p in known), key=levels.index)
        controls = _rolled_controls(known) if self.system == "us" else []
        return f"{top}//{'NF' if controls == ['NOFORN'] else controls[0]}" if controls else top


def rollup(block, printed: Iterable[str | None]) -> Marking:
    """THE roll-up: the marking of a product from the marks of the portions it prints
    (None: an unmarked portion, which carries `markings.default`). `block` is the trip's
    `markings` (or None). The level is the highest printed; then NOFORN if any printed
    portion carries NF; else, if every printed classified portion carries REL TO, REL TO
    the countries all share (USA first; USA alone is NOFORN: see `_rolled_controls`); else
    no control. A product that prints nothing is at the lowest level (or the default's,
    when nothing is marked)."""
    if block is None:
        return Marking()
    system = block.system
    levels = marks_of(system)
    default = block.default or next(iter(levels), None)
    base = Marking(system, None, default, None, False, False, False, tuple(block.controls or ()))
    if system == "plain" or not levels:
        return Marking(
            system, None, None, _with_controls(block.banner, block.controls), False, False
        )
    marks = list(printed) or [None]
    portions = [base.effective(m) for m in marks]
    known = [p for p in portions if p.level in levels] or [PortionMark(levels[0])]
    top = max((p.level for p in known), key=levels.index)
    words = dict(LEVELS[system])[top]
    if system == "uk":
        banner = _with_controls(words, block.controls)
        return Marking(system, top, default, banner, False, False, False, base.controls)
    controls = _rolled_controls(known)
    cui = any(p.level == "CUI" for p in known)
    extra = list(controls)
    dissemination = getattr(getattr(block, "cui", None), "dissemination", None)
    if top == "CUI" and dissemination and dissemination.upper() not in extra:
        extra.append(dissemination.upper())
    banner = words + (f"//{'/'.join(extra)}" if extra else "")
    return Marking(
        system,
        top,
        default,
        banner,
        portion_marks=rank(system, top) > 0 or bool(controls),
        authority=classified(system, top),
        cui=cui,
        controls=base.controls,
    )


def _rolled_controls(portions: list[PortionMark]) -> list[str]:
    """NOFORN, REL TO the shared countries, or nothing. Classified portions whose REL TO
    lists share no country but USA are releasable to no foreign country together: the
    banner says NOFORN, never `REL TO USA` (a marking that releases to no one, which
    `parse_controls` refuses in a portion for that reason). The contract's roll-up ("REL TO
    the countries all of them share") presumes a country to share; its "NOFORN only where
    a printed portion carries NF" is said of products that print no classified portion,
    which this never touches. US practice agrees (CAPCO / DoDM 5200.01 Vol. 2: a banner's
    REL TO lists only the countries common to every portion; none in common is NOFORN)."""
    if any(p.noforn for p in portions):
        return ["NOFORN"]
    secret = [p for p in portions if classified("us", p.level)]
    if secret and all(p.rel_to for p in secret):
        shared = _shared([p.rel_to or () for p in secret])
        return ["NOFORN"] if shared == ("USA",) else [f"REL TO {', '.join(shared)}"]
    return []


def _with_controls(words: str | None, controls: Iterable[str] | None) -> str | None:
    controls = [c.strip().upper() for c in controls or ()]
    if words and controls:
        return f"{words}//{'/'.join(controls)}"
    return words


def overall_level(system: str, default: object, marks: Iterable[object]) -> str | None:
    """The highest level of the default (every unmarked Text has it) and every mark given
    (marks that are not of the system are skipped: the rules report them)."""
    levels = marks_of(system)
    if not levels:
        return None
    given = [m for m in (*marks, default) if isinstance(m, str)]  # raw data may be anything
    found = [level_of(m) for m in given if level_of(m) in levels] or [levels[0]]
    return max(found, key=levels.index)

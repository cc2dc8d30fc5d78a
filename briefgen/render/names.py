"""Names as printed: the monogram of a photo placeholder."""

from __future__ import annotations

import re

HONORIFICS = frozenset(
    w.lower()
    for w in (
        "Hon.",
        "Hon",
        "H.E.",
        "HE",
        "Dr.",
        "Dr",
        "Amb.",
        "Amb",
        "Mr.",
        "Mr",
        "Mrs.",
        "Mrs",
        "Ms.",
        "Ms",
        "Miss",
        "Mx.",
        "Prof.",
        "Prof",
        "Sir",
        "Dame",
        "Lord",
        "Lady",
        "Rev.",
        "Rt.",
        "Gen.",
        "Col.",
        "Adm.",
        "Sen.",
        "Rep.",
        "Gov.",
        "Pres.",
        "Sheikh",
        "Sheikha",
        "Ato",
        "Wzo.",
        "Wzo",
        "W/ro",
        "W/ro.",
        "Weizero",
        "Shri",
        "Smt.",
        "Sri",
        "Herr",
        "Frau",
        "Mme",
        "Mme.",
        "Datuk",
        "Prince",
        "Princess",
        "Sayyid",
        "Sayyida",
        "Emir",
        "Sultan",
        "King",
        "Queen",
        "Crown",
    )
)
FAMILY_NAME_FIRST = ("zh", "ja", "ko", "vi", "hu")  # `lang` of names written family name first
_PARTICLE = re.compile(r"^(?:al|el|ad|as|at|an|ar|ash)-(?=\w)", re.IGNORECASE)


def initials(name: str, lang: str | None = None) -> str:
    """A photo placeholder's monogram: given name, then family name (`FF` for Prince Faisal
    bin Farhan, `MK` for Dr. Mohammed Al-Khulaifi, `JX` for Xi Jinping), honorifics and
    Arabic article prefixes aside."""
    words = [w for w in name.split() if w.lower() not in HONORIFICS] or name.split()
    words = [_PARTICLE.sub("", w) or w for w in words]
    capitalised = [w for w in words if w[:1].isupper()] or words
    first, last = capitalised[:1], capitalised[1:][-1:]
    if (lang or "").split("-")[0].lower() in FAMILY_NAME_FIRST and last:
        first, last = last, first
    return "".join(w[0] for w in first + last)

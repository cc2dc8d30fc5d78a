"""Bring the message catalogues up to date with the words briefgen prints.

    python scripts/catalogues.py          # add new msgids to every .po (empty msgstr), drop unused
    python scripts/catalogues.py --check  # exit 1 when a catalogue lacks a msgid or a msgstr

The msgids are extracted with Babel from the built-in templates (`_()`, `gettext()`,
`ngettext()`, `{% trans %}`) and from the package (`_()`, `ngettext()`, `N_()`); the
catalogues are `briefgen/catalogues/LANG.po`, read at run time by briefgen.language.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = ROOT / "briefgen" / "catalogues"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
JINJA = {"trim_blocks": "true", "lstrip_blocks": "true", "extensions": "jinja2.ext.i18n"}


def extracted() -> Catalog:
    """Every message briefgen prints in a book, from the templates and the package."""
    template = Catalog(project="briefgen", domain="briefgen")
    sources = [
        (ROOT / "templates", [("**.j2", "jinja2.ext:babel_extract")], {"**.j2": JINJA}),
        (ROOT / "briefgen", [("**.py", "python")], {}),
    ]
    for folder, method_map, options_map in sources:
        for filename, lineno, message, comments, context in extract_from_dir(
            str(folder), method_map, options_map, keywords=KEYWORDS
        ):
            template.add(
                message,
                locations=[(f"{folder.name}/{filename}", lineno)],
                auto_comments=comments,
                context=context,
            )
    return template


def languages() -> list[str]:
    return sorted(p.stem for p in CATALOGUES.glob("*.po"))


def missing(language: str, template: Catalog) -> list[str]:
    """The msgids the catalogue of `language` lacks or leaves untranslated."""
    with (CATALOGUES / f"{language}.po").open("rb") as fh:
        catalog = read_po(fh, locale=language)
    out = []
    for message in template:
        if not message.id:
            continue
        found = catalog.get(message.id)
        strings = found.string if found else None
        if not found or not (all(strings) if isinstance(strings, tuple) else strings):
            out.append(str(message.id))
    return out


def update(template: Catalog) -> None:
    for language in languages():
        path = CATALOGUES / f"{language}.po"
        with path.open("rb") as fh:
            catalog = read_po(fh, locale=language)
        catalog.update(template, no_fuzzy_matching=True)
        with path.open("wb") as fh:
            write_po(fh, catalog, width=100, omit_header=False, ignore_obsolete=True)


def main(argv: list[str]) -> int:
    template = extracted()
    if "--check" in argv:
        gaps = {lang: found for lang in languages() if (found := missing(lang, template))}
        for language, ids in gaps.items():
            print(f"{language}.po lacks: {', '.join(map(repr, ids))}")
        return 1 if gaps else 0
    update(template)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

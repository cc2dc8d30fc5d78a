"""`briefgen doctor`: is this machine able to build the books? Each check says the fix."""

from __future__ import annotations

from briefgen import pdf
from briefgen.pdf.fonts import font_config

# (script, sample text, lang, package, needed by the example)
SCRIPTS = [
    ("Chinese", "秦刚 王毅 习近平", "zh-Hans", "fonts-noto-cjk", True),
    ("Japanese", "林芳正 ひらがな カタカナ", "ja", "fonts-noto-cjk", False),
    ("Korean", "김민준 한국어", "ko", "fonts-noto-cjk", False),
    ("Arabic", "فيصل بن فرحان", "ar", "fonts-noto-core", False),
    ("pinyin tone marks", "Xí Jìnpíng Wáng Yì Huà Chūnyíng", "en", "fonts-noto-core", True),
    ("Ethiopic (Amharic)", "ዳዊት በቀለ ዐቢይ አሕመድ", "am", "fonts-noto-core", False),
    ("Devanagari", "नरेन्द्र मोदी सुब्रह्मण्यम जयशंकर", "hi", "fonts-noto-core", False),
    ("Thai", "เศรษฐา ทวีสิน", "th", "fonts-noto-core", False),
    ("Hebrew", "בנימין נתניהו", "he", "fonts-noto-core", False),
    ("Cyrillic", "Сергей Лавров Володимир Зеленський", "ru", "fonts-noto-core", False),
    ("Greek", "Κυριάκος Μητσοτάκης", "el", "fonts-noto-core", False),
]


def _missing_glyphs(text: str, lang: str) -> list[str]:
    with pdf.weasyprint_log() as messages:
        pdf.weasyprint.HTML(string=f'<p lang="{lang}">{text}</p>').write_pdf(
            font_config=font_config()
        )
    return [m for m in messages if ".notdef glyph" in m]


def diagnose() -> list[tuple[bool, bool, str]]:
    """(passed, needed for the example, what was checked and the fix)."""
    from weasyprint.text.ffi import pango

    results = [
        (
            True,
            True,
            f"WeasyPrint {pdf.weasyprint.__version__}, Pango "
            f"{pango.pango_version() // 10000}.{pango.pango_version() // 100 % 100}."
            f"{pango.pango_version() % 100}",
        )
    ]
    try:
        from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

        subset = harfbuzz_subset is not None and harfbuzz.hb_version_atleast(4, 1, 0)
    except Exception:  # internal API: treat any surprise as "not available"
        subset = False
    results.append(
        (
            subset,
            True,
            "HarfBuzz subsetting "
            + (
                "available (fast, byte-identical builds)"
                if subset
                else "missing: fix with `sudo apt-get install libharfbuzz-subset0`"
            ),
        )
    )
    for script, sample, lang, package, needed in SCRIPTS:
        missing = _missing_glyphs(sample, lang)
        results.append(
            (
                not missing,
                needed,
                f"{script} fonts "
                + (
                    "installed"
                    if not missing
                    else f"missing ({len(missing)} characters print as boxes): fix with "
                    f"`sudo apt-get install {package}`"
                ),
            )
        )
    return results

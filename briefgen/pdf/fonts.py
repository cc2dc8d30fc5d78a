"""Fonts: one font configuration per process, and text that no installed font can draw
(tofu) named with the package to install. Shared by the build and `doctor`."""

from __future__ import annotations

import re

from weasyprint.text.fonts import FontConfiguration

FONT_HINTS = [
    (re.compile(r"[\u3040-\u30ff]"), "Japanese", "fonts-noto-cjk"),
    (re.compile(r"[\uac00-\ud7af\u1100-\u11ff]"), "Korean", "fonts-noto-cjk"),
    (re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]"), "Chinese", "fonts-noto-cjk"),
    (
        re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]"),
        "Arabic",
        "fonts-noto-core",
    ),
    (re.compile(r"[\u0590-\u05ff\ufb1d-\ufb4f]"), "Hebrew", "fonts-noto-core"),
    (
        re.compile(r"[\u1200-\u139f\u2d80-\u2ddf\uab00-\uab2f]"),
        "Ethiopic (Amharic)",
        "fonts-noto-core",
    ),
    (re.compile(r"[\u0900-\u097f\ua8e0-\ua8ff]"), "Devanagari", "fonts-noto-core"),
    (re.compile(r"[\u0980-\u0dff]"), "Indic", "fonts-noto-core"),
    (re.compile(r"[\u0e00-\u0e7f]"), "Thai", "fonts-noto-core"),
    (re.compile(r"[\u0400-\u052f\u2de0-\u2dff\ua640-\ua69f]"), "Cyrillic", "fonts-noto-core"),
    (re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]"), "Greek", "fonts-noto-core"),
    (re.compile(r"[\U0001F000-\U0001FAFF\u2600-\u27bf]"), "emoji", "fonts-noto-color-emoji"),
]

_FONT_CONFIG: FontConfiguration | None = None


def font_config() -> FontConfiguration:
    """One per process: each one loads fontconfig afresh."""
    global _FONT_CONFIG
    if _FONT_CONFIG is None:
        _FONT_CONFIG = FontConfiguration()
    return _FONT_CONFIG


def glyph_problem(messages: list[str]) -> str | None:
    """A sentence naming the text no font could draw and the package to install, or None."""
    missing = [m for m in messages if ".notdef glyph rendered" in m]
    if not missing:
        return None
    texts = sorted({m.split('fonts: "', 1)[-1].split('"', 1)[0] for m in missing})
    sample = "".join(texts)
    kinds = [(name, pkg) for rx, name, pkg in FONT_HINTS if rx.search(sample)]
    packages = sorted({pkg for _, pkg in kinds}) or ["fonts-noto-core"]
    scripts = ", ".join(sorted({name for name, _ in kinds})) or "some"
    return (
        f"no installed font has glyphs for {scripts} text: {' '.join(texts[:12])}"
        f"{' …' if len(texts) > 12 else ''} — it would print as empty boxes. "
        f"Install the fonts: sudo apt-get install {' '.join(packages)} "
        "(or pass --allow-missing-glyphs to build anyway)"
    )

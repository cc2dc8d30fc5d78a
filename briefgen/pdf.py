"""Stage 4: HTML -> PDF with WeasyPrint, written atomically.

Only this module imports WeasyPrint (slow to import; `check` and `--help` never pay for it).
Resources are served by a fetcher that allows regular files under the trip's folder and the
template folders, plus `data:` URIs: no network, no other path, no redirects. Missing glyphs
(tofu) fail the build with the text and the font package to install.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from briefgen.errors import BuildError

# fontTools stamps subset fonts with the current time unless this is set; fixed, so the
# same input gives the same bytes even without HarfBuzz subsetting.
os.environ.setdefault("SOURCE_DATE_EPOCH", "0")

import weasyprint  # noqa: E402
from weasyprint.text.fonts import FontConfiguration  # noqa: E402
from weasyprint.urls import FatalURLFetchingError, URLFetcher  # noqa: E402

MAX_ASSET_BYTES = 20 * 1024 * 1024
FONT_HINTS = [
    (re.compile(r"[\u3040-\u30ff]"), "Japanese", "fonts-noto-cjk"),
    (re.compile(r"[\uac00-\ud7af\u1100-\u11ff]"), "Korean", "fonts-noto-cjk"),
    (re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]"), "Chinese", "fonts-noto-cjk"),
    (re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]"), "Arabic",
     "fonts-noto-core"),
    (re.compile(r"[\u0590-\u05ff]"), "Hebrew", "fonts-noto-core"),
    (re.compile(r"[\u0900-\u0dff]"), "Indic", "fonts-noto-core"),
]

_FONT_CONFIG: FontConfiguration | None = None


def _font_config() -> FontConfiguration:
    """One per process: each one loads fontconfig afresh."""
    global _FONT_CONFIG
    if _FONT_CONFIG is None:
        _FONT_CONFIG = FontConfiguration()
    return _FONT_CONFIG


class AssetFetcher(URLFetcher):
    """Serves `data:` URIs and regular files under the allowed folders; refuses the rest."""

    def __init__(self, roots: Iterable[Path]):
        super().__init__(timeout=5, allowed_protocols={"file", "data"}, allow_redirects=False)
        self.roots = [Path(r).resolve() for r in roots]

    def fetch(self, url: str, headers=None):
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = Path(unquote(urlsplit(url).path)).resolve()
            if (any(path.is_relative_to(root) for root in self.roots) and path.is_file()
                    and path.stat().st_size <= MAX_ASSET_BYTES):
                return super().fetch(path.as_uri(), headers)
        raise FatalURLFetchingError(f"refused to load {url}: only files in the trip's folder "
                                    "and the templates may be used")


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _glyph_problem(messages: list[str]) -> str | None:
    missing = [m for m in messages if ".notdef glyph rendered" in m]
    if not missing:
        return None
    texts = sorted({m.split('fonts: "', 1)[-1].split('"', 1)[0] for m in missing})
    sample = "".join(texts)
    kinds = [(name, pkg) for rx, name, pkg in FONT_HINTS if rx.search(sample)]
    packages = sorted({pkg for _, pkg in kinds}) or ["fonts-noto-core"]
    scripts = ", ".join(sorted({name for name, _ in kinds})) or "some"
    return (f"no installed font has glyphs for {scripts} text: {' '.join(texts[:12])}"
            f"{' …' if len(texts) > 12 else ''} — it would print as empty boxes. "
            f"Install the fonts: sudo apt-get install {' '.join(packages)} "
            "(or pass --allow-missing-glyphs to build anyway)")


def render_pdf(html: str, *, base_dirs: Iterable[Path], allow_missing_glyphs: bool = False,
               warnings: list[str] | None = None) -> bytes:
    """Render HTML to PDF bytes. Raises BuildError with a plain message on any failure."""
    dirs = list(base_dirs)
    collector = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    previous_propagate = logger.propagate
    logger.propagate = False
    try:
        document = weasyprint.HTML(string=html, base_url=dirs[0].as_uri() + "/",
                                   url_fetcher=AssetFetcher(dirs))
        pdf = document.write_pdf(font_config=_font_config(), pdf_tags=True)
    except FatalURLFetchingError as exc:  # a BaseException: catch it by name
        raise BuildError(str(exc)) from None
    finally:
        logger.removeHandler(collector)
        logger.propagate = previous_propagate
    problem = _glyph_problem(collector.messages)
    if problem and not allow_missing_glyphs:
        raise BuildError(problem)
    if warnings is not None:
        warnings.extend(m for m in collector.messages if problem is None or "notdef" not in m)
        if problem:
            warnings.append(problem)
    return pdf

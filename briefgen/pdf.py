"""Stage 4: HTML -> PDF with WeasyPrint, written atomically.

Only this module imports WeasyPrint (slow to import; `check` and `--help` never pay for it).
Resources are served by a fetcher that allows regular files under the trip's folder and the
template folders, plus `data:` URIs: no network, no other path, no redirects. Missing glyphs
(tofu) fail the build with the text and the font package to install.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
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
    (re.compile(r"[\U0001F000-\U0001FAFF\u2600-\u27bf]"), "emoji", "fonts-noto-color-emoji"),
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


PAGE_BUDGETS = {"memo": 2, "card": 1}  # pages per layout; every bio: one page


@dataclass
class Rendered:
    """A laid-out document, what WeasyPrint warned about, and what overflows its budget."""

    document: weasyprint.Document
    warnings: list[str]
    overflows: list[str]


def _options(standard: str | None) -> dict:
    return {"pdf_tags": True, **({"pdf_variant": standard} if standard else {})}


@contextmanager
def weasyprint_log():
    """Collect what WeasyPrint logs (warnings and up) instead of letting it reach stderr."""
    collector = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    previous_propagate = logger.propagate
    logger.propagate = False
    try:
        yield collector.messages
    except FatalURLFetchingError as exc:  # a BaseException: catch it by name
        raise BuildError(str(exc)) from None
    finally:
        logger.removeHandler(collector)
        logger.propagate = previous_propagate


def render(html: str, *, layout: str, folders: Iterable[Path],
           standard: str | None = None) -> Rendered:
    """Lay the HTML out in pages and measure them against the page budgets."""
    folders = list(folders)
    with weasyprint_log() as messages:
        document = weasyprint.HTML(string=html, base_url=folders[0].as_uri() + "/",
                                   url_fetcher=AssetFetcher(folders)).render(
            font_config=_font_config(), **_options(standard))
    return Rendered(document, messages, page_budget_overflows(document, layout))


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def _elements_per_page(document: weasyprint.Document) -> list[list[object]]:
    """For each page, the elements that have a box on it (continued fragments included)."""
    pages = []
    for page in document.pages:
        seen: dict[int, object] = {}
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is not None:
                seen.setdefault(id(element), element)
        pages.append(list(seen.values()))
    return pages


def _fill(page) -> float:
    """How far down its content area a page is filled, 0..1 (watermarks and banners aside)."""
    box = page._page_box
    top, height = box.content_box_y(), box.height

    def bottoms(parent):
        for child in getattr(parent, "children", []):
            position = child.style["position"]  # running elements: ("running()", name)
            if position == "fixed" or isinstance(position, tuple):
                continue
            if getattr(child, "element_tag", None) not in ("html", "body"):
                yield child.position_y + child.margin_height()
            yield from bottoms(child)

    roots = [b for b in box.children if getattr(b, "element_tag", None) == "html"]
    bottom = max((y for root in roots for y in bottoms(root)), default=top)
    return max(0.0, min(1.0, (bottom - top) / height)) if height else 0.0


def page_budget_overflows(document: weasyprint.Document, layout: str) -> list[str]:
    """Which part uses more pages than it may, and by how much (plain sentences)."""
    pages = _elements_per_page(document)
    found = []
    budget = PAGE_BUDGETS.get(layout)
    if budget and len(pages) > budget:
        over = len(pages) - budget
        sections: list[str] = []
        current = None
        for number, elements in enumerate(pages, 1):
            headings = [e for e in elements if e.tag == "h2"]
            if number > budget:
                names = [_text(h) for h in ([current] if current is not None else []) + headings]
                sections += [n for n in names if n not in sections]
            current = headings[-1] if headings else current
        last = _fill(document.pages[-1])
        found.append(
            f"the {layout} layout uses {len(pages)} pages, over its budget of {budget} by "
            f"{over} page{'s' if over > 1 else ''} (the last one {last:.0%} full); "
            f"beyond page {budget}: {', '.join(sections) or 'content'}")
    bio_pages: dict[int, tuple[object, list[int]]] = {}
    for number, elements in enumerate(pages, 1):
        for element in elements:
            if "bio" in (element.get("class") or "").split():
                bio_pages.setdefault(id(element), (element, []))[1].append(number)
    for element, numbers in bio_pages.values():
        if len(numbers) > 1:
            name = _text(next(iter(element.iter("h3")), element))
            found.append(f"the biography of {name} runs over {len(numbers)} pages "
                         f"({numbers[0]}–{numbers[-1]}), over its budget of one page")
    return found


def _scope_header_cells(document, pdf) -> None:
    """Tag header cells as column headers (/Scope /Column): WeasyPrint links data cells to
    them through /Headers only, which some accessibility checkers do not follow. Every
    header cell briefgen writes is a column header (`<th scope="col">`)."""
    for obj in pdf.objects:
        if isinstance(obj, dict) and obj.get("S") == "/TH" and isinstance(obj.get("A"), dict):
            obj["A"]["Scope"] = "/Column"


def write(rendered: Rendered, *, standard: str | None = None,
          source: tuple[str, bytes] | None = None, created: dt.date | None = None,
          allow_missing_glyphs: bool = False) -> bytes:
    """The PDF bytes; for PDF/A-3 the trip file itself is attached (relationship Source).
    Text that no font could draw fails the build, naming it and the font package."""
    options = _options(standard)
    if standard == "pdf/a-3b" and source is not None:
        when = dt.datetime.combine(created or dt.date(1970, 1, 1), dt.time(), dt.UTC)
        name, data = source
        options["attachments"] = [weasyprint.Attachment(
            string=data, name=name, description="The trip file this book was built from",
            relationship="Source", created=when, modified=when)]
    with weasyprint_log() as messages:
        pdf = rendered.document.write_pdf(finisher=_scope_header_cells, **options)
    problem = _glyph_problem(rendered.warnings + messages)
    if problem and not allow_missing_glyphs:
        raise BuildError(problem)
    rendered.warnings = [m for m in rendered.warnings + messages if "notdef" not in m]
    if problem:
        rendered.warnings.append(problem)
    return pdf

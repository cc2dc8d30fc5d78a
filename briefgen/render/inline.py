"""`--html` writes one self-contained file: the stylesheets and images the document links
to are put inside it (stylesheets as <style>, images and CSS `url()`s as data: URIs, in
linked stylesheets and <style> elements alike), so that it opens the
same after being mailed. Only the files `reach.readable_file` allows are read (as for the
PDF); what is left pointing elsewhere is removed by `sanitize`."""

from __future__ import annotations

import base64
import mimetypes
import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from markupsafe import escape

from briefgen.render.reach import readable_file
from briefgen.render.sanitize import sanitized


def _read(url: str, roots: list[Path]) -> bytes | None:
    path = readable_file(url, roots)
    return None if path is None else path.read_bytes()


def _data_uri(url: str, data: bytes) -> str:
    kind = mimetypes.guess_type(urlsplit(url).path)[0] or "application/octet-stream"
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


def html_file(html: str, folders: Iterable[Path]) -> str:
    """What `--html` writes: the document self-contained, then sanitized."""
    return sanitized(self_contained(html, folders))


def self_contained(html: str, folders: Iterable[Path]) -> str:
    """Linked stylesheets and images under `folders` put inside the document; a relative URL
    is taken from the first folder (the house style's), as the PDF engine does."""
    roots = [Path(f).resolve() for f in folders]
    base = roots[0].as_uri() + "/"

    def css_urls(css: str, sheet: str) -> str:
        def one(match: re.Match) -> str:
            target = match[2]
            if target.startswith(("data:", "#")):
                return match[0]
            url = urljoin(sheet, target)
            data = _read(url, roots)
            return f'url("{_data_uri(url, data)}")' if data is not None else match[0]

        return re.sub(r"""url\((['"]?)([^'")]+)\1\)""", one, css)

    def stylesheet(match: re.Match) -> str:
        url = urljoin(base, match[1])
        data = _read(url, roots)
        if data is None:
            return match[0]
        css = css_urls(data.decode("utf-8", "replace"), url).replace("</", "<\\/")
        return f"<style>\n{css}\n</style>"

    def image(match: re.Match) -> str:
        url = urljoin(base, match[2].replace("&amp;", "&"))
        data = _read(url, roots)
        return match[0] if data is None else f'{match[1]}"{escape(_data_uri(url, data))}"'

    def style_element(match: re.Match) -> str:
        return match[1] + css_urls(match[2], base) + match[3]

    html = re.sub(r"(<style\b[^>]*>)(.*?)(</style>)", style_element, html, flags=re.S)
    html = re.sub(r'<link rel="stylesheet" href="([^"]+)">', stylesheet, html)
    return re.sub(r'(<img\b[^>]*?\bsrc=)"([^"]+)"', image, html)

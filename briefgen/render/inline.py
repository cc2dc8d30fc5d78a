"""`--html` writes one self-contained file: the stylesheets and images the document links
to are put inside it (stylesheets as <style>, images as data: URIs), so that it opens the
same after being mailed. Only files under the allowed folders are read (as for the PDF)."""

from __future__ import annotations

import base64
import mimetypes
import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from markupsafe import escape

MAX_INLINE_BYTES = 20 * 1024 * 1024


def _read(url: str, roots: list[Path]) -> bytes | None:
    if urlsplit(url).scheme != "file":
        return None
    path = Path(unquote(urlsplit(url).path)).resolve()
    if not any(path.is_relative_to(root) for root in roots) or not path.is_file():
        return None
    if path.stat().st_size > MAX_INLINE_BYTES:
        return None
    return path.read_bytes()


def _data_uri(url: str, data: bytes) -> str:
    kind = mimetypes.guess_type(urlsplit(url).path)[0] or "application/octet-stream"
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


def self_contained(html: str, folders: Iterable[Path]) -> str:
    roots = [Path(f).resolve() for f in folders]

    def css_urls(css: str, base: str) -> str:
        def one(match: re.Match) -> str:
            target = match[2]
            if target.startswith(("data:", "#")):
                return match[0]
            url = target if urlsplit(target).scheme else base.rsplit("/", 1)[0] + "/" + target
            data = _read(url, roots)
            return f'url("{_data_uri(url, data)}")' if data is not None else match[0]

        return re.sub(r"""url\((['"]?)([^'")]+)\1\)""", one, css)

    def stylesheet(match: re.Match) -> str:
        url = match[1]
        data = _read(url, roots)
        if data is None:
            return match[0]
        css = css_urls(data.decode("utf-8", "replace"), url).replace("</", "<\\/")
        return f"<style>\n{css}\n</style>"

    def image(match: re.Match) -> str:
        url = match[2]
        data = _read(url.replace("&amp;", "&"), roots)
        return match[0] if data is None else f'{match[1]}"{escape(_data_uri(url, data))}"'

    html = re.sub(r'<link rel="stylesheet" href="([^"]+)">', stylesheet, html)
    return re.sub(r'(<img\b[^>]*?\bsrc=)"([^"]+)"', image, html)

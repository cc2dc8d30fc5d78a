"""What the PDF engine may read: `data:` URIs and regular files under the allowed folders
(the trip's, the templates', a house style's). No network, no other path, no redirects."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import FatalURLFetchingError, URLFetcher

from briefgen.limits import MAX_ASSET_BYTES


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
            if (
                any(path.is_relative_to(root) for root in self.roots)
                and path.is_file()
                and path.stat().st_size <= MAX_ASSET_BYTES
            ):
                return super().fetch(path.as_uri(), headers)
        raise FatalURLFetchingError(
            f"refused to load {url}: only files in the trip's folder and the templates may be used"
        )

"""What the PDF engine may read: `data:` URIs and the files `render.reach.readable_file`
allows (the house style's folder, the built-in templates). No network, no other path, no
redirects."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

from weasyprint.urls import FatalURLFetchingError, URLFetcher

from briefgen.render.reach import readable_file


class AssetFetcher(URLFetcher):
    """Serves `data:` URIs and regular files under the allowed folders; refuses the rest."""

    def __init__(self, folders: Iterable[Path]):
        super().__init__(timeout=5, allowed_protocols={"file", "data"}, allow_redirects=False)
        self.folders = [Path(folder).resolve() for folder in folders]

    def fetch(self, url: str, headers=None):
        if urlsplit(url).scheme.lower() == "data":
            return super().fetch(url, headers)
        if path := readable_file(url, self.folders):
            return super().fetch(path.as_uri(), headers)
        raise FatalURLFetchingError(
            f"refused to load {url}: a document may load only files in the house style's "
            "folder and the built-in templates"
        )

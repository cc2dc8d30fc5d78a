"""Reading a written PDF back: every file embedded in it, wherever a reader could find one
(the document's /EmbeddedFiles name tree, file attachment annotations on any page, and the
/AF associated files of the catalog, pages and annotations), so that a check of what an
edition holds can look inside attachments too. Needs pikepdf (imported when called)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def _name(spec: Any) -> str:
    for key in ("/UF", "/F"):
        if key in spec:
            return str(spec[key])
    return "(unnamed)"


def _contents(spec: Any) -> bytes | None:
    files = spec.get("/EF")
    if files is None:
        return None
    stream = files.get("/UF") or files.get("/F")
    return None if stream is None else bytes(stream.read_bytes())


def attachments(path: Path | str) -> list[tuple[str, bytes]]:
    """(name, bytes) of every embedded file of the PDF at `path`, each file stream once."""
    import pikepdf

    found: list[tuple[str, bytes]] = []
    seen: set[tuple[int, int]] = set()

    def add(spec: Any) -> None:
        if not isinstance(spec, pikepdf.Dictionary) or "/EF" not in spec:
            return
        key = spec.objgen if spec.is_indirect else (id(spec), 0)
        if key in seen:
            return
        seen.add(key)
        data = _contents(spec)
        if data is not None:
            found.append((_name(spec), data))

    def names(node: Any, depth: int = 0) -> None:
        if depth > 32:
            return
        pairs = node.get("/Names", [])
        for value in list(pairs)[1::2]:
            add(value)
        for kid in node.get("/Kids", []):
            names(kid, depth + 1)

    def associated(owner: Any) -> None:
        for spec in owner.get("/AF", []):
            add(spec)

    with pikepdf.open(path) as pdf:
        root = pdf.Root
        if "/Names" in root and "/EmbeddedFiles" in root.Names:
            names(root.Names.EmbeddedFiles)
        associated(root)
        for page in pdf.pages:
            associated(page.obj)
            for annotation in page.obj.get("/Annots", []):
                associated(annotation)
                if annotation.get("/Subtype") == "/FileAttachment" and "/FS" in annotation:
                    add(annotation.FS)
    return found

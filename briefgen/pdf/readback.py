"""Reading a written PDF back: every file embedded in it, wherever a reader could find one
(the document's /EmbeddedFiles name tree, file attachment annotations, the /AF associated
files of the catalog, pages and annotations, any other file specification, and any
embedded-file stream no specification names), so that a check of what an edition holds
can look inside attachments too. Needs pikepdf (imported when called)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def _name(spec: Any) -> str:
    for key in ("/UF", "/F"):
        if key in spec:
            return str(spec[key])
    return "(unnamed)"


def attachments(path: Path | str) -> list[tuple[str, bytes]]:
    """(name, bytes) of every embedded file of the PDF at `path`, each file stream once, in
    the order found: named files first, then streams no file specification names."""
    import pikepdf

    found: dict[tuple[int, int], tuple[str, bytes]] = {}

    def add(spec: Any) -> None:
        if not isinstance(spec, pikepdf.Dictionary) or "/EF" not in spec:
            return
        files = spec["/EF"]
        for key in ("/UF", "/F"):
            stream = files.get(key)
            if isinstance(stream, pikepdf.Stream) and stream.objgen not in found:
                found[stream.objgen] = (_name(spec), bytes(stream.read_bytes()))

    def names(node: Any, depth: int = 0) -> None:
        if depth > 32 or not isinstance(node, pikepdf.Dictionary):
            return
        for value in list(node.get("/Names", []))[1::2]:
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
                add(annotation.get("/FS"))
        for obj in pdf.objects:  # file specifications anywhere else, then lone streams
            add(obj)
        for obj in pdf.objects:
            lone = isinstance(obj, pikepdf.Stream) and obj.objgen not in found
            if lone and obj.get("/Type") == "/EmbeddedFile":
                found[obj.objgen] = ("(unnamed)", bytes(obj.read_bytes()))
    return list(found.values())

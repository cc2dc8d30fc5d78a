"""Helpers the tests share that are not fixtures (those are in conftest.py)."""

from __future__ import annotations

import struct
import zlib
from types import MappingProxyType


def png(width: int = 3, height: int = 4) -> bytes:
    """A real, tiny RGB PNG (no Pillow needed)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    rows = b"".join(b"\x00" + b"\x80\x20\x20" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


PNG = png()  # a photo for trips that need one


def walk(value, path="context", seen=None):
    """Every (path, value) a template can reach by attributes, items and loops."""
    seen = set() if seen is None else seen
    if id(value) in seen:
        return
    seen.add(id(value))
    yield path, value
    if isinstance(value, tuple) and hasattr(type(value), "_fields"):
        for name in type(value)._fields:
            yield from walk(getattr(value, name), f"{path}.{name}", seen)
    elif isinstance(value, tuple):
        for i, item in enumerate(value):
            yield from walk(item, f"{path}[{i}]", seen)
    elif isinstance(value, MappingProxyType):
        for key, item in value.items():
            yield from walk(key, f"{path}<key>", seen)
            yield from walk(item, f"{path}[{key!r}]", seen)


def everything(path) -> str:
    """All a PDF holds, as text: the raw file, every object's strings and every stream
    decompressed (pikepdf), and every page's extracted text (pypdf)."""
    import pikepdf
    from pypdf import PdfReader

    out = [path.read_bytes().decode("latin-1")]
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream):
                out.append(obj.read_bytes().decode("utf-8", "ignore"))
            else:
                out.append(str(obj))
        out += [str(v) for v in pdf.docinfo.values()]
    out += [page.extract_text() for page in PdfReader(path).pages]
    return " ".join(" ".join(out).split())


def first_page(path) -> str:
    from pypdf import PdfReader

    return " ".join((PdfReader(path).pages[0].extract_text() or "").split())

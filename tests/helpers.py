"""Helpers the tests share that are not fixtures (those are in conftest.py)."""

from __future__ import annotations

import functools
import html
import re
import struct
import subprocess
import zlib
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pikepdf

from conftest import MINIMAL


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


def crowded_trip(tmp_path: Path, events: int = 70, bio_words: int = 0) -> Path:
    """The minimal trip with `events` more meetings on one day (over the card's budget) and
    a bio of `bio_words` words (over a page), written to tmp_path/crowded.yaml."""
    source = MINIMAL.read_text(encoding="utf-8")
    extra = "".join(
        f"  - {{title: Meeting number {i} with a long descriptive title, "
        f'date: 2023-06-19, start: "{8 + i // 10:02d}:{i % 10 * 5:02d}"}}\n'
        for i in range(events)
    )
    source = source.replace("issues:\n", extra + "issues:\n", 1)
    # no body-clock night: --strict here is about the page budgets
    source = source.replace("  stops:\n", '  body_clock: {night: "00:00-00:00"}\n  stops:\n', 1)
    if bio_words:
        words = " ".join(["Diplomat"] * 12 + ["served."]) + " "
        source = source.replace(
            "bio: Career diplomat; previously ambassador to the United States.",
            'bio: "' + words * (bio_words // 13) + '"',
        )
    trip = tmp_path / "crowded.yaml"
    trip.write_text(source, encoding="utf-8")
    return trip


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


def _as_now(path: Path | str) -> tuple[str, tuple[int, int, int]]:
    """(path, what tells this version of the file from another): a cache key."""
    stat = Path(path).stat()
    return str(path), (stat.st_ino, stat.st_size, stat.st_mtime_ns)


def page_texts(path: Path | str) -> list[str]:
    """Each page's text, in the order it is drawn (poppler's `pdftotext -raw`: thirty times
    faster than pypdf's extract_text, which parses content streams in Python), read once
    per file as it is now."""
    return list(_page_texts(*_as_now(path)))


@functools.lru_cache(maxsize=64)
def _page_texts(path: str, _version: tuple[int, int, int]) -> tuple[str, ...]:
    text = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", path, "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return tuple(text.split("\f")[:-1])  # every page ends with a form feed


@dataclass(frozen=True)
class Run:
    """Words drawn side by side on one line, in points from the page's bottom left."""

    text: str
    x: float  # left edge
    y: float  # bottom of the words' boxes
    top: float


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    runs: tuple[Run, ...]  # top to bottom, left to right


_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.DOTALL)
_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
)


def page_runs(path: Path | str) -> list[Page]:
    """Each page's runs of words: the words on one line, split where a gap wider than their
    height separates them (poppler's `pdftotext -bbox`), read once per file as it is now."""
    return list(_page_runs(*_as_now(path)))


@functools.lru_cache(maxsize=16)
def _page_runs(path: str, _version: tuple[int, int, int]) -> tuple[Page, ...]:
    source = subprocess.run(
        ["pdftotext", "-bbox", path, "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = []
    for width, height, body in _PAGE.findall(source):
        h = float(height)
        words = sorted(
            (round(float(y0), 1), float(x0), float(x1), float(y1), html.unescape(text))
            for x0, y0, x1, y1, text in _WORD.findall(body)
        )
        runs: list[list] = []
        for y0, x0, x1, y1, text in words:
            last = runs[-1] if runs else None
            if last and abs(last[1] - y0) < 1 and x0 - last[3] < (y1 - y0):
                last[0] += " " + text
                last[3] = x1
            else:
                runs.append([text, y0, x0, x1, y1])
        pages.append(
            Page(
                float(width),
                h,
                tuple(Run(text, x0, h - y1, h - y0) for text, y0, x0, _x1, y1 in runs),
            )
        )
    return tuple(pages)


def pdf_text(path: Path | str) -> str:
    """The text of every page, a line break between pages."""
    return "\n".join(page_texts(path))


def everything(path) -> str:
    """All a PDF holds, as text: the raw file, every object's strings and every stream
    decompressed (pikepdf), and every page's text (poppler)."""
    import pikepdf

    out = [path.read_bytes().decode("latin-1")]
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream):
                out.append(obj.read_bytes().decode("utf-8", "ignore"))
            else:
                out.append(str(obj))
        out += [str(v) for v in pdf.docinfo.values()]
    out += page_texts(path)
    return " ".join(" ".join(out).split())


def first_page(path) -> str:
    return " ".join(page_texts(path)[0].split())


def _name(spec: Any) -> str:
    for key in ("/UF", "/F"):
        if key in spec:
            return str(spec[key])
    return "(unnamed)"


def attachments(path: Path | str) -> list[tuple[str, bytes]]:
    """(name, bytes) of every embedded file of the PDF at `path`, wherever a reader could
    find one (the /EmbeddedFiles name tree, file attachment annotations, the /AF associated
    files of the catalog, pages and annotations, any other file specification, and any
    embedded-file stream no specification names), each file stream once, in the order
    found: named files first, then the unnamed streams."""

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

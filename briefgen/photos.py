"""Whether a photo can be printed, found without decoding it: its size on disk, its type
(PNG or JPEG, by magic bytes), and its width and height read from its header (PNG's IHDR,
JPEG's SOF) against MAX_PHOTO_PIXELS, before Pillow opens it. Pillow then checks its
structure (`verify`: chunk checksums, no pixels decoded). Only the bounded build child ever
decodes a photo: a 688 KB PNG of 13,300² pixels costs the parent a few reads, not 735 MB.
"""

from __future__ import annotations

import struct
import warnings
from pathlib import Path
from typing import BinaryIO

from briefgen.limits import MAX_ASSET_BYTES, MAX_PHOTO_PIXELS

PNG_MAGIC, JPEG_MAGIC = b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff"
# JPEG start-of-frame markers (every SOFn but DHT C4, JPG C8, DAC CC): they hold the size.
_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
_MAX_SEGMENTS = 1_000  # JPEG segments read looking for the frame header


class _NoSize(Exception):
    pass


def photo_problem(target: Path) -> str | None:
    """Why a photo file cannot be printed (size, type, dimensions, structure), or None."""
    size = target.stat().st_size
    if size > MAX_ASSET_BYTES:
        return (
            f"is {size / 1024 / 1024:.1f} MB, over the limit of "
            f"{MAX_ASSET_BYTES // 1024 // 1024} MB for an image"
        )
    with target.open("rb") as fh:
        head = fh.read(8)
        if not head.startswith((PNG_MAGIC, JPEG_MAGIC)):
            return "is not a PNG or JPEG image"
        try:
            width, height = _png_size(fh) if head == PNG_MAGIC else _jpeg_size(fh)
        except (_NoSize, struct.error) as exc:
            return f"cannot be read as an image ({exc or 'its header is cut short'}); save it again"
    if width * height > MAX_PHOTO_PIXELS:
        return (
            f"is {width:,} × {height:,} pixels ({width * height / 1e6:,.0f} megapixels), over "
            f"the limit of {MAX_PHOTO_PIXELS // 1_000_000} megapixels: scale it down"
        )
    return _structure_problem(target)


def _png_size(fh: BinaryIO) -> tuple[int, int]:
    length, kind, width, height = struct.unpack(">I4sII", fh.read(16))
    if kind != b"IHDR" or length != 13:
        raise _NoSize("no PNG header (IHDR)")
    return width, height


def _jpeg_size(fh: BinaryIO) -> tuple[int, int]:
    fh.seek(2)
    for _ in range(_MAX_SEGMENTS):
        byte = fh.read(1)
        while byte == b"\xff":  # fill bytes before a marker
            byte = fh.read(1)
        if not byte:
            break
        marker = byte[0]
        if marker == 0x01 or 0xD0 <= marker <= 0xD8:
            continue  # markers without a length
        (length,) = struct.unpack(">H", fh.read(2))
        if marker in _SOF:
            _, height, width = struct.unpack(">BHH", fh.read(5))
            return width, height
        if marker == 0xDA or length < 2:
            break  # image data before any frame header
        fh.seek(length - 2, 1)
        if fh.read(1) != b"\xff":
            raise _NoSize("a JPEG segment does not end where it says")
        fh.seek(-1, 1)
    raise _NoSize("no JPEG frame header (SOF)")


def _structure_problem(target: Path) -> str | None:
    """Pillow's check of the file's structure, which decodes no pixels (warnings such as
    DecompressionBombWarning are never printed: the pixel cap came first)."""
    from PIL import Image  # here only: check needs nothing else of Pillow

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(target) as image:
                image.verify()
    except Exception as exc:
        return f"cannot be read as an image ({type(exc).__name__}: {exc}); save it again"
    return None

"""Importing WeasyPrint without ctypes' slow search for its C libraries.

WeasyPrint 70 asks cffi for each of its seven C libraries under up to six names
(`libpango-1.0-0`, `pango-1.0-0`, `pango-1.0`, `libpango-1.0.so.0`, ...). cffi hands each
name it cannot open as a path to `ctypes.util.find_library`, which on Linux reads the linker
cache (`ldconfig -p`) and, when that misses, runs `gcc` and then `ld` to look again: 22
lookups, 16 of them misses, about 0.3 s of every build's start-up on a 2-core machine, a
third of importing WeasyPrint (`bench/build_vs_weasyprint.py`).

While WeasyPrint is imported, lookups read the linker cache only: a miss answers None at
once and WeasyPrint goes on to its next name, `libpango-1.0.so.0`, which the dynamic loader
opens itself (LD_LIBRARY_PATH included). Should the import fail that way, it is tried again
with the full search, so nothing that loaded before fails to load now.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType


def import_weasyprint() -> ModuleType:
    """`import weasyprint`, with the quick lookup on Linux."""
    if "weasyprint" in sys.modules or sys.platform != "linux":
        return importlib.import_module("weasyprint")
    import ctypes.util

    linker_cache = getattr(ctypes.util, "_findSoname_ldconfig", None)
    if linker_cache is None:  # another Python's ctypes: keep its own search
        return importlib.import_module("weasyprint")
    full_search = ctypes.util.find_library
    ctypes.util.find_library = linker_cache
    try:
        return importlib.import_module("weasyprint")
    except OSError:
        pass  # a library only gcc or ld can find: search again the slow way
    finally:
        ctypes.util.find_library = full_search
    return importlib.import_module("weasyprint")

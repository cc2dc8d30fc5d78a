"""What WeasyPrint pays once per process, paid less. Both are measured by
`bench/build_vs_weasyprint.py` and `bench/one_offs.py`; all leave what is loaded and drawn
exactly as it was.

1. Its C libraries, found without ctypes' slow search. WeasyPrint 70 asks cffi for each of
   its seven libraries under up to six names (`libpango-1.0-0`, `pango-1.0-0`, `pango-1.0`,
   `libpango-1.0.so.0`, ...). cffi hands each name it cannot open as a path to
   `ctypes.util.find_library`, which on Linux reads the linker cache (`ldconfig -p`) and, when
   that misses, runs `gcc` and then `ld` to look again: 22 lookups, 16 of them misses, about
   0.3 s of every build on a 2-core machine, a third of importing WeasyPrint. While it is
   imported, lookups read the linker cache only, and read it once (ctypes runs `ldconfig -p`
   for every name: another 50 ms): a miss answers None at once and WeasyPrint
   goes on to its next name, `libpango-1.0.so.0`, which the dynamic loader opens itself
   (LD_LIBRARY_PATH included). Should the import fail that way, it is tried again with the
   full search, so nothing that loaded before fails to load now.

2. fontTools' subsetter and instancer, imported when first used. WeasyPrint 70 imports both
   as it starts (~0.1 s) but calls them only where HarfBuzz cannot subset a font, or for a
   variable font given variations; briefgen's fonts take neither route. While WeasyPrint
   imports, both names stand for modules that import the real one at their first use.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import os
import re
import struct
import subprocess
import sys
from collections.abc import Callable
from types import ModuleType

from briefgen.interruption import stopping_held

# What WeasyPrint imports from each module it seldom uses: names whose values it reads
# while importing (so they are callables that import the module when called); an empty
# tuple means it keeps the module itself and reads its attributes later.
DEFERRED = {
    "fontTools.subset": (),
    "fontTools.varLib.instancer": ("instantiateVariableFont",),
}


def import_weasyprint() -> ModuleType:
    """`import weasyprint`, with the quick library lookup on Linux."""
    if "weasyprint" in sys.modules:
        return sys.modules["weasyprint"]
    with _deferred(DEFERRED):
        return _import_quickly()


def _import_quickly() -> ModuleType:
    if sys.platform != "linux":
        return importlib.import_module("weasyprint")
    import ctypes.util

    if not hasattr(ctypes.util, "_findSoname_ldconfig"):  # another ctypes: keep its search
        return importlib.import_module("weasyprint")
    full_search = ctypes.util.find_library
    ctypes.util.find_library = _linker_cache_lookup()  # type: ignore[assignment]
    try:
        # WeasyPrint prints its "could not import some external libraries" advice before it
        # fails: heard only if the full search fails too.
        with contextlib.redirect_stdout(io.StringIO()):
            return importlib.import_module("weasyprint")
    except OSError:
        pass  # a library only gcc or ld can find: search again the slow way
    finally:
        ctypes.util.find_library = full_search
    return importlib.import_module("weasyprint")


# ctypes.util's names for the C library's ABI in `ldconfig -p`, by machine and word size.
ABI = {
    "x86_64-64": "libc6,x86-64",
    "ppc64-64": "libc6,64bit",
    "sparc64-64": "libc6,64bit",
    "s390x-64": "libc6,64bit",
    "ia64-64": "libc6,IA-64",
}


def _linker_cache_lookup() -> Callable[[str], str | None]:
    """`ctypes.util._findSoname_ldconfig`, reading the linker cache once for every name
    (ctypes runs `ldconfig -p` for each: 22 runs, ~50 ms)."""
    machine = f"{os.uname().machine}-{struct.calcsize('l') * 8}"
    abi = ABI.get(machine, "libc6").encode()
    listing: list[bytes] = []

    def lookup(name: str) -> str | None:
        if not listing:
            listing.append(linker_cache())
        pattern = rb"\s+(lib%s\.[^\s]+)\s+\(%s" % (re.escape(os.fsencode(name)), abi)
        found = re.search(pattern, listing[0])
        return os.fsdecode(found.group(1)) if found else None

    return lookup


def linker_cache() -> bytes:
    """What `ldconfig -p` prints (b"" if it cannot run). Ctrl-C and SIGTERM are held back
    while it runs: whoever stops this process finds it waited for, never left behind."""
    with stopping_held():
        try:
            return subprocess.run(
                ["/sbin/ldconfig", "-p"],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env={"LC_ALL": "C", "LANG": "C"},
                check=False,
            ).stdout
        except OSError:
            return b""


class _Deferred(ModuleType):
    """Stands for a module not imported yet: reading an attribute imports the real one. Its
    dunder names are its own: the import system asks for `__path__`, which must not load it."""

    def __getattr__(self, attribute: str):
        if attribute.startswith("__") and attribute.endswith("__"):
            raise AttributeError(attribute)
        return getattr(_real(self.__name__), attribute)


def _real(name: str) -> ModuleType:
    stand_in = sys.modules.get(name)
    if isinstance(stand_in, _Deferred):
        del sys.modules[name]
    return importlib.import_module(name)


def _call_real(module: str, function: str):
    def call(*args, **kwargs):
        return getattr(_real(module), function)(*args, **kwargs)

    call.__name__ = function
    return call


@contextlib.contextmanager
def _deferred(modules: dict[str, tuple[str, ...]]):
    """Within: each module not imported yet is a stand-in (see DEFERRED)."""
    placed = {}
    for name, functions in modules.items():
        if name not in sys.modules:
            stand_in = _Deferred(name)
            for function in functions:
                setattr(stand_in, function, _call_real(name, function))
            placed[name] = sys.modules[name] = stand_in
    try:
        yield
    finally:
        for name, stand_in in placed.items():
            if sys.modules.get(name) is stand_in:
                del sys.modules[name]  # whoever imports it from now on gets the real one

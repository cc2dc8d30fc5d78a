"""WeasyPrint is imported without ctypes' slow library search (briefgen/pdf/libraries.py)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from briefgen.pdf import libraries

# Counts the slow fallbacks of ctypes' search (gcc, then ld), then imports `what`.
PROBE = """
import ctypes.util, importlib, json
full_search = ctypes.util.find_library
slow = []
for name in ("_findLib_gcc", "_findLib_ld"):
    real = getattr(ctypes.util, name)
    setattr(ctypes.util, name, lambda n, real=real: slow.append(n) or real(n))
{setup}
importlib.import_module({what!r})
import weasyprint.text.ffi as ffi
print(json.dumps({{
    "slow": len(slow),
    "restored": ctypes.util.find_library is full_search,
    "loaded": [ffi.pango is not None, ffi.fontconfig is not None,
               ffi.harfbuzz is not None, ffi.harfbuzz_subset is not None],
}}))
"""


def probe(what: str, setup: str = "") -> dict:
    import json

    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(what=what, setup=textwrap.dedent(setup))],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the quick lookup is Linux's")


def test_weasyprint_alone_runs_the_slow_search():
    """The control: what the quick lookup saves happens without it."""
    assert probe("weasyprint")["slow"] > 0


def test_briefgen_loads_every_library_without_the_slow_search():
    found = probe("briefgen.pdf")
    assert found == {"slow": 0, "restored": True, "loaded": [True, True, True, True]}


def test_libraries_load_even_when_the_linker_cache_knows_none():
    """A miss sends WeasyPrint to its next name (`libpango-1.0.so.0`), which the dynamic
    loader opens itself."""
    found = probe("briefgen.pdf", setup="ctypes.util._findSoname_ldconfig = lambda name: None")
    assert found["loaded"] == [True, True, True, True]
    assert found["slow"] == 0
    assert found["restored"]


def test_a_failed_quick_import_is_tried_again_with_the_full_search(monkeypatch):
    import ctypes.util

    full_search = ctypes.util.find_library
    seen = []

    def fake_import(name):
        seen.append(ctypes.util.find_library)
        if len(seen) == 1:
            raise OSError("cannot load library 'gobject-2.0-0'")
        return "the module"

    monkeypatch.delitem(sys.modules, "weasyprint")
    monkeypatch.setattr(libraries.importlib, "import_module", fake_import)
    assert libraries.import_weasyprint() == "the module"
    assert seen[0] is not full_search
    assert seen[1] is full_search
    assert ctypes.util.find_library is full_search

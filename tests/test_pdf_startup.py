"""What WeasyPrint pays once per process, paid less (briefgen/pdf/startup.py)."""

from __future__ import annotations

import functools
import importlib.util
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from briefgen.pdf import startup

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


@pytest.mark.slow
def test_weasyprint_alone_runs_the_slow_search():
    """The control: what the quick lookup saves happens without it."""
    assert probe("weasyprint")["slow"] > 0


@pytest.mark.slow
def test_briefgen_loads_every_library_without_the_slow_search():
    found = probe("briefgen.pdf")
    assert found == {"slow": 0, "restored": True, "loaded": [True, True, True, True]}


@pytest.mark.slow
def test_libraries_load_even_when_the_linker_cache_knows_none():
    """A miss sends WeasyPrint to its next name (`libpango-1.0.so.0`), which the dynamic
    loader opens itself."""
    found = probe(
        "briefgen.pdf", setup="import briefgen.pdf.startup as s; s.linker_cache = lambda: b''"
    )
    assert found["loaded"] == [True, True, True, True]
    assert found["slow"] == 0
    assert found["restored"]


def test_the_linker_cache_is_read_once_and_answers_as_ctypes_does():
    import ctypes.util

    runs = []
    real = startup.linker_cache
    lookup = startup._linker_cache_lookup()
    startup_cache = lambda: runs.append(1) or real()  # noqa: E731
    names = ["gobject-2.0", "libgobject-2.0-0", "pango-1.0", "harfbuzz-subset", "c", "m", "zz9"]
    try:
        startup.linker_cache = startup_cache
        answers = [lookup(name) for name in names]
    finally:
        startup.linker_cache = real
    assert runs == [1]
    assert answers == [ctypes.util._findSoname_ldconfig(name) for name in names]
    assert answers[0] == "libgobject-2.0.so.0"  # the control: some are found


def test_ctrl_c_and_sigterm_wait_while_ldconfig_runs():
    """Held back while it runs (delivered after): the program is never orphaned."""
    import signal

    stopping = {signal.SIGINT, signal.SIGTERM}
    held_while_running = []
    real_run = startup.subprocess.run

    def run(*args, **kwargs):
        held_while_running.append(stopping <= signal.pthread_sigmask(signal.SIG_BLOCK, []))
        return real_run(*args, **kwargs)

    before = signal.pthread_sigmask(signal.SIG_BLOCK, [])
    try:
        startup.subprocess.run = run
        listing = startup.linker_cache()
    finally:
        startup.subprocess.run = real_run
    assert held_while_running == [True]
    assert signal.pthread_sigmask(signal.SIG_BLOCK, []) == before  # as it was
    assert b"libc.so.6" in listing


def test_a_failed_quick_import_is_tried_again_with_the_full_search(monkeypatch, capsys):
    import ctypes.util

    full_search = ctypes.util.find_library
    seen = []

    def fake_import(name):
        seen.append(ctypes.util.find_library)
        if len(seen) == 1:
            print("WeasyPrint could not import some external libraries.")  # as it does
            raise OSError("cannot load library 'gobject-2.0-0'")
        return "the module"

    monkeypatch.delitem(sys.modules, "weasyprint")
    monkeypatch.setattr(startup.importlib, "import_module", fake_import)
    assert startup.import_weasyprint() == "the module"
    assert seen[0] is not full_search
    assert seen[1] is full_search
    assert ctypes.util.find_library is full_search
    assert capsys.readouterr().out == ""  # its advice is not printed: the retry worked


# The same document, drawn by WeasyPrint alone and after briefgen's import.
DRAW = """
import hashlib, importlib, json, sys
importlib.import_module({what!r})
import weasyprint
import weasyprint.pdf.fonts
{setup}
SELDOM = ("fontTools.subset", "fontTools.varLib")
seldom = lambda: sorted(m for m in sys.modules if m.startswith(SELDOM))
imported = seldom()
html = '<p>Talks in Beijing</p><p lang="zh-Hans">秦刚 王毅</p><p><b>Bold</b> <i>italic</i></p>'
data = weasyprint.HTML(string=html).write_pdf(pdf_tags=True)
print(json.dumps({{
    "sha": hashlib.sha256(data).hexdigest(),
    "imported": imported,
    "after": seldom(),
}}))
"""


@functools.cache  # the same drawing serves every test that asks for it
def draw(what: str, setup: str = "") -> dict:
    import json

    done = subprocess.run(
        [sys.executable, "-c", DRAW.format(what=what, setup=setup)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        env={**__import__("os").environ, "SOURCE_DATE_EPOCH": "0"},
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


# HarfBuzz's subsetter missing: WeasyPrint subsets with fontTools'.
WITHOUT_HARFBUZZ_SUBSET = "weasyprint.pdf.fonts.harfbuzz_subset = None"


@pytest.mark.slow
def test_fonttools_subsetter_and_instancer_wait_until_used():
    bare, ours = draw("weasyprint"), draw("briefgen.pdf")
    assert "fontTools.subset" in bare["imported"]  # the control: WeasyPrint imports both
    assert "fontTools.varLib.instancer" in bare["imported"]
    assert ours["imported"] == ours["after"] == []  # HarfBuzz subsets: never imported
    assert ours["sha"] == bare["sha"]


@pytest.mark.slow  # fontTools subsets the CJK font in pure Python: ~10 s
def test_the_fonttools_subsetter_imports_when_first_used_and_draws_the_same():
    bare = draw("weasyprint", WITHOUT_HARFBUZZ_SUBSET)
    ours = draw("briefgen.pdf", WITHOUT_HARFBUZZ_SUBSET)
    assert ours["imported"] == []
    assert "fontTools.subset" in ours["after"]  # loaded by its first use
    assert ours["sha"] == bare["sha"]


@pytest.mark.slow
def test_stand_ins_leave_the_real_modules_to_later_imports():
    """After WeasyPrint's import, importing either module gives the real one; the
    stand-in WeasyPrint keeps delegates to it, functions included."""
    script = """
import sys, briefgen.pdf, weasyprint.pdf.fonts as wp_fonts
assert "fontTools.subset" not in sys.modules
assert not hasattr(wp_fonts.subset, "__path__")  # a dunder never loads it
assert "fontTools.subset" not in sys.modules
import fontTools.subset, fontTools.varLib.instancer as instancer
assert type(fontTools.subset).__name__ == "module"
assert wp_fonts.subset.Subsetter is fontTools.subset.Subsetter
assert wp_fonts.instantiateVariableFont is not instancer.instantiateVariableFont
import traceback
try:
    wp_fonts.instantiateVariableFont(None, {})
except Exception as exc:  # the real function ran, and failed on its bad argument
    ran = [f.filename for f in traceback.extract_tb(exc.__traceback__)]
    assert any(name.endswith("instancer/__init__.py") for name in ran), ran
    print("ok")
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.stdout.strip() == "ok", done.stderr


def source_of_path(module: str) -> str:
    """Where a module's source is, found without importing it."""
    spec = importlib.util.find_spec(module)
    assert spec is not None
    assert spec.origin is not None
    return spec.origin


def source_of(module: str) -> str:
    return Path(source_of_path(module)).read_text(encoding="utf-8")


def test_what_each_patch_replaces_is_still_where_it_was():
    """Each patch of pdf/startup.py stands on call sites of WeasyPrint 70, cffi and ctypes:
    when an upgrade moves one, this fails (update the patch or drop it), rather than the
    patch going quietly stale or wrong."""
    import ast
    import ctypes.util

    # 1. The quick library lookup: WeasyPrint tries names with `ffi.dlopen`, cffi hands
    #    each it cannot open to `ctypes.util.find_library`, whose linker-cache search we copy.
    ffi_source = source_of("weasyprint.text.ffi")
    assert "def _dlopen(ffi, *names, allow_fail=False):" in ffi_source
    assert "return ffi.dlopen(name, flags)" in ffi_source
    assert "path = ctypes.util.find_library(name)" in source_of("cffi.api")
    assert hasattr(ctypes.util, "_findSoname_ldconfig")
    # 2. fontTools imported when first used: what WeasyPrint imports of the deferred modules.
    imported: dict[str, set[str]] = {}
    package = Path(source_of_path("weasyprint")).parent
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                for alias in node.names:
                    whole = f"{node.module}.{alias.name}"
                    if whole in startup.DEFERRED:  # `from fontTools import subset`
                        imported.setdefault(whole, set())
                    elif node.module in startup.DEFERRED:
                        imported.setdefault(node.module, set()).add(alias.name)
    assert imported == {name: set(names) for name, names in startup.DEFERRED.items()}

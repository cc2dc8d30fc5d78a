"""Shared fixtures: the real CLI driven in-process through `main(argv)` (a subprocess only
where the process itself is under test), and documents laid out once per session."""

from __future__ import annotations

import contextlib
import functools
import gc
import io
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from briefgen.cli import main

ROOT = Path(__file__).resolve().parent.parent
# A build's child is forked from the test worker and capped in address space (RLIMIT_AS),
# which counts what it inherits: a worker that has laid many documents out maps close to the
# 2 GB default by the end of a full run. Tests of the cap pass --max-memory themselves.
os.environ.setdefault("BRIEFGEN_MAX_MEMORY", "4096")
# Laying out makes many objects and few cycles: collected as seldom as a build's child
# collects (briefgen/worker.py), the full collections of a worker holding laid-out
# documents cost 15 s of a quick run's CPU.
gc.set_threshold(50_000, 50, 50)
EXAMPLE = ROOT / "briefs" / "beijing-2023.yaml"
CORPUS = Path(__file__).resolve().parent / "corpus"
MINIMAL = CORPUS / "good" / "minimal.yaml"


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


def run_cli(*args, cwd: Path | None = None) -> Result:
    """`briefgen ARGS` in this process, as a user would run it, capturing its output."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.ExitStack() as stack:
        if cwd is not None:
            stack.enter_context(contextlib.chdir(cwd))
        stack.enter_context(contextlib.redirect_stdout(out))
        stack.enter_context(contextlib.redirect_stderr(err))
        code = main([str(a) for a in args])
    return Result(code, out.getvalue(), err.getvalue())


def run_process(*args, cwd: Path | None = None, timeout: float = 120, **kwargs):
    """`python -m briefgen ARGS` as its own process (for what only a process shows)."""
    return subprocess.run(
        [sys.executable, "-m", "briefgen", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=timeout,
        **kwargs,
    )


def lay_out(trip: Path, layout: str = "book", event: str | None = None, duplex: bool = False):
    """A trip laid out in pages (briefgen.pdf.Rendered: the WeasyPrint document, its
    warnings and what overflows a budget), each call anew: tests/test_stress.py holds its
    book for one module, out of `laid_out`'s cache."""
    from briefgen import pdf
    from briefgen.load import load
    from briefgen.render import Templates, render_document
    from briefgen.validate import validate

    brief = validate(load(trip))
    templates = Templates()
    html = render_document(brief, layout=layout, templates=templates, event=event, duplex=duplex)[0]
    folders = [brief.folder, *templates.folders]
    return pdf.render(html, layout=layout, folders=folders, duplex=duplex, output=brief.trip.output)


# each (trip, layout, event, duplex) laid out once while in use; a few kept at a time: a
# worker holding every layout of a run (the stress book among them) grew past the 2 GB
# address space a build's forked child may map (--max-memory), and every build failed (twelve
# kept: tests/test_worker.py's children, capped at the default 2 GB, failed so)
laid_out = functools.lru_cache(maxsize=4)(lay_out)  # `lay_out`, shared while in use


@pytest.fixture
def example_libraries(tmp_path) -> Path:
    """The example's libraries beside the test's own trip files (tmp_path/library), so a
    changed copy of the example still finds the people and issues it includes."""
    import shutil

    shutil.copytree(EXAMPLE.parent / "library", tmp_path / "library")
    return tmp_path


@pytest.fixture(scope="session")
def example_as(tmp_path_factory) -> Callable[..., Path]:
    """`example_as(layout="book", standard=None, *options, trip=EXAMPLE)`: the example's (or
    `trip`'s) PDF in that layout (and PDF standard, and build options such as `--event ID`),
    laid out once per test run and shared by every test that reads it: under xdist the
    workers share the run's temporary folder, and the first to ask builds it while the
    others wait on its lock."""
    import fcntl
    import hashlib
    import os

    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base

    def laid_out(
        layout: str = "book", standard: str | None = None, *options: str, trip: Path = EXAMPLE
    ) -> Path:
        key = repr((layout, standard, options, str(trip)))
        folder = shared / f"example-{hashlib.sha256(key.encode()).hexdigest()[:16]}"
        name = f"{trip.stem}.pdf" if layout == "book" else f"{trip.stem}-{layout}.pdf"
        out = folder / name
        with (shared / f"{folder.name}.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not out.exists():
                folder.mkdir(exist_ok=True)
                args = ["--layout", layout] + (["--pdf-standard", standard] if standard else [])
                result = run_cli("build", trip, *args, *options, "-o", out)
                assert result.returncode == 0, result.stderr
        return out

    return laid_out


@pytest.fixture(scope="session")
def example_pdf(example_as) -> Path:
    """The example's book."""
    return example_as("book")


@pytest.fixture(scope="session")
def example_reader(example_pdf):
    from pypdf import PdfReader

    return PdfReader(example_pdf)


@pytest.fixture(scope="session")
def example_pages(example_pdf) -> list[str]:
    """Each page's text, read once."""
    from helpers import page_texts

    return page_texts(example_pdf)


CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session")
def chromium_browser():
    """Debian's Chromium, headless, driven by playwright (never `playwright install`), for
    opening `--html` output as a reader would. Skips only when /usr/bin/chromium is absent
    (scripts/bootstrap.sh installs it)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: run scripts/bootstrap.sh (apt package chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        try:
            yield browser
        finally:
            browser.close()

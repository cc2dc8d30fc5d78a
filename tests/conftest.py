"""Shared fixtures: the real CLI driven in-process through `main(argv)` (a subprocess only
where the process itself is under test), and documents laid out once per session."""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings

from briefgen.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "briefs" / "beijing-2023.yaml"
CORPUS = Path(__file__).resolve().parent / "corpus"
MINIMAL = CORPUS / "good" / "minimal.yaml"


def drawn_trips(examples: int) -> settings:
    """Hypothesis settings for trips drawn from the schema (bench/fuzz.py): no example
    database, no shrinking (the seed gives the same trips every run), every health check
    off (drawing is slow and most drawn trips are invalid)."""
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )


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


@pytest.fixture
def example_libraries(tmp_path) -> Path:
    """The example's libraries beside the test's own trip files (tmp_path/library), so a
    changed copy of the example still finds the people and issues it includes."""
    import shutil

    shutil.copytree(EXAMPLE.parent / "library", tmp_path / "library")
    return tmp_path


@pytest.fixture(scope="session")
def example_pdf(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("example") / "beijing-2023.pdf"
    result = run_cli("build", EXAMPLE, "-o", out)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def example_reader(example_pdf):
    from pypdf import PdfReader

    return PdfReader(example_pdf)


@pytest.fixture(scope="session")
def example_pages(example_reader) -> list[str]:
    return [page.extract_text() for page in example_reader.pages]


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

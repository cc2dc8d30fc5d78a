"""Shared fixtures: the real CLI in a subprocess, and PDFs built once per session."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "briefs" / "beijing-2023.yaml"
CORPUS = Path(__file__).resolve().parent / "corpus"
MINIMAL = CORPUS / "good" / "minimal.yaml"


def run_cli(*args: str, cwd: Path | None = None, timeout: float = 120):
    """Run `python -m briefgen ARGS` as a user would, capturing its output."""
    return subprocess.run([sys.executable, "-m", "briefgen", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, timeout=timeout)


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

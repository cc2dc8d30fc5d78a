"""Visual regression: every page of the example, in each layout, against stored references.

After an intended change to the look, refresh the references and review them in the diff:

    BRIEFGEN_UPDATE_VISUAL=1 .venv/bin/python -m pytest tests/test_visual.py
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat

REFERENCES = Path(__file__).resolve().parent / "visual"
DPI = 40
MEAN_TOLERANCE = 1.5  # mean absolute grey-level difference per page, 0..255
CHANGED_PIXELS_TOLERANCE = 0.004  # share of pixels that differ by more than a quarter
UPDATE = os.environ.get("BRIEFGEN_UPDATE_VISUAL") == "1"

pytestmark = pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed"
)


def rasterise(pdf: Path, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-gray", "-r", str(DPI), str(pdf), str(folder / "page")], check=True
    )
    return sorted(folder.glob("page-*.png"))


def difference(a: Image.Image, b: Image.Image) -> tuple[float, float]:
    diff = ImageChops.difference(a.convert("L"), b.convert("L"))
    changed = sum(diff.point(lambda v: 255 if v > 64 else 0).histogram()[255:]) / (
        diff.width * diff.height
    )
    return ImageStat.Stat(diff).mean[0], changed


@pytest.mark.parametrize("layout", [pytest.param("book", marks=pytest.mark.slow), "memo", "card"])
def test_pages_look_as_approved(tmp_path, example_as, layout):
    pages = rasterise(example_as(layout), tmp_path / "pages")
    reference_dir = REFERENCES / layout
    if UPDATE:
        shutil.rmtree(reference_dir, ignore_errors=True)
        reference_dir.mkdir(parents=True)
        for page in pages:
            shutil.copy(page, reference_dir / page.name)
        pytest.skip(f"references for {layout} refreshed: review them before committing")
    references = sorted(reference_dir.glob("page-*.png"))
    assert len(pages) == len(references), "the page count changed"
    for page, reference in zip(pages, references, strict=True):
        with Image.open(page) as got, Image.open(reference) as want:
            assert got.size == want.size, f"{reference.name}: page size changed"
            mean, changed = difference(got, want)
            message = (
                f"{layout} {reference.name} differs (mean {mean:.2f}, {changed:.2%} of pixels); "
                "if intended, refresh: BRIEFGEN_UPDATE_VISUAL=1 .venv/bin/python -m pytest "
                "tests/test_visual.py"
            )
            assert mean <= MEAN_TOLERANCE, message
            assert changed <= CHANGED_PIXELS_TOLERANCE, message

"""The built wheel carries its templates: install it into a fresh venv and build a trip. In
a checkout (an editable install) the same one lookup finds the top-level templates/."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import EXAMPLE, ROOT


def test_one_lookup_finds_the_templates_from_a_checkout():
    from briefgen.render.environment import builtin_template_dir

    assert builtin_template_dir() == ROOT / "templates"
    assert (builtin_template_dir() / "book.html.j2").is_file()
    spelled = [
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "briefgen").rglob("*.py")
        if re.search(r'/\s*"templates"', path.read_text(encoding="utf-8"))
    ]
    assert spelled == ["briefgen/render/environment.py"]  # the built-ins' and house styles'


@pytest.mark.slow
def test_wheel_installs_and_builds_from_anywhere(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(dist),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("briefgen-*.whl")
    import zipfile

    names = zipfile.ZipFile(wheel).namelist()
    for template in (
        "base.html.j2",
        "book.html.j2",
        "macros.html.j2",
        "style.css",
        "rtl.css",
        "skeleton.yaml",
    ):
        assert f"briefgen/templates/{template}" in names
    for language in ("fr", "es", "de", "ar"):  # read at run time (briefgen.language)
        assert f"briefgen/catalogues/{language}.po" in names

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig;print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    # The dependencies come from the test environment; briefgen itself only from the wheel.
    (site / "zz_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "-q",
            "--no-deps",
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )

    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    where = subprocess.run(
        [
            str(python),
            "-c",
            "import briefgen.render.environment as r;print(r.builtin_template_dir())",
        ],
        cwd=workdir,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    assert where.startswith(str(site)), where
    out = workdir / "book.pdf"
    result = subprocess.run(
        [str(env_dir / "bin" / "briefgen"), "build", str(EXAMPLE), "-o", str(out)],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert len(PdfReader(out).pages) > 10
    french = workdir / "memo.html"  # the catalogues and CLDR from the installed wheel
    result = subprocess.run(
        [
            str(env_dir / "bin" / "briefgen"),
            "build",
            str(EXAMPLE),
            "--layout",
            "memo",
            "--set",
            "trip.language=fr",
            "--html",
            "-o",
            str(french),
        ],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "15 juin 2023" in french.read_text(encoding="utf-8")

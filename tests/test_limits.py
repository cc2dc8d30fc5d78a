"""Large but valid trips finish or fail cleanly; every limit is a located error or one line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefgen.limits import LONG_WORD_CHARS, MAX_ASSET_BYTES, MAX_TEXT_CHARS
from briefgen.load import load_text
from briefgen.render import render_html
from briefgen.render.view import build_view
from briefgen.validate import validate
from conftest import MINIMAL, run_cli
from helpers import png


def with_bio(bio: str) -> str:
    return MINIMAL.read_text(encoding="utf-8").replace(
        "    bio: Career diplomat; previously ambassador to the United States.\n",
        f'    bio: "{bio}"\n',
        1,
    )


def test_a_text_over_the_limit_is_a_located_error(tmp_path):
    trip = tmp_path / "t.yaml"
    trip.write_text(with_bio("x " * (MAX_TEXT_CHARS // 2 + 1)), encoding="utf-8")
    result = run_cli("check", trip)
    assert result.returncode == 1
    line = next(n for n, text in enumerate(trip.read_text().splitlines(), 1) if "bio:" in text)
    assert re.search(
        rf"t\.yaml:{line}:\d+: people\.qin-gang\.bio: this text is 100,002 "
        r"characters long, over the limit of 100,000",
        result.stderr,
    ), result.stderr


def test_huge_words_may_break_anywhere_and_links_keep_their_address():
    word = "w" * 20_000
    text = with_bio(f"{word} and [a link](https://example.org/{'p' * 300})")
    brief = validate(
        load_text(text.replace("title: Secretary of State", "title: " + "T" * 5_000), "t.yaml")
    )
    html = render_html(brief)
    printed = re.sub(r"<[^>]+>", " ", html)
    longest = max(len(run) for run in re.split(r"[\s\u200b]+", printed))
    assert longest <= LONG_WORD_CHARS  # the engine never has to search inside a huge word
    assert f'href="https://example.org/{"p" * 300}"' in html


@pytest.mark.slow
def test_a_word_of_100000_characters_builds(tmp_path):
    trip = tmp_path / "t.yaml"
    trip.write_text(with_bio("z" * 100_000), encoding="utf-8")
    result = run_cli("build", trip, "--timeout", "120")
    assert result.returncode == 0, result.stderr


@pytest.mark.slow
def test_the_view_is_computed_once_for_thousands_of_people():
    people = "".join(
        f"  p{i}:\n    name: Person {i}\n    title: Official\n    side: host\n"
        f'    bio: ["{"word " * (5 if i % 2 else 500)}"]\n'
        for i in range(4000)
    )
    text = MINIMAL.read_text(encoding="utf-8").replace("people:\n", "people:\n" + people, 1)
    view = build_view(validate(load_text(text, "t.yaml")))
    assert len(view.bios) == 4002  # and the two hosts of the trip
    assert len(view.long_bios) == 2000  # precomputed sets, not recomputed per bio
    assert "p1" in view.bio_ids
    assert "p2" in view.long_bios
    assert "p1" not in view.long_bios


def test_photos_are_checked_before_the_build(tmp_path):
    trip = tmp_path / "t.yaml"
    text = MINIMAL.read_text(encoding="utf-8").replace(
        "    title: Secretary of State\n", "    title: Secretary of State\n    photo: p.png\n"
    )
    trip.write_text(text, encoding="utf-8")
    (tmp_path / "p.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"not really a png")
    result = run_cli("check", trip)
    assert result.returncode == 1
    assert "people.blinken.photo: photo 'p.png' cannot be read as an image" in result.stderr
    with (tmp_path / "p.png").open("wb") as fh:  # sparse: over the cap without the disk
        fh.write(png(8, 8))
        fh.truncate(MAX_ASSET_BYTES + 1)
    result = run_cli("check", trip)
    assert result.returncode == 1
    assert (
        "people.blinken.photo: photo 'p.png' is 20.0 MB, over the limit of 20 MB for an image"
        in result.stderr
    )


@pytest.mark.slow
def test_same_bytes_from_any_folder_with_a_photo(tmp_path):
    text = MINIMAL.read_text(encoding="utf-8").replace(
        "    title: Secretary of State\n", "    title: Secretary of State\n    photo: p.png\n"
    )
    outputs = []
    for folder in ("a", "b/c"):
        where: Path = tmp_path / folder
        where.mkdir(parents=True)
        (where / "t.yaml").write_text(text, encoding="utf-8")
        (where / "p.png").write_bytes(png(40, 50))
        result = run_cli("build", where / "t.yaml")
        assert result.returncode == 0, result.stderr
        outputs.append((where / "t.pdf").read_bytes())
    assert outputs[0] == outputs[1]
    assert b"file:" not in outputs[0]


def test_a_time_cap_past_a_day_is_a_usage_error(tmp_path):
    """(It reached the operating system's clock as an overflow: `unexpected error`.)"""
    trip = tmp_path / "t.yaml"
    trip.write_bytes(MINIMAL.read_bytes())
    result = run_cli("build", trip, "--timeout", "1e12")
    assert result.returncode == 2
    assert "--timeout" in result.stderr
    assert "86400" in result.stderr
    assert "unexpected" not in result.stderr

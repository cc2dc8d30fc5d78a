"""Issue 16, item 8: the `--html` preview is a web page. Opened in Debian's Chromium at a
desktop width (1280 px) and a phone's (390 px): nothing wider than the window, a margin,
a readable measure, the banner first and last, page references as links to their anchors,
and no request but the file itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import EXAMPLE, run_cli

WIDTHS = (1280, 390)
BANNER = "SENSITIVE BUT UNCLASSIFIED"


@pytest.fixture(scope="module")
def previews(tmp_path_factory) -> dict[str, Path]:
    """The example's book, memo and card as `--html` files."""
    folder = tmp_path_factory.mktemp("html")
    made = {}
    for layout in ("book", "memo", "card"):
        out = folder / f"{layout}.html"
        result = run_cli("build", EXAMPLE, "--layout", layout, "--html", "-o", out)
        assert result.returncode == 0, result.stderr
        made[layout] = out
    return made


@pytest.fixture
def opened(chromium_browser):
    """`opened(file, width)` -> (page, requests): the file in a window that wide."""
    contexts = []

    def open_at(path: Path, width: int):
        context = chromium_browser.new_context(viewport={"width": width, "height": 900})
        contexts.append(context)
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(path.as_uri(), wait_until="load")
        return page, requests

    yield open_at
    for context in contexts:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("layout", ["book", "memo", "card"])
@pytest.mark.slow
def test_no_sideways_scrolling_and_the_banner_first_and_last(
    previews, opened, layout, width, tmp_path
):
    page, requests = opened(previews[layout], width)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    lines = [line for line in page.inner_text("body").splitlines() if line.strip()]
    assert lines[0] == BANNER
    assert lines[-1] == BANNER
    assert requests == [previews[layout].as_uri()]  # nothing leaves the file
    page.screenshot(path=str(tmp_path / f"{layout}-{width}.png"))


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.slow
def test_a_margin_and_a_readable_measure(previews, opened, width):
    page, _ = opened(previews["book"], width)
    measure = page.evaluate(
        """() => {
        const longest = [...document.querySelectorAll('p.portion')]
            .sort((a, b) => b.textContent.length - a.textContent.length)[0];
        const box = longest.getBoundingClientRect();
        const lineHeight = parseFloat(getComputedStyle(longest).lineHeight);
        const lines = Math.round(box.height / lineHeight);
        return {left: box.left, right: window.innerWidth - box.right,
                perLine: longest.textContent.length / lines};
    }"""
    )
    assert measure["left"] >= 8
    assert measure["right"] >= 8
    if width == 1280:
        assert 55 <= measure["perLine"] <= 85, measure  # about 70 characters a line


@pytest.mark.slow
def test_page_references_are_links_to_their_anchors(previews, opened):
    page, _ = opened(previews["book"], 1280)
    text = page.inner_text("body")
    assert "p. )" not in text
    assert "issue paper, p." not in text
    links = page.evaluate(
        """() => [...document.querySelectorAll('.see a')]
            .filter(a => a.offsetParent !== null).map(a => a.getAttribute('href'))"""
    )
    assert links
    assert len(links) == text.count("(issue paper)")
    for href in set(links):
        assert href.startswith("#issue-")
        assert page.locator(href).count() == 1, href

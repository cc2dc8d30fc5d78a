"""What a house style may load and embed (issue 22, item 1): only its own folder and the
built-in templates; never the trip file, its libraries or anything beside them; no
attachment but briefgen's own, and none at all in a releasable edition. Every red-team
payload of tests/corpus/house/payloads.yaml, in the PDF and in --html."""

from __future__ import annotations

import os
from pathlib import Path

import pikepdf
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.render.reach import readable_file
from conftest import CORPUS, EXAMPLE, MINIMAL, run_cli
from helpers import attachments, pdf_text

PAYLOADS = yaml.safe_load((CORPUS / "house" / "payloads.yaml").read_text(encoding="utf-8"))
CANARY = "LEAK-CANARY-q7Zx"
LIBRARY = f"""briefgen-library: 1
# {CANARY} (a library's own text)
people:
  extra:
    name: Extra Person
    title: Adviser
    side: home
"""


def everything_in(pdf: Path) -> str:
    """All a PDF holds, as text to search: its raw bytes, every stream decompressed, every
    string, every attachment, and the text of every page."""
    parts = [pdf.read_bytes()]
    with pikepdf.open(pdf) as document:
        for obj in document.objects:
            if isinstance(obj, pikepdf.Stream):
                parts.append(obj.read_bytes())
            elif isinstance(obj, pikepdf.Dictionary | pikepdf.Array):
                parts.append(repr(obj).encode("utf-8", "replace"))
    parts += [data for _, data in attachments(pdf)]
    text = pdf_text(pdf)
    return "\n".join(p.decode("latin-1") for p in parts) + "\n" + text


def trip_with_house(tmp_path: Path, payload: dict) -> Path:
    """A copy of the minimal trip (with a canary comment) that includes a small library,
    and a house style beside it carrying the payload in its memo (the one-page layout: what
    a house style may load does not depend on the layout, and every layout extends the
    same cover and base templates)."""
    (tmp_path / "library").mkdir()
    library = tmp_path / "library" / "people.yaml"
    library.write_text(LIBRARY, encoding="utf-8")
    trip = tmp_path / "trip.yaml"
    trip.write_text(
        f"# {CANARY} (the trip's own text)\n"
        + MINIMAL.read_text(encoding="utf-8").replace(
            "briefgen: 1\n", "briefgen: 1\ninclude: [library/people.yaml]\n", 1
        ),
        encoding="utf-8",
    )
    house = tmp_path / "templates"
    house.mkdir()

    def placed(text: str) -> str:
        return text.replace("TRIP", trip.as_uri()).replace("LIBRARY", library.as_uri())

    (house / "memo.html.j2").write_text(
        '{% extends "builtin/memo.html.j2" %}\n'
        f"{{% block head %}}{placed(payload.get('head', ''))}{{% endblock %}}\n"
        f"{{% block purpose %}}{placed(payload.get('body', ''))}"
        "{{ super() }}{% endblock %}\n",
        encoding="utf-8",
    )
    if "css" in payload:
        (house / "style.css").write_text(placed(payload["css"]), encoding="utf-8")
    for name, target in payload.get("links", {}).items():
        (house / name).symlink_to(target)
    return trip


@pytest.mark.parametrize("name", list(PAYLOADS), ids=list(PAYLOADS))
@pytest.mark.slow
def test_a_house_style_loads_and_embeds_nothing_of_the_trip(tmp_path, name):
    payload = PAYLOADS[name]
    trip = trip_with_house(tmp_path, payload)
    pdf = tmp_path / "trip.pdf"
    result = run_cli("build", trip, "--layout", "memo", "-o", pdf)
    assert "Traceback" not in result.stderr
    if payload["pdf"] == "refused":
        assert result.returncode == 1, result.stdout + result.stderr
        lines = [line for line in result.stderr.splitlines() if "refused to load" in line]
        assert len(lines) == 1, result.stderr
        assert "only files in the house style's folder and the built-in templates" in lines[0]
        assert not pdf.exists()
    else:
        assert result.returncode == 0, result.stderr
        assert "dropped an attachment the templates asked for" in result.stderr
        assert attachments(pdf) == []
        held = everything_in(pdf)
        assert CANARY not in held
        assert "root:x:0:0" not in held
    html = tmp_path / "trip.html"
    result = run_cli("build", trip, "--layout", "memo", "--html", "-o", html)
    assert result.returncode == 0, result.stderr
    markup = html.read_text(encoding="utf-8")
    assert CANARY not in markup
    assert "root:x:0:0" not in markup
    assert "briefgen-library" not in markup
    assert "briefgen: 1" not in markup
    for leak in ("trip.yaml", "people.yaml", "/etc/passwd", "leak.css", "file:"):
        assert leak not in markup, leak
    assert "<link" not in markup
    assert "@import" not in markup


@pytest.mark.parametrize(
    ("layout", "standard"),  # PDF/A's own attachments: test_a_full_archival_book_attaches_...
    [
        ("memo", None),  # quick: the attached trip file would hold every withheld text
        pytest.param("book", None, marks=pytest.mark.slow),  # the whole book
        pytest.param("book", "pdf/a-3b", marks=pytest.mark.slow),
    ],
)
def test_an_edition_with_an_attaching_house_style_holds_no_withheld_text(
    tmp_path, layout, standard
):
    """The issue's reproduction: `--release U` with a house style that attaches the trip
    file beside it (and a copy of the trip in its folder's parent). The issue used the
    example's book; the printing trip withholds as many kinds of portion in half the pages,
    and its memo, one page, would carry them all in the attached trip file."""
    trip = tmp_path / "trip.yaml"
    trip.write_bytes((CORPUS / "good" / "printing.yaml").read_bytes())
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / f"{layout}.html.j2").write_text(
        f'{{% extends "builtin/{layout}.html.j2" %}}\n'
        '{% block head %}<link rel="attachment" href="trip.yaml">'
        f'<link rel="attachment" href="{trip.as_uri()}">{{% endblock %}}\n'
        f'{{% block purpose %}}<a rel="attachment" href="{trip.as_uri()}">trip</a>'
        "{{ super() }}{% endblock %}\n",
        encoding="utf-8",
    )
    out = tmp_path / "trip-rel-u.pdf"
    options = ["--pdf-standard", standard] if standard else []
    result = run_cli("build", trip, "--layout", layout, "--release", "U", *options, "-o", out)
    assert result.returncode == 0, result.stderr
    assert "withheld" in result.stderr + result.stdout
    assert attachments(out) == []
    held = " ".join(everything_in(out).split())
    withheld = withheld_texts(trip)
    assert len(withheld) >= 5
    for text in withheld:
        assert text not in held, text
    assert "briefgen: 1" not in held


def withheld_texts(trip: Path) -> list[str]:
    """The first words of every portion marked above U in the trip file (what `--release U`
    leaves out), long enough to be unmistakable."""
    found: list[str] = []

    def walk(node) -> None:
        if isinstance(node, dict):
            if node.get("mark") in ("SBU", "C", "S") and isinstance(node.get("text"), str):
                words = " ".join(node["text"].split()[:6])
                if len(words) > 20:
                    found.append(words)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(yaml.safe_load(trip.read_text(encoding="utf-8")))
    return found


@pytest.mark.slow
def test_a_full_archival_book_attaches_only_what_briefgen_adds(tmp_path, example_libraries):
    trip = tmp_path / "trip.yaml"
    trip.write_bytes(EXAMPLE.read_bytes())
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "card.html.j2").write_text(
        '{% extends "builtin/card.html.j2" %}{% block head %}'
        '<link rel="attachment" href="data:text/plain,extra">{% endblock %}',
        encoding="utf-8",
    )
    out = tmp_path / "card.pdf"
    result = run_cli("build", trip, "--layout", "card", "--pdf-standard", "pdf/a-3b", "-o", out)
    assert result.returncode == 0, result.stderr
    names = sorted(name for name, _ in attachments(out))
    assert names == ["library/issues.yaml", "library/people.yaml", "trip.yaml"]
    assert dict(attachments(out))["trip.yaml"] == trip.read_bytes()


def test_a_house_folder_holding_the_trip_is_refused(tmp_path):
    trip = tmp_path / "trip.yaml"
    trip.write_bytes(MINIMAL.read_bytes())
    (tmp_path / "book.html.j2").write_text('{% extends "builtin/book.html.j2" %}')
    for extra in ([], ["--html"]):
        result = run_cli("build", trip, "--template", tmp_path, *extra)
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        assert "the house style folder holds trip.yaml" in result.stderr


INCLUDING = (
    '{% extends "builtin/memo.html.j2" %}{% block purpose %}{{ super() }}'
    '{% set s %}{% include "old.txt" %}{% endset %}<p>{{ s | reverse }}</p>{% endblock %}'
)


@pytest.mark.parametrize("how", ["copy", "hard link", "the version compared with"])
def test_a_house_folder_holding_a_copy_of_what_the_trip_reads_is_refused(tmp_path, how):
    """A template includes the copy as text and prints it reversed: every withheld portion
    of a releasable edition, past a read-back that looks for the words as written."""
    trip = tmp_path / "trip.yaml"
    trip.write_bytes((CORPUS / "good" / "printing.yaml").read_bytes())
    house = tmp_path / "house"
    house.mkdir()
    (house / "memo.html.j2").write_text(INCLUDING, encoding="utf-8")
    since: list[object] = []
    if how == "copy":
        (house / "old.txt").write_bytes(trip.read_bytes())
    elif how == "hard link":
        os.link(trip, house / "old.txt")
    else:
        (house / "old.txt").write_bytes(trip.read_bytes().replace(b"title: ", b"title: Old ", 1))
        since = ["--changes-since", house / "old.txt"]
    out = tmp_path / "memo.pdf"
    args = ["--layout", "memo", "--release", "U", "--template", house, *since, "-o", out]
    result = run_cli("build", trip, *args)
    assert result.returncode == 1, result.stderr
    assert "the house style folder holds a trip or library file, or a copy" in result.stderr
    assert not out.exists()


def test_readable_file_follows_links_and_stays_inside(tmp_path):
    house = tmp_path / "house"
    house.mkdir()
    (house / "logo.png").write_bytes(b"png")
    (tmp_path / "trip.yaml").write_text("secret")
    (house / "out.png").symlink_to(tmp_path / "trip.yaml")
    (house / "in.png").symlink_to("logo.png")
    os.mkfifo(house / "fifo.css")
    assert readable_file((house / "logo.png").as_uri(), [house]) == house / "logo.png"
    assert readable_file((house / "in.png").as_uri(), [house]) == house / "logo.png"
    for url in [
        (house / "out.png").as_uri(),
        (house / ".." / "trip.yaml").as_uri(),
        (house / "fifo.css").as_uri(),
        house.as_uri(),
        "file://example.com" + (house / "logo.png").as_posix(),
        "http://127.0.0.1/logo.png",
        "data:text/plain,x",
    ]:
        assert readable_file(url, [house]) is None, url


def test_readback_finds_files_embedded_every_way(tmp_path):
    """The names tree (write_pdf attachments), a file attachment annotation (`<a
    rel=attachment>`) and the catalog's /AF (PDF/A-3b), each once, with their bytes."""
    import weasyprint

    html = (
        '<p><a rel="attachment" href="data:text/plain,from-an-annotation" '
        'download="annotated.txt">x</a></p>'
    )
    when = weasyprint.Attachment(string=b"from-the-names-tree", name="named.txt")
    out = tmp_path / "embedded.pdf"
    weasyprint.HTML(string=html).write_pdf(out, attachments=[when], pdf_variant="pdf/a-3b")
    found = attachments(out)
    assert sorted(data for _, data in found) == [b"from-an-annotation", b"from-the-names-tree"]
    assert "named.txt" in [name for name, _ in found]
    with pikepdf.open(out) as pdf:
        assert "/AF" in pdf.Root  # the archival variant lists it among associated files too
    plain = tmp_path / "plain.pdf"
    weasyprint.HTML(string="<p>nothing attached</p>").write_pdf(plain)
    assert attachments(plain) == []


def test_readback_finds_a_file_no_name_tree_lists(tmp_path):
    """A file specification reached only from a link's action, and an embedded-file stream
    nothing names, are found too."""
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        hidden = pdf.make_stream(b"hidden-by-an-action", Type=pikepdf.Name.EmbeddedFile)
        lone = pdf.make_stream(b"named-by-nothing", Type=pikepdf.Name.EmbeddedFile)
        spec = pdf.make_indirect(
            pikepdf.Dictionary(Type=pikepdf.Name.Filespec, F="a.txt", EF={"/F": hidden})
        )
        action = pikepdf.Dictionary(S=pikepdf.Name.GoToE, F=spec)
        pdf.pages[0].obj.Annots = pdf.make_indirect(
            pikepdf.Array([pikepdf.Dictionary(Subtype=pikepdf.Name.Link, A=action)])
        )
        pdf.Root.Extra = lone  # reachable, so it is kept when saved
        pdf.save(tmp_path / "hidden.pdf")
    assert sorted(attachments(tmp_path / "hidden.pdf")) == [
        ("(unnamed)", b"named-by-nothing"),
        ("a.txt", b"hidden-by-an-action"),
    ]


SEGMENTS = ["..", ".", "", "logo.png", "trip.yaml", "library", "people.yaml", "up", "in", "%2e%2e"]


@given(st.lists(st.sampled_from(SEGMENTS), min_size=1, max_size=8))
@settings(max_examples=300, deadline=None, database=None)
@pytest.mark.slow
def test_no_path_reaches_beside_the_house_folder(tmp_path_factory, segments):
    """Any walk of `..`, `.`, links and names from the house folder: what readable_file
    allows is a regular file inside it, never the trip or its library."""
    top = tmp_path_factory.mktemp("walk")
    house = top / "templates"
    if not house.exists():
        house.mkdir()
        (house / "logo.png").write_bytes(b"png")
        (top / "trip.yaml").write_text("trip")
        (top / "library").mkdir()
        (top / "library" / "people.yaml").write_text("library")
        (house / "up").symlink_to("..")
        (house / "in").symlink_to("logo.png")
    url = house.as_uri() + "/" + "/".join(segments)
    found = readable_file(url, [house])
    assert found is None or (found.is_relative_to(house) and found.name == "logo.png"), url


def test_no_trip_hides_in_a_house_folder_behind_a_size_an_edit_or_a_crowd(tmp_path, monkeypatch):
    """A compared version the size of the trip hid the trip's copy (one file kept per
    size); a copy with a newline more passed; past 10,000 files the rest went unread."""
    from briefgen.render import reach

    trip = tmp_path / "trip.yaml"
    trip.write_bytes((CORPUS / "good" / "printing.yaml").read_bytes())
    house = tmp_path / "house"
    house.mkdir()
    (house / "memo.html.j2").write_text(INCLUDING, encoding="utf-8")
    same_size = tmp_path / "v1.yaml"
    same_size.write_bytes(trip.read_bytes().replace(b"start: ", b"start:  ", 1)[:-1])
    assert len(same_size.read_bytes()) == len(trip.read_bytes())

    def refused(*args: object) -> str:
        out = tmp_path / "memo.pdf"
        result = run_cli(
            "build",
            trip,
            "--layout",
            "memo",
            "--release",
            "U",
            "--template",
            house,
            *args,
            "-o",
            out,
        )
        assert result.returncode == 1, result.stderr
        assert not out.exists()
        return result.stderr

    (house / "old.txt").write_bytes(trip.read_bytes())  # found by its bytes
    assert "holds a trip or library file" in refused("--changes-since", same_size)
    (house / "old.txt").unlink()
    (house / "old.yaml").write_bytes(trip.read_bytes() + b"\n")  # found as a trip
    assert "holds a trip or library file" in refused()
    (house / "old.yaml").unlink()
    (house / "deep").mkdir()
    (house / "deep" / "old.txt").write_bytes(trip.read_bytes())
    for n in range(3):
        (house / f"filler-{n}.txt").write_text("x", encoding="utf-8")
    monkeypatch.setattr(reach, "MOST_HOUSE_FILES", 3)
    assert "holds more than 3 files" in refused()


def test_the_house_scan_reads_no_file_nothing_may_load(tmp_path, monkeypatch):
    """A house folder's YAML file past the asset limit is never read (nothing could load it);
    a FIFO is never opened."""
    from briefgen.render import reach

    house = tmp_path / "house"
    house.mkdir()
    (house / "big.yaml").write_bytes(b"briefgen: 1\n" + b"#" * 100)
    os.mkfifo(house / "pipe.yaml")
    monkeypatch.setattr(reach, "MAX_ASSET_BYTES", 50)
    reach.check_house_apart(house, [], [])


@pytest.mark.parametrize(
    "text",
    [
        "  briefgen: 1\n",  # the whole document indented
        "&k briefgen: 1\n",  # an anchor
        "!!str briefgen: 1\n",  # a tag
        '{"briefgen": 1, "memo": {}}\n',  # flow
        "? briefgen\n: 1\n",  # an explicit key
    ],
)
def test_a_trip_in_the_house_folder_is_found_however_its_key_is_written(tmp_path, text):
    from briefgen.errors import TemplateProblem
    from briefgen.render import reach

    (tmp_path / "old-trip.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(TemplateProblem, match="holds a trip or library file"):
        reach.check_house_apart(tmp_path, [], [])


def test_the_house_scan_survives_deep_folders_and_refuses_one_it_cannot_list(tmp_path, monkeypatch):
    """1,200 nested folders raised RecursionError (reported as a document nested too
    deeply), and a path past the system's limit an unexpected OSError; a folder that can
    be entered but not listed (a template could still open a file in it by name) was
    passed over."""
    from briefgen.errors import TemplateProblem
    from briefgen.render import reach

    for top, name, depth in (("deep", "d", 1200), ("long", "x" * 250, 20)):
        (tmp_path / top).mkdir()
        monkeypatch.chdir(tmp_path / top)
        for _ in range(depth):
            Path(name).mkdir()
            os.chdir(name)
        reach.check_house_apart(tmp_path / top, [], [])
        for _ in range(depth):  # removed here: pytest's recursive clean-up would overflow
            os.chdir("..")
            Path(name).rmdir()
    (tmp_path / "shut" / "inner").mkdir(parents=True)
    listing = os.scandir

    def scandir(path):
        if Path(path).name == "inner":
            raise PermissionError(13, "Permission denied")
        return listing(path)

    monkeypatch.setattr(reach.os, "scandir", scandir)
    with pytest.raises(TemplateProblem, match="cannot list this folder"):
        reach.check_house_apart(tmp_path / "shut", [], [])

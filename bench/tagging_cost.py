"""What does mending the tag tree (briefgen/pdf/tagging.py) cost? Prints ratios, never asserts.

    python bench/tagging_cost.py [TRIP] [--layout book] [--runs 5]

Lays TRIP's product out once, in this process, then writes it, alternating, run after run:
(a) `pdf.write` as a build does, (b) bare WeasyPrint writing the same laid-out document with
the same options (no finisher); for a plain tagged PDF (XMP and header scopes only) and for
`--pdf-standard pdf/ua-1` (the whole mending). Prints the medians, each ratio a/b, and what
the mending adds against the whole build (layout + write).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("trip", nargs="?", default=str(ROOT / "briefs" / "beijing-2023.yaml"))
    parser.add_argument("--layout", default="book")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    import tempfile

    from briefgen import pdf
    from briefgen.cli import main as briefgen

    trip = Path(args.trip).resolve()
    page = Path(tempfile.mkdtemp()) / "product.html"  # self-contained: styles and images inline
    if briefgen(["build", str(trip), "--layout", args.layout, "--html", "-o", str(page)]):
        raise SystemExit("the build of the HTML failed")
    html, folders = page.read_text(encoding="utf-8"), [trip.parent]
    for standard in (None, "pdf/ua-1"):
        start = time.perf_counter()
        rendered = pdf.render(html, layout=args.layout, folders=folders, standard=standard)
        layout_s = time.perf_counter() - start
        ours, bare = [], []
        for run in range(args.runs):  # which goes first alternates
            for which in (ours, bare) if run % 2 else (bare, ours):
                start = time.perf_counter()
                if which is ours:
                    pdf.write(rendered, standard=standard)
                else:
                    rendered.document.write_pdf(**pdf._options(standard))
                which.append(time.perf_counter() - start)
        a, b = statistics.median(ours), statistics.median(bare)
        print(
            f"{standard or 'plain tagged'}: layout {layout_s:.2f} s; write {a:.3f} s with "
            f"briefgen's finisher vs {b:.3f} s bare: ratio {a / b:.3f}; the finisher adds "
            f"{a - b:+.3f} s, {100 * (a - b) / (layout_s + b):+.1f}% of layout + write"
        )


if __name__ == "__main__":
    main()

"""`briefgen build`: plan the outputs of each trip and run them."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Literal

import typer

from briefgen.cli.common import Paper, SetOption, Standard, app, build_options, run_build
from briefgen.limits import (
    DEFAULT_MAX_MEMORY_MB,
    DEFAULT_TIMEOUT_SECONDS,
    MAX_COPIES,
    MAX_TIMEOUT_SECONDS,
)
from briefgen.markings import LEVELS, marks_of
from briefgen.products import PRODUCTS


@app.command()
def build(
    trips: Annotated[
        list[Path],
        typer.Argument(help="Trip files (YAML), or folders of them.", show_default=False),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help="Output file, .pdf or "
            ".html (only with one trip and one output). Default: beside the trip: "
            "trip.pdf for the book, trip-memo.pdf and trip-card.pdf for the others, "
            "trip-meeting-<event>.pdf per meeting.",
        ),
    ] = None,
    layout: Annotated[
        list[str] | None,
        typer.Option(
            "--layout",
            metavar="LAYOUT[,LAYOUT...]",
            help=f"Which products to build ({', '.join(PRODUCTS)}): a comma list, or repeat the "
            "option. Default: the trip's output.layouts, else book.",
        ),
    ] = None,
    event: Annotated[
        str | None,
        typer.Option(
            "--event",
            metavar="ID",
            help="With --layout meeting: the packet of this event only "
            "(its id, or its place in the agenda: 3).",
        ),
    ] = None,
    for_people: Annotated[
        list[str] | None,
        typer.Option(
            "--for",
            metavar="PERSON",
            help="With --layout itinerary: this person's itinerary, trip-itinerary-<id>.pdf "
            "(repeat the option; all: every traveller of the home side).",
        ),
    ] = None,
    release: Annotated[
        str | None,
        typer.Option(
            "--release",
            metavar="LEVEL",
            help="A releasable edition: leave out every portion "
            "marked above LEVEL (us: U, SBU, CUI, C, S; uk: O, OS, S).",
        ),
    ] = None,
    release_to: Annotated[
        str | None,
        typer.Option(
            "--release-to",
            metavar="CTY",
            help="A partner edition: keep only what may go to this country (ISO 3166 alpha-3, "
            "e.g. LTU): unclassified portions without NF, classified portions whose REL TO "
            "names it. With --release, both apply.",
        ),
    ] = None,
    paper: Annotated[
        Paper | None,
        typer.Option(
            help="Paper size. Default: the trip's output.paper, else letter, or what a house "
            "style sets."
        ),
    ] = None,
    template: Annotated[
        Path | None,
        typer.Option(
            "--template",
            help="House style folder (templates that extend the built-in layouts, "
            "optional style.css). Default: a templates/ folder beside the trip file, if any.",
        ),
    ] = None,
    strict: Annotated[
        bool,
        typer.Option(
            help="Fail (and write nothing) when a part "
            "overflows its page budget or a schedule check "
            "warns."
        ),
    ] = False,
    changes_since: Annotated[
        str | None,
        typer.Option(
            "--changes-since",
            metavar="OLD",
            help="An earlier version of the trip (a path, or "
            "git:REV): add what changed since then and flag changed events.",
        ),
    ] = None,
    pdf_standard: Annotated[
        Standard | None,
        typer.Option(
            "--pdf-standard",
            help="pdf/a-3b: archival, with the trip file attached; "
            "pdf/ua-1: accessible. Default: a tagged PDF.",
        ),
    ] = None,
    html: Annotated[
        bool, typer.Option("--html", help="Write the HTML instead of the PDF (for preview).")
    ] = False,
    allow_missing_glyphs: Annotated[
        bool,
        typer.Option(help="Build even when a font is missing for some text (it prints as boxes)."),
    ] = False,
    max_memory: Annotated[
        int,
        typer.Option(
            "--max-memory",
            min=64,
            metavar="MB",
            envvar="BRIEFGEN_MAX_MEMORY",
            help="Memory cap of each build, in MB.",
        ),
    ] = DEFAULT_MAX_MEMORY_MB,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            min=0.1,
            max=MAX_TIMEOUT_SECONDS,
            metavar="SECONDS",
            help="Time cap of each build, in seconds.",
        ),
    ] = DEFAULT_TIMEOUT_SECONDS,
    jobs: Annotated[
        int | None,
        typer.Option(
            "-j", "--jobs", min=1, help="Outputs built at once. Default: the number of CPU cores."
        ),
    ] = None,
    duplex: Annotated[
        bool,
        typer.Option(
            "--duplex",
            help="For printing on both sides: each tab starts on a right-hand page, "
            "mirrored margins, an even page count. Default: the trip's output.duplex.",
        ),
    ] = False,
    copies: Annotated[
        str | None,
        typer.Option(
            "--copies",
            metavar="N|all",
            help="Numbered copies, one after another in one PDF, "
            "every page marked 'Copy k of N' and with the k-th name of memo.distribution; all: "
            "one copy per name of memo.distribution. 1 to 500.",
        ),
    ] = None,
    sets: SetOption = None,
) -> None:
    """Validate each trip file and build its briefing book (or memo, card, meeting packets)."""
    if output is not None and len(trips) > 1:
        raise typer.BadParameter("-o/--output takes one trip file only", param_hint="-o")
    html = _check_output_name(output, html, trips)
    layouts = _layouts(layout)
    if event is not None:
        if layouts and "meeting" not in layouts:
            raise typer.BadParameter(
                "--event names a meeting packet: use it with --layout meeting", param_hint="--event"
            )
        layouts = layouts or ["meeting"]
    if for_people is not None:
        layouts = layouts or ["itinerary"]
    if release is not None and not any(
        release.strip().upper() in marks_of(system) for system in LEVELS
    ):
        raise typer.BadParameter(
            f"{release!r} is not a marking level (us: "
            f"{', '.join(marks_of('us'))}; uk: {', '.join(marks_of('uk'))})",
            param_hint="--release",
        )
    from briefgen.pipeline import Request
    from briefgen.worker import Limits

    options = build_options(
        paper,
        template,
        pdf_standard,
        strict,
        html,
        allow_missing_glyphs,
        limits=Limits(max_memory, timeout),
        workers=jobs or os.cpu_count() or 1,
        duplex=duplex,
        copies=_copies(copies, html),
    )
    request = Request(
        trips,
        options,
        output,
        layouts,
        event,
        release,
        changes_since,
        tuple(sets or ()),
        tuple(for_people or ()),
        release_to=release_to,
    )
    if not run_build(request):
        raise typer.Exit(1)


def _copies(value: str | None, html: bool) -> int | Literal["all"] | None:
    """--copies N (1 to 500) or --copies all (one per name of memo.distribution)."""
    if value is None:
        return None
    if html:
        raise typer.BadParameter(
            "numbered copies are printed in a PDF: leave out --html", param_hint="--copies"
        )
    if value.strip().lower() == "all":
        return "all"
    try:
        count = int(value)
    except ValueError:
        count = None
    if count is None or not 1 <= count <= MAX_COPIES:
        raise typer.BadParameter(
            f"{value!r}: give a number of copies from 1 to {MAX_COPIES}, "
            "or all (one per name of memo.distribution)",
            param_hint="--copies",
        )
    return count


def _check_output_name(output: Path | None, html: bool, trips: list[Path]) -> bool:
    """-o must end in .pdf or .html; .html writes the HTML. Returns whether HTML is written."""
    if output is None or output.resolve() in {t.resolve() for t in trips}:
        return html  # a trip file as the output is refused when planned (exit 1)
    suffix = output.suffix.lower()
    if suffix not in (".pdf", ".html", ".htm"):
        raise typer.BadParameter(f"{output}: the output must end in .pdf or .html", param_hint="-o")
    if html and suffix == ".pdf":
        raise typer.BadParameter(f"--html writes HTML, and {output} ends in .pdf", param_hint="-o")
    return html or suffix != ".pdf"


def _layouts(values: list[str] | None) -> list[str]:
    """`--layout book,memo --layout card` -> [book, memo, card] (each once, in order)."""
    layouts: list[str] = []
    for value in values or []:
        for name in (n.strip().lower() for n in value.split(",")):
            if name not in PRODUCTS:
                raise typer.BadParameter(
                    f"{name!r} is not a layout ({', '.join(PRODUCTS)})", param_hint="--layout"
                )
            if name not in layouts:
                layouts.append(name)
    return layouts

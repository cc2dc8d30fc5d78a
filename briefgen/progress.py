"""What `build` shows while it works. On a terminal: a live line per output with `rich`
(queued, building, written or failed, seconds, pages), messages printed above it. Elsewhere
(CI, a pipe): one plain line per output, in the order of the arguments."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

from briefgen.errors import escape_unprintable, plural
from briefgen.interruption import stopping_held
from briefgen.pipeline import Report
from briefgen.plans import Job


class PlainProgress:
    """One line per output, in job order (reports already arrive in that order)."""

    def __init__(self, jobs: list[Job], say: Callable[[str, bool], None]):
        self.say = say

    def __enter__(self) -> PlainProgress:
        return self

    def __exit__(self, *exc) -> None:
        return None

    def start(self, index: int) -> None:
        return None

    def report(self, report: Report) -> None:
        where = report.job.trip_path
        for level, line in report.lines:
            self.say(f"{where}: {level}: {line}", True)
        if report.ok:
            marking = f" ({report.marking})" if report.marking else ""
            self.say(f"{where} -> {report.job.target}{marking}", False)


class LiveProgress(PlainProgress):
    """A live table on a terminal; the same messages, printed above it."""

    def __init__(self, jobs: list[Job], say: Callable[[str, bool], None]):
        from rich.console import Console
        from rich.live import Live

        super().__init__(jobs, say)
        self.jobs = jobs
        self.state = ["queued"] * len(jobs)
        self.started: dict[int, float] = {}
        self.console = Console(stderr=True, highlight=False)
        self.live = Live(
            self._table(),
            console=self.console,
            refresh_per_second=4,
            transient=False,
            get_renderable=self._table,
        )

    def __enter__(self) -> LiveProgress:
        # Its refresh thread is started with the stop signals held, and keeps them so: they
        # go to the main thread, which holds them back while a fork or a rename is under way.
        with stopping_held():
            self.live.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self.live.__exit__(*exc)

    def _table(self):
        from rich.table import Table

        table = Table.grid(padding=(0, 2))
        for index, job in enumerate(self.jobs):
            state = self.state[index]
            if state == "building":
                state = f"building {time.monotonic() - self.started[index]:.0f} s"
            table.add_row(escape_unprintable(str(job.target.name)), state)
        return table

    def start(self, index: int) -> None:
        self.state[index] = "building"
        self.started[index] = time.monotonic()

    def report(self, report: Report) -> None:
        index = self.jobs.index(report.job)
        for level, line in report.lines:
            self.console.print(
                escape_unprintable(f"{report.job.trip_path}: {level}: {line}"), markup=False
            )
        pages = f", {plural(report.pages, 'page')}" if report.pages else ""
        marking = f", {report.marking}" if report.marking else ""
        self.state[index] = (
            f"written in {report.seconds:.1f} s{pages}{marking}" if report.ok else "failed"
        )


def progress_for(jobs: list[Job], say: Callable[[str, bool], None]) -> PlainProgress:
    """Live on a terminal, plain otherwise."""
    return LiveProgress(jobs, say) if sys.stderr.isatty() and jobs else PlainProgress(jobs, say)

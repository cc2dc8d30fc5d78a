"""Dates and clock times in plain words: one home for the book, the schedule checks, the
calendar and the diff (`render.text` wraps a few in HTML that keeps them on one line)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from briefgen.language import gettext as _
from briefgen.language import long_date, memo_date, ngettext, short_day

__all__ = ["long_date", "memo_date", "short_day"]  # in the language being printed

if TYPE_CHECKING:
    from briefgen.schedule import Span


def hm(moment: dt.datetime | dt.time) -> str:
    """`07:30`."""
    return f"{moment.hour:02d}:{moment.minute:02d}"


def times(span: Span) -> str:
    """`07:30–09:00`, or `07:30` when only the start is known."""
    return hm(span.start) + (f"–{hm(span.end)}" if span.end is not None else "")


def days_later(span: Span) -> str | None:
    """`(+1 day)` when the span ends on a later date than it starts, `(−1 day)` on an
    earlier one (a leg over the date line, each end on its own clock), else None."""
    if span.end is None or not (extra := (span.end.date() - span.start.date()).days):
        return None
    if extra < 0:
        return ngettext("(−%(n)d day)", "(−%(n)d days)", -extra) % {"n": -extra}
    return ngettext("(+%(n)d day)", "(+%(n)d days)", extra) % {"n": extra}


def clock_text(span: Span | None) -> str:
    """`13:00–17:30`, `22:00–01:00 (+1 day)`, `07:30`, or `time TBC`."""
    if span is None:
        return _("time TBC")
    later = days_later(span)
    return f"{times(span)} {later}" if later else times(span)


def utc_offset(moment: dt.datetime) -> str:
    """`UTC+8`, `UTC−5`, `UTC+5:30`."""
    offset = moment.utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")

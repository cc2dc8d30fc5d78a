"""How a change says what changed in a field (`status confirmed → tentative`), and the
one-line descriptions of a flight and a stay, in the book's words (briefgen.language)."""

from __future__ import annotations

from briefgen.clock import hm, short_day
from briefgen.diff.change import _quotes
from briefgen.language import N_
from briefgen.language import gettext as _
from briefgen.plain import plain_text

# The words of the fields a change names (translated where said: `_(name)`).
FIELD_WORDS = (
    *(N_("name"), N_("title"), N_("organization"), N_("status"), N_("kind"), N_("priority")),
    *(N_("likelihood"), N_("impact"), N_("mitigation"), N_("address"), N_("notes")),
    *(N_("depart timezone"), N_("arrive timezone"), N_("depart"), N_("arrive")),
    *(N_("background"), N_("our position"), N_("their position"), N_("points to make")),
    N_("if raised"),
    *(N_("objective"), N_("deliverable"), N_("expectation"), N_("red-line")),  # goal kinds
)
VALUE_FIELDS = ("status", "kind", "likelihood", "impact")  # their values are words too


# What a flight's or a stay's one-line description leaves out.
LOGISTICS_DETAILS = {
    "flights": ("depart_timezone", "arrive_timezone", "notes"),
    "lodging": ("address", "notes"),
}


def field_changes(before, after, names: tuple) -> list[str]:
    """`likelihood high → medium`, `mitigation reworded: “…” → “…”`, for each field that
    differs."""
    said = []
    for name in names:
        a, b = getattr(before, name), getattr(after, name)
        if a == b:
            continue
        label = _(name.rstrip("_").replace("_", " "))
        if isinstance(a, list) or isinstance(b, list):
            old_text = " / ".join(t.text for t in a or [])
            new_text = " / ".join(t.text for t in b or [])
            if plain_text(old_text) == plain_text(new_text):
                said.append(_("%(field)s mark changed") % {"field": label})
                continue
            quoted_a, quoted_b = _quotes(old_text, new_text)
            none = _("(none)")
            said.append(
                _("%(field)s reworded: %(old)s → %(new)s")
                % {"field": label, "old": quoted_a or none, "new": quoted_b or none}
            )
        else:
            said.append(field_values(name, a, b))
    return said


def field_values(name: str, a, b) -> str:
    """`status confirmed → tentative`, `priority (none) → 2`, in the book's words."""

    def said(value) -> str:
        if value is None or value == "":
            return _("(none)")
        return _(value) if name in VALUE_FIELDS and isinstance(value, str) else str(value)

    return f"{_(name.rstrip('_').replace('_', ' '))} {said(a)} → {said(b)}"


def flight_line(f) -> str:
    legs = []
    for when in ("depart", "arrive"):
        moment = getattr(f, when)
        if moment:
            legs.append(f"{_(when)} {short_day(moment)} {hm(moment)}")
    return f"{f.flight + ' ' if f.flight else ''}{f.from_} → {f.to}" + (
        f" ({', '.join(legs)})" if legs else ""
    )


def stay_line(s) -> str:
    days = ""
    if s.from_ or s.to:
        days = f" ({short_day(s.from_) if s.from_ else '…'} – {short_day(s.to) if s.to else '…'})"
    return f"{s.place}{days}"

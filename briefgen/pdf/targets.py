"""Page references laid out twice, not three times: two bugs of WeasyPrint 70 mended.

The contents and the "(issue paper, p. N)" references print `target-counter(attr(href), page)`
(templates/style.css). WeasyPrint 70's `formatting_structure.build.compute_content_list`
records what such a `content` waits for in two lists, and gets both wrong:

- it files the target's missing counters under the anchor `None`: it names the anchor from the
  `attr()` token itself, not from the attribute's value (`TargetCollector.lookup_target`
  resolves it, the bookkeeping does not), so laying the target out never updates the text;
- it rebinds its list of the box's *own* missing counters to the target's list, so `page`
  reads as the box's own counter: every page holding a reference is laid out again whenever
  its own counters change, once more after the page count is known.

The numbers still come out right, by the second bug: a third pass over every such page (the
example book: 41 pages laid out for 27). Mended here, through the one method both lists go
to (`TargetCollector.collect_missing_counters`), and only for a `content` that prints no
counter of its own (the built-in stylesheet's; a house style's `counter()` keeps WeasyPrint's
way): the target's counters are filed under the anchor the attribute names, and the box waits
for no counter of its own. The example book is laid out in 35 page layouts, its bytes the same.
tests/test_pagerefs.py fails loudly when an upgrade changes what this mends.
"""

from __future__ import annotations

from typing import Any

from weasyprint.css import targets
from weasyprint.urls import get_url_tuple

_real_collect = targets.TargetCollector.collect_missing_counters
_TARGETS = ("target-counter()", "target-counters()")
_OWN = ("counter()", "counters()")


def _anchor(token: tuple, box: Any) -> str | None:
    """The anchor a `target-counter()` names, `attr()` resolved as `lookup_target` does."""
    if token[0] == "attr()":
        name, kind, fallback = token[1]
        value = box.element.get(name, fallback)
        token = (
            ("string", value)
            if kind == "string"
            else ("url", get_url_tuple(value, box.style.base_url))
        )
    return targets.anchor_name_from_token(token)


def _collect_missing_counters(
    self, parent_box, css_token, parse_again, missing_counters, missing_target_counters
):
    items = parent_box.style[css_token] if css_token == "content" else None
    rebound = any(missing_counters is wanted for wanted in missing_target_counters.values())
    if (
        rebound
        and None in missing_target_counters
        and isinstance(items, (list, tuple))
        and not any(kind in _OWN for kind, _ in items)
    ):
        wanted = missing_target_counters.pop(None)
        for kind, value in items:
            if kind in _TARGETS and (anchor := _anchor(value[0], parent_box)) is not None:
                missing_target_counters.setdefault(anchor, list(wanted))
        missing_counters = []
    return _real_collect(
        self, parent_box, css_token, parse_again, missing_counters, missing_target_counters
    )


def install() -> None:
    targets.TargetCollector.collect_missing_counters = _collect_missing_counters

"""Page references laid out twice, not three times: two slips of WeasyPrint 70 mended.

The contents and the "(issue paper, p. N)" references print `target-counter(attr(href), page)`
(templates/style.css). WeasyPrint 70 lays every page holding one out three times (the example
book: 41 page layouts for 27 pages), for two reasons:

- `formatting_structure.build.compute_content_list` files what such a `content` waits for
  under the anchor `None`: it names the anchor from the `attr()` token, not from the
  attribute's value (`TargetCollector.lookup_target` resolves it; the bookkeeping does not).
  So laying the target out never updates the reference; the number comes right only because
  the reference's page is laid out again anyway, and
- it is laid out again once more after the page count is known: a reference is re-read
  whenever any counter of its page changes (its `page`, rightly: it may have moved), and the
  count of pages changes between the first pass and the second for every page.

Mended in two places, leaving WeasyPrint's own logic as it is: what the reference waits for is
filed under the anchor its attribute names too (`TargetCollector.collect_missing_counters`),
so the target's page updates the reference in the first pass; and before each later pass a
reference that prints no count of pages has that count brought up to date in what it last read
(`layout.make_all_pages`), so only a change of its own page lays it out again. A reference
whose anchor cannot be resolved (no base URL), or whose `content` prints a counter of its own
(a house style's `counter(page)`), is left to WeasyPrint.
tests/test_pagerefs.py fails loudly when an upgrade changes what this mends.
"""

from __future__ import annotations

from typing import Any

from weasyprint import layout
from weasyprint.css import targets
from weasyprint.urls import get_url_tuple

_real_collect = targets.TargetCollector.collect_missing_counters
_real_make_all_pages = layout.make_all_pages
_TARGETS = ("target-counter()", "target-counters()")
_OWN = ("counter()", "counters()")


def _attr_anchors(box: Any) -> list[str] | None:
    """The anchors a box's `content` names by `attr()` in its target counters, resolved as
    `lookup_target` resolves them; None when there is none, when one cannot be resolved, or
    when the `content` prints a counter of its own."""
    items = box.style["content"]
    if not isinstance(items, list | tuple):
        return None
    found = []
    for kind, value in items:
        if kind in _OWN:
            return None  # a counter of its own: WeasyPrint's way (it may print the count)
        if kind not in _TARGETS or value[0][0] != "attr()" or value[-1] == "none":
            continue
        name, kind_of_value, fallback = value[0][1]
        attribute = box.element.get(name, fallback)
        if kind_of_value == "string":
            token: tuple = ("string", attribute)
        elif (url := get_url_tuple(attribute, box.style.base_url)) is not None:
            token = ("url", url)
        else:
            return None
        anchor = targets.anchor_name_from_token(token)
        if anchor is None:
            return None
        found.append(anchor)
    return found or None


def _collect_missing_counters(
    self, parent_box, css_token, parse_again, missing_counters, missing_target_counters
):
    anchors = None
    if css_token == "content" and None in missing_target_counters:
        try:
            anchors = _attr_anchors(parent_box)
        except (AttributeError, IndexError, KeyError, TypeError, ValueError):
            anchors = None
    for anchor in anchors or ():
        missing_target_counters.setdefault(anchor, list(missing_target_counters[None]))
    _real_collect(
        self, parent_box, css_token, parse_again, missing_counters, missing_target_counters
    )
    if anchors and (lookup := self.counter_lookup_items.get((parent_box, css_token))):
        lookup.briefgen_mended = True  # its count of pages is kept up to date (below)


def _make_all_pages(context, root_box, html, pages):
    # a later pass: the count of pages the last one found is in every page's state
    count = context.page_maker[0][3][1].get("pages") if pages else None
    if count is not None:
        for lookup in context.target_collector.counter_lookup_items.values():
            read = lookup.cached_page_counter_values
            if read and getattr(lookup, "briefgen_mended", False):
                read["pages"] = list(count)
    return _real_make_all_pages(context, root_box, html, pages)


def install() -> None:
    targets.TargetCollector.collect_missing_counters = _collect_missing_counters
    layout.make_all_pages = _make_all_pages

"""Change bars (`build --changes-since`): what the diff says changed, as the things a page
shows. Every bar is the one element `CHANGE_BAR` (`<span class="change-bar">`), printed
before a changed Text by `text()` (render/text.py) or by a template beside a changed event,
biography or issue paper; pdf/bars.py moves each into the outer margin after layout."""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup

from briefgen.model import QA, Issue, Person, Risk, TextItem

CHANGE_BAR = Markup('<span class="change-bar" aria-hidden="true"></span>')
_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _at(trip: Any, path: str) -> Any:
    """The value at a document path (`issues.x.points_to_make[2]`), or None."""
    value: Any = trip
    for name, index in _STEP.findall(path):
        if index:
            at = int(index)
            value = value[at] if isinstance(value, list) and at < len(value) else None
        elif isinstance(value, dict):
            value = value.get(name)
        elif name == "issues" and value is trip:
            value = {i.id: i for i in trip.issues}
        else:
            value = getattr(value, name, None)
        if value is None:
            return None
    return value


def barred(changes: Any, trip: Any) -> tuple[list[TextItem], set[str], set[str]]:
    """(the Texts, the people's ids, the issue papers' ids) that carry a change bar."""
    texts: list[TextItem] = []
    people: set[str] = set()
    issues: set[str] = set()
    for change in changes.changes if changes is not None else ():
        for path in change.barred:
            found = _at(trip, path)
            if isinstance(found, Person):
                people.add(path.split(".", 1)[1])
            elif isinstance(found, Issue):
                issues.add(found.id)
            elif isinstance(found, Risk):
                texts.append(found.text)
            elif isinstance(found, QA):
                texts += [found.q, found.a]
            elif isinstance(found, TextItem):
                texts.append(found)
    return texts, people, issues

"""Trip files drawn from the trip format's JSON Schema with hypothesis, for fuzzing.

Objects with their properties, enums, patterns, dates, numbers, lists, and strings with
unicode, controls and Markdown punctuation; most get their cross-references (principal,
participants, issues, sources, dates) made consistent so that they go deep. Used by
tests/test_fuzz.py and bench/fuzz.py (the long runs). `trip_texts(valid=True)` draws only
trips that load and validate (every value of its kind, no control character, no stray key,
every cross-reference made consistent), for tests that need valid trips
(tests/test_marking_printed.py): drawing any trip and discarding the invalid ones kept one
in eighteen; this keeps four in five.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from typing import Any

import yaml
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

from briefgen.model import json_schema


def _same_draws_in_every_process() -> None:
    """Hypothesis mixes into its draws constants it finds in the source of the local modules
    imported so far (hypothesis/internal/conjecture/providers.py), so the same seed drew
    other trips under xdist than alone, and CI met trips no local run had. Without them, a
    seed gives the same trips in any process; test_drawn_trips_are_the_same_in_any_process
    checks it."""
    from hypothesis.internal.conjecture import providers

    providers._get_local_constants = lambda: providers._local_constants


_same_draws_in_every_process()


def drawn_trips(examples: int) -> settings:
    """Hypothesis settings for trips drawn from the schema: no example database, no
    shrinking (the seed gives the same trips every run), every health check off (drawing
    is slow, and most trips drawn without `valid=True` are invalid)."""
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )


# ------------------------------------------------------------------------- strings

MARKDOWN = "*_`[]()#>!-+|\\<&;:{}\"' \n\t~=^$%@?,.aZ9é中"
NASTY = [
    "",
    " ",
    "\t",
    "\n",
    "null",
    "~",
    "yes",
    "no",
    "on",
    "true",
    "0",
    "-1",
    "1e999",
    ".nan",
    "2023-02-30",
    "2023-06-18T10:00",
    "24:00",
    "7:5",
    "CST",
    "Asia/Beijing",
    "UTC",
    "x-y",
    "<script>alert(1)</script>",
    "{{ 7*7 }}",
    "{% raw %}",
    "{# c #}",
    "${HOME}",
    "%s%n",
    "[a](javascript:alert(1))",
    "![i](file:///etc/passwd)",
    "<img src=x onerror=1>",
    "&amp;",
    "**",
    "***a***",
    "`",
    "``a``",
    "[a](",
    "](",
    "\\",
    "\u202e\u202d",
    "\u200b",
    "\ufeff",
    "\u0301",
    "a\u0000b",
    "\x1b[31m",
    "\ud800",
    "\U0001f600" * 3,
    "ﷺ",
    "\u0627\u0644",
    "𝔘",
    "a" * 300,
    "a " * 300,
    "-" * 80,
    "#" * 6 + " h",
    "> q",
    "1. x",
    "- x",
    "| a | b |",
    "http://" + "a" * 200 + ".com",
    "mailto:a@b",
    "\r\n",
    "\u2028",
    "\u0085",
]
COUNTRIES = ["CN", "US", "GB", "DE", "SA", "KR", "JP", "FR", "IN", "BR", "EG", "IL"]
IANA = [
    "Asia/Shanghai",
    "Europe/London",
    "America/New_York",
    "UTC",
    "Asia/Tokyo",
    "Pacific/Chatham",
    "Asia/Kathmandu",
    "America/St_Johns",
    "Pacific/Kiritimati",
    "Etc/GMT+12",
    "Asia/Tehran",
    "Australia/Lord_Howe",
    "Africa/Casablanca",
]


# What no trip file may hold (yaml_build.py's _FORBIDDEN): C0 and C1 controls but tab and
# newlines, surrogates, the two non-characters
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def text_strategy(valid: bool = False) -> st.SearchStrategy[str]:
    """Text: any unicode (controls and surrogates included, unless `valid`), Markdown
    punctuation, traps."""
    clean = st.text(st.characters(exclude_categories=("Cc", "Cs", "Co", "Cn")), max_size=40)
    markdown = st.text(alphabet=MARKDOWN, max_size=60)
    nasty = [n for n in NASTY if not (valid and FORBIDDEN.search(n))]
    words = st.lists(
        st.sampled_from(
            [
                *[n for n in NASTY[:60] if n in nasty],
                "word",
                "**b**",
                "*i*",
                "`c`",
                "[l](http://x)",
                "Beijing",
                "中文",
                "مرحبا",
                "—",
                "…",
            ]
        ),
        max_size=8,
    ).map(" ".join)
    anything = st.text(max_size=20)
    if valid:
        anything = anything.map(lambda text: FORBIDDEN.sub("", text))
    return st.one_of(
        clean, clean, clean, markdown, markdown, words, words, st.sampled_from(nasty), anything
    )


def _noise() -> st.SearchStrategy[Any]:
    """A value of the wrong kind, wherever a field is."""
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=True),
        st.just(10**400),
        st.just([]),
        st.just({}),
        text_strategy(),
        st.lists(st.integers(), max_size=2),
        st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    )


def _date_strings(valid: bool = False) -> st.SearchStrategy[str]:
    window = st.dates(dt.date(2023, 6, 14), dt.date(2023, 6, 24)).map(dt.date.isoformat)
    if valid:  # the years a trip file may name (scalars.py)
        return st.one_of(st.dates(dt.date(1900, 1, 1), dt.date(2999, 12, 31)), window).map(str)
    return st.one_of(
        st.dates(dt.date(1850, 1, 1), dt.date(3100, 12, 31)).map(dt.date.isoformat),
        window,
        st.from_regex(r"\A\d{4}-\d{2}-\d{2}\Z"),
        text_strategy(),
    )


class SchemaStrategies:
    """Hypothesis strategies derived from the trip file's JSON Schema; with `valid`, only
    values of the kind, range and pattern the schema says (no noise, no stray keys)."""

    def __init__(self, schema: dict | None = None, max_list: int = 3, valid: bool = False):
        self.schema = schema or json_schema()
        self.defs = self.schema.get("$defs", {})
        self.max_list = max_list
        self.valid = valid
        self._refs: dict[str, st.SearchStrategy] = {}

    def for_node(self, node: dict, name: str = "") -> st.SearchStrategy[Any]:
        if "$ref" in node:
            ref = node["$ref"].split("/")[-1]
            if ref not in self._refs:
                self._refs[ref] = st.deferred(lambda: self.for_node(self.defs[ref], ref))
            return self._refs[ref]
        alts = node.get("anyOf") or node.get("oneOf")
        if alts and self.valid:  # no library to take a person's fields or an issue from
            alts = [a for a in alts if not _from_a_library(a)] or alts
        if alts:
            return st.one_of(*(self.for_node(a, name) for a in alts))
        if "enum" in node:
            if self.valid:
                return st.sampled_from(node["enum"])
            return st.one_of(
                st.sampled_from(node["enum"]),
                st.sampled_from(node["enum"]),
                st.sampled_from(node["enum"]),
                _noise(),
            )
        if "const" in node:
            return st.just(node["const"])
        kind = node.get("type")
        if kind == "object" or "properties" in node:
            return self._object(node)
        if kind == "array":
            return st.lists(
                self.for_node(node.get("items", {}), name),
                min_size=node.get("minItems", 0),
                max_size=self.max_list,
            )
        if kind == "string":
            return self._string(node, name)
        if kind == "integer" and self.valid:
            return st.integers(node.get("minimum", 0), node.get("maximum", 5))
        if kind == "integer":
            return st.one_of(
                st.integers(min_value=node.get("minimum", 0), max_value=5),
                st.integers(),
                st.just(10**30),
                st.just(-(2**63)),
            )
        if kind == "number" and self.valid:
            return st.floats(
                node.get("minimum", node.get("exclusiveMinimum")),
                node.get("maximum", node.get("exclusiveMaximum")),
                exclude_min="exclusiveMinimum" in node,
                exclude_max="exclusiveMaximum" in node,
                allow_nan=False,
                allow_infinity=False,
            )
        if kind == "number":
            return st.floats()
        if kind == "boolean":
            return st.booleans()
        if kind == "null":
            return st.none()
        return st.none() if self.valid else _noise()

    def _string(self, node: dict, name: str) -> st.SearchStrategy[str]:
        if node.get("format") == "date":
            return _date_strings(self.valid)
        if "timezone" in name.lower() or "time zone" in node.get("description", ""):
            if self.valid:
                return st.sampled_from(IANA)
            return st.one_of(st.sampled_from(IANA), st.sampled_from(IANA), text_strategy())
        if "pattern" in node and self.valid:  # \d: the ASCII digits a trip file's times take
            good = st.from_regex(re.compile(node["pattern"], re.ASCII), fullmatch=True)
            return good.filter(lambda s: "\n" not in s and not FORBIDDEN.search(s))
        if "pattern" in node:
            good = st.from_regex(node["pattern"], fullmatch=True).filter(lambda s: "\n" not in s)
            return st.one_of(good, good, good, text_strategy())
        if self.valid and (name == "id" or node.get("description", "").startswith("an id")):
            return st.from_regex(r"\A[a-z][a-z0-9-]{0,8}\Z")  # the ids the schema leaves out
        if self.valid and name == "country":
            return st.sampled_from(COUNTRIES)
        return text_strategy(self.valid)

    def _object(self, node: dict) -> st.SearchStrategy[dict]:
        props = node.get("properties", {})
        required = set(node.get("required", []))
        req = {k: self.for_node(v, k) for k, v in props.items() if k in required}
        opt = {k: self.for_node(v, k) for k, v in props.items() if k not in required}
        extra = node.get("additionalProperties")
        if isinstance(extra, dict) and not props:  # e.g. people: {id: Person}
            keys = st.from_regex(r"\A[a-z][a-z0-9-]{0,8}\Z")
            if not self.valid:
                keys = st.one_of(keys, text_strategy())
            return st.dictionaries(
                keys,
                self.for_node(extra),
                min_size=node.get("minProperties", 0),
                max_size=self.max_list,
            )
        base = st.fixed_dictionaries(req, optional=opt)
        if self.valid:
            return base
        odd = st.dictionaries(
            st.one_of(
                st.sampled_from(["x-a", "x-", "nope", "text", "id", "<<"]), st.text(max_size=5)
            ),
            _noise(),
            max_size=2,
        )
        return st.one_of(base, base, base, st.tuples(base, odd).map(lambda t: {**t[1], **t[0]}))

    def trip(self) -> st.SearchStrategy[Any]:
        return self.for_node({k: v for k, v in self.schema.items() if k != "$defs"}, "trip")


def _from_a_library(node: dict) -> bool:
    return node.get("$ref", "").endswith("/PersonFields") or "library" in node.get(
        "description", ""
    )


def harmonise(data: Any, rnd: random.Random, valid: bool = False) -> Any:
    """Make a generated trip's references and dates agree, so it gets past the easy errors
    (with `valid`, every time, and marks only where a `markings:` block names the system)."""
    if not isinstance(data, dict):
        return data
    if valid or rnd.random() < 0.9:
        data["briefgen"] = 1
    people = data.get("people")
    ids = [k for k in people if isinstance(k, str)] if isinstance(people, dict) else []
    trip = data.get("trip") if isinstance(data.get("trip"), dict) else None
    days = [dt.date(2023, 6, 18) + dt.timedelta(days=i) for i in range(rnd.randint(1, 4))]
    if trip is not None:
        if ids:
            trip["principal"] = rnd.choice(ids)
        trip["start"], trip["end"] = days[0].isoformat(), days[-1].isoformat()
        for stop in trip.get("stops") or [] if isinstance(trip.get("stops"), list) else []:
            if isinstance(stop, dict):
                stop.pop("from", None), stop.pop("to", None)
    issue_ids = (
        [i.get("id") for i in data.get("issues") or [] if isinstance(i, dict)]
        if isinstance(data.get("issues"), list)
        else []
    )
    source_ids = (
        [s.get("id") for s in data.get("sources") or [] if isinstance(s, dict)]
        if isinstance(data.get("sources"), list)
        else []
    )
    for event in data.get("agenda") or [] if isinstance(data.get("agenda"), list) else []:
        if not isinstance(event, dict):
            continue
        event["date"] = rnd.choice(days).isoformat()
        if valid and event.get("end") and not event.get("start"):
            event.pop("end")  # an end needs a start
        if ids:
            event["participants"] = rnd.sample(ids, rnd.randint(0, len(ids)))
        points = event.get("talking_points")
        if isinstance(points, list):
            for j, p in enumerate(points):
                if isinstance(p, dict) and "issue" in p:
                    points[j] = {"issue": rnd.choice(issue_ids)} if issue_ids else "point"

    def fix_sources(node: Any) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "sources" and node is not data:
                    node[k] = rnd.sample(source_ids, min(len(source_ids), 2)) if source_ids else []
                else:
                    fix_sources(v)
        elif isinstance(node, list):
            for v in node:
                fix_sources(v)

    fix_sources(data)
    markings = data.get("markings")
    simplified = isinstance(markings, dict) and rnd.random() < 0.7
    if simplified:
        markings.update(system="us", default="U")
        markings.pop("banner", None), markings.pop("authority", None)
    if simplified or (valid and not isinstance(markings, dict)):  # a mark needs a system

        def drop_marks(node: Any) -> None:
            if isinstance(node, dict):
                node.pop("mark", None)
                for v in node.values():
                    drop_marks(v)
            elif isinstance(node, list):
                for v in node:
                    drop_marks(v)

        drop_marks(data)
    for person in people.values() if isinstance(people, dict) else []:
        if isinstance(person, dict):
            person.pop("photo", None)
    return data


def to_yaml(data: Any, rnd: random.Random, valid: bool = False) -> str:
    """Serialise generated data: block or flow YAML, or JSON (which YAML 1.2 reads; with
    `valid`, never ASCII-escaped: YAML reads an escaped astral character as two surrogates)."""
    style = rnd.random()
    try:
        if style < 0.15:
            return json.dumps(data, ensure_ascii=not valid and rnd.random() < 0.5, default=str)
        return yaml.safe_dump(
            data,
            allow_unicode=rnd.random() < 0.7,
            sort_keys=False,
            default_flow_style=style < 0.3,
            width=rnd.choice([80, 10**6]),
        )
    except (yaml.YAMLError, ValueError, TypeError, RecursionError):
        return json.dumps(data, default=str)


def trip_texts(schema: dict | None = None, valid: bool = False) -> st.SearchStrategy[str]:
    """YAML texts of trips drawn from the schema (most made internally consistent); with
    `valid`, only trips that load and validate."""
    trips = SchemaStrategies(schema, valid=valid).trip()
    if valid:  # no libraries to include: the trip is all there is
        trips = trips.map(lambda data: {k: v for k, v in data.items() if k != "include"})
    texts = st.tuples(trips, st.randoms(use_true_random=False), st.integers(0, 9)).map(
        lambda t: to_yaml(harmonise(t[0], t[1], valid) if valid or t[2] < 7 else t[0], t[1], valid)
    )
    return texts.filter(_validates) if valid else texts


def _validates(text: str) -> bool:
    """Whether the trip file `text` loads and validates (a last sieve: what the schema
    cannot say, such as a meeting that ends before it starts)."""
    from briefgen.errors import BriefError
    from briefgen.intake import brief_from
    from briefgen.load import load_text

    try:
        brief_from(load_text(text, "trip.yaml"))
    except BriefError:
        return False
    return True

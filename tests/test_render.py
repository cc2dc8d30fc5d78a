"""Stage 3: inline Markdown, escaping, clocks across zones, and what the view prepares."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefgen import schedule
from briefgen.clock import clock_text
from briefgen.language import speaking
from briefgen.load import load, load_text
from briefgen.model import Event
from briefgen.plain import plain_text
from briefgen.render import render_html
from briefgen.render.text import finalize, inline_markdown, span_markup
from briefgen.render.view import build_view
from briefgen.validate import validate
from conftest import EXAMPLE, MINIMAL


@pytest.mark.parametrize(
    ("source", "html"),
    [
        ("*em* and **strong**", "<em>em</em> and <strong>strong</strong>"),
        ("`code` ~~gone~~", "<code>code</code> <s>gone</s>"),
        ("[site](https://example.org)", '<a href="https://example.org">site</a>'),
        ("[mail](mailto:a@example.org)", '<a href="mailto:a@example.org">mail</a>'),
        ("[x](javascript:alert(1))", "[x](javascript:alert(1))"),
        ("[x](file:///etc/passwd)", "[x](file:///etc/passwd)"),
        ("[x](data:text/html,hi)", "[x](data:text/html,hi)"),
        ("![alt](http://127.0.0.1/x.png)", "![alt](http://127.0.0.1/x.png)"),
        (
            "<b>bold</b> <script>x</script>",
            "&lt;b&gt;bold&lt;/b&gt; &lt;script&gt;x&lt;/script&gt;",
        ),
        ("{{ 7*7 }} {% if x %}", "{{ 7*7 }} {% if x %}"),
        ("line one  \nline two", "line one<br>\nline two"),
        ("a & b < c", "a &amp; b &lt; c"),
    ],
)
def test_inline_markdown(source, html):
    assert str(inline_markdown(source)) == html


@given(st.text(max_size=200))
def test_no_raw_html_ever_survives(source):
    # our own no-break spans around native-script runs and office symbols aside (text.unbroken)
    html = str(inline_markdown(source)).replace('<span class="nowrap">', "").replace("</span>", "")
    tags = {t.lower() for t in __import__("re").findall(r"<\s*/?\s*([a-zA-Z0-9]+)", html)}
    assert tags <= {"em", "strong", "code", "a", "br", "s", "span"}
    assert html.count("<span") == html.count('<span class="nowrap">')  # names kept whole
    assert "<img" not in html.lower()


@pytest.mark.parametrize(
    ("language", "html", "plain"),
    [
        (
            "en",
            "\u201c<em>No</em>,\u201d it\u2019s <code>'x'</code>",
            "O\u2019Brien\u2019s \u201cteam\u201d",
        ),
        (
            "de",
            "\u201e<em>No</em>,\u201c it\u2019s <code>'x'</code>",
            "O\u2019Brien\u2019s \u201eteam\u201c",
        ),
        (
            "fr",
            "\u00ab\u00a0<em>No</em>,\u00a0\u00bb it\u2019s <code>'x'</code>",
            "O\u2019Brien\u2019s \u00ab\u00a0team\u00a0\u00bb",
        ),
    ],
)
def test_quotes_print_as_the_language_writes_them(language, html, plain):
    """Straight quotes typed in Markdown and in plain fields print as the book's language
    writes them (code spans as typed); what is read and compared keeps them straight."""
    with speaking(language):
        assert str(inline_markdown("\"*No*,\" it's `'x'`")) == html
        assert finalize("O'Brien's \"team\"") == plain
        assert finalize(plain) == plain  # printed twice, converted once
    assert plain_text('"*No*," it\'s') == '"No," it\'s'


def test_names_and_titles_print_curly_quotes(tmp_path):
    trip = tmp_path / "trip.yaml"
    trip.write_text(
        MINIMAL.read_text(encoding="utf-8")
        .replace("title: Director of the CFAC Office", "title: 'Director of the \"CFAC\" Office'")
        .replace("name: Wang Yi", "name: Wang Yi's deputy"),
        encoding="utf-8",
    )
    html = render_html(validate(load(trip)))
    assert "Wang Yi\u2019s deputy" in html
    assert "Director of the \u201cCFAC\u201d Office" in html
    assert "Wang Yi's" not in html
    assert "&#34;CFAC" not in html


def test_plain_text_drops_markup():
    assert plain_text("Your *travel* to [Beijing](https://x.org)") == "Your travel to Beijing"
    assert plain_text("Meeting with\nthe  Premier") == "Meeting with the Premier"


def clocks(date, start, end, tz, home):
    event = Event.model_validate({"title": "x", "date": date, "start": start, "end": end})
    local = schedule.event_span(event, tz)
    home_span = None if schedule.same_clock(local.start, home) else local.on(home)
    return (
        str(span_markup(local, event.date)),
        str(span_markup(home_span, event.date)) if home_span else None,
    )


def strip(markup: str | None) -> str | None:
    return None if markup is None else __import__("re").sub(r"<[^>]+>", "", markup)


CLOCKS = [
    # Beijing Sunday morning is Saturday evening in Washington.
    (
        ("2023-06-18", "07:30", None, "Asia/Shanghai", "America/New_York"),
        "07:30",
        "Sat Jun 17, 19:30",
    ),
    # Past midnight: end before start ends the next day, on both clocks.
    (
        ("2023-06-18", "22:00", "00:30", "Asia/Shanghai", "America/New_York"),
        "22:00–00:30 (+1 day)",
        "10:00–12:30",
    ),
    (
        ("2023-06-17", "21:00", "00:00", "America/New_York", "Asia/Shanghai"),
        "21:00–00:00 (+1 day)",
        "Sun Jun 18, 09:00–12:00",
    ),
    # Across the date line: Honolulu evening is the next day in Auckland.
    (
        ("2024-03-10", "22:00", "00:30", "Pacific/Honolulu", "Pacific/Auckland"),
        "22:00–00:30 (+1 day)",
        "Mon Mar 11, 21:00–23:30",
    ),
    # Kiritimati (UTC+14) to Pago Pago (UTC-11): a whole day earlier at home.
    (
        ("2024-01-02", "01:00", "02:00", "Pacific/Kiritimati", "Pacific/Pago_Pago"),
        "01:00–02:00",
        "Mon Jan 1, 00:00–01:00",
    ),
    # Same offset: no home clock at all.
    (("2023-06-18", "09:00", "10:00", "Asia/Shanghai", "Asia/Hong_Kong"), "09:00–10:00", None),
    # DST in one zone only: London summer time vs Washington summer time.
    (
        ("2023-06-20", "14:00", "14:45", "Europe/London", "America/New_York"),
        "14:00–14:45",
        "09:00–09:45",
    ),
    (("2023-12-20", "14:00", None, "Europe/London", "America/New_York"), "14:00", "09:00"),
]


@pytest.mark.parametrize(("args", "local", "home"), CLOCKS)
def test_clocks_in_both_zones(args, local, home):
    got_local, got_home = clocks(*args)
    assert strip(got_local) == local
    assert strip(got_home) == home


@pytest.mark.parametrize(("args", "local", "home"), CLOCKS)
def test_plain_clocks_read_as_the_book_prints_them(args, local, home):
    """The schedule checks and the diff word a clock (`clock.clock_text`) as the book does."""
    date, start, end, zone, _ = args
    event = Event.model_validate({"title": "x", "date": date, "start": start, "end": end})
    assert clock_text(schedule.event_span(event, zone)) == local


def test_event_without_time_has_no_clock():
    event = Event.model_validate({"title": "x", "date": "2023-06-18"})
    assert schedule.event_span(event, "Asia/Shanghai") is None


def test_view_orders_people_events_and_goals():
    view = build_view(validate(load(EXAMPLE)))
    dates = [(ev.event.date, ev.event.start or dt.time.max) for ev in view.schedule]
    assert dates == sorted(dates)
    assert [label for label, _ in view.goal_groups] == [
        "Objectives",
        "Deliverables",
        "Expectations",
        "Red lines",
    ]
    priorities = [g.priority or 9 for g in view.goal_groups[0][1]]
    assert priorities == sorted(priorities)
    qin = next(
        ev
        for ev in view.schedule
        if ev.event.id and "qin" in ev.event.id and ev.event.kind == "meeting"
    )
    host = dict(qin.sides)["Host side"]
    precedences = [p.precedence or 99 for p, _, _ in host]
    assert precedences == sorted(precedences)
    assert view.bios[0][1].side == "host"
    assert all(pid != "blinken" for pid, _ in view.bios)


def test_default_timezone_comes_from_the_stop_covering_the_date():
    text = MINIMAL.read_text(encoding="utf-8").replace(
        "  - title: Meeting with Director Wang\n    date: 2023-06-19",
        '  - title: Meeting with Director Wang\n    date: 2023-06-20\n    start: "09:00"',
    )
    view = build_view(validate(load_text(text, "t.yaml")))
    zones = {str(ev.event.title): (ev.timezone, ev.place) for ev in view.schedule}
    assert zones["Meeting with Foreign Minister Qin"] == ("Asia/Shanghai", "Beijing")
    # Tokyo has no from/to, so it covers no date: the contract falls back to the first stop.
    assert zones["Meeting with Director Wang"] == ("Asia/Shanghai", "Beijing")


def test_html_uses_lang_for_native_names_and_leaves_out_empty_sections():
    html = render_html(validate(load(MINIMAL)))
    assert '<bdi class="native" lang="zh-Hans" dir="auto">秦刚</bdi>' in html
    assert 'id="press"' not in html
    assert 'href="#press"' not in html
    assert 'id="risks"' not in html
    assert 'id="logistics"' not in html
    assert 'id="schedule"' in html


@pytest.mark.parametrize(
    ("layout", "event"),
    [
        ("book", None),
        ("memo", None),
        ("card", None),
        ("meeting", "qin-talks"),
        ("itinerary", "burns"),
    ],
)
@pytest.mark.slow
def test_a_warmed_layout_renders_without_compiling_a_template(layout, event):
    """The parent compiles a layout and all it includes before forking (pipeline.warm): a
    child that compiled an include again would pay for it at every build and rebuild."""
    from briefgen.products import PRODUCTS
    from briefgen.render import Templates, render_document
    from briefgen.render.environment import compile_layout, template_environment

    templates = Templates()
    env = template_environment(templates)
    env.cache.clear()  # what another test compiled in this process
    compile_layout(templates, PRODUCTS[layout].template)
    compiled = set(env.cache.keys())
    render_document(validate(load(EXAMPLE)), layout=layout, templates=templates, event=event)
    assert set(env.cache.keys()) == compiled


@pytest.mark.parametrize(
    ("source", "named"),
    [
        ("{%+ include \"a.j2\" %}{%- from 'm.j2' import x -%}", ["a.j2", "m.j2"]),
        ('{# {% include "gone.j2" %} #}{% raw %}{% include "gone.j2" %}{% endraw %}', []),
    ],
)
def test_what_a_template_names_outside_comments_and_raw_text(source, named):
    from briefgen.render.environment import named_templates

    assert named_templates(source) == named


def test_warming_skips_a_name_that_is_not_there(tmp_path):
    """`{% include "x" ignore missing %}` in a layout: warming leaves it to the render."""
    from briefgen.render import Templates
    from briefgen.render.environment import compile_layout, template_environment

    (tmp_path / "book.html.j2").write_text('{% include "gone.j2" ignore missing %}', "utf-8")
    templates = Templates(tmp_path)
    compile_layout(templates, "book.html.j2")
    assert template_environment(templates).get_template("book.html.j2").render() == ""

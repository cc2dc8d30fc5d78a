"""`--html` output made inert, whatever a house style writes: the document is rebuilt from
an allow-list (nh3, the Ammonia sanitizer) after `inline` has put its stylesheets and
images inside it. No script, event handler, refresh, `<base>`, frame, object, form or
attachment survives; links are web, mail or in-page only; images and CSS `url()` are
data: URIs only (`@import` is dropped). A Content-Security-Policy that loads nothing
from anywhere is the second layer, for whatever a browser would still try."""

from __future__ import annotations

from html.parser import HTMLParser

import nh3
import tinycss2
import tinycss2.ast
from markupsafe import escape

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline' data:; font-src data:"

# What the built-in templates and trip text (inline Markdown) write, and plain formatting.
BODY_TAGS = frozenset(
    [
        "a",
        "abbr",
        "article",
        "aside",
        "b",
        "bdi",
        "bdo",
        "blockquote",
        "br",
        "caption",
        "cite",
        "code",
        "col",
        "colgroup",
        "dd",
        "del",
        "dfn",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "main",
        "mark",
        "nav",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "section",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "time",
        "tr",
        "u",
        "ul",
        "wbr",
    ]
)
# Removed with everything inside them (the rest of the unknown tags keep their text).
DROPPED_WITH_CONTENT = frozenset(
    [
        "script",
        "style",
        "title",
        "head",
        "noscript",
        "template",
        "iframe",
        "frame",
        "frameset",
        "noframes",
        "object",
        "embed",
        "applet",
        "noembed",
        "xmp",
        "plaintext",
        "form",
        "select",
        "textarea",
        "button",
        "svg",
        "math",
        "audio",
        "video",
        "canvas",
        "dialog",
    ]
)
ATTRIBUTES = {
    "*": {"class", "id", "lang", "dir", "title", "role"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "headers"},
    "th": {"colspan", "rowspan", "headers", "scope"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start", "reversed", "type"},
    "time": {"datetime"},
    "q": {"cite"},
    "blockquote": {"cite"},
}
META_NAMES = frozenset(
    {"author", "description", "keywords", "generator", "dcterms.created", "dcterms.modified"}
)
IMAGE_TYPES = tuple(f"data:image/{kind}" for kind in ("png", "jpeg", "gif", "webp", "svg+xml"))
URL_FUNCTIONS = frozenset(
    {"url", "src", "image", "image-set", "-webkit-image-set", "cross-fade", "-webkit-cross-fade"}
)
FRAME_ATTRIBUTES = frozenset({"lang", "dir", "class"})


def _attribute(tag: str, name: str, value: str) -> str | None:
    """Links: web, mail and in-page only; images: data: images only; cite: dropped."""
    plain = "".join(value.split()).lower()
    if name == "href":
        return value if plain.startswith(("http://", "https://", "mailto:", "#")) else None
    if name == "src":
        return value if plain.startswith(IMAGE_TYPES) else None
    if name == "cite":
        return None
    return value


def _inert_tokens(tokens: list) -> list:
    """CSS component values with every URL that is not a data: URI replaced by `none`."""
    kept = []
    for token in tokens:
        if token.type == "url" and not token.value.strip().lower().startswith("data:"):
            token = tinycss2.ast.IdentToken(token.source_line, token.source_column, "none")
        elif token.type == "function":
            strings = [a.value for a in token.arguments if a.type in ("string", "url")]
            if token.lower_name in URL_FUNCTIONS and any(
                not s.strip().lower().startswith("data:") for s in strings
            ):
                token = tinycss2.ast.IdentToken(token.source_line, token.source_column, "none")
            else:
                token.arguments = _inert_tokens(token.arguments)
        elif token.type in ("() block", "[] block", "{} block"):
            token.content = _inert_tokens(token.content)
        kept.append(token)
    return kept


def clean_css(css: str) -> str:
    """A stylesheet that loads nothing: no `@import`, `url()` only for data: URIs."""
    kept = []
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type == "error" or (
            rule.type == "at-rule" and rule.lower_at_keyword in ("import", "namespace")
        ):
            continue
        rule.prelude = _inert_tokens(rule.prelude)
        if rule.content is not None:
            rule.content = _inert_tokens(rule.content)
        kept.append(rule.serialize())
    return "\n".join(kept).replace("</", "<\\/")


class _Frame(HTMLParser):
    """What the rebuilt document keeps of the original's frame: the `<html>` and `<body>`
    attributes, the title, the metadata and the stylesheets (each then cleaned or escaped,
    so a parser that read them differently from a browser could only lose text)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.html: dict[str, str] = {}
        self.body: dict[str, str] = {}
        self.title: list[str] = []
        self.metas: list[tuple[str, str]] = []
        self.styles: list[list[str]] = []
        self.inside = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag in ("html", "body"):
            getattr(self, tag).update({k: v for k, v in values.items() if k in FRAME_ATTRIBUTES})
        elif tag == "meta" and values.get("name", "").lower() in META_NAMES:
            self.metas.append((values["name"], values.get("content", "")))
        elif tag == "style":
            self.styles.append([])
        if tag == "style" or (tag == "title" and not self.title and not self.inside):
            self.inside = tag

    def handle_endtag(self, tag: str) -> None:
        if tag == self.inside:
            self.inside = "" if tag == "style" else "title ended"  # the first title only

    def handle_data(self, data: str) -> None:
        if self.inside == "title":
            self.title.append(data)
        elif self.inside == "style":
            self.styles[-1].append(data)


def _attrs(values: dict[str, str]) -> str:
    return "".join(f' {name}="{escape(value)}"' for name, value in values.items())


def sanitized(html: str) -> str:
    """The document with only what is allowed, under a Content-Security-Policy."""
    frame = _Frame()
    frame.feed(html)
    frame.close()
    content = nh3.clean(
        html,
        tags=set(BODY_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        generic_attribute_prefixes={"aria-", "data-"},
        attribute_filter=_attribute,
        url_schemes={"http", "https", "mailto", "data"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return "\n".join(
        [
            "<!DOCTYPE html>",
            f"<html{_attrs(frame.html)}>",
            "<head>",
            '<meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
            f"<title>{escape(''.join(frame.title))}</title>",
            *(f'<meta name="{escape(n)}" content="{escape(c)}">' for n, c in frame.metas),
            *(f"<style>\n{clean_css(''.join(css))}\n</style>" for css in frame.styles),
            "</head>",
            f"<body{_attrs(frame.body)}>",
            content,
            "</body>",
            "</html>",
            "",
        ]
    )

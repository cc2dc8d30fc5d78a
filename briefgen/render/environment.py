"""Where templates come from and what they may do: the built-in layouts, house styles, and
the sandbox they all run in.

A house style is a folder of templates (and an optional `style.css`) that extend the
built-in layouts: a template named like a built-in replaces it, and `builtin/NAME` always
names the built-in, so `{% extends "builtin/book.html.j2" %}` overrides just a few blocks.
House styles may arrive with a trip, so they run in Jinja2's sandbox, see only plain data
(`render.view`), may read only regular files whose real path lies inside their folder, and
cannot build huge strings; the bounded child process (`worker`) caps time and memory.
"""

from __future__ import annotations

import difflib
import os
import re
import stat
import traceback
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jinja2
import jinja2.nodes
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from briefgen import language
from briefgen.errors import BuildError, TemplateProblem
from briefgen.limits import MAX_TEMPLATE_BYTES, MAX_TEMPLATE_REPEAT
from briefgen.render.fit import FITS
from briefgen.render.text import FILTERS, finalize


def builtin_template_dir() -> Path:
    """Templates ship inside the wheel as briefgen/templates; in a checkout they sit at the top."""
    packaged = Path(__file__).parent.parent / "templates"
    return packaged if packaged.is_dir() else Path(__file__).parent.parent.parent / "templates"


def house_file(folder: Path, name: str) -> Path | None:
    """`folder/name` when it is a regular file whose real path lies inside `folder`;
    None when there is no such file. Raises BuildError for a file that escapes the folder."""
    root = folder.resolve()
    candidate = folder / name
    if not os.path.lexists(candidate):
        return None
    real = Path(os.path.realpath(candidate))
    if not real.is_relative_to(root):
        raise BuildError(f"{candidate}: links outside the house style folder; refused")
    try:
        mode = real.stat().st_mode
    except OSError:
        return None
    if not stat.S_ISREG(mode):
        raise BuildError(f"{candidate}: not a regular file; refused")
    return real


@dataclass(frozen=True)
class Templates:
    """An optional house style folder, then the built-ins."""

    house: Path | None = None

    @property
    def builtin(self) -> Path:
        return builtin_template_dir()

    @property
    def folders(self) -> list[Path]:
        return [self.house, self.builtin] if self.house else [self.builtin]

    @property
    def stylesheets(self) -> list[str]:
        sheets = [self.builtin / "style.css"]
        if self.house and (house_css := house_file(self.house, "style.css")):
            sheets.append(house_css)
        return [sheet.resolve().as_uri() for sheet in sheets]


def house_folder(trip_folder: Path, explicit: Path | None) -> Path:
    """Where a trip's house style is, whether or not it exists: `--template DIR`, else the
    `templates/` folder beside the trip file."""
    return explicit if explicit is not None else trip_folder / "templates"


def find_house_style(trip_folder: Path, explicit: Path | None) -> Templates:
    """`--template DIR`, else a `templates/` folder beside the trip file, else none."""
    folder = house_folder(trip_folder, explicit)
    if explicit is not None and not folder.is_dir():
        raise BuildError(f"--template {explicit}: no such folder")
    return Templates(folder.resolve() if folder.is_dir() else None)


# What a template names: `{% extends|include|import|from "x" %}`, comments and raw aside
_NAMED = re.compile(r"""{%[-+]?\s*(?:extends|include|import|from)\s+["']([^"']+)["']""")
_UNREAD = re.compile(r"{#.*?#}|{%[-+]?\s*raw\s*[-+]?%}.*?{%[-+]?\s*endraw\s*[-+]?%}", re.DOTALL)


def named_templates(source: str) -> list[str]:
    """The templates a template's source names by a constant string."""
    return _NAMED.findall(_UNREAD.sub("", source))


def layout_files(layout_template: str) -> list[str]:
    """The built-in files a layout is made of, itself first: the templates it extends (up to
    the shared base) and the section files they include. What `templates copy` copies."""
    found, queue = [], [layout_template]
    while queue:
        name = queue.pop(0)
        if name in found or name in ("base.html.j2", "macros.html.j2"):
            continue
        found.append(name)
        text = (builtin_template_dir() / name).read_text(encoding="utf-8")
        queue += [ref for ref in named_templates(text) if not ref.startswith("builtin/")]
    return found


class _FolderLoader(jinja2.BaseLoader):
    """Regular UTF-8 files whose real path lies inside one folder; nothing else."""

    def __init__(self, folder: Path):
        self.folder = folder.resolve()

    def get_source(self, environment, template):
        path = self.folder.joinpath(*split_template_path(template))
        try:
            real = house_file(self.folder, str(path.relative_to(self.folder)))
        except BuildError as exc:
            raise TemplateProblem(str(exc)) from None
        if real is None:
            raise jinja2.TemplateNotFound(template)
        with real.open("rb") as fh:
            raw = fh.read(MAX_TEMPLATE_BYTES + 1)
        if len(raw) > MAX_TEMPLATE_BYTES:
            raise TemplateProblem(f"{path}: larger than {MAX_TEMPLATE_BYTES // 1024} KB; refused")
        try:
            source = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise TemplateProblem(
                f"{path}:{line}: not valid UTF-8 (byte 0x"
                f"{raw[exc.start]:02x}); save the template as UTF-8"
            ) from None
        mtime = real.stat().st_mtime_ns
        return source, str(path), lambda: real.is_file() and real.stat().st_mtime_ns == mtime


class _Sandbox(SandboxedEnvironment):
    """Jinja2's sandbox, tightened: no operator can build huge strings or lists."""

    intercepted_binops = frozenset(["*", "**"])

    def call_binop(self, context, operator, left, right):
        if operator == "**" and isinstance(right, int | float) and abs(right) > 100:
            raise SecurityError("'**' with an exponent over 100 is not allowed in templates")
        if operator == "*":
            sequence = next((x for x in (left, right) if isinstance(x, str | list | tuple)), None)
            times = next((x for x in (left, right) if isinstance(x, int)), 0)
            if sequence is not None and len(sequence) * times > MAX_TEMPLATE_REPEAT:
                raise SecurityError("a repeated string or list would be too large")
        return super().call_binop(context, operator, left, right)


def _gettext(message: str, **variables) -> Markup:
    """`_("Changes since %(date)s", date=x)`: the words in the book's language, escaped like
    any text; the variables escaped unless they are markup already."""
    words = escape(language.gettext(message))
    return words % variables if variables else words


def _ngettext(singular: str, plural: str, num: int, **variables) -> Markup:
    words = escape(language.ngettext(singular, plural, num))
    return words % {"num": num, **variables}


@cache
def template_environment(templates: Templates) -> jinja2.Environment:
    builtin = _FolderLoader(templates.builtin)
    loaders: list[jinja2.BaseLoader] = [jinja2.PrefixLoader({"builtin": builtin})]
    if templates.house:
        loaders.append(_FolderLoader(templates.house))
    loaders.append(builtin)
    env = _Sandbox(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=finalize,
        extensions=["jinja2.ext.i18n"],
    )
    env.globals = {name: env.globals[name] for name in ("range", "dict", "namespace")}
    # `_()`, `gettext()`, `ngettext()` and `{% trans %}`: the book's words from the catalogue
    # of the language being rendered (briefgen.language), for built-in and house templates.
    env.globals.update(_=_gettext, gettext=_gettext, ngettext=_ngettext)
    env.newstyle_gettext = True  # type: ignore[attr-defined]
    env.filters.update(FILTERS)
    env.filters.update(FITS)
    return env


def compile_layout(templates: Templates, name: str) -> None:
    """A built-in layout and every template it names compiled into the environment's cache,
    so that a child forked afterwards compiles none of them (Jinja2 compiles an include
    when it is first rendered: every child would compile it again). A name that is not
    there (`ignore missing`) is left to the render, which knows whether it matters."""
    env = template_environment(templates)
    todo, done = [name], set()
    while todo:
        if (current := todo.pop()) in done:
            continue
        done.add(current)
        try:
            env.get_template(current)
        except jinja2.TemplateNotFound:
            continue
        todo.extend(named_templates(_source(env, current)[0]))


def _source(env: jinja2.Environment, name: str) -> tuple[str, str | None]:
    """(source, file name) of a template, through the environment's loader."""
    if env.loader is None:
        raise jinja2.TemplateNotFound(name)
    source, filename, _ = env.loader.get_source(env, name)
    return source, filename


def _template_path(env: jinja2.Environment, name: str) -> str:
    try:
        return _source(env, name)[1] or name
    except jinja2.TemplateNotFound:
        return name


def _parents(env: jinja2.Environment, name: str):
    path = _template_path(env, name)
    tree = env.parse(_source(env, name)[0], name, path)
    parents = [
        p.template.value
        for p in tree.find_all(jinja2.nodes.Extends)
        if isinstance(p.template, jinja2.nodes.Const)
    ]
    return path, tree, parents


def _blocks_of(env: jinja2.Environment, name: str, seen: frozenset = frozenset()) -> set[str]:
    """Every block a template defines, with those of the templates it extends."""
    if name in seen:
        return set()
    _, tree, parents = _parents(env, name)
    blocks = {b.name for b in tree.find_all(jinja2.nodes.Block)}
    for parent in parents:
        blocks |= _blocks_of(env, parent, seen | {name})
    return blocks


def check_house_blocks(
    env: jinja2.Environment, templates: Templates, name: str, seen: tuple[str, ...] = ()
) -> None:
    """A house template may only override blocks its parent has (a misspelt block name would
    otherwise be silently ignored), and may not extend itself."""
    path = _template_path(env, name)
    if not templates.house or not Path(path).is_relative_to(templates.house):
        return
    if path in seen:
        raise TemplateProblem(
            f"{path}:1: extends itself (through {' → '.join(seen)}); "
            "extend 'builtin/NAME' to build on a built-in layout"
        )
    _, tree, parents = _parents(env, name)
    for parent in parents:
        known = _blocks_of(env, parent)
        blocks = list(tree.find_all(jinja2.nodes.Block))
        nested = {id(inner) for block in blocks for inner in block.find_all(jinja2.nodes.Block)}
        for block in (b for b in blocks if id(b) not in nested):  # blocks inside blocks are new
            if block.name not in known:
                near = difflib.get_close_matches(block.name, sorted(known), n=1)
                hint = f" (did you mean '{near[0]}'?)" if near else ""
                raise TemplateProblem(
                    f"{path}:{block.lineno}: block '{block.name}' does not exist in "
                    f"'{parent}'{hint}; blocks there: {', '.join(sorted(known))}"
                )
        check_house_blocks(env, templates, parent, (*seen, path))


def locate_template_error(exc: BaseException) -> str:
    """`file:line: message` for an error raised while compiling or running a template."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return f"{exc.filename or exc.name}:{exc.lineno}: {exc.message}"
    frames = [
        f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith((".j2", ".html"))
    ]
    where = f"{frames[-1].filename}:{frames[-1].lineno}: " if frames else ""
    if isinstance(exc, jinja2.TemplateNotFound):
        return f"{where}template '{exc.name}' not found"
    if isinstance(exc, RecursionError):
        return f"{where}templates extend or include each other without end"
    return f"{where}{type(exc).__name__}: {exc}"

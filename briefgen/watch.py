"""`briefgen watch`: rebuild whenever the trip, its libraries, its house style or a photo
changes, in one warm process.

The parent keeps what is slow to load (WeasyPrint, fonts, the compiled built-in templates)
and each rebuild goes through the same `pipeline.run` as `build` (which forks a bounded
child per output from this warm parent and writes outputs atomically). An edit that breaks
the trip prints its errors and leaves the last good PDF in place; watching goes on.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from pathlib import Path

from briefgen.errors import BriefError

DEBOUNCE_MS = 50  # editors write in bursts; wait this long after the last event
STEP_MS = 25
# Text in the scripts the book's fonts cover, so that their faces are loaded while warming.
WARM_SCRIPTS = (
    '<p lang="zh-Hans">秦刚 钓鱼台国宾馆</p><p lang="zh-Hant">外交部</p>'
    '<p lang="ja">日本語の名前</p><p lang="ko">한국어 이름</p>'
    '<p lang="ar" dir="rtl">الاسم العربي</p><p>Qín Gāng, Wáng Yì</p>'
)
KEPT = "the last good output is kept"
READY_MS = 200  # "watching" is said once the watcher has been in place this long


def warm_up(html: bool) -> None:
    """Load once what every rebuild needs; the child forked per build inherits it. Beyond
    imports and fonts, WeasyPrint's first document in a process pays for its user-agent
    stylesheets, font faces and shaping caches: a throw-away build of the built-in skeleton
    trip (trusted, small) pays that here, once, instead of in every rebuild's child."""
    from briefgen.load import load
    from briefgen.render import find_house_style, render_html
    from briefgen.render.environment import builtin_template_dir
    from briefgen.validate import validate

    if html:
        return
    from briefgen import pdf
    from briefgen.pdf.fonts import font_config

    font_config()
    try:
        brief = validate(load(builtin_template_dir() / "skeleton.yaml"))
        templates = find_house_style(builtin_template_dir(), None)
        document = render_html(brief, templates=templates).replace(
            "</body>", f"{WARM_SCRIPTS}</body>"
        )
        rendered = pdf.render(document, layout="book", standard=None, folders=[brief.folder])
        pdf.write(
            rendered,
            standard=None,
            created=brief.trip.memo.date,
            source=("skeleton.yaml", brief.source.raw),
            allow_missing_glyphs=True,
        )
    except Exception:
        pass
    gc.freeze()  # the forked child's collector then leaves the parent's objects (and pages) be


class Watched:
    """Which files and folders a rebuild depends on; refreshed after every good read."""

    def __init__(self, trip: Path, template: Path | None):
        self.trip = trip.resolve()
        self.template = template.resolve() if template else None
        self.files: set[Path] = {self.trip}
        self.folders: set[Path] = set()
        self.refresh()

    def refresh(self) -> None:
        from briefgen.render.environment import house_folder
        from briefgen.revisions import read

        self.folders = {house_folder(self.trip.parent, self.template)}
        try:
            brief = read(self.trip)
        except (BriefError, OSError):
            return  # keep what the last good read said
        files = {self.trip}
        files |= {Path(p).resolve() for p in getattr(brief, "files_read", ())}
        files |= {(brief.folder / p.photo).resolve() for p in brief.trip.people.values() if p.photo}
        self.files = files

    def roots(self) -> list[Path]:
        """Folders to ask the system about: those holding the files, and the house style's
        (when it exists)."""
        roots = {f.parent for f in self.files} | {d for d in self.folders if d.is_dir()}
        return sorted(r for r in roots if r.is_dir())

    def matters(self, path: str) -> bool:
        p = Path(path).resolve()
        return p in self.files or any(p.is_relative_to(d) for d in self.folders)


def watch(
    trip: Path,
    rebuild: Callable[[], bool],
    *,
    template: Path | None,
    say: Callable[[str], None],
    html: bool = False,
    stop_event=None,
) -> None:
    """Build, then rebuild after every change that matters, until interrupted."""
    import watchfiles

    from briefgen.pagerefs import remembered

    warm_up(html)
    watched = Watched(trip, template)
    with remembered():  # each rebuild prints the page numbers the one before found
        rebuild()
        announced = False
        while True:
            roots = watched.roots()
            restart = False
            for changes in watchfiles.watch(
                *roots,
                watch_filter=lambda _change, path: watched.matters(path),
                debounce=DEBOUNCE_MS,
                step=STEP_MS,
                stop_event=stop_event,
                rust_timeout=READY_MS,
                yield_on_timeout=True,
                raise_interrupt=True,
                ignore_permission_denied=True,
            ):
                if not changes:  # a timeout: the watcher is in place, so say so once
                    if not announced:
                        say(f"watching {trip} (Ctrl-C to stop)")
                        announced = True
                    continue
                names = sorted({Path(p).name for _, p in changes})
                say(f"changed: {', '.join(names)}")
                started = time.perf_counter()
                ok = rebuild()
                seconds = time.perf_counter() - started
                if ok:
                    say(f"rebuilt in {seconds:.2f} s")
                else:
                    say(f"not rebuilt (errors above, {seconds:.2f} s): {KEPT}")
                watched.refresh()
                if watched.roots() != roots:
                    restart = True
                    break
            if not restart:
                return  # stop_event set

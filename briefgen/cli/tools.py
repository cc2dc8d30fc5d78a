"""`briefgen templates` (list, copy) and `briefgen doctor`."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Annotated

import typer

from briefgen.cli.common import Layout, app, err, say
from briefgen.files import (
    create_atomically,
)
from briefgen.products import PRODUCTS

templates_app = typer.Typer(
    help="List the built-in layouts, or copy one out to start a house style.",
    no_args_is_help=False,
    invoke_without_command=True,
)
app.add_typer(templates_app, name="templates")


@templates_app.callback()
def templates_list(ctx: typer.Context) -> None:
    """List the built-in layouts."""
    if ctx.invoked_subcommand is None:
        for name, product in PRODUCTS.items():
            typer.echo(f"{name:6} {product.description}")


@templates_app.command("copy")
def templates_copy(
    name: Annotated[Layout, typer.Argument(help="The layout to copy.")],
    folder: Annotated[
        Path, typer.Argument(help="The house style folder to copy it into.", show_default=False)
    ],
) -> None:
    """Copy a built-in layout (and the section files it includes) into a house style folder
    as a starting point."""
    from briefgen.render.environment import builtin_template_dir, layout_files

    names = layout_files(PRODUCTS[name.value].template)
    try:
        if existing := [n for n in names if os.path.lexists(folder / n)]:
            raise FileExistsError(0, "exists", str(folder / existing[0]))
        for file in names:
            (folder / file).parent.mkdir(parents=True, exist_ok=True)
            create_atomically(folder / file, (builtin_template_dir() / file).read_bytes())
        with contextlib.suppress(FileExistsError):
            create_atomically(
                folder / "style.css", b"/* House style: loaded after briefgen's own style.css. */\n"
            )
    except FileExistsError as exc:
        err(f"{exc.filename}: already exists; not overwritten")
        raise typer.Exit(1) from None
    except OSError as exc:
        err(f"{exc.filename or folder}: cannot write: {exc.strerror or exc}")
        raise typer.Exit(1) from None
    say(
        f"copied {name.value} to {folder} ({len(names)} files: {', '.join(names)}); edit "
        "them, or keep only what you change: a house template replaces the built-in one of "
        f'the same name, and {{% extends "builtin/{names[0]}" %}} overrides single blocks'
    )


@app.command()
def doctor() -> None:
    """Check the PDF engine and fonts; say exactly what to install."""
    from briefgen.doctor import diagnose

    ok = True
    for passed, needed, line in diagnose():
        typer.echo(f"{'ok  ' if passed else ('FAIL' if needed else 'warn')} {line}")
        ok &= passed or not needed
    if not ok:
        raise typer.Exit(1)

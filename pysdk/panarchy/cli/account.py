"""``panarchy account``: encrypted keystores."""

from __future__ import annotations

from pathlib import Path

import click

from panarchy.accounts import create_keystore, keystore_address, resolve_keystore
from panarchy.cli._context import Context, pass_context


@click.group()
def account() -> None:
    """Create and inspect encrypted keystores.

    Example: panarchy account new alice.json
    """


@account.command("new")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.password_option(
    envvar="PANARCHY_PASSWORD", help="Keystore password [env PANARCHY_PASSWORD]."
)
@pass_context
def new(ctx: Context, path: Path, password: str) -> None:
    """Create a keystore with a fresh key at PATH.

    Example: panarchy account new alice.json
    """
    address = create_keystore(path, password)
    ctx.emit({"address": address, "keystore": str(path)}, f"created {path} for {address}")


@account.command("show")
@click.argument("keystore")
@pass_context
def show(ctx: Context, keystore: str) -> None:
    """Show a keystore's address (no password needed).

    Example: panarchy --json account show alice.json
    """
    path = resolve_keystore(keystore)
    address = keystore_address(path)
    ctx.emit({"address": address, "keystore": str(path)}, f"{path}: {address}")


__all__ = [
    "account",
    "new",
    "show",
]

"""The ``panarchy`` command: charters for people, with ``--json`` for scripts.

Every error the SDK raises on purpose is printed as one line with what to do, and the
command exits non-zero; no traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from panarchy.cli import proposals as _proposals  # noqa: F401  (adds its `propose` subcommands)
from panarchy.cli._context import Context
from panarchy.cli.account import account
from panarchy.cli.charter import register as register_charter_commands
from panarchy.cli.circles import circle
from panarchy.cli.doc import doc
from panarchy.cli.funds import fund
from panarchy.cli.relay import relay
from panarchy.cli.roles import role
from panarchy.errors import PanarchyError


class _Group(click.Group):
    """A group that turns the SDK's errors into one clear line."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PanarchyError as exc:
            raise click.ClickException(f"{exc} ({type(exc).__name__})") from exc


@click.group(cls=_Group)
@click.option(
    "--rpc",
    envvar="PANARCHY_RPC",
    default="http://127.0.0.1:8545",
    show_default=True,
    help="JSON-RPC URL of the node [env PANARCHY_RPC].",
)
@click.option(
    "--charter",
    "charter_address",
    envvar="PANARCHY_CHARTER",
    help="Charter address [env PANARCHY_CHARTER].",
)
@click.option(
    "--account",
    envvar="PANARCHY_ACCOUNT",
    help="Keystore file or ape alias [env PANARCHY_ACCOUNT].",
)
@click.option(
    "--dev-account", type=click.IntRange(0, 9), help="Development account N (local nodes only)."
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option(
    "--deployments",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("deployments"),
    show_default=True,
    help="Where deployment records live (one file per chain id).",
)
@click.version_option(package_name="panarchy")
@click.pass_context
def main(
    ctx: click.Context,
    rpc: str,
    charter_address: str | None,
    account: str | None,
    dev_account: int | None,
    as_json: bool,
    deployments: Path,
) -> None:
    """Panarchy: voluntary communities governing themselves on Ethereum."""
    ctx.obj = Context(
        rpc=rpc,
        charter_address=charter_address,
        account=account,
        dev_account_index=dev_account,
        as_json=as_json,
        deployments=deployments,
    )


@main.command()
def demo() -> None:
    """Tell the demo story on an in-process chain (nothing to start)."""
    from panarchy.demo import run

    run()


@main.command()
@click.option(
    "--chain-id",
    type=int,
    default=31337,
    show_default=True,
    help="Chain id to report (11155111 stands in for Sepolia).",
)
@click.option("--port", type=int, default=8545, show_default=True)
def node(chain_id: int, port: int) -> None:
    """Run a local anvil node on 127.0.0.1 until interrupted."""
    import time

    from panarchy.node import Anvil

    with Anvil(chain_id=chain_id, port=port) as anvil:
        click.echo(f"anvil (chain id {chain_id}) listening on {anvil.url}; Ctrl-C stops it")
        try:
            while anvil.process and anvil.process.poll() is None:
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass


main.add_command(account)
register_charter_commands(main)

main.add_command(doc)
main.add_command(relay)
main.add_command(role)
main.add_command(fund)
main.add_command(circle)

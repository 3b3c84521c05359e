"""The ``panarchy`` command: charters for people, with ``--json`` for scripts.

Every error the SDK raises on purpose is printed as one line with what to do, and the
command exits non-zero; no traceback. So are the failures nobody raises on purpose but a
person meets anyway: the node going away mid-command (a transport error from web3 or
requests), an answer web3 cannot use, a file that cannot be read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from panarchy.chain import DEV_ACCOUNT_COUNT
from panarchy.cli import proposals as _proposals  # noqa: F401  (adds its `propose` subcommands)
from panarchy.cli._context import Context
from panarchy.cli._options import dry_run_option
from panarchy.cli.account import account
from panarchy.cli.app import app
from panarchy.cli.charter import charter_group, propose
from panarchy.cli.charter import register as register_charter_commands
from panarchy.cli.circles import circle
from panarchy.cli.dev import dev
from panarchy.cli.doc import doc
from panarchy.cli.federation import federation
from panarchy.cli.funds import fund
from panarchy.cli.relay import relay
from panarchy.cli.roles import role
from panarchy.errors import ChainUnavailable, PanarchyError


def _one_line(exc: Exception, rpc: str | None, connected: bool) -> str | None:
    """The line to print for an error a person can meet, or None for a bug (a traceback).

    ``connected``: the node answered earlier in this command, so a transport failure
    now means it went away (not a wrong --rpc URL).
    """
    from web3.exceptions import BadFunctionCallOutput, Web3Exception

    from panarchy._utils.reverts import translate
    from panarchy.errors import ConfigurationError

    if isinstance(exc, PanarchyError):
        pass
    elif isinstance(exc, OSError) and exc.filename is not None:  # a file, not the node
        return f"{exc.filename}: {exc.strerror or exc}"
    elif isinstance(exc, BadFunctionCallOutput):  # a read answered by no code at all
        exc = ConfigurationError(
            f"{exc}: check the address (no contract answers there on this chain; "
            "was the node reset?)"
        )
    elif isinstance(exc, (OSError, Web3Exception)):
        exc = translate(exc)  # the SDK's one table: a revert, the node gone, a refusal
    if isinstance(exc, ChainUnavailable) and connected:
        where = f" at {rpc}" if rpc else ""
        exc = ChainUnavailable(
            f"the node{where} stopped answering: start it again or check --rpc, then "
            "retry (a transaction sent before may have been mined: check before "
            "sending it again)"
        )
    if isinstance(exc, PanarchyError):
        return " ".join(f"{exc} ({type(exc).__name__})".split())
    return None


class _Group(click.Group):
    """A group that turns the SDK's errors, and a node gone away, into one clear line."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:
            rpc = getattr(ctx.obj, "rpc", None)
            connected = getattr(ctx.obj, "_chain", None) is not None
            line = _one_line(exc, rpc, connected)
            if line is None:
                raise
            raise click.ClickException(line) from exc


class _Main(_Group):
    """The top group: a name it does not list is looked up among the charter's commands, so
    ``panarchy show`` is ``panarchy charter show`` (the listed shortcuts are ``join``,
    ``vote``, ``propose`` and ``execute``)."""

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return super().get_command(ctx, cmd_name) or charter_group.get_command(ctx, cmd_name)


@click.group(cls=_Main)
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
    "--dev-account",
    type=click.IntRange(0, DEV_ACCOUNT_COUNT - 1),
    help=f"Development account N, 0 to {DEV_ACCOUNT_COUNT - 1} (local nodes only).",
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
    """Panarchy: voluntary communities governing themselves on Ethereum.

    Example: panarchy --rpc http://127.0.0.1:8545 --charter 0xC4A3... show
    """
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
    """Tell the demo story on an in-process chain (nothing to start).

    Example: panarchy demo

    Example: panarchy node --port 8545
    """
    from panarchy.cli.demo import run

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
    """Run a local anvil node on 127.0.0.1 until interrupted.

    Example: panarchy node --port 8545
    """
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
main.add_command(app)
main.add_command(dev)
register_charter_commands(main)
main.add_command(doc)
main.add_command(relay)
main.add_command(role)
main.add_command(fund)
main.add_command(circle)
main.add_command(federation)

#: Each domain's proposals, in its own ``propose`` group and named there without the domain
#: (``panarchy role propose define``); the top-level ``propose`` is the shortcut to them
#: all, under the names on the right. A new domain (treaties, courts) adds its line here.
DOMAIN_PROPOSALS: dict[click.Group, dict[str, str]] = {
    charter_group: {name: name for name in ("enact", "amend", "renew", "repeal", "call", "admit")},
    role: {
        "define": "define-role",
        "appoint": "appoint",
        "recall": "recall",
        "volunteer-age": "volunteer-age",
        "clear-roster": "clear-roster",
    },
    fund: {"disburse": "fund-disburse", "limits": "fund-limits", "contribute": "fund-contribute"},
    federation: {
        "join": "federation-join",
        "vote": "federation-vote",
        "leave": "federation-leave",
    },
}

for _group, _names in DOMAIN_PROPOSALS.items():
    _domain = _group.name
    _propose = dry_run_option(
        click.Group(
            "propose",
            help=(
                f"Propose a decision about the {_domain}. --dry-run (here or after the "
                f"subcommand) proposes nothing.\n\nExample: panarchy {_domain} propose "
                f"{next(iter(_names))} --help"
            ),
        )
    )
    for _short, _full in _names.items():
        _propose.add_command(propose.commands[_full], _short)
    _group.add_command(_propose)

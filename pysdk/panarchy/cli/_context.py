"""What every command shares: the chain, the signer, the charter, the output mode."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from pathlib import Path
from typing import Any

import click
from eth_account.signers.local import LocalAccount
from eth_utils import to_checksum_address
from rich.console import Console

from panarchy.accounts import dev_account, load_keystore, resolve_keystore
from panarchy.chain import Chain, Simulation
from panarchy.charter import Charter
from panarchy.errors import ConfigurationError

_DURATION = re.compile(r"^(?P<n>\d+(\.\d+)?)(?P<unit>[smhdw])$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(text: str) -> timedelta:
    """Parse ``30s``, ``12h``, ``7d``, ``29.53d`` or ``2w``."""
    match = _DURATION.match(text.strip())
    if not match:
        raise click.BadParameter(f"{text!r} is not a duration: use e.g. 3600s, 12h, 7d or 2w")
    return timedelta(seconds=float(match["n"]) * _UNITS[match["unit"]])


@dataclass
class Context:
    """The CLI's shared state, built lazily so that `--help` never touches a node."""

    rpc: str
    charter_address: str | None
    account: str | None
    dev_account_index: int | None
    as_json: bool
    deployments: Path
    console: Console = field(default_factory=Console)
    #: Set by ``--dry-run`` (:data:`dry_run_option`): simulate the write, send nothing.
    dry_run: bool = False
    _chain: Chain | None = None

    @property
    def chain(self) -> Chain:
        if self._chain is None:
            self._chain = Chain.connect(self.rpc)
        return self._chain

    def signer(self) -> LocalAccount:
        """The account that signs: a keystore (password from $PANARCHY_PASSWORD or a
        prompt), or a development account on a development node."""
        if self.account:
            password = os.environ.get("PANARCHY_PASSWORD")
            if password is None:
                password = click.prompt(f"Password for {self.account}", hide_input=True)
            return load_keystore(self.account, password)
        if self.dev_account_index is not None:
            if not self.chain.is_dev:
                raise ConfigurationError(
                    "--dev-account works only on a development node; use --account KEYSTORE"
                )
            return dev_account(self.dev_account_index)
        raise ConfigurationError(
            "no account: pass --account KEYSTORE (or set PANARCHY_ACCOUNT); "
            "on a local node --dev-account N uses a development account"
        )

    def sender(self) -> str:
        """The signing account's address, without decrypting a keystore when it names its
        address (what a dry run needs: nothing is signed)."""
        if self.account:
            try:
                address = json.loads(resolve_keystore(self.account).read_text()).get("address")
            except (OSError, ValueError, AttributeError):
                address = None
            if isinstance(address, str) and len(address.removeprefix("0x")) == 40:
                return to_checksum_address("0x" + address.removeprefix("0x"))
        return self.signer().address

    def would(self, simulation: Simulation, what: str, **data: Any) -> None:
        """Report a dry run that would pass: what it would do and the gas it would use."""
        self.emit(
            {"would_pass": True, "what": what, "gas": simulation.gas,
             "result": simulation.result, **data},
            f"would pass: {what}, gas ≈ {simulation.gas:,} (nothing was sent)",
        )  # fmt: skip

    def charter(self) -> Charter:
        if not self.charter_address:
            raise ConfigurationError("no charter: pass --charter ADDRESS (or set PANARCHY_CHARTER)")
        return Charter(self.chain, self.charter_address)

    def emit(self, data: Any, text: str | None = None) -> None:
        """Print ``data`` as JSON with --json, else ``text`` (or a rendering of data)."""
        if self.as_json:
            click.echo(json.dumps(to_jsonable(data), indent=2, sort_keys=True))
        elif text is not None:
            self.console.print(text)
        else:
            self.console.print(data)


def to_jsonable(value: Any) -> Any:
    """Native SDK values to JSON values."""
    if hasattr(value, "__dataclass_fields__"):
        return {k: to_jsonable(getattr(value, k)) for k in value.__dataclass_fields__}
    if isinstance(value, Enum):
        return value.name
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, (Decimal, Fraction)):
        return str(value)
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    return value


pass_context = click.make_pass_decorator(Context)


def _set_dry_run(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    shared = ctx.find_object(Context)
    if value and shared is not None:
        shared.dry_run = True


#: ``--dry-run`` on a write: ask the chain whether it would pass and what it would cost
#: (a simulation on the pending block), print that, and send nothing. A refusal prints the
#: contract's reason as any error. On a group (``propose --dry-run enact ...``) it covers
#: every subcommand; the command reads :attr:`Context.dry_run`.
dry_run_option = click.option(
    "--dry-run",
    is_flag=True,
    expose_value=False,
    callback=_set_dry_run,
    help="Say whether this would pass and the gas it would use; send nothing.",
)

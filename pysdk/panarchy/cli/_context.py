"""What every command shares: the chain, the signer, the charter, the output mode."""

from __future__ import annotations

import json
import os
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

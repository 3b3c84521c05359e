"""``panarchy dev``: what a development chain allows and a real one never does.

Funding an account and moving the clock work on anvil and the in-process chain only
(:attr:`Chain.is_dev`); on any other chain each command is refused with one line naming
the chain id, before anything is sent.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

import click

from panarchy.chain import Chain
from panarchy.cli._context import Context, pass_context
from panarchy.cli._options import ADDRESS, parse_duration
from panarchy.errors import ConfigurationError

__all__ = ["dev", "parse_wei"]

_AMOUNT = re.compile(r"^(?P<n>\d+(\.\d+)?)\s*(?P<unit>eth|ether|gwei|wei)?$", re.IGNORECASE)
_DECIMALS = {"eth": 18, "ether": 18, "gwei": 9, "wei": 0}


def parse_wei(text: str) -> int:
    """Parse an amount of ETH: ``1eth``, ``0.5eth``, ``20gwei``, ``1000wei`` or plain wei.

    Raises:
        click.BadParameter: For anything else, or a fraction of a wei.
    """
    match = _AMOUNT.match(text.strip())
    if not match:
        raise click.BadParameter(
            f"{text!r} is not an amount: use e.g. 1eth, 0.5eth, 20gwei or a number of wei",
            param_hint="AMOUNT",
        )
    decimals = _DECIMALS[(match["unit"] or "wei").lower()]
    try:
        wei = Decimal(match["n"]).scaleb(decimals)
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only numbers
        raise click.BadParameter(f"{text!r} is not an amount", param_hint="AMOUNT") from exc
    if wei != wei.to_integral_value():
        raise click.BadParameter(
            f"{text!r} is a fraction of a wei: give at most {decimals} decimals",
            param_hint="AMOUNT",
        )
    if wei == 0:
        raise click.BadParameter("the amount must be more than zero", param_hint="AMOUNT")
    return int(wei)


def _eth(wei: int) -> str:
    text = format(Decimal(wei).scaleb(-18).normalize(), "f")
    return f"{text} ETH"


def _emit(ctx: Context, data: dict[str, Any], text: str) -> None:
    """JSON with --json, else one plain line (a terminal's width never breaks it)."""
    if ctx.as_json:
        ctx.emit(data)
    else:
        click.echo(text)


def _dev_chain(ctx: Context, what: str) -> Chain:
    """The chain, refused unless it is a development one."""
    chain = ctx.chain
    if not chain.is_dev:
        raise ConfigurationError(
            f"chain {chain.chain_id} is not a development chain: {what} only on anvil "
            "or the in-process chain (start one with `panarchy node`)"
        )
    return chain


@click.group()
def dev() -> None:
    """Development chains only (anvil): fund accounts, move time.

    \b
    Examples:
      panarchy dev fund 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 1eth
      panarchy dev advance 7d
    """


@dev.command("fund")
@click.argument("address", type=ADDRESS)
@click.argument("amount")
@pass_context
def fund(ctx: Context, address: str, amount: str) -> None:
    """Give ADDRESS AMOUNT of ETH (1eth, 0.5eth, 20gwei or wei), e.g. a fresh keystore.

    Example: panarchy dev fund 0x7099... 1eth
    """
    wei = parse_wei(amount)
    chain = _dev_chain(ctx, "accounts can be funded")
    chain.fund(address, wei)
    balance = int(chain.w3.eth.get_balance(address))  # type: ignore[arg-type]  # checksummed
    data = {"address": address, "funded_wei": wei, "balance_wei": balance}
    _emit(ctx, data, f"funded {address} with {_eth(wei)}; balance {_eth(balance)}")


@dev.command("advance")
@click.argument("duration")
@pass_context
def advance(ctx: Context, duration: str) -> None:
    """Move the chain's clock forward by DURATION (30s, 12h, 7d, 2w) and mine a block.

    Example: panarchy dev advance 7d
    """
    delta = parse_duration(duration)
    if delta.total_seconds() < 1:
        raise click.BadParameter("move time by at least one second", param_hint="DURATION")
    chain = _dev_chain(ctx, "time can be moved")
    before = chain.now()
    after = chain.advance(delta)
    data = {"before": before, "now": after, "advanced_seconds": int(delta.total_seconds())}
    _emit(ctx, data, f"chain time {after:%Y-%m-%d %H:%M:%S} UTC (was {before:%Y-%m-%d %H:%M:%S})")

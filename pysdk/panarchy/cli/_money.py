"""What the fund, circle and role commands share: addresses, amounts, memos, the factory,
opening a fund or a circle from an address, the ledger and audit outputs, and ``--dry-run``
(the contract's answer to a write, without sending it).

Bad input is refused with one line saying what to do (``click.BadParameter`` or the SDK's
``ConfigurationError``), before anything touches the chain where possible.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, cast

import click
from eth_typing import ChecksumAddress
from rich.markup import escape
from rich.table import Table
from web3.exceptions import Web3Exception

from panarchy._utils import artifacts
from panarchy.chain import Simulation
from panarchy.cli._context import Context
from panarchy.cli.charter import _document_from
from panarchy.deploy import DeploymentRecord
from panarchy.errors import ConfigurationError, TransactionFailed
from panarchy.funds import Asset, Audit, Fund, LedgerEntry, SavingsCircle, to_csv, to_json

ETH = Asset(None, "ETH", 18)
FORMATS = ("table", "csv", "json")


# --- dry runs -------------------------------------------------------------------------------
# ``--dry-run`` is the shared option of cli/_context.py (it sets ``Context.dry_run``).


def emit_dry_run(ctx: Context, what: str, sim: Simulation, **data: Any) -> None:
    """Say that ``what`` would pass, and its gas (a refusal raised before this is the usual
    one-line error with the contract's reason)."""
    ctx.would(sim, what, **data)


def memo_cid(path: Path | None) -> str | None:
    """Store a memo file and return its CID (None without a file)."""
    return _document_from("memo", path, None, None) if path is not None else None


def required_memo(path: Path) -> str:
    """Store a memo file and return its CID."""
    return _document_from("memo", path, None, None)


def amount(asset: Asset, text: str, hint: str = "AMOUNT", *, allow_zero: bool = False) -> int:
    """``text`` (``0.5``) in the asset's base units; a clear error for anything else."""
    try:
        finite = Decimal(text.strip()).is_finite()
    except InvalidOperation:
        finite = False
    if not finite:
        raise click.BadParameter(
            f"{text!r} is not an amount: give a number like 0.5", param_hint=hint
        )
    try:
        units = asset.units(text)
    except ConfigurationError as exc:
        raise click.BadParameter(str(exc), param_hint=hint) from exc
    if units == 0 and not allow_zero:
        raise click.BadParameter(
            f"{text} is zero: give a positive amount like 0.5", param_hint=hint
        )
    return units


def token_asset(ctx: Context, token: str | None) -> Asset:
    """The asset a new fund or circle will hold: ETH, or the ERC20 token at ``token``."""
    if token is None:
        return ETH
    if not ctx.chain.w3.eth.get_code(cast(ChecksumAddress, token)):  # ADDRESS checksums it
        raise click.BadParameter(
            f"there is no contract at {token}: give an ERC20 token's address, "
            "or leave --token out for ETH",
            param_hint="--token",
        )
    return Asset.of(ctx.chain, token)


# --- the factory and the contracts it made ----------------------------------------------


@dataclass(frozen=True)
class RecordedFactory:
    """The CharterFactory of this chain, as the deployment record has it."""

    address: ChecksumAddress
    #: The block it was deployed in: nothing it made is older (0 when not recorded).
    block: int


def recorded_factory(ctx: Context, *, required: bool = True) -> RecordedFactory | None:
    """The CharterFactory of this chain, from the deployment record.

    Args:
        ctx: The CLI context.
        required: Raise when there is none (else return None).

    Raises:
        ConfigurationError: with what to do, when ``required`` and there is none on chain.
    """
    record = DeploymentRecord.for_chain(ctx.chain, ctx.deployments)
    step = record.step("CharterFactory")
    address = step.get("address")
    if address and ctx.chain.w3.eth.get_code(address):
        checksummed = cast(ChecksumAddress, str(address))  # get_code took it: checksummed
        return RecordedFactory(checksummed, int(step.get("block") or 0))
    if not required:
        return None
    if not address:
        raise ConfigurationError(
            f"no CharterFactory is recorded for chain {ctx.chain.chain_id} in {record.path}: "
            "run `panarchy deploy` (or `panarchy found`, which deploys it), or pass "
            "--deployments DIR where its record is"
        )
    raise ConfigurationError(
        f"the CharterFactory recorded in {record.path} ({address}) has no code on chain "
        f"{ctx.chain.chain_id} (was the node reset?): run `panarchy deploy` again"
    )


def factory(ctx: Context) -> RecordedFactory:
    """The CharterFactory of this chain; one clear line saying what to do when there is none."""
    found = recorded_factory(ctx)
    assert found is not None  # required=True raises instead
    return found


def _contract(ctx: Context, found: RecordedFactory) -> Any:
    return ctx.chain.w3.eth.contract(
        address=found.address, abi=artifacts.load("CharterFactory")["abi"]
    )


def _created_block(
    ctx: Context, found: RecordedFactory | None, event: str, key: str, address: str
) -> int:
    """The block the factory made ``address`` in (0 when it is not known)."""
    if found is None:
        return 0
    try:
        logs = ctx.chain.logs(
            getattr(_contract(ctx, found).events, event),
            from_block=found.block,
            argument_filters={key: address},
        )
    except TransactionFailed:  # a node that limits log queries: read from 0
        return 0
    return int(logs[0]["blockNumber"]) if logs else 0


def _check_code(ctx: Context, address: str, listing: str) -> None:
    # The CLI's ADDRESS type checksums addresses (web3 refuses any other).
    if not ctx.chain.w3.eth.get_code(cast(ChecksumAddress, address)):
        raise ConfigurationError(
            f"there is no contract at {address} on chain {ctx.chain.chain_id}: check the "
            f"address (`{listing}` shows this charter's)"
        )


def open_fund(ctx: Context, address: str) -> Fund:
    """The fund at ``address``, or one clear line saying why it is not one."""
    _check_code(ctx, address, "panarchy fund list")
    found = recorded_factory(ctx, required=False)
    try:
        return Fund(
            ctx.chain,
            address,
            from_block=_created_block(ctx, found, "FundCreated", "fund", address),
        )
    except (Web3Exception, ValueError) as exc:  # the SDK's ConfigurationError included
        hint = "check the address (`panarchy fund list` shows this charter's funds)"
        if found and _contract(ctx, found).functions.is_circle(address).call():
            hint = f"it is a savings circle: use `panarchy circle show {address}`"
        raise ConfigurationError(f"{address} is not a solidarity fund: {hint}") from exc


def open_circle(ctx: Context, address: str) -> SavingsCircle:
    """The savings circle at ``address``, or one clear line saying why it is not one."""
    _check_code(ctx, address, "panarchy circle list")
    found = recorded_factory(ctx, required=False)
    try:
        return SavingsCircle(
            ctx.chain,
            address,
            from_block=_created_block(ctx, found, "CircleCreated", "circle", address),
        )
    except (Web3Exception, ValueError) as exc:  # the SDK's ConfigurationError included
        hint = "check the address (`panarchy circle list` shows this charter's circles)"
        if found and _contract(ctx, found).functions.is_fund(address).call():
            hint = f"it is a solidarity fund: use `panarchy fund show {address}`"
        raise ConfigurationError(f"{address} is not a savings circle: {hint}") from exc


# --- the ledger and its audit ------------------------------------------------------------


def short(text: str | None, keep: int = 6) -> str:
    """``0x1234…cdef`` for tables (the full value is in --format csv/json and --json)."""
    if not text:
        return "—"
    return text if len(text) <= 2 * keep + 1 else f"{text[:keep]}…{text[-(keep - 2) :]}"


def ledger_table(entries: list[LedgerEntry], asset: Asset, title: str) -> Table:
    table = Table(title=title, caption="full addresses and CIDs: --format csv or json")
    for col in ("block", "time (UTC)", "kind", "party", "amount", "by", "memo"):
        table.add_column(col, justify="right" if col in ("block", "amount") else "left")
    for e in entries:
        table.add_row(
            str(e.block),
            f"{e.timestamp:%Y-%m-%d %H:%M}",
            e.kind,
            short(e.party),
            asset.format(e.amount),
            short(e.by),
            short(e.memo_cid),
        )
    return table


def claim_output(ctx: Context, what: str, thing: Fund | SavingsCircle) -> None:
    """Claim, for the signer, a payment ``thing`` (a fund or a circle) owes them, and say so."""
    signer = ctx.signer()
    if ctx.dry_run:
        owed = thing.owed(signer.address)
        emit_dry_run(
            ctx,
            f"{signer.address} claims {thing.asset.format(owed)} from {what} {thing.address}",
            thing.claim(signer, dry_run=True),
        )
        return
    got = thing.claim(signer)
    ctx.emit(
        {what: thing.address, "claimant": signer.address, "amount": got},
        f"{signer.address} claimed {thing.asset.format(got)} from {what} {thing.address}",
    )


def ledger_output(
    ctx: Context, what: str, thing: Fund | SavingsCircle, fmt: str | None, out: Path | None
) -> None:
    """Print a ledger (a table, CSV or JSON), or write it to ``out``."""
    if fmt is None:
        fmt = "table"
        if out is not None:
            fmt = out.suffix.lstrip(".").lower()
            if fmt not in ("csv", "json"):
                raise click.UsageError(
                    f"cannot tell the format of {out}: name it .csv or .json, or pass --format"
                )
    if fmt == "table" and out is not None:
        raise click.UsageError("a table is for the screen: pass --format csv or json with --out")
    entries = thing.ledger()
    asset = thing.asset
    if fmt == "table":
        ctx.emit(
            [e.as_row(asset) for e in entries],
            ledger_table(entries, asset, f"Ledger of {what} {thing.address}")  # type: ignore[arg-type]
            if entries
            else f"the ledger of {what} {thing.address} is empty",
        )
        return
    text = to_csv(entries, asset) if fmt == "csv" else to_json(entries, asset) + "\n"
    if out is None:
        click.echo(text, nl=False)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    ctx.emit(
        {"out": str(out), "format": fmt, "entries": len(entries)},
        f"wrote {len(entries)} ledger entries of {what} {thing.address} "
        f"to {escape(str(out))} ({fmt})",
    )


def audit_output(ctx: Context, what: str, found: Audit) -> None:
    """Print an audit; exit with status 1 when it does not reconcile.

    One line per problem on stdout (nothing wrapped), and a summary on stderr.
    """
    latest = found.latest
    asset = found.asset
    partial = (
        ""
        if found.history_checked
        else " (the node keeps no old state: only the current totals were checked)"
    )
    if ctx.as_json:
        ctx.emit({**audit_data(found), "reconciles": found.reconciles})
    elif found.reconciles:
        ctx.emit(
            None,
            f"{what} {found.address}: {found.entries} ledger entries; the ledger reconciles: "
            f"holds {asset.format(latest.balance)} = contributed {asset.format(latest.contributed)}"
            f" - disbursed {asset.format(latest.disbursed)} + owed {asset.format(latest.owed)}"
            f" + unaccounted {asset.format(latest.unaccounted)}{partial}",
        )
    else:
        for problem in found.problems:
            click.echo(problem)
    if not found.reconciles:
        click.echo(
            f"the ledger of {what} {found.address} does not reconcile: "
            f"{len(found.problems)} problem(s){partial}",
            err=True,
        )
        click.get_current_context().exit(1)


def audit_data(found: Audit) -> dict[str, Any]:
    """An audit as plain data, with each point's expected and unaccounted amounts."""
    return {
        "address": found.address,
        "asset": found.asset,
        "entries": found.entries,
        "history_checked": found.history_checked,
        "problems": list(found.problems),
        "points": [
            {
                "block": p.block,
                "timestamp": p.timestamp,
                "contributed": p.contributed,
                "disbursed": p.disbursed,
                "owed": p.owed,
                "balance": p.balance,
                "expected": p.expected,
                "unaccounted": p.unaccounted,
            }
            for p in found.points
        ],
    }


def format_choice() -> Any:
    """The --format and --out options of the ledger commands."""

    def decorate(func: Any) -> Any:
        func = click.option(
            "--out",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Write CSV or JSON here (the format follows the suffix unless --format says).",
        )(func)
        return click.option(
            "--format",
            "fmt",
            type=click.Choice(FORMATS),
            help="table (default on screen), csv or json.",
        )(func)

    return decorate

"""The ledger of a fund or a savings circle, read back from chain history.

Both contracts keep the same ledger (``contracts/modules/ledger.vy``): every contribution
and every payment is an event carrying the running totals, and at every block

    balance == contributed - disbursed + owed + unaccounted

This module reads those events as :class:`LedgerEntry` rows, exports them (CSV, JSON), and
:func:`audit` replays them: the totals each event carries must follow from the events before
it, the contract's own totals must equal the replay at every block an event happened in and
now, and the asset balance must cover the ledger at each of those blocks (what it holds
beyond is unaccounted: forced ETH, a token rebasing up).

Amounts are integers in the asset's base units (wei for ETH); :class:`Asset` converts them
to and from :class:`~decimal.Decimal` amounts for people.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from eth_typing import ChecksumAddress
from eth_utils import to_checksum_address
from web3.contract import Contract

from panarchy.documents import bytes32_to_cid
from panarchy.errors import ConfigurationError, TokenTransferFailed

if TYPE_CHECKING:
    from web3.types import BlockIdentifier

    from panarchy.chain import Chain, Simulation

_ZERO32 = b"\x00" * 32
_ERC20_ABI = [
    {"name": n, "type": "function", "stateMutability": "view", "inputs": i, "outputs": [o]}
    for n, i, o in [
        ("decimals", [], {"name": "", "type": "uint8"}),
        ("symbol", [], {"name": "", "type": "string"}),
        ("balanceOf", [{"name": "account", "type": "address"}], {"name": "", "type": "uint256"}),
        (
            "allowance",
            [{"name": "owner", "type": "address"}, {"name": "spender", "type": "address"}],
            {"name": "", "type": "uint256"},
        ),
    ]
] + [
    {
        "name": "approve",
        "type": "function",
        "stateMutability": "nonpayable",
        "inputs": [{"name": "spender", "type": "address"}, {"name": "amount", "type": "uint256"}],
        "outputs": [{"name": "", "type": "bool"}],
    }
]


@dataclass(frozen=True)
class Asset:
    """What a fund holds: ETH (``token`` None) or one ERC20 token."""

    token: ChecksumAddress | None
    symbol: str
    decimals: int

    @classmethod
    def of(cls, chain: Chain, token: str) -> Asset:
        """The asset of a contract's ``token()`` answer (the zero address means ETH)."""
        if int(token, 16) == 0:
            return cls(None, "ETH", 18)
        erc20 = chain.w3.eth.contract(address=to_checksum_address(token), abi=_ERC20_ABI)
        try:
            decimals = int(erc20.functions.decimals().call())
        except Exception:  # decimals() is optional in ERC20
            decimals = 18
        try:
            symbol = str(erc20.functions.symbol().call())
        except Exception:
            symbol = token[:10]
        return cls(to_checksum_address(token), symbol, decimals)

    def to_decimal(self, units: int) -> Decimal:
        """Base units to an amount (``10**18`` wei is ``Decimal(1)`` ETH)."""
        return Decimal(units).scaleb(-self.decimals)

    def units(self, amount: str | Decimal | int) -> int:
        """An amount (``"0.5"``, ``Decimal("0.5")``) to base units; an ``int`` is taken as
        base units already.

        Raises:
            ConfigurationError: for text that is not a number, a negative amount, or one
                finer than the asset's smallest unit.
        """
        if isinstance(amount, int):
            units = amount
        else:
            try:
                value = Decimal(str(amount).strip())
            except InvalidOperation as exc:
                raise ConfigurationError(f"{amount!r} is not an amount (e.g. 0.5)") from exc
            if not value.is_finite():
                raise ConfigurationError(f"{amount!r} is not an amount (e.g. 0.5)")
            scaled = value.scaleb(self.decimals)
            if scaled != scaled.to_integral_value():
                raise ConfigurationError(
                    f"{amount} {self.symbol} is finer than its smallest unit (10^-{self.decimals})"
                )
            units = int(scaled)
        if units < 0:
            raise ConfigurationError(f"{amount} is negative: amounts are positive")
        return units

    def to_text(self, units: int) -> str:
        """An amount as plain text, without trailing zeros: ``"0.5"``."""
        return format(self.to_decimal(units).normalize(), "f")

    def format(self, units: int) -> str:
        """An amount for people: ``"0.5 ETH"``."""
        return f"{self.to_text(units)} {self.symbol}"

    def balance_of(self, chain: Chain, account: str, block: BlockIdentifier = "latest") -> int:
        """``account``'s holdings of the asset at ``block``."""
        account = to_checksum_address(account)
        if self.token is None:
            return int(chain.w3.eth.get_balance(account, block_identifier=block))
        erc20 = chain.w3.eth.contract(address=self.token, abi=_ERC20_ABI)
        return int(chain.call(erc20.functions.balanceOf(account), block=block))

    def allowance(self, chain: Chain, owner: str, spender: str) -> int:
        """What ``spender`` may draw of ``owner``'s tokens (unbounded for ETH: no approval)."""
        if self.token is None:
            return 2**256 - 1
        erc20 = chain.w3.eth.contract(address=self.token, abi=_ERC20_ABI)
        found = erc20.functions.allowance(to_checksum_address(owner), to_checksum_address(spender))
        return int(chain.call(found))

    def erc20(self, chain: Chain) -> Contract:
        """The token's contract (for approvals)."""
        if self.token is None:
            raise ConfigurationError("this fund holds ETH, not a token")
        return chain.w3.eth.contract(address=self.token, abi=_ERC20_ABI)


@dataclass(frozen=True)
class LedgerEntry:
    """One event of a ledger, with the running totals it carried.

    ``kind`` is ``contribution`` (``party`` gave; the zero address when unaccounted money
    was absorbed), ``disbursement`` (``party`` was paid, ``by`` decided it), ``deferred``
    (``party`` refused the payment just made; it is owed) or ``claim`` (``party`` claimed
    what it was owed).
    """

    block: int
    log_index: int
    timestamp: datetime
    tx_hash: str
    kind: str
    party: str
    amount: int
    memo_cid: str | None
    by: str | None = None
    contributed: int | None = None
    disbursed: int | None = None

    def as_row(self, asset: Asset) -> dict[str, Any]:
        """The entry as a flat row for CSV/JSON (amounts in base units and in the asset)."""
        row = asdict(self)
        row["timestamp"] = self.timestamp.isoformat()
        row["amount_" + asset.symbol.lower()] = asset.to_text(self.amount)
        return row


@dataclass(frozen=True)
class AuditPoint:
    """The ledger at one block: what the replay says, what the contract says, what it holds."""

    block: int
    timestamp: datetime
    contributed: int
    disbursed: int
    owed: int
    balance: int

    @property
    def expected(self) -> int:
        """What the ledger says the contract holds."""
        return self.contributed - self.disbursed + self.owed

    @property
    def unaccounted(self) -> int:
        """What it holds beyond the ledger (negative: a shortfall)."""
        return self.balance - self.expected


@dataclass(frozen=True)
class Audit:
    """The outcome of :func:`audit`: ``reconciles`` when no problem was found."""

    address: str
    asset: Asset
    entries: int
    points: tuple[AuditPoint, ...]
    problems: tuple[str, ...] = field(default=())
    history_checked: bool = True

    @property
    def reconciles(self) -> bool:
        return not self.problems

    @property
    def latest(self) -> AuditPoint:
        return self.points[-1]

    def __repr__(self) -> str:
        verdict = "reconciles" if self.reconciles else f"{len(self.problems)} problem(s)"
        return f"<Audit {self.address}: {self.entries} entries, {verdict}>"


_KINDS = {
    "Contributed": "contribution",
    "Disbursed": "disbursement",
    "PaymentDeferred": "deferred",
    "PaymentClaimed": "claim",
}


def simulate_approval_first(chain: Chain, sender: str, payment: Any, approve: Any) -> Simulation:
    """The dry run of a token payment whose approval is still missing.

    The contract judges the payment up to drawing the tokens (any refusal before that is
    raised, as when sending); the refusal to draw them is the missing approval, the step
    this dry run stands for, so the approval's own simulation is returned.
    """
    with contextlib.suppress(TokenTransferFailed):
        chain.simulate(sender, payment)
    return chain.simulate(sender, approve)


def read_entries(chain: Chain, contract: Contract, from_block: int = 0) -> list[LedgerEntry]:
    """Every ledger event of ``contract`` (a fund or a circle), oldest first."""
    raw: list[Any] = []
    for event_name in _KINDS:
        raw += chain.logs(getattr(contract.events, event_name), from_block=from_block)
    raw.sort(key=lambda e: (e["blockNumber"], e["logIndex"]))
    times: dict[int, datetime] = {}
    entries = []
    for e in raw:
        block = e["blockNumber"]
        if block not in times:
            stamp = chain.w3.eth.get_block(block)["timestamp"]
            times[block] = datetime.fromtimestamp(stamp, tz=UTC)
        args = e["args"]
        kind = _KINDS[e["event"]]
        party = args.get("contributor") or args.get("recipient")
        memo = args.get("memo")
        entries.append(
            LedgerEntry(
                block=block,
                log_index=e["logIndex"],
                timestamp=times[block],
                tx_hash="0x" + bytes(e["transactionHash"]).hex(),
                kind=kind,
                party=str(party),
                amount=int(args["amount"]),
                memo_cid=bytes32_to_cid(memo) if memo and memo != _ZERO32 else None,
                by=str(args["by"]) if "by" in args else None,
                contributed=args.get("contributed"),
                disbursed=args.get("disbursed"),
            )
        )
    return entries


def to_csv(entries: list[LedgerEntry], asset: Asset) -> str:
    """The entries as CSV (one row each, a header first)."""
    out = io.StringIO()
    rows = [e.as_row(asset) for e in entries]
    fields = list(rows[0]) if rows else list(LedgerEntry.__dataclass_fields__)
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def to_json(entries: list[LedgerEntry], asset: Asset) -> str:
    """The entries as a JSON list."""
    return json.dumps([e.as_row(asset) for e in entries], indent=2)


def audit(
    chain: Chain, contract: Contract, asset: Asset, from_block: int = 0
) -> tuple[Audit, list[LedgerEntry]]:
    """Replay a ledger from chain history and compare it with the chain at every block an
    event happened in, and now.

    Returns:
        The audit, and the entries it replayed.
    """
    entries = read_entries(chain, contract, from_block)
    problems: list[str] = []
    contributed = disbursed = owed = 0
    owed_by: dict[str, int] = {}
    state_at: dict[int, tuple[int, int, int]] = {}
    for e in entries:
        where = f"block {e.block}, log {e.log_index} ({e.kind} of {e.amount})"
        if e.kind == "contribution":
            contributed += e.amount
        elif e.kind == "disbursement":
            disbursed += e.amount
        elif e.kind == "deferred":
            owed += e.amount
            owed_by[e.party] = owed_by.get(e.party, 0) + e.amount
        else:
            if owed_by.get(e.party, 0) < e.amount:
                problems.append(f"{where}: claims more than {e.party} was owed")
            owed -= e.amount
            owed_by[e.party] = owed_by.get(e.party, 0) - e.amount
        if e.contributed is not None and (e.contributed, e.disbursed) != (contributed, disbursed):
            problems.append(
                f"{where}: the event carries contributed {e.contributed}, disbursed "
                f"{e.disbursed}; the events before it add up to {contributed}, {disbursed}"
            )
        state_at[e.block] = (contributed, disbursed, owed)
    head = chain.w3.eth.block_number
    state_at.setdefault(head, (contributed, disbursed, owed))
    points = []
    history_checked = True
    for block in sorted(state_at):
        c, d, o = state_at[block]
        try:
            onchain = (
                contract.functions.contributed().call(block_identifier=block),
                contract.functions.disbursed().call(block_identifier=block),
                contract.functions.owed_total().call(block_identifier=block),
            )
            balance = asset.balance_of(chain, contract.address, block)
        except Exception as exc:  # a pruned node keeps no old state
            if block != head:
                history_checked = False
                continue
            raise ConfigurationError(f"cannot read the fund's state: {exc}") from exc
        if onchain != (c, d, o):
            problems.append(
                f"block {block}: the contract says contributed/disbursed/owed {onchain}, "
                f"its events add up to {(c, d, o)}"
            )
        if balance < c - d + o:
            problems.append(
                f"block {block}: holds {asset.format(balance)}, less than the ledger's "
                f"{asset.format(c - d + o)} (shortfall {asset.format(c - d + o - balance)})"
            )
        stamp = chain.w3.eth.get_block(block)["timestamp"]
        points.append(AuditPoint(block, datetime.fromtimestamp(stamp, tz=UTC), c, d, o, balance))
    found = Audit(
        contract.address,
        asset,
        len(entries),
        tuple(points),
        tuple(problems),
        history_checked=history_checked,
    )
    return found, entries


__all__ = [
    "Asset",
    "Audit",
    "AuditPoint",
    "LedgerEntry",
    "audit",
    "read_entries",
    "to_csv",
    "to_json",
]

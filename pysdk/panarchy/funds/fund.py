"""A solidarity fund on chain, as a Python object: create or attach, contribute, disburse,
read the ledger, audit it.

A fund belongs to a charter. Anyone (or only members) contributes, up to a cap per period;
the charter's current steward (a role in its role book) disburses up to a limit per period;
anything more is the charter's decision, by proposal (:attr:`Fund.actions`). A fund a member
creates starts with a steward limit of zero: only the charter, by proposal
(:meth:`FundActions.set_limits`), gives its steward spending power, and :meth:`Fund.terms`
says who set the terms in force and when. The fund is the only judge of its rules: every
write is simulated on the pending block first (the gas estimate), and a refusal is the
fund's own revert, as its typed exception (see :mod:`panarchy.errors`), with nothing sent.
``dry_run=True`` runs only that simulation and returns its
:class:`~panarchy.chain.Simulation`. Only what the chain cannot say before a transaction
exists is checked here: encoding bounds, the caller's balance, and the ERC20 approval a
token contribution needs first. Amounts are integers in the asset's base units (wei for
ETH); :attr:`Fund.asset` converts.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal, cast, overload

from eth_account.signers.local import LocalAccount
from eth_typing import ChecksumAddress
from eth_utils import to_checksum_address
from web3.contract import Contract
from web3.logs import DISCARD

from panarchy import constants as C
from panarchy._utils import artifacts
from panarchy.charter.actions import encode_call, simulated_as
from panarchy.charter.describe import Describer
from panarchy.charter.roles import role_id, role_name
from panarchy.charter.types import Action
from panarchy.documents import cid_to_bytes32
from panarchy.errors import ConfigurationError
from panarchy.funds._factory import factory_contract
from panarchy.funds.ledger import (
    Asset,
    Audit,
    LedgerEntry,
    audit,
    read_entries,
    simulate_approval_first,
)

if TYPE_CHECKING:
    from panarchy.chain import Chain, Simulation
    from panarchy.charter import Charter

_ZERO = "0x0000000000000000000000000000000000000000"
_ZERO32 = b"\x00" * 32
#: Caps and limits are kept in 192 bits on chain (``MAX_LIMIT`` in
#: contracts/SolidarityFund.vy), the largest the fund takes: for display; the fund itself
#: refuses a larger one (its "limit too large" revert), no check here uses it.
MAX_LIMIT = C.SolidarityFund.MAX_LIMIT


@dataclass(frozen=True)
class FundLimits:
    """What the owner decides: the cap per contributor per period, the steward's limit per
    period (all stewards together), and whether only members may contribute. Amounts in
    base units. A member creating a fund leaves ``steward_limit`` at zero (the fund refuses
    anything else: :class:`~panarchy.errors.StewardLimitNeedsOwner`); the charter sets it by
    proposal."""

    contribution_cap: int
    steward_limit: int = 0
    members_only: bool = False

    def validate(self) -> None:
        """Check that these limits can be encoded (uint256 amounts), known before any
        transaction exists; every other rule (a zero cap, an amount over the packed limits
        word's :data:`MAX_LIMIT`) is the fund's to apply, asked by simulation.

        Raises:
            ConfigurationError: for a negative amount or one over 2**256 - 1.
        """
        for amount in (self.contribution_cap, self.steward_limit):
            if not 0 <= amount < 2**256:
                raise ConfigurationError(
                    f"a cap or a limit is an amount in base units (0 to 2**256 - 1), not {amount}"
                )

    def to_chain(self) -> tuple[int, int, bool]:
        return (self.contribution_cap, self.steward_limit, self.members_only)


@dataclass(frozen=True)
class FundSummary:
    """A fund's totals at one moment, in base units."""

    holdings: int
    contributed: int
    disbursed: int
    owed: int
    unaccounted: int
    shortfall: int
    available: int
    period: int
    steward_spent: int
    steward: str | None

    @property
    def reconciles(self) -> bool:
        """The ledger identity: balance == contributed - disbursed + owed + unaccounted
        (- shortfall)."""
        return self.holdings == (
            self.contributed - self.disbursed + self.owed + self.unaccounted - self.shortfall
        )


@dataclass(frozen=True)
class FundTerms:
    """What a contributor agrees to, and who decided it.

    The limits in force were set by ``limits_set_by`` at ``limits_set_at``: the fund's
    creator when it was created, or its owner (the charter, by an executed proposal) since.
    The period and the steward role are the creator's, fixed at creation. ``listed`` says
    whether the factory asked lists the fund as one it made (None: no factory was asked); a
    fund it does not list may claim any creator.
    """

    owner: str
    creator: str
    limits: FundLimits
    limits_set_by: str
    limits_set_at: datetime
    period: timedelta
    steward_role: str
    listed: bool | None = None

    @property
    def set_by_owner(self) -> bool:
        """Whether the limits in force are the owner's decision (a proposal, or a fund the
        charter created itself)."""
        return self.limits_set_by == self.owner

    @property
    def steward_may_pay(self) -> bool:
        """Whether the steward may pay anything on their own word (a non-zero limit)."""
        return self.limits.steward_limit > 0


def _limits_of(raw: Any) -> FundLimits:
    """Limits as web3 decodes them (a tuple, or a mapping of the struct's fields)."""
    if isinstance(raw, (tuple, list)):
        return FundLimits(*raw)
    return FundLimits(raw["contribution_cap"], raw["steward_limit"], raw["members_only"])


def _memo(cid: str | None) -> bytes:
    return cid_to_bytes32(cid) if cid else _ZERO32


def _check_amount(amount: int) -> None:
    """An amount's encoding bound (a uint256): whether it may be zero is the contract's say."""
    if not 0 <= amount < 2**256:
        raise ConfigurationError(f"{amount} is not an amount in base units (0 to 2**256 - 1)")


class FundActions:
    """The decisions only the owner (an executed proposal) can take, as proposal actions."""

    def __init__(self, fund: Fund) -> None:
        self._fund = fund
        # Its own token is known: amounts read in ETH for an ETH fund (the shared templates).
        self._describer = Describer(
            {fund.address: "SolidarityFund"},
            lambda _target: fund.asset.token or "0x" + "00" * 20,
        )

    def _described(self, action: Action) -> Action:
        return replace(action, summary=self._describer.describe(action.target, action.calldata))

    def disburse(self, recipient: str, amount: int, memo_cid: str) -> Action:
        """Pay ``recipient`` beyond any steward limit. (MAJORITY: an external call.)

        The fund judges the payment when the proposal executes (money may arrive while it
        is voted on); only its encoding is checked now.

        Raises:
            InvalidCID: ``memo_cid`` is not a document's CID (a payment needs a memo).
        """
        _check_amount(amount)
        return self._described(
            encode_call(
                self._fund.contract,
                "disburse_by_owner",
                [to_checksum_address(recipient), amount, cid_to_bytes32(memo_cid)],
            )
        )

    def set_limits(self, limits: FundLimits) -> Action:
        """Replace the fund's limits (MAJORITY): the only way a member-made fund's steward
        gets a limit.

        The action is simulated as the fund's owner (the caller it will have when the
        proposal executes), so the fund judges the limits now.

        Raises:
            InvalidFundSettings: the fund's refusal (a zero cap, a limit too large).
        """
        limits.validate()
        action = encode_call(self._fund.contract, "set_limits", [limits.to_chain()])
        return self._described(simulated_as(self._fund.chain, self._fund.owner, action))

    def contribute(self, amount: int, memo_cid: str | None = None) -> Action:
        """Move ``amount`` wei of the charter's own ETH into the fund (not capped)."""
        if self._fund.asset.token is not None:
            raise ConfigurationError("a token fund takes the charter's tokens by approval")
        _check_amount(amount)
        return self._described(
            encode_call(self._fund.contract, "contribute", [amount, _memo(memo_cid)], value=amount)
        )

    def absorb_unaccounted(self, memo_cid: str) -> Action:
        """Book the money the fund holds beyond its ledger as a contribution."""
        return self._described(
            encode_call(self._fund.contract, "absorb_unaccounted", [cid_to_bytes32(memo_cid)])
        )


class Fund:
    """A deployed solidarity fund.

    Args:
        chain: The chain it lives on.
        address: Its address.
        from_block: The block to read its history from (its creation block when known).
    """

    def __init__(self, chain: Chain, address: str, *, from_block: int = 0) -> None:
        self.chain = chain
        self.address = to_checksum_address(address)
        self.from_block = from_block
        self.contract: Contract = chain.w3.eth.contract(
            address=self.address, abi=artifacts.load("SolidarityFund")["abi"]
        )
        try:
            f = self.contract.functions
            token, owner, role, period = (
                self.chain.call(f.token()),
                self.chain.call(f.owner()),
                self.chain.call(f.steward_role()),
                self.chain.call(f.period_seconds()),
            )
        except Exception as exc:  # no code, or another contract's
            raise ConfigurationError(
                f"{self.address} is not a solidarity fund on chain {chain.chain_id} "
                "(`panarchy fund list` shows the charter's funds)"
            ) from exc
        #: What the fund holds: ETH or one ERC20 token.
        self.asset = Asset.of(chain, token)
        # web3 answers an address output checksummed.
        self.owner = cast(ChecksumAddress, str(owner))
        self.steward_role = role_name(role)
        self.period = timedelta(seconds=period)
        self._role_book = chain.w3.eth.contract(
            address=self.chain.call(self.contract.functions.role_book()),
            abi=artifacts.load("RoleBook")["abi"],
        )
        #: Builders for the owner's decisions (proposal actions).
        self.actions = FundActions(self)

    def __repr__(self) -> str:
        return f"<Fund {self.address} of {self.owner} in {self.asset.symbol}>"

    # --- creating ---------------------------------------------------------------------

    @overload
    @classmethod
    def create(
        cls,
        chain: Chain,
        signer: LocalAccount,
        *,
        factory: str,
        charter: Charter | str,
        limits: FundLimits,
        period: timedelta = ...,
        token: str | None = ...,
        steward_role: str = ...,
        dry_run: Literal[False] = ...,
    ) -> Fund: ...

    @overload
    @classmethod
    def create(
        cls,
        chain: Chain,
        signer: LocalAccount,
        *,
        factory: str,
        charter: Charter | str,
        limits: FundLimits,
        period: timedelta = ...,
        token: str | None = ...,
        steward_role: str = ...,
        dry_run: Literal[True],
    ) -> Simulation: ...

    @classmethod
    def create(
        cls,
        chain: Chain,
        signer: LocalAccount,
        *,
        factory: str,
        charter: Charter | str,
        limits: FundLimits,
        period: timedelta = timedelta(days=30),
        token: str | None = None,
        steward_role: str = "steward",
        dry_run: bool = False,
    ) -> Fund | Simulation:
        """Create a fund for ``charter`` through the factory that founded it.

        Args:
            chain: The chain.
            signer: A member of the charter.
            factory: The :class:`CharterFactory`'s address.
            charter: The owning charter (or its address).
            limits: The contribution cap, the steward's limit (zero: a member's fund starts
                with none, and the charter sets one by proposal), members only.
            period: The period caps and limits renew with.
            token: An ERC20 token's address, or None for ETH.
            steward_role: The role (in the charter's role book) whose holder is the steward.
            dry_run: Only simulate the creation: return its
                :class:`~panarchy.chain.Simulation` (``result`` is the new fund's address).

        Raises:
            StewardLimitNeedsOwner: a non-zero steward limit (the fund's own refusal, from
                simulating the creation: nothing is sent).
            ContractReverted: (a subclass) for any other refusal of the factory or the fund.
        """
        charter_address = to_checksum_address(
            charter if isinstance(charter, str) else charter.address
        )
        limits.validate()
        if period < timedelta(0):
            raise ConfigurationError(f"a period cannot be negative ({period})")
        made_by = factory_contract(chain, factory)
        fn = made_by.functions.create_fund(
            charter_address,
            to_checksum_address(token) if token else _ZERO,
            int(period.total_seconds()),
            limits.to_chain(),
            role_id(steward_role),
        )
        if dry_run:
            return chain.simulate(signer.address, fn)
        receipt = chain.transact(signer, fn)
        (event,) = made_by.events.FundCreated().process_receipt(receipt, errors=DISCARD)
        return cls(chain, event["args"]["fund"], from_block=receipt["blockNumber"])

    # --- reading ----------------------------------------------------------------------

    @property
    def limits(self) -> FundLimits:
        cap, limit, members_only = self.chain.call(self.contract.functions.limits())
        return FundLimits(cap, limit, members_only)

    @property
    def creator(self) -> str:
        """Who asked the factory for the fund (a member, or the charter itself)."""
        return str(self.chain.call(self.contract.functions.creator()))

    def terms(self, factory: str | None = None) -> FundTerms:
        """The terms a contributor agrees to and who set them (see :class:`FundTerms`).

        Args:
            factory: A :class:`CharterFactory`'s address, to say whether it lists the fund.
        """
        f = self.contract.functions
        listed = None
        if factory is not None:
            made_by = self.chain.w3.eth.contract(
                address=to_checksum_address(factory), abi=artifacts.load("CharterFactory")["abi"]
            )
            listed = bool(self.chain.call(made_by.functions.is_fund(self.address)))
        return FundTerms(
            owner=self.owner,
            creator=str(self.chain.call(f.creator())),
            limits=self.limits,
            limits_set_by=str(self.chain.call(f.limits_set_by())),
            limits_set_at=datetime.fromtimestamp(self.chain.call(f.limits_set_at()), tz=UTC),
            period=self.period,
            steward_role=self.steward_role,
            listed=listed,
        )

    @property
    def current_period(self) -> int:
        return int(self.chain.call(self.contract.functions.current_period()))

    def period_start(self, period: int) -> datetime:
        """When a period starts."""
        return datetime.fromtimestamp(
            self.chain.call(self.contract.functions.period_start(period)), tz=UTC
        )

    @property
    def steward(self) -> str | None:
        """Who holds the steward role now (None: nobody)."""
        found = self.chain.call(self._role_book.functions.holder(role_id(self.steward_role)))
        return None if int(found, 16) == 0 else str(found)

    def given_this_period(self, account: str) -> int:
        """What ``account`` contributed this period (counted against the cap)."""
        return int(
            self.chain.call(self.contract.functions.given_this_period(to_checksum_address(account)))
        )

    def owed(self, account: str) -> int:
        """What ``account`` may claim (a payment it refused)."""
        return int(self.chain.call(self.contract.functions.owed(to_checksum_address(account))))

    @property
    def available(self) -> int:
        """What may be disbursed now."""
        return int(self.chain.call(self.contract.functions.available()))

    def summary(self) -> FundSummary:
        """Every total at once."""
        f = self.contract.functions
        return FundSummary(
            holdings=self.chain.call(f.holdings()),
            contributed=self.chain.call(f.contributed()),
            disbursed=self.chain.call(f.disbursed()),
            owed=self.chain.call(f.owed_total()),
            unaccounted=self.chain.call(f.unaccounted()),
            shortfall=self.chain.call(f.shortfall()),
            available=self.chain.call(f.available()),
            period=self.chain.call(f.current_period()),
            steward_spent=self.chain.call(f.steward_spent_this_period()),
            steward=self.steward,
        )

    def ledger(self) -> list[LedgerEntry]:
        """Every contribution and payment, oldest first, with the running totals."""
        return read_entries(self.chain, self.contract, self.from_block)

    def audit(self) -> Audit:
        """Replay the ledger from chain history and check it against the chain, every cap
        and every steward limit (see :func:`panarchy.funds.ledger.audit`)."""
        found, entries = audit(self.chain, self.contract, self.asset, self.from_block)
        problems = list(found.problems) + self._check_periods(entries)
        return Audit(
            found.address,
            found.asset,
            found.entries,
            found.points,
            tuple(problems),
            found.history_checked,
        )

    # --- writing ----------------------------------------------------------------------
    # Each write goes straight to the chain: Chain.transact estimates on the pending block
    # first, so the fund's own refusal is raised, typed, and nothing is sent. No rule of the
    # fund is re-checked here. ``dry_run=True`` runs only that simulation.

    def needs_approval(self, account: str, amount: int) -> bool:
        """Whether ``account`` must approve the fund before contributing ``amount`` (a token
        fund whose allowance is short; never for ETH)."""
        return self.asset.allowance(self.chain, account, self.address) < amount

    @overload
    def contribute(
        self,
        signer: LocalAccount,
        amount: int,
        memo_cid: str | None = ...,
        *,
        dry_run: Literal[False] = ...,
    ) -> None: ...

    @overload
    def contribute(
        self,
        signer: LocalAccount,
        amount: int,
        memo_cid: str | None = ...,
        *,
        dry_run: Literal[True],
    ) -> Simulation: ...

    def contribute(
        self,
        signer: LocalAccount,
        amount: int,
        memo_cid: str | None = None,
        *,
        dry_run: bool = False,
    ) -> Simulation | None:
        """Contribute ``amount`` base units (approving the fund first for a token).

        Args:
            signer: The contributor.
            amount: In base units.
            memo_cid: A memo document's CID (optional).
            dry_run: Only simulate: return the :class:`~panarchy.chain.Simulation`. For a
                token whose allowance is short it is the approval's, once the fund has
                judged the contribution up to drawing the tokens (the rules it applies
                after the transfer, like the cap, it can only judge once approved).

        Raises:
            ConfigurationError: the signer holds less than ``amount``.
            ContractReverted: (a subclass) the fund's refusal, e.g. :class:`MembersOnly`,
                :class:`OverContributionCap`; nothing is sent.
        """
        _check_amount(amount)
        memo = _memo(memo_cid)
        fn = self.contract.functions.contribute(amount, memo)
        held = self.asset.balance_of(self.chain, signer.address)
        if held < amount:
            raise ConfigurationError(
                f"{signer.address} holds {self.asset.format(held)}, less than "
                f"{self.asset.format(amount)}"
            )
        if self.asset.token is None:
            if dry_run:
                return self.chain.simulate(signer.address, fn, value=amount)
            self.chain.transact(signer, fn, value=amount)
            return None
        approve = self.asset.erc20(self.chain).functions.approve(self.address, amount)
        if self.needs_approval(signer.address, amount):
            if dry_run:
                return simulate_approval_first(self.chain, signer.address, fn, approve)
            self.chain.transact(signer, approve)
        if dry_run:
            return self.chain.simulate(signer.address, fn)
        self.chain.transact(signer, fn)
        return None

    @overload
    def disburse(
        self,
        signer: LocalAccount,
        recipient: str,
        amount: int,
        memo_cid: str | None,
        *,
        dry_run: Literal[False] = ...,
    ) -> bool: ...

    @overload
    def disburse(
        self,
        signer: LocalAccount,
        recipient: str,
        amount: int,
        memo_cid: str | None,
        *,
        dry_run: Literal[True],
    ) -> Simulation: ...

    def disburse(
        self,
        signer: LocalAccount,
        recipient: str,
        amount: int,
        memo_cid: str | None,
        *,
        dry_run: bool = False,
    ) -> bool | Simulation:
        """Pay ``recipient`` as the steward, within this period's limit.

        Returns:
            True if the recipient took the payment; False if it refused it (a contract that
            reverts), when it is owed to them to :meth:`claim`. With ``dry_run``, the
            :class:`~panarchy.chain.Simulation`.

        Raises:
            ContractReverted: (a subclass) the fund's refusal, e.g. :class:`NotTheSteward`,
                :class:`InvalidPayment` (no memo), :class:`OverStewardLimit`.
        """
        _check_amount(amount)
        fn = self.contract.functions.disburse(
            to_checksum_address(recipient), amount, _memo(memo_cid)
        )
        if dry_run:
            return self.chain.simulate(signer.address, fn)
        receipt = self.chain.transact(signer, fn)
        return not self.contract.events.PaymentDeferred().process_receipt(receipt, errors=DISCARD)

    @overload
    def claim(self, signer: LocalAccount, *, dry_run: Literal[False] = ...) -> int: ...

    @overload
    def claim(self, signer: LocalAccount, *, dry_run: Literal[True]) -> Simulation: ...

    def claim(self, signer: LocalAccount, *, dry_run: bool = False) -> int | Simulation:
        """Take what one is owed; returns the amount (or, with ``dry_run``, the simulation).

        Raises:
            NothingOwed: the fund owes the signer nothing (its own refusal).
        """
        fn = self.contract.functions.claim()
        if dry_run:
            return self.chain.simulate(signer.address, fn)
        amount = self.owed(signer.address)
        self.chain.transact(signer, fn)
        return amount

    @overload
    def absorb_unaccounted(
        self, signer: LocalAccount, memo_cid: str | None = ..., *, dry_run: Literal[False] = ...
    ) -> int: ...

    @overload
    def absorb_unaccounted(
        self, signer: LocalAccount, memo_cid: str | None = ..., *, dry_run: Literal[True]
    ) -> Simulation: ...

    def absorb_unaccounted(
        self, signer: LocalAccount, memo_cid: str | None = None, *, dry_run: bool = False
    ) -> int | Simulation:
        """Book, as the steward, what the fund holds beyond its ledger; returns the amount.

        Raises:
            NotTheSteward: the signer does not hold the steward role (the fund's refusal).
            NothingUnaccounted: the fund holds nothing beyond its ledger.
        """
        fn = self.contract.functions.absorb_unaccounted(_memo(memo_cid))
        if dry_run:
            return self.chain.simulate(signer.address, fn)
        receipt = self.chain.transact(signer, fn)
        booked = self.contract.events.Contributed().process_receipt(receipt, errors=DISCARD)
        return sum(int(e["args"]["amount"]) for e in booked)

    # --- internals --------------------------------------------------------------------

    def _check_periods(self, entries: list[LedgerEntry]) -> list[str]:
        """The caps and the steward's limit, period by period, from the history."""
        initialized = self.chain.logs(
            self.contract.events.FundInitialized, from_block=self.from_block
        )
        if not initialized:
            return ["no FundInitialized event: is from_block after the fund's creation?"]
        origin = self.chain.w3.eth.get_block(initialized[0]["blockNumber"])["timestamp"]
        seconds = int(self.period.total_seconds())
        limits = sorted(
            (
                (e["blockNumber"], e["logIndex"], _limits_of(e["args"]["new"]))
                for e in self.chain.logs(
                    self.contract.events.LimitsUpdated, from_block=self.from_block
                )
            ),
            key=lambda t: (t[0], t[1]),
        )
        problems = []
        given: dict[tuple[str, int], int] = {}
        spent: dict[int, int] = {}
        for e in entries:
            period = (int(e.timestamp.timestamp()) - origin) // seconds
            now = [lim for b, i, lim in limits if (b, i) <= (e.block, e.log_index)]
            if not now:
                continue
            lim = now[-1]
            if e.kind == "contribution" and e.party not in (self.owner, _ZERO):
                total = given[(e.party, period)] = given.get((e.party, period), 0) + e.amount
                if total > lim.contribution_cap:
                    cap = self.asset.format(lim.contribution_cap)
                    problems.append(
                        f"block {e.block}: {e.party} gave {self.asset.format(total)} "
                        f"in period {period}, over the cap of {cap}"
                    )
            if e.kind == "disbursement" and e.by not in (self.owner, None):
                spent[period] = spent.get(period, 0) + e.amount
                if spent[period] > lim.steward_limit:
                    problems.append(
                        f"block {e.block}: stewards paid {self.asset.format(spent[period])} in "
                        f"period {period}, over the limit of {self.asset.format(lim.steward_limit)}"
                    )
        return problems


def funds_of(chain: Chain, factory: str, charter: str, from_block: int = 0) -> list[Fund]:
    """Every fund the factory made for ``charter``, oldest first."""
    contract = chain.w3.eth.contract(
        address=to_checksum_address(factory), abi=artifacts.load("CharterFactory")["abi"]
    )
    events = chain.logs(
        contract.events.FundCreated,
        from_block=from_block,
        argument_filters={"charter": to_checksum_address(charter)},
    )
    return [Fund(chain, e["args"]["fund"], from_block=e["blockNumber"]) for e in events]


__all__ = [
    "MAX_LIMIT",
    "FundLimits",
    "FundSummary",
    "FundTerms",
    "FundActions",
    "Fund",
    "funds_of",
]

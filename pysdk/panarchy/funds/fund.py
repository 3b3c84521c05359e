"""A solidarity fund on chain, as a Python object: create or attach, contribute, disburse,
read the ledger, audit it.

A fund belongs to a charter. Anyone (or only members) contributes, up to a cap per period;
the charter's current steward (a role in its role book) disburses up to a limit per period;
anything more is the charter's decision, by proposal (:attr:`Fund.actions`). A fund a member
creates starts with a steward limit of zero: only the charter, by proposal
(:meth:`FundActions.set_limits`), gives its steward spending power, and :meth:`Fund.terms`
says who set the terms in force and when. Every write
checks the chain first and raises the exception the contract would (see
:mod:`panarchy.errors`) before anything is sent. Amounts are integers in the asset's base
units (wei for ETH); :attr:`Fund.asset` converts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from eth_account.signers.local import LocalAccount
from eth_typing import ChecksumAddress
from eth_utils import to_checksum_address
from web3.contract import Contract
from web3.logs import DISCARD

from panarchy._utils import artifacts
from panarchy.charter_actions import encode_call
from panarchy.documents import cid_to_bytes32
from panarchy.errors import ConfigurationError, error_for_revert
from panarchy.funds._factory import checked_factory
from panarchy.funds.ledger import Asset, Audit, LedgerEntry, audit, read_entries
from panarchy.roles import role_id, role_name
from panarchy.types import Action

if TYPE_CHECKING:
    from panarchy.chain import Chain
    from panarchy.charter import Charter

_ZERO = "0x0000000000000000000000000000000000000000"
_ZERO32 = b"\x00" * 32
#: Caps and limits are kept in 192 bits on chain.
MAX_LIMIT = 2**192 - 1


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
        """Raise the error the fund would give for these limits."""
        if self.contribution_cap <= 0:
            raise error_for_revert("fund: zero contribution cap")
        if self.contribution_cap > MAX_LIMIT or not 0 <= self.steward_limit <= MAX_LIMIT:
            raise error_for_revert("fund: limit too large")

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


class FundActions:
    """The decisions only the owner (an executed proposal) can take, as proposal actions."""

    def __init__(self, fund: Fund) -> None:
        self._fund = fund

    def disburse(self, recipient: str, amount: int, memo_cid: str) -> Action:
        """Pay ``recipient`` beyond any steward limit. (MAJORITY: an external call.)

        What the fund holds is checked when the proposal executes, not now: money may
        arrive while it is voted on.
        """
        self._fund._check_payment(
            to_checksum_address(recipient), amount, memo_cid, check_available=False
        )
        return encode_call(
            self._fund.contract,
            "disburse_by_owner",
            [to_checksum_address(recipient), amount, cid_to_bytes32(memo_cid)],
            f"pay {self._fund.asset.format(amount)} from fund {self._fund.address} to {recipient}",
        )

    def set_limits(self, limits: FundLimits) -> Action:
        """Replace the fund's limits (MAJORITY): the only way a member-made fund's steward
        gets a limit."""
        limits.validate()
        asset = self._fund.asset
        return encode_call(
            self._fund.contract,
            "set_limits",
            [limits.to_chain()],
            f"set fund {self._fund.address} limits: cap {asset.format(limits.contribution_cap)}, "
            f"steward {asset.format(limits.steward_limit)}"
            + (", members only" if limits.members_only else ""),
        )

    def contribute(self, amount: int, memo_cid: str | None = None) -> Action:
        """Move ``amount`` wei of the charter's own ETH into the fund (not capped)."""
        if self._fund.asset.token is not None:
            raise ConfigurationError("a token fund takes the charter's tokens by approval")
        if amount <= 0:
            raise error_for_revert("ledger: zero amount")
        return encode_call(
            self._fund.contract,
            "contribute",
            [amount, _memo(memo_cid)],
            f"give {self._fund.asset.format(amount)} to fund {self._fund.address}",
            value=amount,
        )

    def absorb_unaccounted(self, memo_cid: str) -> Action:
        """Book the money the fund holds beyond its ledger as a contribution."""
        return encode_call(
            self._fund.contract,
            "absorb_unaccounted",
            [cid_to_bytes32(memo_cid)],
            f"book unaccounted money of fund {self._fund.address}",
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
                f.token().call(),
                f.owner().call(),
                f.steward_role().call(),
                f.period_seconds().call(),
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
            address=self.contract.functions.role_book().call(),
            abi=artifacts.load("RoleBook")["abi"],
        )
        self._charter = chain.w3.eth.contract(
            address=self.owner, abi=artifacts.load("Charter")["abi"]
        )
        #: Builders for the owner's decisions (proposal actions).
        self.actions = FundActions(self)

    def __repr__(self) -> str:
        return f"<Fund {self.address} of {self.owner} in {self.asset.symbol}>"

    # --- creating ---------------------------------------------------------------------

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
    ) -> Fund:
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

        Raises:
            StewardLimitNeedsOwner: a non-zero steward limit (the fund's own refusal, from
                simulating the creation: nothing is sent).
        """
        charter_address = to_checksum_address(
            charter if isinstance(charter, str) else charter.address
        )
        limits.validate()
        if period.total_seconds() < 1:
            raise error_for_revert("fund: zero period")
        factory_contract = checked_factory(chain, signer, factory, charter_address)
        receipt = chain.transact(
            signer,
            factory_contract.functions.create_fund(
                charter_address,
                to_checksum_address(token) if token else _ZERO,
                int(period.total_seconds()),
                limits.to_chain(),
                role_id(steward_role),
            ),
        )
        (event,) = factory_contract.events.FundCreated().process_receipt(receipt, errors=DISCARD)
        return cls(chain, event["args"]["fund"], from_block=receipt["blockNumber"])

    # --- reading ----------------------------------------------------------------------

    @property
    def limits(self) -> FundLimits:
        cap, limit, members_only = self.contract.functions.limits().call()
        return FundLimits(cap, limit, members_only)

    @property
    def creator(self) -> str:
        """Who asked the factory for the fund (a member, or the charter itself)."""
        return str(self.contract.functions.creator().call())

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
            listed = bool(made_by.functions.is_fund(self.address).call())
        return FundTerms(
            owner=self.owner,
            creator=str(f.creator().call()),
            limits=self.limits,
            limits_set_by=str(f.limits_set_by().call()),
            limits_set_at=datetime.fromtimestamp(f.limits_set_at().call(), tz=UTC),
            period=self.period,
            steward_role=self.steward_role,
            listed=listed,
        )

    @property
    def current_period(self) -> int:
        return int(self.chain.call(self.contract.functions.current_period()))

    def period_start(self, period: int) -> datetime:
        """When a period starts."""
        return datetime.fromtimestamp(self.contract.functions.period_start(period).call(), tz=UTC)

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
        return int(self.contract.functions.owed(to_checksum_address(account)).call())

    @property
    def available(self) -> int:
        """What may be disbursed now."""
        return int(self.chain.call(self.contract.functions.available()))

    def summary(self) -> FundSummary:
        """Every total at once."""
        f = self.contract.functions
        return FundSummary(
            holdings=self.chain.call(f.holdings()),
            contributed=f.contributed().call(),
            disbursed=f.disbursed().call(),
            owed=f.owed_total().call(),
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

    def contribute(self, signer: LocalAccount, amount: int, memo_cid: str | None = None) -> None:
        """Contribute ``amount`` base units (approving the fund first for a token)."""
        if amount <= 0:
            raise error_for_revert("ledger: zero amount")
        limits = self.limits
        exempt = signer.address == self.owner
        if (
            limits.members_only
            and not exempt
            and not self._charter.functions.is_member(signer.address).call()
        ):
            raise error_for_revert("fund: members only")
        if not exempt and self.given_this_period(signer.address) + amount > limits.contribution_cap:
            raise error_for_revert("fund: over the contribution cap")
        memo = _memo(memo_cid)
        if self.asset.token is None:
            if self.chain.w3.eth.get_balance(signer.address) < amount:
                raise ConfigurationError(
                    f"{signer.address} holds less than {self.asset.format(amount)}"
                )
            self.chain.transact(
                signer, self.contract.functions.contribute(amount, memo), value=amount
            )
            return
        erc20 = self.asset.erc20(self.chain)
        if erc20.functions.balanceOf(signer.address).call() < amount:
            raise ConfigurationError(
                f"{signer.address} holds less than {self.asset.format(amount)}"
            )
        if erc20.functions.allowance(signer.address, self.address).call() < amount:
            self.chain.transact(signer, erc20.functions.approve(self.address, amount))
        self.chain.transact(signer, self.contract.functions.contribute(amount, memo))

    def disburse(self, signer: LocalAccount, recipient: str, amount: int, memo_cid: str) -> bool:
        """Pay ``recipient`` as the steward, within this period's limit.

        Returns:
            True if the recipient took the payment; False if it refused it (a contract that
            reverts), when it is owed to them to :meth:`claim`.
        """
        recipient = to_checksum_address(recipient)
        if not self._role_book.functions.holds_role(
            role_id(self.steward_role), signer.address
        ).call():
            raise error_for_revert("fund: not the steward")
        if recipient == signer.address:
            raise error_for_revert("fund: steward cannot pay self")
        self._check_payment(recipient, amount, memo_cid)
        spent = self.chain.call(self.contract.functions.steward_spent_this_period())
        if spent + amount > self.limits.steward_limit:
            raise error_for_revert("fund: over the steward limit")
        receipt = self.chain.transact(
            signer, self.contract.functions.disburse(recipient, amount, cid_to_bytes32(memo_cid))
        )
        return not self.contract.events.PaymentDeferred().process_receipt(receipt, errors=DISCARD)

    def claim(self, signer: LocalAccount) -> int:
        """Take what one is owed; returns the amount."""
        amount = self.owed(signer.address)
        if amount == 0:
            raise error_for_revert("ledger: nothing owed")
        self.chain.transact(signer, self.contract.functions.claim())
        return amount

    def absorb_unaccounted(self, signer: LocalAccount, memo_cid: str | None = None) -> int:
        """Book, as the steward, what the fund holds beyond its ledger; returns the amount."""
        if not self._role_book.functions.holds_role(
            role_id(self.steward_role), signer.address
        ).call():
            raise error_for_revert("fund: not the steward")
        amount = self.chain.call(self.contract.functions.unaccounted())
        if amount == 0:
            raise error_for_revert("fund: nothing unaccounted")
        self.chain.transact(signer, self.contract.functions.absorb_unaccounted(_memo(memo_cid)))
        return int(amount)

    # --- internals --------------------------------------------------------------------

    def _check_payment(
        self, recipient: str, amount: int, memo_cid: str | None, *, check_available: bool = True
    ) -> None:
        if recipient in (_ZERO, self.address):
            raise error_for_revert("fund: invalid recipient")
        if amount <= 0:
            raise error_for_revert("fund: zero amount")
        if not memo_cid:
            raise error_for_revert("fund: memo required")
        if check_available and amount > self.available:
            raise error_for_revert("fund: insufficient funds")

    def _check_periods(self, entries: list[LedgerEntry]) -> list[str]:
        """The caps and the steward's limit, period by period, from the history."""
        initialized = self.contract.events.FundInitialized().get_logs(from_block=self.from_block)
        if not initialized:
            return ["no FundInitialized event: is from_block after the fund's creation?"]
        origin = self.chain.w3.eth.get_block(initialized[0]["blockNumber"])["timestamp"]
        seconds = int(self.period.total_seconds())
        limits = sorted(
            (
                (e["blockNumber"], e["logIndex"], _limits_of(e["args"]["new"]))
                for e in self.contract.events.LimitsUpdated().get_logs(from_block=self.from_block)
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
    events = contract.events.FundCreated().get_logs(
        from_block=from_block, argument_filters={"charter": to_checksum_address(charter)}
    )
    return [Fund(chain, e["args"]["fund"], from_block=e["blockNumber"]) for e in events]

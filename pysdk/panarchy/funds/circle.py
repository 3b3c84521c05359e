"""A rotating savings circle on chain: the solidarity fund's rotating mode.

A fixed list of participants, in a published order, each pay a fixed contribution every
round; each round's pot goes to the first participant in that order who has not received
yet and has paid every round so far. A late payment for a round already settled goes
straight to that round's recipient. When every round is settled the circle is complete and
holds nothing; a circle that stalls (nobody eligible) can be dissolved once its last round
is a whole round overdue, and what the unsettled rounds hold goes back to those who paid in
more than they received, in proportion to the difference. Money that arrives outside the
ledger (ETH forced in, tokens sent by a plain transfer) is swept to all the participants in
equal shares (:meth:`SavingsCircle.sweep_unaccounted`), so nothing is ever left behind.
See ``contracts/SavingsCircle.vy`` for the rules as the contract states them: the contract
is their only judge. Every write is simulated on the pending block first, and a refusal is
the circle's own revert, as its typed exception, with nothing sent; ``dry_run=True`` runs
only that simulation and returns its :class:`~panarchy.chain.Simulation`.

"Complete" is the contract's word for every round settled (every pot paid). It does not mean
everyone has paid: a participant who has received may stop paying, and the rounds they owe
stay owed (a late payment goes straight to that round's recipient).
:meth:`SavingsCircle.status` says both.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Literal, overload

from eth_account.signers.local import LocalAccount
from eth_utils import to_checksum_address
from web3.contract import Contract
from web3.logs import DISCARD

from panarchy import constants as C
from panarchy._utils import artifacts
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

#: The most participants in one circle (``MAX_PARTICIPANTS`` in contracts/SavingsCircle.vy):
#: the bound of the participants' ``DynArray``, an encoding bound the SDK checks.
MAX_PARTICIPANTS = C.SavingsCircle.MAX_PARTICIPANTS

_ZERO = "0x0000000000000000000000000000000000000000"
_ZERO32 = b"\x00" * 32


@dataclass(frozen=True)
class Participant:
    """One participant's standing."""

    address: str
    position: int  # 0-based, in the published order
    paid_rounds: int
    received_in: int | None  # the round they received in, if they have
    owes_rounds: int  # rounds open now that they have not paid
    received_total: int  # pots and late payments received (base units)
    refund_due: int  # what a dissolution gives back (base units)
    owed: int  # a payment they refused, to claim

    @property
    def caught_up(self) -> bool:
        return self.owes_rounds == 0


@dataclass(frozen=True)
class Round:
    """One round of the circle."""

    index: int
    opens_at: datetime
    ends_at: datetime
    pot: int  # paid into it before it settled
    recipient: str | None  # who received it, once settled

    @property
    def settled(self) -> bool:
        return self.recipient is not None


@dataclass(frozen=True)
class CircleStatus:
    """Where a circle stands, from the contract's own views.

    ``complete`` is the contract's ``is_complete`` (every round settled: every pot paid);
    ``owing`` lists who still owes a round that is open now, with the oldest round they owe
    (0-based), in the published order. Late payments still go to those rounds' recipients.
    """

    rounds: int
    settled_rounds: int
    current_round: int
    complete: bool
    dissolved: bool
    owing: tuple[tuple[str, int], ...]

    @property
    def settled_up(self) -> bool:
        """Every pot paid and nobody owes a round: nothing is left to happen."""
        return self.complete and not self.owing

    def describe(self) -> str:
        """The status for people (rounds numbered from 1)."""
        if self.dissolved:
            return f"dissolved after {self.settled_rounds} of {self.rounds} rounds settled"
        owes = "; ".join(f"{who} still owes round {first + 1}" for who, first in self.owing)
        if self.complete:
            if not owes:
                return f"complete: all {self.rounds} pots paid, every contribution made"
            return f"every pot paid, not settled up: {owes}"
        head = f"round {min(self.current_round, self.rounds - 1) + 1} of {self.rounds}"
        return f"{head}; {owes}" if owes else head


class SavingsCircle:
    """A deployed savings circle.

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
            address=self.address, abi=artifacts.load("SavingsCircle")["abi"]
        )
        f = self.contract.functions
        try:
            token, owner, contribution = (
                self.chain.call(f.token()),
                self.chain.call(f.owner()),
                self.chain.call(f.contribution()),
            )
            seconds, start, order = (
                self.chain.call(f.round_seconds()),
                self.chain.call(f.start()),
                self.chain.call(f.participants()),
            )
        except Exception as exc:  # no code, or another contract's
            raise ConfigurationError(
                f"{self.address} is not a savings circle on chain {chain.chain_id} "
                "(`panarchy circle list` shows the charter's circles)"
            ) from exc
        self.asset = Asset.of(chain, token)
        self.owner = str(owner)
        #: What each participant pays per round, in base units.
        self.contribution = int(contribution)
        self.round_length = timedelta(seconds=seconds)
        self.start = datetime.fromtimestamp(start, tz=UTC)
        #: The participants, in the published order of payouts.
        self.order = [str(a) for a in order]

    def __repr__(self) -> str:
        return (
            f"<SavingsCircle {self.address}: {len(self.order)} participants, "
            f"{self.asset.format(self.contribution)} a round>"
        )

    @overload
    @classmethod
    def create(
        cls,
        chain: Chain,
        signer: LocalAccount,
        *,
        factory: str,
        charter: Charter | str,
        participants: Sequence[str],
        contribution: int,
        round_length: timedelta,
        token: str | None = ...,
        dry_run: Literal[False] = ...,
    ) -> SavingsCircle: ...

    @overload
    @classmethod
    def create(
        cls,
        chain: Chain,
        signer: LocalAccount,
        *,
        factory: str,
        charter: Charter | str,
        participants: Sequence[str],
        contribution: int,
        round_length: timedelta,
        token: str | None = ...,
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
        participants: Sequence[str],
        contribution: int,
        round_length: timedelta,
        token: str | None = None,
        dry_run: bool = False,
    ) -> SavingsCircle | Simulation:
        """Create a circle for ``charter`` through the factory that founded it.

        Args:
            chain: The chain.
            signer: A member of the charter.
            factory: The :class:`CharterFactory`'s address.
            charter: The charter (or its address).
            participants: The participants, in the order they will receive.
            contribution: What each pays per round, in base units.
            round_length: The length of a round.
            token: An ERC20 token's address, or None for ETH.
            dry_run: Only simulate the creation: return its
                :class:`~panarchy.chain.Simulation` (``result`` is the new circle's address).

        Raises:
            ConfigurationError: more than :data:`MAX_PARTICIPANTS` participants, or a
                negative contribution or round (what cannot be encoded).
            InvalidFundSettings: too few, duplicate or zero participants, a zero
                contribution or round (the circle's own refusal; nothing is sent).
        """
        charter_address = to_checksum_address(
            charter if isinstance(charter, str) else charter.address
        )
        order = [to_checksum_address(p) for p in participants]
        if len(order) > MAX_PARTICIPANTS:
            raise ConfigurationError(f"at most {MAX_PARTICIPANTS} participants in one circle")
        if contribution < 0 or round_length < timedelta(0):
            raise ConfigurationError("a contribution and a round cannot be negative")
        made_by = factory_contract(chain, factory)
        fn = made_by.functions.create_circle(
            charter_address,
            to_checksum_address(token) if token else _ZERO,
            contribution,
            int(round_length.total_seconds()),
            order,
        )
        if dry_run:
            return chain.simulate(signer.address, fn)
        receipt = chain.transact(signer, fn)
        (event,) = made_by.events.CircleCreated().process_receipt(receipt, errors=DISCARD)
        return cls(chain, event["args"]["circle"], from_block=receipt["blockNumber"])

    # --- reading ----------------------------------------------------------------------

    @property
    def current_round(self) -> int:
        """The round open now (it may be past the last one)."""
        return int(self.chain.call(self.contract.functions.current_round()))

    @property
    def settled_rounds(self) -> int:
        return int(self.chain.call(self.contract.functions.settled_rounds()))

    @property
    def is_complete(self) -> bool:
        return bool(self.chain.call(self.contract.functions.is_complete()))

    @property
    def is_dissolved(self) -> bool:
        return bool(self.chain.call(self.contract.functions.is_dissolved()))

    @property
    def next_recipient(self) -> str | None:
        """Who would receive the next round if it settled now (None: nobody eligible)."""
        found = self.chain.call(self.contract.functions.next_recipient())
        return None if int(found, 16) == 0 else str(found)

    def status(self) -> CircleStatus:
        """Where the circle stands: complete or not (every pot paid), and who still owes
        a round open now (see :class:`CircleStatus`)."""
        f = self.contract.functions
        current = self.current_round
        due = min(current + 1, len(self.order))
        owing = []
        for address in self.order:
            paid = int(self.chain.call(f.paid_rounds(address)))
            if paid < due:
                owing.append((address, paid))
        return CircleStatus(
            rounds=len(self.order),
            settled_rounds=self.settled_rounds,
            current_round=current,
            complete=self.is_complete,
            dissolved=self.is_dissolved,
            owing=tuple(owing),
        )

    def participants(self) -> list[Participant]:
        """Every participant's standing, in the published order."""
        f = self.contract.functions
        due = min(self.current_round + 1, len(self.order))
        found = []
        for position, address in enumerate(self.order):
            paid = int(self.chain.call(f.paid_rounds(address)))
            received = int(self.chain.call(f.received_in(address)))
            found.append(
                Participant(
                    address=address,
                    position=position,
                    paid_rounds=paid,
                    received_in=received - 1 if received else None,
                    owes_rounds=max(0, due - paid),
                    received_total=int(self.chain.call(f.received_total(address))),
                    refund_due=int(self.chain.call(f.refund_due(address))),
                    owed=int(self.chain.call(f.owed(address))),
                )
            )
        return found

    def rounds(self) -> list[Round]:
        """Every round, with its pot and (once settled) its recipient."""
        f = self.contract.functions
        found = []
        for r in range(len(self.order)):
            recipient = self.chain.call(f.recipient_of(r))
            found.append(
                Round(
                    index=r,
                    opens_at=self.start + r * self.round_length,
                    ends_at=self.start + (r + 1) * self.round_length,
                    pot=int(self.chain.call(f.pot(r))),
                    recipient=None if int(recipient, 16) == 0 else str(recipient),
                )
            )
        return found

    def owed(self, account: str) -> int:
        """What ``account`` may claim (a payment it refused)."""
        return int(self.chain.call(self.contract.functions.owed(to_checksum_address(account))))

    @property
    def holdings(self) -> int:
        """What the circle holds now, in its asset's smallest unit."""
        return int(self.chain.call(self.contract.functions.holdings()))

    @property
    def unaccounted(self) -> int:
        """What the circle holds beyond its ledger (forced ETH, tokens sent directly)."""
        return int(self.chain.call(self.contract.functions.unaccounted()))

    def ledger(self) -> list[LedgerEntry]:
        """Every contribution and payment, oldest first, with the running totals."""
        return read_entries(self.chain, self.contract, self.from_block)

    def audit(self) -> Audit:
        """Replay the ledger from chain history and check it against the chain; a complete
        circle must hold nothing but unaccounted money."""
        found, _ = audit(self.chain, self.contract, self.asset, self.from_block)
        problems = list(found.problems)
        latest = found.latest
        if self.is_complete and latest.owed == 0 and latest.expected != 0:
            held = self.asset.format(latest.expected)
            problems.append(f"the circle is complete but its ledger still holds {held}")
        return Audit(
            found.address, found.asset, found.entries, found.points, tuple(problems),
            found.history_checked,
        )  # fmt: skip

    # --- writing ----------------------------------------------------------------------
    # Each write goes straight to the chain: Chain.transact estimates on the pending block
    # first, so the circle's own refusal is raised, typed, and nothing is sent. No rule of
    # the circle is re-checked here. ``dry_run=True`` runs only that simulation.

    def needs_approval(self, account: str) -> bool:
        """Whether ``account`` must approve the circle before contributing (a token circle
        whose allowance is short of one contribution; never for ETH)."""
        return self.asset.allowance(self.chain, account, self.address) < self.contribution

    @overload
    def contribute(
        self, signer: LocalAccount, memo_cid: str | None = ..., *, dry_run: Literal[False] = ...
    ) -> int: ...

    @overload
    def contribute(
        self, signer: LocalAccount, memo_cid: str | None = ..., *, dry_run: Literal[True]
    ) -> Simulation: ...

    def contribute(
        self, signer: LocalAccount, memo_cid: str | None = None, *, dry_run: bool = False
    ) -> int | Simulation:
        """Pay one's contribution for the oldest round one owes; returns that round.

        With ``dry_run``, returns the :class:`~panarchy.chain.Simulation`; for a token whose
        allowance is short it is the approval's, once the circle has judged the payment up
        to drawing the tokens.

        Raises:
            ConfigurationError: the signer holds less than one contribution.
            NotAParticipant: the signer is not in the circle (its own refusal).
            CircleError: dissolved, every contribution made, or the round not open yet.
        """
        memo = cid_to_bytes32(memo_cid) if memo_cid else _ZERO32
        fn = self.contract.functions.contribute(memo)
        held = self.asset.balance_of(self.chain, signer.address)
        if held < self.contribution:
            raise ConfigurationError(
                f"{signer.address} holds {self.asset.format(held)}, less than one contribution "
                f"({self.asset.format(self.contribution)})"
            )
        value = self.contribution if self.asset.token is None else 0
        if self.needs_approval(signer.address):
            approve = self.asset.erc20(self.chain).functions.approve(
                self.address, self.contribution
            )
            if dry_run:
                return simulate_approval_first(self.chain, signer.address, fn, approve)
            self.chain.transact(signer, approve)
        if dry_run:
            return self.chain.simulate(signer.address, fn, value=value)
        paid = int(self.chain.call(self.contract.functions.paid_rounds(signer.address)))
        self.chain.transact(signer, fn, value=value)
        return paid

    @overload
    def settle(self, signer: LocalAccount, *, dry_run: Literal[False] = ...) -> str: ...

    @overload
    def settle(self, signer: LocalAccount, *, dry_run: Literal[True]) -> Simulation: ...

    def settle(self, signer: LocalAccount, *, dry_run: bool = False) -> str | Simulation:
        """Pay the oldest unsettled round, once it is over (anyone may); returns who got it
        (with ``dry_run``, the simulation: ``result`` is who would).

        Raises:
            CircleError: dissolved, complete, the round not over, or nobody eligible (the
                circle's own refusal; the clock is the chain's).
        """
        fn = self.contract.functions.settle()
        if dry_run:
            return self.chain.simulate(signer.address, fn)
        receipt = self.chain.transact(signer, fn)
        (settled,) = self.contract.events.RoundSettled().process_receipt(receipt, errors=DISCARD)
        return str(settled["args"]["recipient"])

    @overload
    def dissolve(self, signer: LocalAccount, *, dry_run: Literal[False] = ...) -> None: ...

    @overload
    def dissolve(self, signer: LocalAccount, *, dry_run: Literal[True]) -> Simulation: ...

    def dissolve(self, signer: LocalAccount, *, dry_run: bool = False) -> Simulation | None:
        """Dissolve a stalled circle once its last round is a whole round overdue (anyone
        may); with ``dry_run``, only simulate it.

        Raises:
            CircleError: dissolved, complete, not overdue or not stalled.
        """
        fn = self.contract.functions.dissolve()
        if dry_run:
            return self.chain.simulate(signer.address, fn)
        self.chain.transact(signer, fn)
        return None

    @overload
    def withdraw(self, signer: LocalAccount, *, dry_run: Literal[False] = ...) -> int: ...

    @overload
    def withdraw(self, signer: LocalAccount, *, dry_run: Literal[True]) -> Simulation: ...

    def withdraw(self, signer: LocalAccount, *, dry_run: bool = False) -> int | Simulation:
        """After a dissolution, take one's share of what the unsettled rounds held (in
        proportion to what one paid in beyond what one received); returns what was paid
        (the last creditor's rounding remainder included).

        Raises:
            NotAParticipant: the signer is not in the circle.
            CircleError: not dissolved, already refunded, or nothing to refund.
        """
        fn = self.contract.functions.withdraw()
        if dry_run:
            return self.chain.simulate(signer.address, fn)
        receipt = self.chain.transact(signer, fn)
        paid = self.contract.events.Disbursed().process_receipt(receipt, errors=DISCARD)
        return sum(int(e["args"]["amount"]) for e in paid)

    @overload
    def sweep_unaccounted(
        self, signer: LocalAccount, memo_cid: str | None = ..., *, dry_run: Literal[False] = ...
    ) -> dict[str, int]: ...

    @overload
    def sweep_unaccounted(
        self, signer: LocalAccount, memo_cid: str | None = ..., *, dry_run: Literal[True]
    ) -> Simulation: ...

    def sweep_unaccounted(
        self, signer: LocalAccount, memo_cid: str | None = None, *, dry_run: bool = False
    ) -> dict[str, int] | Simulation:
        """Share what the circle holds beyond its ledger equally among the participants
        (anyone may, in any state; the first ``amount % n`` in order get one base unit more).

        Returns:
            Each participant's share, in the published order (a share its recipient refused
            is owed to them, to :meth:`claim`); with ``dry_run``, the simulation (``result``
            is the amount that would be shared).

        Raises:
            NothingUnaccounted: the circle holds nothing beyond its ledger (the contract's
                refusal, from simulating the sweep: nothing is sent).
        """
        memo = cid_to_bytes32(memo_cid) if memo_cid else _ZERO32
        fn = self.contract.functions.sweep_unaccounted(memo)
        if dry_run:
            return self.chain.simulate(signer.address, fn)
        receipt = self.chain.transact(signer, fn)
        shares = dict.fromkeys(self.order, 0)
        for event in self.contract.events.Disbursed().process_receipt(receipt, errors=DISCARD):
            shares[str(event["args"]["recipient"])] += int(event["args"]["amount"])
        return shares

    @overload
    def claim(self, signer: LocalAccount, *, dry_run: Literal[False] = ...) -> int: ...

    @overload
    def claim(self, signer: LocalAccount, *, dry_run: Literal[True]) -> Simulation: ...

    def claim(self, signer: LocalAccount, *, dry_run: bool = False) -> int | Simulation:
        """Take a payment one refused earlier; returns the amount.

        Raises:
            NothingOwed: the circle owes the signer nothing (its own refusal).
        """
        fn = self.contract.functions.claim()
        if dry_run:
            return self.chain.simulate(signer.address, fn)
        amount = self.owed(signer.address)
        self.chain.transact(signer, fn)
        return amount


def circles_of(
    chain: Chain, factory: str, charter: str, from_block: int = 0
) -> list[SavingsCircle]:
    """Every circle the factory made for ``charter``, oldest first."""
    contract = chain.w3.eth.contract(
        address=to_checksum_address(factory), abi=artifacts.load("CharterFactory")["abi"]
    )
    events = chain.logs(
        contract.events.CircleCreated,
        from_block=from_block,
        argument_filters={"charter": to_checksum_address(charter)},
    )
    return [SavingsCircle(chain, e["args"]["circle"], from_block=e["blockNumber"]) for e in events]


__all__ = [
    "MAX_PARTICIPANTS",
    "Participant",
    "Round",
    "CircleStatus",
    "SavingsCircle",
    "circles_of",
]

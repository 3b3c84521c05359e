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
See ``contracts/SavingsCircle.vy`` for the rules as the contract states them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from eth_account.signers.local import LocalAccount
from eth_utils import to_checksum_address
from web3.contract import Contract
from web3.logs import DISCARD

from panarchy._utils import artifacts
from panarchy.documents import cid_to_bytes32
from panarchy.errors import ConfigurationError, error_for_revert
from panarchy.funds._factory import checked_factory
from panarchy.funds.ledger import Asset, Audit, LedgerEntry, audit, read_entries

if TYPE_CHECKING:
    from panarchy.chain import Chain
    from panarchy.charter import Charter

#: The most participants in one circle (``MAX_PARTICIPANTS`` in contracts/SavingsCircle.vy).
MAX_PARTICIPANTS = 32

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
            token, owner, contribution = f.token().call(), f.owner().call(), f.contribution().call()
            seconds, start, order = (
                f.round_seconds().call(),
                f.start().call(),
                f.participants().call(),
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
    ) -> SavingsCircle:
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
        """
        charter_address = to_checksum_address(
            charter if isinstance(charter, str) else charter.address
        )
        order = [to_checksum_address(p) for p in participants]
        if len(order) < 2:
            raise error_for_revert("circle: too few participants")
        if len(order) > MAX_PARTICIPANTS:
            raise ConfigurationError(f"at most {MAX_PARTICIPANTS} participants in one circle")
        if len(set(order)) != len(order):
            raise error_for_revert("circle: duplicate participant")
        if _ZERO in order:
            raise error_for_revert("circle: zero address")
        if contribution <= 0:
            raise error_for_revert("circle: zero contribution")
        if round_length.total_seconds() < 1:
            raise error_for_revert("circle: zero round")
        factory_contract = checked_factory(chain, signer, factory, charter_address)
        receipt = chain.transact(
            signer,
            factory_contract.functions.create_circle(
                charter_address,
                to_checksum_address(token) if token else _ZERO,
                contribution,
                int(round_length.total_seconds()),
                order,
            ),
        )
        (event,) = factory_contract.events.CircleCreated().process_receipt(receipt, errors=DISCARD)
        return cls(chain, event["args"]["circle"], from_block=receipt["blockNumber"])

    # --- reading ----------------------------------------------------------------------

    @property
    def current_round(self) -> int:
        """The round open now (it may be past the last one)."""
        return int(self.chain.call(self.contract.functions.current_round()))

    @property
    def settled_rounds(self) -> int:
        return int(self.contract.functions.settled_rounds().call())

    @property
    def is_complete(self) -> bool:
        return bool(self.contract.functions.is_complete().call())

    @property
    def is_dissolved(self) -> bool:
        return bool(self.contract.functions.is_dissolved().call())

    @property
    def next_recipient(self) -> str | None:
        """Who would receive the next round if it settled now (None: nobody eligible)."""
        found = self.chain.call(self.contract.functions.next_recipient())
        return None if int(found, 16) == 0 else str(found)

    def participants(self) -> list[Participant]:
        """Every participant's standing, in the published order."""
        f = self.contract.functions
        due = min(self.current_round + 1, len(self.order))
        found = []
        for position, address in enumerate(self.order):
            paid = int(f.paid_rounds(address).call())
            received = int(f.received_in(address).call())
            found.append(
                Participant(
                    address=address,
                    position=position,
                    paid_rounds=paid,
                    received_in=received - 1 if received else None,
                    owes_rounds=max(0, due - paid),
                    received_total=int(f.received_total(address).call()),
                    refund_due=int(f.refund_due(address).call()),
                    owed=int(f.owed(address).call()),
                )
            )
        return found

    def rounds(self) -> list[Round]:
        """Every round, with its pot and (once settled) its recipient."""
        f = self.contract.functions
        found = []
        for r in range(len(self.order)):
            recipient = f.recipient_of(r).call()
            found.append(
                Round(
                    index=r,
                    opens_at=self.start + r * self.round_length,
                    ends_at=self.start + (r + 1) * self.round_length,
                    pot=int(f.pot(r).call()),
                    recipient=None if int(recipient, 16) == 0 else str(recipient),
                )
            )
        return found

    def holdings(self) -> int:
        return int(self.chain.call(self.contract.functions.holdings()))

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

    def contribute(self, signer: LocalAccount, memo_cid: str | None = None) -> int:
        """Pay one's contribution for the oldest round one owes; returns that round."""
        if signer.address not in self.order:
            raise error_for_revert("circle: not a participant")
        if self.is_dissolved:
            raise error_for_revert("circle: dissolved")
        paid = int(self.contract.functions.paid_rounds(signer.address).call())
        if paid >= len(self.order):
            raise error_for_revert("circle: every contribution made")
        # Paying ahead of the open round is refused by the gas estimate (the clock decides).
        memo = cid_to_bytes32(memo_cid) if memo_cid else _ZERO32
        if self.asset.token is None:
            self.chain.transact(
                signer, self.contract.functions.contribute(memo), value=self.contribution
            )
            return paid
        erc20 = self.asset.erc20(self.chain)
        if erc20.functions.allowance(signer.address, self.address).call() < self.contribution:
            self.chain.transact(signer, erc20.functions.approve(self.address, self.contribution))
        self.chain.transact(signer, self.contract.functions.contribute(memo))
        return paid

    def settle(self, signer: LocalAccount) -> str:
        """Pay the oldest unsettled round, once it is over (anyone may); returns who got it.

        (Whether the round is over is the chain's clock's to say: a transaction sent too
        early is refused, before broadcasting, by the gas estimate.)
        """
        self._check_open()
        if self.next_recipient is None:
            raise error_for_revert("circle: no eligible recipient")
        receipt = self.chain.transact(signer, self.contract.functions.settle())
        (settled,) = self.contract.events.RoundSettled().process_receipt(receipt, errors=DISCARD)
        return str(settled["args"]["recipient"])

    def dissolve(self, signer: LocalAccount) -> None:
        """Dissolve a stalled circle once its last round is a whole round overdue."""
        self._check_open()
        if self.next_recipient is not None:
            raise error_for_revert("circle: not stalled")
        self.chain.transact(signer, self.contract.functions.dissolve())

    def withdraw(self, signer: LocalAccount) -> int:
        """After a dissolution, take one's share of what the unsettled rounds held (in
        proportion to what one paid in beyond what one received); returns it, before the
        last creditor's rounding remainder."""
        if not self.is_dissolved:
            raise error_for_revert("circle: not dissolved")
        if signer.address not in self.order:
            raise error_for_revert("circle: not a participant")
        f = self.contract.functions
        paid = int(f.paid_rounds(signer.address).call()) * self.contribution
        if paid <= int(f.received_total(signer.address).call()):
            raise error_for_revert("circle: nothing to refund")
        amount = int(f.refund_due(signer.address).call())
        self.chain.transact(signer, self.contract.functions.withdraw())
        return amount

    def sweep_unaccounted(
        self, signer: LocalAccount, memo_cid: str | None = None
    ) -> dict[str, int]:
        """Share what the circle holds beyond its ledger equally among the participants
        (anyone may, in any state; the first ``amount % n`` in order get one base unit more).

        Returns:
            Each participant's share, in the published order (a share its recipient refused
            is owed to them, to :meth:`claim`).

        Raises:
            NothingUnaccounted: the circle holds nothing beyond its ledger (the contract's
                refusal, from simulating the sweep: nothing is sent).
        """
        memo = cid_to_bytes32(memo_cid) if memo_cid else _ZERO32
        receipt = self.chain.transact(signer, self.contract.functions.sweep_unaccounted(memo))
        shares = dict.fromkeys(self.order, 0)
        for event in self.contract.events.Disbursed().process_receipt(receipt, errors=DISCARD):
            shares[str(event["args"]["recipient"])] += int(event["args"]["amount"])
        return shares

    def claim(self, signer: LocalAccount) -> int:
        """Take a payment one refused earlier; returns the amount."""
        amount = int(self.contract.functions.owed(signer.address).call())
        if amount == 0:
            raise error_for_revert("ledger: nothing owed")
        self.chain.transact(signer, self.contract.functions.claim())
        return amount

    def _check_open(self) -> int:
        if self.is_dissolved:
            raise error_for_revert("circle: dissolved")
        r = self.settled_rounds
        if r >= len(self.order):
            raise error_for_revert("circle: complete")
        return r


def circles_of(
    chain: Chain, factory: str, charter: str, from_block: int = 0
) -> list[SavingsCircle]:
    """Every circle the factory made for ``charter``, oldest first."""
    contract = chain.w3.eth.contract(
        address=to_checksum_address(factory), abi=artifacts.load("CharterFactory")["abi"]
    )
    events = contract.events.CircleCreated().get_logs(
        from_block=from_block, argument_filters={"charter": to_checksum_address(charter)}
    )
    return [SavingsCircle(chain, e["args"]["circle"], from_block=e["blockNumber"]) for e in events]

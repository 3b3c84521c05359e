"""A charter on chain, as a Python object: found or attach, join, propose, vote, execute, read.

Every write takes the signer as its first argument. The contract is the only judge: a write
goes straight to :meth:`Chain.transact`, whose gas estimate on the pending block runs the
call first, so a refusal raises the contract's own typed exception (see
:mod:`panarchy.errors`) and nothing is sent. Only what the chain cannot say before a
transaction exists (encoding bounds) is checked here. ``charter.simulate.<write>(...)`` asks
the same question without sending: would it pass, what would it return, how much gas.
Reads return the native types of :mod:`panarchy.charter.types`.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from eth_account.signers.local import LocalAccount
from eth_typing import ChecksumAddress
from eth_utils import to_checksum_address
from web3.contract import Contract
from web3.logs import DISCARD

from panarchy._utils import artifacts
from panarchy.chain import Chain, Simulation
from panarchy.charter.actions import CharterActions
from panarchy.charter.ballots import (
    BallotVerifier,
    InvalidBallot,
    SignedBallot,
    sign_ballot,
    support_code,
)
from panarchy.charter.roles import RoleBook
from panarchy.charter.targets import inspect_target
from panarchy.charter.types import (
    MAX_ACTIONS,
    MAX_BATCH,
    MAX_CALLDATA,
    MAX_FOUNDERS,
    MAX_NAME_LENGTH,
    Action,
    BatchResult,
    BookKind,
    Clause,
    Parameters,
    Proposal,
    ProposalState,
    RevisionReport,
    SkipReason,
    Support,
    clause_from_chain,
    proposal_from_chain,
)
from panarchy.documents import bytes32_to_cid, cid_to_bytes32
from panarchy.errors import (
    ChainUnavailable,
    ConfigurationError,
    PanarchyError,
    UpgradeableTargetWarning,
)

_ZERO32 = b"\x00" * 32

#: Who a simulation runs as: a signer, or just an address (nothing is signed).
Sender = LocalAccount | str


def _address(sender: Sender) -> str:
    return to_checksum_address(sender if isinstance(sender, str) else sender.address)


class Charter:
    """A deployed charter.

    One style for reads, here and in the role book, funds and circles: a single value that
    needs no argument is a property (``name``, ``member_count``, ``current_cycle``); a list,
    or a read that takes an argument, is a method (``members()``, ``proposals()``,
    ``proposal(id)``). Each property is read from the chain when accessed, never cached.

    Args:
        chain: The chain it lives on.
        address: Its address.
        from_block: The block to read its history from (its founding block when known).
    """

    def __init__(self, chain: Chain, address: str, *, from_block: int = 0) -> None:
        self.chain = chain
        self.address = to_checksum_address(address)
        self.from_block = from_block
        self.contract: Contract = chain.w3.eth.contract(
            address=self.address, abi=artifacts.load("Charter")["abi"]
        )
        clause_book, role_book = self._satellites()
        #: The charter's clause book (its clauses and revision cycles).
        self.book: Contract = chain.w3.eth.contract(
            address=clause_book, abi=artifacts.load("ClauseBook")["abi"]
        )
        #: The charter's role book (its short, rotating, recallable mandates).
        self.roles = RoleBook(chain, role_book, from_block=from_block)
        #: Builders for the charter's own governance actions (enact a clause, ...).
        self.actions = CharterActions(self.contract, self.book, self.roles.contract, chain=chain)
        #: Would a write pass, and what would it do? ``charter.simulate.vote(...)`` takes
        #: the arguments of :meth:`vote` (the sender may be an address) and sends nothing.
        self.simulate = CharterSimulator(self)

    def _satellites(self) -> tuple[ChecksumAddress, ChecksumAddress]:
        """The clause book's and role book's addresses, or a clear error when the address
        holds no charter (nothing there, or a contract that does not answer as one)."""
        where = f"{self.address} on chain {self.chain.chain_id}"
        try:
            code = self.chain.w3.eth.get_code(self.address)
        except Exception as exc:
            raise ChainUnavailable(f"cannot read the code at {where}: {exc}") from exc
        if not code:
            raise ConfigurationError(
                f"no contract at {where}: check the charter address (--charter / "
                "PANARCHY_CHARTER), or that the node is the one it was founded on"
            )
        try:
            return (
                to_checksum_address(
                    self.chain.call(self.contract.functions.book(BookKind.CLAUSES))
                ),
                to_checksum_address(self.chain.call(self.contract.functions.book(BookKind.ROLES))),
            )
        except ChainUnavailable:
            raise
        except PanarchyError as exc:
            raise ConfigurationError(
                f"the contract at {where} is not a charter (it does not answer "
                "book(kind) for its clause and role books): give the address of a charter, "
                "e.g. the one `panarchy found` printed"
            ) from exc

    def __repr__(self) -> str:
        return f"<Charter {self.address} on chain {self.chain.chain_id}>"

    # --- founding and attaching -------------------------------------------------------

    @classmethod
    def found(
        cls,
        chain: Chain,
        signer: LocalAccount,
        *,
        factory: str,
        name: str,
        concord_cid: str,
        founders: Sequence[str],
        parameters: Parameters | None = None,
    ) -> Charter:
        """Found a charter through a deployed :class:`CharterFactory`.

        Args:
            chain: The chain.
            signer: Who sends the founding transaction (need not be a founder).
            factory: The factory's address (see :mod:`panarchy.deploy`).
            name: The charter's name (1 to 64 characters).
            concord_cid: The founding concord document's CID.
            founders: The founding members' addresses.
            parameters: The parameters (defaults: :class:`Parameters`).

        Returns:
            The new charter.

        Raises:
            ConfigurationError: For a name or a founder list longer than the ABI allows.
            InvalidParameter: (and the other charter errors) when the contract refuses.
        """
        factory_contract, fn = cls._build_found(
            chain, factory, name, concord_cid, founders, parameters
        )
        receipt = chain.transact(signer, fn)
        (event,) = factory_contract.events.CharterCreated().process_receipt(receipt, errors=DISCARD)
        return cls(chain, event["args"]["charter"], from_block=receipt["blockNumber"])

    @classmethod
    def simulate_found(
        cls,
        chain: Chain,
        sender: Sender,
        *,
        factory: str,
        name: str,
        concord_cid: str,
        founders: Sequence[str],
        parameters: Parameters | None = None,
    ) -> Simulation:
        """Would :meth:`found` pass? Its ``result`` is the charter's address-to-be."""
        _, fn = cls._build_found(chain, factory, name, concord_cid, founders, parameters)
        return chain.simulate(_address(sender), fn)

    @staticmethod
    def _build_found(
        chain: Chain,
        factory: str,
        name: str,
        concord_cid: str,
        founders: Sequence[str],
        parameters: Parameters | None,
    ) -> tuple[Contract, Any]:
        parameters = parameters or Parameters()
        # Encoding bounds only (String[64], DynArray[address, 64]); the rest is the
        # contract's word.
        if len(name.encode()) > MAX_NAME_LENGTH:
            raise ConfigurationError(f"the name is longer than {MAX_NAME_LENGTH} bytes")
        if len(founders) > MAX_FOUNDERS:
            raise ConfigurationError(f"at most {MAX_FOUNDERS} founders; add others later")
        factory_contract = chain.w3.eth.contract(
            address=to_checksum_address(factory), abi=artifacts.load("CharterFactory")["abi"]
        )
        fn = factory_contract.functions.create_charter(
            name,
            cid_to_bytes32(concord_cid),
            [to_checksum_address(f) for f in founders],
            parameters.to_chain(),
            parameters.rules_to_chain(),
        )
        return factory_contract, fn

    # --- identity and parameters ------------------------------------------------------

    @property
    def name(self) -> str:
        """The charter's name."""
        return str(self._read("name"))

    @property
    def concord_cid(self) -> str:
        """The founding concord document's CID."""
        return bytes32_to_cid(self._read("concord"))

    @property
    def founded_at(self) -> datetime:
        """When the charter was founded."""
        return datetime.fromtimestamp(self._read("founded_at"), tz=UTC)

    @property
    def parameters(self) -> Parameters:
        """The current parameters (the charter's and its clause book's)."""
        return Parameters.from_chain(
            self._read("parameters"), self.chain.call(self.book.functions.rules())
        )

    # --- membership -------------------------------------------------------------------

    @property
    def member_count(self) -> int:
        """The number of members now."""
        return int(self._read("member_count"))

    def is_member(self, account: str) -> bool:
        """Whether ``account`` is a member now."""
        return bool(self._read("is_member", to_checksum_address(account)))

    def members(self) -> list[str]:
        """The current members, in the order they (last) joined, from the charter's events."""
        joined = self._logs("MemberJoined")
        left = self._logs("MemberLeft")
        events = sorted(
            [(e["blockNumber"], e["logIndex"], "join", e["args"]["member"]) for e in joined]
            + [(e["blockNumber"], e["logIndex"], "leave", e["args"]["member"]) for e in left]
        )
        members: dict[str, None] = {}
        for *_, kind, who in events:
            members.pop(who, None)
            if kind == "join":
                members[who] = None
        return list(members)

    def join(self, signer: LocalAccount) -> None:
        """Join the charter (when admission is open, or with an invitation)."""
        self.chain.transact(signer, self.contract.functions.join())

    def leave(self, signer: LocalAccount) -> None:
        """Leave the charter. Always possible for a member."""
        self.chain.transact(signer, self.contract.functions.leave())

    def sponsor(self, signer: LocalAccount, account: str) -> None:
        """Invite ``account`` as a member (admission by sponsorship)."""
        self.chain.transact(signer, self._build_sponsor(account))

    def _build_sponsor(self, account: str) -> Any:
        return self.contract.functions.sponsor(to_checksum_address(account))

    # --- delegation -------------------------------------------------------------------

    def delegate(self, signer: LocalAccount, to: str) -> None:
        """Hand one's voice to another member (from the next block on; revocable)."""
        self.chain.transact(signer, self._build_delegate(to))

    def _build_delegate(self, to: str) -> Any:
        return self.contract.functions.delegate(to_checksum_address(to))

    def undelegate(self, signer: LocalAccount) -> None:
        """Take one's voice back from one's delegate."""
        self.chain.transact(signer, self.contract.functions.undelegate())

    def delegate_of(self, account: str) -> str | None:
        """Who carries ``account``'s voice now (None: nobody)."""
        found = self._read("delegate_of", to_checksum_address(account))
        return None if int(found, 16) == 0 else str(found)

    def carried_voices(self, account: str) -> int:
        """How many members' voices ``account`` carries now (not counting their own)."""
        return int(self._read("carried_voices", to_checksum_address(account)))

    def delegations(self) -> dict[str, str]:
        """Every current delegation, delegator -> delegate, from the charter's events."""
        current: dict[str, str] = {}
        for event in sorted(
            self._logs("DelegateChanged"), key=lambda e: (e["blockNumber"], e["logIndex"])
        ):
            delegator, to = event["args"]["delegator"], event["args"]["toDelegate"]
            if int(to, 16) == 0:
                current.pop(delegator, None)
            else:
                current[delegator] = to
        return current

    # --- signed ballots ---------------------------------------------------------------

    def sign_ballot(
        self, signer: LocalAccount, proposal_id: int, support: Support | int
    ) -> SignedBallot:
        """Sign a ballot anyone can relay (no gas needed from the voter)."""
        return sign_ballot(
            signer,
            chain_id=self.chain.chain_id,
            charter=self.address,
            proposal_id=proposal_id,
            support=support,
        )

    def verifier(self) -> BallotVerifier:
        """A fast off-chain verifier of this charter's ballots."""
        return BallotVerifier(self.chain.chain_id, self.address)

    def relay(self, relayer: LocalAccount, ballot: SignedBallot) -> None:
        """Put one signed ballot on chain (the relayer pays the gas)."""
        self.chain.transact(relayer, self._build_relay(ballot))

    def _build_relay(self, ballot: SignedBallot) -> Any:
        self._check_ballot_target(ballot)
        return self.contract.functions.cast_vote_by_sig(*ballot.as_call_args())

    def relay_batch(
        self,
        relayer: LocalAccount,
        ballots: Sequence[SignedBallot],
        *,
        all_or_nothing: bool = False,
    ) -> BatchResult:
        """Put many signed ballots on chain in one transaction.

        A ballot that cannot count is skipped and reported (its reason in
        :attr:`BatchResult.skipped`), unless ``all_or_nothing``, when the batch reverts
        with that ballot's reason.
        """
        receipt = self.chain.transact(relayer, self._build_relay_batch(ballots, all_or_nothing))
        counted = [
            (e["args"]["proposalId"], e["args"]["voter"])
            for e in self.contract.events.VoteCast().process_receipt(receipt, errors=DISCARD)
        ]
        skipped = [
            (e["args"]["proposalId"], e["args"]["voter"], SkipReason(e["args"]["reason"]))
            for e in self.contract.events.BallotSkipped().process_receipt(receipt, errors=DISCARD)
        ]
        return BatchResult(
            tx_hash="0x" + bytes(receipt["transactionHash"]).hex(),
            counted=counted,
            skipped=skipped,
            gas_used=int(receipt["gasUsed"]),
        )

    def _build_relay_batch(self, ballots: Sequence[SignedBallot], all_or_nothing: bool) -> Any:
        if not ballots:
            raise ConfigurationError("no ballots to relay")
        if len(ballots) > MAX_BATCH:  # the DynArray bound of the batch
            raise ConfigurationError(f"at most {MAX_BATCH} ballots in one batch")
        for ballot in ballots:
            self._check_ballot_target(ballot)
        return self.contract.functions.cast_votes_by_sig(
            [b.as_call_args() for b in ballots], all_or_nothing
        )

    def _check_ballot_target(self, ballot: SignedBallot) -> None:
        # Not a contract rule: the ballot document names another charter or chain than the
        # one it is sent to (the contract could only say "invalid signature").
        if ballot.chain_id != self.chain.chain_id or ballot.charter != self.address:
            raise InvalidBallot(
                f"the ballot is for charter {ballot.charter} on chain {ballot.chain_id}, "
                f"not {self.address} on chain {self.chain.chain_id}"
            )

    # --- proposals --------------------------------------------------------------------

    def target_warnings(self, actions: Sequence[Action]) -> list[str]:
        """Plain-words warnings about the actions' targets other than the charter's own
        contracts: upgradeable proxies (EIP-1967 slots) and code that delegates."""
        own = {self.address, self.book.address, self.roles.contract.address}
        out: list[str] = []
        for target in dict.fromkeys(to_checksum_address(a.target) for a in actions):
            if target not in own:
                out += inspect_target(self.chain.w3, target).warnings()
        return out

    def propose(
        self, signer: LocalAccount, actions: Sequence[Action], description_cid: str
    ) -> Proposal:
        """Propose actions; voting opens now.

        A target that is an upgradeable proxy, or whose code contains DELEGATECALL, raises an
        :class:`UpgradeableTargetWarning` (see :meth:`target_warnings`) before proposing.

        Args:
            signer: A member.
            actions: The actions (build charter ones with :attr:`actions`).
            description_cid: The description document's CID.

        Returns:
            The new proposal.
        """
        for message in self.target_warnings(actions):
            warnings.warn(message, UpgradeableTargetWarning, stacklevel=2)
        receipt = self.chain.transact(signer, self._build_propose(actions, description_cid))
        (created,) = self.contract.events.ProposalCreated().process_receipt(receipt, errors=DISCARD)
        return self.proposal(created["args"]["proposalId"])

    def _build_propose(self, actions: Sequence[Action], description_cid: str) -> Any:
        # Encoding bounds only (the DynArray and Bytes bounds of propose()).
        if len(actions) > MAX_ACTIONS:
            raise ConfigurationError(f"at most {MAX_ACTIONS} actions in one proposal")
        for action in actions:
            if len(action.calldata) > MAX_CALLDATA:
                raise ConfigurationError(f"an action's calldata exceeds {MAX_CALLDATA} bytes")
        return self.contract.functions.propose(
            [to_checksum_address(a.target) for a in actions],
            [a.value for a in actions],
            [a.calldata for a in actions],
            cid_to_bytes32(description_cid),
        )

    def vote(self, signer: LocalAccount, proposal_id: int, support: Support | int) -> None:
        """Vote on a proposal: against, for or abstain (:class:`Support`).

        Raises:
            InvalidVote: When ``support`` does not fit a uint8 (other invalid values are
                refused by the contract, with ``charter: invalid vote type``).
        """
        self.chain.transact(signer, self._build_vote(proposal_id, support))

    def _build_vote(self, proposal_id: int, support: Support | int) -> Any:
        return self.contract.functions.cast_vote(proposal_id, support_code(support))

    def has_voted(self, proposal_id: int, account: str) -> bool:
        """Whether ``account``'s vote on the proposal was counted."""
        return bool(self._read("has_voted", proposal_id, to_checksum_address(account)))

    def cancel(self, signer: LocalAccount, proposal_id: int) -> None:
        """Cancel one's own proposal before anyone voted."""
        self.chain.transact(signer, self.contract.functions.cancel(proposal_id))

    def execute(self, signer: LocalAccount, proposal_id: int) -> None:
        """Execute a succeeded proposal within its window (anyone may)."""
        self.chain.transact(signer, self._build_execute(proposal_id))

    def _build_execute(self, proposal_id: int) -> Any:
        # The actions are read back from the proposal's event (the contract keeps only
        # their hash); an unknown proposal gets empty lists and the contract's own answer.
        actions = self._actions_of(proposal_id) if self._exists(proposal_id) else ()
        return self.contract.functions.execute(
            proposal_id,
            [a.target for a in actions],
            [a.value for a in actions],
            [a.calldata for a in actions],
        )

    def proposal(self, proposal_id: int) -> Proposal:
        """A proposal with its state, tallies, rules and actions."""
        raw = self._read("proposal", proposal_id)  # an unknown id: the contract says so
        doc = self._description(proposal_id)
        return proposal_from_chain(
            proposal_id, raw, self._state(proposal_id), doc, self._actions_of(proposal_id)
        )

    def proposals(self) -> list[Proposal]:
        """Every proposal, oldest first."""
        count = self._read("proposal_count")
        return [self.proposal(i) for i in range(1, count + 1)]

    # --- clauses and revision cycles --------------------------------------------------

    def clause(self, clause_id: int) -> Clause:
        """A clause, with whether it is in force and the time it has left."""
        raw = self.chain.call(self.book.functions.clause(clause_id))
        return clause_from_chain(clause_id, raw, bytes32_to_cid(raw[0]), self.chain.timestamp())

    def clauses(self) -> list[Clause]:
        """Every clause ever enacted, in force or not."""
        count = self.chain.call(self.book.functions.clause_count())
        return [self.clause(i) for i in range(1, count + 1)]

    def clauses_in_force(self) -> list[Clause]:
        """The clauses in force now."""
        return [c for c in self.clauses() if c.in_force]

    @property
    def current_cycle(self) -> int:
        """The revision cycle running now."""
        return int(self.chain.call(self.book.functions.current_cycle()))

    def revision_report(self, cycle: int | None = None) -> RevisionReport:
        """How many revisions a cycle saw and whether it met the revision quota.

        Args:
            cycle: The cycle (default: the current one).
        """
        current = self.current_cycle
        cycle = current if cycle is None else cycle
        fn = self.book.functions
        start = self.chain.call(fn.cycle_start(cycle))
        period = self.parameters.revision_period
        starts_at = datetime.fromtimestamp(start, tz=UTC)
        return RevisionReport(
            cycle=cycle,
            starts_at=starts_at,
            ends_at=starts_at + period,
            revisions=self.chain.call(fn.revisions_in_cycle(cycle)),
            quota=self.parameters.revision_quota,
            met=self.chain.call(fn.cycle_met_quota(cycle)),
            current=cycle == current,
        )

    # --- internals --------------------------------------------------------------------

    def _read(self, fn_name: str, *args: Any) -> Any:
        """Call one of the charter's views through the chain's choke point."""
        return self.chain.call(getattr(self.contract.functions, fn_name)(*args))

    def _exists(self, proposal_id: int) -> bool:
        return 0 < proposal_id <= self._read("proposal_count")

    def _state(self, proposal_id: int) -> ProposalState:
        return ProposalState(self._read("state", proposal_id))

    def _logs(self, event: str, **filters: Any) -> list[Any]:
        return self.chain.logs(
            getattr(self.contract.events, event),
            from_block=self.from_block,
            argument_filters=filters or None,
        )

    def _created_receipt(self, proposal_id: int) -> Any:
        docs = self._logs("ProposalDocument", proposalId=proposal_id)
        if not docs:
            raise self._history_missing(proposal_id)
        return docs[0]

    def _history_missing(self, proposal_id: int) -> ConfigurationError:
        return ConfigurationError(
            f"proposal #{proposal_id} has no creation event from block {self.from_block} on: "
            "attach the charter with from_block at or before its founding"
        )

    def _description(self, proposal_id: int) -> str | None:
        doc = self._created_receipt(proposal_id)["args"]["document"]
        return None if doc == _ZERO32 else bytes32_to_cid(doc)

    def _actions_of(self, proposal_id: int) -> tuple[Action, ...]:
        """The proposal's actions, read back from its ProposalCreated event."""
        tx_hash = self._created_receipt(proposal_id)["transactionHash"]
        receipt = self.chain.w3.eth.get_transaction_receipt(tx_hash)
        for created in self.contract.events.ProposalCreated().process_receipt(
            receipt, errors=DISCARD
        ):
            args = created["args"]
            if args["proposalId"] == proposal_id:
                return tuple(
                    Action(
                        target=t, value=v, calldata=bytes(c), summary=self.actions.describe(t, c)
                    )
                    for t, v, c in zip(
                        args["targets"], args["values"], args["calldatas"], strict=True
                    )
                )
        raise self._history_missing(proposal_id)


class CharterSimulator:
    """``charter.simulate``: would a write pass, and what would it do? Nothing is sent.

    Each method takes the arguments of the charter's write of the same name, with the
    sender first (a signer, or just an address: nothing is signed), and asks the chain
    (:meth:`Chain.simulate`, on the pending block). It returns a :class:`Simulation` (the
    function's return value and the gas it would use), or raises the typed exception of the
    contract's refusal, exactly as the write would.
    """

    def __init__(self, charter: Charter) -> None:
        self._charter = charter

    def __repr__(self) -> str:
        return f"<CharterSimulator of {self._charter.address}>"

    def _run(self, sender: Sender, fn: Any) -> Simulation:
        return self._charter.chain.simulate(_address(sender), fn)

    def join(self, sender: Sender) -> Simulation:
        """Would ``sender`` be let in?"""
        return self._run(sender, self._charter.contract.functions.join())

    def leave(self, sender: Sender) -> Simulation:
        """Could ``sender`` leave?"""
        return self._run(sender, self._charter.contract.functions.leave())

    def sponsor(self, sender: Sender, account: str) -> Simulation:
        """Could ``sender`` sponsor ``account``?"""
        return self._run(sender, self._charter._build_sponsor(account))

    def delegate(self, sender: Sender, to: str) -> Simulation:
        """Could ``sender`` hand their voice to ``to``?"""
        return self._run(sender, self._charter._build_delegate(to))

    def undelegate(self, sender: Sender) -> Simulation:
        """Could ``sender`` take their voice back?"""
        return self._run(sender, self._charter.contract.functions.undelegate())

    def propose(
        self, sender: Sender, actions: Sequence[Action], description_cid: str
    ) -> Simulation:
        """Would the proposal be made? ``result`` is its id-to-be. (Target warnings are not
        raised here: see :meth:`Charter.target_warnings`.)"""
        return self._run(sender, self._charter._build_propose(actions, description_cid))

    def vote(self, sender: Sender, proposal_id: int, support: Support | int) -> Simulation:
        """Would the vote count? ``result`` is the weight it would carry (one voice, plus
        those delegated to ``sender``)."""
        return self._run(sender, self._charter._build_vote(proposal_id, support))

    def cancel(self, sender: Sender, proposal_id: int) -> Simulation:
        """Could ``sender`` cancel the proposal?"""
        return self._run(sender, self._charter.contract.functions.cancel(proposal_id))

    def execute(self, sender: Sender, proposal_id: int) -> Simulation:
        """Would the proposal execute now (its actions included)?"""
        return self._run(sender, self._charter._build_execute(proposal_id))

    def relay(self, relayer: Sender, ballot: SignedBallot) -> Simulation:
        """Would the signed ballot count? ``result`` is its weight."""
        return self._run(relayer, self._charter._build_relay(ballot))

    def relay_batch(
        self,
        relayer: Sender,
        ballots: Sequence[SignedBallot],
        *,
        all_or_nothing: bool = False,
    ) -> Simulation:
        """Would the batch go through? ``result`` is how many ballots would count."""
        return self._run(relayer, self._charter._build_relay_batch(ballots, all_or_nothing))


__all__ = [
    "Sender",
    "Charter",
    "CharterSimulator",
]

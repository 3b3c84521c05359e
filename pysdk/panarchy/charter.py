"""A charter on chain, as a Python object: found or attach, join, propose, vote, execute, read.

Every write takes the signer as its first argument and checks the chain state first,
raising the same typed exception the contract would (see :mod:`panarchy.errors`) before
anything is sent. Reads return the native types of :mod:`panarchy.types`.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, cast

from eth_account.signers.local import LocalAccount
from eth_typing import ABIComponent, ABIFunction
from eth_utils import to_checksum_address
from web3.contract import Contract
from web3.logs import DISCARD

from panarchy._utils import artifacts
from panarchy.ballots import BallotVerifier, InvalidBallot, SignedBallot, sign_ballot
from panarchy.chain import Chain
from panarchy.charter_actions import CharterActions
from panarchy.documents import bytes32_to_cid, cid_to_bytes32
from panarchy.errors import ConfigurationError, UpgradeableTargetWarning, error_for_revert
from panarchy.roles import RoleBook
from panarchy.targets import inspect_target
from panarchy.types import (
    MAX_ACTIONS,
    MAX_BATCH,
    MAX_CALLDATA,
    MAX_FOUNDERS,
    MAX_NAME_LENGTH,
    Action,
    Admission,
    BatchResult,
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

_ZERO32 = b"\x00" * 32


def _refuse(reason: str) -> None:
    """Raise, before sending, the exception the contract would raise for ``reason``."""
    raise error_for_revert(reason)


class Charter:
    """A deployed charter.

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
        #: The charter's clause book (its clauses and revision cycles).
        self.book: Contract = chain.w3.eth.contract(
            address=self.contract.functions.clause_book().call(),
            abi=artifacts.load("ClauseBook")["abi"],
        )
        #: The charter's role book (its short, rotating, recallable mandates).
        self.roles = RoleBook(
            chain, self.contract.functions.role_book().call(), from_block=from_block
        )
        #: Builders for the charter's own governance actions (enact a clause, ...).
        self.actions = CharterActions(self.contract, self.book, self.roles.contract)

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
        """
        parameters = parameters or Parameters()
        parameters.validate()
        if not name:
            _refuse("charter: empty name")
        if len(name.encode()) > MAX_NAME_LENGTH:
            raise ConfigurationError(f"the name is longer than {MAX_NAME_LENGTH} bytes")
        if not founders:
            _refuse("charter: no founders")
        if len(founders) > MAX_FOUNDERS:
            raise ConfigurationError(f"at most {MAX_FOUNDERS} founders; add others later")
        checked = [to_checksum_address(f) for f in founders]
        if len(set(checked)) != len(checked):
            _refuse("charter: already a member")
        factory_contract = chain.w3.eth.contract(
            address=to_checksum_address(factory), abi=artifacts.load("CharterFactory")["abi"]
        )
        receipt = chain.transact(
            signer,
            factory_contract.functions.create_charter(
                name,
                cid_to_bytes32(concord_cid),
                checked,
                parameters.to_chain(),
                parameters.rules_to_chain(),
            ),
        )
        (event,) = factory_contract.events.CharterCreated().process_receipt(receipt, errors=DISCARD)
        return cls(chain, event["args"]["charter"], from_block=receipt["blockNumber"])

    # --- identity and parameters ------------------------------------------------------

    @property
    def name(self) -> str:
        """The charter's name."""
        return str(self.contract.functions.name().call())

    @property
    def concord_cid(self) -> str:
        """The founding concord document's CID."""
        return bytes32_to_cid(self.contract.functions.concord().call())

    @property
    def founded_at(self) -> datetime:
        """When the charter was founded."""
        return datetime.fromtimestamp(self.contract.functions.founded_at().call(), tz=UTC)

    @property
    def parameters(self) -> Parameters:
        """The current parameters (the charter's and its clause book's)."""
        return Parameters.from_chain(
            self.contract.functions.parameters().call(), self.book.functions.rules().call()
        )

    # --- membership -------------------------------------------------------------------

    @property
    def member_count(self) -> int:
        """The number of members now."""
        return int(self.contract.functions.member_count().call())

    def is_member(self, account: str) -> bool:
        """Whether ``account`` is a member now."""
        return bool(self.contract.functions.is_member(to_checksum_address(account)).call())

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
        if self.is_member(signer.address):
            _refuse("charter: already a member")
        if (
            self.parameters.admission != Admission.OPEN
            and not self.contract.functions.is_invited(signer.address).call()
        ):
            _refuse("charter: invitation required")
        self.chain.transact(signer, self.contract.functions.join())

    def leave(self, signer: LocalAccount) -> None:
        """Leave the charter. Always possible for a member."""
        if not self.is_member(signer.address):
            _refuse("charter: not a member")
        self.chain.transact(signer, self.contract.functions.leave())

    def sponsor(self, signer: LocalAccount, account: str) -> None:
        """Invite ``account`` as a member (admission by sponsorship)."""
        self._check_member(signer.address)
        if self.parameters.admission != Admission.BY_SPONSORSHIP:
            _refuse("charter: sponsorship not allowed")
        if self.is_member(account):
            _refuse("charter: already a member")
        self.chain.transact(signer, self.contract.functions.sponsor(to_checksum_address(account)))

    # --- delegation -------------------------------------------------------------------

    def delegate(self, signer: LocalAccount, to: str) -> None:
        """Hand one's voice to another member (from the next block on; revocable)."""
        self._check_member(signer.address)
        to = to_checksum_address(to)
        if to == signer.address:
            _refuse("charter: cannot delegate to self")
        if not self.is_member(to):
            _refuse("charter: delegate not a member")
        if self.delegate_of(signer.address) == to:
            _refuse("charter: delegate unchanged")
        self.chain.transact(signer, self.contract.functions.delegate(to))

    def undelegate(self, signer: LocalAccount) -> None:
        """Take one's voice back from one's delegate."""
        self._check_member(signer.address)
        if self.delegate_of(signer.address) is None:
            _refuse("charter: delegate unchanged")
        self.chain.transact(signer, self.contract.functions.undelegate())

    def delegate_of(self, account: str) -> str | None:
        """Who carries ``account``'s voice now (None: nobody)."""
        found = self.contract.functions.delegate_of(to_checksum_address(account)).call()
        return None if int(found, 16) == 0 else str(found)

    def carried_voices(self, account: str) -> int:
        """How many members' voices ``account`` carries now (not counting their own)."""
        return int(self.contract.functions.carried_voices(to_checksum_address(account)).call())

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
        self._check_ballot_target(ballot)
        self.chain.transact(
            relayer, self.contract.functions.cast_vote_by_sig(*ballot.as_call_args())
        )

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
        if not ballots:
            raise ConfigurationError("no ballots to relay")
        if len(ballots) > MAX_BATCH:
            raise ConfigurationError(f"at most {MAX_BATCH} ballots in one batch")
        for ballot in ballots:
            self._check_ballot_target(ballot)
        receipt = self.chain.transact(
            relayer,
            self.contract.functions.cast_votes_by_sig(
                [b.as_call_args() for b in ballots], all_or_nothing
            ),
        )
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

    def _check_ballot_target(self, ballot: SignedBallot) -> None:
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
        self._check_member(signer.address)
        if not actions:
            _refuse("charter: no actions")
        if len(actions) > MAX_ACTIONS:
            raise ConfigurationError(f"at most {MAX_ACTIONS} actions in one proposal")
        for action in actions:
            if len(action.calldata) > MAX_CALLDATA:
                raise ConfigurationError(f"an action's calldata exceeds {MAX_CALLDATA} bytes")
        receipt = self.chain.transact(
            signer,
            self.contract.functions.propose(
                [to_checksum_address(a.target) for a in actions],
                [a.value for a in actions],
                [a.calldata for a in actions],
                cid_to_bytes32(description_cid),
            ),
        )
        (created,) = self.contract.events.ProposalCreated().process_receipt(receipt, errors=DISCARD)
        return self.proposal(created["args"]["proposalId"])

    def vote(self, signer: LocalAccount, proposal_id: int, support: Support | int) -> None:
        """Vote on an active proposal (against, for or abstain)."""
        support = Support(support)
        p = self._raw_proposal(proposal_id)
        if not self.is_member(signer.address):
            _refuse("charter: not a member")
        if p["canceled"] or self._state(proposal_id) != ProposalState.ACTIVE:
            _refuse("charter: proposal not active" if p["canceled"] else "charter: voting closed")
        joined = self.contract.functions.joined_block(signer.address).call()
        if joined >= p["snapshot"]:
            _refuse("charter: joined after proposal")
        if self.has_voted(proposal_id, signer.address):
            _refuse("charter: already voted")
        self.chain.transact(signer, self.contract.functions.cast_vote(proposal_id, int(support)))

    def has_voted(self, proposal_id: int, account: str) -> bool:
        """Whether ``account``'s vote on the proposal was counted."""
        return bool(
            self.contract.functions.has_voted(proposal_id, to_checksum_address(account)).call()
        )

    def cancel(self, signer: LocalAccount, proposal_id: int) -> None:
        """Cancel one's own proposal before anyone voted."""
        p = self._raw_proposal(proposal_id)
        if p["proposer"] != signer.address:
            _refuse("charter: not the proposer")
        if self._state(proposal_id) != ProposalState.ACTIVE:
            _refuse("charter: proposal not active")
        if p["for_votes"] + p["against_votes"] + p["abstain_votes"]:
            _refuse("charter: votes already cast")
        self.chain.transact(signer, self.contract.functions.cancel(proposal_id))

    def execute(self, signer: LocalAccount, proposal_id: int) -> None:
        """Execute a succeeded proposal within its window (anyone may)."""
        state = self._state(proposal_id)
        reasons = {
            ProposalState.ACTIVE: "charter: voting not over",
            ProposalState.CANCELED: "charter: proposal canceled",
            ProposalState.DEFEATED: "charter: proposal defeated",
            ProposalState.EXECUTED: "charter: proposal already executed",
            ProposalState.EXPIRED: "charter: execution window closed",
        }
        if state in reasons:
            _refuse(reasons[state])
        actions = self._actions_of(proposal_id)
        self.chain.transact(
            signer,
            self.contract.functions.execute(
                proposal_id,
                [a.target for a in actions],
                [a.value for a in actions],
                [a.calldata for a in actions],
            ),
        )

    def proposal(self, proposal_id: int) -> Proposal:
        """A proposal with its state, tallies, rules and actions."""
        raw = self.contract.functions.proposal(proposal_id).call()
        doc = self._description(proposal_id)
        return proposal_from_chain(
            proposal_id, raw, self._state(proposal_id), doc, self._actions_of(proposal_id)
        )

    def proposals(self) -> list[Proposal]:
        """Every proposal, oldest first."""
        count = self.contract.functions.proposal_count().call()
        return [self.proposal(i) for i in range(1, count + 1)]

    # --- clauses and revision cycles --------------------------------------------------

    def clause(self, clause_id: int) -> Clause:
        """A clause, with whether it is in force and the time it has left."""
        raw = self.chain.call(self.book.functions.clause(clause_id))
        return clause_from_chain(clause_id, raw, bytes32_to_cid(raw[0]), self.chain.timestamp())

    def clauses(self) -> list[Clause]:
        """Every clause ever enacted, in force or not."""
        count = self.book.functions.clause_count().call()
        return [self.clause(i) for i in range(1, count + 1)]

    def clauses_in_force(self) -> list[Clause]:
        """The clauses in force now."""
        return [c for c in self.clauses() if c.in_force]

    @property
    def current_cycle(self) -> int:
        """The revision cycle running now."""
        return int(self.book.functions.current_cycle().call())

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
            revisions=fn.revisions_in_cycle(cycle).call(),
            quota=self.parameters.revision_quota,
            met=fn.cycle_met_quota(cycle).call(),
            current=cycle == current,
        )

    # --- internals --------------------------------------------------------------------

    def _check_member(self, account: str) -> None:
        if not self.is_member(account):
            _refuse("charter: not a member")

    def _raw_proposal(self, proposal_id: int) -> dict[str, Any]:
        raw = self.chain.call(self.contract.functions.proposal(proposal_id))
        keys = [o["name"] for o in _struct_outputs(self.contract, "proposal")]
        return dict(zip(keys, raw, strict=True))

    def _state(self, proposal_id: int) -> ProposalState:
        return ProposalState(self.chain.call(self.contract.functions.state(proposal_id)))

    def _logs(self, event: str, **filters: Any) -> list[Any]:
        return list(
            getattr(self.contract.events, event)().get_logs(
                from_block=self.from_block, argument_filters=filters or None
            )
        )

    def _created_receipt(self, proposal_id: int) -> Any:
        docs = self._logs("ProposalDocument", proposalId=proposal_id)
        if not docs:
            _refuse("charter: unknown proposal")
        return docs[0]

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
        raise error_for_revert("charter: unknown proposal")


def _struct_outputs(contract: Contract, fn_name: str) -> Sequence[ABIComponent]:
    for entry in contract.abi:
        if entry.get("type") == "function" and entry.get("name") == fn_name:
            function = cast(ABIFunction, entry)  # its "type" says so
            return function["outputs"][0]["components"]
    raise KeyError(fn_name)

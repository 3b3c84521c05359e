"""Federations: charters whose members are charters.

A federation is an ordinary charter; what makes it one is who its members are. A member
charter acts in it only through its own governance: it joins, proposes, votes and leaves
by executing one of its own proposals (the ``*_action`` builders below make those actions),
so the federation has no power over a member beyond what the member executes itself.

Between such decisions a member charter may let the current holder of its **delegate** role
vote for it (:meth:`Federation.vote_as_delegate`): a free mandate that ends with the role's
term or a recall. The member charter's own vote replaces its delegate's, once (the
imperative mandate over the free one); the federation's contract decides all of it, and the
SDK only simulates and reports the contract's reason.

    federation = Federation(chain, federation_address)
    # in member charter A: propose to join, vote as a body, or leave
    a.propose(ada, [federation.join_action()], description_cid)
    # A's delegate votes for A between A's own decisions
    federation.vote_as_delegate(delegate_account, a.address, proposal_id, Support.FOR)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from eth_account.signers.local import LocalAccount
from eth_utils import to_checksum_address

from panarchy.chain import Chain, Simulation
from panarchy.charter import Charter
from panarchy.charter.actions import encode_call
from panarchy.charter.ballots import support_code
from panarchy.charter.types import Action, Support
from panarchy.documents import cid_to_bytes32

#: The role a member charter names its delegate to federations with.
DELEGATE_ROLE = "delegate"


@dataclass(frozen=True)
class MemberVote:
    """How one member charter's voice stands on a federation proposal."""

    member: str
    voted: bool
    #: True while the ballot is its delegate's (the member's own vote would replace it).
    by_delegate: bool
    #: The member charter's current delegate (None: the role is vacant or undefined).
    delegate: str | None


class Federation:
    """A federation's charter, read and acted on as a federation.

    Args:
        chain: The chain.
        address: The federation's charter.
    """

    def __init__(self, chain: Chain, address: str) -> None:
        self.chain = chain
        #: The federation's own charter (proposals, clauses, members: all as for a charter).
        self.charter = Charter(chain, address)
        self.address = self.charter.address

    def __repr__(self) -> str:
        return f"<Federation {self.address}>"

    # --- what a member charter's own proposals run -----------------------------------

    def _call(self, fn_name: str, args: list[object]) -> Action:
        """A call on the federation's charter, in the shared describer's words."""
        action = encode_call(self.charter.contract, fn_name, args)
        return replace(
            action, summary=self.charter.actions.describe(action.target, action.calldata)
        )

    def join_action(self) -> Action:
        """The action a charter's proposal runs to join the federation."""
        return self._call("join", [])

    def leave_action(self) -> Action:
        """The action a member charter's proposal runs to leave (it always succeeds)."""
        return self._call("leave", [])

    def vote_action(self, proposal_id: int, support: Support | int) -> Action:
        """The action a member charter's proposal runs to vote as a body (it replaces its
        delegate's ballot, if the delegate voted first)."""
        return self._call("cast_vote", [proposal_id, support_code(support)])

    def propose_action(self, actions: Sequence[Action], description_cid: str) -> Action:
        """The action a member charter's proposal runs to propose ``actions`` in the
        federation (its description document given by CID)."""
        return self._call(
            "propose",
            [
                [to_checksum_address(a.target) for a in actions],
                [a.value for a in actions],
                [a.calldata for a in actions],
                cid_to_bytes32(description_cid),
            ],
        )

    def delegate_action(self, to: str) -> Action:
        """The action a member charter's proposal runs to hand its federation voice to
        another member charter (plain one-hop delegation, revocable)."""
        return self._call("delegate", [to_checksum_address(to)])

    # --- the delegate's vote -----------------------------------------------------------

    def vote_as_delegate(
        self,
        signer: LocalAccount,
        member: str,
        proposal_id: int,
        support: Support | int,
        *,
        dry_run: bool = False,
    ) -> Simulation | None:
        """Vote for member charter ``member`` as the current holder of its delegate role
        (``dry_run``: only say whether it would count; ``result`` is the weight).

        Raises:
            NotTheMembersDelegate: ``signer`` does not hold ``member``'s delegate role now
                (never appointed, recalled, or its term ended), or ``member`` is no polity.
            AlreadyVoted: ``member`` voted itself, or a delegate already voted for it.
        """
        fn = self._build_vote_as_delegate(member, proposal_id, support)
        if dry_run:
            return self.chain.simulate(signer.address, fn)
        self.chain.transact(signer, fn)
        return None

    def _build_vote_as_delegate(
        self, member: str, proposal_id: int, support: Support | int
    ) -> object:
        return self.charter.contract.functions.cast_vote_as_delegate(
            to_checksum_address(member), proposal_id, support_code(support)
        )

    # --- reads ---------------------------------------------------------------------------

    def delegate_of_member(self, member: str) -> str | None:
        """The current holder of member charter ``member``'s delegate role (None: none)."""
        return Charter(self.chain, member).roles.holder(DELEGATE_ROLE)

    def member_vote(self, proposal_id: int, member: str) -> MemberVote:
        """Whether ``member`` voted on a federation proposal, and whether by its delegate."""
        member = to_checksum_address(member)
        fn = self.charter.contract.functions
        return MemberVote(
            member=member,
            voted=bool(self.chain.call(fn.has_voted(proposal_id, member))),
            by_delegate=bool(self.chain.call(fn.voted_by_delegate(proposal_id, member))),
            delegate=self.delegate_of_member(member),
        )

    def member_votes(self, proposal_id: int) -> list[MemberVote]:
        """How each current member charter's voice stands on a proposal."""
        return [self.member_vote(proposal_id, m) for m in self.charter.members()]


__all__ = ["DELEGATE_ROLE", "Federation", "MemberVote"]

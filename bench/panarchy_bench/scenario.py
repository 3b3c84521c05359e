"""The scenario, written once and played by both sides.

A side (:class:`Side`) knows how to do each operation on its own contracts and returns
the gas it used; this module decides what happens, in which order, and what is recorded
under which name. That both columns of the table come from the same script is what makes
them comparable.

The base scenario (:func:`run_base`), on a community of :data:`BASE_VOTERS` members, each
with one voice (ours: a member; the reference: one token, self-delegated):

1. found the polity (``deploy_polity``), onboard its members;
2. a warm-up proposal that everyone votes on, one of them by a relayed signed ballot,
   so that what follows is the steady state of a community that has voted before
   (``propose_first`` and ``relayed_ballot_first_signature`` come from it);
3. the measured proposal, one action: ``propose``; the first vote
   (``cast_vote_first``), the fifth (``cast_vote_later``), the sixth by a relayed
   signed ballot (``relayed_ballot``), the others plain;
4. proposals with 5 and 10 actions, and (ours alone) a clause to enact and one to renew;
5. the voting period ends; each proposal is executed (``execute``,
   ``execute_5_actions``, ``execute_10_actions``, ``clause_enact``, ``clause_renew``);
6. a newcomer joins and leaves; a member delegates.

The scaling scenario (:func:`run_scaling`) grows one polity to each size in turn, and at
each size opens a proposal on which the first five members vote; the fifth vote is the
figure. At :data:`BATCH_SIZE` members, two proposals take one signed ballot from every
member, relayed: the first as warm-up (every member's first signature), the second
measured (``batch100_per_ballot``).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from eth_account.signers.local import LocalAccount

from panarchy_bench.common import (
    BASE_VOTERS,
    BATCH_SIZE,
    LATER_VOTER,
    RELAYED_VOTER,
    GasBook,
    Pending,
    Shared,
    people,
    person,
)

#: Votes cast on the proposals that only need to pass (quorum is 20%).
_PASSING_VOTES = 3


class NoCounterpart(Exception):
    """An operation the other side has no equivalent of."""


class Side(ABC):
    """One governance system under test. Every method that changes the chain returns
    the ``gasUsed`` of the one transaction it sent (or raises :class:`Pending` /
    :class:`NoCounterpart`)."""

    name: str

    def __init__(self, shared: Shared, book: GasBook) -> None:
        self.shared = shared
        self.book = book

    # --- a polity and its members -----------------------------------------------------

    @abstractmethod
    def found(self, founders: list[LocalAccount], *, label: str, scaling: bool) -> tuple[Any, int]:
        """Deploy a polity whose members are ``founders``; return it and its gas."""

    @abstractmethod
    def onboard(self, polity: Any, members: list[LocalAccount]) -> None:
        """Whatever founders must still do before they can vote (unmeasured here)."""

    @abstractmethod
    def add_members(self, polity: Any, newcomers: list[LocalAccount]) -> None:
        """Grow the polity (setup, unmeasured)."""

    # --- proposals and votes ----------------------------------------------------------

    @abstractmethod
    def propose(
        self, polity: Any, proposer: LocalAccount, actions: list[tuple[str, int, bytes]], label: str
    ) -> tuple[Any, int]:
        """Propose; return the proposal's handle and the gas."""

    @abstractmethod
    def open_voting(self, polity: Any) -> None:
        """Wait until votes on the proposals just made count (setup, unmeasured)."""

    @abstractmethod
    def cast_vote(self, polity: Any, voter: LocalAccount, proposal: Any) -> int:
        """A member votes FOR, sending their own transaction."""

    @abstractmethod
    def relayed_ballot(self, polity: Any, voter: LocalAccount, proposal: Any) -> int:
        """A member signs a FOR ballot; someone else relays it."""

    @abstractmethod
    def relayed_batch(self, polity: Any, voters: list[LocalAccount], proposal: Any) -> int:
        """Every voter signs a FOR ballot; the ballots are relayed. Returns gas per ballot."""

    @abstractmethod
    def close_voting(self, polity: Any) -> None:
        """Let the voting period end (setup, unmeasured)."""

    @abstractmethod
    def execute(self, polity: Any, proposal: Any) -> int:
        """Execute a succeeded proposal (anyone may)."""

    # --- what the charter does that the reference does not --------------------------

    @abstractmethod
    def enact_clause_actions(self, polity: Any) -> list[tuple[str, int, bytes]]:
        """The actions of a proposal that enacts a clause."""

    @abstractmethod
    def renew_clause_actions(self, polity: Any) -> list[tuple[str, int, bytes]]:
        """The actions of a proposal that renews the clause just enacted."""

    @abstractmethod
    def join(self, polity: Any, newcomer: LocalAccount) -> int:
        """A newcomer becomes a member."""

    @abstractmethod
    def leave(self, polity: Any, member: LocalAccount) -> int:
        """A member leaves."""

    @abstractmethod
    def delegate(self, polity: Any, member: LocalAccount, to: LocalAccount) -> int:
        """A member delegates their voice to another member."""

    @abstractmethod
    def fund_contribute(self, polity: Any, member: LocalAccount) -> int:
        """A member contributes to the solidarity fund."""

    @abstractmethod
    def fund_disburse(self, polity: Any, steward: LocalAccount, to: LocalAccount) -> int:
        """The steward disburses from the fund."""


def _try(book: GasBook, name: str, op: Any, *args: Any) -> int | None:
    """Run ``op(*args)`` and record its gas under ``name``, or why there is none."""
    try:
        gas = int(op(*args))
    except (Pending, NoCounterpart) as why:
        book.pending(name, str(why))
        return None
    book.record(name, gas)
    return gas


def _vote(side: Side, polity: Any, voter: LocalAccount, proposal: Any, name: str | None) -> None:
    """A plain vote, recorded under ``name`` if given."""
    gas = side.cast_vote(polity, voter, proposal)
    if name:
        side.book.record(name, gas)


def _relayed_or_plain(
    side: Side, polity: Any, voter: LocalAccount, proposal: Any, name: str
) -> None:
    """A relayed signed ballot if the side has them; otherwise a plain vote (unmeasured),
    so that the chain ends up in the same state either way."""
    if _try(side.book, name, side.relayed_ballot, polity, voter, proposal) is None:
        side.cast_vote(polity, voter, proposal)


def run_base(side: Side) -> Any:
    """The base scenario (see the module docstring); returns the polity."""
    book, shared = side.book, side.shared
    voters = people(0, BASE_VOTERS)
    polity, gas = side.found(voters, label="Bench Commons", scaling=False)
    book.record("deploy_polity", gas)
    side.onboard(polity, voters)

    # A warm-up proposal, so that what follows is the steady state.
    warm_up, gas = side.propose(polity, voters[0], shared.actions(1, 1), "warm-up")
    book.record("propose_first", gas)
    side.open_voting(polity)
    for i, voter in enumerate(voters):
        if i == RELAYED_VOTER:
            _relayed_or_plain(side, polity, voter, warm_up, "relayed_ballot_first_signature")
        else:
            _vote(side, polity, voter, warm_up, None)

    # The measured proposal: one action.
    one, gas = side.propose(polity, voters[0], shared.actions(1, 2), "one action")
    book.record("propose", gas)
    side.open_voting(polity)
    for i, voter in enumerate(voters):
        if i == RELAYED_VOTER:
            _relayed_or_plain(side, polity, voter, one, "relayed_ballot")
        else:
            name = {0: "cast_vote_first", LATER_VOTER: "cast_vote_later"}.get(i)
            _vote(side, polity, voter, one, name)

    # Execution scaling: 5 and 10 actions; and the charter's own clause operations.
    to_execute: list[tuple[str, Any]] = [("execute", one)]
    for count, first in ((5, 3), (10, 8)):
        proposal, gas = side.propose(
            polity, voters[0], shared.actions(count, first), f"{count} actions"
        )
        book.record(f"propose_{count}_actions", gas)
        side.open_voting(polity)
        for voter in voters[:_PASSING_VOTES]:
            _vote(side, polity, voter, proposal, None)
        to_execute.append((f"execute_{count}_actions", proposal))
    for name, make in (
        ("clause_enact", side.enact_clause_actions),
        ("clause_renew", side.renew_clause_actions),
    ):
        try:
            actions = make(polity)
        except (Pending, NoCounterpart) as why:
            book.pending(name, str(why))
            continue
        proposal, _ = side.propose(polity, voters[0], actions, name)
        side.open_voting(polity)
        for voter in voters[:_PASSING_VOTES]:
            _vote(side, polity, voter, proposal, None)
        to_execute.append((name, proposal))

    side.close_voting(polity)
    for name, proposal in to_execute:
        book.record(name, side.execute(polity, proposal))

    # Membership and delegation.
    newcomer = person(BASE_VOTERS)
    _try(book, "join", side.join, polity, newcomer)
    _try(book, "leave", side.leave, polity, newcomer)
    _try(book, "delegate", side.delegate, polity, voters[-1], voters[-2])
    _try(book, "fund_contribute", side.fund_contribute, polity, voters[0])
    _try(book, "fund_disburse", side.fund_disburse, polity, voters[0], voters[1])
    return polity


def run_scaling(side: Side, sizes: tuple[int, ...]) -> None:
    """The scaling scenario (see the module docstring): one polity grown to each size."""
    book, shared = side.book, side.shared
    founders = people(0, BASE_VOTERS)
    polity, _ = side.found(founders, label="Bench Scaling", scaling=True)
    side.onboard(polity, founders)
    members = len(founders)
    for size in sorted(sizes):
        if size > members:
            side.add_members(polity, people(members, size))
            members = size
        proposal, _ = side.propose(polity, founders[0], shared.actions(1, 1000 + size), f"{size}")
        side.open_voting(polity)
        for i in range(LATER_VOTER + 1):
            gas = side.cast_vote(polity, person(i), proposal)
        book.record(f"cast_vote_{size}_members", gas)
        if size == BATCH_SIZE:
            _batches(side, polity, founders[0])


def _batches(side: Side, polity: Any, proposer: LocalAccount) -> None:
    """Two proposals with a signed ballot from each of the first BATCH_SIZE members."""
    voters = people(0, BATCH_SIZE)
    names = ("batch100_per_ballot_first_signature", "batch100_per_ballot")
    for n, name in enumerate(names, start=1):
        proposal, _ = side.propose(polity, proposer, side.shared.actions(1, 2000 + n), name)
        side.open_voting(polity)
        if _try(side.book, name, side.relayed_batch, polity, voters, proposal) is None:
            if name == names[0]:  # not built on this side: the second would say the same
                side.book.pending(names[1], side.book.figures[name].note or "")
            return

"""The SDK's federations: member charters act by their own proposals, their delegates vote
between them, and the contract's refusals come back typed. In-process and on anvil."""

from __future__ import annotations

from datetime import timedelta

import pytest
from panarchy import errors
from panarchy.chain import Simulation
from panarchy.charter import Charter
from panarchy.charter.types import Parameters, Support
from panarchy.federation import DELEGATE_ROLE, Federation

from tests.sdk.conftest import cid_of

DAY = timedelta(days=1)


def run(chain, charter: Charter, store, actions, voters) -> None:
    """Pass and execute one of a member charter's own proposals (one-day votes)."""
    made = charter.propose(voters[0], actions, cid_of(store, actions[0].summary[:60], "proposal"))
    for voter in voters:
        charter.vote(voter, made.id, Support.FOR)
    chain.advance(DAY)
    charter.execute(voters[0], made.id)


@pytest.fixture
def members(chain, factory, accounts, store):
    """Two member charters, each with two people; the first holds its "delegate" role."""
    out = []
    for i in range(2):
        folk = accounts[2 * i : 2 * i + 2]
        charter = Charter.found(
            chain,
            folk[0],
            factory=factory,
            name=f"Member {i}",
            concord_cid=cid_of(store, f"member {i}", "concord"),
            founders=[f.address for f in folk],
            parameters=Parameters(voting_period=DAY),
        )
        actions = [
            charter.actions.define_role(DELEGATE_ROLE, timedelta(days=30), 2),
            charter.actions.appoint(DELEGATE_ROLE, folk[0].address),
        ]
        run(chain, charter, store, actions, folk)
        out.append((charter, folk))
    return out


@pytest.fixture
def federation(chain, factory, members, accounts, store) -> Federation:
    founded = Charter.found(
        chain,
        accounts[0],
        factory=factory,
        name="River Federation",
        concord_cid=cid_of(store, "federation", "concord"),
        founders=[c.address for c, _ in members],
    )
    chain.advance(timedelta(seconds=1))
    return Federation(chain, founded.address)


@pytest.fixture
def pid(chain, federation, members, store) -> int:
    (a, folk), _ = members
    inner = [federation.charter.actions.set_concord(cid_of(store, "federal concord", "concord"))]
    description = cid_of(store, "a federal concord", "proposal")
    run(chain, a, store, [federation.propose_action(inner, description)], folk)
    return federation.charter.proposals()[-1].id


def test_the_delegate_votes_and_the_charter_replaces_it(chain, federation, members, pid, store):
    (a, folk), (b, _) = members
    assert federation.delegate_of_member(a.address) == folk[0].address
    would = federation.vote_as_delegate(folk[0], a.address, pid, Support.FOR, dry_run=True)
    assert isinstance(would, Simulation) and would.result == 1
    assert not federation.member_vote(pid, a.address).voted  # a dry run sends nothing
    federation.vote_as_delegate(folk[0], a.address, pid, Support.FOR)
    vote = federation.member_vote(pid, a.address)
    assert (vote.voted, vote.by_delegate, vote.delegate) == (True, True, folk[0].address)
    assert federation.charter.proposal(pid).for_votes == 1

    run(chain, a, store, [federation.vote_action(pid, Support.AGAINST)], folk)
    counted = federation.charter.proposal(pid)
    assert (counted.for_votes, counted.against_votes) == (0, 1)
    assert federation.member_vote(pid, a.address).by_delegate is False
    with pytest.raises(errors.AlreadyVoted, match="charter: already voted"):
        federation.vote_as_delegate(folk[0], a.address, pid, Support.FOR)
    assert [v.member for v in federation.member_votes(pid)] == [a.address, b.address]


def test_only_the_delegate_of_the_member_votes_for_it(federation, members, pid):
    (a, folk), (_, other) = members
    for outsider in (folk[1], other[0]):
        with pytest.raises(errors.NotTheMembersDelegate, match="not a delegate of the member"):
            federation.vote_as_delegate(outsider, a.address, pid, Support.FOR, dry_run=True)
    assert federation.charter.proposal(pid).for_votes == 0


def test_a_member_charter_leaves_by_its_own_proposal(chain, federation, members, store):
    (a, folk), _ = members
    run(chain, a, store, [federation.leave_action()], folk)
    assert not federation.charter.is_member(a.address)

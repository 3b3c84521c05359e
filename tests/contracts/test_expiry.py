"""SECURITY.md attack 20: every expiry of the charter and its clause book at t-1, t and t+1,
and no silent resurrection after it."""

from __future__ import annotations

import ape
import pytest

from tests.contracts.helpers import (
    ACTIVE,
    CYCLE,
    DEFEATED,
    EXECUTED,
    EXPIRED,
    FOR,
    SUCCEEDED,
    doc,
    event_args,
)

EDGES = [
    pytest.param(-1, True, id="t-1"),
    pytest.param(0, False, id="t"),
    pytest.param(1, False, id="t+1"),
]


def _at(timestamp):
    """Mine a block at ``timestamp``, so that views read the chain at that second."""
    ape.chain.mine(timestamp=timestamp)


# --- clause expiry ---------------------------------------------------------------------------


@pytest.fixture
def clause_expiry(polity):
    receipt = polity.run([polity.book_call("enact_clause", doc("rule"), 1)])
    return event_args(receipt, "ClauseEnacted")[0]["expires_at"]


@pytest.mark.parametrize("offset, in_force", EDGES)
def test_clause_expiry__in_force_until_expires_at(polity, clause_expiry, offset, in_force):
    _at(clause_expiry + offset)
    assert polity.book.clause(1).in_force is in_force
    assert polity.book.clause(1).expires_at == clause_expiry


@pytest.mark.parametrize("offset, in_force", EDGES)
def test_clause_expiry__renewal_executed_at_the_edge(polity, clause_expiry, offset, in_force):
    """A renewal that runs before expiry extends the term; at or after it, the clause has
    lapsed and is not resurrected."""
    action = [polity.book_call("renew_clause", 1, 1)]
    ape.chain.pending_timestamp = clause_expiry - 10 * 86400  # so the window spans the expiry
    pid = polity.propose(polity.founders[0], action)
    polity.vote(pid, polity.founders)
    # Voting ends well before the edge: pick the execution time exactly.
    assert polity.charter.proposal(pid).vote_end < clause_expiry - 1
    ape.chain.pending_timestamp = clause_expiry + offset
    if in_force:
        receipt = polity.execute(pid, action)
        assert event_args(receipt, "ClauseRenewed")[0]["expires_at"] == clause_expiry - 1 + CYCLE
    else:
        with ape.reverts("clauses: clause not in force"):
            polity.execute(pid, action)
        assert not polity.book.clause(1).in_force


def test_clause_expiry__repealed_clause_never_in_force_again(polity, clause_expiry):
    polity.run([polity.book_call("repeal_clause", 1)])
    _at(clause_expiry - 1)
    assert not polity.book.clause(1).in_force


# --- voting end ------------------------------------------------------------------------------


@pytest.fixture
def proposal(polity):
    actions = [polity.book_call("enact_clause", doc("rule"), 1)]
    pid = polity.propose(polity.founders[0], actions)
    return pid, actions, polity.charter.proposal(pid).vote_end


@pytest.mark.parametrize("offset, open_", EDGES)
def test_voting_end__vote(polity, proposal, offset, open_):
    pid, _, vote_end = proposal
    ape.chain.pending_timestamp = vote_end + offset
    if open_:
        polity.charter.cast_vote(pid, FOR, sender=polity.founders[1])
        assert polity.charter.has_voted(pid, polity.founders[1])
    else:
        with ape.reverts("charter: voting closed"):
            polity.charter.cast_vote(pid, FOR, sender=polity.founders[1])


@pytest.mark.parametrize("offset, open_", EDGES)
def test_voting_end__cancel(polity, proposal, offset, open_):
    pid, _, vote_end = proposal
    ape.chain.pending_timestamp = vote_end + offset
    if open_:
        polity.charter.cancel(pid, sender=polity.founders[0])
    else:
        with ape.reverts("charter: proposal not active"):
            polity.charter.cancel(pid, sender=polity.founders[0])


@pytest.mark.parametrize("offset, open_", EDGES)
def test_voting_end__execute(polity, proposal, offset, open_):
    pid, actions, vote_end = proposal
    polity.vote(pid, polity.founders)
    ape.chain.pending_timestamp = vote_end + offset
    if open_:
        with ape.reverts("charter: voting not over"):
            polity.execute(pid, actions)
    else:
        polity.execute(pid, actions)
        assert polity.charter.state(pid) == EXECUTED


@pytest.mark.parametrize("offset, open_", EDGES)
def test_voting_end__state(polity, proposal, offset, open_):
    pid, _, vote_end = proposal
    polity.vote(pid, polity.founders[:1])
    _at(vote_end + offset)
    assert polity.charter.state(pid) == (ACTIVE if open_ else SUCCEEDED)


def test_voting_end__defeated_without_votes(polity, proposal):
    pid, _, vote_end = proposal
    _at(vote_end)
    assert polity.charter.state(pid) == DEFEATED  # quorum of one vote not met


# --- execution window ----------------------------------------------------------------------


@pytest.mark.parametrize("offset, open_", EDGES)
def test_execution_window__execute(polity, proposal, offset, open_):
    pid, actions, _ = proposal
    polity.vote(pid, polity.founders)
    deadline = polity.charter.proposal(pid).execution_deadline
    ape.chain.pending_timestamp = deadline + offset
    if open_:
        polity.execute(pid, actions)
        assert polity.book.clause_count() == 1
    else:
        with ape.reverts("charter: execution window closed"):
            polity.execute(pid, actions)
        assert polity.book.clause_count() == 0


@pytest.mark.parametrize("offset, open_", EDGES)
def test_execution_window__state(polity, proposal, offset, open_):
    pid, _, _ = proposal
    polity.vote(pid, polity.founders)
    _at(polity.charter.proposal(pid).execution_deadline + offset)
    assert polity.charter.state(pid) == (SUCCEEDED if open_ else EXPIRED)


# --- revision cycles -----------------------------------------------------------------------


@pytest.mark.parametrize("offset, same_cycle", EDGES)
def test_revision_cycle__boundary(polity, offset, same_cycle):
    start = polity.book.cycle_start(1)
    _at(start + offset)
    assert polity.book.current_cycle() == (0 if same_cycle else 1)

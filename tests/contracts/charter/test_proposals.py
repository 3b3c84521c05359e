"""Proposals: proposing, voting (direct and signed), canceling, executing, and every
revert on the way."""

from __future__ import annotations

import ape
import pytest

from tests.contracts.helpers import (
    ABSTAIN,
    ACTIVE,
    AGAINST,
    CANCELED,
    CONSENT,
    DEFEATED,
    EXECUTED,
    FOR,
    MAJORITY,
    SUCCEEDED,
    SUPERMAJORITY,
    VOTING_PERIOD,
    Action,
    columns,
    doc,
    event_args,
    event_names,
    sign_ballot,
)


@pytest.fixture
def enact(polity):
    """A MAJORITY action: enact a clause for two cycles."""
    return [polity.book_call("enact_clause", doc("rule"), 2)]


# --- propose --------------------------------------------------------------------------------


def test_propose__records_rules_and_emits_governor_events(polity, founder, enact, chain):
    receipt = polity.charter.propose(*columns(enact), doc("why"), sender=founder)
    now = chain.blocks.head.timestamp
    created = event_args(receipt, "ProposalCreated")[0]
    assert created == {
        "proposalId": 1,
        "proposer": founder.address,
        "targets": [polity.book.address],
        "values": [0],
        "signatures": [""],
        "calldatas": [enact[0].calldata],
        "voteStart": now,
        "voteEnd": now + VOTING_PERIOD,
        "description": "",
    }
    assert event_args(receipt, "ProposalDocument") == [
        {"proposalId": 1, "document": doc("why"), "level": MAJORITY}
    ]
    p = polity.charter.proposal(1)
    assert p.proposer == founder.address
    assert p.snapshot == receipt.block_number
    assert p.vote_end == now + VOTING_PERIOD
    assert p.execution_deadline == p.vote_end + 7 * 86400
    assert (p.level, p.bar) == (MAJORITY, 1)  # ceil(3 * 20%)
    assert (p.supermajority_num, p.supermajority_den) == (2, 3)
    assert (p.executed, p.canceled) == (False, False)
    assert polity.charter.state(1) == ACTIVE
    assert polity.charter.proposal_count() == 1


@pytest.mark.parametrize(
    "method, args, level",
    [
        ("admit", ("0x" + "11" * 20,), MAJORITY),
        ("set_concord", (doc("new"),), SUPERMAJORITY),
    ],
)
def test_propose__stakes_follow_the_actions(polity, founder, method, args, level):
    pid = polity.propose(founder, [polity.call(method, *args)])
    assert polity.charter.proposal(pid).level == level


def test_propose__highest_level_of_all_actions(polity, founder, target):
    actions = [
        polity.book_call("renew_clause", 1, 1),  # CONSENT
        Action(target.address, target.set_value.encode_input(1)),  # MAJORITY (external)
        polity.call("set_concord", doc("new")),  # SUPERMAJORITY
    ]
    assert polity.charter.proposal(polity.propose(founder, actions)).level == SUPERMAJORITY
    assert polity.charter.proposal(polity.propose(founder, actions[:2])).level == MAJORITY
    assert polity.charter.proposal(polity.propose(founder, actions[:1])).level == CONSENT


def test_propose__unlisted_or_short_calldata_on_charter_needs_majority(polity, founder):
    unlisted = Action(polity.charter.address, bytes.fromhex("deadbeef"))
    short = Action(polity.charter.address, b"\x01")
    for action in (unlisted, short):
        assert polity.charter.proposal(polity.propose(founder, [action])).level == MAJORITY


def test_propose__by_non_member_reverts(polity, stranger, enact):
    with ape.reverts("charter: not a member"):
        polity.propose(stranger, enact)


def test_propose__no_actions_reverts(polity, founder):
    with ape.reverts("charter: no actions"):
        polity.propose(founder, [])


def test_propose__length_mismatch_reverts(polity, founder, enact):
    targets, values, calldatas = columns(enact)
    with ape.reverts("charter: action length mismatch"):
        polity.charter.propose(targets, [0, 0], calldatas, doc("why"), sender=founder)
    with ape.reverts("charter: action length mismatch"):
        polity.charter.propose(targets, values, calldatas * 2, doc("why"), sender=founder)


def test_propose__empty_description_reverts(polity, founder, enact):
    with ape.reverts("charter: empty document"):
        polity.propose(founder, enact, description=b"\x00" * 32)


# --- votes ----------------------------------------------------------------------------------


def test_cast_vote__counts_and_emits(polity, founders, enact):
    pid = polity.propose(founders[0], enact)
    receipt = polity.charter.cast_vote(pid, FOR, sender=founders[0])
    assert event_args(receipt, "VoteCast") == [
        {"voter": founders[0].address, "proposalId": pid, "support": FOR, "weight": 1, "reason": ""}
    ]
    polity.charter.cast_vote(pid, AGAINST, sender=founders[1])
    polity.charter.cast_vote(pid, ABSTAIN, sender=founders[2])
    p = polity.charter.proposal(pid)
    assert (p.for_votes, p.against_votes, p.abstain_votes) == (1, 1, 1)
    assert all(polity.charter.has_voted(pid, f) for f in founders)


def test_cast_vote__invalid_vote_type_reverts(polity, founder, enact):
    pid = polity.propose(founder, enact)
    with ape.reverts("charter: invalid vote type"):
        polity.charter.cast_vote(pid, 3, sender=founder)


def test_cast_vote__unknown_proposal_reverts(polity, founder):
    with ape.reverts("charter: unknown proposal"):
        polity.charter.cast_vote(1, FOR, sender=founder)


def test_cast_vote__canceled_proposal_reverts(polity, founder, member, enact):
    pid = polity.propose(founder, enact)
    polity.charter.cancel(pid, sender=founder)
    with ape.reverts("charter: proposal not active"):
        polity.charter.cast_vote(pid, FOR, sender=member)


def test_cast_vote__after_voting_end_reverts(polity, founder, enact):
    pid = polity.propose(founder, enact)
    polity.end_voting(pid)
    with ape.reverts("charter: voting closed"):
        polity.charter.cast_vote(pid, FOR, sender=founder)


def test_cast_vote__by_non_member_reverts(polity, founder, stranger, enact):
    pid = polity.propose(founder, enact)
    with ape.reverts("charter: not a member"):
        polity.charter.cast_vote(pid, FOR, sender=stranger)


def test_cast_vote__after_leaving_reverts(polity, founder, member, enact):
    pid = polity.propose(founder, enact)
    polity.charter.leave(sender=member)
    with ape.reverts("charter: not a member"):
        polity.charter.cast_vote(pid, FOR, sender=member)


def test_cast_vote__joined_after_proposal_reverts(polity, founder, newcomer, enact):
    pid = polity.propose(founder, enact)
    polity.charter.join(sender=newcomer)
    with ape.reverts("charter: joined after proposal"):
        polity.charter.cast_vote(pid, FOR, sender=newcomer)


def test_cast_vote__twice_reverts(polity, founder, enact):
    pid = polity.propose(founder, enact)
    polity.charter.cast_vote(pid, FOR, sender=founder)
    with ape.reverts("charter: already voted"):
        polity.charter.cast_vote(pid, AGAINST, sender=founder)


# --- signed ballots -------------------------------------------------------------------------


def _ballot(charter, pid, support, voter):
    return sign_ballot(voter, charter.ballot_digest(pid, support, voter))


def test_cast_vote_by_sig__relayed_ballot_counts(polity, founder, member, stranger, enact):
    pid = polity.propose(founder, enact)
    sig = _ballot(polity.charter, pid, FOR, member)
    receipt = polity.charter.cast_vote_by_sig(pid, FOR, member, sig, sender=stranger)
    assert event_args(receipt, "VoteCast")[0]["voter"] == member.address
    assert polity.charter.proposal(pid).for_votes == 1


def test_cast_vote_by_sig__invalid_signature_reverts(polity, founder, member, stranger, enact):
    pid = polity.propose(founder, enact)
    sig = _ballot(polity.charter, pid, FOR, member)
    with ape.reverts("charter: invalid signature"):  # a changed vote
        polity.charter.cast_vote_by_sig(pid, AGAINST, member, sig, sender=stranger)
    with ape.reverts("charter: invalid signature"):  # garbage
        polity.charter.cast_vote_by_sig(pid, FOR, member, b"\x01" * 65, sender=stranger)
    with ape.reverts("charter: invalid signature"):  # the 64-byte form is not accepted
        polity.charter.cast_vote_by_sig(pid, FOR, member, sig[:64], sender=stranger)


def test_cast_vote_by_sig__replayed_ballot_reverts(polity, founder, member, stranger, enact):
    pid = polity.propose(founder, enact)
    sig = _ballot(polity.charter, pid, FOR, member)
    polity.charter.cast_vote_by_sig(pid, FOR, member, sig, sender=stranger)
    with ape.reverts("charter: already voted"):
        polity.charter.cast_vote_by_sig(pid, FOR, member, sig, sender=stranger)


def test_cast_votes_by_sig__skips_and_reports(polity, founders, stranger, enact):
    pid = polity.propose(founders[0], enact)
    good = (pid, FOR, founders[1].address, _ballot(polity.charter, pid, FOR, founders[1]))
    bad = (pid, FOR, founders[2].address, b"\x02" * 65)
    unknown = (99, FOR, founders[0].address, _ballot(polity.charter, 99, FOR, founders[0]))
    receipt = polity.charter.cast_votes_by_sig([good, bad, unknown, good], False, sender=stranger)
    assert event_names(receipt) == ["VoteCast", "BallotSkipped", "BallotSkipped", "BallotSkipped"]
    assert [e["reason"] for e in event_args(receipt, "BallotSkipped")] == [1, 3, 8]
    assert polity.charter.proposal(pid).for_votes == 1


def test_cast_votes_by_sig__all_or_nothing_reverts_with_reason(polity, founders, stranger, enact):
    pid = polity.propose(founders[0], enact)
    good = (pid, FOR, founders[1].address, _ballot(polity.charter, pid, FOR, founders[1]))
    bad = (pid, FOR, founders[2].address, b"\x02" * 65)
    with ape.reverts("charter: invalid signature"):
        polity.charter.cast_votes_by_sig([good, bad], True, sender=stranger)
    with ape.reverts("charter: already voted"):
        polity.charter.cast_votes_by_sig([good, good], True, sender=stranger)
    assert polity.charter.proposal(pid).for_votes == 0
    polity.charter.cast_votes_by_sig([good], True, sender=stranger)
    assert polity.charter.proposal(pid).for_votes == 1


# --- cancel ---------------------------------------------------------------------------------


def test_cancel__by_proposer_before_votes(polity, founder, enact):
    pid = polity.propose(founder, enact)
    receipt = polity.charter.cancel(pid, sender=founder)
    assert event_args(receipt, "ProposalCanceled") == [{"proposalId": pid}]
    assert polity.charter.state(pid) == CANCELED
    assert polity.charter.proposal(pid).canceled


def test_cancel__unknown_proposal_reverts(polity, founder):
    with ape.reverts("charter: unknown proposal"):
        polity.charter.cancel(7, sender=founder)


def test_cancel__by_someone_else_reverts(polity, founder, member, enact):
    pid = polity.propose(founder, enact)
    with ape.reverts("charter: not the proposer"):
        polity.charter.cancel(pid, sender=member)


def test_cancel__after_a_vote_reverts(polity, founder, member, enact):
    pid = polity.propose(founder, enact)
    polity.charter.cast_vote(pid, AGAINST, sender=member)
    with ape.reverts("charter: votes already cast"):
        polity.charter.cancel(pid, sender=founder)


def test_cancel__twice_or_after_voting_reverts(polity, founder, enact):
    pid = polity.propose(founder, enact)
    polity.charter.cancel(pid, sender=founder)
    with ape.reverts("charter: proposal not active"):
        polity.charter.cancel(pid, sender=founder)
    pid = polity.propose(founder, enact)
    polity.end_voting(pid)
    with ape.reverts("charter: proposal not active"):
        polity.charter.cancel(pid, sender=founder)


# --- execute --------------------------------------------------------------------------------


def test_execute__runs_actions_once_and_emits(polity, founders, stranger, enact, chain):
    pid = polity.passed(enact)
    chain.mine()  # views read the latest block
    assert polity.charter.state(pid) == SUCCEEDED
    receipt = polity.execute(pid, enact, sender=stranger)
    assert event_names(receipt) == ["ClauseEnacted", "ProposalExecuted"]
    assert event_args(receipt, "ProposalExecuted") == [{"proposalId": pid}]
    assert polity.charter.state(pid) == EXECUTED
    assert polity.book.clause(1).in_force
    with ape.reverts("charter: proposal already executed"):
        polity.execute(pid, enact, sender=stranger)


def test_execute__unknown_proposal_reverts(polity, enact):
    with ape.reverts("charter: unknown proposal"):
        polity.execute(5, enact)


def test_execute__while_voting_reverts(polity, founders, enact):
    pid = polity.propose(founders[0], enact)
    polity.vote(pid, founders)
    with ape.reverts("charter: voting not over"):
        polity.execute(pid, enact)


def test_execute__canceled_reverts(polity, founder, enact):
    pid = polity.propose(founder, enact)
    polity.charter.cancel(pid, sender=founder)
    polity.end_voting(pid)
    with ape.reverts("charter: proposal canceled"):
        polity.execute(pid, enact)


def test_execute__defeated_reverts(polity, founders, enact, chain):
    pid = polity.propose(founders[0], enact)
    polity.vote(pid, founders, AGAINST)
    polity.end_voting(pid)
    with ape.reverts("charter: proposal defeated"):
        polity.execute(pid, enact)
    chain.mine()
    assert polity.charter.state(pid) == DEFEATED


def test_execute__after_window_reverts(polity, enact, chain):
    pid = polity.passed(enact)
    chain.pending_timestamp = polity.charter.proposal(pid).execution_deadline
    with ape.reverts("charter: execution window closed"):
        polity.execute(pid, enact)


def test_execute__other_actions_revert(polity, enact):
    pid = polity.passed(enact)
    other = [polity.book_call("enact_clause", doc("other rule"), 2)]
    with ape.reverts("charter: actions do not match"):
        polity.execute(pid, other)
    with ape.reverts("charter: actions do not match"):
        polity.execute(pid, [Action(enact[0].target, enact[0].calldata, 1)])


def test_execute__target_without_code_reverts(polity, stranger):
    actions = [Action(stranger.address, bytes.fromhex("12345678"))]
    pid = polity.passed(actions)
    with ape.reverts("charter: target has no code"):
        polity.execute(pid, actions)


def test_execute__insufficient_balance_reverts(polity, stranger, founder):
    actions = [Action(stranger.address, b"", 10**18)]
    pid = polity.passed(actions)
    with ape.reverts("charter: insufficient balance"):
        polity.execute(pid, actions)
    # The ETH can come with the execution itself.
    before = stranger.balance
    polity.charter.execute(pid, *columns(actions), sender=founder, value=10**18)
    assert stranger.balance == before + 10**18


def test_execute__pays_from_the_charter_balance(polity, founder, stranger):
    founder.transfer(polity.charter.address, 5 * 10**17)
    actions = [Action(stranger.address, b"", 5 * 10**17)]
    before = stranger.balance
    polity.run(actions)
    assert stranger.balance == before + 5 * 10**17
    assert polity.charter.balance == 0

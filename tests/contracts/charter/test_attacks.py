"""SECURITY.md attacks 1-9 against the charter: each test passes when the attack fails."""

from __future__ import annotations

import ape
import pytest

from tests.contracts.helpers import (
    AGAINST,
    DAY,
    DEFEATED,
    EXPIRED,
    FOR,
    SUCCEEDED,
    Action,
    columns,
    doc,
    event_args,
    helper,
    params,
)


@pytest.fixture
def attacker(polity, accounts):
    """A contract that joins the (open) charter and tries to rush it."""
    return accounts[5].deploy(helper("FastPath"), polity.charter.address)


def _enact(polity, label="rule"):
    return [polity.book_call("enact_clause", doc(label), 1)]


# --- 1. flash membership -----------------------------------------------------------------------


def test_flash_membership__join_and_vote_in_one_transaction_reverts(
    polity, founder, attacker, accounts
):
    pid = polity.propose(founder, _enact(polity))
    with ape.reverts("charter: joined after proposal"):
        attacker.join_and_vote(pid, sender=accounts[5])
    assert not polity.charter.is_member(attacker)


def test_flash_membership__joined_in_the_proposal_block_has_no_weight(
    polity, founder, attacker, accounts
):
    """The attacker joins, then proposes in the same block; even its own proposal excludes it."""
    attacker.join_and_propose(*columns(_enact(polity)), doc("why"), sender=accounts[5])
    pid = attacker.last_proposal()
    assert polity.charter.proposal(pid).proposer == attacker.address
    with ape.reverts("charter: joined after proposal"):
        attacker.vote(pid, FOR, sender=accounts[5])
    # Joining in a later block than the proposal: still no weight on it.
    polity.charter.join(sender=accounts[6])
    with ape.reverts("charter: joined after proposal"):
        polity.charter.cast_vote(pid, FOR, sender=accounts[6])
    assert polity.charter.proposal(pid).for_votes == 0


def test_flash_membership__delegation_after_the_snapshot_carries_nothing(
    polity, founders, newcomer
):
    polity.charter.join(sender=newcomer)
    pid = polity.propose(founders[0], _enact(polity))
    polity.charter.invoke_transaction("delegate", founders[1], sender=newcomer)
    polity.charter.invoke_transaction("delegate", founders[1], sender=founders[2])
    receipt = polity.charter.cast_vote(pid, FOR, sender=founders[1])
    assert event_args(receipt, "VoteCast")[0]["weight"] == 1


# --- 2. no fast path ---------------------------------------------------------------------------


@pytest.mark.parametrize("voting_period", [1, 7 * DAY])
def test_no_fast_path__propose_vote_execute_in_one_block_reverts(
    make_polity, founder, accounts, voting_period
):
    polity = make_polity(founders_=[founder], voting_period=voting_period)
    attacker = accounts[5].deploy(helper("FastPath"), polity.charter.address)
    attacker.join(sender=accounts[5])
    actions = _enact(polity)
    with ape.reverts("charter: voting not over"):
        attacker.propose_vote_execute(*columns(actions), doc("why"), sender=accounts[5])
    if voting_period == 1:
        return  # the next block is already past a one-second vote
    # Even at 100% yes, voting and executing in one block is refused.
    attacker.propose(*columns(actions), doc("why"), sender=accounts[5])
    pid = attacker.last_proposal()
    polity.charter.cast_vote(pid, FOR, sender=founder)
    with ape.reverts("charter: voting not over"):
        attacker.vote_and_execute(pid, *columns(actions), sender=accounts[5])
    assert polity.book.clause_count() == 0


# --- 3. low-turnout takeover ------------------------------------------------------------------


@pytest.fixture
def ten(make_polity, accounts):
    """Ten founders, quorum 20% (two votes)."""
    return make_polity(founders_=[accounts[i] for i in range(10)])


def _decide(polity, actions, fors, againsts):
    voters = polity.founders
    pid = polity.propose(voters[0], actions)
    polity.vote(pid, voters[:fors], FOR)
    polity.vote(pid, voters[fors : fors + againsts], AGAINST)
    polity.end_voting(pid)
    return pid


def test_low_turnout_takeover__parameter_change_below_quorum_is_defeated(ten):
    actions = [ten.call("set_parameters", params(quorum_bps=0, voting_period=60))]
    assert ten.charter.proposal(ten.propose(ten.founders[0], actions)).bar == 2
    pid = _decide(ten, actions, 1, 0)
    with ape.reverts("charter: proposal defeated"):
        ten.execute(pid, actions)
    assert ten.charter.parameters() == params()


def test_low_turnout_takeover__above_quorum_still_needs_supermajority(ten):
    actions = [ten.call("set_parameters", params(quorum_bps=0))]
    pid = _decide(ten, actions, 3, 2)  # quorum met, 60% < 2/3
    with ape.reverts("charter: proposal defeated"):
        ten.execute(pid, actions)
    pid = _decide(ten, actions, 4, 2)  # 4/6 = 2/3
    ten.execute(pid, actions)
    assert ten.charter.parameters() == params(quorum_bps=0)


def test_low_turnout_takeover__majority_needs_quorum_and_more_for(ten):
    actions = _enact(ten)
    for fors, againsts in ((1, 0), (2, 2)):
        pid = _decide(ten, actions, fors, againsts)
        with ape.reverts("charter: proposal defeated"):
            ten.execute(pid, actions)
    pid = _decide(ten, actions, 2, 1)
    ten.execute(pid, actions)
    assert ten.book.clause_count() == 1


# --- 4. metamorphic target -------------------------------------------------------------------


@pytest.fixture
def create2(accounts, target):
    """A CREATE2 deployer of copies of a `Target`."""
    return accounts[7].deploy(helper("Create2Deployer"), target.address)


@pytest.mark.parametrize("with_calldata", [True, False])
def test_metamorphic_target__code_deployed_after_proposal_reverts(
    polity, create2, target, accounts, with_calldata
):
    salt = b"\x01" * 32
    address = create2.deploy.call(salt)  # where the copy will land; still empty
    assert len(ape.chain.provider.get_code(address)) == 0
    calldata = target.set_value.encode_input(42) if with_calldata else b""
    actions = [Action(address, calldata)]
    pid = polity.passed(actions)
    create2.deploy(salt, sender=accounts[7])  # code appears after the vote
    assert len(ape.chain.provider.get_code(address)) > 0
    with ape.reverts("charter: target code changed"):
        polity.execute(pid, actions)


def test_metamorphic_target__unchanged_code_executes(polity, target):
    actions = [Action(target.address, target.set_value.encode_input(42))]
    polity.run(actions)
    assert target.value() == 42


# --- 6. proposal copy ------------------------------------------------------------------------


def test_proposal_copy__copier_cannot_cancel_or_hijack(polity, founders):
    original, copier = founders[0], founders[1]
    actions = _enact(polity)
    pid = polity.propose(original, actions, doc("why"))
    copy = polity.propose(copier, actions, doc("why"))
    assert copy != pid
    assert polity.charter.proposal(copy).proposer == copier.address
    assert polity.charter.actions_hash(copy) == polity.charter.actions_hash(pid)
    with ape.reverts("charter: not the proposer"):
        polity.charter.cancel(pid, sender=copier)
    polity.charter.cancel(copy, sender=copier)
    polity.vote(pid, founders)
    with ape.reverts("charter: proposal not active"):
        polity.charter.cast_vote(copy, FOR, sender=founders[2])
    polity.end_voting(pid)
    with ape.reverts("charter: proposal canceled"):
        polity.execute(copy, actions)
    with ape.reverts("charter: actions do not match"):
        polity.execute(pid, _enact(polity, "hijacked"), sender=copier)
    polity.execute(pid, actions, sender=copier)
    assert polity.book.clause(1).document == doc("rule")


# --- 7. retroactive parameters -----------------------------------------------------------------


def test_retroactive_parameters__never_revive_or_kill(make_polity, accounts, chain):
    founders = [accounts[i] for i in range(5)]
    polity = make_polity(founders_=founders, quorum_bps=6_000)  # bar: 3 votes
    lower = [
        polity.call("set_parameters", params(quorum_bps=0, execution_window=DAY, voting_period=DAY))
    ]
    p_lower = polity.propose(founders[0], lower)
    polity.vote(p_lower, founders)
    victim = _enact(polity, "victim")
    p_victim = polity.propose(founders[0], victim)
    polity.vote(p_victim, founders[:2])  # below the bar of 3
    winner = _enact(polity, "winner")
    p_winner = polity.propose(founders[0], winner)
    polity.vote(p_winner, founders[:3])
    before = {p: polity.charter.proposal(p) for p in (p_victim, p_winner)}
    polity.end_voting(p_lower)
    polity.execute(p_lower, lower)
    assert polity.charter.parameters().quorum_bps == 0
    assert {p: polity.charter.proposal(p) for p in (p_victim, p_winner)} == before
    polity.end_voting(p_winner)
    with ape.reverts("charter: proposal defeated"):  # not revived by the lower quorum
        polity.execute(p_victim, victim)
    # Two days after voting ended: past the new one-day window, inside its own seven days.
    chain.pending_timestamp = before[p_winner].vote_end + 2 * DAY
    polity.execute(p_winner, winner)  # not killed by the shorter window
    assert polity.book.clause_count() == 1


def test_retroactive_parameters__raised_quorum_does_not_kill(polity, founders):
    p = polity.propose(founders[0], _enact(polity))
    polity.vote(p, founders[:1])  # bar 1 of 3
    polity.run([polity.call("set_parameters", params(quorum_bps=10_000))])
    polity.end_voting(p)
    polity.execute(p, _enact(polity))
    assert polity.charter.proposal(polity.propose(founders[0], _enact(polity))).bar == 3


# --- 8. broken action --------------------------------------------------------------------------


def _state_at(polity, pid, timestamp):
    """The proposal's state in a block mined at ``timestamp``."""
    ape.chain.mine(timestamp=timestamp)
    return polity.charter.state(pid)


@pytest.mark.parametrize("breakage", ["reverting", "missing function", "no code"])
def test_broken_action__whole_execution_reverts_then_expires(polity, target, stranger, breakage):
    broken = {
        "reverting": Action(target.address, target.fail.encode_input()),
        "missing function": Action(target.address, bytes.fromhex("deadbeef")),
        "no code": Action(stranger.address, bytes.fromhex("deadbeef")),
    }[breakage]
    reason = {"reverting": "target: failed", "no code": "charter: target has no code"}.get(breakage)
    actions = [
        Action(target.address, target.set_value.encode_input(7)),
        polity.book_call("enact_clause", doc("rule"), 1),
        broken,
    ]
    pid = polity.passed(actions)
    deadline = polity.charter.proposal(pid).execution_deadline
    # Right after voting and at the window's last second: the action's own failure (so the
    # proposal passed every state check: it is still SUCCEEDED), and nothing ran.
    for when in (ape.chain.pending_timestamp, deadline - 1):
        ape.chain.pending_timestamp = when
        with ape.reverts(reason) if reason else ape.reverts():
            polity.execute(pid, actions)
        assert target.value() == 0 and polity.book.clause_count() == 0
    assert _state_at(polity, pid, deadline) == EXPIRED
    with ape.reverts("charter: execution window closed"):
        polity.execute(pid, actions)


def test_broken_action__executable_once_fixed_within_the_window(polity, target, founder):
    """An unfunded payment fails; funded before the window ends, the same proposal runs."""
    actions = [Action(target.address, target.set_value.encode_input(9), 10**18)]
    pid = polity.passed(actions)
    with ape.reverts("charter: insufficient balance"):
        polity.execute(pid, actions)
    founder.transfer(polity.charter.address, 10**18)
    ape.chain.pending_timestamp = polity.charter.proposal(pid).execution_deadline - 1
    polity.execute(pid, actions)
    assert target.value() == 9 and target.balance == 10**18


# --- 9. unexecuted success ------------------------------------------------------------------------


def test_unexecuted_success__expires_at_window_end(polity):
    actions = _enact(polity)
    pid = polity.passed(actions)
    deadline = polity.charter.proposal(pid).execution_deadline
    assert _state_at(polity, pid, deadline - 1) == SUCCEEDED
    assert _state_at(polity, pid, deadline) == EXPIRED
    with ape.reverts("charter: execution window closed"):
        polity.execute(pid, actions)
    assert _state_at(polity, pid, deadline + DAY) == EXPIRED
    assert polity.charter.state(pid) != DEFEATED

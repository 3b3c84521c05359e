"""The SDK's charter API, in-process and against a real anvil node."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from eth_account.signers.local import LocalAccount
from panarchy import Admission, Chain, Charter, Parameters, ProposalState, Stakes, Support, errors
from panarchy.documents import DocumentStore

from tests.sdk.conftest import CYCLE, DAY, VOTING, cid_of


def pass_proposal(
    chain: Chain, charter: Charter, store: DocumentStore, actions: list, voters: list[LocalAccount]
) -> int:
    """Propose, have every voter vote for, wait out the vote, execute; return the id."""
    title = f"proposal of {len(actions)} action(s): {actions[0].summary[:80]}"
    made = charter.propose(voters[0], actions, cid_of(store, title, "proposal"))
    for voter in voters:
        charter.vote(voter, made.id, Support.FOR)
    chain.advance(VOTING)
    charter.execute(voters[-1], made.id)
    return made.id


def test_found__reads_back_what_was_founded(make_charter, founders, store):
    charter = make_charter(voting_period=timedelta(days=3), quorum=Decimal("0.5"))
    assert charter.name == "Test Commons"
    assert charter.concord_cid == cid_of(store, "concord", "concord")
    assert charter.member_count == 3
    assert charter.members() == [f.address for f in founders]
    params = charter.parameters
    assert params.voting_period == timedelta(days=3)
    assert params.quorum == Decimal("0.5")
    assert params.supermajority == Fraction(2, 3)
    assert params.revision_period == CYCLE
    assert charter.current_cycle == 0


def test_found__bad_parameters_refused_by_the_contract_before_sending(
    chain, factory, founders, store
):
    nonce = chain.w3.eth.get_transaction_count(founders[0].address)

    def found(**kwargs):
        kwargs.setdefault("founders", [founders[0].address])
        return Charter.found(chain, founders[0], factory=factory, name=kwargs.pop("name", "X"),
                             concord_cid=cid_of(store, "c"), **kwargs)  # fmt: skip

    # The contract's own reasons, from the gas estimate: nothing is sent.
    with pytest.raises(errors.InvalidParameter, match="charter: zero voting period"):
        found(parameters=Parameters(voting_period=timedelta(0)))
    with pytest.raises(errors.InvalidParameter, match="charter: quorum over 100%"):
        found(parameters=Parameters(quorum=Decimal("1.01")))
    with pytest.raises(errors.InvalidParameter, match="clauses: rule too large"):
        found(parameters=Parameters(max_term_cycles=256))
    with pytest.raises(errors.InvalidParameter, match="charter: no founders"):
        found(founders=[])
    with pytest.raises(errors.InvalidParameter, match="charter: empty name"):
        found(name="")
    with pytest.raises(errors.AlreadyAMember, match="charter: already a member"):
        found(founders=[founders[1].address, founders[1].address])
    assert chain.w3.eth.get_transaction_count(founders[0].address) == nonce


def test_parameters__only_encoding_bounds_are_checked_locally():
    # What the ABI cannot carry is refused before any call; the rest is the contract's word.
    assert Parameters(quorum=Decimal("1.01")).to_chain()[2] == 10_100
    assert Parameters(max_term_cycles=256).rules_to_chain()[1] == 256
    with pytest.raises(errors.InvalidParameter, match="voting_period = -60 cannot be encoded"):
        Parameters(voting_period=timedelta(minutes=-1)).to_chain()
    with pytest.raises(errors.InvalidParameter, match="cannot be encoded") as refused:
        Parameters(revision_quota=2**256).rules_to_chain()
    assert refused.value.reason == ""  # not a contract reason: the SDK's own bound


def test_join_and_leave__update_members(make_charter, founders, newcomer):
    charter = make_charter()
    charter.join(newcomer)
    assert charter.is_member(newcomer.address)
    assert charter.members()[-1] == newcomer.address
    charter.leave(founders[1])
    assert charter.member_count == 3
    assert founders[1].address not in charter.members()
    with pytest.raises(errors.NotAMember, match="charter: not a member"):
        charter.leave(founders[1])


def test_reads__event_histories_go_through_the_chains_choke_point(
    chain, make_charter, founders, monkeypatch
):
    """Members, delegations and role histories are read from events through
    ``Chain.logs``: a node that stops answering is the SDK's one-line ChainUnavailable,
    not a raw transport error."""
    charter = make_charter()
    assert charter.members() == [f.address for f in founders]

    def gone(*args, **kwargs):
        raise ConnectionError("connection refused")

    monkeypatch.setattr(chain.w3.eth, "get_logs", gone)
    for read in (charter.members, charter.delegations, charter.roles.history):
        with pytest.raises(errors.ChainUnavailable, match="the node did not answer"):
            read()


def test_join__twice_is_refused_by_the_contract(chain, make_charter, newcomer):
    charter = make_charter()
    charter.join(newcomer)
    with pytest.raises(errors.AlreadyAMember):
        charter.join(newcomer)
    # Through the SDK or sent raw, the contract's revert becomes the same typed exception,
    # with the node's error kept as the cause.
    with pytest.raises(errors.AlreadyAMember) as refused:
        chain.transact(newcomer, charter.contract.functions.join())
    assert refused.value.reason == "charter: already a member"
    assert refused.value.__cause__ is not None
    assert isinstance(refused.value, ValueError)


def test_propose_vote_execute__enacts_a_clause_in_force(chain, make_charter, founders, store):
    charter = make_charter()
    text = cid_of(store, "quiet hours")
    made = charter.propose(
        founders[0], [charter.actions.enact_clause(text, 2)], cid_of(store, "p1", "proposal")
    )
    assert made.state == ProposalState.ACTIVE
    assert made.stakes == Stakes.MAJORITY
    assert made.quorum_votes == 1  # 20% of 3 members, rounded up
    assert made.actions[0].summary == f"enact a clause from {text} for 2 revision cycles"
    charter.vote(founders[0], made.id, Support.FOR)
    charter.vote(founders[1], made.id, Support.AGAINST)
    charter.vote(founders[2], made.id, Support.FOR)
    with pytest.raises(errors.VotingNotOver):
        charter.execute(founders[0], made.id)
    chain.advance(VOTING)
    after = charter.proposal(made.id)
    assert (after.for_votes, after.against_votes, after.state) == (2, 1, ProposalState.SUCCEEDED)
    charter.execute(founders[1], made.id)
    assert charter.proposal(made.id).state == ProposalState.EXECUTED
    (clause,) = charter.clauses_in_force()
    assert clause.cid == text and clause.version == 1
    assert CYCLE * 2 - DAY < clause.time_left <= CYCLE * 2
    with pytest.raises(errors.AlreadyExecuted):
        charter.execute(founders[1], made.id)


def test_vote__refusals_are_typed(chain, make_charter, founders, newcomer, stranger, store):
    charter = make_charter()
    made = charter.propose(
        founders[0], [charter.actions.enact_clause(cid_of(store, "x"), 1)], cid_of(store, "p")
    )
    with pytest.raises(errors.NotAMember):
        charter.vote(stranger, made.id, Support.FOR)
    charter.join(newcomer)
    with pytest.raises(errors.NotEligible, match="charter: joined after proposal"):
        charter.vote(newcomer, made.id, Support.FOR)
    charter.vote(founders[0], made.id, Support.FOR)
    with pytest.raises(errors.AlreadyVoted):
        charter.vote(founders[0], made.id, Support.AGAINST)
    with pytest.raises(errors.UnknownProposal):
        charter.vote(founders[0], 999, Support.FOR)
    chain.advance(VOTING)
    with pytest.raises(errors.VotingClosed):
        charter.vote(founders[1], made.id, Support.FOR)


def test_execute__after_the_window_the_proposal_expired(chain, make_charter, founders, store):
    charter = make_charter()
    made = charter.propose(
        founders[0], [charter.actions.enact_clause(cid_of(store, "y"), 1)], cid_of(store, "p")
    )
    charter.vote(founders[0], made.id, Support.FOR)
    chain.advance(VOTING + charter.parameters.execution_window)
    assert charter.proposal(made.id).state == ProposalState.EXPIRED
    with pytest.raises(errors.ExecutionWindowClosed):
        charter.execute(founders[0], made.id)


def test_cancel__only_the_proposer_and_only_before_votes(make_charter, founders, store):
    charter = make_charter()
    action = [charter.actions.enact_clause(cid_of(store, "z"), 1)]
    first = charter.propose(founders[0], action, cid_of(store, "p"))
    with pytest.raises(errors.NotProposer):
        charter.cancel(founders[1], first.id)
    charter.cancel(founders[0], first.id)
    assert charter.proposal(first.id).state == ProposalState.CANCELED
    second = charter.propose(founders[0], action, cid_of(store, "p"))
    charter.vote(founders[1], second.id, Support.FOR)
    with pytest.raises(errors.VotesAlreadyCast):
        charter.cancel(founders[0], second.id)


def test_clauses__lapse_renew_amend_repeal_and_report(chain, make_charter, founders, store):
    charter = make_charter(max_renewals=1)
    a, b, c = (cid_of(store, name) for name in ("a", "b", "c"))
    pass_proposal(
        chain, charter, store,
        [charter.actions.enact_clause(a, 1), charter.actions.enact_clause(b, 2),
         charter.actions.enact_clause(c, 2)],
        founders,
    )  # fmt: skip
    c2 = cid_of(store, "c, amended")
    renew_amend = [charter.actions.renew_clause(2, 2), charter.actions.amend_clause(3, c2, 2)]
    made = charter.propose(founders[0], renew_amend, cid_of(store, "p2"))
    assert made.stakes == Stakes.MAJORITY  # renew alone is CONSENT; amend lifts it
    for voter in founders:
        charter.vote(voter, made.id, Support.FOR)
    chain.advance(VOTING)
    charter.execute(founders[0], made.id)
    chain.advance(CYCLE - VOTING)
    clauses = {cl.id: cl for cl in charter.clauses()}
    assert not clauses[1].in_force and not clauses[1].repealed  # lapsed on its own
    assert clauses[2].renewals == 1 and clauses[2].in_force
    assert clauses[3].version == 2 and clauses[3].cid == c2
    assert [cl.id for cl in charter.clauses_in_force()] == [2, 3]
    report = charter.revision_report(0)
    assert (report.revisions, report.quota, report.met) == (4, 1, True)
    assert charter.revision_report().cycle == 1 and not charter.revision_report().met
    # A second unchanged renewal exceeds max_renewals: the revert inside execute
    # comes back as its typed exception.
    again = charter.propose(founders[0], [charter.actions.renew_clause(2, 1)], cid_of(store, "p3"))
    assert again.stakes == Stakes.CONSENT
    chain.advance(VOTING)
    with pytest.raises(errors.RenewalLimitReached, match="clauses: renewal limit reached"):
        charter.execute(founders[0], again.id)
    # A lapsed clause is not silently resurrected.
    late = charter.propose(founders[0], [charter.actions.repeal_clause(1)], cid_of(store, "p4"))
    for voter in founders:
        charter.vote(voter, late.id, Support.FOR)
    chain.advance(VOTING)
    with pytest.raises(errors.ClauseNotInForce):
        charter.execute(founders[0], late.id)


def test_admission_by_vote_and_by_sponsorship(chain, make_charter, founders, accounts, store):
    by_vote = make_charter(admission=Admission.BY_VOTE)
    applicant, sponsored = accounts[4], accounts[5]
    with pytest.raises(errors.InvitationRequired):
        by_vote.join(applicant)
    pass_proposal(chain, by_vote, store, [by_vote.actions.admit(applicant.address)], founders)
    by_vote.join(applicant)
    assert by_vote.is_member(applicant.address)
    with pytest.raises(errors.SponsorshipNotAllowed):
        by_vote.sponsor(founders[0], sponsored.address)

    by_sponsor = make_charter(admission=Admission.BY_SPONSORSHIP)
    by_sponsor.sponsor(founders[1], sponsored.address)
    by_sponsor.join(sponsored)
    assert by_sponsor.member_count == 4


def test_stakes__parameters_need_a_supermajority(chain, make_charter, founders, accounts, store):
    charter = make_charter()
    charter.join(accounts[4])
    faster = Parameters(voting_period=timedelta(days=2))
    made = charter.propose(
        founders[0], charter.actions.set_parameters(faster), cid_of(store, "faster votes")
    )
    assert made.stakes == Stakes.SUPERMAJORITY
    for voter, support in zip([*founders, accounts[4]], [1, 1, 0, 0], strict=True):
        charter.vote(voter, made.id, Support(support))
    chain.advance(VOTING)
    assert charter.proposal(made.id).state == ProposalState.DEFEATED  # 2 of 4 is not 2/3
    with pytest.raises(errors.ProposalDefeated):
        charter.execute(founders[0], made.id)
    with pytest.raises(errors.OnlyByProposal):
        chain.transact(founders[0], charter.contract.functions.set_parameters(faster.to_chain()))

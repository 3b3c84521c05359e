"""The contract is the only judge: simulations and refused writes, in-process and on anvil."""

from __future__ import annotations

from enum import IntEnum

import pytest
from eth_account.signers.local import LocalAccount
from panarchy import Chain, Charter, ProposalState, Stakes, Support, errors
from panarchy.chain import Simulation
from panarchy.charter.types import Admission, SkipReason

from tests.sdk.conftest import VOTING, cid_of


def nonce(chain: Chain, account: LocalAccount) -> int:
    return chain.w3.eth.get_transaction_count(account.address)


def open_proposal(charter: Charter, proposer: LocalAccount, store) -> int:
    action = charter.actions.enact_clause(cid_of(store, f"a clause of {charter.address}"), 1)
    return charter.propose(proposer, [action], cid_of(store, "a proposal", "proposal")).id


def test_simulate__a_vote_that_would_pass_changes_nothing(chain, make_charter, founders, store):
    charter = make_charter()
    pid = open_proposal(charter, founders[0], store)
    before = nonce(chain, founders[1])
    sim = charter.simulate.vote(founders[1], pid, Support.FOR)
    assert isinstance(sim, Simulation)
    assert sim.result == 1  # the weight: one voice, none carried
    assert 21_000 < sim.gas < 500_000
    # An address is enough: nothing is signed.
    assert charter.simulate.vote(founders[1].address, pid, Support.AGAINST).result == 1
    assert nonce(chain, founders[1]) == before
    assert not charter.has_voted(pid, founders[1].address)
    assert charter.proposal(pid).turnout == 0
    charter.vote(founders[1], pid, Support.FOR)
    assert charter.proposal(pid).for_votes == 1


def test_simulate__refusals_are_the_contracts_typed_reasons(
    chain, make_charter, founders, stranger, store
):
    charter = make_charter()
    a, b, _ = founders
    pid = open_proposal(charter, a, store)
    charter.vote(a, pid, Support.FOR)
    refusals = [
        (lambda: charter.simulate.join(a), errors.AlreadyAMember, "charter: already a member"),
        (lambda: charter.simulate.leave(stranger), errors.NotAMember, "charter: not a member"),
        (lambda: charter.simulate.delegate(a, a.address), errors.DelegationError,
         "charter: cannot delegate to self"),
        (lambda: charter.simulate.undelegate(a), errors.DelegationError,
         "charter: delegate unchanged"),
        (lambda: charter.simulate.sponsor(a, stranger.address), errors.SponsorshipNotAllowed,
         "charter: sponsorship not allowed"),
        (lambda: charter.simulate.propose(a, [], cid_of(store, "p", "proposal")),
         errors.InvalidActions, "charter: no actions"),
        (lambda: charter.simulate.vote(a, pid, Support.AGAINST), errors.AlreadyVoted,
         "charter: already voted"),
        (lambda: charter.simulate.vote(b, 999, Support.FOR), errors.UnknownProposal,
         "charter: unknown proposal"),
        (lambda: charter.simulate.cancel(b, pid), errors.NotProposer,
         "charter: not the proposer"),
        (lambda: charter.simulate.execute(b, pid), errors.VotingNotOver,
         "charter: voting not over"),
        (lambda: charter.simulate.execute(b, 999), errors.UnknownProposal,
         "charter: unknown proposal"),
    ]  # fmt: skip
    for attempt, kind, reason in refusals:
        with pytest.raises(kind) as refused:
            attempt()
        assert refused.value.reason == reason
        assert refused.value.__cause__ is not None  # the node's own error, kept


def test_simulate__propose_and_execute_say_what_they_would_do(chain, make_charter, founders, store):
    charter = make_charter()
    action = charter.actions.enact_clause(cid_of(store, "quiet hours"), 2)
    description = cid_of(store, "quiet hours, please", "proposal")
    sim = charter.simulate.propose(founders[0], [action], description)
    assert sim.result == 1  # the id it would get
    assert charter.proposals() == []
    made = charter.propose(founders[0], [action], description)
    assert made.id == sim.result
    for voter in founders:
        charter.vote(voter, made.id, Support.FOR)
    chain.advance(VOTING)
    assert charter.simulate.execute(founders[2], made.id).gas > 21_000
    assert charter.clauses() == []
    charter.execute(founders[2], made.id)
    assert len(charter.clauses_in_force()) == 1
    with pytest.raises(errors.AlreadyExecuted):
        charter.simulate.execute(founders[2], made.id)


def test_simulate_as__a_charter_without_eth_calls_its_books(chain, make_charter, stranger):
    """An action runs as the charter when its proposal executes; simulated as the charter
    (which holds no ETH and signs nothing), the book's answer, and nothing changes."""
    charter = make_charter()
    book = charter.roles.contract
    rid = b"mediator".ljust(32, b"\0")
    define = bytes.fromhex(
        book.functions.define_role(rid, 86_400, 2)._encode_transaction_data()[2:]
    )
    assert chain.w3.eth.get_balance(charter.address) == 0
    sim = chain.simulate_as(charter.address, book.address, define)
    assert sim.result == b"" and 21_000 < sim.gas < 500_000
    with pytest.raises(errors.RoleBookOnlyByProposal, match="roles: only by the charter"):
        chain.simulate_as(stranger.address, book.address, define)
    age = book.functions.set_min_volunteer_age(rid, 2**32)._encode_transaction_data()
    with pytest.raises(errors.UnknownRole, match="roles: unknown role"):
        chain.simulate_as(charter.address, book.address, bytes.fromhex(age[2:]))
    # Earlier calls of the same simulation (a proposal's earlier actions) are seen.
    with pytest.raises(errors.InvalidRoleTerms, match="roles: volunteer age too long"):
        chain.simulate_as(
            charter.address, book.address, bytes.fromhex(age[2:]), prior=[(book.address, define, 0)]
        )
    # A value the sender does not hold is lent for the simulation only.
    assert chain.simulate_as(charter.address, stranger.address, value=10**18).gas == 21_000
    assert chain.w3.eth.get_balance(charter.address) == 0
    assert charter.roles.terms("mediator") is None


def test_simulate__found_and_relayed_ballots(chain, factory, founders, store, make_charter):
    concord = cid_of(store, "concord", "concord")
    members = [f.address for f in founders]
    sim = Charter.simulate_found(chain, founders[0], factory=factory, name="Dry",
                                 concord_cid=concord, founders=members)  # fmt: skip
    founded = Charter.found(chain, founders[0], factory=factory, name="Dry",
                            concord_cid=concord, founders=members)  # fmt: skip
    assert founded.address == sim.result  # the address the simulation foresaw
    pid = open_proposal(founded, founders[0], store)
    ballots = [founded.sign_ballot(f, pid, Support.FOR) for f in founders[1:]]
    assert founded.simulate.relay(founders[0], ballots[0]).result == 1
    assert founded.simulate.relay_batch(founders[0], ballots).result == 2
    assert founded.proposal(pid).turnout == 0
    result = founded.relay_batch(founders[0], ballots)
    assert len(result.counted) == 2
    with pytest.raises(errors.AlreadyVoted):
        founded.simulate.relay(founders[0], ballots[0])
    again = founded.relay_batch(founders[0], ballots)
    assert {r for *_, r in again.skipped} == {SkipReason.ALREADY_VOTED}


def test_refused_writes__send_nothing(chain, make_charter, founders, stranger, store):
    charter = make_charter()
    a, b, _ = founders
    pid = open_proposal(charter, a, store)
    charter.vote(a, pid, Support.FOR)
    before = (nonce(chain, a), nonce(chain, b), nonce(chain, stranger))
    block = chain.w3.eth.block_number
    with pytest.raises(errors.AlreadyVoted):
        charter.vote(a, pid, Support.FOR)
    with pytest.raises(errors.NotProposer):
        charter.cancel(b, pid)
    with pytest.raises(errors.VotesAlreadyCast):
        charter.cancel(a, pid)
    with pytest.raises(errors.VotingNotOver):
        charter.execute(b, pid)
    with pytest.raises(errors.DelegationError):
        charter.delegate(b, stranger.address)
    with pytest.raises(errors.NotAMember):
        charter.propose(stranger, [charter.actions.repeal_clause(1)], cid_of(store, "p"))
    assert (nonce(chain, a), nonce(chain, b), nonce(chain, stranger)) == before
    assert chain.w3.eth.block_number == block


def test_vote__a_non_member_on_a_closed_proposal_hears_voting_closed(
    chain, make_charter, founders, stranger, store
):
    # The contract's order of checks, not one the SDK made up (it used to say NotAMember).
    charter = make_charter()
    pid = open_proposal(charter, founders[0], store)
    with pytest.raises(errors.NotAMember):
        charter.vote(stranger, pid, Support.FOR)
    chain.advance(VOTING)
    with pytest.raises(errors.VotingClosed, match="charter: voting closed"):
        charter.vote(stranger, pid, Support.FOR)
    with pytest.raises(errors.VotingClosed):
        charter.simulate.vote(stranger, pid, Support.FOR)


def test_vote__an_invalid_vote_type_is_the_contracts_refusal(chain, make_charter, founders, store):
    charter = make_charter()
    pid = open_proposal(charter, founders[0], store)
    before = nonce(chain, founders[1])
    with pytest.raises(errors.InvalidVote) as refused:
        charter.vote(founders[1], pid, 3)
    assert refused.value.reason == "charter: invalid vote type"  # the chain said it
    assert refused.value.__cause__ is not None
    # What a uint8 cannot hold never reaches the chain: a typed error, not a bare ValueError.
    for unencodable in (256, -1):
        with pytest.raises(errors.InvalidVote, match="a vote is a uint8") as local:
            charter.vote(founders[1], pid, unencodable)
        assert local.value.reason == ""
    # A ballot document names its vote: only against, for and abstain can be signed.
    with pytest.raises(errors.InvalidVote, match="a ballot names its vote"):
        charter.sign_ballot(founders[1], pid, 3)
    assert nonce(chain, founders[1]) == before


def test_charter__on_an_address_that_is_not_a_charter(chain, make_charter, stranger):
    with pytest.raises(errors.ConfigurationError, match="no contract at") as nothing:
        Charter(chain, stranger.address)
    assert "check the charter address" in str(nothing.value)
    book = make_charter().book.address  # code, but not a charter's
    with pytest.raises(errors.ConfigurationError, match="is not a charter") as other:
        Charter(chain, book)
    assert "give the address of a charter" in str(other.value)
    assert isinstance(other.value.__cause__, errors.PanarchyError)


def test_enums__print_their_names(chain, make_charter, founders, store):
    charter = make_charter()
    pid = open_proposal(charter, founders[0], store)
    charter.vote(founders[1], pid, Support.AGAINST)
    chain.advance(VOTING)
    state = charter.proposal(pid).state
    assert state == ProposalState.DEFEATED == 3
    assert str(state) == "DEFEATED" and f"{state}" == "DEFEATED" and f"{state:>9}" == " DEFEATED"
    assert f"{state:d}" == "3" and int(state) == 3
    for enum in (ProposalState, Stakes, Support, SkipReason, Admission):
        assert issubclass(enum, IntEnum)
        assert [str(member) for member in enum] == [member.name for member in enum]

"""Issue 11 against the charter: each attack an outside review made work, tried again.

Each test passes when the attack fails: a gas-burning wallet sinking a relayed batch (1),
a proxy upgraded after the vote (2), admission by silence (3), a voice counted above the
quorum base (6), and the smaller ones (9): a zero-address voter, value-carrying or
mis-aimed CONSENT actions, the charter as its own member, a proposer who left cancelling.
The member record's seat list (frozen rosters, the join counter) is tested here too.
"""

from __future__ import annotations

import ape
import pytest
import rlp
from eth_account import Account
from eth_utils import keccak, to_checksum_address

from tests.contracts.helpers import (
    AGAINST,
    BY_VOTE,
    CONSENT,
    DEFEATED,
    FOR,
    MAJORITY,
    ZERO,
    Action,
    Polity,
    columns,
    delegate,
    doc,
    event_args,
    helper,
    params,
)

#: contracts/modules/signed_ballots.vy
ERC1271_GAS_STIPEND = 60_000
#: The relayer's gas bound stated in docs/SPEC.md ("Signed ballots"): per ballot in a batch,
#: the stipend plus the charter's own work for a ballot that cannot count.
BALLOT_BOUND = ERC1271_GAS_STIPEND + 40_000
BATCH_BASE = 60_000

HONEST, BURN, REVERT, JUNK, FLIP = 0, 1, 2, 3, 4


# --- 1. a gas-burning ERC-1271 wallet ----------------------------------------------------------


@pytest.fixture
def crowd(system, accounts):
    """A charter of 64 founders: 48 keys of our own (never funded: their ballots are relayed)
    and 16 hostile contract wallets, four of each attacking mode, owned by keys of our own."""
    keys = [Account.from_key(keccak(text=f"voter {i}")) for i in range(48)]
    deployer = accounts[8]
    wallets, owners = [], []
    for i, mode in enumerate([BURN, REVERT, JUNK, FLIP] * 4):
        owner = Account.from_key(keccak(text=f"wallet owner {i}"))
        wallets.append(deployer.deploy(helper("HostileWallet"), owner.address, mode))
        owners.append(owner)
    honest_owner = Account.from_key(keccak(text="honest wallet owner"))
    honest = deployer.deploy(helper("HostileWallet"), honest_owner.address, HONEST)
    founders = [k.address for k in keys] + [w.address for w in wallets[:15]] + [honest.address]
    receipt = system.factory.create_charter(
        "Crowd", doc("concord"), founders, params(), (30 * 86400, 12, 3, 1), sender=deployer
    )
    created = event_args(receipt, "CharterCreated")[0]
    charter = ape.project.Charter.at(created["charter"])
    return charter, keys, wallets[:15], owners[:15], honest, honest_owner


def _ballot(charter, pid, signer, voter=None):
    """A FOR ballot signed by a key of ours (``signer``), for ``voter`` (default: itself)."""
    voter = voter or signer.address
    signed = Account.unsafe_sign_hash(bytes(charter.ballot_digest(pid, FOR, voter)), signer.key)
    signature = signed.r.to_bytes(32, "big") + signed.s.to_bytes(32, "big") + bytes([signed.v])
    return (pid, FOR, voter, signature)


def _two_proposals(charter, proposer):
    target = proposer.deploy(helper("Target"))
    pids = []
    for value in (1, 2):
        actions = [Action(target.address, target.set_value.encode_input(value))]
        receipt = charter.propose(*columns(actions), doc(f"p{value}"), sender=proposer)
        pids.append(event_args(receipt, "ProposalCreated")[0]["proposalId"])
    return pids


def test_gas_burning_wallet__batch_of_128_counts_every_honest_ballot(crowd, accounts):
    charter, keys, wallets, owners, honest, honest_owner = crowd
    relayer = accounts[7]
    # A founder who can send transactions proposes: make one of ours a member first.
    charter.join(sender=relayer)
    ape.chain.mine()
    pids = _two_proposals(charter, relayer)
    batch = []
    for pid in pids:
        hostile = [
            _ballot(charter, pid, o, w.address) for o, w in zip(owners, wallets, strict=True)
        ]
        honest_ballots = [_ballot(charter, pid, k) for k in keys]
        honest_ballots.append(_ballot(charter, pid, honest_owner, honest.address))
        # Burners first and last, the rest interleaved.
        batch += hostile[:8] + honest_ballots + hostile[8:]
    assert len(batch) == 128
    receipt = charter.cast_votes_by_sig(batch, False, sender=relayer, gas=30_000_000)
    skipped = event_args(receipt, "BallotSkipped")
    assert len(event_args(receipt, "VoteCast")) == 2 * 49
    assert len(skipped) == 2 * 15 and {s["reason"] for s in skipped} == {1}  # invalid signature
    assert {s["voter"] for s in skipped} == {w.address for w in wallets}
    for pid in pids:
        assert charter.proposal(pid).for_votes == 49
    assert receipt.gas_used <= BATCH_BASE + 128 * BALLOT_BOUND


def test_gas_burning_wallet__a_batch_of_burners_costs_at_most_the_stated_bound(crowd, accounts):
    charter, _keys, wallets, owners, _honest, _owner = crowd
    relayer = accounts[7]
    charter.join(sender=relayer)
    ape.chain.mine()
    burners = [(w, o) for w, o in zip(wallets, owners, strict=True) if w.mode() in (BURN, FLIP)]
    pids = _two_proposals(charter, relayer)
    more = _two_proposals(charter, relayer) + _two_proposals(charter, relayer)
    batch = [_ballot(charter, pid, o, w.address) for pid in pids + more for w, o in burners]
    assert len(burners) == 7 and len(batch) == 6 * 7
    receipt = charter.cast_votes_by_sig(batch, False, sender=relayer, gas=30_000_000)
    assert event_args(receipt, "VoteCast") == []
    assert len(event_args(receipt, "BallotSkipped")) == len(batch)
    # Each burner had the stipend, and no more: the whole batch stays under the bound.
    assert receipt.gas_used <= BATCH_BASE + len(batch) * BALLOT_BOUND
    assert receipt.gas_used >= len(batch) * ERC1271_GAS_STIPEND


def test_gas_burning_wallet__mode_flip_after_signing_only_skips_that_ballot(crowd, accounts):
    charter, keys, _wallets, _owners, honest, honest_owner = crowd
    relayer = accounts[7]
    charter.join(sender=relayer)
    ape.chain.mine()
    pid = _two_proposals(charter, relayer)[0]
    ballots = [_ballot(charter, pid, honest_owner, honest.address), _ballot(charter, pid, keys[0])]
    honest.set_mode(BURN, sender=relayer)  # flips between signing and relaying
    receipt = charter.cast_votes_by_sig(ballots, False, sender=relayer, gas=5_000_000)
    assert [v["voter"] for v in event_args(receipt, "VoteCast")] == [keys[0].address]
    assert [s["voter"] for s in event_args(receipt, "BallotSkipped")] == [honest.address]
    honest.set_mode(HONEST, sender=relayer)
    charter.cast_vote_by_sig(*ballots[0], sender=relayer)  # the same ballot, honest again
    assert charter.proposal(pid).for_votes == 2


def test_gas_burning_wallet__a_starved_check_reverts_instead_of_skipping(crowd, accounts):
    """A relayer cannot make an honest wallet's ballot fail by giving it too little gas."""
    charter, _keys, _wallets, _owners, honest, honest_owner = crowd
    relayer = accounts[7]
    charter.join(sender=relayer)
    ape.chain.mine()
    pid = _two_proposals(charter, relayer)[0]
    ballot = _ballot(charter, pid, honest_owner, honest.address)
    with ape.reverts("charter: gas below signature stipend"):
        charter.cast_votes_by_sig([ballot], False, sender=relayer, gas=85_000)
    assert not charter.has_voted(pid, honest.address)
    charter.cast_votes_by_sig([ballot], False, sender=relayer, gas=400_000)
    assert charter.has_voted(pid, honest.address)


# --- 2. a proxy upgraded after the vote --------------------------------------------------------


class _ProxiedStore:
    """The value a proxy keeps for StoreImpl (slot 3 of the proxy's own storage)."""

    def __init__(self, proxy):
        self.proxy = proxy

    def value(self) -> int:
        return int.from_bytes(ape.chain.provider.get_storage(self.proxy.address, 3), "big")


def _store_calls(polity, proxy, value):
    calldata = keccak(text="set_value(uint256)")[:4] + value.to_bytes(32, "big")
    return _ProxiedStore(proxy), [Action(proxy.address, calldata)]


def test_proxy_upgrade__after_the_vote_refuses_execution(polity, accounts):
    admin = accounts[6]
    good = admin.deploy(helper("StoreImpl"), 0)
    evil = admin.deploy(helper("StoreImpl"), 666)
    proxy = admin.deploy(helper("UpgradeableProxy"), good.address, ZERO)
    store, actions = _store_calls(polity, proxy, 42)
    pid = polity.passed(actions)
    proxy.upgrade_to(evil.address, sender=admin)
    with ape.reverts("charter: target code changed"):
        polity.execute(pid, actions)
    assert store.value() == 0
    proxy.upgrade_to(good.address, sender=admin)  # back as it was voted: executes
    polity.execute(pid, actions)
    assert store.value() == 42


def test_proxy_upgrade__behind_a_beacon_refuses_execution(polity, accounts):
    admin = accounts[6]
    good = admin.deploy(helper("StoreImpl"), 0)
    evil = admin.deploy(helper("StoreImpl"), 666)
    beacon = admin.deploy(helper("StoreImpl"), 0)  # a beacon: its `implementation` decides
    beacon.upgrade_to(good.address, sender=admin)
    proxy = admin.deploy(helper("UpgradeableProxy"), ZERO, beacon.address)
    store, actions = _store_calls(polity, proxy, 42)
    pid = polity.passed(actions)
    beacon.upgrade_to(evil.address, sender=admin)
    with ape.reverts("charter: target code changed"):
        polity.execute(pid, actions)
    assert store.value() == 0


def test_proxy_upgrade__unchanged_proxy_executes(polity, accounts):
    admin = accounts[6]
    good = admin.deploy(helper("StoreImpl"), 0)
    proxy = admin.deploy(helper("UpgradeableProxy"), good.address, ZERO)
    store, actions = _store_calls(polity, proxy, 42)
    polity.execute(polity.passed(actions), actions)
    assert store.value() == 42


# --- 3. admission by silence -------------------------------------------------------------------


def _ten_admits(polity):
    sybils = [Account.from_key(keccak(text=f"sybil {i}")).address for i in range(10)]
    return sybils, [polity.call("admit", s) for s in sybils]


def test_admission_by_silence__ten_admits_nobody_votes_are_defeated(make_polity, founders):
    polity = make_polity(admission=BY_VOTE)
    sybils, actions = _ten_admits(polity)
    pid = polity.propose(founders[0], actions)
    assert polity.charter.proposal(pid).level == MAJORITY
    polity.end_voting(pid)
    ape.chain.mine()
    assert polity.charter.state(pid) == DEFEATED
    with ape.reverts("charter: proposal defeated"):
        polity.execute(pid, actions)
    assert not any(polity.charter.is_invited(s) for s in sybils)
    assert polity.charter.member_count() == 3


def test_admission_by_silence__the_proposer_alone_is_below_quorum(make_polity, accounts):
    """At the default quorum (20%), one voice of ten cannot admit anyone."""
    founders = [accounts[i] for i in range(8)]
    polity = make_polity(founders_=founders, admission=BY_VOTE)  # quorum ceil(8 * 20%) = 2
    sybils, actions = _ten_admits(polity)
    pid = polity.propose(founders[0], actions)
    polity.vote(pid, [founders[0]], FOR)
    polity.end_voting(pid)
    ape.chain.mine()
    assert polity.charter.proposal(pid).bar == 2
    assert polity.charter.state(pid) == DEFEATED
    assert not any(polity.charter.is_invited(s) for s in sybils)


def test_admission_by_silence__consent_is_a_conscious_choice_by_supermajority(
    make_polity, founders
):
    """Lowering admission to CONSENT is a change of the stakes table: SUPERMAJORITY."""
    polity = make_polity(admission=BY_VOTE)
    admit = keccak(text="admit(address)")[:4]
    action = polity.call("set_stakes", polity.charter.address, admit, CONSENT)
    pid = polity.propose(founders[0], [action])
    assert polity.charter.proposal(pid).level == 3  # SUPERMAJORITY
    polity.vote(pid, [founders[0]], FOR)
    polity.vote(pid, founders[1:2], AGAINST)
    polity.end_voting(pid)
    ape.chain.mine()
    assert polity.charter.state(pid) == DEFEATED


# --- 6. a voice counted above the quorum base --------------------------------------------------


def test_tallies_above_quorum_base__delegator_leaving_in_the_proposal_block(system, accounts):
    """E carries A's voice; in one block A leaves, then P proposes. The quorum base is the
    member count at the same instant as the delegation snapshot (the end of the block before),
    so the voices counted never exceed it."""
    e = accounts[0]
    deployer = accounts[8]
    a = deployer.deploy(helper("Forwarder"))
    p = deployer.deploy(helper("Forwarder"))
    polity = Polity.found(system, [e, a, p], sender=e, parameters=params(quorum_bps=10_000))
    charter = polity.charter
    to_e = keccak(text="delegate(address)")[:4] + bytes(12) + bytes.fromhex(e.address[2:])
    a.forward(charter.address, to_e, sender=deployer)
    ape.chain.mine()
    target = deployer.deploy(helper("Target"))
    actions = [Action(target.address, target.set_value.encode_input(7))]
    propose = charter.propose.encode_input(*columns(actions), doc("why"))
    sequencer = deployer.deploy(helper("Forwarder"))
    sequencer.sequence(
        [a.address, p.address],
        [charter.address, charter.address],
        [charter.leave.encode_input(), propose],
        sender=deployer,
    )
    pid = charter.proposal_count()
    assert charter.member_count() == 2 and not charter.is_member(a)
    assert charter.proposal(pid).bar == 3  # 100% of the three members at the snapshot
    charter.cast_vote(pid, FOR, sender=e)  # E's voice and A's, carried at the snapshot
    p.forward(charter.address, charter.cast_vote.encode_input(pid, FOR), sender=deployer)
    proposal = charter.proposal(pid)
    counted = proposal.for_votes + proposal.against_votes + proposal.abstain_votes
    assert counted == 3 and counted <= proposal.bar


# --- 9. the smaller ones -----------------------------------------------------------------------


def test_zero_address_voter__zero_signature_never_validates(polity, stranger, founder):
    pid = polity.propose(founder, [polity.call("set_concord", doc("v2"))])
    zero_sig = b"\x00" * 65
    with ape.reverts("charter: invalid signature"):
        polity.charter.cast_vote_by_sig(pid, FOR, ZERO, zero_sig, sender=stranger)
    # An unrecoverable signature with v = 27 (ecrecover answers zero) fails too.
    with ape.reverts("charter: invalid signature"):
        polity.charter.cast_vote_by_sig(pid, FOR, ZERO, b"\x00" * 64 + b"\x1b", sender=stranger)
    receipt = polity.charter.cast_votes_by_sig([(pid, FOR, ZERO, zero_sig)], False, sender=stranger)
    assert [s["reason"] for s in event_args(receipt, "BallotSkipped")] == [1]


def test_value_carrying_consent_action__needs_majority(polity, founder):
    renew = polity.book_call("renew_clause", 1, 1)
    assert polity.charter.proposal(polity.propose(founder, [renew])).level == CONSENT
    paying = Action(renew.target, renew.calldata, value=1)
    assert polity.charter.proposal(polity.propose(founder, [paying])).level == MAJORITY


def test_consent_selector_aimed_at_another_charter_contract__needs_majority(polity, founder):
    renew = polity.book_call("renew_clause", 1, 1)
    for other in (polity.role_book.address, polity.charter.address):
        action = Action(other, renew.calldata)
        assert polity.charter.proposal(polity.propose(founder, [action])).level == MAJORITY


def test_charter_as_its_own_member__admit_and_join_revert(polity):
    admit = polity.call("admit", polity.charter.address)
    pid = polity.passed([admit])
    with ape.reverts("charter: cannot be its own member"):
        polity.execute(pid, [admit])
    # (`join` is not reentrant: a proposal cannot even call it.)
    assert not polity.charter.is_member(polity.charter)


def test_charter_as_its_own_founder__reverts(system, founders):
    factory = system.factory
    nonce = ape.chain.provider.get_nonce(factory.address)
    # The CREATE address of the factory's next contract: the charter.
    predicted = keccak(rlp.encode([bytes.fromhex(factory.address[2:]), nonce]))[12:]
    charter_address = to_checksum_address("0x" + predicted.hex())
    with ape.reverts("charter: cannot be its own member"):
        factory.create_charter(
            "Self",
            doc("c"),
            [founders[0].address, charter_address],
            params(),
            (30 * 86400, 12, 3, 1),
            sender=founders[0],
        )


def test_left_proposer__cannot_cancel(polity, founder):
    pid = polity.propose(founder, [polity.call("set_concord", doc("v2"))])
    polity.charter.leave(sender=founder)
    with ape.reverts("charter: not a member"):
        polity.charter.cancel(pid, sender=founder)


# --- the seat list -----------------------------------------------------------------------------


def test_seats__every_join_takes_the_next_seat_and_leaving_kills_it(polity, newcomer, member):
    c = polity.charter
    assert c.seat_count() == 3 and [c.seat_of(f) for f in polity.founders] == [1, 2, 3]
    receipt = c.join(sender=newcomer)
    assert c.seat_of(newcomer) == 4 and c.seat_count() == 4
    seat = c.seat(4)
    assert (seat.account, seat.joined_block, seat.live) == (
        newcomer.address,
        receipt.block_number,
        True,
    )
    assert seat.joined_at == c.joined_at(newcomer)
    c.leave(sender=member)
    assert c.seat_of(member) == 0 and not c.seat(2).live
    c.join(sender=member)
    assert c.seat_of(member) == 5 and c.seat(5).live and not c.seat(2).live
    assert c.seat_count() == 5 and c.member_count() == 4


@pytest.mark.parametrize("number", [0, 4])
def test_seats__no_such_seat_reverts(polity, number):
    with ape.reverts("charter: no such seat"):
        polity.charter.seat(number)


def test_seats__leave_and_rejoin_in_one_transaction_takes_a_new_seat(polity, accounts):
    deployer = accounts[8]
    f = deployer.deploy(helper("Forwarder"))
    c = polity.charter
    f.forward(c.address, c.join.encode_input(), sender=deployer)
    first = c.seat_of(f)
    sequencer = deployer.deploy(helper("Forwarder"))
    sequencer.sequence(
        [f.address, f.address],
        [c.address, c.address],
        [c.leave.encode_input(), c.join.encode_input()],
        sender=deployer,
    )
    assert c.seat_of(f) == first + 1 and not c.seat(first).live


def test_delegate_before_leaving__counts_match_the_snapshot_in_later_blocks(polity, founders):
    """Leaving in an earlier block than the proposal: neither the voice nor the base counts it."""
    c = polity.charter
    delegate(c, founders[1], founders[0])
    c.leave(sender=founders[1])
    ape.chain.mine()
    pid = polity.propose(founders[0], [polity.call("set_concord", doc("v2"))])
    assert c.proposal(pid).bar == 1  # ceil(2 * 20%)
    receipt = c.cast_vote(pid, FOR, sender=founders[0])
    assert event_args(receipt, "VoteCast")[0]["weight"] == 1

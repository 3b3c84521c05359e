"""Signed ballots and delegation (SECURITY.md attacks 10–15), in-process and on anvil."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
import vyper
from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils import keccak
from panarchy import Chain, Charter, Support, errors
from panarchy.charter.ballots import SECP256K1_HALF_N, BallotVerifier, SignedBallot
from panarchy.charter.types import SkipReason
from panarchy.node import Anvil

from tests.sdk.conftest import VOTING, cid_of

SECP256K1_N = 2 * SECP256K1_HALF_N + 1
WALLET = Path(__file__).parents[1] / "wallets" / "ERC1271Wallet.vy"


def new_members(chain: Chain, charter: Charter, count: int, salt: str) -> list[LocalAccount]:
    """Fresh keys, funded for their join transaction, joined to an open charter."""
    members = []
    for i in range(count):
        account = Account.from_key(keccak(text=f"{salt}-{charter.address}-{i}"))
        chain.fund(account.address, 10**18)
        charter.join(account)
        members.append(account)
    return members


def open_proposal(charter: Charter, proposer: LocalAccount, store) -> int:
    action = charter.actions.enact_clause(cid_of(store, f"clause for {charter.address}"), 1)
    return charter.propose(proposer, [action], cid_of(store, "a proposal", "proposal")).id


def tallies(charter: Charter, proposal_id: int) -> tuple[int, int, int]:
    p = charter.proposal(proposal_id)
    return p.for_votes, p.against_votes, p.abstain_votes


def with_signature(ballot: SignedBallot, signature: bytes) -> SignedBallot:
    return SignedBallot(ballot.chain_id, ballot.charter, ballot.proposal_id, ballot.support,
                        ballot.voter, signature)  # fmt: skip


# --- signed ballots ---------------------------------------------------------------------


def test_relayed_ballot__counts_once_and_replays_are_refused(
    chain, make_charter, founders, stranger, store
):
    charter = make_charter()
    first, second = (
        open_proposal(charter, founders[0], store),
        open_proposal(charter, founders[0], store),
    )
    ballot = charter.sign_ballot(founders[1], first, Support.FOR)
    assert charter.verifier().verify(ballot)
    # The relayer pays; the voter needs no ETH and sends nothing.
    nonce = chain.w3.eth.get_transaction_count(founders[1].address)
    charter.relay(stranger, ballot)
    assert chain.w3.eth.get_transaction_count(founders[1].address) == nonce
    assert tallies(charter, first) == (1, 0, 0)
    with pytest.raises(errors.AlreadyVoted):
        charter.relay(stranger, ballot)
    # The same signature on another proposal is not the voter's ballot there.
    moved = SignedBallot(ballot.chain_id, ballot.charter, second, ballot.support, ballot.voter,
                         ballot.signature)  # fmt: skip
    with pytest.raises(errors.InvalidSignature, match="charter: invalid signature"):
        chain.transact(stranger, charter.contract.functions.cast_vote_by_sig(*moved.as_call_args()))
    assert tallies(charter, first) == (1, 0, 0) and tallies(charter, second) == (0, 0, 0)


def test_relayed_ballot__bound_to_its_charter(chain, make_charter, founders, stranger, store):
    one, other = make_charter(), make_charter()
    pid = open_proposal(one, founders[0], store)
    assert open_proposal(other, founders[0], store) == pid  # same id, different charter
    ballot = one.sign_ballot(founders[1], pid, Support.FOR)
    with pytest.raises(errors.InvalidBallot):
        other.relay(stranger, ballot)  # refused locally: it names another charter
    with pytest.raises(errors.InvalidSignature):
        chain.transact(stranger, other.contract.functions.cast_vote_by_sig(*ballot.as_call_args()))


def test_relayed_ballot__every_signed_field_matters(chain, make_charter, founders, stranger, store):
    charter = make_charter()
    pid = open_proposal(charter, founders[0], store)
    ballot = charter.sign_ballot(founders[1], pid, Support.FOR)
    fn = charter.contract.functions.cast_vote_by_sig
    for tampered in (
        (pid, int(Support.AGAINST), ballot.voter, ballot.signature),
        (pid, int(ballot.support), founders[2].address, ballot.signature),
    ):
        with pytest.raises(errors.InvalidSignature):
            chain.transact(stranger, fn(*tampered))
    assert tallies(charter, pid) == (0, 0, 0)
    charter.relay(stranger, ballot)
    assert tallies(charter, pid) == (1, 0, 0)


def test_relayed_ballot__malleable_twins_are_refused(
    chain, make_charter, founders, stranger, store
):
    charter = make_charter()
    pid = open_proposal(charter, founders[0], store)
    ballot = charter.sign_ballot(founders[1], pid, Support.FOR)
    r, s, v = (
        ballot.signature[:32],
        int.from_bytes(ballot.signature[32:64], "big"),
        ballot.signature[64],
    )
    high_s = with_signature(ballot, r + (SECP256K1_N - s).to_bytes(32, "big") + bytes([55 - v]))
    v_flip = with_signature(ballot, ballot.signature[:64] + bytes([55 - v]))
    assert not charter.verifier().verify(high_s) and not charter.verifier().verify(v_flip)
    fn = charter.contract.functions.cast_vote_by_sig
    with pytest.raises(errors.InvalidSignature, match="charter: invalid signature"):
        chain.transact(stranger, fn(*high_s.as_call_args()))
    with pytest.raises(errors.InvalidSignature):
        chain.transact(stranger, fn(*v_flip.as_call_args()))
    charter.relay(stranger, ballot)
    # The 64-byte EIP-2098 form of the used signature is refused (one form per signature;
    # the voice is counted once in any case).
    compact = r + ((v - 27) << 255 | s).to_bytes(32, "big")
    with pytest.raises(errors.InvalidSignature):
        chain.transact(stranger, fn(pid, int(Support.FOR), ballot.voter, compact))
    # Garbage never recovers the zero address into a vote.
    with pytest.raises(errors.InvalidSignature):
        chain.transact(stranger, fn(pid, 1, "0x" + "00" * 20, b"\x01" * 65))
    assert tallies(charter, pid) == (1, 0, 0)


@pytest.mark.anvil
def test_relayed_ballot__old_signatures_fail_after_a_chain_id_change(store, tmp_path):
    from panarchy import DeploymentRecord, deploy_charter, dev_accounts

    with Anvil() as node:
        chain = Chain.connect(node.url)
        ada, bo, relayer = dev_accounts()[:3]
        concord = cid_of(store, "concord", "concord")
        charter, _ = deploy_charter(chain, ada, DeploymentRecord.for_chain(chain, tmp_path),
                                    name="Fork", concord_cid=concord,
                                    founders=[ada.address, bo.address])  # fmt: skip
        pid = open_proposal(charter, ada, store)
        ballot = charter.sign_ballot(bo, pid, Support.FOR)
        chain.w3.provider.make_request("anvil_setChainId", [4242])  # a fork, say
        forked = Chain.connect(node.url)
        assert forked.chain_id == 4242
        on_fork = Charter(forked, charter.address)
        with pytest.raises(errors.InvalidSignature):
            forked.transact(
                relayer, on_fork.contract.functions.cast_vote_by_sig(*ballot.as_call_args())
            )
        # Re-signed in the new domain, it counts.
        on_fork.relay(relayer, on_fork.sign_ballot(bo, pid, Support.FOR))
        assert tallies(on_fork, pid) == (1, 0, 0)


def test_batch__one_hundred_ballots_settle_in_one_transaction(chain, make_charter, founders, store):
    charter = make_charter()
    voters = new_members(chain, charter, 100, "batch")
    pid = open_proposal(charter, founders[0], store)
    ballots = [charter.sign_ballot(v, pid, Support(i % 3)) for i, v in enumerate(voters)]
    result = charter.relay_batch(founders[2], ballots)
    assert len(result.counted) == 100 and result.skipped == []
    assert tallies(charter, pid) == (33, 34, 33)  # for, against, abstain
    # Relaying the same batch again counts nothing: every voice was counted once.
    again = charter.relay_batch(founders[2], ballots[:10])
    assert again.counted == [] and {r for *_, r in again.skipped} == {SkipReason.ALREADY_VOTED}
    assert tallies(charter, pid) == (33, 34, 33)  # for, against, abstain


def test_batch__bad_ballots_are_skipped_with_reasons_or_sink_it_all(
    chain, make_charter, founders, accounts, store
):
    charter = make_charter()
    pid = open_proposal(charter, founders[0], store)
    newcomer = accounts[5]
    charter.join(newcomer)  # after the proposal: not eligible
    good = charter.sign_ballot(founders[1], pid, Support.FOR)
    forged = with_signature(charter.sign_ballot(founders[2], pid, Support.FOR), b"\x07" * 65)
    late = charter.sign_ballot(newcomer, pid, Support.FOR)
    outsider = charter.sign_ballot(accounts[8], pid, Support.FOR)
    unknown = charter.sign_ballot(founders[0], 999, Support.FOR)
    batch = [good, forged, late, outsider, unknown]
    with pytest.raises(errors.InvalidSignature):
        charter.relay_batch(founders[0], batch, all_or_nothing=True)
    assert tallies(charter, pid) == (0, 0, 0)
    result = charter.relay_batch(founders[0], batch)
    assert result.counted == [(pid, founders[1].address)]
    assert result.skipped == [
        (pid, founders[2].address, SkipReason.INVALID_SIGNATURE),
        (pid, newcomer.address, SkipReason.JOINED_AFTER_PROPOSAL),
        (pid, accounts[8].address, SkipReason.NOT_A_MEMBER),
        (999, founders[0].address, SkipReason.UNKNOWN_PROPOSAL),
    ]
    assert tallies(charter, pid) == (1, 0, 0)


def test_batch__a_late_flood_counts_within_the_eligible(chain, make_charter, founders, store):
    """Attack 10: a burst of relayed ballots in the last moment is counted right."""
    charter = make_charter()
    voters = new_members(chain, charter, 20, "flood")
    pid = open_proposal(charter, founders[0], store)
    chain.advance(VOTING.total_seconds() - 3)  # the last block before the vote closes
    flood = [charter.sign_ballot(v, pid, Support.FOR) for v in voters]
    flood += flood[:5]  # duplicates in the same batch
    flood += [charter.sign_ballot(f, pid, Support.AGAINST) for f in founders]
    result = charter.relay_batch(founders[0], flood)
    assert len(result.counted) == 23
    assert sum(tallies(charter, pid)) == 23 == charter.member_count
    chain.advance(5)
    closed = charter.relay_batch(
        founders[0], [charter.sign_ballot(voters[0], pid, Support.AGAINST)]
    )
    assert closed.skipped[0][2] == SkipReason.VOTING_CLOSED
    assert sum(tallies(charter, pid)) == 23


# --- ERC-1271 wallets -------------------------------------------------------------------


def deploy_wallet(chain: Chain, owner: LocalAccount, mode: int) -> str:
    compiled = vyper.compile_code(WALLET.read_text(), output_formats=["abi", "bytecode"])
    contract = chain.w3.eth.contract(abi=compiled["abi"], bytecode=compiled["bytecode"])
    receipt = chain.transact(owner, contract.constructor(owner.address, mode))
    return str(receipt["contractAddress"])


def wallet_join(chain: Chain, charter: Charter, owner: LocalAccount, wallet: str) -> None:
    compiled = vyper.compile_code(WALLET.read_text(), output_formats=["abi"])
    w = chain.w3.eth.contract(address=wallet, abi=compiled["abi"])
    data = charter.contract.functions.join()._encode_transaction_data()
    chain.transact(owner, w.functions.execute(charter.address, bytes.fromhex(data[2:])))


def test_erc1271_wallets__vote_and_only_affect_their_own_ballot(
    chain, make_charter, founders, accounts, store
):
    """Attack 14: wallets that sign properly, always say yes, revert, or return junk."""
    charter = make_charter()
    owner = accounts[6]
    wallets = [deploy_wallet(chain, owner, mode) for mode in range(4)]
    for wallet in wallets:
        wallet_join(chain, charter, owner, wallet)
    pid = open_proposal(charter, founders[0], store)
    digest = charter.contract.functions.ballot_digest(pid, 1, wallets[0]).call()
    assert digest == BallotVerifier(chain.chain_id, charter.address).digest(pid, 1, wallets[0])
    signed = owner.unsafe_sign_hash(digest).signature
    junk = b"\x09" * 65

    def ballot(wallet: str, sig: bytes) -> SignedBallot:
        return SignedBallot(chain.chain_id, charter.address, pid, Support.FOR, wallet, bytes(sig))

    batch = [ballot(wallets[0], signed), ballot(wallets[1], junk), ballot(wallets[2], junk),
             ballot(wallets[3], junk),
             charter.sign_ballot(founders[1], pid, Support.FOR)]  # fmt: skip
    result = charter.relay_batch(founders[0], batch)
    # A Safe-like wallet votes with its owner's signature; the always-yes wallet is its
    # own members' problem (it counts once, for itself); the others affect only themselves.
    assert {v for _, v in result.counted} == {wallets[0], wallets[1], founders[1].address}
    assert [(v, r) for _, v, r in result.skipped] == [
        (wallets[2], SkipReason.INVALID_SIGNATURE),
        (wallets[3], SkipReason.INVALID_SIGNATURE),
    ]
    assert tallies(charter, pid) == (3, 0, 0)


# --- delegation -------------------------------------------------------------------------


def test_delegation__refusals_and_read_outs(chain, make_charter, founders, stranger):
    charter = make_charter()
    a, b, c = founders
    with pytest.raises(errors.DelegationError, match="charter: cannot delegate to self"):
        charter.delegate(a, a.address)
    with pytest.raises(errors.DelegationError, match="charter: delegate not a member"):
        charter.delegate(a, stranger.address)
    with pytest.raises(errors.NotAMember):
        charter.delegate(stranger, a.address)
    with pytest.raises(errors.DelegationError, match="charter: delegate unchanged"):
        charter.undelegate(a)
    charter.delegate(a, b.address)
    charter.delegate(c, b.address)
    assert charter.delegate_of(a.address) == b.address
    assert charter.carried_voices(b.address) == 2
    assert charter.delegations() == {a.address: b.address, c.address: b.address}
    charter.delegate(a, c.address)  # re-delegate
    assert (charter.carried_voices(b.address), charter.carried_voices(c.address)) == (1, 1)
    charter.leave(c)  # leaving ends one's own delegation
    assert charter.delegations() == {a.address: c.address}
    assert charter.carried_voices(b.address) == 0


# The events of one scenario: A may delegate to B before the proposal, then in some
# order: B votes, A votes, A revokes (after the snapshot, so it changes nothing).
STEPS = ("b_votes", "a_votes", "a_revokes")


@pytest.mark.parametrize("delegated", [True, False])
@pytest.mark.parametrize("order", list(itertools.permutations(STEPS)))
@pytest.mark.parametrize("relayed", [False, True])
def test_delegation__every_order_counts_each_voice_once(
    chain, make_charter, founders, store, delegated, order, relayed
):
    """Attack 15: A delegates to B, B votes, A revokes and votes — A counts once."""
    charter = make_charter()
    a, b, c = founders
    if delegated:
        charter.delegate(a, b.address)
    pid = open_proposal(charter, c, store)

    def vote(who: LocalAccount, support: Support) -> None:
        if relayed:
            charter.relay_batch(c, [charter.sign_ballot(who, pid, support)])
        else:
            charter.vote(who, pid, support)

    for step in order:
        if step == "b_votes":
            vote(b, Support.FOR)
        elif step == "a_votes":
            vote(a, Support.AGAINST)
        elif delegated:
            charter.undelegate(a)
    # A voted directly: A's voice is AGAINST, B's own voice is FOR, whatever the order.
    assert tallies(charter, pid) == (1, 1, 0)
    assert sum(tallies(charter, pid)) <= charter.member_count


@pytest.mark.parametrize("relayed", [False, True])
def test_delegation__a_delegate_carries_voices_at_the_snapshot(
    chain, make_charter, founders, accounts, store, relayed
):
    charter = make_charter()
    a, b, c = founders
    d = accounts[4]
    charter.join(d)
    charter.delegate(a, b.address)
    charter.delegate(d, b.address)
    pid = open_proposal(charter, c, store)
    charter.delegate(c, b.address)  # after the snapshot: not for this proposal
    charter.undelegate(d)  # likewise: B still carries D here
    if relayed:
        result = charter.relay_batch(c, [charter.sign_ballot(b, pid, Support.FOR)])
        assert result.counted == [(pid, b.address)]
    else:
        charter.vote(b, pid, Support.FOR)
    assert tallies(charter, pid) == (3, 0, 0)  # B, A and D
    charter.vote(d, pid, Support.ABSTAIN)  # D overrides: D's voice leaves B's tally
    assert tallies(charter, pid) == (2, 0, 1)
    charter.vote(c, pid, Support.AGAINST)
    assert tallies(charter, pid) == (2, 1, 1)
    assert sum(tallies(charter, pid)) == charter.member_count

"""Attack 26: a reorg of depth 1–3 (``anvil_reorg``) converges to the canonical chain.

anvil's reorg replaces the last blocks with new ones and drops their transactions (they do
not go back to the pool): the relay must notice, send the same signed transactions again,
and end with every ballot counted once and every recorded block on the canonical chain.
"""

from __future__ import annotations

from collections import Counter

import pytest
from eth_account import Account
from panarchy import Chain, Support
from panarchy.relay import (
    BallotStatus,
    BatchStatus,
    Settler,
    SettlerConfig,
    Store,
    Validator,
    connect,
)
from relay_helpers import counted_once, enqueue, mine, tallies, vote_casts, wait_for


def reorg(chain: Chain, depth: int, txs: list[bytes] = ()) -> None:  # type: ignore[assignment]
    replaced = [["0x" + raw.hex(), 0] for raw in txs]
    answer = chain.w3.provider.make_request("anvil_reorg", [depth, replaced])  # type: ignore[arg-type]
    assert "error" not in answer, answer


def canonical(chain: Chain, number: int) -> str:
    return "0x" + bytes(chain.w3.eth.get_block(number)["hash"]).hex()


def assert_converged(chain: Chain, store: Store, charter, relayer, keys) -> None:
    """Every ballot final, every block the store recorded canonical, each voice once."""
    records = [store.get(*k) for k in keys]
    for r in records:
        assert r is not None and r.final
        assert r.block_hash == canonical(chain, r.block_number), r
    for batch in store.batches(chain.chain_id, relayer.address):
        assert batch.status == BatchStatus.CONFIRMED
        assert batch.block_hash == canonical(chain, batch.block_number)
        receipt = chain.w3.eth.get_transaction_receipt(batch.tx_hash)
        assert "0x" + bytes(receipt["blockHash"]).hex() == batch.block_hash
    casts = counted_once(vote_casts(chain, charter))
    assert all(casts[(k[3], k[2])] == 1 for k in keys)


@pytest.mark.parametrize(("depth", "confirmations"), [(1, 1), (2, 1), (3, 1), (2, 3)])
def test_reorg__settled_ballots_converge_to_the_canonical_chain(
    depth, confirmations, chain, anvil, polity, relayer, store
):
    charter, members, pid = polity
    ballots = [charter.sign_ballot(m, pid, Support.FOR) for m in members[:12]]
    settler = Settler(connect(anvil.url), relayer, store, SettlerConfig(
        batch_size=4, batch_age=0.0, confirmations=confirmations, poll_interval=0.02,
        rebroadcast_after=0.1,
    ))  # fmt: skip
    keys = enqueue(Validator(settler.chain, [charter.address]), store, ballots)
    settler.step(flush=True)  # three batches, three blocks (automine)
    # anvil mines each on arrival, but not before answering: wait for all three.
    wait_for(lambda: chain.w3.eth.get_transaction_count(relayer.address, "latest") == 3)
    settler.step()  # their receipts
    before = [store.get(*k) for k in keys]
    head = chain.w3.eth.block_number
    for r in before:  # confirmed exactly when `confirmations` deep
        deep = head - r.block_number + 1 >= confirmations
        assert r.status == (BallotStatus.CONFIRMED if deep else BallotStatus.INCLUDED), r
    gone = {r.block_hash for r in before if r.block_number > chain.w3.eth.block_number - depth}
    assert len(gone) == depth

    reorg(chain, depth)
    assert all(
        canonical(chain, r.block_number) != r.block_hash for r in before if r.block_hash in gone
    )
    records = settler.settle(keys, timeout=30, on_pass=lambda _: mine(chain))
    assert {r.status for r in records} == {BallotStatus.CONFIRMED}
    assert_converged(chain, store, charter, relayer, keys)
    assert tallies(charter, pid) == (12, 0, 0)
    # The same signed transactions were sent again: three nonces, three transactions.
    batches = store.batches(chain.chain_id, relayer.address)
    assert [len(b.attempts) for b in batches] == [1, 1, 1]
    assert {b.tx_hash for b in batches} == {b.attempts[0].hash for b in batches}


def test_reorg__a_competing_relay_in_the_new_chain_counts_some_voices_first(
    chain, anvil, polity, relayer, store
):
    """The new canonical blocks carry another relayer's batch with four of the same ballots:
    those four are reported as counted elsewhere, the rest confirmed, each voice once."""
    charter, members, pid = polity
    ballots = [charter.sign_ballot(m, pid, Support.AGAINST) for m in members[:10]]
    settler = Settler(connect(anvil.url), relayer, store, SettlerConfig(
        batch_size=10, batch_age=0.0, poll_interval=0.02, rebroadcast_after=0.1,
    ))  # fmt: skip
    rival = Account.create("rival relayer")
    chain.fund(rival.address, 10**18)  # before the block the reorg replaces
    keys = enqueue(Validator(settler.chain, [charter.address]), store, ballots)
    settler.settle(keys, timeout=30)
    assert {store.get(*k).status for k in keys} == {BallotStatus.CONFIRMED}

    call = charter.contract.functions.cast_votes_by_sig(
        [b.as_call_args() for b in ballots[:4]], False
    )
    rival_tx = rival.sign_transaction(call.build_transaction({
        "from": rival.address, "nonce": 0, "gas": 2_000_000, "chainId": chain.chain_id,
        "maxFeePerGas": 10**11, "maxPriorityFeePerGas": 10**9,
    }))  # fmt: skip
    reorg(chain, 1, [bytes(rival_tx.raw_transaction)])

    records = settler.settle(keys, timeout=30)
    rival_hash = "0x" + bytes(rival_tx.hash).hex()
    by_voter = {r.voter: r for r in records}
    for b in ballots[:4]:
        r = by_voter[b.voter]
        assert (r.status, r.reason) == (BallotStatus.REJECTED, "already_voted")
        assert r.tx_hash == rival_hash and "did not send" in (r.detail or "")
    assert {by_voter[b.voter].status for b in ballots[4:]} == {BallotStatus.CONFIRMED}
    assert_converged(chain, store, charter, relayer, keys)
    casts = vote_casts(chain, charter)
    assert Counter(c["sender"] for c in casts) == Counter({rival.address: 4, relayer.address: 6})
    assert tallies(charter, pid) == (0, 10, 0)

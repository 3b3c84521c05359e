"""Attack 25: RPC faults — dropped, delayed, 5xx, duplicated answers — never lose or
duplicate an action, and nonces stay contiguous with concurrent senders from one key.

A fault-injecting proxy (relay_faults.FaultProxy) sits between the code under test and anvil.
"""

from __future__ import annotations

import threading
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
from relay_faults import KINDS, FaultProxy
from relay_helpers import (
    counted_once,
    enqueue,
    open_proposal,
    sent_by,
    skipped,
    tallies,
    vote_casts,
    wait_for,
)

BROADCAST = "eth_sendRawTransaction"
RECEIPT = "eth_getTransactionReceipt"
FAST = dict(batch_age=0.0, poll_interval=0.05, rebroadcast_after=0.5)


@pytest.mark.parametrize("kind", KINDS)
def test_rpc_faults__a_broadcast_and_its_receipts_survive_each_fault(
    kind, chain, anvil, polity, relayer, store
):
    charter, members, pid = polity
    ballots = [charter.sign_ballot(m, pid, Support.FOR) for m in members[:5]]
    first_block = chain.w3.eth.block_number + 1
    nonce = chain.w3.eth.get_transaction_count(relayer.address)
    with FaultProxy(anvil.url, seed=1, delay=1.0) as proxy:
        relay_chain = connect(proxy.url, timeout=0.5)
        keys = enqueue(Validator(relay_chain, [charter.address]), store, ballots)
        proxy.fail(kind, methods=[BROADCAST], times=1)
        proxy.fail(kind, methods=[RECEIPT], times=2)
        settler = Settler(relay_chain, relayer, store, SettlerConfig(batch_size=10, **FAST))
        records = settler.settle(keys, timeout=30)
        assert proxy.injected[(BROADCAST, kind)] == 1 and proxy.injected[(RECEIPT, kind)] >= 1
    assert [r.status for r in records] == [BallotStatus.CONFIRMED] * 5
    # One action, one transaction, one nonce: nothing lost, nothing sent twice.
    mined = sent_by(chain, relayer.address, first_block)
    assert [tx["nonce"] for tx in mined] == [nonce]
    assert {r.tx_hash for r in records} == {"0x" + bytes(mined[0]["hash"]).hex()}
    assert counted_once(vote_casts(chain, charter)) == Counter(
        {(m.address, pid): 1 for m in members[:5]}
    )
    assert tallies(charter, pid) == (5, 0, 0)


def test_rpc_faults__a_storm_with_three_settlers_sharing_one_key(
    chain, anvil, polity, founders, docs, relayer, tmp_path
):
    """Every kind of fault at random on every call, three settlers (one key, one database):
    every ballot counted once, every nonce used once, no gap, no wasted transaction."""
    charter, members, pid = polity
    second = open_proposal(charter, founders[0], docs, "storm")
    ballots = [charter.sign_ballot(m, p, Support((i + j) % 3))
               for j, p in enumerate((pid, second)) for i, m in enumerate(members)]  # fmt: skip
    first_block = chain.w3.eth.block_number + 1
    nonce = chain.w3.eth.get_transaction_count(relayer.address)
    db = tmp_path / "storm.sqlite3"
    stores = [Store(db) for _ in range(3)]
    stop = threading.Event()
    with FaultProxy(anvil.url, seed=25, delay=0.8) as proxy:
        keys = enqueue(Validator(connect(proxy.url), [charter.address]), stores[0], ballots)
        for kind in KINDS:
            proxy.fail(kind, times=None, probability=0.03)
        settlers = [
            Settler(
                connect(proxy.url, timeout=0.4),
                relayer,
                s,
                SettlerConfig(batch_size=7, max_inflight=3, **FAST),
            )  # fmt: skip
            for s in stores
        ]
        threads = [threading.Thread(target=s.run, args=(stop,), daemon=True) for s in settlers]
        for t in threads:
            t.start()
        try:
            wait_for(lambda: all(r.final for r in stores[0].ballots(chain.chain_id)), timeout=90)
        finally:
            stop.set()
            for t in threads:
                t.join(timeout=10)
            proxy.clear()
        assert {kind for _, kind in proxy.injected} == set(KINDS)  # every fault happened
    records = stores[0].ballots(chain.chain_id)
    assert len(records) == 60 and {r.status for r in records} == {BallotStatus.CONFIRMED}
    casts = vote_casts(chain, charter)
    assert counted_once(casts) == Counter({(k[3], k[2]): 1 for k in keys})
    assert {c["sender"] for c in casts if c["proposal_id"] == second} == {relayer.address}
    assert sum(tallies(charter, pid)) == sum(tallies(charter, second)) == 30
    # Nonces: contiguous, each held by exactly one batch, each batch mined exactly once.
    batches = stores[0].batches(chain.chain_id, relayer.address)
    assert [b.nonce for b in batches] == list(range(nonce, nonce + len(batches)))
    assert {b.status for b in batches} == {BatchStatus.CONFIRMED}
    mined = sent_by(chain, relayer.address, first_block)
    assert [tx["nonce"] for tx in mined] == [b.nonce for b in batches]
    assert ["0x" + bytes(tx["hash"]).hex() for tx in mined] == [b.tx_hash for b in batches]
    # No transaction carried a ballot another one had counted: no work was done twice.
    assert skipped(chain, charter, first_block) == []
    for s in stores:
        s.close()


def test_rpc_faults__sdk_senders_on_one_key_from_many_threads(chain, anvil):
    """The SDK's own choke point: threads sending from one key through a faulty node get
    contiguous nonces, and a lost or duplicated broadcast answer sends nothing twice."""
    sender = Account.create("sdk-sender")
    chain.fund(sender.address, 10**18)
    receiver = Account.create("sdk-receiver").address
    nonce = chain.w3.eth.get_transaction_count(sender.address)
    with FaultProxy(anvil.url, seed=7, delay=0.3) as proxy:
        for kind in ("drop_after", "error_after", "duplicate", "drop_before", "error_before"):
            proxy.fail(kind, methods=[BROADCAST], times=None, probability=0.08)
        faulty = Chain.connect(proxy.url)
        errors: list[BaseException] = []

        def send_five() -> None:
            for _ in range(5):
                try:
                    faulty.transact(sender, to=receiver, value=1)
                except BaseException as exc:  # noqa: BLE001 - collected for the assertion
                    errors.append(exc)

        threads = [threading.Thread(target=send_five) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert sum(proxy.injected.values()) > 0
    assert errors == []
    assert chain.w3.eth.get_balance(receiver) == 20
    assert chain.w3.eth.get_transaction_count(sender.address) == nonce + 20

"""Settlement against anvil: batches, the late flood (attack 10), failed, replaced and
stuck transactions, nonce gaps, confirmations, ERC-1271 wallets."""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

import panarchy.relay.settler as settler_module
import vyper
from eth_account import Account
from panarchy import Support
from panarchy.charter.ballots import SignedBallot
from panarchy.relay import (
    BallotStatus,
    BatchStatus,
    Relay,
    ServiceConfig,
    Settler,
    SettlerConfig,
    Store,
    Validator,
    connect,
)
from relay_helpers import (
    automine,
    counted_once,
    enqueue,
    get,
    mine,
    new_members,
    open_proposal,
    post,
    receipt,
    sent_by,
    tallies,
    vote_casts,
    wait_for,
)

WALLET = Path(__file__).parents[1] / "sdk" / "wallets" / "ERC1271Wallet.vy"
QUICK = dict(batch_age=0.0, poll_interval=0.02, rebroadcast_after=0.1)


def as_json(ballot: SignedBallot) -> dict:
    return json.loads(ballot.to_json())


def test_batch__one_hundred_posted_ballots_settle_in_one_transaction(
    chain, anvil, make_charter, founders, docs, relayer, tmp_path
):
    charter = make_charter()
    voters = new_members(chain, charter, 100, "hundred")
    pid = open_proposal(charter, founders[0], docs)
    first_block = chain.w3.eth.block_number + 1
    ballots = [charter.sign_ballot(v, pid, Support(i % 3)) for i, v in enumerate(voters)]
    # Only a full batch triggers settlement: the age limit is an hour.
    config = SettlerConfig(batch_size=100, batch_age=3600, poll_interval=0.05)
    with Relay(connect(anvil.url), relayer, Store(tmp_path / "r.db"),
               [charter.address], settler_config=config,
               service_config=ServiceConfig(port=0)) as relay:  # fmt: skip
        status, body = post(relay.url, [as_json(b) for b in ballots[:99]])
        assert status == 200 and {r["status"] for r in body["results"]} == {202}
        time.sleep(0.3)
        assert {receipt(relay.url, b)["status"] for b in ballots[:99]} == {"queued"}
        assert post(relay.url, as_json(ballots[99]))[0] == 202
        wait_for(lambda: all(receipt(relay.url, b)["status"] == "confirmed" for b in ballots))
        receipts = [receipt(relay.url, b) for b in ballots]
    mined = sent_by(chain, relayer.address, first_block)
    assert len(mined) == 1
    assert {r["tx_hash"] for r in receipts} == {"0x" + bytes(mined[0]["hash"]).hex()}
    assert tallies(charter, pid) == (33, 34, 33)  # for, against, abstain


def test_late_flood__a_burst_in_the_last_block_counts_within_the_eligible(
    chain, anvil, make_charter, founders, docs, relayer, tmp_path
):
    """Attack 10: a burst of relayed ballots in the very last block before the vote closes,
    with a rival relayer carrying some of the same ballots in that block, duplicates,
    conflicts, forgeries and members who joined too late: every eligible voice counts
    once, nobody else's, and the tallies never exceed the members eligible at the snapshot."""
    charter = make_charter()
    voters = new_members(chain, charter, 40, "flood")
    pid = open_proposal(charter, founders[0], docs)
    late = new_members(chain, charter, 3, "late")  # joined after the proposal
    eligible = voters + founders
    vote_end = int(charter.proposal(pid).vote_end.timestamp())
    chain.advance(vote_end - chain.timestamp() - 20)  # twenty seconds before the close
    ballots = [charter.sign_ballot(v, pid, Support.FOR if i % 4 else Support.AGAINST)
               for i, v in enumerate(eligible)]  # fmt: skip
    rival = Account.create("rival")
    chain.fund(rival.address, 10**18)
    # The batch age is an hour, but a vote closing within a minute is settled at once.
    config = SettlerConfig(batch_size=100, batch_age=3600, urgent_seconds=60, poll_interval=0.05)
    relay = Relay(connect(anvil.url), relayer, Store(tmp_path / "r.db"), [charter.address],
                  settler_config=config, service_config=ServiceConfig(port=0))  # fmt: skip
    automine(chain, False)
    try:
        relay.start()
        forged = SignedBallot(chain.chain_id, charter.address, pid, Support.FOR, late[0].address,
                              ballots[0].signature)  # fmt: skip
        burst = [as_json(b) for b in ballots] + [as_json(b) for b in ballots[:5]]  # duplicates
        burst += [as_json(charter.sign_ballot(v, pid, Support.ABSTAIN)) for v in voters[5:8]]
        burst += [as_json(charter.sign_ballot(v, pid, Support.FOR)) for v in late]
        burst.append(as_json(forged))
        status, body = post(relay.url, burst)
        assert status == 200
        codes = [(r["status"], r.get("error") or r.get("outcome")) for r in body["results"]]
        assert codes == (
            [(202, "accepted")] * 43 + [(200, "duplicate")] * 5 + [(409, "conflict")] * 3
            + [(403, "joined_after_proposal")] * 3 + [(422, "invalid_signature")]
        )  # fmt: skip
        # A rival relayer floods the same block with ten of the same ballots.
        rival_hash = charter.chain.send(rival, charter.contract.functions.cast_votes_by_sig(
            [b.as_call_args() for b in ballots[10:20]], False))  # fmt: skip
        wait_for(lambda: relay.store.batches(chain.chain_id, relayer.address))
        time.sleep(0.2)
        mine(chain, vote_end - 1)  # the last block in which votes count
    finally:
        automine(chain, True)
    wait_for(
        lambda: all(receipt(relay.url, b)["status"] in ("confirmed", "rejected") for b in ballots)
    )
    last = chain.w3.eth.get_block(chain.w3.eth.block_number)
    assert last["timestamp"] == vote_end - 1 and len(last["transactions"]) == 2
    records = {b.voter: receipt(relay.url, b) for b in ballots}
    for b in ballots:
        r = records[b.voter]
        assert r["status"] == "confirmed" or (r["reason"], r["tx_hash"]) == (
            "already_voted",
            rival_hash,
        )
    casts = vote_casts(chain, charter)
    assert counted_once(casts) == Counter({(v.address, pid): 1 for v in eligible})
    assert {c["sender"] for c in casts} <= {relayer.address, rival.address}
    for_votes, against, abstain = tallies(charter, pid)
    assert (for_votes, against, abstain) == (32, 11, 0)
    assert for_votes + against + abstain == len(eligible) < charter.member_count
    # After the close, a ballot is refused on arrival.
    mine(chain)
    time.sleep(1.1)  # the relay's cached clock
    late_ballot = charter.sign_ballot(late[1], pid, Support.FOR)
    assert post(relay.url, as_json(late_ballot))[1]["error"] in (
        "voting_closed",
        "joined_after_proposal",
    )
    relay.stop()


def test_failed_transaction__its_ballots_go_back_to_the_queue(
    polity, chain, anvil, relayer, store, monkeypatch
):
    charter, members, pid = polity
    ballots = [charter.sign_ballot(m, pid, Support.ABSTAIN) for m in members[:6]]
    # An hour's batch age: only the flushes below (and settle) form batches.
    settler = Settler(connect(anvil.url), relayer, store,
                      SettlerConfig(batch_size=10, **dict(QUICK, batch_age=3600)))  # fmt: skip
    keys = enqueue(Validator(settler.chain, [charter.address]), store, ballots)
    monkeypatch.setattr(settler_module, "_GAS_HEADROOM", 0.5)  # too little gas: out of gas
    settler.step(flush=True)
    wait_for(lambda: chain.w3.eth.get_transaction_count(relayer.address, "latest") == 1)
    settler.step()
    first = store.batches(chain.chain_id, relayer.address)
    assert [b.status for b in first] == [BatchStatus.FAILED]
    assert {(r.status, r.attempts) for r in map(lambda k: store.get(*k), keys)} == {
        (BallotStatus.QUEUED, 1)
    }
    monkeypatch.setattr(settler_module, "_GAS_HEADROOM", 1.25)
    records = settler.settle(keys, timeout=20)
    assert {(r.status, r.attempts) for r in records} == {(BallotStatus.CONFIRMED, 1)}
    assert [b.status for b in store.batches(chain.chain_id, relayer.address)] == [
        BatchStatus.FAILED, BatchStatus.CONFIRMED]  # fmt: skip
    assert tallies(charter, pid) == (0, 0, 6)


def test_replaced_transaction__another_sender_took_the_nonce(polity, chain, anvil, relayer, store):
    """Someone else with the relayer's key used the batch's nonce: the ballots are looked up
    (not counted) and settled again under the next nonce."""
    charter, members, pid = polity
    ballots = [charter.sign_ballot(m, pid, Support.FOR) for m in members[:5]]
    settler = Settler(connect(anvil.url), relayer, store, SettlerConfig(batch_size=5, **QUICK))
    keys = enqueue(Validator(settler.chain, [charter.address]), store, ballots)
    nonce = chain.w3.eth.get_transaction_count(relayer.address)
    automine(chain, False)
    try:
        settler.step(flush=True)
        (batch,) = store.batches(chain.chain_id, relayer.address)
        foreign = relayer.sign_transaction({
            "to": relayer.address, "value": 0, "nonce": batch.nonce, "gas": 21_000,
            "chainId": chain.chain_id, "maxFeePerGas": 10**12, "maxPriorityFeePerGas": 10**11,
        })  # fmt: skip
        chain.w3.eth.send_raw_transaction(foreign.raw_transaction)  # replaces ours in the pool
        mine(chain)
    finally:
        automine(chain, True)
    records = settler.settle(keys, timeout=20)
    assert {r.status for r in records} == {BallotStatus.CONFIRMED}
    batches = store.batches(chain.chain_id, relayer.address)
    assert [(b.nonce, b.status) for b in batches] == [
        (nonce, BatchStatus.REPLACED), (nonce + 1, BatchStatus.CONFIRMED)]  # fmt: skip
    assert counted_once(vote_casts(chain, charter)) == Counter(
        {(m.address, pid): 1 for m in members[:5]}
    )


def test_stuck_transaction__replaced_with_higher_fees_and_counted_once(
    polity, chain, anvil, relayer, store
):
    charter, members, pid = polity
    ballots = [charter.sign_ballot(m, pid, Support.FOR) for m in members[:4]]
    settler = Settler(connect(anvil.url), relayer, store,
                      SettlerConfig(batch_size=4, stuck_after=1.0, **QUICK))  # fmt: skip
    keys = enqueue(Validator(settler.chain, [charter.address]), store, ballots)
    first_block = chain.w3.eth.block_number + 1
    automine(chain, False)
    try:
        settler.step(flush=True)
        time.sleep(1.1)
        settler.step()  # still unmined after stuck_after: a replacement with higher fees
        (batch,) = store.batches(chain.chain_id, relayer.address)
        assert len(batch.attempts) == 2
        assert batch.attempts[1].max_fee > batch.attempts[0].max_fee
        assert batch.attempts[1].tip > batch.attempts[0].tip
        mine(chain)
    finally:
        automine(chain, True)
    records = settler.settle(keys, timeout=20)
    (batch,) = store.batches(chain.chain_id, relayer.address)
    assert batch.tx_hash == batch.attempts[1].hash
    assert {r.tx_hash for r in records} == {batch.attempts[1].hash}
    assert len(sent_by(chain, relayer.address, first_block)) == 1
    assert tallies(charter, pid) == (4, 0, 0)


def test_nonce_gap__is_filled_so_later_batches_are_not_stuck(polity, chain, anvil, relayer, store):
    """Two nonces were handed out by someone whose transactions were lost: the relay's
    batch waits behind the gap, then fills it with 0-value self-transfers."""
    charter, members, pid = polity
    nonce = chain.w3.eth.get_transaction_count(relayer.address)
    store.raise_nonce_floor(chain.chain_id, relayer.address, nonce + 2)
    settler = Settler(connect(anvil.url), relayer, store,
                      SettlerConfig(batch_size=5, gap_grace=0.3, **QUICK))  # fmt: skip
    ballots = [charter.sign_ballot(m, pid, Support.FOR) for m in members[:5]]
    keys = enqueue(Validator(settler.chain, [charter.address]), store, ballots)
    settler.step(flush=True)
    assert {store.get(*k).status for k in keys} == {BallotStatus.SUBMITTED}  # stuck at nonce + 2
    records = settler.settle(keys, timeout=20)
    assert {r.status for r in records} == {BallotStatus.CONFIRMED}
    batches = store.batches(chain.chain_id, relayer.address)
    assert [(b.nonce, b.charter) for b in batches] == [
        (nonce, None), (nonce + 1, None), (nonce + 2, charter.address)]  # fmt: skip
    assert chain.w3.eth.get_transaction_count(relayer.address) == nonce + 3


def test_confirmations__a_ballot_is_confirmed_only_that_many_blocks_deep(
    polity, chain, anvil, relayer, store
):
    charter, members, pid = polity
    settler = Settler(connect(anvil.url), relayer, store,
                      SettlerConfig(batch_size=3, confirmations=3, **QUICK))  # fmt: skip
    keys = enqueue(Validator(settler.chain, [charter.address]), store,
                   [charter.sign_ballot(m, pid, Support.FOR) for m in members[:3]])  # fmt: skip
    settler.step(flush=True)
    wait_for(lambda: chain.w3.eth.get_transaction_count(relayer.address, "latest") == 1)
    seen = []
    for _ in range(3):
        settler.step()
        seen.append(store.get(*keys[0]).status)
        mine(chain)
    assert seen == [BallotStatus.INCLUDED, BallotStatus.INCLUDED, BallotStatus.CONFIRMED]


def deploy_wallet(chain, owner, mode: int) -> tuple[str, object]:
    compiled = vyper.compile_code(WALLET.read_text(), output_formats=["abi", "bytecode"])
    factory = chain.w3.eth.contract(abi=compiled["abi"], bytecode=compiled["bytecode"])
    address = chain.transact(owner, factory.constructor(owner.address, mode))["contractAddress"]
    return address, chain.w3.eth.contract(address=address, abi=compiled["abi"])


def test_erc1271_wallet__its_ballot_is_checked_with_the_wallet_and_settled(
    chain, anvil, make_charter, founders, docs, relayer, tmp_path
):
    charter = make_charter()
    owner = Account.create("wallet owner")
    chain.fund(owner.address, 10**18)
    # honest; reverts; burns; honest only with more gas than the charter's stipend
    wallets = [deploy_wallet(chain, owner, mode) for mode in (0, 2, 4, 5)]
    join = bytes.fromhex(charter.contract.functions.join()._encode_transaction_data()[2:])
    for _, wallet in wallets:
        chain.transact(owner, wallet.functions.execute(charter.address, join))
    pid = open_proposal(charter, founders[0], docs)
    ballots = []
    for address, _ in wallets:
        digest = charter.verifier().digest(pid, int(Support.FOR), address)
        signature = bytes(owner.unsafe_sign_hash(digest).signature)
        ballots.append(
            SignedBallot(chain.chain_id, charter.address, pid, Support.FOR, address, signature)
        )
    with Relay(connect(anvil.url), relayer, Store(tmp_path / "r.db"),
               [charter.address], settler_config=SettlerConfig(**QUICK),
               service_config=ServiceConfig(port=0)) as relay:  # fmt: skip
        assert post(relay.url, as_json(ballots[0]))[0] == 202
        for refused in ballots[1:]:
            status, body = post(relay.url, as_json(refused))
            assert (status, body["error"]) == (422, "invalid_signature"), refused.voter
            assert "ERC-1271" in body["message"]
        wait_for(lambda: receipt(relay.url, ballots[0])["status"] == "confirmed")
        assert get(relay.url, f"/ballots/{charter.address}/{pid}/{ballots[1].voter}")[0] == 404
    # The chain agrees: the wallet honest only with more gas is skipped under the stipend.
    skipped = charter.contract.functions.cast_votes_by_sig(
        [(b.proposal_id, int(b.support), b.voter, b.signature) for b in ballots[3:]], False
    ).call({"from": relayer.address, "gas": 5_000_000})
    assert skipped == 0
    assert tallies(charter, pid) == (1, 0, 0)


def test_restart__a_new_settler_resumes_what_a_dead_one_signed(
    polity, chain, anvil, relayer, store
):
    """Signed and persisted, never broadcast (the process died): the next settler sends the
    very same transaction."""
    charter, members, pid = polity
    ballots = [charter.sign_ballot(m, pid, Support.AGAINST) for m in members[:5]]
    dead = Settler(connect(anvil.url), relayer, store, SettlerConfig(batch_size=5, **QUICK))
    keys = enqueue(Validator(dead.chain, [charter.address]), store, ballots)
    dead._broadcast = lambda batch, attempt: None  # type: ignore[method-assign]  # dies first
    dead.step(flush=True)
    (batch,) = store.batches(chain.chain_id, relayer.address)
    assert batch.status == BatchStatus.SIGNED
    alive = Settler(connect(anvil.url), relayer, store, SettlerConfig(batch_size=5, **QUICK))
    records = alive.settle(keys, timeout=20)
    assert {r.tx_hash for r in records} == {batch.attempts[0].hash}
    assert tallies(charter, pid) == (0, 5, 0)

"""The relay survives kill -9 at any moment: every accepted ballot ends confirmed exactly
once (its one VoteCast came from one of the relay's transactions).

``panarchy relay serve`` runs as a subprocess against a real anvil node. A client posts 150
ballots (50 members, three proposals) while the process is SIGKILLed at random moments
(seeded), and also kills itself at the crash points (``PANARCHY_RELAY_CRASH``): between
validating and persisting a ballot, between persisting and answering, between signing a
batch and broadcasting it, after broadcasting, between reading a receipt and recording it,
and before recording a confirmation. After each death it is restarted on the same database;
the client posts again whatever was not acknowledged, as a wallet would.
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import requests
from panarchy import Support, dev_accounts
from panarchy.node import free_port
from panarchy.relay import BallotStatus, BatchStatus, Store
from panarchy.relay._crash import POINTS as CRASH_POINTS
from relay_helpers import new_members, open_proposal, sent_by, skipped, tallies, vote_casts

SEED = 20261122
CYCLES = 20  # deaths before the final, undisturbed run
RELAYER = 7  # the development account that pays
#: How likely each crash point kills the relay (the settlement points see fewer events).
CRASH = (
    "accept:before_commit=0.08,accept:after_commit=0.08,settle:after_commit=0.12,"
    "settle:after_broadcast=0.25,receipt:before_commit=0.25,confirm:before_commit=0.12"
)


class RelayProcess:
    """``python -m panarchy.cli relay serve`` on a port, stopped (or killed) by its PID."""

    def __init__(
        self, rpc: str, charter: str, db: Path, port: int, log: Path, crash: str, seed: int
    ) -> None:
        env = dict(os.environ, PANARCHY_RELAY_CRASH=crash, PANARCHY_RELAY_CRASH_SEED=str(seed))
        args = [
            sys.executable, "-m", "panarchy.cli", "--rpc", rpc, "--dev-account", str(RELAYER),
            "relay", "serve", charter, "--db", str(db), "--port", str(port),
            "--batch-size", "20", "--batch-age", "0.3", "--poll-interval", "0.05",
            "--confirmations", "1", "--voter-rate", "0", "--client-rate", "0",
        ]  # fmt: skip
        self.url = f"http://127.0.0.1:{port}"
        self._log = log.open("ab")
        self.proc = subprocess.Popen(args, stdout=self._log, stderr=self._log, env=env)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def ready(self, timeout: float = 30.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.alive():
            try:
                if requests.get(self.url + "/health", timeout=1).status_code in (200, 503):
                    return True
            except requests.RequestException:
                time.sleep(0.05)
        return False

    def kill(self) -> None:
        if self.alive():
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)
        self._log.close()

    def stop(self) -> None:
        if self.alive():
            os.kill(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=20)
        self._log.close()


def test_relay__survives_a_kill_9_loop_and_confirms_every_ballot_once(
    chain, anvil, make_charter, founders, docs, tmp_path
):
    rng = random.Random(SEED)
    relayer = dev_accounts()[RELAYER].address
    charter = make_charter()
    members = new_members(chain, charter, 50, "kill")
    pids = [open_proposal(charter, founders[0], docs, f"kill {i}") for i in range(3)]
    ballots = [
        charter.sign_ballot(m, pid, Support(rng.randrange(3))) for pid in pids for m in members
    ]
    rng.shuffle(ballots)
    first_block = chain.w3.eth.block_number + 1
    first_nonce = chain.w3.eth.get_transaction_count(relayer)
    db, log, port = tmp_path / "relay.sqlite3", tmp_path / "relay.log", free_port()
    unacknowledged = {b.voter + str(b.proposal_id): b for b in ballots}
    deaths = Counter()

    def post_some(relay: RelayProcess) -> bool:
        """Post a few unacknowledged ballots; False when the relay is gone."""
        chunk = rng.sample(
            list(unacknowledged.values()), min(len(unacknowledged), rng.randint(1, 4))
        )
        payload = "[" + ",".join(b.to_json() for b in chunk) + "]"
        try:
            r = requests.post(relay.url + "/ballots", data=payload, timeout=10,
                              headers={"Content-Type": "application/json"})  # fmt: skip
        except requests.RequestException:
            return False
        assert r.status_code == 200, r.text
        for ballot, result in zip(chunk, r.json()["results"], strict=True):
            assert result["status"] in (200, 202), result
            unacknowledged.pop(ballot.voter + str(ballot.proposal_id))
        return True

    for cycle in range(CYCLES + 1):
        final = cycle == CYCLES
        relay = RelayProcess(anvil.url, charter.address, db, port, log,
                             crash="" if final else CRASH, seed=SEED + cycle)  # fmt: skip
        if not relay.ready():
            relay.kill()
            deaths["crash point (starting)"] += 1
            continue
        deadline = time.monotonic() + (60 if final else rng.uniform(0.3, 2.0))
        while relay.alive() and time.monotonic() < deadline:
            if unacknowledged:
                if not post_some(relay):
                    break
                time.sleep(0 if final else rng.uniform(0.1, 0.3))  # spread over the cycles
            elif final:
                look = Store(db)
                finished = all(r.final for r in look.ballots(chain.chain_id))
                look.close()
                if finished:
                    break
                time.sleep(0.1)
            else:
                time.sleep(0.05)
        if final:
            assert relay.alive(), "the final run must not die"
            relay.stop()
        elif relay.alive():
            relay.kill()
            deaths["SIGKILL from outside"] += 1
        else:
            relay.kill()
            deaths["crash point"] += 1

    # Every crash point was reached at least once over the whole run.
    hit = Counter(re.findall(r"crashpoint (\S+)", log.read_text()))
    assert set(hit) == set(CRASH_POINTS), (hit, deaths)
    assert deaths["SIGKILL from outside"] >= 3, deaths

    assert not unacknowledged
    store = Store(db)
    records = store.ballots(chain.chain_id)
    assert len(records) == 150
    assert Counter(r.status for r in records) == Counter({BallotStatus.CONFIRMED: 150})
    # Exactly once, on chain: one VoteCast per ballot, each from the relayer.
    casts = vote_casts(chain, charter, first_block)
    assert Counter((c["voter"], c["proposal_id"]) for c in casts) == Counter(
        {(b.voter, b.proposal_id): 1 for b in ballots})  # fmt: skip
    assert {c["sender"] for c in casts} == {relayer}
    by_key = {(c["voter"], c["proposal_id"]): c for c in casts}
    for r in records:
        assert by_key[(r.voter, r.proposal_id)]["tx_hash"] == r.tx_hash
        assert by_key[(r.voter, r.proposal_id)]["support"] == int(r.support)
    for pid in pids:
        expected = Counter(int(b.support) for b in ballots if b.proposal_id == pid)
        assert tallies(charter, pid) == (expected[1], expected[0], expected[2])
    # Nonces: contiguous, one batch each, every batch mined once; no ballot rode twice.
    batches = store.batches(chain.chain_id, relayer)
    assert [b.nonce for b in batches] == list(range(first_nonce, first_nonce + len(batches)))
    assert {b.status for b in batches} == {BatchStatus.CONFIRMED}
    mined = sent_by(chain, relayer, first_block)
    assert ["0x" + bytes(tx["hash"]).hex() for tx in mined] == [b.tx_hash for b in batches]
    assert skipped(chain, charter, first_block) == []  # no batch carried a counted ballot
    store.close()
    print(f"deaths: {dict(deaths)}; crash points hit: {dict(hit)}; batches: {len(batches)}")

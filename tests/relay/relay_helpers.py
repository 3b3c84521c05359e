"""Helpers for the relay tests: members, proposals, HTTP calls, and what the chain says."""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import requests
from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils import keccak
from panarchy import Chain, Charter
from panarchy.documents import Document, DocumentStore, store_document
from panarchy.relay.settler import decode_vote_cast, vote_cast_topic


def cid_of(store: DocumentStore, title: str, kind: str = "clause") -> str:
    body = hashlib.sha256(title.encode()).hexdigest()
    return store_document(store, Document(kind=kind, title=title, body=body))


def new_members(chain: Chain, charter: Charter, count: int, salt: str) -> list[LocalAccount]:
    """Fresh keys, funded and joined to an open charter (join transactions sent together)."""
    members = [Account.from_key(keccak(text=f"{salt}-{charter.address}-{i}")) for i in range(count)]
    hashes = []
    for account in members:
        chain.fund(account.address, 10**18)
        hashes.append(chain.send(account, charter.contract.functions.join()))
    for tx_hash in hashes:
        chain.wait(tx_hash)
    return members


def open_proposal(
    charter: Charter, proposer: LocalAccount, store: DocumentStore, tag: str = ""
) -> int:
    action = charter.actions.enact_clause(cid_of(store, f"clause {tag} {time.time()}"), 1)
    return charter.propose(proposer, [action], cid_of(store, f"proposal {tag}", "proposal")).id


def tallies(charter: Charter, proposal_id: int) -> tuple[int, int, int]:
    p = charter.proposal(proposal_id)
    return p.for_votes, p.against_votes, p.abstain_votes


def vote_casts(chain: Chain, charter: Charter, from_block: int = 0) -> list[dict[str, Any]]:
    """Every VoteCast of the charter on the canonical chain: voter, proposal, tx, sender."""
    logs = chain.w3.eth.get_logs({"address": charter.address, "topics": [vote_cast_topic()],
                                  "fromBlock": from_block, "toBlock": "latest"})  # fmt: skip
    out = []
    senders: dict[bytes, str] = {}
    for entry in logs:
        tx = bytes(entry["transactionHash"])
        if tx not in senders:
            senders[tx] = chain.w3.eth.get_transaction(tx)["from"]
        proposal_id, support, _ = decode_vote_cast(bytes(entry["data"]))
        out.append({
            "voter": chain.w3.to_checksum_address("0x" + bytes(entry["topics"][1])[-20:].hex()),
            "proposal_id": proposal_id, "support": support,
            "tx_hash": "0x" + tx.hex(), "block_hash": "0x" + bytes(entry["blockHash"]).hex(),
            "sender": senders[tx],
        })  # fmt: skip
    return out


def skipped(chain: Chain, charter: Charter, from_block: int = 0) -> list[Any]:
    """Every BallotSkipped of the charter since ``from_block``."""
    topic = "0x" + keccak(text="BallotSkipped(uint256,address,uint8)").hex()
    return list(chain.w3.eth.get_logs({"address": charter.address, "topics": [topic],
                                       "fromBlock": from_block, "toBlock": "latest"}))  # fmt: skip


def counted_once(casts: list[dict[str, Any]]) -> Counter[tuple[str, int]]:
    return Counter((c["voter"], c["proposal_id"]) for c in casts)


def sent_by(chain: Chain, sender: str, from_block: int) -> list[Any]:
    """Every mined transaction from ``sender`` since ``from_block``, in order."""
    txs = []
    for number in range(from_block, chain.w3.eth.block_number + 1):
        block = chain.w3.eth.get_block(number, full_transactions=True)
        txs += [tx for tx in block["transactions"] if tx["from"] == sender]
    return txs


def wait_for(check: Callable[[], Any], timeout: float = 30.0, every: float = 0.05) -> Any:
    """Poll ``check`` until it returns something truthy."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {check}")
        time.sleep(every)


def post(
    url: str, body: Any, *, raw: bytes | None = None, timeout: float = 10.0
) -> tuple[int, Any]:
    data = raw if raw is not None else json.dumps(body).encode()
    r = requests.post(url + "/ballots", data=data, timeout=timeout,
                      headers={"Content-Type": "application/json"})  # fmt: skip
    return r.status_code, r.json()


def get(url: str, path: str, timeout: float = 10.0) -> tuple[int, Any]:
    r = requests.get(url + path, timeout=timeout)
    return r.status_code, r.json()


def receipt(url: str, ballot: Any) -> dict[str, Any]:
    status, body = get(url, f"/ballots/{ballot.charter}/{ballot.proposal_id}/{ballot.voter}")
    assert status == 200, body
    return body  # type: ignore[no-any-return]


def enqueue(validator: Any, store: Any, ballots: list[Any]) -> list[tuple[int, str, int, str]]:
    """Check ballots and store the eligible ones, as the service does; return their keys."""
    eligible = [validator.check(b) for b in ballots]
    store.accept([(e.ballot, e.snapshot, e.vote_end) for e in eligible])
    return [(b.chain_id, b.charter, b.proposal_id, b.voter) for b in ballots]


def mine(chain: Chain, timestamp: int | None = None) -> None:
    chain.w3.provider.make_request("evm_mine", [timestamp] if timestamp else [])  # type: ignore[arg-type]


def automine(chain: Chain, on: bool) -> None:
    chain.w3.provider.make_request("evm_setAutomine", [on])  # type: ignore[arg-type]

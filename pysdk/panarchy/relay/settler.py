"""Settling accepted ballots on chain, in batches, exactly once, whatever fails.

The settler is a loop of idempotent passes. Each pass reads the chain, compares it with the
store, and moves every ballot and batch one step closer to a final state:

1. **Reorgs.** Every outcome recorded from a block (a batch mined, a ballot counted or
   skipped) is checked against the canonical hash at that height while it is within
   ``watch_blocks`` of the head; a block that left the chain undoes what it taught, and its
   batches are broadcast again. A batch mined above the node's nonce count is off the
   chain too (anvil's reorg drops transactions instead of returning them to the pool).
2. **Pending batches**, in nonce order: a receipt of any of the batch's attempts settles it
   (each ballot counted — a ``VoteCast`` in this receipt — or skipped, with the charter's
   reason); a reverted one sends its ballots back to the queue. A nonce used by some other
   transaction (another sender with the same key) is *replaced* once that is the required
   depth deep: each ballot is looked up on chain (``has_voted``, then its ``VoteCast`` log)
   and either attributed, reported as counted elsewhere, or queued again. Otherwise the
   node must hold the transaction: if it does not, the same signed bytes are sent again;
   if it sat unmined for ``stuck_after`` seconds, a replacement with higher fees (same
   nonce, same call) is signed, persisted, then sent.
3. **Confirmations**: a mined batch whose block is ``confirmations`` deep, and still
   canonical, is confirmed with the ballots it counted.
4. **Nonce gaps**: a nonce below the relay's lowest pending one that nothing fills (a
   transaction lost by the node or by a reorg, not ours) gets a 0-value self-transfer after
   ``gap_grace`` seconds, so later batches are not stuck behind it.
5. **New batches**: when a charter has ``batch_size`` queued ballots, or its oldest waited
   ``batch_age`` seconds, or a vote closes within ``urgent_seconds``, the settler builds
   ``cast_votes_by_sig(ballots, all_or_nothing=False)``, estimates its gas, and in **one
   commit** takes the next nonce, signs, and records the raw transaction with its ballots —
   then broadcasts. A crash after the commit is recovered by sending the same bytes again;
   a crash before it leaves the ballots queued. Nonces come only from the store (the
   largest used + 1, never below what the node reports used), so several settlers — threads
   or processes — sharing one database and one key hand out contiguous nonces.

Nothing here re-signs a transaction for a new nonce while the old one could still be mined,
and the charter counts a voice once, so no ballot is ever counted twice; a ballot leaves the
relay only as ``confirmed`` (its ``VoteCast`` came from one of the relay's transactions) or
``rejected`` with a reason.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from eth_abi import decode
from eth_account.signers.local import LocalAccount
from eth_typing import HexStr
from eth_utils import keccak, to_checksum_address
from web3._utils.events import get_event_data
from web3.exceptions import ContractLogicError, TransactionNotFound

from panarchy._utils import artifacts
from panarchy.chain import Chain
from panarchy.charter.types import MAX_BATCH, SkipReason
from panarchy.errors import ChainUnavailable
from panarchy.relay._crash import crashpoint
from panarchy.relay.rpc import error_text, is_fee_too_low_error, is_known_tx_error, retrying
from panarchy.relay.store import (
    Attempt,
    BallotRecord,
    BallotStatus,
    Batch,
    BatchStatus,
    Resolution,
    Store,
)

log = logging.getLogger("panarchy.relay")

_VOTE_CAST = "0x" + keccak(text="VoteCast(address,uint256,uint8,uint256,string)").hex()
_GAS_HEADROOM = 1.25
_FILLER_GAS = 21_000


@dataclass(frozen=True)
class SettlerConfig:
    """How the settler batches, waits and retries.

    Attributes:
        batch_size: Most ballots in one transaction (at most ``MAX_BATCH``).
        batch_age: Seconds the oldest queued ballot waits for a fuller batch.
        confirmations: Blocks (the one that includes a transaction counts) before a ballot
            is ``confirmed``.
        poll_interval: Seconds between passes when nothing wakes the settler.
        max_inflight: Most batches signed and not yet mined at once.
        rebroadcast_after: Seconds between checks that the node still holds a pending
            transaction (it is sent again when it does not).
        stuck_after: Seconds a transaction may sit unmined before its fees are bumped.
        fee_bump: The factor each replacement raises the fees by (nodes want >= 1.1).
        max_fee_per_gas: A cap on the fee per gas, in wei (None: no cap).
        gap_grace: Seconds a nonce gap may last before the settler fills it.
        watch_blocks: How far below the head recorded outcomes are checked for reorgs.
        max_attempts: Reverted batches a ballot may ride in before it is rejected.
        urgent_seconds: A vote closing within this many seconds is settled at once.
    """

    batch_size: int = 100
    batch_age: float = 5.0
    confirmations: int = 1
    poll_interval: float = 0.5
    max_inflight: int = 8
    rebroadcast_after: float = 3.0
    stuck_after: float = 120.0
    fee_bump: float = 1.125
    max_fee_per_gas: int | None = None
    gap_grace: float = 30.0
    watch_blocks: int = 64
    max_attempts: int = 5
    urgent_seconds: float = 60.0

    def __post_init__(self) -> None:
        if not 1 <= self.batch_size <= MAX_BATCH:
            raise ValueError(f"batch_size must be between 1 and {MAX_BATCH}")
        if self.confirmations < 1:
            raise ValueError("confirmations must be at least 1")
        if self.fee_bump < 1.1:
            raise ValueError("fee_bump must be at least 1.1 (nodes refuse smaller bumps)")


@dataclass(frozen=True)
class Head:
    """The chain's latest block, as one pass saw it."""

    number: int
    hash: str
    timestamp: int
    base_fee: int | None
    seen_at: float  # time.monotonic() when read

    def chain_now(self) -> float:
        """The chain's time now, extrapolated from the block's timestamp."""
        return self.timestamp + (time.monotonic() - self.seen_at)


class Settler:
    """Puts a store's queued ballots on chain and follows them to a final state.

    Args:
        chain: The chain (see :func:`panarchy.relay.rpc.connect`).
        signer: The relayer: it signs and pays for every transaction.
        store: The relay's database.
        config: Batching and retry settings.
    """

    def __init__(
        self, chain: Chain, signer: LocalAccount, store: Store, config: SettlerConfig | None = None
    ) -> None:
        self.chain = chain
        self.w3 = chain.w3
        self.chain_id = chain.chain_id
        self.signer = signer
        self.sender = to_checksum_address(signer.address)
        self.store = store
        self.config = config or SettlerConfig()
        self.head: Head | None = None
        #: The last problem that stops settlement (no funds, no node), for /health.
        self.problem: str | None = None
        self._abi = artifacts.load("Charter")["abi"]
        self._events = {e["name"]: e for e in self._abi if e.get("type") == "event"}
        self._contracts: dict[str, Any] = {}
        self._checked_head: str | None = None
        self._newest_receipt_block = 0
        self._last_sent: dict[str, float] = {}
        self._needs_bump: set[int] = set()
        self._gap_since: dict[int, float] = {}
        self._wake = threading.Event()

    def __repr__(self) -> str:
        return f"<Settler {self.sender} on chain {self.chain_id}>"

    # --- running ----------------------------------------------------------------------

    def wake(self) -> None:
        """Run the next pass now (a ballot arrived)."""
        self._wake.set()

    def run(self, stop: threading.Event) -> None:
        """Pass after pass until ``stop`` is set; errors are logged and retried."""
        while not stop.is_set():
            try:
                self.step()
                self.problem = None if self.problem == "node unavailable" else self.problem
            except ChainUnavailable as exc:
                self.problem = "node unavailable"
                log.warning("settler: %s", exc)
            except Exception:  # never let one bad pass stop settlement
                log.exception("settler pass failed; retrying")
            self._wake.wait(self.config.poll_interval)
            self._wake.clear()

    def settle(self, keys: Sequence[tuple[int, str, int, str]], *, timeout: float = 600.0,
               on_pass: Any = None) -> list[BallotRecord]:  # fmt: skip
        """Run passes, batching at once (no waiting for fuller batches), until every ballot
        in ``keys`` is final; return their records (``relay submit``)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.step(flush=True)
            except ChainUnavailable as exc:
                log.warning("settler: %s", exc)
            records = [self.store.get(*k) for k in keys]
            if on_pass is not None:
                on_pass(records)
            if all(r is not None and r.final for r in records):
                return [r for r in records if r is not None]
            if time.monotonic() > deadline:
                return [r for r in records if r is not None]
            time.sleep(self.config.poll_interval)

    def step(self, *, flush: bool = False) -> None:
        """One pass (see the module's description).

        Args:
            flush: Batch every queued ballot now, whatever its age.
        """
        head = self._read_head()
        count = retrying(
            lambda: int(self.w3.eth.get_transaction_count(self.sender, head.number)),
            what="the nonce count",
        )
        self.store.raise_nonce_floor(self.chain_id, self.sender, count)
        if head.hash != self._checked_head:
            self._check_reorgs(head)
        reverted = self.store.revert_unmined(self.chain_id, self.sender, count, head.number)
        if reverted:
            self._last_sent.clear()
            log.warning(
                "%d batch(es) are no longer on chain (a reorg): sending them again", reverted
            )
        self._newest_receipt_block = head.number
        self._follow_pending(head, count)
        if self._newest_receipt_block > head.number:
            # A receipt from a block newer than the head read at the start (the node mined
            # while we asked): count confirmations from the chain as it is now.
            head = self._read_head()
        self._confirm(head)
        self._fill_gaps(head, count)
        self._form_batches(head, flush)
        self._checked_head = head.hash

    # --- reading the chain ------------------------------------------------------------

    def _read_head(self) -> Head:
        block = retrying(lambda: self.w3.eth.get_block("latest"), what="the latest block")
        head = Head(
            number=int(block["number"]),
            hash="0x" + bytes(block["hash"]).hex(),
            timestamp=int(block["timestamp"]),
            base_fee=block.get("baseFeePerGas"),
            seen_at=time.monotonic(),
        )
        self.head = head
        return head

    def _canonical_hash(self, number: int, cache: dict[int, str | None]) -> str | None:
        if number not in cache:
            try:
                block = retrying(lambda: self.w3.eth.get_block(number), what=f"block {number}")
                cache[number] = "0x" + bytes(block["hash"]).hex()
            except Exception as exc:
                if isinstance(exc, ChainUnavailable):
                    raise
                cache[number] = None  # no such block (any more)
        return cache[number]

    def _receipt(self, tx_hash: str) -> Any | None:
        try:
            return retrying(lambda: self.w3.eth.get_transaction_receipt(tx_hash),  # type: ignore[arg-type]
                            what="a receipt")  # fmt: skip
        except TransactionNotFound:
            return None

    def _node_has(self, tx_hash: str) -> bool:
        try:
            retrying(lambda: self.w3.eth.get_transaction(tx_hash), what="a transaction")  # type: ignore[arg-type]
            return True
        except TransactionNotFound:
            return False

    def _contract(self, charter: str) -> Any:
        if charter not in self._contracts:
            self._contracts[charter] = self.w3.eth.contract(address=charter, abi=self._abi)  # type: ignore[call-overload]
        return self._contracts[charter]

    # --- 1. reorgs --------------------------------------------------------------------

    def _check_reorgs(self, head: Head) -> None:
        cache: dict[int, str | None] = {head.number: head.hash}
        above = head.number - self.config.watch_blocks
        for number, block_hash in self.store.block_refs(self.chain_id, above):
            canonical = None if number > head.number else self._canonical_hash(number, cache)
            if canonical != block_hash:
                reverted = self.store.revert_block(self.chain_id, block_hash)
                self._last_sent.clear()  # check the node at once for what must be resent
                log.warning("block %d %s left the chain: %d batch(es) to send again",
                            number, block_hash, reverted)  # fmt: skip

    # --- 2. pending batches -----------------------------------------------------------

    def _follow_pending(self, head: Head, count: int) -> None:
        depth_count: int | None = None
        for batch in self.store.batches(self.chain_id, self.sender, [BatchStatus.SIGNED]):
            receipt = next(
                (r for r in (self._receipt(a.hash) for a in reversed(batch.attempts)) if r), None
            )
            if receipt is not None:
                self._apply_receipt(batch, receipt)
                continue
            if batch.nonce < count:
                # Used by a transaction that is not one of ours; act once that is deep enough.
                if depth_count is None:
                    at = max(0, head.number - self.config.confirmations + 1)
                    depth_count = retrying(
                        lambda at=at: int(self.w3.eth.get_transaction_count(self.sender, at)),
                        what="the nonce count",
                    )
                if batch.nonce < depth_count:
                    self._replaced(batch)
                continue
            self._keep_sent(batch, head)

    def _apply_receipt(self, batch: Batch, receipt: Any) -> None:
        tx_hash = "0x" + bytes(receipt["transactionHash"]).hex()
        block_number = int(receipt["blockNumber"])
        block_hash = "0x" + bytes(receipt["blockHash"]).hex()
        self._newest_receipt_block = max(self._newest_receipt_block, block_number)
        succeeded = receipt["status"] == 1
        resolutions: list[Resolution] = []
        if succeeded and batch.charter is not None:
            resolutions = self._outcomes(batch, receipt, tx_hash, block_number, block_hash)
        changed = self.store.record_mined(
            batch.id, tx_hash=tx_hash, block_number=block_number, block_hash=block_hash,
            succeeded=succeeded, resolutions=resolutions, max_attempts=self.config.max_attempts,
            before_commit=lambda: crashpoint("receipt:before_commit"),
        )  # fmt: skip
        if changed:
            log.info("batch %d (nonce %d) %s in block %d: %s", batch.id, batch.nonce,
                     "mined" if succeeded else "REVERTED", block_number, tx_hash)  # fmt: skip

    def _outcomes(
        self, batch: Batch, receipt: Any, tx_hash: str, block_number: int, block_hash: str
    ) -> list[Resolution]:
        """Each ballot's fate, read from the receipt's events (the charter's only)."""
        charter = batch.charter or ""
        codec = self.w3.codec
        counted: list[Resolution] = []
        skipped: list[tuple[int, str, SkipReason]] = []
        for entry in receipt["logs"]:
            if to_checksum_address(entry["address"]) != charter or not entry["topics"]:
                continue
            topic = "0x" + bytes(entry["topics"][0]).hex()
            if topic == _VOTE_CAST:
                args = get_event_data(codec, self._events["VoteCast"], entry)["args"]
                counted.append(Resolution(
                    int(args["proposalId"]), to_checksum_address(args["voter"]),
                    BallotStatus.INCLUDED, tx_hash=tx_hash, block_number=block_number,
                    block_hash=block_hash,
                ))  # fmt: skip
            else:
                try:
                    args = get_event_data(codec, self._events["BallotSkipped"], entry)["args"]
                except Exception:
                    continue  # another event of the charter (a delegate override)
                skipped.append((int(args["proposalId"]), to_checksum_address(args["voter"]),
                                SkipReason(int(args["reason"]))))  # fmt: skip
        resolutions = list(counted)
        for proposal_id, voter, reason in skipped:
            if reason == SkipReason.ALREADY_VOTED:
                resolutions.append(self._counted_where(charter, proposal_id, voter, block_number))
            else:
                resolutions.append(Resolution(
                    proposal_id, voter, BallotStatus.REJECTED, reason.name.lower(),
                    f"skipped by the charter in {tx_hash}", tx_hash, block_number, block_hash,
                ))  # fmt: skip
        return resolutions

    def _counted_where(
        self, charter: str, proposal_id: int, voter: str, up_to: int | None = None
    ) -> Resolution:
        """Who counted a voter's voice: their ``VoteCast`` log (voter is indexed)."""
        record = self.store.get(self.chain_id, charter, proposal_id, voter)
        start = record.snapshot if record is not None else 0
        logs = retrying(
            lambda: self.w3.eth.get_logs({
                "address": charter,  # type: ignore[typeddict-item]
                "topics": [_VOTE_CAST, "0x" + bytes(12).hex() + voter[2:].lower()],
                "fromBlock": start,
                "toBlock": "latest" if up_to is None else up_to,
            }),
            what="VoteCast logs",
        )  # fmt: skip
        for entry in logs:
            args = get_event_data(self.w3.codec, self._events["VoteCast"], entry)["args"]
            if int(args["proposalId"]) == proposal_id:
                return Resolution(
                    proposal_id, voter, BallotStatus.INCLUDED,
                    detail=None, tx_hash="0x" + bytes(entry["transactionHash"]).hex(),
                    block_number=int(entry["blockNumber"]),
                    block_hash="0x" + bytes(entry["blockHash"]).hex(),
                )  # fmt: skip
        # The charter said "already voted" but no log says by whom (a node without the
        # logs): report it without a transaction.
        return Resolution(proposal_id, voter, BallotStatus.REJECTED, "already_voted",
                          "the charter had already counted this voice")  # fmt: skip

    def _replaced(self, batch: Batch) -> None:
        """Another transaction used the batch's nonce: find out about each ballot."""
        resolutions: list[Resolution] = []
        if batch.charter is not None:
            fn = self._contract(batch.charter).functions
            for record in self.store.ballots(self.chain_id, batch_id=batch.id):
                if record.status != BallotStatus.SUBMITTED:
                    continue
                voted = retrying(
                    lambda r=record: bool(fn.has_voted(r.proposal_id, r.voter).call()),
                    what="has_voted",
                )
                if voted:
                    resolutions.append(
                        self._counted_where(batch.charter, record.proposal_id, record.voter)
                    )
                else:
                    resolutions.append(
                        Resolution(record.proposal_id, record.voter, BallotStatus.QUEUED)
                    )
        if self.store.record_replaced(batch.id, resolutions):
            log.warning("batch %d: nonce %d was used by another transaction; %d ballot(s) "
                        "looked up", batch.id, batch.nonce, len(resolutions))  # fmt: skip

    def _keep_sent(self, batch: Batch, head: Head) -> None:
        """Make sure the node holds the batch's newest attempt; bump it when stuck."""
        newest = batch.attempts[-1]
        now = time.monotonic()
        last = self._last_sent.get(newest.hash)
        if batch.id in self._needs_bump:
            self._bump(batch, head)
            return
        if last is not None and now - last < self.config.rebroadcast_after:
            return
        self._last_sent[newest.hash] = now
        if not self._node_has(newest.hash):
            log.info("batch %d (nonce %d): the node does not hold %s; sending it again",
                     batch.id, batch.nonce, newest.hash)  # fmt: skip
            self._broadcast(batch, newest)
        elif time.time() - newest.created_at >= self.config.stuck_after:
            self._bump(batch, head)

    def _broadcast(self, batch: Batch, attempt: Attempt) -> None:
        """Send signed bytes; whatever the answer, the next pass looks at the chain."""
        self._last_sent[attempt.hash] = time.monotonic()
        try:
            self.w3.eth.send_raw_transaction(attempt.raw)
            self.problem = None
        except Exception as exc:
            text = error_text(exc)
            if is_known_tx_error(text) or "nonce too low" in text:
                return  # it arrived before (a lost or duplicated answer), or it was mined
            if is_fee_too_low_error(text):
                self._needs_bump.add(batch.id)
            elif "insufficient funds" in text:
                self.problem = f"the relayer {self.sender} has too little ETH to pay for gas"
                log.error(self.problem)
            elif not isinstance(exc, OSError):  # refused for another reason: say so in /health
                self.problem = f"the node refuses transaction {attempt.hash}: {text}"
            log.info("batch %d: broadcast of %s answered %r", batch.id, attempt.hash, text)

    def _bump(self, batch: Batch, head: Head) -> None:
        """Sign a replacement with higher fees (same nonce, same call), persist, send."""
        newest = batch.attempts[-1]
        tip = max(int(newest.tip * self.config.fee_bump) + 1, self._tip())
        max_fee = max(int(newest.max_fee * self.config.fee_bump) + 1,
                      2 * (head.base_fee or 0) + tip)  # fmt: skip
        if self.config.max_fee_per_gas is not None and max_fee > self.config.max_fee_per_gas:
            if newest.max_fee >= self.config.max_fee_per_gas:
                self.problem = "fees at the configured maximum and the transaction is not mined"
                return
            max_fee = self.config.max_fee_per_gas
            tip = min(tip, max_fee)
        tx_hash, raw = self._sign(batch.to, batch.data, batch.gas, batch.nonce, max_fee, tip)
        bumped = self.store.add_attempt(batch.id, tx_hash, raw, max_fee, tip)
        self._needs_bump.discard(batch.id)
        if bumped is not None:
            log.info("batch %d (nonce %d): replacing with higher fees: %s",
                     batch.id, batch.nonce, tx_hash)  # fmt: skip
            self._broadcast(bumped, bumped.attempts[-1])

    # --- 3. confirmations -------------------------------------------------------------

    def _confirm(self, head: Head) -> None:
        cache: dict[int, str | None] = {head.number: head.hash}
        for batch in self.store.batches(self.chain_id, self.sender, [BatchStatus.MINED]):
            assert batch.block_number is not None and batch.block_hash is not None
            if head.number - batch.block_number + 1 < self.config.confirmations:
                continue
            if self._canonical_hash(batch.block_number, cache) != batch.block_hash:
                self.store.revert_block(self.chain_id, batch.block_hash)
                continue
            if self.store.confirm(
                batch.id, batch.block_hash,
                before_commit=lambda: crashpoint("confirm:before_commit"),
            ):  # fmt: skip
                log.info("batch %d (nonce %d) confirmed", batch.id, batch.nonce)

    # --- 4. nonce gaps ----------------------------------------------------------------

    def _fill_gaps(self, head: Head, count: int) -> None:
        pending = self.store.batches(self.chain_id, self.sender, [BatchStatus.SIGNED])
        if not pending:
            self._gap_since.clear()
            return
        used = set(self.store.nonces(self.chain_id, self.sender))
        lowest = min(b.nonce for b in pending)
        gaps = [n for n in range(count, lowest) if n not in used]
        now = time.monotonic()
        self._gap_since = {n: self._gap_since.get(n, now) for n in gaps}
        for nonce in gaps:
            if now - self._gap_since[nonce] < self.config.gap_grace:
                continue
            max_fee, tip = self._fees(head)
            batch = self.store.create_batch(
                chain_id=self.chain_id, sender=self.sender, charter=None, ballot_ids=[],
                to=self.sender, data=b"", gas=_FILLER_GAS, nonce=nonce,
                sign=lambda n, f=max_fee, t=tip: (
                    *self._sign(self.sender, b"", _FILLER_GAS, n, f, t), f, t),
            )  # fmt: skip
            if batch is not None:
                log.warning("nonce %d was never used: filling the gap with %s",
                            nonce, batch.attempts[0].hash)  # fmt: skip
                self._broadcast(batch, batch.attempts[0])

    # --- 5. new batches ---------------------------------------------------------------

    def _form_batches(self, head: Head, flush: bool) -> None:
        inflight = len(self.store.batches(self.chain_id, self.sender, [BatchStatus.SIGNED]))
        tries = 0
        while inflight < self.config.max_inflight and tries < 4 * self.config.max_inflight:
            tries += 1
            due = self._due_charter(head, flush)
            if due is None:
                return
            records = self.store.queued(self.chain_id, due, self.config.batch_size)
            closed = [r.id for r in records if r.vote_end <= head.timestamp]
            if closed:
                self.store.reject_queued(
                    closed, "voting_closed", "the vote closed before the ballot could be relayed"
                )  # fmt: skip
                continue
            if self._send_batch(head, due, records):
                inflight += 1

    def _due_charter(self, head: Head, flush: bool) -> str | None:
        now = time.time()
        chain_now = head.chain_now()
        for charter, count, oldest, vote_end in self.store.queue_summary(self.chain_id):
            if (
                flush
                or count >= self.config.batch_size
                or now - oldest >= self.config.batch_age
                or vote_end - chain_now <= self.config.urgent_seconds
            ):
                return str(charter)
        return None

    def _send_batch(self, head: Head, charter: str, records: list[BallotRecord]) -> bool:
        contract = self._contract(charter)
        while records:
            data = bytes.fromhex(contract.encode_abi(
                "cast_votes_by_sig", args=[[r.ballot.as_call_args() for r in records], False]
            )[2:])  # fmt: skip
            try:
                gas = retrying(
                    lambda d=data: int(self.w3.eth.estimate_gas(
                        {"from": self.sender, "to": charter, "data": d}, "pending",  # type: ignore[typeddict-item]
                    )),
                    what="a gas estimate",
                )  # fmt: skip
                break
            except ContractLogicError as exc:
                # A batch that skips bad ballots should never revert; if it does, find the
                # ballot that makes it: halve until one is left, and reject that one.
                if len(records) == 1:
                    self.store.reject_queued([records[0].id], "settlement_failed",
                                             f"the charter refuses it: {exc}")  # fmt: skip
                    return False
                records = records[: len(records) // 2]
        else:
            return False
        max_fee, tip = self._fees(head)
        gas = int(gas * _GAS_HEADROOM)
        batch = self.store.create_batch(
            chain_id=self.chain_id, sender=self.sender, charter=charter,
            ballot_ids=[r.id for r in records], to=charter, data=data, gas=gas,
            sign=lambda n: (*self._sign(charter, data, gas, n, max_fee, tip), max_fee, tip),
        )  # fmt: skip
        if batch is None:
            return False  # another settler took some of these ballots first
        crashpoint("settle:after_commit")
        log.info("batch %d: %d ballot(s) for %s, nonce %d, %s", batch.id, len(records),
                 charter, batch.nonce, batch.attempts[0].hash)  # fmt: skip
        self._broadcast(batch, batch.attempts[0])
        crashpoint("settle:after_broadcast")
        return True

    # --- signing ----------------------------------------------------------------------

    def _tip(self) -> int:
        return retrying(lambda: int(self.w3.eth.max_priority_fee), what="the priority fee")

    def _fees(self, head: Head) -> tuple[int, int]:
        """(max fee per gas, priority fee): twice the base fee plus the tip, capped."""
        tip = self._tip()
        max_fee = 2 * (head.base_fee or 0) + tip
        cap = self.config.max_fee_per_gas
        if cap is not None and max_fee > cap:
            max_fee, tip = cap, min(tip, cap)
        return max_fee, tip

    def _sign(
        self, to: str, data: bytes, gas: int, nonce: int, max_fee: int, tip: int
    ) -> tuple[str, bytes]:
        signed = self.signer.sign_transaction({
            "type": 2, "chainId": self.chain_id, "nonce": nonce, "to": HexStr(to), "value": 0,
            "data": data, "gas": gas, "maxFeePerGas": max_fee, "maxPriorityFeePerGas": tip,
        })  # fmt: skip
        return "0x" + bytes(signed.hash).hex(), bytes(signed.raw_transaction)


def vote_cast_topic() -> str:
    """The ``VoteCast`` event's topic (for tests and tools counting votes on chain)."""
    return _VOTE_CAST


def decode_vote_cast(data: bytes) -> tuple[int, int, int]:
    """(proposal id, support, weight) from a ``VoteCast`` log's data."""
    proposal_id, support, weight, _reason = decode(["uint256", "uint8", "uint256", "string"], data)
    return int(proposal_id), int(support), int(weight)


__all__ = [
    "log",
    "SettlerConfig",
    "Head",
    "Settler",
    "vote_cast_topic",
    "decode_vote_cast",
]

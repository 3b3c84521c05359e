"""The relay's durable state: every accepted ballot and every transaction, in SQLite.

One file, in WAL mode with ``synchronous=FULL``: a write the relay acknowledged survives a
crash of the process or of the machine. Every change is one SQLite transaction taken with
``BEGIN IMMEDIATE`` (the write lock first), so several threads and several processes may
share a database, and every state change is a compare-and-set on the row's current status:
two settlers that read the same chain state apply it once.

Tables:

- ``ballots``: one row per (chain, charter, proposal, voter) — ``UNIQUE`` makes a second
  ballot from the same voter a duplicate or a conflict, never a second row. Its ``status``
  is one of :class:`BallotStatus`; ``batch_id`` is the batch that carries it (or counted it).
- ``batches``: one row per nonce of the relayer's key: the call (charter, calldata, gas)
  and its fate (:class:`BatchStatus`), with the block it was mined in.
- ``attempts``: every signed transaction of a batch (hash, raw bytes, fees). A batch has one
  attempt, plus one per fee bump; all share its nonce, so at most one is ever mined.
- ``meta``: the schema version and the lowest nonce the next batch may use.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from eth_utils import to_checksum_address

from panarchy.charter.ballots import SignedBallot
from panarchy.charter.types import Support
from panarchy.errors import ConfigurationError

SCHEMA_VERSION = 1


class SignAt(Protocol):
    """Signs the batch's transaction at a nonce: returns (hash, raw transaction, max fee, tip).
    (A ``Callable[[int], ...]`` would do, but mypy cannot infer a lambda binding loop values
    as defaults against it.)"""

    def __call__(self, nonce: int, /) -> tuple[str, bytes, int, int]: ...


class BallotStatus(StrEnum):
    """Where an accepted ballot stands."""

    QUEUED = "queued"  # accepted and persisted; waiting for a batch
    SUBMITTED = "submitted"  # in a signed transaction, broadcast or about to be
    INCLUDED = "included"  # counted by one of the relay's mined transactions
    CONFIRMED = "confirmed"  # counted, and that block is the required depth deep
    REJECTED = "rejected"  # will not be counted by this relay; ``reason`` says why


class BatchStatus(StrEnum):
    """Where a batch (one nonce of the relayer's key) stands."""

    SIGNED = "signed"  # signed and persisted; broadcast (again) until mined
    MINED = "mined"  # mined and succeeded; waiting for confirmations
    CONFIRMED = "confirmed"  # mined, and the required depth deep
    FAILED = "failed"  # mined but reverted (out of gas): its ballots went back to the queue
    REPLACED = "replaced"  # its nonce was used by a transaction that is not one of its attempts


class AcceptOutcome(StrEnum):
    """What :meth:`Store.accept` did with a ballot."""

    ACCEPTED = "accepted"  # a new row
    DUPLICATE = "duplicate"  # the same vote was accepted before: nothing changed
    CONFLICT = "conflict"  # the voter's other vote on this proposal was accepted before


@dataclass(frozen=True)
class BallotRecord:
    """An accepted ballot and its fate, as the receipt endpoint reports it."""

    id: int
    chain_id: int
    charter: str
    proposal_id: int
    voter: str
    support: Support
    signature: bytes
    snapshot: int
    vote_end: int
    status: BallotStatus
    reason: str | None
    detail: str | None
    batch_id: int | None
    tx_hash: str | None
    block_number: int | None
    block_hash: str | None
    attempts: int
    accepted_at: float
    updated_at: float

    @property
    def ballot(self) -> SignedBallot:
        """The signed ballot itself."""
        return SignedBallot(
            chain_id=self.chain_id,
            charter=self.charter,
            proposal_id=self.proposal_id,
            support=self.support,
            voter=self.voter,
            signature=self.signature,
        )

    @property
    def key(self) -> tuple[int, str, int, str]:
        return (self.chain_id, self.charter, self.proposal_id, self.voter)

    @property
    def final(self) -> bool:
        """Whether the ballot reached a final state (confirmed or rejected)."""
        return self.status in (BallotStatus.CONFIRMED, BallotStatus.REJECTED)

    def to_json(self, head: int | None = None) -> dict[str, Any]:
        """The receipt: JSON-ready, with the confirmations as of block ``head``."""
        confirmations = 0
        if head is not None and self.block_number is not None:
            confirmations = max(0, head - self.block_number + 1)
        return {
            "chain_id": self.chain_id,
            "charter": self.charter,
            "proposal_id": self.proposal_id,
            "voter": self.voter,
            "support": self.support.name.lower(),
            "status": str(self.status),
            "reason": self.reason,
            "detail": self.detail,
            "tx_hash": self.tx_hash,
            "block_number": self.block_number,
            "block_hash": self.block_hash,
            "confirmations": confirmations,
            "attempts": self.attempts,
            "accepted_at": _iso(self.accepted_at),
            "updated_at": _iso(self.updated_at),
        }

    def __repr__(self) -> str:
        return (
            f"<Ballot #{self.proposal_id} {self.voter} {self.support.name} {self.status}"
            + (f" ({self.reason})" if self.reason else "")
            + ">"
        )


@dataclass(frozen=True)
class Attempt:
    """One signed transaction of a batch."""

    hash: str
    raw: bytes
    max_fee: int
    tip: int
    created_at: float


@dataclass(frozen=True)
class Batch:
    """One nonce of the relayer's key: the call it makes and what became of it."""

    id: int
    chain_id: int
    sender: str
    charter: str | None  # None: a filler that closes a nonce gap (a 0-value self-transfer)
    nonce: int
    to: str
    data: bytes
    gas: int
    status: BatchStatus
    tx_hash: str | None
    block_number: int | None
    block_hash: str | None
    created_at: float
    attempts: tuple[Attempt, ...] = field(default=())

    def __repr__(self) -> str:
        return f"<Batch #{self.id} nonce={self.nonce} {self.status} attempts={len(self.attempts)}>"


@dataclass(frozen=True)
class Resolution:
    """What became of one ballot of a batch, as the settler learned it from the chain.

    ``status`` is INCLUDED (counted by ``tx_hash``; the store finds which of the relay's
    batches that is), REJECTED (with ``reason``), or QUEUED (try again in a new batch).
    """

    proposal_id: int
    voter: str
    status: BallotStatus
    reason: str | None = None
    detail: str | None = None
    tx_hash: str | None = None
    block_number: int | None = None
    block_hash: str | None = None


_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS batches (
    id INTEGER PRIMARY KEY,
    chain_id INTEGER NOT NULL,
    sender TEXT NOT NULL,
    charter TEXT,
    nonce INTEGER NOT NULL,
    to_address TEXT NOT NULL,
    data BLOB NOT NULL,
    gas INTEGER NOT NULL,
    status TEXT NOT NULL,
    tx_hash TEXT,
    block_number INTEGER,
    block_hash TEXT,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    UNIQUE (chain_id, sender, nonce)
);
CREATE INDEX IF NOT EXISTS batches_status ON batches (chain_id, sender, status, nonce);
CREATE INDEX IF NOT EXISTS batches_block ON batches (block_number);
CREATE TABLE IF NOT EXISTS attempts (
    hash TEXT PRIMARY KEY,
    batch_id INTEGER NOT NULL REFERENCES batches (id),
    raw BLOB NOT NULL,
    max_fee INTEGER NOT NULL,
    tip INTEGER NOT NULL,
    created_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS attempts_batch ON attempts (batch_id);
CREATE TABLE IF NOT EXISTS ballots (
    id INTEGER PRIMARY KEY,
    chain_id INTEGER NOT NULL,
    charter TEXT NOT NULL,
    proposal_id TEXT NOT NULL,  -- decimal: a uint256 does not fit SQLite's integers
    voter TEXT NOT NULL,
    support INTEGER NOT NULL,
    signature BLOB NOT NULL,
    snapshot INTEGER NOT NULL,
    vote_end INTEGER NOT NULL,
    status TEXT NOT NULL,
    reason TEXT,
    detail TEXT,
    batch_id INTEGER REFERENCES batches (id),
    tx_hash TEXT,
    block_number INTEGER,
    block_hash TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    accepted_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    UNIQUE (chain_id, charter, proposal_id, voter)
);
CREATE INDEX IF NOT EXISTS ballots_status ON ballots (chain_id, status, charter, id);
CREATE INDEX IF NOT EXISTS ballots_batch ON ballots (batch_id);
CREATE INDEX IF NOT EXISTS ballots_block ON ballots (block_number);
"""

_BALLOT_COLUMNS = (
    "id, chain_id, charter, proposal_id, voter, support, signature, snapshot, vote_end, "
    "status, reason, detail, batch_id, tx_hash, block_number, block_hash, attempts, "
    "accepted_at, updated_at"
)
_BATCH_COLUMNS = (
    "id, chain_id, sender, charter, nonce, to_address, data, gas, status, tx_hash, "
    "block_number, block_hash, created_at"
)
# Outcomes that came from a block, and are undone when that block leaves the chain.
_FROM_A_BLOCK = (BallotStatus.INCLUDED, BallotStatus.CONFIRMED, BallotStatus.REJECTED)


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, tz=UTC).isoformat()


def _ballot(row: sqlite3.Row) -> BallotRecord:
    return BallotRecord(
        id=row["id"],
        chain_id=row["chain_id"],
        charter=row["charter"],
        proposal_id=int(row["proposal_id"]),
        voter=row["voter"],
        support=Support(row["support"]),
        signature=bytes(row["signature"]),
        snapshot=row["snapshot"],
        vote_end=row["vote_end"],
        status=BallotStatus(row["status"]),
        reason=row["reason"],
        detail=row["detail"],
        batch_id=row["batch_id"],
        tx_hash=row["tx_hash"],
        block_number=row["block_number"],
        block_hash=row["block_hash"],
        attempts=row["attempts"],
        accepted_at=row["accepted_at"],
        updated_at=row["updated_at"],
    )


class Store:
    """The relay's SQLite database; safe to share between threads and processes.

    Args:
        path: The database file (created with its directory if missing).
        busy_timeout: Seconds to wait for another writer's lock before failing.
    """

    def __init__(self, path: str | Path, *, busy_timeout: float = 30.0) -> None:
        self.path = Path(path).expanduser()
        self.busy_timeout = busy_timeout
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._all_lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._conn().executescript(_SCHEMA)  # each statement is IF NOT EXISTS
            with self._write() as db:
                row = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
                if row is None:
                    db.execute("INSERT INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
                elif int(row[0]) != SCHEMA_VERSION:
                    raise ConfigurationError(
                        f"{self.path} has relay schema {row[0]}, this version needs "
                        f"{SCHEMA_VERSION}; use another --db file"
                    )
        except sqlite3.DatabaseError as exc:
            raise ConfigurationError(
                f"cannot use {self.path} as the relay database: {exc}"
            ) from exc

    def __repr__(self) -> str:
        return f"<relay Store {self.path}>"

    # --- connections ------------------------------------------------------------------

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(
                self.path, timeout=self.busy_timeout, isolation_level=None, check_same_thread=False
            )
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")  # fsync the WAL at every commit
            conn.execute("PRAGMA foreign_keys=ON")
            self._local.conn = conn
            with self._all_lock:
                self._all.append(conn)
        return conn

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, holding the write lock from its first statement."""
        db = self._conn()
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """One consistent read snapshot."""
        db = self._conn()
        db.execute("BEGIN")
        try:
            yield db
        finally:
            db.execute("COMMIT")

    def close(self) -> None:
        """Close every connection this store opened (in any thread)."""
        with self._all_lock:
            for conn in self._all:
                # ProgrammingError: a connection already closed elsewhere.
                with contextlib.suppress(sqlite3.ProgrammingError):
                    conn.close()
            self._all.clear()
        self._local = threading.local()

    def pragma(self, name: str) -> Any:
        """A PRAGMA's value (``journal_mode``, ``synchronous``), for checks."""
        return self._conn().execute(f"PRAGMA {name}").fetchone()[0]

    # --- accepting ballots ------------------------------------------------------------

    def accept(
        self,
        items: Sequence[tuple[SignedBallot, int, int]],
        *,
        before_commit: Callable[[], None] | None = None,
    ) -> list[tuple[AcceptOutcome, BallotRecord]]:
        """Persist ballots that passed the arrival checks, durably, in one transaction.

        Args:
            items: (ballot, the proposal's snapshot block, its vote end time) for each.
            before_commit: Called just before the commit (a crash-test hook).

        Returns:
            For each ballot: whether it is new, a duplicate of an accepted one (the same
            vote), or a conflict (another vote by the same voter), with the stored record.
        """
        now = time.time()
        results: list[tuple[AcceptOutcome, BallotRecord]] = []
        with self._write() as db:
            for ballot, snapshot, vote_end in items:
                existing = self._get(db, _key(ballot))
                if existing is not None:
                    same = existing.support == ballot.support
                    results.append(
                        (AcceptOutcome.DUPLICATE if same else AcceptOutcome.CONFLICT, existing)
                    )
                    continue
                db.execute(
                    "INSERT INTO ballots (chain_id, charter, proposal_id, voter, support, "
                    "signature, snapshot, vote_end, status, accepted_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (ballot.chain_id, ballot.charter, str(ballot.proposal_id), ballot.voter,
                     int(ballot.support), ballot.signature, snapshot, vote_end,
                     BallotStatus.QUEUED, now, now),
                )  # fmt: skip
                record = self._get(db, _key(ballot))
                assert record is not None
                results.append((AcceptOutcome.ACCEPTED, record))
            if before_commit is not None:
                before_commit()
        return results

    def get(self, chain_id: int, charter: str, proposal_id: int, voter: str) -> BallotRecord | None:
        """The record of a ballot, or None if the relay never accepted it."""
        key = (chain_id, to_checksum_address(charter), proposal_id, to_checksum_address(voter))
        with self._read() as db:
            return self._get(db, key)

    def ballots(
        self, chain_id: int, *, status: BallotStatus | None = None, batch_id: int | None = None
    ) -> list[BallotRecord]:
        """Every ballot of a chain (optionally of one status or one batch), oldest first."""
        sql = f"SELECT {_BALLOT_COLUMNS} FROM ballots WHERE chain_id = ?"
        args: list[Any] = [chain_id]
        if status is not None:
            sql += " AND status = ?"
            args.append(str(status))
        if batch_id is not None:
            sql += " AND batch_id = ?"
            args.append(batch_id)
        with self._read() as db:
            return [_ballot(r) for r in db.execute(sql + " ORDER BY id", args)]

    def counts(self, chain_id: int) -> dict[str, int]:
        """How many ballots are in each status."""
        with self._read() as db:
            rows = db.execute(
                "SELECT status, COUNT(*) FROM ballots WHERE chain_id = ? GROUP BY status",
                (chain_id,),
            ).fetchall()
        counts = {str(s): 0 for s in BallotStatus}
        counts.update({r[0]: r[1] for r in rows})
        return counts

    def backlog(self, chain_id: int) -> int:
        """Ballots accepted but not yet in a transaction (what back-pressure bounds)."""
        with self._read() as db:
            return int(
                db.execute(
                    "SELECT COUNT(*) FROM ballots WHERE chain_id = ? AND status = ?",
                    (chain_id, BallotStatus.QUEUED),
                ).fetchone()[0]
            )

    @staticmethod
    def _get(db: sqlite3.Connection, key: tuple[int, str, int, str]) -> BallotRecord | None:
        row = db.execute(
            f"SELECT {_BALLOT_COLUMNS} FROM ballots "
            "WHERE chain_id = ? AND charter = ? AND proposal_id = ? AND voter = ?",
            (key[0], key[1], str(key[2]), key[3]),
        ).fetchone()
        return _ballot(row) if row else None

    # --- the queue --------------------------------------------------------------------

    def queue_summary(self, chain_id: int) -> list[tuple[str, int, float, int]]:
        """Per charter with queued ballots: (charter, count, oldest accepted_at, earliest
        vote end), the charter with the oldest ballot first."""
        with self._read() as db:
            rows = db.execute(
                "SELECT charter, COUNT(*), MIN(accepted_at), MIN(vote_end) FROM ballots "
                "WHERE chain_id = ? AND status = ? GROUP BY charter ORDER BY MIN(accepted_at)",
                (chain_id, BallotStatus.QUEUED),
            ).fetchall()
        return [(r[0], r[1], r[2], r[3]) for r in rows]

    def queued(self, chain_id: int, charter: str, limit: int) -> list[BallotRecord]:
        """The oldest queued ballots of a charter."""
        with self._read() as db:
            rows = db.execute(
                f"SELECT {_BALLOT_COLUMNS} FROM ballots "
                "WHERE chain_id = ? AND status = ? AND charter = ? ORDER BY id LIMIT ?",
                (chain_id, BallotStatus.QUEUED, charter, limit),
            ).fetchall()
        return [_ballot(r) for r in rows]

    def reject_queued(self, ids: Sequence[int], reason: str, detail: str | None = None) -> int:
        """Reject queued ballots before any transaction (their vote closed, say)."""
        now = time.time()
        with self._write() as db:
            return sum(
                db.execute(
                    "UPDATE ballots SET status = ?, reason = ?, detail = ?, updated_at = ? "
                    "WHERE id = ? AND status = ?",
                    (BallotStatus.REJECTED, reason, detail, now, i, BallotStatus.QUEUED),
                ).rowcount
                for i in ids
            )

    # --- batches and nonces -----------------------------------------------------------

    def raise_nonce_floor(self, chain_id: int, sender: str, floor: int) -> None:
        """Never hand out a nonce below ``floor`` (the count the node says is used)."""
        key = f"nonce_floor:{chain_id}:{sender}"
        with self._write() as db:
            row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
            if row is None or int(row[0]) < floor:
                db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, str(floor)))

    @staticmethod
    def _next_nonce(db: sqlite3.Connection, chain_id: int, sender: str) -> int:
        row = db.execute(
            "SELECT MAX(nonce) FROM batches WHERE chain_id = ? AND sender = ?", (chain_id, sender)
        ).fetchone()
        floor = db.execute(
            "SELECT value FROM meta WHERE key = ?", (f"nonce_floor:{chain_id}:{sender}",)
        ).fetchone()
        used = -1 if row[0] is None else int(row[0])
        return max(used + 1, int(floor[0]) if floor else 0)

    def create_batch(
        self,
        *,
        chain_id: int,
        sender: str,
        charter: str | None,
        ballot_ids: Sequence[int],
        to: str,
        data: bytes,
        gas: int,
        sign: SignAt,
        nonce: int | None = None,
    ) -> Batch | None:
        """Take the next nonce, sign the transaction, and record it with its ballots, in one
        commit — before anything is broadcast.

        Args:
            sign: Given the nonce, returns (hash, raw transaction, max fee, tip).
            nonce: A specific nonce (a gap filler); default: the next one.

        Returns:
            The batch, or None when another settler took one of the ballots (or the nonce)
            first: nothing was written.
        """
        now = time.time()
        with self._write() as db:
            for i in ballot_ids:
                row = db.execute("SELECT status FROM ballots WHERE id = ?", (i,)).fetchone()
                if row is None or row[0] != BallotStatus.QUEUED:
                    return None
            if nonce is None:
                nonce = self._next_nonce(db, chain_id, sender)
            elif db.execute(
                "SELECT 1 FROM batches WHERE chain_id = ? AND sender = ? AND nonce = ?",
                (chain_id, sender, nonce),
            ).fetchone():
                return None
            tx_hash, raw, max_fee, tip = sign(nonce)
            cur = db.execute(
                "INSERT INTO batches (chain_id, sender, charter, nonce, to_address, data, gas, "
                "status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (chain_id, sender, charter, nonce, to, data, gas, BatchStatus.SIGNED, now, now),
            )
            batch_id = int(cur.lastrowid or 0)
            db.execute(
                "INSERT INTO attempts VALUES (?, ?, ?, ?, ?, ?)",
                (tx_hash, batch_id, raw, max_fee, tip, now),
            )
            for i in ballot_ids:
                db.execute(
                    "UPDATE ballots SET status = ?, batch_id = ?, updated_at = ? WHERE id = ?",
                    (BallotStatus.SUBMITTED, batch_id, now, i),
                )
            return self._batch(db, batch_id)

    def add_attempt(
        self, batch_id: int, tx_hash: str, raw: bytes, max_fee: int, tip: int
    ) -> Batch | None:
        """Record a replacement (higher fees, same nonce) before broadcasting it."""
        with self._write() as db:
            row = db.execute("SELECT status FROM batches WHERE id = ?", (batch_id,)).fetchone()
            if row is None or row[0] != BatchStatus.SIGNED:
                return None
            db.execute(
                "INSERT OR IGNORE INTO attempts VALUES (?, ?, ?, ?, ?, ?)",
                (tx_hash, batch_id, raw, max_fee, tip, time.time()),
            )
            return self._batch(db, batch_id)

    def batches(
        self, chain_id: int, sender: str | None = None, statuses: Sequence[BatchStatus] = ()
    ) -> list[Batch]:
        """Batches of a chain (of one sender, in some statuses), by nonce."""
        sql = f"SELECT {_BATCH_COLUMNS} FROM batches WHERE chain_id = ?"
        args: list[Any] = [chain_id]
        if sender is not None:
            sql += " AND sender = ?"
            args.append(sender)
        if statuses:
            sql += f" AND status IN ({','.join('?' * len(statuses))})"
            args += [str(s) for s in statuses]
        with self._read() as db:
            ids = [r[0] for r in db.execute(sql + " ORDER BY sender, nonce", args)]
            return [b for b in (self._batch(db, i) for i in ids) if b is not None]

    def batch_of_tx(self, tx_hash: str) -> Batch | None:
        """The batch one of whose attempts is ``tx_hash`` (None: not the relay's)."""
        with self._read() as db:
            row = db.execute("SELECT batch_id FROM attempts WHERE hash = ?", (tx_hash,)).fetchone()
            return self._batch(db, row[0]) if row else None

    def nonces(self, chain_id: int, sender: str) -> list[int]:
        """Every nonce the relay gave a batch of ``sender``."""
        with self._read() as db:
            return [
                r[0]
                for r in db.execute(
                    "SELECT nonce FROM batches WHERE chain_id = ? AND sender = ? ORDER BY nonce",
                    (chain_id, sender),
                )
            ]

    @staticmethod
    def _batch(db: sqlite3.Connection, batch_id: int) -> Batch | None:
        row = db.execute(
            f"SELECT {_BATCH_COLUMNS} FROM batches WHERE id = ?", (batch_id,)
        ).fetchone()
        if row is None:
            return None
        attempts = tuple(
            Attempt(hash=a[0], raw=bytes(a[1]), max_fee=a[2], tip=a[3], created_at=a[4])
            for a in db.execute(
                "SELECT hash, raw, max_fee, tip, created_at FROM attempts "
                "WHERE batch_id = ? ORDER BY created_at, rowid",
                (batch_id,),
            )
        )
        return Batch(
            id=row["id"],
            chain_id=row["chain_id"],
            sender=row["sender"],
            charter=row["charter"],
            nonce=row["nonce"],
            to=row["to_address"],
            data=bytes(row["data"]),
            gas=row["gas"],
            status=BatchStatus(row["status"]),
            tx_hash=row["tx_hash"],
            block_number=row["block_number"],
            block_hash=row["block_hash"],
            created_at=row["created_at"],
            attempts=attempts,
        )

    # --- what the chain said ----------------------------------------------------------

    def record_mined(
        self,
        batch_id: int,
        *,
        tx_hash: str,
        block_number: int,
        block_hash: str,
        succeeded: bool,
        resolutions: Sequence[Resolution],
        max_attempts: int,
        before_commit: Callable[[], None] | None = None,
    ) -> bool:
        """Apply a mined receipt of one of the batch's attempts (if it is still SIGNED).

        On success each ballot of the receipt is resolved as given (counted ones are
        INCLUDED in this batch, whichever batch carried them before). On failure (a revert,
        out of gas) the batch's ballots go back to the queue, or are rejected after
        ``max_attempts`` tries.

        Returns:
            Whether this call changed anything (False: someone applied it already).
        """
        now = time.time()
        status = BatchStatus.MINED if succeeded else BatchStatus.FAILED
        with self._write() as db:
            batch = self._batch(db, batch_id)
            if batch is None or batch.status != BatchStatus.SIGNED:
                return False
            db.execute(
                "UPDATE batches SET status = ?, tx_hash = ?, block_number = ?, block_hash = ?, "
                "updated_at = ? WHERE id = ?",
                (status, tx_hash, block_number, block_hash, now, batch_id),
            )
            if succeeded:
                for res in resolutions:
                    self._resolve(db, batch, res, now)
                # A ballot the receipt says nothing about (never expected) is tried again.
                db.execute(
                    "UPDATE ballots SET status = ?, batch_id = NULL, updated_at = ? "
                    "WHERE batch_id = ? AND status = ?",
                    (BallotStatus.QUEUED, now, batch_id, BallotStatus.SUBMITTED),
                )
            else:
                self._requeue_batch(db, batch_id, now, max_attempts, "the transaction reverted")
            self._sweep_confirmed(db, now)
            if before_commit is not None:
                before_commit()
            return True

    def record_replaced(self, batch_id: int, resolutions: Sequence[Resolution]) -> bool:
        """The batch's nonce was used by another transaction: resolve each of its ballots
        (counted elsewhere, or back to the queue)."""
        now = time.time()
        with self._write() as db:
            batch = self._batch(db, batch_id)
            if batch is None or batch.status != BatchStatus.SIGNED:
                return False
            db.execute(
                "UPDATE batches SET status = ?, updated_at = ? WHERE id = ?",
                (BatchStatus.REPLACED, now, batch_id),
            )
            for res in resolutions:
                self._resolve(db, batch, res, now)
            # Anything left in the batch was not resolved: it goes back to the queue.
            db.execute(
                "UPDATE ballots SET status = ?, batch_id = NULL, updated_at = ? "
                "WHERE batch_id = ? AND status = ?",
                (BallotStatus.QUEUED, now, batch_id, BallotStatus.SUBMITTED),
            )
            self._sweep_confirmed(db, now)
            return True

    def _resolve(self, db: sqlite3.Connection, batch: Batch, res: Resolution, now: float) -> None:
        key = (batch.chain_id, batch.charter or "", res.proposal_id, res.voter)
        record = self._get(db, key)
        if record is None:
            return  # a ballot the relay never accepted (someone else's, in a filler): ignore
        if res.status == BallotStatus.INCLUDED:
            # Counted by one of the relay's transactions: that batch owns the ballot now.
            owner = db.execute(
                "SELECT batch_id FROM attempts WHERE hash = ?", (res.tx_hash,)
            ).fetchone()
            if owner is None:
                res = Resolution(
                    res.proposal_id, res.voter, BallotStatus.REJECTED, "already_voted",
                    f"counted in {res.tx_hash}, a transaction this relay did not send",
                    res.tx_hash, res.block_number, res.block_hash,
                )  # fmt: skip
            else:
                db.execute(
                    "UPDATE ballots SET status = ?, reason = NULL, detail = NULL, batch_id = ?, "
                    "tx_hash = ?, block_number = ?, block_hash = ?, updated_at = ? WHERE id = ?",
                    (BallotStatus.INCLUDED, owner[0], res.tx_hash, res.block_number,
                     res.block_hash, now, record.id),
                )  # fmt: skip
                return
        # Rejections and requeues apply only to a ballot this batch still carries.
        if record.batch_id != batch.id or record.status != BallotStatus.SUBMITTED:
            return
        if res.status == BallotStatus.REJECTED:
            db.execute(
                "UPDATE ballots SET status = ?, reason = ?, detail = ?, tx_hash = ?, "
                "block_number = ?, block_hash = ?, updated_at = ? WHERE id = ?",
                (BallotStatus.REJECTED, res.reason, res.detail, res.tx_hash, res.block_number,
                 res.block_hash, now, record.id),
            )  # fmt: skip
        elif res.status == BallotStatus.QUEUED:
            db.execute(
                "UPDATE ballots SET status = ?, batch_id = NULL, updated_at = ? WHERE id = ?",
                (BallotStatus.QUEUED, now, record.id),
            )

    @staticmethod
    def _requeue_batch(
        db: sqlite3.Connection, batch_id: int, now: float, max_attempts: int, why: str
    ) -> None:
        db.execute(
            "UPDATE ballots SET attempts = attempts + 1, updated_at = ? "
            "WHERE batch_id = ? AND status = ?",
            (now, batch_id, BallotStatus.SUBMITTED),
        )
        db.execute(
            "UPDATE ballots SET status = ?, reason = 'settlement_failed', detail = ? "
            "WHERE batch_id = ? AND status = ? AND attempts >= ?",
            (BallotStatus.REJECTED, f"{why}, {max_attempts} times", batch_id,
             BallotStatus.SUBMITTED, max_attempts),
        )  # fmt: skip
        db.execute(
            "UPDATE ballots SET status = ?, batch_id = NULL WHERE batch_id = ? AND status = ?",
            (BallotStatus.QUEUED, batch_id, BallotStatus.SUBMITTED),
        )

    def confirm(
        self, batch_id: int, block_hash: str, *, before_commit: Callable[[], None] | None = None
    ) -> bool:
        """Mark a mined batch, and the ballots it counted, confirmed."""
        now = time.time()
        with self._write() as db:
            changed = db.execute(
                "UPDATE batches SET status = ?, updated_at = ? "
                "WHERE id = ? AND status = ? AND block_hash = ?",
                (BatchStatus.CONFIRMED, now, batch_id, BatchStatus.MINED, block_hash),
            ).rowcount
            self._sweep_confirmed(db, now)
            if before_commit is not None:
                before_commit()
            return bool(changed)

    @staticmethod
    def _sweep_confirmed(db: sqlite3.Connection, now: float) -> None:
        """Ballots counted by a confirmed batch are confirmed (whenever they were attributed)."""
        db.execute(
            "UPDATE ballots SET status = ?, updated_at = ? WHERE status = ? AND batch_id IN "
            "(SELECT id FROM batches WHERE status = ?)",
            (BallotStatus.CONFIRMED, now, BallotStatus.INCLUDED, BatchStatus.CONFIRMED),
        )

    def block_refs(self, chain_id: int, above: int) -> list[tuple[int, str]]:
        """Every (block number, hash) above ``above`` that some recorded outcome came from."""
        with self._read() as db:
            rows = db.execute(
                "SELECT block_number, block_hash FROM batches WHERE chain_id = ? "
                "AND block_number > ? AND status IN (?, ?, ?) "
                "UNION SELECT block_number, block_hash FROM ballots WHERE chain_id = ? "
                "AND block_number > ? AND status IN (?, ?, ?)",
                (chain_id, above, BatchStatus.MINED, BatchStatus.CONFIRMED, BatchStatus.FAILED,
                 chain_id, above, *_FROM_A_BLOCK),
            ).fetchall()  # fmt: skip
        return sorted((r[0], r[1]) for r in rows if r[1] is not None)

    def revert_block(self, chain_id: int, block_hash: str) -> int:
        """A block left the chain: everything learned from it is undone.

        Its batches become SIGNED again (to be broadcast again); ballots whose outcome came
        from it go back to their batch (SUBMITTED) if that batch is SIGNED again, else back
        to the queue.

        Returns:
            How many batches went back to SIGNED.
        """
        now = time.time()
        with self._write() as db:
            reverted = db.execute(
                "UPDATE batches SET status = ?, tx_hash = NULL, block_number = NULL, "
                "block_hash = NULL, updated_at = ? WHERE chain_id = ? AND block_hash = ? "
                "AND status IN (?, ?, ?)",
                (BatchStatus.SIGNED, now, chain_id, block_hash, BatchStatus.MINED,
                 BatchStatus.CONFIRMED, BatchStatus.FAILED),
            ).rowcount  # fmt: skip
            self._unlearn(db, chain_id, "block_hash = ?", (block_hash,), now)
            return reverted

    def revert_unmined(self, chain_id: int, sender: str, nonce_count: int, head: int) -> int:
        """The node says only ``nonce_count`` of the sender's nonces are used at block
        ``head``: a batch with a higher nonce mined at or below ``head``, or replaced, is not
        on the chain any more (a reorg) and must be broadcast again."""
        now = time.time()
        reverted = 0
        with self._write() as db:
            rows = db.execute(
                "SELECT id, status, block_hash FROM batches WHERE chain_id = ? AND sender = ? "
                "AND nonce >= ? AND ((status IN (?, ?, ?) AND block_number <= ?) OR status = ?)",
                (chain_id, sender, nonce_count, BatchStatus.MINED, BatchStatus.CONFIRMED,
                 BatchStatus.FAILED, head, BatchStatus.REPLACED),
            ).fetchall()  # fmt: skip
            for batch_id, _status, block_hash in rows:
                db.execute(
                    "UPDATE batches SET status = ?, tx_hash = NULL, block_number = NULL, "
                    "block_hash = NULL, updated_at = ? WHERE id = ?",
                    (BatchStatus.SIGNED, now, batch_id),
                )
                reverted += 1
                if block_hash is not None:
                    self._unlearn(db, chain_id, "block_hash = ? AND batch_id = ?",
                                  (block_hash, batch_id), now)  # fmt: skip
        return reverted

    @staticmethod
    def _unlearn(
        db: sqlite3.Connection, chain_id: int, where: str, args: tuple[Any, ...], now: float
    ) -> None:
        signed = f"(SELECT id FROM batches WHERE status = '{BatchStatus.SIGNED}')"
        in_block = f"chain_id = ? AND {where} AND status IN (?, ?, ?)"
        db.execute(
            f"UPDATE ballots SET status = ?, reason = NULL, detail = NULL, tx_hash = NULL, "
            f"block_number = NULL, block_hash = NULL, updated_at = ? "
            f"WHERE {in_block} AND batch_id IN {signed}",
            (BallotStatus.SUBMITTED, now, chain_id, *args, *_FROM_A_BLOCK),
        )
        db.execute(
            f"UPDATE ballots SET status = ?, reason = NULL, detail = NULL, batch_id = NULL, "
            f"tx_hash = NULL, block_number = NULL, block_hash = NULL, updated_at = ? "
            f"WHERE {in_block}",
            (BallotStatus.QUEUED, now, chain_id, *args, *_FROM_A_BLOCK),
        )


def _key(ballot: SignedBallot) -> tuple[int, str, int, str]:
    return (ballot.chain_id, ballot.charter, ballot.proposal_id, ballot.voter)


__all__ = [
    "SCHEMA_VERSION",
    "SignAt",
    "BallotStatus",
    "BatchStatus",
    "AcceptOutcome",
    "BallotRecord",
    "Attempt",
    "Batch",
    "Resolution",
    "Store",
]

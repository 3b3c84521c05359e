"""``panarchy relay``: members vote without gas; a relayer settles their signed ballots.

``relay serve`` runs the HTTP relay (docs/RELAY.md); ``relay submit FILES...`` puts ballot
files (written by ``panarchy vote --sign-only``) on chain in batches, with a progress bar.
Both keep their state in the same SQLite database, so running one again resumes what an
interrupted run left, and both may use one relayer key at the same time.
"""

from __future__ import annotations

import logging
import signal
import sys
from pathlib import Path
from typing import Any

import click
from eth_utils import is_address
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from panarchy.charter.ballots import SignedBallot
from panarchy.charter.types import MAX_BATCH, Support
from panarchy.cli._context import Context, pass_context
from panarchy.cli._options import ADDRESS
from panarchy.documents import default_data_dir
from panarchy.errors import ConfigurationError, InvalidBallot
from panarchy.relay import (
    BallotRecord,
    BallotRefused,
    BallotStatus,
    Relay,
    ServiceConfig,
    Settler,
    SettlerConfig,
    Store,
    Validator,
    connect,
)
from panarchy.relay.service import DEFAULT_PORT


def default_db() -> Path:
    """``$PANARCHY_DATA_DIR/relay.sqlite3``, else ``~/.panarchy/relay.sqlite3``."""
    return default_data_dir() / "relay.sqlite3"


_db = click.option(
    "--db", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="The relay's SQLite database [default: $PANARCHY_DATA_DIR/relay.sqlite3, "
         "else ~/.panarchy/relay.sqlite3].",
)  # fmt: skip
_batch_size = click.option(
    "--batch-size", type=click.IntRange(1, MAX_BATCH), default=100, show_default=True,
    help=f"Most ballots in one transaction (at most {MAX_BATCH}).",
)  # fmt: skip
_confirmations = click.option(
    "--confirmations", type=click.IntRange(1), default=None,
    help="Blocks before a ballot is confirmed [default: 1 on a development node, else 3].",
)  # fmt: skip
_rpc_timeout = click.option(
    "--rpc-timeout", type=click.FloatRange(0.1), default=10.0, show_default=True,
    help="Seconds to wait for each answer of the node.",
)  # fmt: skip


@click.group()
def relay() -> None:
    """The ballot relay: settle members' signed ballots on chain, paid by the relayer.

    Example: panarchy --dev-account 9 relay serve 0xC4A3...
    """


@relay.command()
@click.argument("charters", nargs=-1, type=ADDRESS)
@_db
@click.option("--host", default="127.0.0.1", show_default=True, help="The interface to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=DEFAULT_PORT, show_default=True)
@_batch_size
@click.option("--batch-age", type=click.FloatRange(0), default=5.0, show_default=True,
              help="Seconds the oldest ballot waits for a fuller batch.")  # fmt: skip
@_confirmations
@click.option("--voter-rate", type=click.FloatRange(0), default=20.0, show_default=True,
              help="Ballots per minute per voter (0: no limit).")  # fmt: skip
@click.option("--client-rate", type=click.FloatRange(0), default=600.0, show_default=True,
              help="Requests per minute per client address (0: no limit).")  # fmt: skip
@click.option("--max-queue", type=click.IntRange(1), default=10_000, show_default=True,
              help="Most ballots waiting for a batch; beyond it new ones get 503.")  # fmt: skip
@click.option("--max-body", type=click.IntRange(256), default=64 * 1024, show_default=True,
              help="Largest request body, in bytes.")  # fmt: skip
@click.option("--max-connections", type=click.IntRange(1), default=64, show_default=True,
              help="Most requests served at once.")  # fmt: skip
@click.option("--poll-interval", type=click.FloatRange(0.01), default=None,
              help="Seconds between settlement passes "
                   "[default: 0.2 on a development node, else 2].")  # fmt: skip
@click.option("--stuck-after", type=click.FloatRange(1), default=120.0, show_default=True,
              help="Seconds before an unmined transaction is replaced "
                   "with higher fees.")  # fmt: skip
@click.option("--max-fee-gwei", type=click.FloatRange(0), default=None,
              help="Never pay more than this per gas.")  # fmt: skip
@click.option(
    "--cors-origin", default=None, help="Allow this web origin (the frontend) to call the relay."
)
@_rpc_timeout
@pass_context
def serve(
    ctx: Context,
    charters: tuple[str, ...],
    db: Path | None,
    host: str,
    port: int,
    batch_size: int,
    batch_age: float,
    confirmations: int | None,
    voter_rate: float,
    client_rate: float,
    max_queue: int,
    max_body: int,
    max_connections: int,
    poll_interval: float | None,
    stuck_after: float,
    max_fee_gwei: float | None,
    cors_origin: str | None,
    rpc_timeout: float,
) -> None:
    """Serve the relay for CHARTERS (default: --charter) until interrupted.

    Members POST signed ballots to /ballots; each is checked and stored before the answer,
    then settled in batches. GET /ballots/CHARTER/PROPOSAL/VOTER tells where one stands;
    GET /openapi.json describes the rest.

    Example: panarchy --dev-account 9 relay serve 0xC4A3... --port 8600 --batch-size 50
    """
    served = list(charters) or ([ctx.charter_address] if ctx.charter_address else [])
    if not served:
        raise ConfigurationError(
            "name the charters to relay for (or set --charter / PANARCHY_CHARTER)"
        )
    if not is_address(served[0]):  # --charter, not checked by the argument's type
        raise ConfigurationError(
            f"--charter {served[0]!r} is not an address: give 0x and 40 hex digits"
        )
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(message)s")  # fmt: skip
    signer = ctx.signer()
    chain = connect(ctx.rpc, timeout=rpc_timeout)
    dev = chain.is_dev
    settler_config = SettlerConfig(
        batch_size=batch_size,
        batch_age=batch_age,
        confirmations=confirmations or (1 if dev else 3),
        poll_interval=poll_interval or (0.2 if dev else 2.0),
        stuck_after=stuck_after,
        max_fee_per_gas=None if max_fee_gwei is None else int(max_fee_gwei * 10**9),
    )
    service_config = ServiceConfig(
        host=host, port=port, max_body=max_body, voter_rate=voter_rate, client_rate=client_rate,
        max_queue=max_queue, max_connections=max_connections, cors_origin=cors_origin,
    )  # fmt: skip
    path = db or default_db()
    try:
        the_relay = Relay(chain, signer, Store(path), served, settler_config=settler_config,
                          service_config=service_config)  # fmt: skip
    except OSError as exc:
        raise ConfigurationError(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
    signal.signal(signal.SIGTERM, lambda *_: the_relay._stop.set())
    the_relay.start()
    ctx.emit(
        {"url": the_relay.url, "relayer": signer.address, "chain_id": chain.chain_id,
         "charters": served, "db": str(path)},
        f"relay for {', '.join(served)} listening on {the_relay.url}\n"
        f"relayer {signer.address} on chain {chain.chain_id}; database {path}; Ctrl-C stops it",
    )  # fmt: skip
    sys.stdout.flush()
    try:
        the_relay.wait()
    except KeyboardInterrupt:
        pass
    finally:
        the_relay.stop()


@relay.command()
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))  # fmt: skip
@_db
@_batch_size
@_confirmations
@click.option("--timeout", type=click.FloatRange(1), default=600.0, show_default=True,
              help="Seconds to wait for every ballot to be settled.")  # fmt: skip
@_rpc_timeout
@pass_context
def submit(
    ctx: Context,
    files: tuple[Path, ...],
    db: Path | None,
    batch_size: int,
    confirmations: int | None,
    timeout: float,
    rpc_timeout: float,
) -> None:
    """Put the ballots in FILES on chain in batches, paid by --account.

    FILES are ballots written by `panarchy vote --sign-only`. Each is checked first; those
    that cannot count are reported and left out. Run it again after an interruption: it
    resumes, and counts nothing twice.

    Example: panarchy --dev-account 9 relay submit ballots/*.json
    """
    signer = ctx.signer()
    chain = connect(ctx.rpc, timeout=rpc_timeout)
    rows: list[dict[str, Any]] = []
    parsed: list[tuple[dict[str, Any], SignedBallot]] = []
    for path in files:
        row: dict[str, Any] = {"file": str(path)}
        rows.append(row)
        try:
            ballot = SignedBallot.from_json(path.read_bytes())
        except (InvalidBallot, OSError) as exc:
            row.update(status="refused", reason="malformed", detail=str(exc))
            continue
        row.update(voter=ballot.voter, proposal_id=ballot.proposal_id,
                   support=Support(ballot.support).name.lower())  # fmt: skip
        parsed.append((row, ballot))
    charters = {b.charter for _, b in parsed}
    if ctx.charter_address:
        charters = {
            b.charter for _, b in parsed if b.charter.lower() == ctx.charter_address.lower()
        }
    store = Store(db or default_db())
    try:
        keys = _admit(chain, charters, store, parsed)
        settler = Settler(chain, signer, store, SettlerConfig(
            batch_size=batch_size, batch_age=0.0, poll_interval=0.2,
            confirmations=confirmations or (1 if chain.is_dev else 3),
        ))  # fmt: skip
        records = _settle_with_progress(settler, list(keys), timeout)
    finally:
        store.close()
    for key, row in keys.items():
        record = records.get(key)
        if record is not None:
            row.update(_record_row(record))
    _report(ctx, rows)
    counted = sum(1 for r in rows if r.get("status") == "confirmed")
    if counted != len(rows):
        raise click.ClickException(f"{len(rows) - counted} of {len(rows)} ballot(s) were not "
                                   "counted by this relayer (see the table)")  # fmt: skip


def _admit(
    chain: Any, charters: set[str], store: Store, parsed: list[tuple[dict[str, Any], SignedBallot]]
) -> dict[tuple[int, str, int, str], dict[str, Any]]:
    """Check each ballot; store the eligible ones; return the keys to wait for."""
    keys: dict[tuple[int, str, int, str], dict[str, Any]] = {}
    validator = Validator(chain, charters) if charters else None
    eligible = []
    for row, ballot in parsed:
        key = (ballot.chain_id, ballot.charter, ballot.proposal_id, ballot.voter)
        try:
            if validator is None:
                raise BallotRefused("unknown_charter", "not the --charter given")
            validator.check_target(ballot)
            validator.check_signature(ballot)
            validator.check_vote_type(ballot)
            existing = store.get(*key)
            if existing is None:
                eligible.append(validator.check_eligibility(ballot))
            elif existing.support != ballot.support:
                raise BallotRefused("conflict", "another vote by this voter was relayed before")
            keys[key] = row
        except BallotRefused as refused:
            row.update(status="refused", reason=refused.code, detail=str(refused))
    store.accept([(e.ballot, e.snapshot, e.vote_end) for e in eligible])
    return keys


def _settle_with_progress(
    settler: Settler, keys: list[tuple[int, str, int, str]], timeout: float
) -> dict[tuple[int, str, int, str], BallotRecord]:
    if not keys:
        return {}
    console = Console(stderr=True)
    with Progress(TextColumn("settling ballots"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[states]}"), TimeElapsedColumn(),
                  console=console, transient=False) as progress:  # fmt: skip
        task = progress.add_task("settle", total=len(keys), states="")

        def update(records: list[BallotRecord | None]) -> None:
            done = sum(1 for r in records if r is not None and r.final)
            by_status: dict[str, int] = {}
            for r in records:
                if r is not None:
                    by_status[str(r.status)] = by_status.get(str(r.status), 0) + 1
            states = " ".join(f"{k} {v}" for k, v in sorted(by_status.items()))
            progress.update(task, completed=done, states=states)

        records = settler.settle(keys, timeout=timeout, on_pass=update)
    return {r.key: r for r in records}


def _record_row(record: BallotRecord) -> dict[str, Any]:
    row: dict[str, Any] = {"status": str(record.status), "tx_hash": record.tx_hash,
                           "block_number": record.block_number}  # fmt: skip
    if record.status == BallotStatus.REJECTED:
        row.update(reason=record.reason, detail=record.detail)
    return row


def _report(ctx: Context, rows: list[dict[str, Any]]) -> None:
    if ctx.as_json:
        ctx.emit(rows)
        return
    table = Table("file", "voter", "proposal", "vote", "status", "transaction / reason")
    for r in rows:
        what = (
            r.get("tx_hash")
            if r.get("status") == "confirmed"
            else (r.get("detail") or r.get("reason") or "")
        )
        table.add_row(r["file"], str(r.get("voter", "")), str(r.get("proposal_id", "")),
                      str(r.get("support", "")), str(r.get("status", "")),
                      str(what or ""))  # fmt: skip
    ctx.console.print(table)


__all__ = [
    "default_db",
    "relay",
    "serve",
    "submit",
]

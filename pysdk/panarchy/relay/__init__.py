"""The ballot relay: members post signed ballots, the relay settles them on chain in batches.

    >>> from panarchy.relay import Relay, Store, connect  # doctest: +SKIP
    >>> relay = Relay(connect(url), relayer, Store("relay.sqlite3"), [charter]).start()

- :mod:`~panarchy.relay.store` — the durable state (SQLite, WAL, ``synchronous=FULL``).
- :mod:`~panarchy.relay.validate` — the arrival checks, with a reason for every refusal.
- :mod:`~panarchy.relay.settler` — batches, nonces, receipts, reorgs, exactly once.
- :mod:`~panarchy.relay.service` — the HTTP endpoints (``openapi.json`` describes them).

See docs/RELAY.md for the guarantees and how crash recovery works.
"""

from panarchy.relay.rpc import connect
from panarchy.relay.service import Relay, RelayService, ServiceConfig
from panarchy.relay.settler import Settler, SettlerConfig
from panarchy.relay.store import (
    AcceptOutcome,
    BallotRecord,
    BallotStatus,
    Batch,
    BatchStatus,
    Store,
)
from panarchy.relay.validate import BallotRefused, Eligible, Validator, parse_ballot

__all__ = [
    # running a relay
    "Relay",
    "ServiceConfig",
    "SettlerConfig",
    "connect",
    # its parts
    "Store",
    "Validator",
    "Settler",
    "RelayService",
    # records
    "BallotRecord",
    "BallotStatus",
    "Batch",
    "BatchStatus",
    "AcceptOutcome",
    "Eligible",
    # refusals
    "BallotRefused",
    "parse_ballot",
]

"""The relay's HTTP service: members post signed ballots, the relay settles them.

Endpoints (described in ``openapi.json``, served at ``GET /openapi.json``):

- ``POST /ballots`` — one ballot (the JSON of ``panarchy vote --sign-only``) or a list of
  up to ``max_ballots_per_request``. Each is checked at once (:mod:`panarchy.relay.validate`)
  and, if eligible, written durably before the answer: ``202`` accepted, ``200`` the same
  vote was accepted before, or a 4xx/503 with ``{"error": code, "message": ...}``. A list
  is answered ``200`` with one result per ballot.
- ``GET /ballots/{charter}/{proposal_id}/{voter}`` — the ballot's receipt: its status
  (queued, submitted, included, confirmed, rejected), reason, transaction, block and
  confirmations.
- ``GET /health`` — the chain, the relayer, the queue; ``503`` while settlement is blocked.
- ``GET /openapi.json`` — the description of all this.

Bounded everywhere: a body larger than ``max_body`` is refused before it is read, each
client address and each voter have a rate limit, a full queue answers ``503`` with
``Retry-After``, and at most ``max_connections`` requests are served at once. Malformed
input gets a 4xx with a reason, never a 500. It listens on 127.0.0.1 unless told otherwise.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any

from eth_account.signers.local import LocalAccount
from eth_utils import is_address, to_checksum_address

from panarchy.chain import Chain
from panarchy.errors import ChainUnavailable
from panarchy.relay._crash import crashpoint
from panarchy.relay.rpc import retrying
from panarchy.relay.settler import Settler, SettlerConfig
from panarchy.relay.store import AcceptOutcome, Store
from panarchy.relay.validate import REFUSALS, BallotRefused, Eligible, Validator, parse_ballot

log = logging.getLogger("panarchy.relay")

#: The default port of ``panarchy relay serve``.
DEFAULT_PORT = 8570


@dataclass(frozen=True)
class ServiceConfig:
    """The HTTP service's limits.

    Attributes:
        host: The interface to listen on (loopback by default).
        port: The port (0: any free one).
        max_body: Largest request body, in bytes.
        max_ballots_per_request: Most ballots in one ``POST /ballots``.
        voter_rate: Ballots per minute one voter may post (0: no limit).
        client_rate: Requests per minute one client address may make (0: no limit).
        max_queue: Most accepted ballots waiting for a batch; beyond it, ``503``.
        max_connections: Most requests served at once; beyond it, ``503``.
        request_timeout: Seconds a client may take to send its request.
        cors_origin: An origin allowed to call the relay from a browser (None: no CORS).
    """

    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    max_body: int = 64 * 1024
    max_ballots_per_request: int = 128
    voter_rate: float = 20.0
    client_rate: float = 600.0
    max_queue: int = 10_000
    max_connections: int = 64
    request_timeout: float = 10.0
    cors_origin: str | None = None


class RateLimiter:
    """A token bucket per key: ``per_minute`` tokens a minute, bursts up to ``burst``."""

    def __init__(
        self, per_minute: float, burst: float | None = None, max_keys: int = 100_000
    ) -> None:
        self.rate = per_minute / 60.0
        self.burst = burst if burst is not None else max(per_minute, 1.0)
        self.max_keys = max_keys
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        """Take one token for ``key``; False when there is none left."""
        if self.rate <= 0:
            return True
        now = time.monotonic()
        with self._lock:
            tokens, at = self._buckets.get(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - at) * self.rate)
            if tokens < 1.0:
                self._buckets[key] = (tokens, now)
                return False
            if len(self._buckets) >= self.max_keys:
                self._buckets.clear()  # forget everyone rather than grow without bound
            self._buckets[key] = (tokens - 1.0, now)
            return True


@dataclass(frozen=True)
class Answer:
    """An HTTP answer: status, JSON body, extra headers."""

    status: int
    body: dict[str, Any]
    headers: tuple[tuple[str, str], ...] = ()


def _refusal(code: str, message: str, **extra: Any) -> Answer:
    return Answer(REFUSALS.get(code, 400), {"error": code, "message": message, **extra})


class RelayService:
    """What the endpoints do, apart from HTTP (so it can be tested and reused).

    Args:
        store: The relay's database.
        validator: The arrival checks.
        settler: The settler to wake when ballots arrive (None: nobody settles).
        config: Limits.
    """

    def __init__(
        self,
        store: Store,
        validator: Validator,
        settler: Settler | None = None,
        config: ServiceConfig | None = None,
    ) -> None:
        self.store = store
        self.validator = validator
        self.settler = settler
        self.config = config or ServiceConfig()
        self.chain_id = validator.chain_id
        self.client_limiter = RateLimiter(self.config.client_rate)
        self.voter_limiter = RateLimiter(self.config.voter_rate)
        self._head_cache: tuple[int, float] | None = None

    # --- POST /ballots ----------------------------------------------------------------

    def post_ballots(self, body: bytes, client: str) -> Answer:
        """Check, persist and answer one ballot or a list of them."""
        if not self.client_limiter.allow(client):
            return Answer(429, {"error": "rate_limited", "message":
                                "too many requests from this address; slow down"},
                          (("Retry-After", "5"),))  # fmt: skip
        try:
            data = json.loads(body)
        except (ValueError, UnicodeDecodeError) as exc:
            return _refusal("malformed", f"the body is not JSON: {exc}")
        single = isinstance(data, dict)
        if not single and not isinstance(data, list):
            return _refusal("malformed", "send a ballot object, or a list of them")
        items: list[Any] = [data] if single else data
        if not items:
            return _refusal("malformed", "the list of ballots is empty")
        if len(items) > self.config.max_ballots_per_request:
            return Answer(413, {"error": "too_many_ballots", "message":
                                f"at most {self.config.max_ballots_per_request} ballots "
                                "per request"})  # fmt: skip
        if self.store.backlog(self.chain_id) + len(items) > self.config.max_queue:
            retry = str(max(1, int(self.settler.config.batch_age if self.settler else 5)))
            return Answer(503, {"error": "queue_full", "message":
                                "the relay's queue is full; try again shortly"},
                          (("Retry-After", retry),))  # fmt: skip
        answers: list[Answer | None] = [None] * len(items)
        eligible: list[tuple[int, Eligible]] = []
        for i, item in enumerate(items):
            try:
                found = self._check(item)
            except BallotRefused as refused:
                answers[i] = _refusal(refused.code, str(refused))
                continue
            except ChainUnavailable as exc:
                answers[i] = _refusal("node_unavailable", f"cannot check the ballot now: {exc}")
                continue
            if isinstance(found, Answer):
                answers[i] = found
            else:
                eligible.append((i, found))
        if eligible:
            outcomes = self.store.accept(
                [(e.ballot, e.snapshot, e.vote_end) for _, e in eligible],
                before_commit=lambda: crashpoint("accept:before_commit"),
            )
            crashpoint("accept:after_commit")
            head = self.head_number()
            for (i, _), (outcome, record) in zip(eligible, outcomes, strict=True):
                answers[i] = self._accept_answer(outcome, record.to_json(head))
            if self.settler is not None:
                self.settler.wake()
        done = [a for a in answers if a is not None]
        if single:
            return done[0]
        return Answer(200, {"results": [{"status": a.status, **a.body} for a in done]})

    def _check(self, item: Any) -> Eligible | Answer:
        ballot = parse_ballot(item)
        self.validator.check_target(ballot)
        self.validator.check_signature(ballot)
        ballot = self.validator.check_vote_type(ballot)  # the charter's order
        if not self.voter_limiter.allow(ballot.voter):
            raise BallotRefused("rate_limited", f"too many ballots from {ballot.voter}; slow down")
        existing = self.store.get(ballot.chain_id, ballot.charter, ballot.proposal_id, ballot.voter)
        if existing is not None:
            same = existing.support == ballot.support
            outcome = AcceptOutcome.DUPLICATE if same else AcceptOutcome.CONFLICT
            return self._accept_answer(outcome, existing.to_json(self.head_number()))
        return self.validator.check_eligibility(ballot)

    @staticmethod
    def _accept_answer(outcome: AcceptOutcome, receipt: dict[str, Any]) -> Answer:
        if outcome == AcceptOutcome.ACCEPTED:
            return Answer(202, {"outcome": "accepted", "ballot": receipt})
        if outcome == AcceptOutcome.DUPLICATE:
            return Answer(200, {"outcome": "duplicate", "ballot": receipt})
        return _refusal("conflict", "another vote by this voter on this proposal was accepted "
                        "before; a voter votes once", ballot=receipt)  # fmt: skip

    # --- GET --------------------------------------------------------------------------

    def receipt(self, charter: str, proposal_id: str, voter: str) -> Answer:
        """The receipt of one ballot."""
        if not (is_address(charter) and is_address(voter)) or not proposal_id.isdigit():
            return _refusal(
                "malformed", "use /ballots/{charter address}/{proposal id}/{voter address}"
            )
        record = self.store.get(self.chain_id, to_checksum_address(charter), int(proposal_id),
                                to_checksum_address(voter))  # fmt: skip
        if record is None:
            return Answer(404, {"error": "not_found", "message": "the relay has no such ballot"})
        return Answer(200, record.to_json(self.head_number()))

    def health(self) -> Answer:
        """Whether the relay can settle, and what it holds."""
        problem = self.settler.problem if self.settler is not None else None
        head = self.head_number()
        if head is None:
            problem = problem or "node unavailable"
        body = {
            "ok": problem is None,
            "problem": problem,
            "chain_id": self.chain_id,
            "relayer": self.settler.sender if self.settler is not None else None,
            "charters": sorted(self.validator.charters),
            "head": head,
            "ballots": self.store.counts(self.chain_id),
        }
        return Answer(200 if problem is None else 503, body)

    def head_number(self) -> int | None:
        """The latest block number (the settler's, or read and cached for a second)."""
        if (
            self.settler is not None
            and self.settler.head is not None
            and time.monotonic() - self.settler.head.seen_at < 5.0
        ):
            return self.settler.head.number
        cached = self._head_cache
        if cached is not None and time.monotonic() - cached[1] < 1.0:
            return cached[0]
        try:
            number = retrying(lambda: int(self.validator.chain.w3.eth.block_number),
                              what="the block number", attempts=2)  # fmt: skip
        except ChainUnavailable:
            return None
        self._head_cache = (number, time.monotonic())
        return number


def openapi() -> dict[str, Any]:
    """The OpenAPI description of the service."""
    text = resources.files("panarchy.relay").joinpath("openapi.json").read_text()
    return json.loads(text)  # type: ignore[no-any-return]


class _Handler(BaseHTTPRequestHandler):
    server: RelayHTTPServer
    server_version = "panarchy-relay"
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # no 40 ms wait between the headers and the body

    def setup(self) -> None:
        # StreamRequestHandler.setup reads self.timeout, so an instance value works; typeshed
        # declares it a ClassVar.
        self.timeout = self.server.service.config.request_timeout  # type: ignore[misc]
        super().setup()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
        log.debug("%s " + format, self.client_address[0], *args)

    def _send(self, answer: Answer) -> None:
        payload = json.dumps(answer.body, indent=None, separators=(",", ":")).encode()
        self.send_response(answer.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("Cache-Control", "no-store")
        origin = self.server.service.config.cors_origin
        if origin:
            self.send_header("Access-Control-Allow-Origin", origin)
            self.send_header("Vary", "Origin")
        for name, value in answer.headers:
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    def _guarded(self, fn: Any) -> None:
        try:
            self._send(fn())
        except Exception:  # a bug: say so without details, and keep serving
            log.exception("relay: error serving %s %s", self.command, self.path)
            self.close_connection = True
            self._send(
                Answer(500, {"error": "internal", "message": "the relay failed; see its log"})
            )

    def do_GET(self) -> None:
        self._guarded(self._get)

    def do_POST(self) -> None:
        self._guarded(self._post)

    def do_OPTIONS(self) -> None:
        origin = self.server.service.config.cors_origin
        self.send_response(204 if origin else 405)
        if origin:
            self.send_header("Access-Control-Allow-Origin", origin)
            self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
            self.send_header("Access-Control-Allow-Headers", "Content-Type")
            self.send_header("Access-Control-Max-Age", "600")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _route(self) -> list[str]:
        return [p for p in self.path.split("?", 1)[0].split("/") if p]

    def _get(self) -> Answer:
        service = self.server.service
        parts = self._route()
        if parts == ["health"]:
            return service.health()
        if parts == ["openapi.json"]:
            return Answer(200, openapi())
        if len(parts) == 4 and parts[0] == "ballots":
            return service.receipt(*parts[1:])
        if parts == ["ballots"]:
            return Answer(405, {"error": "method_not_allowed", "message": "POST ballots here"},
                          (("Allow", "POST"),))  # fmt: skip
        return Answer(404, {"error": "not_found", "message": "see GET /openapi.json"})

    def _post(self) -> Answer:
        service = self.server.service
        if self._route() != ["ballots"]:
            self.close_connection = True
            return Answer(404, {"error": "not_found", "message": "POST ballots to /ballots"})
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self.close_connection = True
            return Answer(411, {"error": "length_required", "message": "send a Content-Length"})
        length_text = self.headers.get("Content-Length")
        if length_text is None:
            self.close_connection = True
            return Answer(411, {"error": "length_required", "message": "send a Content-Length"})
        try:
            length = int(length_text)
            if length < 0:
                raise ValueError
        except ValueError:
            self.close_connection = True
            return _refusal("malformed", "Content-Length is not a number")
        if length > service.config.max_body:
            self.close_connection = True  # the body is never read
            return Answer(413, {"error": "too_large", "message": f"the body has {length} bytes; "
                                f"at most {service.config.max_body}"})  # fmt: skip
        try:
            body = self.rfile.read(length)
        except TimeoutError:
            self.close_connection = True
            return Answer(408, {"error": "timeout", "message": "the body did not arrive in time"})
        if len(body) != length:
            self.close_connection = True
            return _refusal("malformed", "the body is shorter than its Content-Length")
        return service.post_ballots(body, self.client_address[0])


class RelayHTTPServer(ThreadingHTTPServer):
    """A threading HTTP server that serves at most ``max_connections`` requests at once."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, service: RelayService) -> None:
        self.service = service
        self._slots = threading.BoundedSemaphore(service.config.max_connections)
        super().__init__((service.config.host, service.config.port), _Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._slots.acquire(blocking=False):
            body = b'{"error":"busy","message":"too many requests at once; try again"}'
            with contextlib.suppress(OSError):
                request.sendall(
                    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
                    b"Retry-After: 1\r\nConnection: close\r\nContent-Length: "
                    + str(len(body)).encode()
                    + b"\r\n\r\n"
                    + body
                )
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()


class Relay:
    """The whole relay in one process: the store, the checks, the settler, the server.

    Args:
        chain: The chain (see :func:`panarchy.relay.rpc.connect`).
        signer: The relayer, who pays for every transaction.
        store: The database.
        charters: The charters whose ballots it takes.
        settler_config: Batching and retries.
        service_config: The HTTP service's address and limits.
    """

    def __init__(
        self,
        chain: Chain,
        signer: LocalAccount,
        store: Store,
        charters: list[str],
        *,
        settler_config: SettlerConfig | None = None,
        service_config: ServiceConfig | None = None,
    ) -> None:
        self.store = store
        self.validator = Validator(chain, charters)
        self.settler = Settler(chain, signer, store, settler_config)
        self.service = RelayService(store, self.validator, self.settler, service_config)
        self.server = RelayHTTPServer(self.service)
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    @property
    def url(self) -> str:
        """Where the service listens."""
        return self.server.url

    def start(self) -> Relay:
        """Start settling and serving in background threads."""
        self._threads = [
            threading.Thread(target=self.settler.run, args=(self._stop,), name="relay-settler",
                             daemon=True),
            threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.2},
                             name="relay-http", daemon=True),
        ]  # fmt: skip
        for thread in self._threads:
            thread.start()
        return self

    def wait(self) -> None:
        """Block until :meth:`stop` is called (from a signal handler, say)."""
        while not self._stop.wait(0.5):
            pass

    def stop(self) -> None:
        """Stop serving and settling; everything accepted stays in the store."""
        self._stop.set()
        self.settler.wake()
        self.server.shutdown()
        self.server.server_close()
        for thread in self._threads:
            thread.join(timeout=10)
        self.store.close()

    def __enter__(self) -> Relay:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


__all__ = [
    "log",
    "DEFAULT_PORT",
    "ServiceConfig",
    "RateLimiter",
    "Answer",
    "RelayService",
    "openapi",
    "RelayHTTPServer",
    "Relay",
]

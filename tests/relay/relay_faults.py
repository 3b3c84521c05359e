"""A JSON-RPC proxy that misbehaves on command, between the code under test and anvil.

Faults (SECURITY.md attack 25), each for chosen methods, a number of times or at random:

- ``drop_before``: close the connection without forwarding (the node never saw it);
- ``drop_after``: forward, then close without answering (it took effect; nobody knows);
- ``delay``: wait longer than the client's timeout, then forward (it takes effect late);
- ``error_before``: answer 502 without forwarding;
- ``error_after``: forward, then answer 503 (it took effect; the client sees an error);
- ``duplicate``: forward twice, answer with the second answer ("already known", ...).

It runs in a thread of the test process, on 127.0.0.1, and is shut down by the test.
"""

from __future__ import annotations

import contextlib
import json
import random
import threading
import time
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import requests

KINDS = ("drop_before", "drop_after", "delay", "error_before", "error_after", "duplicate")


@dataclass
class Rule:
    kind: str
    methods: frozenset[str] | None  # None: every method
    times: int | None  # None: no limit
    probability: float


class FaultProxy:
    """Forward JSON-RPC to ``upstream``, injecting the faults it is told to."""

    def __init__(self, upstream: str, *, seed: int = 0, delay: float = 1.5) -> None:
        self.upstream = upstream
        self.delay = delay
        self.rules: list[Rule] = []
        self.injected: Counter[tuple[str, str]] = Counter()
        self.forwarded: Counter[str] = Counter()
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._local = threading.local()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body leave at once

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                proxy._serve(self, body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> FaultProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- commands ---------------------------------------------------------------------

    def fail(
        self,
        kind: str,
        *,
        methods: list[str] | None = None,
        times: int | None = 1,
        probability: float = 1.0,
    ) -> None:
        """Inject ``kind`` into the next ``times`` matching requests (with a probability)."""
        assert kind in KINDS, kind
        with self._lock:
            self.rules.append(
                Rule(kind, frozenset(methods) if methods else None, times, probability)
            )

    def clear(self) -> None:
        """No more faults."""
        with self._lock:
            self.rules.clear()

    # --- serving ----------------------------------------------------------------------

    def _choose(self, method: str) -> str | None:
        with self._lock:
            for rule in self.rules:
                if rule.times == 0 or (rule.methods is not None and method not in rule.methods):
                    continue
                if self._rng.random() >= rule.probability:
                    continue
                if rule.times is not None:
                    rule.times -= 1
                self.injected[(method, rule.kind)] += 1
                return rule.kind
        return None

    def _forward(self, body: bytes) -> requests.Response:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
        return session.post(self.upstream, data=body, timeout=30,
                            headers={"Content-Type": "application/json"})  # fmt: skip

    def _serve(self, handler: BaseHTTPRequestHandler, body: bytes) -> None:
        try:
            request = json.loads(body)
            method = request[0]["method"] if isinstance(request, list) else request["method"]
        except Exception:
            method = "?"
        kind = self._choose(method)
        with self._lock:
            self.forwarded[method] += 1
        if kind == "drop_before":
            handler.close_connection = True
            return
        if kind == "error_before":
            self._answer(handler, 502, b"bad gateway")
            return
        if kind == "delay":
            time.sleep(self.delay)
        answer = self._forward(body)
        if kind == "duplicate":
            answer = self._forward(body)
        if kind == "drop_after":
            handler.close_connection = True
            return
        if kind == "error_after":
            self._answer(handler, 503, b"service unavailable")
            return
        # OSError: the client gave up (a delay longer than its timeout).
        with contextlib.suppress(OSError):
            self._answer(handler, answer.status_code, answer.content)

    @staticmethod
    def _answer(handler: BaseHTTPRequestHandler, status: int, payload: bytes) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload)

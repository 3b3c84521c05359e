"""A loopback HTTP server for the web app: static files, ``config.json`` and documents.

``GET /ipfs/<CID>`` reads a document from the store (verified against its CID); ``POST
/ipfs`` with a JSON document (``{"kind": "proposal", "title": ..., "body": ...}``) stores it
through the SDK's :func:`~panarchy.documents.store_document` and answers ``{"cid": ...}``,
so that a person proposing in the browser can write a description and cite its real CID.
"""

from __future__ import annotations

import json
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from panarchy.documents import Document, DocumentError, DocumentStore, store_document

STATIC_DIR = Path(__file__).resolve().parent / "static"
#: The largest document the app may store in one request (a description, a clause, a memo).
MAX_DOCUMENT_BYTES = 64 * 1024


def app_config(
    *,
    rpc_url: str,
    chain_id: int,
    charter: str,
    relay_url: str | None = None,
    ipfs_gateway: str | None = None,
    factory: str | None = None,
) -> dict[str, Any]:
    """The ``config.json`` the app reads at start (its only settings). ``factory`` is the
    CharterFactory: the app lists the charter's funds and circles from its events."""
    return {
        "rpcUrl": rpc_url,
        "chainId": chain_id,
        "charter": charter,
        "relayUrl": relay_url,
        "ipfsGateway": ipfs_gateway,
        "factory": factory,
    }


class _Handler(SimpleHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def _bytes(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == "/config.json":
            body = json.dumps(self.server.config).encode()
            return self._bytes(200, body, "application/json")
        if path.startswith("/ipfs/"):
            return self._document(path.removeprefix("/ipfs/"))
        return super().do_GET()

    def do_POST(self) -> None:
        if self.path.split("?", 1)[0] != "/ipfs":
            return self._bytes(404, b"not found\n", "text/plain; charset=utf-8")
        store = self.server.store
        if store is None:
            return self._bytes(404, b"no document store\n", "text/plain; charset=utf-8")
        # JSON only: a cross-site form cannot send it without a preflight this server never
        # answers, so no other page can store documents through a member's browser.
        if self.headers.get("Content-Type", "").split(";")[0].strip() != "application/json":
            return self._bytes(415, b"send application/json\n", "text/plain; charset=utf-8")
        length = int(self.headers.get("Content-Length") or 0)
        if not 0 < length <= MAX_DOCUMENT_BYTES:
            return self._bytes(413, b"a document of 1 to 65536 bytes\n", "text/plain")
        try:
            fields = json.loads(self.rfile.read(length))
            doc = Document(
                kind=str(fields["kind"]),
                title=str(fields["title"]),
                body=str(fields.get("body", "")),
            )
            cid = store_document(store, doc)
        except (ValueError, KeyError, TypeError, DocumentError) as exc:
            body = json.dumps({"error": str(exc) or type(exc).__name__}).encode()
            return self._bytes(400, body, "application/json")
        return self._bytes(201, json.dumps({"cid": cid}).encode(), "application/json")

    def _document(self, cid: str) -> None:
        store = self.server.store
        if store is None:
            return self._bytes(404, b"no document store\n", "text/plain; charset=utf-8")
        try:
            data = store.get(cid)  # the store recomputes the CID and refuses a mismatch
        except DocumentError as exc:
            return self._bytes(404, f"{exc}\n".encode(), "text/plain; charset=utf-8")
        # Served as plain text whatever it holds: the browser never runs a document.
        return self._bytes(200, data, "text/plain; charset=utf-8")


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self, port: int, handler: Any, config: dict[str, Any], store: DocumentStore | None
    ) -> None:
        self.config = config
        self.store = store
        super().__init__(("127.0.0.1", port), handler)


class AppServer:
    """Serve the app's files (default: the shipped build) on 127.0.0.1, in a thread.

    Args:
        config: What ``/config.json`` answers (see :func:`app_config`).
        static_dir: The built app (default :data:`STATIC_DIR`).
        store: Where ``/ipfs/CID`` reads documents from (None: no documents).
        port: The port (0: any free one).
    """

    def __init__(
        self,
        config: dict[str, Any],
        *,
        static_dir: Path | None = None,
        store: DocumentStore | None = None,
        port: int = 0,
    ) -> None:
        self.static_dir = Path(static_dir or STATIC_DIR)
        if not (self.static_dir / "index.html").is_file():
            raise FileNotFoundError(f"{self.static_dir}/index.html: build the app first")
        handler = partial(_Handler, directory=str(self.static_dir))
        self._server = _Server(port, handler, config, store)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/"

    @property
    def config(self) -> dict[str, Any]:
        return self._server.config

    def start(self) -> AppServer:
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread:
            self._thread.join(timeout=10)

    def __enter__(self) -> AppServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

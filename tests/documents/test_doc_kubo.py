"""The Kubo backend's edges: timeouts, a node that is down, hangs, refuses or lies, safe
retries, API addresses, and the test node itself staying offline on loopback."""

from __future__ import annotations

import contextlib
import http.server
import ipaddress
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from doc_helpers import KUBO_TIMEOUT, pb_leaf
from jsipfs_node import JsIpfsNode, free_port, socket_addresses
from panarchy.documents import (
    CIDMismatch,
    DocumentNotFound,
    KuboStore,
    StoreUnavailable,
    compute_cid,
    fetch_from_gateway,
)
from panarchy.documents.kubo import parse_api_address
from panarchy.errors import ConfigurationError

TIMEOUT = 2.0
CID = compute_cid(b"some document\n")


def _elapsed(call: Callable[[], object]) -> tuple[BaseException | None, float]:
    start = time.monotonic()
    try:
        call()
    except BaseException as exc:  # noqa: BLE001 - returned to the test
        return exc, time.monotonic() - start
    return None, time.monotonic() - start


@contextlib.contextmanager
def _http_server(handler: type[http.server.BaseHTTPRequestHandler]) -> Iterator[int]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def _answering(status: int, body: bytes) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the stdlib's naming
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST  # noqa: N815 - a gateway is read with GET

        def log_message(self, *args: object) -> None:
            pass

    return Handler


# --- a node that is down, hung, refusing or lying --------------------------------------------


def test_down_node__clear_error_within_the_timeout() -> None:
    port = free_port()  # nothing listens there
    store = KuboStore(f"/ip4/127.0.0.1/tcp/{port}/http", timeout=TIMEOUT)  # no call yet
    calls = {
        "get": lambda: store.get(CID),
        "put": lambda: store.put(b"x"),
        "has": lambda: store.has(CID),
        "pin": lambda: store.pin(CID),
        "unpin": lambda: store.unpin(CID),
        "ls": store.ls,
        "gc": store.gc,
    }
    for name, call in calls.items():
        error, seconds = _elapsed(call)
        assert isinstance(error, StoreUnavailable), name
        assert isinstance(error, ConnectionError)
        message = str(error)
        assert "cannot reach the IPFS node" in message and "Connection refused" in message
        assert f"127.0.0.1/tcp/{port}" in message and "daemon running" in message
        assert seconds < TIMEOUT, name


def test_hung_node__gives_up_after_the_timeout() -> None:
    with socket.socket() as listener:  # accepts connections (backlog) but never answers
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        port = listener.getsockname()[1]
        store = KuboStore(f"/ip4/127.0.0.1/tcp/{port}/http", timeout=1.0, retries=0)
        error, seconds = _elapsed(lambda: store.get(CID))
    assert isinstance(error, StoreUnavailable)
    assert "did not answer cat within 1s" in str(error)
    assert 0.9 <= seconds < 2.5


@pytest.mark.parametrize(
    ("status", "expected"),
    [(403, r"\(HTTP 403\): check the credentials"), (405, r"\(HTTP 405\): is this the RPC API")],
)
def test_refusing_node__clear_error(status: int, expected: str) -> None:
    with _http_server(_answering(status, b"<html>no</html>")) as port:
        store = KuboStore(f"http://127.0.0.1:{port}", timeout=TIMEOUT)
        with pytest.raises(StoreUnavailable, match=expected):
            store.put(b"a document")


def test_node_error_message__is_passed_on() -> None:
    body = json.dumps({"Message": "blockstore is read-only", "Code": 0, "Type": "error"})
    with _http_server(_answering(500, body.encode())) as port:
        store = KuboStore(f"http://127.0.0.1:{port}", timeout=TIMEOUT)
        with pytest.raises(Exception, match="refused add: blockstore is read-only"):
            store.put(b"a document")


def test_lying_node__bytes_refused() -> None:
    with _http_server(_answering(200, b"some document, edited\n")) as port:
        store = KuboStore(f"http://127.0.0.1:{port}", timeout=TIMEOUT)
        with pytest.raises(CIDMismatch, match=CID):
            store.get(CID)


def test_lying_node__wrong_cid_on_add_refused() -> None:
    answer = json.dumps({"Name": "x", "Hash": compute_cid(b"other"), "Size": "9"})
    with _http_server(_answering(200, answer.encode())) as port:
        store = KuboStore(f"http://127.0.0.1:{port}", timeout=TIMEOUT)
        with pytest.raises(Exception, match="add settings differ"):
            store.put(b"a document")


def test_retries__only_where_safe() -> None:
    connections = 0

    def serve(listener: socket.socket) -> None:
        nonlocal connections
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            connections += 1
            conn.close()  # drop every request unanswered

    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        port = listener.getsockname()[1]
        threading.Thread(target=serve, args=(listener,), daemon=True).start()
        store = KuboStore(f"/ip4/127.0.0.1/tcp/{port}/http", timeout=TIMEOUT, retries=2)
        with pytest.raises(StoreUnavailable, match="dropped the connection"):
            store.get(CID)  # a read: retried
        assert connections == 3
        connections = 0
        with pytest.raises(StoreUnavailable):
            store.unpin(CID)  # a repeat could report "not pinned": not retried
        assert connections == 1
        listener.shutdown(socket.SHUT_RDWR)


# --- the real node: timeouts ---------------------------------------------------------------


def test_missing_cid__not_found_within_the_timeout(kubo_store: KuboStore) -> None:
    missing = compute_cid(b"nobody has this\n")
    for call in (lambda: kubo_store.get(missing), lambda: kubo_store.pin(missing)):
        error, seconds = _elapsed(call)
        assert isinstance(error, DocumentNotFound)
        assert missing in str(error) and "within 3s" in str(error)
        assert seconds <= KUBO_TIMEOUT + 0.5


def test_node_version(kubo_store: KuboStore) -> None:
    assert kubo_store.node_version()


def test_jsipfs__makes_no_outbound_connection(jsipfs: JsIpfsNode, kubo_store: KuboStore) -> None:
    kubo_store.put(b"anything at all\n")
    kubo_store.has(compute_cid(b"absent\n"))  # a lookup a networked node would send out
    sockets = socket_addresses(jsipfs.pid)
    assert sockets, "the daemon holds no socket at all?"
    for proto, local, remote in sockets:
        assert proto.startswith("tcp"), (proto, local)  # no UDP: no MDNS, no QUIC
        for address in (local, remote):
            host = address.rsplit(":", 1)[0]
            ip = ipaddress.ip_address(host)
            assert ip.is_loopback or ip.is_unspecified, (proto, local, remote)
        assert local.startswith("127.0.0.1:")


def test_jsipfs__offline_config(jsipfs: JsIpfsNode) -> None:
    config = json.loads((jsipfs.repo / "config").read_text())
    assert config["Bootstrap"] == []
    assert config["Addresses"]["Swarm"] == []
    assert config["Routing"]["Type"] == "none"
    assert config["Pubsub"]["Enabled"] is False
    assert config["Discovery"]["MDNS"]["Enabled"] is False
    assert config["Addresses"]["API"].startswith("/ip4/127.0.0.1/")
    assert config["Addresses"]["Gateway"].startswith("/ip4/127.0.0.1/")
    assert jsipfs.process.args[1:] == ["daemon", "--offline", "--enable-preload=false"]
    environ = Path(f"/proc/{jsipfs.pid}/environ").read_bytes().split(b"\0")
    assert b"NO_UPDATE_NOTIFIER=1" in environ  # no version check against the npm registry
    assert f"IPFS_PATH={jsipfs.repo}".encode() in environ


# --- addresses ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("/ip4/127.0.0.1/tcp/5001/http", ("/ip4/127.0.0.1/tcp/5001/http", "api/v0", None)),
        ("http://127.0.0.1:5001", ("/ip4/127.0.0.1/tcp/5001/http", "api/v0", None)),
        ("127.0.0.1:5001", ("/ip4/127.0.0.1/tcp/5001/http", "api/v0", None)),
        ("http://[::1]:5001/", ("/ip6/::1/tcp/5001/http", "api/v0", None)),
        (
            "https://user:s%40cret@pin.example.org/ipfs/api/v0",
            ("/dns/pin.example.org/tcp/443/https", "ipfs/api/v0", ("user", "s@cret")),
        ),
    ],
)
def test_parse_api_address(address: str, expected: tuple[str, str, object]) -> None:
    assert parse_api_address(address) == expected


@pytest.mark.parametrize("address", ["ftp://host:21", "http://", "http://host:notaport"])
def test_parse_api_address__refuses(address: str) -> None:
    with pytest.raises(ConfigurationError):
        parse_api_address(address)


def test_description__hides_the_password() -> None:
    store = KuboStore("https://user:secret@pin.example.org:5001")
    assert "secret" not in store.description and "secret" not in repr(store)


# --- reading through an HTTP gateway --------------------------------------------------------


def test_gateway__verified_read_from_the_nodes_gateway(
    jsipfs: JsIpfsNode, kubo_store: KuboStore
) -> None:
    data = b"read through a gateway\n" * 20_000  # several chunks
    cid = kubo_store.put(data)
    assert fetch_from_gateway(jsipfs.gateway_url, cid, timeout=KUBO_TIMEOUT) == data


def test_gateway__tampered_bytes_refused(jsipfs: JsIpfsNode, kubo_store: KuboStore) -> None:
    cid = kubo_store.put(b"gateway tamper test\n")
    jsipfs.block_file(cid).write_bytes(pb_leaf(b"gateway tamper TEST\n"))
    with pytest.raises(CIDMismatch, match=cid):
        fetch_from_gateway(jsipfs.gateway_url, cid, timeout=KUBO_TIMEOUT)


def test_gateway__lying_gateway_and_errors() -> None:
    with _http_server(_answering(200, b"not it")) as port, pytest.raises(CIDMismatch):
        fetch_from_gateway(f"http://127.0.0.1:{port}", CID, timeout=TIMEOUT)
    with _http_server(_answering(404, b"")) as port, pytest.raises(DocumentNotFound):
        fetch_from_gateway(f"http://127.0.0.1:{port}", CID, timeout=TIMEOUT)
    with pytest.raises(StoreUnavailable, match="cannot reach the gateway"):
        fetch_from_gateway(f"http://127.0.0.1:{free_port()}", CID, timeout=TIMEOUT)

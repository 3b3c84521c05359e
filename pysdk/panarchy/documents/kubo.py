"""A document store backed by an IPFS node through its RPC API (Kubo's ``/api/v0``).

Talks to Kubo, or anything serving the same API (js-ipfs, pinning services that expose
it), with ``ipfshttpclient``. The client is constructed directly: its ``connect()`` checks
the daemon's version and refuses every current Kubo release.

- ``add`` uses the settings :func:`~panarchy.documents.cid.compute_cid` reproduces
  (256 KiB chunks, balanced layout, CIDv0, or CIDv1 with raw leaves), and the CID the node
  returns must equal the one computed locally.
- Every call has a timeout, on both sides: the node is told to give up (``timeout=`` in
  the query, which Kubo and js-ipfs honour) shortly before the client stops waiting, so a
  missing CID ends as :class:`DocumentNotFound` instead of hanging.
- Only calls that are safe to repeat (reads, pinning, ``add`` of in-memory bytes, whose
  result is content-addressed) are retried, and only when the connection failed.
- Every read is verified: the bytes ``cat`` returns must hash to the CID asked for.
"""

from __future__ import annotations

import ipaddress
import re
import time
import urllib.parse
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

import ipfshttpclient
from ipfshttpclient import exceptions as ipfs_errors

from panarchy.documents._files import write_verified
from panarchy.documents.cid import (
    CHUNK_SIZE,
    Importer,
    Layout,
    cid_key,
    cid_text,
    compute_cid,
    parse_cid,
    verify_cid,
)
from panarchy.documents.errors import (
    DocumentError,
    DocumentNotFound,
    InvalidCID,
    NotPinned,
    StoreError,
    StoreUnavailable,
)
from panarchy.documents.store import DEFAULT_TIMEOUT, Progress, StoredDocument
from panarchy.errors import ConfigurationError

__all__ = ["DEFAULT_TIMEOUT", "DEFAULT_HAS_TIMEOUT", "KuboStore", "parse_api_address"]

# DEFAULT_TIMEOUT (seconds allowed for one call to the node) lives in store.py, which the
# CLI reads without loading ipfshttpclient; it is re-exported here.
#: Seconds :meth:`KuboStore.has` waits for a node that ignores ``offline=true`` (js-ipfs).
DEFAULT_HAS_TIMEOUT = 2.0
#: Most seconds spent opening a TCP connection.
CONNECT_TIMEOUT = 5.0
#: The node is told to give up this much before the client would.
_SERVER_MARGIN = 0.9
_RETRY_DELAYS = (0.2, 0.5, 1.0)
_DEFAULT_BASE = "api/v0"

T = TypeVar("T")

_NOT_FOUND = (
    "timed out",
    "timeout",
    "deadline exceeded",
    "not found",
    "could not find",
    "no link named",
    "was not found locally",
)


def parse_api_address(api: str) -> tuple[str, str, tuple[str, str] | None]:
    """Turn a Kubo RPC API address into ``(multiaddr, base path, basic auth)``.

    Accepted forms: a multiaddr (``/ip4/127.0.0.1/tcp/5001/http``, ``/dns/host/tcp/443/https``),
    a URL (``http://127.0.0.1:5001``, ``https://user:secret@pinning.example/api/v0``) or
    ``host:port``.

    Raises:
        ConfigurationError: If the address cannot be understood.
    """
    text = api.strip()
    if text.startswith("/"):
        return text, _DEFAULT_BASE, None
    if "://" not in text:
        text = f"http://{text}"
    url = urllib.parse.urlsplit(text)
    if url.scheme not in ("http", "https") or not url.hostname:
        raise ConfigurationError(
            f"not an IPFS API address: {api!r} (use /ip4/127.0.0.1/tcp/5001/http or "
            "http://127.0.0.1:5001)"
        )
    try:
        port = url.port or (443 if url.scheme == "https" else 80)
    except ValueError as exc:
        raise ConfigurationError(f"bad port in IPFS API address {api!r}") from exc
    host = url.hostname
    try:
        proto = "ip4" if ipaddress.ip_address(host).version == 4 else "ip6"
    except ValueError:
        proto = "dns"
    base = url.path.strip("/") or _DEFAULT_BASE
    auth = None
    if url.username is not None:
        auth = (urllib.parse.unquote(url.username), urllib.parse.unquote(url.password or ""))
    return f"/{proto}/{host}/tcp/{port}/{url.scheme}", base, auth


def _public_address(api: str) -> str:
    """The address without any password, for messages."""
    if "@" in api and "://" in api:
        scheme, rest = api.split("://", 1)
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return api


def _reason(exc: BaseException) -> str:
    """The short cause of a connection error (``Connection refused``, ...)."""
    text = str(exc)
    match = re.search(r"\[Errno -?\d+\] ([^'\")\]]+)", text)
    if match:
        return match.group(1).strip()
    if "Name or service not known" in text:
        return "unknown host"
    return text.splitlines()[0][:200] if text else type(exc).__name__


def _seconds(value: float) -> str:
    return f"{value:g}s"


class KuboStore:
    """A document store on a Kubo (or compatible) node, through its RPC API.

    Args:
        api_addr: The node's API address: a multiaddr (``/ip4/127.0.0.1/tcp/5001/http``)
            or a URL (``http://127.0.0.1:5001``; basic-auth credentials and a path prefix
            are allowed, for pinning services that expose the API).
        timeout: Seconds allowed for each call; reading or pinning a CID the node cannot
            find gives :class:`DocumentNotFound` after about this long.
        has_timeout: Seconds :meth:`has` waits on nodes that cannot answer "not here"
            at once (js-ipfs); Kubo answers at once.
        retries: Extra tries for calls that are safe to repeat, after a connection failure.
        headers: Extra HTTP headers sent with every call (e.g. an ``Authorization`` token).

    Raises:
        ConfigurationError: If ``api_addr`` cannot be understood.
    """

    def __init__(
        self,
        api_addr: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        has_timeout: float = DEFAULT_HAS_TIMEOUT,
        retries: int = 2,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        if timeout <= 0 or has_timeout <= 0:
            raise ConfigurationError("IPFS timeouts must be positive")
        self.api_addr = api_addr
        self.timeout = float(timeout)
        self.has_timeout = float(has_timeout)
        self.retries = max(0, int(retries))
        multiaddr, base, auth = parse_api_address(api_addr)
        try:
            self._client = ipfshttpclient.Client(
                multiaddr,
                base,
                auth=auth,
                headers=dict(headers or {}),
                timeout=self._client_timeout(self.timeout),
            )
        except ipfs_errors.AddressError as exc:
            raise ConfigurationError(f"not an IPFS API address: {api_addr!r}") from exc

    def __repr__(self) -> str:
        return f"KuboStore({_public_address(self.api_addr)!r}, timeout={self.timeout:g})"

    @property
    def description(self) -> str:
        """A short human description of the store."""
        return f"IPFS node at {_public_address(self.api_addr)}"

    # --- plumbing -----------------------------------------------------------------------

    @staticmethod
    def _client_timeout(read: float) -> tuple[float, float]:
        return (min(CONNECT_TIMEOUT, read), read)

    def _server_timeout(self, seconds: float) -> str:
        return f"{max(1, int(seconds * _SERVER_MARGIN * 1000))}ms"

    def _call(
        self,
        what: str,
        call: Callable[[], T],
        *,
        idempotent: bool,
        cid: str | None = None,
        waited: float | None = None,
    ) -> T:
        """Run one API call, retrying connection failures when safe; translate errors."""
        attempts = 1 + (self.retries if idempotent else 0)
        for attempt in range(attempts):
            try:
                with warnings.catch_warnings():
                    # urllib3 2 warns about an argument ipfshttpclient 0.7 still passes.
                    warnings.filterwarnings("ignore", message=".*'strict' parameter")
                    return call()
            except (ipfs_errors.ConnectionError, ipfs_errors.ProtocolError) as exc:
                # Refused, reset or dropped: nothing was done, or the call is safe to repeat.
                if attempt + 1 < attempts:
                    time.sleep(_RETRY_DELAYS[min(attempt, len(_RETRY_DELAYS) - 1)])
                    continue
                if isinstance(exc, ipfs_errors.ProtocolError):
                    raise StoreUnavailable(
                        f"the {self.description} dropped the connection during {what} "
                        f"({_reason(exc)}): is this an IPFS RPC API address?"
                    ) from exc
                raise StoreUnavailable(
                    f"cannot reach the {self.description} ({_reason(exc)}): is the daemon "
                    "running, and is this its API address (Addresses.API)?"
                ) from exc
            except ipfs_errors.Error as exc:
                raise self._translate(exc, what, cid, waited) from exc
        raise AssertionError("unreachable")  # pragma: no cover

    def _translate(
        self, exc: ipfs_errors.Error, what: str, cid: str | None, waited: float | None
    ) -> DocumentError:
        waited = self.timeout if waited is None else waited
        if isinstance(exc, ipfs_errors.TimeoutError):
            return StoreUnavailable(
                f"the {self.description} did not answer {what} within {_seconds(waited)}"
            )
        if isinstance(exc, ipfs_errors.ErrorResponse):
            message = str(exc)
            lowered = message.lower()
            if "not pinned" in lowered:
                return NotPinned(f"{cid} is not pinned on the {self.description}")
            if cid is not None and any(marker in lowered for marker in _NOT_FOUND):
                return DocumentNotFound(
                    f"{cid} was not found by the {self.description} within {_seconds(waited)}"
                    f" ({message})"
                )
            if "directory" in lowered:
                return StoreError(f"{cid} is a directory on IPFS, not a document")
            return StoreError(f"the {self.description} refused {what}: {message}")
        if isinstance(exc, ipfs_errors.StatusError):
            status = getattr(getattr(exc.original, "response", None), "status_code", None)
            hint = {
                401: "check the credentials",
                403: "check the credentials",
                404: "is this the RPC API address, not a gateway?",
                405: "is this the RPC API address, not a gateway?",
            }.get(status or 0, "")
            return StoreUnavailable(
                f"the {self.description} refused {what} (HTTP {status or '?'})"
                + (f": {hint}" if hint else "")
            )
        return StoreError(f"{what} on the {self.description} failed: {exc}")

    def _stream(
        self, what: str, chunks: Iterable[bytes], cid: str, waited: float
    ) -> Iterator[bytes]:
        """Iterate a streamed response, translating errors raised mid-stream."""
        try:
            yield from chunks
        except ipfs_errors.Error as exc:
            raise self._translate(exc, what, cid, waited) from exc

    def _add_opts(self, cid_version: int, pin: bool) -> dict[str, Any]:
        if cid_version not in (0, 1):
            raise InvalidCID(f"CID version must be 0 or 1, not {cid_version!r}")
        opts: dict[str, Any] = {
            "cid-version": cid_version,
            "raw-leaves": cid_version == 1,
            "chunker": f"size-{CHUNK_SIZE}",
            "hash": "sha2-256",
            "pin": pin,
            "trickle": False,
        }
        if cid_version == 1:
            opts["cid-base"] = "base32"
        return opts

    def _check_added(self, returned: object, expected: str) -> str:
        try:
            same = cid_key(str(returned)) == cid_key(expected)
        except InvalidCID:
            same = False
        if not same:
            raise StoreError(
                f"the {self.description} stored the document as {returned}, but its CID is "
                f"{expected}: the node's add settings differ from Kubo's defaults"
            )
        return expected

    # --- writing ------------------------------------------------------------------------

    def put(self, data: bytes, *, cid_version: int = 0, pin: bool = True) -> str:
        """Add bytes to the node; return their CID (see :class:`DocumentStore`)."""
        expected = compute_cid(data, cid_version=cid_version)
        opts = self._add_opts(cid_version, pin)
        returned = self._call(
            "add",
            lambda: self._client.add_bytes(
                data, opts=opts, timeout=self._client_timeout(self.timeout)
            ),
            idempotent=True,
        )
        return self._check_added(returned, expected)

    def put_stream(
        self,
        stream: BinaryIO,
        *,
        cid_version: int = 0,
        pin: bool = True,
        progress: Progress | None = None,
    ) -> str:
        """Stream a file to the node while computing its CID locally (not retried)."""
        opts = self._add_opts(cid_version, pin)
        importer = Importer(Layout.kubo_default(cid_version))

        def body() -> Iterator[bytes]:
            while chunk := stream.read(CHUNK_SIZE):
                importer.update(chunk)
                if progress is not None:
                    progress(len(chunk))
                yield chunk

        returned = self._call(
            "add",
            lambda: self._client.add_bytes(
                body(), opts=opts, timeout=self._client_timeout(self.timeout)
            ),
            idempotent=False,
        )
        return self._check_added(returned, str(importer.finish()))

    # --- reading ------------------------------------------------------------------------

    def _cat(self, text: str, *, stream: bool) -> Any:
        return self._client.cat(
            text,
            stream=stream,
            opts={"timeout": self._server_timeout(self.timeout)},
            timeout=self._client_timeout(self.timeout),
        )

    def get(self, cid: str) -> bytes:
        """Return the verified bytes ``cid`` names (see :class:`DocumentStore`)."""
        text = cid_text(parse_cid(cid))
        data = self._call("cat", lambda: self._cat(text, stream=False), idempotent=True, cid=text)
        verify_cid(text, data)
        return bytes(data)

    def get_to_file(self, cid: str, path: str | Path, *, progress: Progress | None = None) -> int:
        """Stream the bytes ``cid`` names to ``path``; the file appears only if verified."""
        text = cid_text(parse_cid(cid))
        chunks = self._call("cat", lambda: self._cat(text, stream=True), idempotent=True, cid=text)
        try:
            return write_verified(
                text, self._stream("cat", chunks, text, self.timeout), path, progress=progress
            )
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()

    def has(self, cid: str) -> bool:
        """Whether the node holds ``cid``'s root block locally.

        Asks ``block/stat`` with ``offline=true`` (Kubo answers at once); a node that
        looks elsewhere instead (js-ipfs) is cut short after ``has_timeout`` seconds.
        """
        text = cid_text(parse_cid(cid))
        try:
            self._call(
                "block/stat",
                lambda: self._client.block.stat(
                    text,
                    offline=True,
                    opts={"timeout": self._server_timeout(self.has_timeout)},
                    timeout=self._client_timeout(self.has_timeout + 1.0),
                ),
                idempotent=True,
                cid=text,
                waited=self.has_timeout,
            )
        except DocumentNotFound:
            return False
        return True

    # --- pins and garbage ---------------------------------------------------------------

    def pin(self, cid: str) -> None:
        """Pin ``cid`` on the node (it must find the whole DAG within the timeout)."""
        text = cid_text(parse_cid(cid))
        self._call(
            "pin/add",
            lambda: self._client.pin.add(
                text,
                opts={"timeout": self._server_timeout(self.timeout)},
                timeout=self._client_timeout(self.timeout),
            ),
            idempotent=True,
            cid=text,
        )

    def unpin(self, cid: str) -> None:
        """Unpin ``cid`` on the node (not retried: a repeat would report "not pinned")."""
        text = cid_text(parse_cid(cid))
        self._call(
            "pin/rm",
            lambda: self._client.pin.rm(text, timeout=self._client_timeout(self.timeout)),
            idempotent=False,
            cid=text,
        )

    def ls(self) -> list[StoredDocument]:
        """List the node's recursively pinned roots, sorted by CID."""
        result = self._call(
            "pin/ls",
            lambda: self._client.pin.ls(
                type="recursive", timeout=self._client_timeout(self.timeout)
            ),
            idempotent=True,
        )
        found = []
        for key in result["Keys"]:
            try:
                text = cid_text(parse_cid(key))
            except InvalidCID:
                text = str(key)  # a pin of some other kind of DAG; list it as the node does
            found.append(StoredDocument(text, True, None))
        return sorted(found, key=lambda doc: doc.cid)

    def gc(self) -> list[str]:
        """Run the node's garbage collection; return the CIDs of the blocks it removed."""
        wait = max(self.timeout, 120.0)
        result = self._call(
            "repo/gc",
            lambda: self._client.repo.gc(timeout=self._client_timeout(wait)),
            idempotent=False,
            waited=wait,
        )
        removed: list[str] = []
        for entry in result or []:
            key: Any = entry.get("Key") if hasattr(entry, "get") else None
            if hasattr(key, "get"):  # {"Key": {"/": cid}} (newer nodes) or {"Key": cid}
                key = key.get("/")
            if key:
                removed.append(str(key))
        return removed

    def node_version(self) -> str:
        """Return the node's version string (a cheap check that it answers)."""
        result = self._call(
            "version",
            lambda: self._client.version(timeout=self._client_timeout(self.timeout)),
            idempotent=True,
        )
        return str(result["Version"])

    def close(self) -> None:
        """Close the HTTP session, if one is open."""
        self._client.close()

    def __enter__(self) -> KuboStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

"""Reading a document from any HTTP gateway (``https://gateway.example/ipfs/<cid>``), verified.

A gateway is only trusted to deliver bytes: they are refused unless they hash to the CID
asked for (:class:`~panarchy.documents.errors.CIDMismatch`), so a public gateway, a
pinning service's gateway or a node's own gateway port are all equally safe to read from.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request

from panarchy.documents.cid import CHUNK_SIZE, CidVerifier, cid_text, parse_cid
from panarchy.documents.errors import DocumentError, DocumentNotFound, StoreUnavailable

__all__ = ["fetch_from_gateway"]

#: The most bytes read from a gateway unless the caller allows more.
DEFAULT_MAX_BYTES = 64 * 1024 * 1024


def fetch_from_gateway(
    gateway: str,
    cid: str,
    *,
    timeout: float = 30.0,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> bytes:
    """Fetch ``cid`` from an HTTP gateway and return its bytes once verified.

    Args:
        gateway: The gateway's base URL, e.g. ``https://ipfs.io`` or ``http://127.0.0.1:8080``.
        cid: The document's CID.
        timeout: Seconds to wait for the gateway (per read).
        max_bytes: Refuse documents larger than this.

    Raises:
        InvalidCID: ``cid`` is not a usable CID.
        DocumentNotFound: The gateway answered 404 or 410.
        StoreUnavailable: The gateway is unreachable, slow, or answered another error.
        CIDMismatch: The bytes served are not the content ``cid`` names.
    """
    text = cid_text(parse_cid(cid))
    base = gateway.rstrip("/")
    if urllib.parse.urlsplit(base).scheme not in ("http", "https"):
        raise StoreUnavailable(f"not an HTTP gateway URL: {gateway!r}")
    request = urllib.request.Request(
        f"{base}/ipfs/{text}", headers={"Accept": "application/octet-stream"}
    )
    verifier = CidVerifier(text)
    chunks: list[bytes] = []
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            while chunk := response.read(CHUNK_SIZE):
                verifier.update(chunk)
                chunks.append(chunk)
                if verifier.size > max_bytes:
                    raise DocumentError(f"{text} is larger than {max_bytes} bytes; refusing")
    except urllib.error.HTTPError as exc:
        if exc.code in (404, 410):
            raise DocumentNotFound(f"{text} was not found by the gateway {base}") from exc
        raise StoreUnavailable(f"the gateway {base} refused {text} (HTTP {exc.code})") from exc
    except TimeoutError as exc:
        raise StoreUnavailable(
            f"the gateway {base} did not answer within {timeout:g}s for {text}"
        ) from exc
    except urllib.error.URLError as exc:
        raise StoreUnavailable(f"cannot reach the gateway {base} ({exc.reason})") from exc
    verifier.finish()  # raises CIDMismatch
    return b"".join(chunks)

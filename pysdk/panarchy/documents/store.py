"""One documents interface, two backends: the embedded store and a Kubo node.

:func:`open_store` picks the backend from configuration: a Kubo RPC API address when one
is given (argument or ``PANARCHY_IPFS_API``), otherwise the embedded store under the data
directory. Whatever the backend, :meth:`DocumentStore.get` returns only bytes whose CID it
recomputed and found equal to the one asked for.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol, runtime_checkable

__all__ = [
    "DEFAULT_TIMEOUT",
    "ENV_DATA_DIR",
    "ENV_IPFS_API",
    "Progress",
    "StoredDocument",
    "DocumentStore",
    "default_data_dir",
    "documents_dir",
    "open_store",
]

#: Environment variable holding the Panarchy data directory (documents go in ``documents/``).
ENV_DATA_DIR = "PANARCHY_DATA_DIR"
#: Environment variable holding a Kubo RPC API address (multiaddr or URL).
ENV_IPFS_API = "PANARCHY_IPFS_API"

#: Seconds allowed for one call to a Kubo node (reading a missing CID gives up after this).
DEFAULT_TIMEOUT = 30.0

#: A progress callback: called with the number of bytes just processed.
Progress = Callable[[int], None]


@dataclass(frozen=True)
class StoredDocument:
    """One entry of a store's listing.

    Attributes:
        cid: The CID text (``Qm...`` for a dag-pb root, base32 ``bafk...`` for a raw block).
        pinned: Whether garbage collection keeps it.
        size: Its size in bytes, when the store knows it cheaply (``None`` otherwise).
    """

    cid: str
    pinned: bool
    size: int | None = None


@runtime_checkable
class DocumentStore(Protocol):
    """What every document store offers. Both backends pass the same behavioural tests."""

    @property
    def description(self) -> str:
        """A short human description (``"embedded store at ..."``, ``"Kubo node at ..."``)."""
        ...

    def put(self, data: bytes, *, cid_version: int = 0, pin: bool = True) -> str:
        """Store bytes as a file; return its CID (CIDv0 ``Qm...`` text by default).

        Args:
            data: The document's bytes.
            cid_version: 0 (Kubo's default) or 1 (base32, raw leaves).
            pin: Keep it through garbage collection (``ipfs add`` pins by default too).
        """
        ...

    def put_stream(
        self,
        stream: BinaryIO,
        *,
        cid_version: int = 0,
        pin: bool = True,
        progress: Progress | None = None,
    ) -> str:
        """Store a file read from a binary stream, without holding it in memory."""
        ...

    def get(self, cid: str) -> bytes:
        """Return the bytes ``cid`` names, verified against it.

        Raises:
            InvalidCID: ``cid`` is not a usable CID.
            DocumentNotFound: The store does not have it (within the timeout).
            CIDMismatch: The bytes served do not hash to ``cid``.
            StoreUnavailable: The store cannot be reached.
        """
        ...

    def get_to_file(self, cid: str, path: str | Path, *, progress: Progress | None = None) -> int:
        """Write the bytes ``cid`` names to ``path``, verified before ``path`` appears.

        Returns:
            The number of bytes written.
        """
        ...

    def has(self, cid: str) -> bool:
        """Whether the store holds ``cid`` locally (without fetching it from elsewhere)."""
        ...

    def pin(self, cid: str) -> None:
        """Keep ``cid`` through garbage collection.

        Raises:
            DocumentNotFound: The store does not have it.
        """
        ...

    def unpin(self, cid: str) -> None:
        """Let garbage collection remove ``cid``.

        Raises:
            NotPinned: It was not pinned.
        """
        ...

    def ls(self) -> list[StoredDocument]:
        """List the documents: every stored file for the embedded store, the pinned
        roots for a Kubo node (which does not know which of its blocks are file roots)."""
        ...

    def gc(self) -> list[str]:
        """Remove what is not pinned; return the CIDs removed (files for the embedded
        store, blocks for a Kubo node)."""
        ...

    def close(self) -> None:
        """Release any resources held."""
        ...


def default_data_dir() -> Path:
    """Return the Panarchy data directory: ``$PANARCHY_DATA_DIR`` or ``~/.panarchy``."""
    value = os.environ.get(ENV_DATA_DIR)
    return Path(value).expanduser() if value else Path.home() / ".panarchy"


def documents_dir(data_dir: str | Path | None = None) -> Path:
    """Return the embedded store's directory: ``documents/`` in the data directory."""
    base = Path(data_dir).expanduser() if data_dir is not None else default_data_dir()
    return base / "documents"


def open_store(
    *,
    kubo_api: str | None = None,
    data_dir: str | Path | None = None,
    timeout: float | None = None,
) -> DocumentStore:
    """Open the configured document store.

    Args:
        kubo_api: A Kubo RPC API address (``/ip4/127.0.0.1/tcp/5001/http`` or
            ``http://127.0.0.1:5001``, credentials allowed in the URL). Defaults to
            ``$PANARCHY_IPFS_API``; when neither is set, the embedded store is used.
        data_dir: The Panarchy data directory; the embedded store lives in its
            ``documents/`` folder. Defaults to ``$PANARCHY_DATA_DIR``, then ``~/.panarchy``.
        timeout: Seconds allowed for each call to a Kubo node (its default when ``None``).

    Returns:
        A :class:`~panarchy.documents.kubo.KuboStore` or an
        :class:`~panarchy.documents.embedded.EmbeddedStore`.
    """
    from panarchy.documents.embedded import EmbeddedStore

    api = kubo_api if kubo_api is not None else os.environ.get(ENV_IPFS_API, "").strip()
    if api:
        from panarchy.documents.kubo import KuboStore  # ipfshttpclient: only when asked for

        return KuboStore(api, timeout=DEFAULT_TIMEOUT if timeout is None else timeout)
    return EmbeddedStore(documents_dir(data_dir))

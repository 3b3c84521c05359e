"""Documents on IPFS: Kubo-exact CIDs, two stores behind one interface, verify on read.

Every document of a polity (concord, clauses, proposal descriptions, memos; later claims,
rulings, treaty terms) lives on IPFS and the chain holds only its CID, as the 32-byte
sha2-256 digest of its dag-pb root (:func:`cid_to_bytes32` / :func:`bytes32_to_cid`).

    >>> from panarchy.documents import open_store, Document, store_document, load_document
    >>> store = open_store()  # embedded, in ~/.panarchy/documents  # doctest: +SKIP
    >>> cid = store_document(store, Document("memo", "Hello", "A *first* memo."))  # doctest: +SKIP
    >>> load_document(store, cid).title  # fetched, CID recomputed, parsed  # doctest: +SKIP
    'Hello'

``open_store(kubo_api="/ip4/127.0.0.1/tcp/5001/http")`` (or ``PANARCHY_IPFS_API``) uses a
Kubo node instead. Whatever served the bytes, :meth:`DocumentStore.get` recomputes their
CID and raises :class:`CIDMismatch` when it differs.

The Kubo client (``ipfshttpclient``, seconds to import) is loaded only when a Kubo node is
used: :class:`KuboStore` is imported on first access.
"""

from typing import TYPE_CHECKING, Any

from panarchy.documents.cid import (
    CHUNK_SIZE,
    MAX_LINKS,
    CidVerifier,
    Importer,
    Layout,
    bytes32_to_cid,
    cid_key,
    cid_to_bytes32,
    compute_cid,
    compute_cid_stream,
    parse_cid,
    verify_cid,
)
from panarchy.documents.embedded import EmbeddedStore
from panarchy.documents.errors import (
    CIDMismatch,
    DocumentError,
    DocumentNotFound,
    InvalidCID,
    InvalidDocument,
    NotPinned,
    StoreError,
    StoreUnavailable,
)
from panarchy.documents.gateway import fetch_from_gateway
from panarchy.documents.store import (
    DEFAULT_TIMEOUT,
    ENV_DATA_DIR,
    ENV_IPFS_API,
    DocumentStore,
    StoredDocument,
    default_data_dir,
    documents_dir,
    open_store,
)
from panarchy.documents.structured import (
    DOCUMENT_KINDS,
    SCHEMA_VERSION,
    Document,
    Link,
    load_document,
    load_schema,
    split_title,
    store_document,
)

if TYPE_CHECKING:
    from panarchy.documents.kubo import KuboStore

__all__ = [
    # CIDs
    "CHUNK_SIZE",
    "MAX_LINKS",
    "CidVerifier",
    "Importer",
    "Layout",
    "compute_cid",
    "compute_cid_stream",
    "parse_cid",
    "cid_key",
    "verify_cid",
    # the on-chain form
    "cid_to_bytes32",
    "bytes32_to_cid",
    # stores
    "DocumentStore",
    "StoredDocument",
    "EmbeddedStore",
    "KuboStore",
    "open_store",
    "fetch_from_gateway",
    "default_data_dir",
    "documents_dir",
    "DEFAULT_TIMEOUT",
    "ENV_DATA_DIR",
    "ENV_IPFS_API",
    # structured documents
    "Document",
    "Link",
    "DOCUMENT_KINDS",
    "SCHEMA_VERSION",
    "load_schema",
    "split_title",
    "store_document",
    "load_document",
    # errors
    "DocumentError",
    "InvalidCID",
    "CIDMismatch",
    "DocumentNotFound",
    "NotPinned",
    "StoreUnavailable",
    "StoreError",
    "InvalidDocument",
]


def __getattr__(name: str) -> Any:
    """Import the Kubo backend (and ipfshttpclient) on first use only."""
    if name == "KuboStore":
        from panarchy.documents.kubo import KuboStore

        return KuboStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

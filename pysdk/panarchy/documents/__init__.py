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
"""

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
from panarchy.documents.kubo import KuboStore
from panarchy.documents.store import (
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
    store_document,
)

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
    "ENV_DATA_DIR",
    "ENV_IPFS_API",
    # structured documents
    "Document",
    "Link",
    "DOCUMENT_KINDS",
    "SCHEMA_VERSION",
    "load_schema",
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

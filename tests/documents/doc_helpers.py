"""Helpers shared by the documents tests (imported by name; this folder is on sys.path)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from jsipfs_node import JsIpfsNode
from multiformats import CID
from panarchy.documents import EmbeddedStore, KuboStore
from panarchy.documents.cid import _pb_node, _unixfs_file

VECTORS = Path(__file__).parent / "vectors" / "cid_vectors.json"

#: Seconds the Kubo backend may wait in these tests (a missing CID costs this much).
KUBO_TIMEOUT = 3.0
#: Seconds ``KuboStore.has`` waits on js-ipfs before answering "not here".
KUBO_HAS_TIMEOUT = 0.5


def pb_leaf(content: bytes) -> bytes:
    """The dag-pb block of a one-chunk CIDv0 file holding ``content``."""
    return _pb_node((), _unixfs_file(data=content, filesize=len(content)))


@dataclass
class Tamperer:
    """Makes a backend serve other bytes for a one-chunk CIDv0 document."""

    backend: str
    store: EmbeddedStore | KuboStore
    node: JsIpfsNode | None = None

    def serve(self, cid: str, content: bytes) -> None:
        """From now on the backend holds ``content`` under ``cid`` (no hash check).

        Embedded: the document's file is overwritten. Kubo: the root block in the node's
        own blockstore is overwritten with a leaf wrapping ``content``, so ``cat`` returns
        it (neither Kubo nor js-ipfs re-hashes blocks it reads from its own disk).
        """
        if isinstance(self.store, EmbeddedStore):
            self.store.object_path(cid).write_bytes(content)
        else:
            assert self.node is not None
            self.node.block_file(cid).write_bytes(pb_leaf(content))


def load_vectors() -> list[dict[str, object]]:
    """The committed CID vectors made with the real node."""
    return list(json.loads(VECTORS.read_text())["vectors"])


def vector_bytes(vector: dict[str, object]) -> bytes:
    """Regenerate a vector's input from its description."""
    if vector["generator"] == "literal":
        return str(vector["text"]).encode()
    assert vector["generator"] == "shake128"
    return hashlib.shake_128(str(vector["seed"]).encode()).digest(int(str(vector["size"])))


def relabel(cid: str, *, version: int, codec: str) -> str:
    """The same digest under another CID version or codec."""
    parsed = CID.decode(cid)
    base = "base58btc" if version == 0 else "base32"
    return str(CID(base, version, codec, parsed.digest))

"""SECURITY.md attack 27: tampered IPFS bytes (bit flips, truncation, wrong CID version) are
always refused, whichever backend or node served them.

The verifier is exercised directly (every bit of small documents, random damage with
hypothesis) and through both backends, whose stored bytes are altered underneath them the
way a damaged disk or a malicious node would: the embedded store's file is overwritten,
and the js-ipfs node's own block files are rewritten (IPFS nodes do not re-hash the blocks
they read from their own disk, so ``cat`` serves the altered bytes).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from doc_helpers import Tamperer, pb_leaf, relabel
from hypothesis import given, settings
from hypothesis import strategies as st
from jsipfs_node import JsIpfsNode
from panarchy.documents import (
    CHUNK_SIZE,
    CIDMismatch,
    Document,
    DocumentError,
    Importer,
    InvalidCID,
    KuboStore,
    Layout,
    compute_cid,
    load_document,
    verify_cid,
)

DOC = b"Clause 7: the commons garden is tended by whoever shows up on Sundays.\n"


def _flip(data: bytes, bit: int) -> bytes:
    out = bytearray(data)
    out[bit // 8] ^= 1 << (bit % 8)
    return bytes(out)


# --- the verifier -----------------------------------------------------------------------


@pytest.mark.parametrize("version", [0, 1])
def test_verify__every_single_bit_flip_refused(version: int) -> None:
    cid = compute_cid(DOC, cid_version=version)
    for bit in range(len(DOC) * 8):
        with pytest.raises(CIDMismatch):
            verify_cid(cid, _flip(DOC, bit))


@pytest.mark.parametrize("version", [0, 1])
def test_verify__every_truncation_and_extension_refused(version: int) -> None:
    cid = compute_cid(DOC, cid_version=version)
    for cut in range(len(DOC)):
        with pytest.raises(CIDMismatch):
            verify_cid(cid, DOC[:cut])
    for extra in (b"\0", b"\n", DOC):
        with pytest.raises(CIDMismatch):
            verify_cid(cid, DOC + extra)


@settings(max_examples=60, deadline=None)
@given(
    data=st.binary(min_size=1, max_size=3 * CHUNK_SIZE + 10).filter(bool),
    where=st.floats(0, 1, exclude_max=True),
    version=st.sampled_from([0, 1]),
    cut=st.integers(1, CHUNK_SIZE + 1),
)
def test_verify__random_damage_refused(data: bytes, where: float, version: int, cut: int) -> None:
    cid = compute_cid(data, cid_version=version)
    assert verify_cid(cid, data) == cid
    with pytest.raises(CIDMismatch):
        verify_cid(cid, _flip(data, int(where * len(data) * 8)))
    with pytest.raises(CIDMismatch):
        verify_cid(cid, data[: max(0, len(data) - cut)])


def test_verify__large_document_flip_in_a_middle_chunk_refused() -> None:
    data = hashlib.shake_128(b"big").digest(5 * CHUNK_SIZE + 3)
    for version in (0, 1):
        cid = compute_cid(data, cid_version=version)
        with pytest.raises(CIDMismatch):
            verify_cid(cid, _flip(data, (2 * CHUNK_SIZE + 17) * 8 + 3))


def test_verify__block_bytes_served_for_a_dag_pb_cid_refused() -> None:
    # The naive check "sha256(bytes) == digest" would accept the root block's bytes
    # (protobuf) as the document; the codec says the digest names a UnixFS DAG.
    cid = compute_cid(DOC)
    block = pb_leaf(DOC)
    assert hashlib.sha256(block).digest() == bytes(
        __import__("multiformats").CID.decode(cid).raw_digest
    )
    with pytest.raises(CIDMismatch):
        verify_cid(cid, block)


def test_verify__wrong_cid_version_relabels_refused() -> None:
    v0 = compute_cid(DOC)
    raw = compute_cid(DOC, cid_version=1)  # bafk...: sha256 of the bytes themselves
    # a CIDv0 digest relabelled as a raw CIDv1, and a raw digest relabelled as CIDv0/dag-pb
    for wrong in (relabel(v0, version=1, codec="raw"), relabel(raw, version=0, codec="dag-pb")):
        with pytest.raises(CIDMismatch):
            verify_cid(wrong, DOC)
    # a multi-chunk document: the CIDv1 (raw leaves) root and the CIDv0 root differ
    data = hashlib.shake_128(b"versions").digest(2 * CHUNK_SIZE + 1)
    v0_root, v1_root = compute_cid(data), compute_cid(data, cid_version=1)
    with pytest.raises(CIDMismatch):
        verify_cid(relabel(v0_root, version=1, codec="raw"), data)
    with pytest.raises(CIDMismatch):
        verify_cid(relabel(v1_root, version=1, codec="raw"), data)
    # while the same block under either version is the same content
    assert verify_cid(relabel(v1_root, version=0, codec="dag-pb"), data)
    assert verify_cid(relabel(v0_root, version=1, codec="dag-pb"), data)


def test_verify__other_hash_functions_refused() -> None:
    from multiformats import CID, multihash

    for hashfun in ("sha2-512", "identity", "sha3-256"):
        cid = str(CID("base32", 1, "raw", multihash.digest(DOC, hashfun)))
        with pytest.raises(InvalidCID, match="sha2-256"):
            verify_cid(cid, DOC)


# --- through both backends ----------------------------------------------------------------


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda doc: _flip(doc, 8 * 10 + 2), id="bit-flip"),
        pytest.param(lambda doc: _flip(doc, len(doc) * 8 - 1), id="bit-flip-last"),
        pytest.param(lambda doc: doc[:-1], id="truncated-by-one"),
        pytest.param(lambda doc: doc[: len(doc) // 2], id="truncated-half"),
        pytest.param(lambda doc: b"", id="emptied"),
        pytest.param(lambda doc: doc + b"\n", id="extended"),
        pytest.param(lambda doc: pb_leaf(doc), id="block-bytes-for-file"),
        pytest.param(lambda doc: doc.replace(b"Sundays", b"Mondays"), id="substituted"),
    ],
)
def test_get__tampered_bytes_refused(
    backend: Tamperer, unique: bytes, tamper, tmp_path: Path
) -> None:  # noqa: ANN001
    store = backend.store
    doc = DOC + unique
    cid = store.put(doc)
    assert store.get(cid) == doc
    backend.serve(cid, tamper(doc))
    with pytest.raises(CIDMismatch, match=cid):
        store.get(cid)
    out = tmp_path / "fetched.txt"
    with pytest.raises(CIDMismatch):
        store.get_to_file(cid, out)
    assert not out.exists()
    assert not list(tmp_path.glob("*.partial"))


def test_get__wrong_cid_version_never_yields_the_document(backend: Tamperer, unique: bytes) -> None:
    store = backend.store
    doc = DOC + unique
    cid = store.put(doc)
    # The same digest under the raw codec names the root block's bytes, not the document.
    wrong = relabel(cid, version=1, codec="raw")
    try:
        served = store.get(wrong)
    except DocumentError:
        return  # refused (the embedded store holds no such content)
    assert served != doc  # a node returns the block itself, which is what that CID names
    assert served == pb_leaf(doc)


def test_load_document__tampered_structured_document_refused(
    backend: Tamperer, unique: bytes
) -> None:
    document = Document("clause", "Gardens", "Tended on Sundays. " + unique.decode())
    cid = backend.store.put(document.to_bytes())
    backend.serve(cid, document.to_bytes().replace(b"Sundays", b"Mondays"))
    with pytest.raises(CIDMismatch):
        load_document(backend.store, cid)


# --- on the node's disk, block by block -----------------------------------------------------


def _blocks(data: bytes, layout: Layout) -> list[tuple[str, bytes]]:
    found: list[tuple[str, bytes]] = []
    importer = Importer(layout, on_block=lambda cid, block: found.append((str(cid), block)))
    importer.update(data)
    importer.finish()
    return found


@pytest.mark.parametrize("damage", ["flip", "truncate"])
def test_kubo__damaged_leaf_block_on_the_node_refused(
    jsipfs: JsIpfsNode, kubo_store: KuboStore, unique: bytes, damage: str
) -> None:
    data = hashlib.shake_128(unique).digest(2 * CHUNK_SIZE + 1000)
    cid = kubo_store.put(data, cid_version=1)  # raw leaves
    leaf_cid, leaf = _blocks(data, Layout(1, raw_leaves=True))[1]
    path = jsipfs.block_file(leaf_cid)
    assert path.read_bytes() == leaf
    path.write_bytes(_flip(leaf, 12_345) if damage == "flip" else leaf[:-100])
    with pytest.raises(CIDMismatch, match=cid):
        kubo_store.get(cid)

"""CIDs computed exactly as ``ipfs add`` does: committed vectors from a real node, live
comparisons with the js-ipfs node, parsing and the on-chain form."""

from __future__ import annotations

import hashlib
import io
import json

import pytest
from doc_helpers import VECTORS, load_vectors, relabel, vector_bytes
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsipfs_node import JsIpfsNode
from multiformats import CID, multihash
from panarchy.documents import (
    CHUNK_SIZE,
    MAX_LINKS,
    Importer,
    InvalidCID,
    Layout,
    bytes32_to_cid,
    cid_key,
    cid_to_bytes32,
    compute_cid,
    compute_cid_stream,
    parse_cid,
    verify_cid,
)

SETTINGS = {
    "cidv0": Layout(0),
    "cidv1_raw_leaves": Layout(1, raw_leaves=True),
    "cidv1_dagpb_leaves": Layout(1),
}
VECTOR_LIST = load_vectors()


def _import(data: bytes, layout: Layout) -> Importer:
    importer = Importer(layout)
    for start in range(0, len(data), 100_000):  # pieces that straddle chunk boundaries
        importer.update(data[start : start + 100_000])
    importer.finish()
    return importer


# --- the committed vectors ----------------------------------------------------------------


def test_vectors__cover_every_size_the_issue_names() -> None:
    sizes = {int(str(v["size"])) for v in VECTOR_LIST}
    assert 0 in sizes
    assert any(0 < s < 100 for s in sizes)
    assert CHUNK_SIZE in sizes and CHUNK_SIZE + 1 in sizes
    assert any(3 * 1024 * 1024 <= s < MAX_LINKS * CHUNK_SIZE for s in sizes)
    assert MAX_LINKS * CHUNK_SIZE in sizes  # the largest one-level tree
    assert MAX_LINKS * CHUNK_SIZE + 1 in sizes  # the smallest two-level tree
    made_by = json.loads(VECTORS.read_text())["made_by"]
    assert "js-ipfs" in made_by


@pytest.mark.parametrize("vector", VECTOR_LIST, ids=[str(v["name"]) for v in VECTOR_LIST])
def test_compute_cid__matches_the_real_node(vector: dict[str, object]) -> None:
    data = vector_bytes(vector)
    assert len(data) == vector["size"]
    assert hashlib.sha256(data).hexdigest() == vector["sha256"]  # the input is regenerated
    for label, layout in SETTINGS.items():
        importer = _import(data, layout)
        cid = compute_cid(data, cid_version=layout.cid_version, raw_leaves=layout.raw_leaves)
        assert cid == vector[label], label
        assert importer.dag_size == vector[f"{label}_size"], label  # "Size": the whole DAG
        assert verify_cid(cid, data) == cid


@pytest.mark.parametrize("vector", VECTOR_LIST[:6], ids=[str(v["name"]) for v in VECTOR_LIST[:6]])
def test_compute_cid_stream__matches_compute_cid(vector: dict[str, object]) -> None:
    data = vector_bytes(vector)
    seen: list[int] = []
    for version in (0, 1):
        cid = compute_cid_stream(io.BytesIO(data), cid_version=version, progress=seen.append)
        assert cid == compute_cid(data, cid_version=version)
    assert sum(seen) == 2 * len(data)


def test_compute_cid__default_is_cidv0_and_cidv1_means_raw_leaves() -> None:
    data = b"hello world\n"
    assert compute_cid(data) == "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"
    assert compute_cid(data, cid_version=1).startswith("bafk")  # a single raw leaf
    big = bytes(CHUNK_SIZE + 1)
    assert compute_cid(big, cid_version=1).startswith("bafy")  # a dag-pb root over raw leaves


def test_compute_cid__two_level_tree_shape() -> None:
    data = hashlib.shake_128(b"shape").digest(MAX_LINKS * CHUNK_SIZE + 1)
    blocks: list[tuple[CID, bytes]] = []
    importer = Importer(Layout(1, raw_leaves=True), on_block=lambda c, b: blocks.append((c, b)))
    importer.update(data)
    root = importer.finish()
    assert blocks[-1][0] == root
    internal = [b for c, b in blocks if c.codec.name == "dag-pb"]
    # two level-1 nodes (174 leaves and 1 leaf) and the root over them
    assert len(internal) == 3
    assert sum(1 for c, _ in blocks if c.codec.name == "raw") == MAX_LINKS + 1


@pytest.mark.parametrize("version", [2, -1])
def test_compute_cid__unknown_version_raises(version: int) -> None:
    with pytest.raises(InvalidCID, match="CID version must be 0 or 1"):
        compute_cid(b"x", cid_version=version)


def test_layout__raw_leaves_need_cidv1() -> None:
    with pytest.raises(InvalidCID, match="raw leaves need CIDv1"):
        Layout(0, raw_leaves=True)


# --- against the live node ------------------------------------------------------------------


@pytest.mark.ipfs
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    size=st.one_of(
        st.integers(0, 300),
        st.sampled_from([CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1, 2 * CHUNK_SIZE]),
        st.integers(CHUNK_SIZE - 3, 3 * CHUNK_SIZE + 3),
    ),
    seed=st.binary(min_size=1, max_size=8),
    version=st.sampled_from([0, 1]),
)
def test_compute_cid__equals_live_node_add(
    jsipfs: JsIpfsNode, size: int, seed: bytes, version: int
) -> None:
    data = hashlib.shake_128(seed).digest(size)
    params = {"cid-version": str(version), "pin": "false", "chunker": f"size-{CHUNK_SIZE}"}
    if version == 1:
        params |= {"raw-leaves": "true", "cid-base": "base32"}
    answer = jsipfs.add(data, **params)
    assert compute_cid(data, cid_version=version) == answer["Hash"]


# --- parsing ------------------------------------------------------------------------------


V0 = "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"


@pytest.mark.parametrize(
    "text",
    [V0, f"/ipfs/{V0}", f"ipfs://{V0}", f"  {V0}\n", relabel(V0, version=1, codec="dag-pb")],
)
def test_parse_cid__accepts_the_usual_forms(text: str) -> None:
    assert cid_key(parse_cid(text)) == cid_key(V0)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "not a CID"),
        ("hello", "not a CID"),
        ("Qm123", "not a CID"),
        (f"/ipfs/{V0}/readme", "not a CID"),
        (str(CID("base32", 1, "dag-pb", multihash.digest(b"x", "sha2-512"))), "sha2-256"),
        (str(CID("base32", 1, "raw", multihash.digest(b"x", "identity"))), "sha2-256"),
        (str(CID("base32", 1, "dag-cbor", multihash.digest(b"x", "sha2-256"))), "codec dag-cbor"),
    ],
)
def test_parse_cid__refuses(text: str, message: str) -> None:
    with pytest.raises(InvalidCID, match=message):
        parse_cid(text)


def test_cid_key__v0_and_v1_of_one_block_share_a_key_raw_does_not() -> None:
    v1 = relabel(V0, version=1, codec="dag-pb")
    raw = relabel(V0, version=1, codec="raw")
    assert cid_key(V0) == cid_key(v1) == v1
    assert cid_key(raw) != cid_key(V0)


# --- the on-chain form --------------------------------------------------------------------


def test_bytes32__round_trip_is_the_dag_pb_digest() -> None:
    digest = cid_to_bytes32(V0)
    assert len(digest) == 32
    assert digest == bytes(CID.decode(V0).raw_digest)
    assert bytes32_to_cid(digest) == V0


def test_cid_to_bytes32__accepts_cidv1_dag_pb() -> None:
    v1 = compute_cid(bytes(CHUNK_SIZE + 5), cid_version=1)  # dag-pb root, raw leaves
    assert v1.startswith("bafy")
    assert bytes32_to_cid(cid_to_bytes32(v1)) == relabel(v1, version=0, codec="dag-pb")


def test_cid_to_bytes32__refuses_raw_codec_with_advice() -> None:
    raw = compute_cid(b"small", cid_version=1)
    with pytest.raises(InvalidCID, match="raw-codec.*store the document with CIDv0"):
        cid_to_bytes32(raw)


@pytest.mark.parametrize("value", [b"", bytes(31), bytes(33), "00" * 32])
def test_bytes32_to_cid__refuses_anything_but_32_bytes(value: object) -> None:
    with pytest.raises(InvalidCID, match="exactly 32 bytes"):
        bytes32_to_cid(value)  # type: ignore[arg-type]


@given(st.binary(min_size=32, max_size=32))
def test_bytes32__round_trip_any_digest(digest: bytes) -> None:
    assert cid_to_bytes32(bytes32_to_cid(digest)) == digest

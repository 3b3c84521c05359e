"""One behavioural suite, run against both backends: the embedded store and a real IPFS
node through the Kubo RPC API (``store`` is parametrised in conftest.py)."""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

import pytest
from doc_helpers import relabel
from panarchy.documents import (
    CHUNK_SIZE,
    DocumentNotFound,
    DocumentStore,
    EmbeddedStore,
    InvalidCID,
    KuboStore,
    NotPinned,
    compute_cid,
    documents_dir,
    open_store,
)

AnyStore = EmbeddedStore | KuboStore
MISSING = compute_cid(b"panarchy: a document nobody ever stored\n")


def _pinned(store: AnyStore, cid: str) -> bool:
    return any(entry.cid == cid and entry.pinned for entry in store.ls())


def test_store__satisfies_the_protocol(store: AnyStore) -> None:
    assert isinstance(store, DocumentStore)
    assert store.description


@pytest.mark.parametrize("version", [0, 1])
@pytest.mark.parametrize("size", [0, 1, 100, CHUNK_SIZE, CHUNK_SIZE + 1, 3 * CHUNK_SIZE + 7])
def test_put_get__round_trip_with_kubo_cid(
    store: AnyStore, unique: bytes, size: int, version: int
) -> None:
    data = hashlib.shake_128(unique).digest(size)
    cid = store.put(data, cid_version=version)
    assert cid == compute_cid(data, cid_version=version)
    assert store.get(cid) == data
    assert store.has(cid)


def test_put__default_is_cidv0_text(store: AnyStore, unique: bytes) -> None:
    assert store.put(unique).startswith("Qm")


def test_put__twice_is_idempotent(store: AnyStore, unique: bytes) -> None:
    assert store.put(unique) == store.put(unique)
    assert store.get(compute_cid(unique)) == unique


def test_get__by_the_cidv1_form_of_a_cidv0(store: AnyStore, unique: bytes) -> None:
    data = unique * 30_000  # several chunks
    cid = store.put(data)
    assert store.get(relabel(cid, version=1, codec="dag-pb")) == data


def test_get__missing_raises_not_found(store: AnyStore) -> None:
    with pytest.raises(DocumentNotFound, match=MISSING):
        store.get(MISSING)


@pytest.mark.parametrize("bad", ["", "not-a-cid", "QmNotACid", "bafyreib"])
def test_calls__refuse_invalid_cids_before_any_work(store: AnyStore, bad: str) -> None:
    for call in (store.get, store.has, store.pin, store.unpin):
        with pytest.raises(InvalidCID):
            call(bad)


def test_has__false_for_missing(store: AnyStore) -> None:
    assert store.has(MISSING) is False


def test_put_stream__progress_and_cid(store: AnyStore, unique: bytes) -> None:
    data = hashlib.shake_128(unique).digest(2 * CHUNK_SIZE + 99)
    seen: list[int] = []
    cid = store.put_stream(io.BytesIO(data), cid_version=1, progress=seen.append)
    assert cid == compute_cid(data, cid_version=1)
    assert sum(seen) == len(data)
    assert store.get(cid) == data


def test_get_to_file__writes_verified_bytes(store: AnyStore, unique: bytes, tmp_path: Path) -> None:
    data = hashlib.shake_128(unique).digest(CHUNK_SIZE + 5)
    cid = store.put(data)
    seen: list[int] = []
    out = tmp_path / "out.bin"
    assert store.get_to_file(cid, out, progress=seen.append) == len(data)
    assert out.read_bytes() == data
    assert sum(seen) == len(data)
    left = sorted(p.name for p in tmp_path.iterdir() if p.name != "documents")
    assert left == ["out.bin"]  # no temporary file left behind


def test_put__pins_by_default(store: AnyStore, unique: bytes) -> None:
    cid = store.put(unique)
    assert _pinned(store, cid)


def test_unpin_then_pin(store: AnyStore, unique: bytes) -> None:
    cid = store.put(unique)
    store.unpin(cid)
    assert not _pinned(store, cid)
    store.pin(cid)
    assert _pinned(store, cid)


def test_unpin__not_pinned_raises(store: AnyStore, unique: bytes) -> None:
    cid = store.put(unique, pin=False)
    with pytest.raises(NotPinned):
        store.unpin(cid)


def test_pin__missing_raises_not_found(store: AnyStore) -> None:
    with pytest.raises(DocumentNotFound):
        store.pin(MISSING)


def test_gc__removes_unpinned_keeps_pinned(store: AnyStore, unique: bytes) -> None:
    kept = store.put(unique + b" kept")
    dropped = store.put(unique + b" dropped", pin=False)
    unpinned = store.put(unique + b" unpinned")
    store.unpin(unpinned)
    store.gc()
    assert store.get(kept) == unique + b" kept"
    assert not store.has(dropped)
    assert not store.has(unpinned)
    with pytest.raises(DocumentNotFound):
        store.get(dropped)


def test_ls__lists_pinned_documents_with_their_cids(store: AnyStore, unique: bytes) -> None:
    small = store.put(unique)
    large = store.put(unique * 40_000, cid_version=1)
    listed = {entry.cid: entry for entry in store.ls()}
    assert listed[small].pinned and listed[large].pinned
    if isinstance(store, EmbeddedStore):
        assert listed[small].size == len(unique)


# --- the embedded store's own behaviour ------------------------------------------------------


def test_embedded__ls_shows_unpinned_too(embedded_store: EmbeddedStore) -> None:
    cid = embedded_store.put(b"loose", pin=False)
    assert [(e.cid, e.pinned, e.size) for e in embedded_store.ls()] == [(cid, False, 5)]


def test_embedded__gc_returns_removed_cids(embedded_store: EmbeddedStore) -> None:
    loose = embedded_store.put(b"loose", pin=False)
    embedded_store.put(b"kept")
    assert embedded_store.gc() == [loose]
    assert embedded_store.gc() == []


def test_embedded__put_repairs_a_damaged_copy(embedded_store: EmbeddedStore) -> None:
    cid = embedded_store.put(b"original text")
    embedded_store.object_path(cid).write_bytes(b"original texT")
    assert embedded_store.put(b"original text") == cid
    assert embedded_store.get(cid) == b"original text"


def test_embedded__unusable_root_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    from panarchy.documents import StoreUnavailable

    with pytest.raises(StoreUnavailable, match="cannot use"):
        EmbeddedStore(blocker / "documents")


# --- choosing the backend ---------------------------------------------------------------


def test_open_store__embedded_by_default_under_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PANARCHY_IPFS_API", raising=False)
    monkeypatch.setenv("PANARCHY_DATA_DIR", str(tmp_path / "data"))
    store = open_store()
    assert isinstance(store, EmbeddedStore)
    assert store.root == tmp_path / "data" / "documents"
    assert open_store(data_dir=tmp_path / "other").root == tmp_path / "other" / "documents"


def test_open_store__home_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PANARCHY_DATA_DIR", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert documents_dir() == tmp_path / ".panarchy" / "documents"


def test_open_store__kubo_from_argument_or_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PANARCHY_IPFS_API", raising=False)
    store = open_store(kubo_api="/ip4/127.0.0.1/tcp/5001/http", timeout=4)
    assert isinstance(store, KuboStore) and store.timeout == 4
    monkeypatch.setenv("PANARCHY_IPFS_API", "http://127.0.0.1:5001")
    assert isinstance(open_store(), KuboStore)
    assert os.environ["PANARCHY_IPFS_API"] in open_store().description

"""The embedded store survives a crash mid-write: a writer process is killed with SIGKILL at
each stage of a write (and at random moments), and never is a half-written document left
under a valid CID; the store stays usable and gc sweeps the debris."""

from __future__ import annotations

import contextlib
import hashlib
import os
import random
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from panarchy.documents import (
    CHUNK_SIZE,
    DocumentNotFound,
    EmbeddedStore,
    StoreUnavailable,
    compute_cid,
    verify_cid,
)

SIZE = 6 * CHUNK_SIZE + 123
SEED = b"crash"

# The writer: stores a document, and announces on stdout the stage it has reached, then
# sleeps there until the test kills it.
CHILD = textwrap.dedent(
    """
    import hashlib, os, sys, time
    from panarchy.documents.embedded import EmbeddedStore

    root, stage = sys.argv[1], sys.argv[2]
    data = hashlib.shake_128(b"crash").digest(int(sys.argv[3]))

    def halt(name):
        print(name, flush=True)
        time.sleep(60)

    class Stream:
        def __init__(self):
            self.sent = 0
        def read(self, n):
            chunk = data[self.sent:self.sent + n]
            self.sent += len(chunk)
            if stage == "mid-write" and self.sent >= len(data) // 2:
                halt("mid-write")
            return chunk

    if stage == "before-rename":
        real_replace = os.replace
        def replace(src, dst):
            if "/objects/" in str(dst):
                halt("before-rename")
            real_replace(src, dst)
        os.replace = replace
    if stage == "before-pin":
        EmbeddedStore._pin_key = lambda self, key, cid: halt("before-pin")
    if stage == "loop":
        store = EmbeddedStore(root)
        print("ready", flush=True)
        for i in range(100000):
            store.put(hashlib.shake_128(b"doc%d" % i).digest(1000 + i * 997 % 300000))
    store = EmbeddedStore(root)
    store.put_stream(Stream())
    print("done", flush=True)
    """
)


def _run_until(root: Path, stage: str, *, kill_after: float | None = None) -> str:
    """Start a writer, wait for it to reach ``stage``, kill it with SIGKILL; return its line."""
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(root), stage, str(SIZE)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline().strip()
        if kill_after is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.wait(kill_after)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(30)
    assert child.returncode == -signal.SIGKILL
    return line


def _assert_consistent(store: EmbeddedStore) -> None:
    """Every file under a CID holds exactly that CID's content."""
    for path in (store.root / "objects").glob("*/*"):
        verify_cid(path.name, path.read_bytes())


@pytest.mark.parametrize("stage", ["mid-write", "before-rename", "before-pin"])
def test_sigkill_during_put__no_half_written_document(tmp_path: Path, stage: str) -> None:
    root = tmp_path / "documents"
    assert _run_until(root, stage) == stage
    store = EmbeddedStore(root)
    data = hashlib.shake_128(SEED).digest(SIZE)
    cid = compute_cid(data)
    _assert_consistent(store)
    if stage == "before-pin":
        # the file was complete and renamed: it is there, whole, only not pinned yet
        assert store.get(cid) == data
        assert [(e.cid, e.pinned) for e in store.ls()] == [(cid, False)]
    else:
        assert not store.has(cid)
        with pytest.raises(DocumentNotFound):
            store.get(cid)
        assert store.ls() == []
        partial = list((root / "tmp").iterdir())
        assert len(partial) == 1 and partial[0].name.endswith(".partial")
    # the store is still usable, and gc sweeps the debris
    assert store.put(data) == cid
    assert store.get(cid) == data
    store.gc(tmp_grace=0)
    assert list((root / "tmp").iterdir()) == []
    assert store.get(cid) == data


def test_sigkill_at_random_moments__every_stored_file_is_whole(tmp_path: Path) -> None:
    root = tmp_path / "documents"
    rng = random.Random(27)
    for _ in range(4):
        assert _run_until(root, "loop", kill_after=rng.uniform(0.05, 0.6)) == "ready"
    store = EmbeddedStore(root)
    _assert_consistent(store)
    for entry in store.ls():
        assert store.get(entry.cid)  # verified on read
    assert len(store.ls()) > 0


def test_interrupted_rename__nothing_left_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = EmbeddedStore(tmp_path / "documents")

    def failing_replace(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(StoreUnavailable, match="No space left on device"):
        store.put(b"a document")
    monkeypatch.undo()
    assert not store.has(compute_cid(b"a document"))
    assert list((tmp_path / "documents" / "tmp").iterdir()) == []
    assert store.put(b"a document") == compute_cid(b"a document")


def test_gc__keeps_young_temporary_files(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "documents")
    young = tmp_path / "documents" / "tmp" / "x.partial"
    young.write_bytes(b"a write under way in another process")
    store.gc()
    assert young.exists()
    store.gc(tmp_grace=0)
    assert not young.exists()

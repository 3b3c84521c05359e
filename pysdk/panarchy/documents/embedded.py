"""The embedded document store: content-addressed files on disk, no server.

Layout under the store's root (``~/.panarchy/documents`` by default)::

    objects/<xy>/<key>   a whole file, named by its canonical CID (CIDv1, base32), where
                         <xy> are the key's last two characters
    pins/<key>           the file is pinned; holds the CID text it was pinned as
    tmp/                 files being written (``*.partial``), swept by gc
    .lock                taken shared by writers and exclusively by gc

A CIDv0 and the CIDv1 with the same codec and multihash share a key, so a document put as
``Qm...`` is also found as its ``bafy...`` form. Writes go to ``tmp/``, are fsync-ed, then
renamed into ``objects/`` (see :mod:`panarchy.documents._files`): a crash mid-write leaves
at most a ``.partial`` file, never a half-written document under a valid CID. Reads are
always verified against the CID asked for, so a file altered on disk is refused.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from multiformats import CID

from panarchy.documents._files import (
    PARTIAL_SUFFIX,
    commit_temp,
    discard_temp,
    fsync_dir,
    open_temp,
    read_chunks,
    write_verified,
)
from panarchy.documents.cid import (
    DAG_PB,
    Importer,
    Layout,
    cid_key,
    cid_text,
    compute_cid,
    parse_cid,
    verify_cid,
)
from panarchy.documents.errors import DocumentNotFound, NotPinned, StoreUnavailable
from panarchy.documents.store import Progress, StoredDocument

__all__ = ["EmbeddedStore"]

#: Temporary files older than this (seconds) are debris of a crash; gc removes them.
TMP_GRACE_SECONDS = 3600.0


def _display(key: str) -> str:
    """Return the conventional text for a key: ``Qm...`` for dag-pb, base32 for raw."""
    parsed = CID.decode(key)
    if parsed.codec.name == DAG_PB:
        return str(CID("base58btc", 0, DAG_PB, parsed.digest))
    return key


class EmbeddedStore:
    """Content-addressed files under a directory; the SDK's default document store.

    Args:
        root: The store's directory; created when missing.

    Raises:
        StoreUnavailable: If the directory cannot be created.
    """

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root).expanduser()
        self._objects = self.root / "objects"
        self._pins = self.root / "pins"
        self._tmp = self.root / "tmp"
        try:
            for directory in (self._objects, self._pins, self._tmp):
                directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreUnavailable(f"cannot use {self.root} as a document store: {exc}") from exc

    def __repr__(self) -> str:
        return f"EmbeddedStore({str(self.root)!r})"

    @property
    def description(self) -> str:
        """A short human description of the store."""
        return f"embedded store at {self.root}"

    # --- paths and locking --------------------------------------------------------------

    def object_path(self, cid: str) -> Path:
        """Return the file that holds (or would hold) a CID's content."""
        key = cid_key(cid)
        return self._objects / key[-2:] / key

    def _pin_path(self, key: str) -> Path:
        return self._pins / key

    @contextlib.contextmanager
    def _lock(self, exclusive: bool = False) -> Iterator[None]:
        try:
            fd = os.open(self.root / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StoreUnavailable(f"cannot lock the document store {self.root}: {exc}") from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
            yield
        finally:
            os.close(fd)  # releases the lock

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        try:
            with self._lock():
                yield
        except OSError as exc:
            raise StoreUnavailable(
                f"cannot write to the document store {self.root}: {exc}"
            ) from exc

    # --- writing ------------------------------------------------------------------------

    def put(self, data: bytes, *, cid_version: int = 0, pin: bool = True) -> str:
        """Store bytes as a file; return its CID (see :class:`DocumentStore`)."""
        cid = compute_cid(data, cid_version=cid_version)
        path = self.object_path(cid)
        with self._writing():
            if not self._holds(path, data):
                handle, temp = open_temp(self._tmp, f"{path.name}.")
                try:
                    handle.write(data)
                    commit_temp(handle, temp, path)
                except BaseException:
                    discard_temp(handle, temp)
                    raise
            if pin:
                self._pin_key(path.name, cid)
        return cid

    def put_stream(
        self,
        stream: BinaryIO,
        *,
        cid_version: int = 0,
        pin: bool = True,
        progress: Progress | None = None,
    ) -> str:
        """Store a file read from a stream, hashing while writing (memory stays small)."""
        importer = Importer(Layout.kubo_default(cid_version))
        with self._writing():
            handle, temp = open_temp(self._tmp, "stream.")
            try:
                for chunk in read_chunks(stream):
                    handle.write(chunk)
                    importer.update(chunk)
                    if progress is not None:
                        progress(len(chunk))
                cid = str(importer.finish())
                commit_temp(handle, temp, self.object_path(cid))
            except BaseException:
                discard_temp(handle, temp)
                raise
            if pin:
                self._pin_key(cid_key(cid), cid)
        return cid

    def _holds(self, path: Path, data: bytes) -> bool:
        """Whether ``path`` already holds exactly ``data`` (a damaged copy is replaced)."""
        try:
            if path.stat().st_size != len(data):
                return False
            return path.read_bytes() == data
        except FileNotFoundError:
            return False

    def _pin_key(self, key: str, cid: str) -> None:
        """Write the pin marker; it holds the CID text as the caller gave it, for :meth:`ls`."""
        marker = self._pin_path(key)
        text = cid_text(parse_cid(cid))
        try:
            if marker.read_text() == text:
                return
        except (FileNotFoundError, UnicodeDecodeError):
            pass
        handle, temp = open_temp(self._tmp, f"pin.{key}.")
        try:
            handle.write(text.encode())
            commit_temp(handle, temp, marker)
        except BaseException:
            discard_temp(handle, temp)
            raise

    def _pinned_as(self, key: str) -> str | None:
        """The CID text a document was pinned as, or ``None`` if it is not pinned."""
        try:
            text = self._pin_path(key).read_text().strip()
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError):
            text = ""
        return text or _display(key)

    # --- reading ------------------------------------------------------------------------

    def get(self, cid: str) -> bytes:
        """Return the verified bytes ``cid`` names (see :class:`DocumentStore`)."""
        path = self.object_path(cid)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise DocumentNotFound(f"{cid} is not in the {self.description}") from None
        except OSError as exc:
            raise StoreUnavailable(f"cannot read {cid} from the {self.description}: {exc}") from exc
        verify_cid(cid, data)
        return data

    def get_to_file(self, cid: str, path: str | Path, *, progress: Progress | None = None) -> int:
        """Copy the verified bytes ``cid`` names to ``path`` (see :class:`DocumentStore`)."""
        source = self.object_path(cid)
        try:
            stream = source.open("rb")
        except FileNotFoundError:
            raise DocumentNotFound(f"{cid} is not in the {self.description}") from None
        with stream:
            return write_verified(cid, read_chunks(stream), path, progress=progress)

    def has(self, cid: str) -> bool:
        """Whether the store holds ``cid``."""
        return self.object_path(cid).is_file()

    # --- pins and garbage ---------------------------------------------------------------

    def pin(self, cid: str) -> None:
        """Keep ``cid`` through garbage collection."""
        path = self.object_path(cid)
        with self._writing():
            if not path.is_file():
                raise DocumentNotFound(f"cannot pin {cid}: it is not in the {self.description}")
            self._pin_key(path.name, cid)

    def unpin(self, cid: str) -> None:
        """Let garbage collection remove ``cid``."""
        key = cid_key(cid)
        with self._writing():
            try:
                self._pin_path(key).unlink()
            except FileNotFoundError:
                raise NotPinned(f"{cid} is not pinned in the {self.description}") from None
            fsync_dir(self._pins)

    def ls(self) -> list[StoredDocument]:
        """List every stored document, pinned or not, sorted by CID."""
        found = []
        for path in self._objects.glob("*/*"):
            if path.name.endswith(PARTIAL_SUFFIX):
                continue
            try:
                size = path.stat().st_size
                pinned_as = self._pinned_as(path.name)
                cid = pinned_as or _display(path.name)
            except (OSError, ValueError, KeyError):
                continue  # vanished meanwhile, or a stray file that is not a CID
            found.append(StoredDocument(cid, pinned_as is not None, size))
        return sorted(found, key=lambda doc: doc.cid)

    def gc(self, *, tmp_grace: float = TMP_GRACE_SECONDS) -> list[str]:
        """Remove unpinned documents and the debris of interrupted writes.

        Args:
            tmp_grace: Temporary files younger than this many seconds may belong to a
                write still under way in another process and are kept.

        Returns:
            The CIDs of the documents removed.
        """
        removed: list[str] = []
        try:
            with self._lock(exclusive=True):
                for path in sorted(self._objects.glob("*/*")):
                    if not self._pin_path(path.name).exists():
                        path.unlink()
                        with contextlib.suppress(ValueError, KeyError):
                            removed.append(_display(path.name))
                for marker in self._pins.iterdir():
                    if not (self._objects / marker.name[-2:] / marker.name).exists():
                        marker.unlink()  # a pin whose document is gone
                cutoff = time.time() - tmp_grace
                for temp in self._tmp.iterdir():
                    if temp.stat().st_mtime < cutoff:
                        temp.unlink()
                for directory in (self._objects, self._pins, self._tmp):
                    fsync_dir(directory)
        except OSError as exc:
            raise StoreUnavailable(f"garbage collection failed in {self.root}: {exc}") from exc
        return removed

    def close(self) -> None:
        """Nothing to release: every call opens and closes its own files."""

    def __enter__(self) -> EmbeddedStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

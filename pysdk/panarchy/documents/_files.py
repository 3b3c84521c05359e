"""Crash-safe file writing shared by the stores and the CLI.

Every file is written to a temporary name in the same directory tree, flushed and
``fsync``-ed, then renamed into place (atomic on POSIX), and the directory is ``fsync``-ed
so the rename itself survives a power cut. A crash at any point leaves either no file or
the whole file under the final name, never a part of it.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from panarchy.documents.cid import CHUNK_SIZE, CidVerifier
from panarchy.documents.store import Progress

#: Suffix of files being written; they are never read as documents.
PARTIAL_SUFFIX = ".partial"


def fsync_dir(directory: Path) -> None:
    """Flush a directory's entries (a rename or a new file) to disk."""
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def open_temp(directory: Path, prefix: str) -> tuple[BinaryIO, Path]:
    """Create and open a new temporary file in ``directory``; return it and its path."""
    directory.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=directory, prefix=prefix, suffix=PARTIAL_SUFFIX)
    return os.fdopen(fd, "wb"), Path(name)


def commit_temp(handle: BinaryIO, temp: Path, final: Path) -> None:
    """Flush, fsync and close ``handle``, then rename ``temp`` to ``final`` durably."""
    handle.flush()
    os.fsync(handle.fileno())
    handle.close()
    final.parent.mkdir(parents=True, exist_ok=True)
    os.replace(temp, final)
    fsync_dir(final.parent)


def discard_temp(handle: BinaryIO, temp: Path) -> None:
    """Close and delete a temporary file after a failure."""
    with contextlib.suppress(OSError):
        handle.close()
    with contextlib.suppress(OSError):
        temp.unlink()


def write_verified(
    cid: str,
    chunks: Iterable[bytes],
    dest: str | Path,
    *,
    progress: Progress | None = None,
) -> int:
    """Write streamed bytes to ``dest`` only if they are the content ``cid`` names.

    The bytes go to a temporary file beside ``dest`` while their CID is recomputed; the
    file is renamed to ``dest`` only after the CID matched, so a tampered download never
    appears under the requested name.

    Returns:
        The number of bytes written.

    Raises:
        CIDMismatch: The bytes are not the content ``cid`` names (nothing is written).
    """
    dest = Path(dest)
    verifier = CidVerifier(cid)
    handle, temp = open_temp(dest.parent if str(dest.parent) else Path("."), f".{dest.name}.")
    try:
        for chunk in chunks:
            handle.write(chunk)
            verifier.update(chunk)
            if progress is not None:
                progress(len(chunk))
        verifier.finish()
        commit_temp(handle, temp, dest)
    except BaseException:
        discard_temp(handle, temp)
        raise
    return verifier.size


def read_chunks(stream: BinaryIO, size: int = CHUNK_SIZE) -> Iterable[bytes]:
    """Yield a binary stream's bytes in chunks."""
    while chunk := stream.read(size):
        yield chunk

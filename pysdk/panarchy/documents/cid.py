"""Content identifiers computed exactly as a Kubo node's ``ipfs add`` computes them.

A file is cut into fixed chunks of 256 KiB (Kubo's ``size-262144`` chunker). Each chunk
becomes a leaf block; leaves are grouped into dag-pb nodes of at most 174 links (Kubo's
*balanced* layout), level by level, until one root is left. A file of at most one chunk is
its own root.

- **CIDv0** (Kubo's default): leaves are dag-pb nodes wrapping a UnixFS ``File`` with the
  chunk, CIDs are base58btc ``Qm...`` strings.
- **CIDv1** (``ipfs add --cid-version=1``, which implies ``--raw-leaves``): leaves are raw
  blocks, CIDs are base32 ``bafy...`` (dag-pb root) or ``bafk...`` (a single raw leaf).

Wire formats (both are protocol buffers, hand-encoded here because they are tiny):

- dag-pb ``PBNode``: the ``Links`` (field 2) first, then ``Data`` (field 1). Each ``PBLink``
  holds ``Hash`` (1, the child's binary CID), ``Name`` (2, always present, empty) and
  ``Tsize`` (3, the bytes of the child's whole sub-DAG).
- UnixFS ``Data``: ``Type`` (1, ``File`` = 2), ``Data`` (2, a leaf's bytes), ``filesize``
  (3) and one ``blocksizes`` entry (4, not packed) per child with the file bytes below it.

On chain a document is the 32-byte sha2-256 digest of its dag-pb root
(:func:`cid_to_bytes32`); :func:`bytes32_to_cid` turns it back into the CIDv0 text.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import BinaryIO

from multiformats import CID, multihash

from panarchy.documents.errors import CIDMismatch, InvalidCID

__all__ = [
    "CHUNK_SIZE",
    "MAX_LINKS",
    "DAG_PB",
    "RAW",
    "Layout",
    "Importer",
    "compute_cid",
    "compute_cid_stream",
    "parse_cid",
    "cid_key",
    "cid_text",
    "CidVerifier",
    "verify_cid",
    "cid_to_bytes32",
    "bytes32_to_cid",
]

#: Kubo's default chunk size (``--chunker=size-262144``), in bytes.
CHUNK_SIZE = 262_144
#: Kubo's most links per node in the balanced layout (``helpers.DefaultLinksPerBlock``).
MAX_LINKS = 174
#: Multicodec names of the two codecs a file DAG uses.
DAG_PB = "dag-pb"
RAW = "raw"

_SHA2_256 = "sha2-256"
_UNIXFS_FILE = 2

#: A block emitted by the importer: its CID and its bytes.
BlockSink = Callable[[CID, bytes], None]


# --- protobuf, by hand ------------------------------------------------------------------


def _varint(n: int) -> bytes:
    """Encode an unsigned protobuf varint."""
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _bytes_field(tag: int, value: bytes) -> bytes:
    """Encode a length-delimited field whose key byte is ``tag``."""
    return bytes((tag,)) + _varint(len(value)) + value


def _unixfs_file(*, data: bytes | None, filesize: int, blocksizes: Iterable[int] = ()) -> bytes:
    """Encode a UnixFS ``Data`` message of type ``File``."""
    out = bytearray(b"\x08\x02")  # Type = File
    if data is not None:
        out += _bytes_field(0x12, data)
    out += b"\x18" + _varint(filesize)
    for size in blocksizes:
        out += b"\x20" + _varint(size)
    return bytes(out)


def _pb_node(links: Iterable[tuple[bytes, int]], data: bytes) -> bytes:
    """Encode a dag-pb ``PBNode`` from ``(binary CID, Tsize)`` links and its ``Data``."""
    out = bytearray()
    for cid_bytes, tsize in links:
        link = _bytes_field(0x0A, cid_bytes) + b"\x12\x00" + b"\x18" + _varint(tsize)
        out += _bytes_field(0x12, link)
    out += _bytes_field(0x0A, data)
    return bytes(out)


# --- the importer -----------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """How a file becomes a DAG: the CID version and whether leaves are raw blocks.

    Attributes:
        cid_version: 0 (base58btc ``Qm...``) or 1 (base32).
        raw_leaves: Leaves are raw blocks; only with CIDv1 (Kubo's default for CIDv1).
    """

    cid_version: int = 0
    raw_leaves: bool = False

    def __post_init__(self) -> None:
        if self.cid_version not in (0, 1):
            raise InvalidCID(f"CID version must be 0 or 1, not {self.cid_version!r}")
        if self.cid_version == 0 and self.raw_leaves:
            raise InvalidCID("raw leaves need CIDv1 (a CIDv0 can only name a dag-pb block)")

    @classmethod
    def kubo_default(cls, cid_version: int = 0) -> Layout:
        """Return the layout ``ipfs add --cid-version=N`` uses (raw leaves with CIDv1)."""
        return cls(cid_version=cid_version, raw_leaves=cid_version == 1)


@dataclass(frozen=True)
class _Child:
    cid: CID
    tsize: int  # bytes of the child's block plus all blocks below it
    filesize: int  # file bytes below the child


class Importer:
    """Streams a file into Kubo's balanced DAG and yields its root CID.

    Feed it bytes with :meth:`update` in pieces of any size, then call :meth:`finish`.
    Memory stays at one chunk plus a few dozen bytes per leaf.

    Args:
        layout: CID version and leaf kind; Kubo's CIDv0 default when omitted.
        on_block: Called with every block (CID and bytes), leaves first, root last.
    """

    def __init__(self, layout: Layout | None = None, *, on_block: BlockSink | None = None) -> None:
        self.layout = layout or Layout()
        self._on_block = on_block
        self._buffer = bytearray()
        self._leaves: list[_Child] = []
        self._size = 0
        self._done = False
        #: After :meth:`finish`: the bytes of every block of the DAG (``ipfs add``'s "Size").
        self.dag_size = 0

    @property
    def size(self) -> int:
        """Bytes fed so far."""
        return self._size

    def update(self, data: bytes) -> None:
        """Feed the next bytes of the file."""
        if self._done:
            raise RuntimeError("importer already finished")
        self._size += len(data)
        self._buffer += data
        while len(self._buffer) >= CHUNK_SIZE:
            chunk = bytes(self._buffer[:CHUNK_SIZE])
            del self._buffer[:CHUNK_SIZE]
            self._leaves.append(self._leaf(chunk))

    def finish(self) -> CID:
        """Close the file and return its root CID."""
        if self._done:
            raise RuntimeError("importer already finished")
        self._done = True
        if self._buffer or not self._leaves:
            # The last, short chunk; or, for an empty file, one empty leaf.
            self._leaves.append(self._leaf(bytes(self._buffer), empty=not self._buffer))
            self._buffer.clear()
        level = self._leaves
        while len(level) > 1:
            level = [
                self._internal(level[i : i + MAX_LINKS]) for i in range(0, len(level), MAX_LINKS)
            ]
        self.dag_size = level[0].tsize
        return level[0].cid

    def _cid(self, codec: str, block: bytes) -> CID:
        digest = multihash.digest(block, _SHA2_256)
        base = "base58btc" if self.layout.cid_version == 0 else "base32"
        return CID(base, self.layout.cid_version, codec, digest)

    def _emit(self, cid: CID, block: bytes) -> None:
        if self._on_block is not None:
            self._on_block(cid, block)

    def _leaf(self, chunk: bytes, *, empty: bool = False) -> _Child:
        if self.layout.raw_leaves:
            cid = self._cid(RAW, chunk)
            self._emit(cid, chunk)
            return _Child(cid, len(chunk), len(chunk))
        # Kubo gives an empty file a leaf without a Data field: 0a 04 08 02 18 00.
        block = _pb_node((), _unixfs_file(data=None if empty else chunk, filesize=len(chunk)))
        cid = self._cid(DAG_PB, block)
        self._emit(cid, block)
        return _Child(cid, len(block), len(chunk))

    def _internal(self, children: list[_Child]) -> _Child:
        filesize = sum(c.filesize for c in children)
        data = _unixfs_file(data=None, filesize=filesize, blocksizes=[c.filesize for c in children])
        block = _pb_node(((bytes(c.cid), c.tsize) for c in children), data)
        cid = self._cid(DAG_PB, block)
        self._emit(cid, block)
        return _Child(cid, len(block) + sum(c.tsize for c in children), filesize)


def compute_cid(data: bytes, *, cid_version: int = 0, raw_leaves: bool | None = None) -> str:
    """Return the CID ``ipfs add`` gives these bytes, with Kubo's default settings.

    Args:
        data: The whole file.
        cid_version: 0 for ``Qm...`` (Kubo's default) or 1 for base32 ``bafy...``/``bafk...``.
        raw_leaves: Override the leaf kind; by default raw exactly when ``cid_version`` is 1.

    Returns:
        The CID text: base58btc for CIDv0, base32 for CIDv1.

    Raises:
        InvalidCID: For a CID version other than 0 and 1, or raw leaves with CIDv0.
    """
    layout = _layout(cid_version, raw_leaves)
    importer = Importer(layout)
    view = memoryview(data)
    for start in range(0, len(view), CHUNK_SIZE):
        importer.update(bytes(view[start : start + CHUNK_SIZE]))
    return str(importer.finish())


def compute_cid_stream(
    stream: BinaryIO,
    *,
    cid_version: int = 0,
    raw_leaves: bool | None = None,
    progress: Callable[[int], None] | None = None,
) -> str:
    """Return the CID of a file read from a binary stream, chunk by chunk.

    Args:
        stream: An open binary file (read to its end).
        cid_version: As for :func:`compute_cid`.
        raw_leaves: As for :func:`compute_cid`.
        progress: Called with the number of bytes read after each chunk.

    Returns:
        The CID text.
    """
    importer = Importer(_layout(cid_version, raw_leaves))
    while chunk := stream.read(CHUNK_SIZE):
        importer.update(chunk)
        if progress is not None:
            progress(len(chunk))
    return str(importer.finish())


def _layout(cid_version: int, raw_leaves: bool | None) -> Layout:
    if raw_leaves is None:
        return Layout.kubo_default(cid_version)
    return Layout(cid_version=cid_version, raw_leaves=raw_leaves)


# --- parsing, normalising, verifying ----------------------------------------------------


def parse_cid(cid: str | bytes | CID) -> CID:
    """Parse a CID the SDK can use: dag-pb or raw, hashed with sha2-256.

    Accepts CID text (``Qm...``, ``bafy...``, any multibase), binary CIDs, and the
    ``/ipfs/<cid>`` and ``ipfs://<cid>`` forms.

    Raises:
        InvalidCID: For anything else, saying what is wrong.
    """
    if isinstance(cid, CID):
        parsed = cid
    else:
        if isinstance(cid, str):
            text = cid.strip()
            for prefix in ("ipfs://", "/ipfs/"):
                if text.startswith(prefix):
                    text = text[len(prefix) :].rstrip("/")
            if not text or "/" in text:
                raise InvalidCID(f"not a CID: {cid!r}")
            value: str | bytes = text
        else:
            value = bytes(cid)
        try:
            parsed = CID.decode(value)
        except Exception as exc:  # multiformats raises KeyError/ValueError subclasses
            detail = exc.args[0] if exc.args else type(exc).__name__
            raise InvalidCID(f"not a CID: {cid!r} ({detail})") from exc
    if parsed.hashfun.name != _SHA2_256:
        raise InvalidCID(
            f"unsupported hash function {parsed.hashfun.name} in {parsed}: documents are "
            "addressed with sha2-256"
        )
    if len(parsed.raw_digest) != 32:
        raise InvalidCID(f"truncated sha2-256 digest in {parsed}")
    if parsed.codec.name not in (DAG_PB, RAW):
        raise InvalidCID(
            f"unsupported codec {parsed.codec.name} in {parsed}: a document is a UnixFS file "
            "(dag-pb) or a raw block"
        )
    return parsed


def cid_key(cid: str | bytes | CID) -> str:
    """Return the canonical form of a CID: CIDv1, base32, same codec and multihash.

    A CIDv0 and the CIDv1 with the same codec and multihash name the same block, so they
    share one key.
    """
    parsed = parse_cid(cid)
    return str(CID("base32", 1, parsed.codec, parsed.digest))


def cid_text(cid: CID) -> str:
    """Return the conventional text of a CID: base58btc for CIDv0, base32 for CIDv1."""
    return str(cid.set(base="base58btc" if cid.version == 0 else "base32"))


def _candidates(parsed: CID) -> list[Layout]:
    """Layouts whose root could be ``parsed``, most likely first."""
    if parsed.version == 0:
        return [Layout(0), Layout(1, raw_leaves=True), Layout(1)]
    return [Layout(1, raw_leaves=True), Layout(1), Layout(0)]


class CidVerifier:
    """Checks, while the bytes stream in, that they are the content a CID names.

    For a dag-pb CID the bytes are imported as Kubo would (CIDv0 leaves, CIDv1 raw
    leaves, CIDv1 dag-pb leaves, all at once) and one root's codec and multihash must
    equal the CID's. For a raw CID the bytes' sha2-256 must equal its digest. A CIDv0 and
    a CIDv1 with the same codec and multihash name the same block, so either form verifies.

    Args:
        cid: The CID the bytes are read or presented under.

    Raises:
        InvalidCID: If ``cid`` is not a usable CID.
    """

    def __init__(self, cid: str | bytes | CID) -> None:
        self.cid = parse_cid(cid)
        self._raw = hashlib.sha256() if self.cid.codec.name == RAW else None
        self._importers = (
            [] if self._raw is not None else [Importer(x) for x in _candidates(self.cid)]
        )
        self.size = 0

    def update(self, data: bytes) -> None:
        """Feed the next bytes."""
        self.size += len(data)
        if self._raw is not None:
            self._raw.update(data)
        for importer in self._importers:
            importer.update(data)

    def finish(self) -> str:
        """Return the CID text if the bytes fed are its content.

        Raises:
            CIDMismatch: If they are not (tampered, truncated, another document).
        """
        expected = cid_text(self.cid)
        if self._raw is not None:
            digest = self._raw.digest()
            if digest == self.cid.raw_digest:
                return expected
            actual = CID("base32", 1, RAW, multihash.wrap(digest, _SHA2_256))
            raise CIDMismatch(expected, str(actual))
        roots = [importer.finish() for importer in self._importers]
        if any(r.codec.name == DAG_PB and r.digest == self.cid.digest for r in roots):
            return expected
        raise CIDMismatch(expected, str(roots[0]))


def verify_cid(cid: str | bytes | CID, data: bytes) -> str:
    """Check that ``data`` is the content ``cid`` names (see :class:`CidVerifier`).

    Args:
        cid: The CID the bytes were served or presented under.
        data: The bytes.

    Returns:
        The CID's conventional text (base58btc for CIDv0, base32 for CIDv1).

    Raises:
        InvalidCID: If ``cid`` is not a usable CID.
        CIDMismatch: If the bytes are not that content (tampered, truncated, other version).
    """
    verifier = CidVerifier(cid)
    view = memoryview(data)
    for start in range(0, len(view), CHUNK_SIZE):
        verifier.update(bytes(view[start : start + CHUNK_SIZE]))
    return verifier.finish()


# --- the on-chain form ------------------------------------------------------------------


def cid_to_bytes32(cid: str | bytes | CID) -> bytes:
    """Return the 32 bytes the chain stores for a document: its dag-pb root's sha2-256 digest.

    Args:
        cid: A CIDv0, or a CIDv1 with the dag-pb codec and a sha2-256 multihash.

    Raises:
        InvalidCID: For a raw-codec CID (store the document with CIDv0, or CIDv1 dag-pb,
            so that the chain's digest names a dag-pb root) or any other unusable CID.
    """
    parsed = parse_cid(cid)
    if parsed.codec.name != DAG_PB:
        raise InvalidCID(
            f"{cid_text(parsed)} is a raw-codec CID; the chain stores the digest of a dag-pb "
            "root: store the document with CIDv0 (the default) or as CIDv1 dag-pb"
        )
    return bytes(parsed.raw_digest)


def bytes32_to_cid(digest: bytes) -> str:
    """Return the CIDv0 text (``Qm...``) of a dag-pb root from the 32 bytes the chain stores.

    Raises:
        InvalidCID: If ``digest`` is not exactly 32 bytes.
    """
    if not isinstance(digest, bytes | bytearray | memoryview) or len(digest) != 32:
        raise InvalidCID(f"a document digest is exactly 32 bytes, not {digest!r}")
    return str(CID("base58btc", 0, DAG_PB, multihash.wrap(bytes(digest), _SHA2_256)))

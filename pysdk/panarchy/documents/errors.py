"""The documents capability's exceptions: all under :class:`panarchy.errors.PanarchyError`.

Each class carries a builtin mixin so that callers who do not know the SDK can still catch
it sensibly (``except ValueError``, ``except LookupError``, ``except ConnectionError``).
"""

from __future__ import annotations

from panarchy.errors import PanarchyError


class DocumentError(PanarchyError):
    """Base of every error the documents capability raises."""


class InvalidCID(DocumentError, ValueError):
    """Raised for text or bytes that are not a CID, or a CID of a kind the SDK does not
    accept where it is used (for example a raw-codec CID where the chain needs a dag-pb
    root, or a hash function other than sha2-256)."""


class CIDMismatch(DocumentError):
    """Raised when bytes do not hash to the CID they were read or presented under:
    tampered, truncated or substituted content, whichever store or gateway served it.

    Attributes:
        expected: The CID that was asked for.
        actual: The CID the bytes actually have (with the same CID version), or ``None``.
    """

    def __init__(self, expected: str, actual: str | None, message: str | None = None) -> None:
        super().__init__(
            message
            or f"content does not match its CID: expected {expected}, the bytes hash to "
            f"{actual or 'something else'}; refusing to use them (tampered or truncated?)"
        )
        self.expected = expected
        self.actual = actual


class DocumentNotFound(DocumentError, LookupError):
    """Raised when a store does not hold the document (or a node could not find it within
    the timeout)."""


class NotPinned(DocumentNotFound):
    """Raised when unpinning a document that is not pinned."""


class StoreUnavailable(DocumentError, ConnectionError):
    """Raised when the document store cannot be used: the IPFS node is down, refuses the
    connection, does not answer within the timeout, or the data directory is unusable."""


class StoreError(DocumentError):
    """Raised when a store answers with an error that has no more specific class here;
    the message carries the node's own words."""


class InvalidDocument(DocumentError, ValueError):
    """Raised when a structured document does not follow the document schema."""


__all__ = [
    "DocumentError",
    "InvalidCID",
    "CIDMismatch",
    "DocumentNotFound",
    "NotPinned",
    "StoreUnavailable",
    "StoreError",
    "InvalidDocument",
]

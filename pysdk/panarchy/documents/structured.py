"""Structured charter documents: a small, versioned JSON schema.

A concord, a clause, a proposal's description or a memo is a JSON object::

    {"body": "...Markdown...", "kind": "clause", "links": [{"cid": "Qm...", "title": "..."}],
     "schema": "panarchy.document.v1", "title": "..."}

stored as *canonical* JSON (keys sorted, no insignificant whitespace, UTF-8, one trailing
newline) so that the same document always has the same CID. The JSON Schema is shipped in
``schema/document-v1.json``; this module enforces the same rules (a test keeps the two in
step) and is what the SDK uses: it validates before storing and after loading.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from panarchy.documents.cid import cid_text, compute_cid, parse_cid
from panarchy.documents.errors import InvalidCID, InvalidDocument
from panarchy.documents.store import DocumentStore

__all__ = [
    "SCHEMA_VERSION",
    "DOCUMENT_KINDS",
    "KINDS_BY_SCHEMA",
    "Link",
    "Document",
    "load_schema",
    "split_title",
    "store_document",
    "load_document",
]

#: The schema version this SDK writes.
SCHEMA_VERSION = "panarchy.document.v1"
#: The kinds of documents version 1 knows. Later versions add "claim", "ruling", "treaty":
#: add the kind here and to the schema's ``kind`` enum under a new schema version.
DOCUMENT_KINDS: tuple[str, ...] = ("concord", "clause", "proposal", "memo")
#: Every schema version this SDK reads, with the kinds it allows.
KINDS_BY_SCHEMA: dict[str, tuple[str, ...]] = {SCHEMA_VERSION: DOCUMENT_KINDS}

MAX_TITLE = 200
MAX_BODY = 200_000
MAX_LINKS = 100
MAX_CID_TEXT = 200
MAX_URL = 2_000
#: The largest encoded document accepted by :meth:`Document.from_bytes`.
MAX_DOCUMENT_BYTES = 1_048_576
URL_SCHEMES = ("http://", "https://", "ipfs://", "ipns://")
_FIELDS = ("body", "kind", "links", "schema", "title")
_LINK_FIELDS = ("cid", "title", "url")


def load_schema() -> dict[str, Any]:
    """Return the JSON Schema of version 1, as shipped in the package."""
    text = resources.files("panarchy.documents").joinpath("schema/document-v1.json").read_text()
    return dict(json.loads(text))


_ATX_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(?P<text>.*?)(?:[ \t]+#+)?[ \t]*$")


def split_title(text: str) -> tuple[str | None, str]:
    """Split Markdown text into its title and body.

    The title is the text of the first ATX heading (``# Title``, any level). When that
    heading opens the text (only blank lines before it), the body is what follows it;
    otherwise the body is the whole text. Without a heading the title is ``None`` and the
    body the whole text. Line endings become ``\n``.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    for i, line in enumerate(lines):
        match = _ATX_HEADING.match(line)
        if match and match["text"].strip():
            opens = all(not before.strip() for before in lines[:i])
            body = "\n".join(lines[i + 1 :]).strip("\n") if opens else text.strip("\n")
            return match["text"].strip(), (body + "\n" if body else "")
    body = text.strip("\n")
    return None, (body + "\n" if body else "")


def _check_line(value: object, where: str, limit: int) -> str:
    if not isinstance(value, str):
        raise InvalidDocument(f"{where} must be a string, not {type(value).__name__}")
    if not value.strip():
        raise InvalidDocument(f"{where} must not be empty")
    if len(value) > limit:
        raise InvalidDocument(f"{where} is {len(value)} characters long; at most {limit}")
    if any(unicodedata.category(ch) == "Cc" for ch in value):
        raise InvalidDocument(f"{where} must be one line without control characters")
    return value


def _check_body(value: object) -> str:
    if not isinstance(value, str):
        raise InvalidDocument(f"body must be a string (Markdown), not {type(value).__name__}")
    if len(value) > MAX_BODY:
        raise InvalidDocument(f"body is {len(value)} characters long; at most {MAX_BODY}")
    bad = next((ch for ch in value if unicodedata.category(ch) == "Cc" and ch not in "\t\n"), None)
    if bad is not None:
        raise InvalidDocument(
            f"body contains the control character U+{ord(bad):04X}; only tab and newline "
            "are allowed (use \\n line endings)"
        )
    return value


@dataclass(frozen=True)
class Link:
    """A link from a document: to another document by CID, or to a page by URL.

    Attributes:
        title: What the link is (one line).
        cid: A document's CID (normalised: ``Qm...`` for CIDv0, base32 for CIDv1).
        url: An ``http``, ``https``, ``ipfs`` or ``ipns`` URL.
    """

    title: str
    cid: str | None = None
    url: str | None = None

    def __post_init__(self) -> None:
        self.validate("link")

    def validate(self, where: str) -> None:
        """Check the link; normalise its CID text.

        Raises:
            InvalidDocument: Saying which rule it breaks.
        """
        _check_line(self.title, f"{where}.title", MAX_TITLE)
        if (self.cid is None) == (self.url is None):
            raise InvalidDocument(f"{where} needs exactly one of cid and url")
        if self.cid is not None:
            if not isinstance(self.cid, str) or len(self.cid) > MAX_CID_TEXT:
                raise InvalidDocument(f"{where}.cid must be CID text")
            try:
                object.__setattr__(self, "cid", cid_text(parse_cid(self.cid)))
            except InvalidCID as exc:
                raise InvalidDocument(f"{where}.cid: {exc}") from exc
        if self.url is not None:
            if not isinstance(self.url, str) or not any(
                self.url.startswith(scheme) and len(self.url) > len(scheme)
                for scheme in URL_SCHEMES
            ):
                raise InvalidDocument(
                    f"{where}.url must start with one of {', '.join(URL_SCHEMES)}"
                )
            _check_line(self.url, f"{where}.url", MAX_URL)
            if any(ch.isspace() for ch in self.url):  # the schema's pattern says \S+
                raise InvalidDocument(f"{where}.url must not contain spaces")

    def to_json(self) -> dict[str, str]:
        """Return the link as a JSON object."""
        out = {"title": self.title}
        if self.cid is not None:
            out["cid"] = self.cid
        if self.url is not None:
            out["url"] = self.url
        return out

    @classmethod
    def from_json(cls, value: object, where: str = "link") -> Link:
        """Build a link from a JSON object.

        Raises:
            InvalidDocument: For anything but ``{"title", "cid" | "url"}``.
        """
        if not isinstance(value, dict):
            raise InvalidDocument(f"{where} must be an object with a title and a cid or url")
        unknown = sorted(set(value) - set(_LINK_FIELDS))
        if unknown:
            raise InvalidDocument(f"{where} has unknown fields: {', '.join(unknown)}")
        if "title" not in value:
            raise InvalidDocument(f"{where} needs a title")
        try:
            return cls(value["title"], value.get("cid"), value.get("url"))
        except InvalidDocument as exc:
            raise InvalidDocument(str(exc).replace("link", where, 1)) from None


def _links(value: object) -> tuple[Link, ...]:
    if not isinstance(value, list | tuple):
        raise InvalidDocument("links must be a list")
    if len(value) > MAX_LINKS:
        raise InvalidDocument(f"a document has at most {MAX_LINKS} links, not {len(value)}")
    out = []
    for i, item in enumerate(value):
        if isinstance(item, Link):
            item.validate(f"links[{i}]")
            out.append(item)
        else:
            out.append(Link.from_json(item, f"links[{i}]"))
    return tuple(out)


@dataclass(frozen=True)
class Document:
    """A structured charter document.

    Attributes:
        kind: ``"concord"``, ``"clause"``, ``"proposal"`` or ``"memo"``.
        title: One line.
        body: The text, in Markdown.
        links: Related documents (by CID) and pages (by URL); lists of dicts are accepted.
        schema: The schema version; :data:`SCHEMA_VERSION` unless reading an older one.

    Raises:
        InvalidDocument: On construction, for anything the schema does not allow.
    """

    kind: str
    title: str
    body: str = ""
    links: tuple[Link, ...] = field(default=())
    schema: str = SCHEMA_VERSION

    def __post_init__(self) -> None:
        if self.schema not in KINDS_BY_SCHEMA:
            raise InvalidDocument(
                f"unknown document schema {self.schema!r}; this SDK reads "
                f"{', '.join(KINDS_BY_SCHEMA)}"
            )
        kinds = KINDS_BY_SCHEMA[self.schema]
        if self.kind not in kinds:
            raise InvalidDocument(
                f"unknown document kind {self.kind!r}; {self.schema} allows {', '.join(kinds)}"
            )
        _check_line(self.title, "title", MAX_TITLE)
        _check_body(self.body)
        object.__setattr__(self, "links", _links(self.links))

    def to_json(self) -> dict[str, Any]:
        """Return the document as a JSON object."""
        return {
            "body": self.body,
            "kind": self.kind,
            "links": [link.to_json() for link in self.links],
            "schema": self.schema,
            "title": self.title,
        }

    def to_bytes(self) -> bytes:
        """Return the canonical encoding: sorted keys, compact, UTF-8, trailing newline."""
        text = json.dumps(self.to_json(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return (text + "\n").encode("utf-8")

    def cid(self, *, cid_version: int = 0) -> str:
        """Return the CID the canonical encoding has (what :func:`store_document` returns)."""
        return compute_cid(self.to_bytes(), cid_version=cid_version)

    @classmethod
    def from_json(cls, value: object) -> Document:
        """Build a document from a parsed JSON object, validating it.

        Raises:
            InvalidDocument: Saying which rule it breaks.
        """
        if not isinstance(value, dict):
            raise InvalidDocument("a document is a JSON object")
        unknown = sorted(set(value) - set(_FIELDS))
        if unknown:
            raise InvalidDocument(f"unknown fields: {', '.join(unknown)}")
        missing = [name for name in _FIELDS if name not in value]
        if missing:
            raise InvalidDocument(f"missing fields: {', '.join(missing)}")
        if not isinstance(value["schema"], str):
            raise InvalidDocument("schema must be a string")
        if not isinstance(value["kind"], str):
            raise InvalidDocument("kind must be a string")
        return cls(
            kind=value["kind"],
            title=value["title"],
            body=value["body"],
            links=value["links"],
            schema=value["schema"],
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> Document:
        """Parse and validate a stored document (any JSON formatting is read).

        Raises:
            InvalidDocument: For bytes that are not UTF-8 JSON following the schema.
        """
        if len(data) > MAX_DOCUMENT_BYTES:
            raise InvalidDocument(f"a document is at most {MAX_DOCUMENT_BYTES} bytes")
        if data.startswith(b"\xef\xbb\xbf"):
            raise InvalidDocument("a document is UTF-8 without a byte-order mark")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidDocument(f"a document is UTF-8 text ({exc.reason})") from None

        def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
            keys = [key for key, _ in pairs]
            duplicated = sorted({key for key in keys if keys.count(key) > 1})
            if duplicated:
                raise InvalidDocument(f"duplicate keys: {', '.join(duplicated)}")
            return dict(pairs)

        def no_constant(name: str) -> Any:
            raise InvalidDocument(f"{name} is not JSON")

        try:
            value = json.loads(text, object_pairs_hook=no_duplicates, parse_constant=no_constant)
        except json.JSONDecodeError as exc:
            raise InvalidDocument(
                f"not JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
            ) from None
        return cls.from_json(value)

    @classmethod
    def from_text(cls, text: str, *, kind: str = "memo", name: str | None = None) -> Document:
        """Wrap a plain Markdown (or text) file as a structured document.

        The title is the text's first heading (see :func:`split_title`), else ``name``
        (e.g. the file's name without its suffix); the body is the rest of the text.

        Args:
            text: The file's text.
            kind: The document's kind (``"memo"`` unless told).
            name: The title to use when the text has no heading.

        Raises:
            InvalidDocument: When there is no title at all, or the text breaks a rule
                (a control character, too long).
        """
        title, body = split_title(text)
        title = title or (name.strip() if name else None)
        if not title:
            raise InvalidDocument(
                "the text has no title: start it with a '# Title' line (or give it a file name)"
            )
        return cls(kind=kind, title=title, body=body)

    def render(self) -> str:
        """Return the document as text for a terminal: title, kind, body, links."""
        lines = [self.title, "=" * min(len(self.title), 80), f"{self.kind} · {self.schema}", ""]
        if self.body:
            lines += [self.body.rstrip("\n"), ""]
        if self.links:
            lines.append("Links:")
            for link in self.links:
                lines.append(f"  - {link.title}: {link.cid or link.url}")
        return "\n".join(lines).rstrip("\n") + "\n"


def store_document(
    store: DocumentStore, doc: Document, *, cid_version: int = 0, pin: bool = True
) -> str:
    """Validate a document and store its canonical encoding; return its CID."""
    if not isinstance(doc, Document):
        raise InvalidDocument(f"expected a Document, not {type(doc).__name__}")
    data = doc.to_bytes()
    Document.from_bytes(data)  # the encoding reads back as the same, valid document
    return store.put(data, cid_version=cid_version, pin=pin)


def load_document(store: DocumentStore, cid: str) -> Document:
    """Fetch (verified against ``cid``) and parse a structured document.

    Raises:
        InvalidDocument: If the content is not a structured Panarchy document.
    """
    return Document.from_bytes(store.get(cid))

"""Structured charter documents: the versioned schema, canonical bytes, validation with clear
errors, rendering, and storing/loading through both backends."""

from __future__ import annotations

import json
import re

import pytest
from doc_helpers import Tamperer
from hypothesis import given
from hypothesis import strategies as st
from panarchy.documents import (
    DOCUMENT_KINDS,
    SCHEMA_VERSION,
    Document,
    InvalidDocument,
    Link,
    compute_cid,
    load_document,
    load_schema,
    store_document,
    structured,
)

CID = "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"
CID_V1 = "bafybeicg2rebjoofv4kbyovkw7af3rpiitvnl6i7ckcywaq6xjcxnc2mby"


def _concord() -> Document:
    return Document(
        kind="concord",
        title="The Concord of the Riverside Commons",
        body="# Purpose\n\nWe tend the garden *together*.\n\n- one member, one vote\n",
        links=[
            {"title": "Founding memo", "cid": CID},
            Link("Our website", url="https://riverside.example/commons"),
        ],
    )


def test_to_bytes__canonical_golden() -> None:
    document = Document("memo", "Née à Zürich", "line one\nline two", [{"title": "t", "cid": CID}])
    expected = (
        '{"body":"line one\\nline two","kind":"memo","links":[{"cid":"' + CID + '","title":"t"}],'
        '"schema":"panarchy.document.v1","title":"Née à Zürich"}\n'
    ).encode()
    assert document.to_bytes() == expected
    assert document.cid() == compute_cid(expected)


def test_round_trip__bytes_and_equality() -> None:
    document = _concord()
    assert Document.from_bytes(document.to_bytes()) == document
    assert isinstance(document.links, tuple) and all(isinstance(x, Link) for x in document.links)


def test_from_bytes__reads_any_formatting_but_writes_canonical() -> None:
    document = _concord()
    pretty = json.dumps(document.to_json(), indent=4).encode()
    assert Document.from_bytes(pretty) == document
    assert Document.from_bytes(pretty).to_bytes() == document.to_bytes()


def test_links__cid_text_is_normalised() -> None:
    padded = Document("memo", "t", "", [{"title": "x", "cid": f"/ipfs/{CID}"}])
    assert padded.links[0].cid == CID
    assert Document("memo", "t", "", [{"title": "x", "cid": CID_V1}]).links[0].cid == CID_V1


def _json(**changes: object) -> bytes:
    value = _concord().to_json()
    for key, new in changes.items():
        if new is ...:
            del value[key]
        else:
            value[key] = new
    return json.dumps(value).encode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not json", "not JSON"),
        (b"\xef\xbb\xbf{}", "byte-order mark"),
        (b"\xff\xfe", "UTF-8"),
        (b"[]", "a JSON object"),
        (b'{"kind":"memo","kind":"memo"}', "duplicate keys: kind"),
        (b'{"x": NaN}', "NaN is not JSON"),
        (_json(extra=1), "unknown fields: extra"),
        (_json(title=...), "missing fields: title"),
        (_json(kind="ruling"), "unknown document kind 'ruling'"),
        (_json(kind=7), "kind must be a string"),
        (_json(schema="panarchy.document.v9"), "unknown document schema"),
        (_json(title=""), "title must not be empty"),
        (_json(title="   "), "title must not be empty"),
        (_json(title="two\nlines"), "title must be one line"),
        (_json(title="x" * 201), "title is 201 characters long; at most 200"),
        (_json(body=5), "body must be a string"),
        (_json(body="bell \x07"), "control character U\\+0007"),
        (_json(body="windows\r\nline"), "U\\+000D"),
        (_json(links={}), "links must be a list"),
        (_json(links=[{"title": "x"}]), r"links\[0\] needs exactly one of cid and url"),
        (
            _json(links=[{"title": "x", "cid": CID, "url": "https://a.example"}]),
            r"links\[0\] needs exactly one of cid and url",
        ),
        (_json(links=[{"title": "x", "cid": "nope"}]), r"links\[0\]\.cid: not a CID"),
        (_json(links=[{"title": "x", "url": "ftp://a"}]), r"links\[0\]\.url must start"),
        (_json(links=[{"title": "x", "url": "https://"}]), r"links\[0\]\.url must start"),
        (_json(links=[{"title": "x", "url": "https://a b"}]), "must not contain spaces"),
        (_json(links=[{"url": "https://a.example"}]), r"links\[0\] needs a title"),
        (_json(links=[{"title": "x", "cid": CID, "rel": "y"}]), "unknown fields: rel"),
        (_json(links=[{"title": "x", "cid": CID}] * 101), "at most 100 links"),
    ],
)
def test_from_bytes__refuses_with_a_clear_error(data: bytes, message: str) -> None:
    with pytest.raises(InvalidDocument, match=message):
        Document.from_bytes(data)


def test_constructor__validates_too() -> None:
    with pytest.raises(InvalidDocument, match="unknown document kind"):
        Document("manifesto", "t")
    with pytest.raises(InvalidDocument, match="needs exactly one of cid and url"):
        Link("t")
    assert isinstance(InvalidDocument("x"), ValueError)


def test_kinds__extensible_by_schema_version(monkeypatch: pytest.MonkeyPatch) -> None:
    later = "panarchy.document.v2"
    monkeypatch.setitem(structured.KINDS_BY_SCHEMA, later, (*DOCUMENT_KINDS, "ruling"))
    ruling = Document("ruling", "Case 1", "Dismissed.", schema=later)
    assert Document.from_bytes(ruling.to_bytes()) == ruling
    with pytest.raises(InvalidDocument, match="unknown document kind 'ruling'"):
        Document("ruling", "Case 1")  # not under version 1


def test_render__title_kind_body_links() -> None:
    text = _concord().render()
    lines = text.splitlines()
    assert lines[0] == "The Concord of the Riverside Commons"
    assert set(lines[1]) == {"="}
    assert lines[2] == f"concord · {SCHEMA_VERSION}"
    assert "We tend the garden *together*." in text
    assert f"  - Founding memo: {CID}" in lines
    assert "  - Our website: https://riverside.example/commons" in lines
    assert text.endswith("\n")


def test_store_and_load__through_both_backends(backend: Tamperer) -> None:
    document = _concord()
    cid = store_document(backend.store, document)
    assert cid == document.cid()
    assert load_document(backend.store, cid) == document


def test_load_document__refuses_non_documents(backend: Tamperer) -> None:
    cid = backend.store.put(b"just some bytes, verified but not a document\n")
    with pytest.raises(InvalidDocument, match="not JSON"):
        load_document(backend.store, cid)


# --- the shipped JSON Schema agrees with the code ------------------------------------------------


def test_schema__constants_agree_with_the_code() -> None:
    schema = load_schema()
    props = schema["properties"]
    assert props["schema"]["const"] == SCHEMA_VERSION
    assert tuple(props["kind"]["enum"]) == DOCUMENT_KINDS
    assert sorted(schema["required"]) == sorted(structured._FIELDS)
    assert schema["additionalProperties"] is False
    assert props["title"]["maxLength"] == structured.MAX_TITLE
    assert props["body"]["maxLength"] == structured.MAX_BODY
    assert props["links"]["maxItems"] == structured.MAX_LINKS
    link = props["links"]["items"]
    assert sorted(link["properties"]) == sorted(structured._LINK_FIELDS)
    assert link["properties"]["url"]["maxLength"] == structured.MAX_URL


def _schema_pattern(*path: str) -> re.Pattern[str]:
    node = load_schema()["properties"]
    for key in path:
        node = node[key]
    # JSON Schema patterns are ECMA-262; these use nothing beyond Python's syntax except
    # that "$" must not match before a final newline.
    return re.compile(node["pattern"].replace("$", r"\Z"))


@pytest.mark.parametrize(
    "title",
    ["ok", "Née", "x" * 200, "", " ", "a\nb", "tab\there", "del\x7f", "c1\x85", "\u3000"],
)
def test_schema__title_pattern_agrees_with_the_code(title: str) -> None:
    accepted_by_schema = bool(_schema_pattern("title").search(title)) and len(title) <= 200
    try:
        Document("memo", title)
        accepted_by_code = True
    except InvalidDocument:
        accepted_by_code = False
    assert accepted_by_schema == accepted_by_code


@pytest.mark.parametrize("body", ["", "a\nb", "tab\t", "cr\r", "nul\x00", "esc\x1b", "c1\x9f", "é"])
def test_schema__body_pattern_agrees_with_the_code(body: str) -> None:
    accepted_by_schema = bool(_schema_pattern("body").search(body))
    try:
        Document("memo", "t", body)
        accepted_by_code = True
    except InvalidDocument:
        accepted_by_code = False
    assert accepted_by_schema == accepted_by_code


_line = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=40
).filter(str.strip)


@given(
    kind=st.sampled_from(DOCUMENT_KINDS),
    title=_line,
    body=st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")) | st.just("\n")),
    link_titles=st.lists(_line, max_size=3),
)
def test_round_trip__any_valid_document(
    kind: str, title: str, body: str, link_titles: list[str]
) -> None:
    links = [Link(t, cid=CID) for t in link_titles]
    document = Document(kind, title, body, links)
    data = document.to_bytes()
    assert Document.from_bytes(data) == document
    assert data.endswith(b"\n") and data.count(b"\n") == 1

"""Documents in the browser: fetched from the app's document route, their CID recomputed by
the browser, rendered as text; bytes that do not match the chain's CID are not trusted."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from panarchy import Chain, DeploymentRecord, deploy_charter, dev_accounts
from panarchy.app import AppServer, Community, app_config
from panarchy.documents import Document, compute_cid, store_document
from panarchy.node import Anvil

from tests.frontend.conftest import Browser

pytestmark = pytest.mark.anvil

HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'


class ServedStore:
    """A store for the app server that answers `serve(cid)` when it knows better (a
    tampering gateway, a file outside the real store), else the real store."""

    def __init__(self, real, serve: Callable[[str], bytes | None]) -> None:
        self.real = real
        self.serve = serve

    def get(self, cid: str) -> bytes:
        data = self.serve(cid)
        return self.real.get(cid) if data is None else data


def test_concord_clauses_and_description_render_verified(
    browser: Browser, app_url: str, community: Community
) -> None:
    charter = community.charter
    browser.open(app_url)
    concord = '#concord .document[data-verified="true"]'
    browser.wait(f"{concord} .doc-title", text="Riverside Commons concord")
    assert "Every rule here expires" in browser.text(f"{concord} .doc-body")
    assert browser("attr", selector=concord, name="data-cid") == charter.concord_cid
    titles = browser("texts", selector='#clauses .document[data-verified="true"] .doc-title')
    assert titles == ["Quiet hours", "Shared tools"]
    assert browser("evaluate", expression="document.querySelectorAll('.doc-warning').length") == 0

    pid = community.open_proposal
    browser("goto", hash=f"#/proposal/{pid}")
    desc = '#description .document[data-verified="true"]'
    browser.wait(f"{desc} .doc-title", text="A garden rota")
    assert browser("attr", selector=desc, name="data-cid") == charter.proposal(pid).description_cid
    browser.screenshot("documents")


def test_a_tampered_document_shows_a_warning_and_not_its_content(
    browser: Browser, anvil_node: Anvil, community: Community, store
) -> None:
    charter = community.charter
    tampered = Document(kind="concord", title="TAMPERED TITLE", body="Hand over the keys.")

    def serve(cid: str) -> bytes | None:
        return tampered.to_bytes() if cid == charter.concord_cid else None

    config = app_config(
        rpc_url=anvil_node.url, chain_id=anvil_node.chain_id, charter=charter.address
    )  # no gateway: documents come from the app's own /ipfs/ route
    with AppServer(config, store=ServedStore(store, serve)) as server:  # type: ignore[arg-type]
        browser.open(server.url)
        browser.wait('#concord .document[data-verified="false"] .doc-warning',
                     text="does not match its CID — not trusted")  # fmt: skip
        page = browser.text("#page")
        assert "TAMPERED" not in page and "Hand over the keys" not in page
        # The clauses, served untouched, still verify.
        browser.wait('#clauses .document[data-verified="true"] .doc-title', text="Quiet hours")
        browser.screenshot("tampered-document")


def test_a_hostile_document_renders_as_text_and_runs_nothing(
    browser: Browser, anvil_node: Anvil, chain: Chain, store, tmp_path: Path
) -> None:
    ada, bo = dev_accounts()[:2]
    concord = store_document(
        store, Document(kind="concord", title=f"Title {HOSTILE}", body=f"Body {HOSTILE}\nline 2")
    )
    charter, _ = deploy_charter(
        chain, ada, DeploymentRecord.for_chain(chain, tmp_path), name="Hostile docs",
        concord_cid=concord, founders=[ada.address, bo.address],
    )  # fmt: skip
    config = app_config(rpc_url=anvil_node.url, chain_id=chain.chain_id, charter=charter.address)
    with AppServer(config, store=store) as server:
        browser.open(server.url)
        title = '#concord .document[data-verified="true"] .doc-title'
        browser.wait(title)
        assert browser.text(title) == f"Title {HOSTILE}"
        assert browser.text("#concord .doc-body") == f"Body {HOSTILE}\nline 2"
        assert (
            browser(
                "evaluate", expression="document.querySelectorAll('main img, main script').length"
            )
            == 0
        )
        assert browser("evaluate", expression="window.__pwned === undefined")


def test_a_large_plain_file_is_verified_across_chunks(
    browser: Browser, anvil_node: Anvil, chain: Chain, store, tmp_path: Path
) -> None:
    """Three 256 KiB chunks: the browser rebuilds Kubo's dag-pb root, as the SDK does."""
    ada, bo = dev_accounts()[:2]
    data = b"".join(b"line %06d of a long plain-text concord\n" % i for i in range(20_000))
    assert len(data) > 2 * 262_144
    cid = compute_cid(data)

    def serve(asked: str) -> bytes | None:
        return data if asked == cid else None

    charter, _ = deploy_charter(
        chain, ada, DeploymentRecord.for_chain(chain, tmp_path), name="Long concord",
        concord_cid=cid, founders=[ada.address, bo.address],
    )  # fmt: skip
    config = app_config(rpc_url=anvil_node.url, chain_id=chain.chain_id, charter=charter.address)
    with AppServer(config, store=ServedStore(store, serve)) as server:  # type: ignore[arg-type]
        browser.open(server.url)
        browser.wait(
            '#concord .document[data-verified="true"] .doc-body', text="line 019999", timeout=20000
        )
    flipped = bytearray(data)
    flipped[300_000] ^= 1  # one bit in the second chunk
    tampered = ServedStore(store, lambda asked: bytes(flipped) if asked == cid else None)
    with AppServer(config, store=tampered) as server:  # type: ignore[arg-type]
        browser.open(server.url)
        browser.wait('#concord .document[data-verified="false"] .doc-warning', timeout=20000)


def test_document_json_is_what_the_sdk_writes() -> None:
    doc = Document(kind="memo", title="t", body="b")
    assert set(json.loads(doc.to_bytes())) >= {"title", "body", "kind"}

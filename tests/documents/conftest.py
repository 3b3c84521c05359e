"""Fixtures for the documents tests: a real offline IPFS node, and both stores.

``jsipfs`` starts one js-ipfs daemon for the whole session (see ``jsipfs_node.py``): a
repository in a temporary directory, the offline configuration, free ports on 127.0.0.1,
``jsipfs daemon --offline --enable-preload=false``; it is stopped by its PID at the end.
Tests that use it carry the ``ipfs`` marker (``pytest -m ipfs`` selects them,
``-m "not ipfs"`` leaves them out); CI runs them all.

``store`` is parametrised over both backends, so one behavioural suite runs against the
embedded store and the Kubo backend alike. Each comes with a ``Tamperer`` that alters what
the backend will serve for a CID, the way a damaged disk or a malicious node would.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from doc_helpers import KUBO_HAS_TIMEOUT, KUBO_TIMEOUT, Tamperer
from jsipfs_node import JsIpfsNode, running_node
from panarchy.documents import EmbeddedStore, KuboStore


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that uses the js-ipfs node with ``ipfs``, however it gets it."""
    for item in items:
        if "jsipfs" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.ipfs)


@pytest.fixture(scope="session")
def jsipfs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JsIpfsNode]:
    """A running offline js-ipfs daemon on 127.0.0.1, for the whole session."""
    with running_node(tmp_path_factory.mktemp("jsipfs")) as node:
        yield node


@pytest.fixture
def kubo_store(jsipfs: JsIpfsNode) -> Iterator[KuboStore]:
    """The Kubo backend, talking to the js-ipfs node, with short timeouts."""
    with KuboStore(
        jsipfs.api_multiaddr, timeout=KUBO_TIMEOUT, has_timeout=KUBO_HAS_TIMEOUT
    ) as store:
        yield store


@pytest.fixture
def embedded_store(tmp_path: Path) -> EmbeddedStore:
    """An empty embedded store in a temporary directory."""
    return EmbeddedStore(tmp_path / "documents")


@pytest.fixture(params=["embedded", pytest.param("kubo", marks=pytest.mark.ipfs)])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Tamperer]:
    """Each backend in turn, with its tamperer."""
    if request.param == "embedded":
        yield Tamperer("embedded", EmbeddedStore(tmp_path / "documents"))
        return
    node: JsIpfsNode = request.getfixturevalue("jsipfs")
    with KuboStore(node.api_multiaddr, timeout=KUBO_TIMEOUT, has_timeout=KUBO_HAS_TIMEOUT) as store:
        yield Tamperer("kubo", store, node)


@pytest.fixture
def store(backend: Tamperer) -> EmbeddedStore | KuboStore:
    """Each backend in turn (the behavioural suite's subject)."""
    return backend.store


@pytest.fixture
def unique(request: pytest.FixtureRequest) -> bytes:
    """Bytes no other test uses (the js-ipfs node is shared by the whole session)."""
    return hashlib.sha256(request.node.nodeid.encode()).hexdigest().encode()

"""SDK fixtures: the same tests run in-process and against a real anvil node."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from eth_account.signers.local import LocalAccount
from panarchy import Chain, Charter, DeploymentRecord, Parameters, deploy_factory, dev_accounts
from panarchy.documents import Document, DocumentStore, open_store, store_document
from panarchy.node import Anvil

DAY = timedelta(days=1)
VOTING = timedelta(days=7)
CYCLE = Parameters().revision_period


@pytest.fixture(scope="session")
def anvil_node() -> Iterator[Anvil]:
    """One anvil for the session, on a free 127.0.0.1 port, stopped by its PID."""
    with Anvil() as node:
        yield node


@pytest.fixture(
    scope="session", params=["in_process", pytest.param("anvil", marks=pytest.mark.anvil)]
)
def chain(request: pytest.FixtureRequest) -> Chain:
    """The chain: in-process, then a real anvil node over JSON-RPC."""
    if request.param == "anvil":
        return Chain.connect(request.getfixturevalue("anvil_node").url)
    return Chain.in_process()


@pytest.fixture(scope="session")
def factory(chain: Chain, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The CharterFactory, deployed once per chain through the production deploy code."""
    record = DeploymentRecord.for_chain(chain, tmp_path_factory.mktemp("deployments"))
    return deploy_factory(chain, dev_accounts()[0], record)[-1].address


@pytest.fixture
def store(tmp_path: Path) -> DocumentStore:
    """An embedded document store in a fresh directory."""
    return open_store(data_dir=tmp_path / "docs")


@pytest.fixture(scope="session")
def accounts() -> list[LocalAccount]:
    return dev_accounts()


@pytest.fixture
def founder(accounts: list[LocalAccount]) -> LocalAccount:
    return accounts[0]


@pytest.fixture
def founders(accounts: list[LocalAccount]) -> list[LocalAccount]:
    return accounts[:3]


@pytest.fixture
def newcomer(accounts: list[LocalAccount]) -> LocalAccount:
    return accounts[3]


@pytest.fixture
def stranger(accounts: list[LocalAccount]) -> LocalAccount:
    return accounts[9]


def cid_of(store: DocumentStore, title: str, kind: str = "clause") -> str:
    """Store a small structured document and return its CID."""
    body = hashlib.sha256(title.encode()).hexdigest()
    return store_document(store, Document(kind=kind, title=title, body=body))


@pytest.fixture
def make_charter(chain: Chain, factory: str, founders: list[LocalAccount], store: DocumentStore):
    """Found a charter with the given parameters (defaults otherwise)."""

    def make(**params: object) -> Charter:
        return Charter.found(
            chain,
            founders[0],
            factory=factory,
            name="Test Commons",
            concord_cid=cid_of(store, "concord", "concord"),
            founders=[f.address for f in founders],
            parameters=Parameters(**params),  # type: ignore[arg-type]
        )

    return make

"""Relay fixtures: one anvil for the session, charters with many members, fresh relayers.

Every test that uses the ``anvil`` fixture is marked ``anvil`` (``-m "not anvil"`` leaves
it out). Tests that change how the node mines (automine off, reorgs) restore it after.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from eth_account import Account
from eth_account.signers.local import LocalAccount
from panarchy import Chain, Charter, DeploymentRecord, Parameters, deploy_factory, dev_accounts
from panarchy.documents import DocumentStore, open_store
from panarchy.node import Anvil
from panarchy.relay import Store
from relay_helpers import cid_of, new_members, open_proposal


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that uses the anvil node with ``anvil``, however it gets it."""
    for item in items:
        if "anvil" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.anvil)


@pytest.fixture(scope="session")
def anvil() -> Iterator[Anvil]:
    """One anvil for the relay tests, on a free 127.0.0.1 port, stopped by its PID."""
    with Anvil() as node:
        yield node


@pytest.fixture
def chain(anvil: Anvil) -> Iterator[Chain]:
    """The tests' own connection (the relay gets its own); automine is back on after."""
    chain = Chain.connect(anvil.url)
    yield chain
    chain.w3.provider.make_request("evm_setAutomine", [True])  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def factory(anvil: Anvil, tmp_path_factory: pytest.TempPathFactory) -> str:
    chain = Chain.connect(anvil.url)
    record = DeploymentRecord.for_chain(chain, tmp_path_factory.mktemp("deployments"))
    return deploy_factory(chain, dev_accounts()[0], record)[-1].address


@pytest.fixture(scope="session")
def docs(tmp_path_factory: pytest.TempPathFactory) -> DocumentStore:
    return open_store(data_dir=tmp_path_factory.mktemp("docs"))


@pytest.fixture
def founders() -> list[LocalAccount]:
    return dev_accounts()[:3]


@pytest.fixture
def make_charter(
    chain: Chain, factory: str, founders: list[LocalAccount], docs: DocumentStore
) -> Callable[..., Charter]:
    """Found an open-admission charter (default parameters unless given)."""

    def make(**params: object) -> Charter:
        return Charter.found(
            chain, founders[0], factory=factory, name="Relay Commons",
            concord_cid=cid_of(docs, "concord", "concord"),
            founders=[f.address for f in founders], parameters=Parameters(**params),  # type: ignore[arg-type]
        )  # fmt: skip

    return make


@pytest.fixture
def polity(chain: Chain, make_charter, founders, docs):
    """A charter with 30 joined members and an open proposal they may all vote on."""
    charter = make_charter()
    members = new_members(chain, charter, 30, "polity")
    pid = open_proposal(charter, founders[0], docs)
    return charter, members, pid


_relayers = iter(range(10**6))


@pytest.fixture
def relayer(chain: Chain) -> LocalAccount:
    """A fresh relayer key with 100 ETH: each test sees its own nonces."""
    account = Account.create(f"relayer-{next(_relayers)}")
    chain.fund(account.address, 100 * 10**18)
    return account


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    db = Store(tmp_path / "relay.sqlite3")
    yield db
    db.close()

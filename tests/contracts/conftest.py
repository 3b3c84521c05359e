"""Contract-test fixtures on ape's in-process ``test`` provider.

Role-named accounts (``founder``, ``member``, ``newcomer``, ``stranger``), the system
(implementations and factory, deployed once per session) and ``make_polity(**params)``,
which founds a charter and its clause book through the factory. Ape isolates every test:
state changes are rolled back after each one.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.contracts.helpers import Polity, System, deploy_system, helper, params, rules


@pytest.fixture(scope="session")
def founders(accounts: Any) -> list[Any]:
    """Three founders: ada, bo and cy."""
    return [accounts[0], accounts[1], accounts[2]]


@pytest.fixture(scope="session")
def founder(founders: list[Any]) -> Any:
    return founders[0]


@pytest.fixture(scope="session")
def member(founders: list[Any]) -> Any:
    return founders[1]


@pytest.fixture(scope="session")
def newcomer(accounts: Any) -> Any:
    return accounts[3]


@pytest.fixture(scope="session")
def other(accounts: Any) -> Any:
    """Another account that is not a member."""
    return accounts[4]


@pytest.fixture(scope="session")
def stranger(accounts: Any) -> Any:
    return accounts[9]


@pytest.fixture(scope="session")
def system(accounts: Any) -> System:
    return deploy_system(accounts[8])


@pytest.fixture
def make_polity(system: System, founders: list[Any]):
    """Found a charter with the given parameters (``clause_rules=`` for the book's rules)."""

    def make(founders_: list[Any] | None = None, clause_rules: dict | None = None, **overrides):
        return Polity.found(
            system,
            founders_ or founders,
            parameters=params(**overrides),
            clause_rules=rules(**(clause_rules or {})),
        )

    return make


@pytest.fixture
def polity(make_polity) -> Polity:
    """A charter with the default parameters and three founders."""
    return make_polity()


@pytest.fixture
def charter(polity: Polity) -> Any:
    return polity.charter


@pytest.fixture
def book(polity: Polity) -> Any:
    return polity.book


@pytest.fixture(scope="session")
def target_type():
    return helper("Target")


@pytest.fixture
def target(target_type, accounts: Any) -> Any:
    return accounts[8].deploy(target_type)

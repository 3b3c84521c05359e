"""Treaty fixtures: three party accounts (``ana``, ``ben``, ``cai``) for the state tests,
a ``maker`` standing in for the factory, and party charters for the authority tests."""

from __future__ import annotations

from typing import Any

import pytest

from tests.contracts.treaties.treaty_helpers import direct_treaty, party_charter


@pytest.fixture(scope="session")
def parties(accounts: Any) -> list[Any]:
    return [accounts[5], accounts[6], accounts[7]]


@pytest.fixture(scope="session")
def maker(accounts: Any) -> Any:
    return accounts[8]


@pytest.fixture
def make_treaty(system, maker, parties):
    """``make_treaty(n=3, terms_=..., fund_terms_=...)``: a direct treaty between the first
    ``n`` party accounts."""

    def make(n: int = 3, **kwargs: Any):
        return direct_treaty(system, maker, parties[:n], **kwargs)

    return make


@pytest.fixture
def charters(system, accounts):
    """Three party charters, each with its own single founder (accounts 0, 1, 2)."""
    return [
        party_charter(system, accounts[i], name)
        for i, name in enumerate(("Harbour", "Orchard", "Mill"))
    ]

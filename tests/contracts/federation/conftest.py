"""The federation tests found their charters through a factory of their own: ape keeps the
contract type it saw at an address, and charters made (then reverted) here would otherwise
sit at the addresses the fund tests' circles take later in the session."""

from __future__ import annotations

from typing import Any

import pytest

from tests.contracts.helpers import System, deploy_system


@pytest.fixture(scope="module")
def system(accounts: Any) -> System:
    return deploy_system(accounts[7])

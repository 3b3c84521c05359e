"""Shared by the fund tests and the fund fuzzing: creating a fund for a polity, giving it a
steward, and the ledger identity every step must keep."""

from __future__ import annotations

from typing import Any

from tests.contracts.helpers import (
    DAY,
    ZERO,
    Action,
    Polity,
    System,
    deployables,
    event_args,
    role,
)

ETHER = 10**18
PERIOD = 30 * DAY
CAP = 1 * ETHER
STEWARD_LIMIT = ETHER // 2
STEWARD = role("steward")
STEWARD_TERM = 30 * DAY


def create_fund(
    system: System,
    polity: Polity,
    *,
    sender: Any = None,
    token: str = ZERO,
    period: int = PERIOD,
    cap: int = CAP,
    steward_limit: int = STEWARD_LIMIT,
    members_only: bool = False,
    steward_role: bytes = STEWARD,
) -> Any:
    """Create a fund for ``polity`` through the factory (by its first founder), as every
    member's fund starts: with a steward limit of zero. A non-zero ``steward_limit`` is then
    set the only way it can be, by the charter in an executed proposal (``set_limits``);
    ``fund.created_receipt`` is the creating transaction's receipt."""
    receipt = system.factory.create_fund(
        polity.charter.address,
        token,
        period,
        (cap, 0, members_only),
        steward_role,
        sender=sender or polity.founders[0],
    )
    fund = deployables()["SolidarityFund"].at(event_args(receipt, "FundCreated")[0]["fund"])
    fund.created_receipt = receipt
    if steward_limit:
        limits = (cap, steward_limit, members_only)
        polity.run([Action(fund.address, fund.set_limits.encode_input(limits))])
    return fund


def appoint_steward(polity: Polity, steward: Any, term: int = STEWARD_TERM) -> Any:
    """Define the steward role (when needed) and appoint ``steward`` by proposal."""
    actions = []
    if polity.role_book.terms(STEWARD).term_seconds == 0:
        actions.append(polity.roles_call("define_role", STEWARD, term, 2))
    actions.append(polity.roles_call("appoint", STEWARD, steward.address))
    return polity.run(actions)


def assert_reconciles(fund: Any) -> None:
    """The ledger identity: balance == contributed - disbursed + owed + unaccounted
    (less any shortfall of a token that rebased down)."""
    assert fund.holdings() == (
        fund.contributed()
        - fund.disbursed()
        + fund.owed_total()
        + fund.unaccounted()
        - fund.shortfall()
    )

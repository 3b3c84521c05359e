"""Shared by the role tests: the roles they define, and the few steps of governance and
time that every role test takes (defining, appointing and recalling by proposal)."""

from __future__ import annotations

from typing import Any

import ape

from tests.contracts.helpers import DAY, ZERO, Polity, role

STEWARD = role("steward")
MEDIATOR = role("mediator")
TERM = 30 * DAY  # longer than a proposal takes (7 days), so a mandate outlives the next vote
MAX_TERMS = 2

#: A role's terms as the book returns them: (term, consecutive-term limit, minimum
#: volunteering age), the age zero unless set.
TERMS = (TERM, MAX_TERMS, 0)

#: The latest mandate of a role that was never filled.
NO_MANDATE = (ZERO, 0, 0, 0, False, False)


def define(polity: Polity, name: bytes = STEWARD, term: int = TERM, max_terms: int = MAX_TERMS):
    """Define (or redefine) a role by proposal; return the execution receipt."""
    return polity.run([polity.roles_call("define_role", name, term, max_terms)])


def appoint(polity: Polity, account: Any, name: bytes = STEWARD, voters: list | None = None):
    """Appoint ``account`` by proposal; return the execution receipt."""
    return polity.run([polity.roles_call("appoint", name, account.address)], voters)


def recall(polity: Polity, name: bytes = STEWARD, voters: list | None = None):
    """Recall the mandate in force by proposal; return the execution receipt."""
    return polity.run([polity.roles_call("recall", name)], voters)


def set_min_age(polity: Polity, age: int, name: bytes = STEWARD):
    """Set a role's minimum volunteering age by proposal; return the execution receipt."""
    return polity.run([polity.roles_call("set_min_volunteer_age", name, age)])


def clear_roster(polity: Polity, name: bytes = STEWARD):
    """Clear a role's roster by proposal; return the execution receipt."""
    return polity.run([polity.roles_call("clear_roster", name)])


def newcomers(polity: Polity, funder: Any, count: int) -> list[Any]:
    """``count`` fresh accounts, funded for gas, that join the (open) charter now."""
    fresh = []
    for _ in range(count):
        account = ape.accounts.test_accounts.generate_test_account()
        funder.transfer(account, 10**17)
        polity.charter.join(sender=account)
        fresh.append(account)
    return fresh


def fails(polity: Polity, actions: list, reason: str) -> None:
    """The proposal passes, and its execution reverts with ``reason``."""
    pid = polity.passed(actions)
    with ape.reverts(reason):
        polity.execute(pid, actions)


def at(timestamp: int) -> None:
    """Mine a block at ``timestamp``, so that views read the chain at that second."""
    ape.chain.mine(timestamp=timestamp)


def now() -> int:
    """The time of the latest block."""
    return ape.chain.blocks.head.timestamp


def mandate(book: Any, name: bytes = STEWARD) -> tuple:
    """A role's latest mandate as a plain tuple: (holder, started_at, expires_at,
    consecutive_terms, ended_early, in_force)."""
    m = book.mandate(name)
    return (m.holder, m.started_at, m.expires_at, m.consecutive_terms, m.ended_early, m.in_force)


def addresses(*accounts: Any) -> list[str]:
    return [a.address for a in accounts]

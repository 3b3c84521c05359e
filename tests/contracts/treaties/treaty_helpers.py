"""Shared by the treaty tests and the treaty fuzzing: terms, treaties made through the factory
by real charters, and treaties made directly over the implementations for the state tests.

Two ways to make a treaty:

- ``charter_treaty``: the production path. Each party is a charter founded through the
  factory; the proposer executes its own proposal calling ``CharterFactory.create_treaty``,
  and every later call (ratify, renew, ...) is ``act(polity, treaty, "ratify")``: a proposal
  of that charter, voted and executed. Used wherever the test is about authority.
- ``direct_treaty``: the state tests. Ape's in-process provider cannot impersonate a
  charter's address, so these treaties are minimal proxies of the same ``Treaty`` and
  ``TreatyFund`` implementations, initialised by a test account standing in for the factory,
  with test accounts as the parties (what a party charter's executed proposal does is one
  call from the party's address; these tests make that call directly). The factory's own
  checks (callers and parties are its charters) are tested on the production path.
"""

from __future__ import annotations

from typing import Any

from tests.contracts.helpers import (
    DAY,
    HOUR,
    ZERO,
    Action,
    Polity,
    System,
    deployables,
    doc,
    event_args,
    helper,
    params,
)

TERM = 365 * DAY
WINDOW = 30 * DAY
RATIFY_WITHIN = 60 * DAY
PERIOD = 30 * DAY
CAP = 10**18
TERMS_DOC = doc("treaty terms")
MEMO = doc("draw memo")

# Draw thresholds and states, as in contracts/Treaty.vy.
UNANIMITY, MAJORITY = 1, 2
PENDING, IN_FORCE, RENEWAL_OPEN, LAPSED, NEVER_IN_FORCE, ENDED = 1, 2, 3, 4, 5, 6
ENDED_STATES = (LAPSED, NEVER_IN_FORCE, ENDED)


def now() -> int:
    """The timestamp the next transaction will have (at least)."""
    from ape import chain

    return chain.pending_timestamp


def terms(
    *,
    document: bytes = TERMS_DOC,
    term: int = TERM,
    window: int = WINDOW,
    deadline: int | None = None,
    threshold: int = UNANIMITY,
    lends_mediators: bool = True,
) -> tuple:
    """The ABI tuple of ``Treaty.Terms`` (the deadline defaults to ``RATIFY_WITHIN`` from now)."""
    if deadline is None:
        deadline = now() + RATIFY_WITHIN
    return (document, term, window, deadline, threshold, lends_mediators)


def fund_terms(
    *,
    enabled: bool = True,
    token: str = ZERO,
    cap: int = CAP,
    period: int = PERIOD,
    share_on_withdrawal: bool = True,
) -> tuple:
    """The ABI tuple of ``Treaty.FundTerms``."""
    return (enabled, token, cap, period, share_on_withdrawal)


NO_FUND = (False, ZERO, 0, 0, False)


def treaty_at(address: str) -> Any:
    return deployables()["Treaty"].at(address)


def fund_at(address: str) -> Any:
    return deployables()["TreatyFund"].at(address)


# --- the production path: charters and their proposals -------------------------------------


def party_charter(system: System, founder: Any, name: str) -> Polity:
    """A charter with one founder and a one-hour vote, so that its proposals are quick."""
    return Polity.found(system, [founder], name=name, parameters=params(voting_period=HOUR))


def treaty_call(treaty: Any, method: str, *args: Any) -> Action:
    """An action calling one of the treaty's functions."""
    return Action(treaty.address, getattr(treaty, method).encode_input(*args))


def act(polity: Polity, target: Any, method: str, *args: Any, value: int = 0) -> Any:
    """``polity``'s own proposal calling ``target.method(*args)``, voted and executed."""
    action = Action(target.address, getattr(target, method).encode_input(*args), value)
    return polity.run([action])


def charter_treaty(
    system: System,
    proposer: Polity,
    invited: list[Polity],
    terms_: tuple | None = None,
    fund_terms_: tuple = NO_FUND,
) -> tuple[Any, Any, Any]:
    """``proposer`` creates a treaty to ``invited`` by executing its own proposal; return
    (treaty, fund or None, the execution receipt)."""
    receipt = act(
        proposer,
        system.factory,
        "create_treaty",
        terms_ or terms(deadline=now() + RATIFY_WITHIN + 2 * DAY),
        [p.charter.address for p in invited],
        fund_terms_,
    )
    created = event_args(receipt, "TreatyCreated")[0]
    fund = fund_at(created["fund"]) if created["fund"] != ZERO else None
    return treaty_at(created["treaty"]), fund, receipt


# --- the state tests: proxies initialised directly ------------------------------------------


def direct_treaty(
    system: System,
    maker: Any,
    parties: list[Any],
    terms_: tuple | None = None,
    fund_terms_: tuple = NO_FUND,
) -> tuple[Any, Any]:
    """A treaty between test accounts (``parties[0]`` proposes), made as the factory makes
    one but outside it, with ``maker`` standing in for the factory; return (treaty, fund)."""
    proxy_maker = maker.deploy(helper("ProxyMaker"))

    def make(impl: Any) -> str:
        return event_args(proxy_maker.make(impl, sender=maker), "ProxyCreated")[0]["proxy"]

    treaty = treaty_at(make(system.treaty_impl))
    fund = None
    if fund_terms_[0]:
        fund = fund_at(make(system.treaty_fund_impl))
        _, token, cap, period, _ = fund_terms_
        fund.initialize(treaty.address, token, cap, period, sender=maker)
    treaty.initialize(
        parties[0].address,
        [p.address for p in parties[1:]],
        terms_ or terms(),
        fund_terms_,
        fund.address if fund else ZERO,
        sender=maker,
    )
    return treaty, fund


def fresh_treaty(system: System, maker: Any) -> Any:
    """An uninitialised proxy of the treaty implementation, made outside the factory."""
    proxy_maker = maker.deploy(helper("ProxyMaker"))
    receipt = proxy_maker.make(system.treaty_impl, sender=maker)
    return treaty_at(event_args(receipt, "ProxyCreated")[0]["proxy"])


def fresh_fund(system: System, maker: Any) -> Any:
    """An uninitialised proxy of the treaty fund implementation, made outside the factory."""
    proxy_maker = maker.deploy(helper("ProxyMaker"))
    receipt = proxy_maker.make(system.treaty_fund_impl, sender=maker)
    return fund_at(event_args(receipt, "ProxyCreated")[0]["proxy"])


def ratify_all(treaty: Any, parties: list[Any]) -> None:
    """Every party but the proposer (``parties[0]``) ratifies."""
    for p in parties[1:]:
        treaty.ratify(sender=p)


def renew_all(treaty: Any, parties: list[Any]) -> None:
    for p in parties:
        treaty.renew(sender=p)


def open_window(treaty: Any, offset: int = 0) -> None:
    """The next transaction runs ``offset`` seconds after the renewal window opens."""
    from ape import chain

    chain.pending_timestamp = treaty.renewal_opens_at() + offset


def assert_fund_reconciles(fund: Any) -> None:
    assert fund.holdings() == (
        fund.contributed()
        - fund.disbursed()
        + fund.owed_total()
        + fund.unaccounted()
        - fund.shortfall()
    )

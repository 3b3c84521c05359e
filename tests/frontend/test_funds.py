"""The funds and circles pages: the ledger, its reconciliation and the chart equal the SDK's
reading of the chain; contributions from the browser are seen by the SDK; refusals are the
contracts' own, with no transaction sent."""

from __future__ import annotations

from typing import Any

import pytest
from panarchy import Chain
from panarchy.app import Community
from panarchy.node import Anvil

from tests.frontend.conftest import Browser, wallet

pytestmark = pytest.mark.anvil

ETHER = 10**18
ROWS = """[...document.querySelectorAll('#ledger tbody tr')].map(r => ({
  kind: r.dataset.kind, party: r.dataset.party, amount: r.dataset.amount, block: r.dataset.block,
  text: r.textContent }))"""
POINTS = (
    "[...document.querySelectorAll('svg.chart circle[data-point]')].map(c => c.dataset.balance)"
)


def each(browser: Browser, selector: str, fn: str) -> list[Any]:
    """`fn` (a JavaScript arrow function) over every element `selector` matches."""
    return browser("evaluate", expression=f"[...document.querySelectorAll({selector!r})].map({fn})")


def sends(browser: Browser) -> int:
    calls = browser("evaluate", expression="window.__walletCalls || []")
    return sum(1 for c in calls if c == "eth_sendTransaction")


def sdk_rows(community: Community) -> list[dict[str, Any]]:
    return [
        {"kind": e.kind, "party": e.party, "amount": str(e.amount), "block": str(e.block)}
        for e in community.fund.ledger()
    ]


def shown_rows(browser: Browser) -> list[dict[str, Any]]:
    return browser("evaluate", expression=ROWS)


def test_fund_page_ledger_reconciliation_chart_and_steward(
    browser: Browser, app_url: str, chain: Chain, community: Community
) -> None:
    fund = community.fund
    browser.open(f"{app_url}#/funds")  # no wallet: everything is readable
    browser.wait(f'#funds tr[data-fund="{fund.address}"]')
    browser.wait(f'#circles tr[data-circle="{community.circle.address}"]')
    browser.screenshot("funds")
    browser("click", selector=f'#funds tr[data-fund="{fund.address}"] a')
    browser.wait("#ledger tbody tr")
    assert browser("evaluate", expression="location.hash") == f"#/fund/{fund.address}"

    # Every row is the SDK's ledger entry, in order, with its memo's CID shown.
    entries = fund.ledger()
    rows = shown_rows(browser)
    assert [{k: r[k] for k in ("kind", "party", "amount", "block")} for r in rows] == sdk_rows(
        community
    )
    assert {e.kind for e in entries} >= {"contribution", "disbursement"}
    for entry, row in zip(entries, rows, strict=True):
        if entry.memo_cid:
            assert entry.memo_cid in row["text"]

    # The reconciliation: the ledger's sums, and the balance the chain holds.
    summary = fund.summary()
    balance = fund.asset.balance_of(chain, fund.address)
    contributed = sum(e.amount for e in entries if e.kind == "contribution")
    disbursed = sum(e.amount for e in entries if e.kind == "disbursement")
    assert (contributed, disbursed) == (summary.contributed, summary.disbursed)
    assert int(browser("attr", selector="#sum-contributed", name="data-wei")) == contributed
    assert int(browser("attr", selector="#sum-disbursed", name="data-wei")) == disbursed
    assert (
        int(browser("attr", selector="#reconcile", name="data-expected")) == contributed - disbursed
    )
    assert int(browser("attr", selector="#reconcile", name="data-balance")) == balance
    assert browser("attr", selector="#reconcile", name="data-reconciles") == "true"
    assert fund.audit().reconciles
    assert int(browser("attr", selector="#fund-balance", name="data-wei")) == balance

    # The chart: one point per ledger entry, each at the balance after it.
    points = browser("evaluate", expression=POINTS)
    assert len(points) == len(entries) >= 5
    assert [int(p) for p in points] == [(e.contributed or 0) - (e.disbursed or 0) for e in entries]

    # The steward, their period's limit and what is left of it: the fund's own views.
    assert browser("attr", selector="#steward-holder", name="data-steward") == fund.steward
    assert fund.steward == community.members["Bo"].address
    limit, spent = fund.limits.steward_limit, summary.steward_spent
    assert int(browser("attr", selector="#steward-limit", name="data-wei")) == limit
    assert int(browser("attr", selector="#steward-spent", name="data-wei")) == spent
    assert int(browser("attr", selector="#steward-left", name="data-wei")) == limit - spent > 0
    period_end = int(fund.period_start(fund.current_period + 1).timestamp())
    shown_left = int(browser("attr", selector="#fund-period .countdown", name="data-left"))
    assert abs(shown_left - (period_end - chain.timestamp())) <= 5
    browser.screenshot("fund")


def test_contribution_from_the_browser_is_seen_by_the_sdk_and_zero_is_refused(
    browser: Browser, app_url: str, anvil_node: Anvil, chain: Chain, community: Community
) -> None:
    fund = community.fund
    ada = community.members["Ada"]
    before = fund.asset.balance_of(chain, fund.address)
    entries = len(fund.ledger())
    browser.open(f"{app_url}#/fund/{fund.address}", wallet=wallet(anvil_node, ada.address))
    browser("click", selector="#connect")
    browser.wait("#given-this-period")  # the page as the connected wallet sees it

    # Zero: the fund's own refusal, and nothing sent.
    browser("fill", selector="#contribute-amount", value="0")
    browser("click", selector="#contribute")
    browser.wait(".notice.error", text="ledger: zero amount", timeout=20000)
    assert sends(browser) == 0
    assert len(fund.ledger()) == entries

    browser("fill", selector="#contribute-amount", value="0.1")
    browser("click", selector="#contribute")
    browser.wait(".notice.ok", text="done", timeout=20000)
    assert sends(browser) == 1
    assert fund.asset.balance_of(chain, fund.address) == before + ETHER // 10
    ledger = fund.ledger()
    assert len(ledger) == entries + 1
    assert (ledger[-1].kind, ledger[-1].party, ledger[-1].amount) == (
        "contribution",
        ada.address,
        ETHER // 10,
    )
    # The page re-read the chain: a new row, a new point, still reconciled.
    browser.wait(f"#ledger tbody tr:nth-child({entries + 1})")
    assert shown_rows(browser)[-1]["party"] == ada.address
    assert len(browser("evaluate", expression=POINTS)) == entries + 1
    assert browser("attr", selector="#reconcile", name="data-reconciles") == "true"
    assert int(browser("attr", selector="#fund-balance", name="data-wei")) == before + ETHER // 10


def test_circle_page_order_rounds_behind_and_contributions(
    browser: Browser, app_url: str, anvil_node: Anvil, community: Community
) -> None:
    circle = community.circle
    eve, dee = community.members["Eve"], community.members["Dee"]
    browser.open(f"{app_url}#/funds", wallet=wallet(anvil_node, eve.address))
    browser("click", selector=f'#circles tr[data-circle="{circle.address}"] a')
    browser.wait("#order li")

    assert each(browser, "#order li", "l => l.dataset.participant") == circle.order
    behind = "l => [l.dataset.behind, +l.dataset.first]"
    status = circle.status()
    assert [tuple(b) for b in each(browser, "#behind li", behind)] == list(status.owing)
    assert [who for who, _ in status.owing] == [dee.address]
    rounds = circle.rounds()
    shown = each(browser, "#rounds tbody tr", "r => [r.dataset.state, r.textContent]")
    assert len(shown) == len(rounds)
    for r, (state, text) in zip(rounds, shown, strict=True):
        if r.recipient:
            assert state == "settled" and r.recipient in text
    assert shown[circle.current_round][0] == "open"
    assert browser("attr", selector="#circle-status", name="data-current") == str(
        circle.current_round
    )
    assert int(browser("attr", selector="#circle-holdings", name="data-wei")) == circle.holdings
    assert browser("attr", selector="#reconcile", name="data-reconciles") == "true"
    browser.screenshot("circle")

    # Eve is not a participant: the circle's own reason, and nothing sent.
    browser("click", selector="#connect")
    browser.wait("#account")
    browser("click", selector="#circle-contribute")
    browser.wait(".notice.error", text="circle: not a participant", timeout=20000)
    assert sends(browser) == 0

    # Dee, behind, pays her oldest round from the browser: the SDK sees it.
    paid = circle.participants()[3].paid_rounds
    browser.open(f"{app_url}#/circle/{circle.address}", wallet=wallet(anvil_node, dee.address))
    browser("click", selector="#connect")
    browser.wait("#circle-me")  # re-read as Dee, a member
    browser("click", selector="#circle-contribute")
    browser.wait(".notice.ok", text="done", timeout=20000)
    assert circle.participants()[3].paid_rounds == paid + 1
    status = circle.status()
    browser.wait(f'#order li[data-participant="{dee.address}"][data-paid="{paid + 1}"]')
    assert [tuple(b) for b in each(browser, "#behind li", behind)] == list(status.owing)


def test_money_outside_the_ledger_is_shown_loudly(
    browser: Browser, app_url: str, chain: Chain, community: Community
) -> None:
    fund = community.fund
    chain.fund(fund.address, ETHER // 100)  # forced in (anvil_setBalance): no ledger event
    assert fund.summary().unaccounted == ETHER // 100
    browser.open(f"{app_url}#/fund/{fund.address}")
    browser.wait("#does-not-reconcile[role=alert]", text="DOES NOT RECONCILE")
    assert "unaccounted: 0.01 ETH" in browser.text("#does-not-reconcile")
    assert browser("attr", selector="#reconcile", name="data-reconciles") == "false"
    assert browser("evaluate", expression="document.querySelector('#reconciles')") is None
    browser.screenshot("fund-unaccounted")

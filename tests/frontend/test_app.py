"""The web app in a real chromium, against anvil and a community deployed by the SDK."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from panarchy import Chain, Support
from panarchy.app import Community
from panarchy.charter.types import ProposalState
from panarchy.documents import Document, store_document
from panarchy.node import Anvil

from tests.frontend.conftest import Browser, wallet

pytestmark = pytest.mark.anvil


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def left_of(browser: Browser, selector: str) -> int:
    return int(browser("attr", selector=selector, name="data-left"))


def test_charter_page_shows_name_members_and_clauses(
    browser: Browser, app_url: str, community: Community
) -> None:
    charter = community.charter
    browser.open(app_url)  # no wallet: everything is readable
    browser.wait("#charter-name", text="Riverside Commons")
    assert browser.text("#charter-name") == charter.name
    page = browser.text("#page")
    assert charter.concord_cid in page
    in_force = charter.clauses_in_force()
    assert len(in_force) == 2
    shown = browser("texts", selector="#clauses li.clause")
    assert len(shown) == len(in_force)
    for clause, text in zip(in_force, shown, strict=True):
        assert f"Clause #{clause.id}" in text
        assert clause.cid in text
        assert iso(clause.expires_at) in text  # the absolute end
        assert re.search(r"\d+d \d\dh \d\dm \d\ds left", text)  # and the countdown
    members = browser("texts", selector="#members li")
    assert sorted(m.split(" ")[0] for m in members) == sorted(charter.members())
    assert browser("enabled", selector="#connect")
    browser.screenshot("charter")


def test_countdown_and_badge_follow_chain_time_not_the_browser_clock(
    browser: Browser, app_url: str, chain: Chain, community: Community
) -> None:
    charter = community.charter
    browser.open(app_url)
    browser.wait("#clauses .countdown")
    first = "#clauses li.clause:first-child .countdown"
    clause = charter.clauses_in_force()[0]
    before = left_of(browser, first)
    expected = int(clause.expires_at.timestamp()) - chain.timestamp()
    assert abs(before - expected) <= 5, (before, expected)
    browser_start = browser("evaluate", expression="Date.now()")

    chain.advance(timedelta(days=2))
    deadline = time.monotonic() + 10
    while left_of(browser, first) > before - 2 * 86400 + 5 and time.monotonic() < deadline:
        time.sleep(0.2)
    after = left_of(browser, first)
    assert before - 2 * 86400 - 10 <= after <= before - 2 * 86400 + 5, (before, after)
    elapsed_ms = browser("evaluate", expression="Date.now()") - browser_start
    assert elapsed_ms < 15_000  # the browser's clock moved seconds, the chain's two days
    assert "1d" in browser.text(first) or "d " in browser.text(first)

    # A state badge changes without a reload once the chain's time passes the vote's end.
    pid = community.open_proposal
    browser("goto", hash="#/proposals")
    row = f'#proposals tr[data-proposal="{pid}"] .badge'
    browser.wait(row, text="active")
    chain.advance(charter.parameters.voting_period)
    final = charter.proposal(pid).state
    assert final != ProposalState.ACTIVE
    browser.wait(row, text=final.name.lower())
    assert browser("evaluate", expression="performance.getEntriesByType('navigation').length") == 1


def test_vote_by_transaction_changes_the_tally_on_chain(
    browser: Browser, app_url: str, anvil_node: Anvil, community: Community
) -> None:
    charter = community.charter
    bo = community.members["Bo"]
    pid = community.open_proposal
    before = charter.proposal(pid)
    assert not charter.has_voted(pid, bo.address)
    browser.open(f"{app_url}#/proposal/{pid}", wallet=wallet(anvil_node, bo.address))
    browser.wait('#tally [data-tally="for"]')
    assert browser.text('#tally [data-tally="for"]') == str(before.for_votes)
    browser("click", selector="#connect")
    browser.wait("#account")
    browser("click", selector='button[data-support="for"]')
    browser.wait(".notice.ok", text="done", timeout=20000)
    after = charter.proposal(pid)
    assert after.for_votes == before.for_votes + 1
    assert charter.has_voted(pid, bo.address)
    browser.wait('#tally [data-tally="for"]', text=f"^{after.for_votes}$")
    browser.wait("#voted")
    calls = browser("evaluate", expression="window.__walletCalls")
    assert "eth_sendTransaction" in calls  # a real transaction, sent through the wallet
    browser.screenshot("proposal")


def test_a_member_votes_with_the_keyboard_alone(
    browser: Browser, app_url: str, anvil_node: Anvil, community: Community
) -> None:
    """Tab reaches the wallet button and the vote buttons, in reading order; Enter presses."""
    charter = community.charter
    dee = community.members["Dee"]
    pid = community.open_proposal
    before = charter.proposal(pid)
    browser.open(f"{app_url}#/proposal/{pid}", wallet=wallet(anvil_node, dee.address))
    browser.wait('#tally [data-tally="for"]')

    def tab_to(predicate, limit: int = 60) -> dict:
        for _ in range(limit):
            focused = browser("press", key="Tab")
            if focused and predicate(focused):
                return focused
        raise AssertionError("Tab never reached it")

    tab_to(lambda f: f["id"] == "connect")
    browser("press", key="Enter")
    browser.wait("#account")
    browser.wait("#page[data-rendered]")
    tab_to(lambda f: f["tag"] == "button" and f["text"] == "Vote against")
    browser("press", key="Enter")
    browser.wait(".notice.ok", text="done", timeout=20000)
    assert charter.proposal(pid).against_votes == before.against_votes + 1
    assert charter.has_voted(pid, dee.address)


@pytest.mark.parametrize(
    ("who", "reason"),
    [("Ada", "charter: already voted"), ("Eve", "charter: not a member")],
)
def test_a_vote_the_charter_refuses_shows_its_reason(
    browser: Browser, app_url: str, anvil_node: Anvil, community: Community, who: str, reason: str
) -> None:
    charter = community.charter
    account = community.members[who]
    pid = community.open_proposal
    before = charter.proposal(pid)
    browser.open(f"{app_url}#/proposal/{pid}", wallet=wallet(anvil_node, account.address))
    browser.wait('button[data-support="against"]')
    browser("click", selector="#connect")
    browser.wait("#account")
    browser("click", selector='button[data-support="against"]')
    browser.wait(".notice.error", text=re.escape(reason), timeout=20000)
    calls = browser("evaluate", expression="window.__walletCalls")
    assert "eth_sendTransaction" not in calls  # simulated, refused, never sent
    after = charter.proposal(pid)
    assert (after.for_votes, after.against_votes) == (before.for_votes, before.against_votes)


def test_leave_is_always_enabled_and_works(
    browser: Browser, app_url: str, anvil_node: Anvil, community: Community
) -> None:
    charter = community.charter
    cy = community.members["Cy"]
    browser.open(f"{app_url}#/member")  # no wallet
    browser.wait("#leave")
    assert browser("enabled", selector="#leave")

    browser.open(f"{app_url}#/member", wallet=wallet(anvil_node, cy.address))
    browser("click", selector="#connect")
    browser.wait('#membership [data-member="true"]')
    assert browser("enabled", selector="#leave")
    browser.screenshot("member")
    browser("click", selector="#leave")
    browser.wait(".notice.ok", text="done", timeout=20000)
    assert not charter.is_member(cy.address)
    browser.wait('#membership [data-member="false"]')
    assert browser("enabled", selector="#leave")  # still enabled: the charter answers
    browser("click", selector="#leave")
    browser.wait(".notice.error", text="charter: not a member", timeout=20000)


def test_wrong_chain_shows_a_banner_with_a_switch_button(
    browser: Browser, app_url: str, anvil_node: Anvil, community: Community
) -> None:
    bo = community.members["Bo"]
    browser.open(app_url, wallet=wallet(anvil_node, bo.address, chain_id=1))
    browser.wait("#charter-name")
    browser("click", selector="#connect")
    browser.wait("#wrong-chain", text=f"chain {anvil_node.chain_id}")
    browser("click", selector="#switch-chain")
    browser("wait", selector="#wrong-chain", state="detached", timeout=10000)
    assert browser.text("#charter-name") == community.charter.name


def test_support_values_match_the_sdk() -> None:
    assert (Support.AGAINST, Support.FOR, Support.ABSTAIN) == (0, 1, 2)


def test_without_eip6963_the_app_falls_back_to_window_ethereum(
    browser: Browser, app_url: str, anvil_node: Anvil, community: Community
) -> None:
    dee = community.members["Dee"]
    pid = community.open_proposal
    browser.open(f"{app_url}#/proposal/{pid}", wallet=wallet(anvil_node, dee.address, legacy=True))
    browser.wait("#connect", text="Browser wallet")
    browser("click", selector="#connect")
    browser.wait("#account")
    browser("click", selector='button[data-support="abstain"]')
    browser.wait(".notice.ok", text="done", timeout=20000)
    assert community.charter.proposal(pid).abstain_votes == 1
    assert community.charter.has_voted(pid, dee.address)


HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'


def test_a_hostile_name_is_shown_as_text_and_the_page_fits_a_phone(
    browser: Browser, anvil_node: Anvil, chain: Chain, store, tmp_path: Path
) -> None:
    from panarchy import DeploymentRecord, deploy_charter, dev_accounts
    from panarchy.app import AppServer, app_config

    ada, bo = dev_accounts()[:2]
    concord = store_document(store, Document(kind="concord", title="x", body="y"))
    hostile, _ = deploy_charter(
        chain, ada, DeploymentRecord.for_chain(chain, tmp_path), name=HOSTILE[:64],
        concord_cid=concord, founders=[ada.address, bo.address],
    )  # fmt: skip
    config = app_config(rpc_url=anvil_node.url, chain_id=chain.chain_id, charter=hostile.address)
    with AppServer(config, store=store) as server:
        browser.open(server.url, viewport={"width": 375, "height": 740})
        browser.wait("#charter-name")
        assert browser.text("#charter-name") == hostile.name == HOSTILE[:64]
        assert browser("evaluate", expression="document.querySelectorAll('main img').length") == 0
        assert browser("evaluate", expression="window.__pwned === undefined")
        width = browser("evaluate", expression="document.documentElement.scrollWidth")
        assert width <= 375, f"the charter page is {width}px wide on a 375px phone"
        browser("goto", hash="#/proposals")
        browser.wait("main h1", text="Proposals")
        assert browser("evaluate", expression="document.documentElement.scrollWidth") <= 375

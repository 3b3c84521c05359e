"""The member page (roles and mandates, votes cast, delegations in) and "what needs me",
read in a real chromium and compared with what the SDK reads from the chain."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from panarchy import Chain
from panarchy.app import Community
from panarchy.documents import Document, store_document
from panarchy.node import Anvil

from tests.frontend.conftest import Browser, wallet

pytestmark = pytest.mark.anvil


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def test_member_page_shows_roles_and_mandate_as_the_sdk_reads_them(
    browser: Browser, app_url: str, community: Community
) -> None:
    charter = community.charter
    cy = community.members["Cy"]
    held = [r for r in charter.roles.names() if charter.roles.holds(r, cy.address)]
    assert held == [community.role]  # the demo's mediator
    mandate = charter.roles.mandate(community.role)
    assert mandate.holder == cy.address and mandate.expires_at and mandate.started_at

    browser.open(f"{app_url}#/member/{cy.address}")  # no wallet: readable by anyone
    browser.wait("#roles li[data-role]")
    assert browser("texts", selector="#roles li strong") == held
    row = f'#roles li[data-role="{community.role}"]'
    assert int(browser("attr", selector=row, name="data-expires")) == int(
        mandate.expires_at.timestamp()
    )
    assert int(browser("attr", selector=row, name="data-started")) == int(
        mandate.started_at.timestamp()
    )
    text = browser.text(row)
    assert iso(mandate.started_at) in text and iso(mandate.expires_at) in text
    assert re.search(r"\d+d \d\dh \d\dm \d\ds left", text)
    assert f"term {mandate.consecutive_terms} of" in text
    left = int(browser("attr", selector=f"{row} .countdown", name="data-left"))
    assert abs(left - mandate.time_left.total_seconds()) <= 5
    browser.screenshot("member")

    # A member without a role says so (Bo is the fund's steward; Dee holds nothing).
    browser("goto", hash=f"#/member/{community.members['Dee'].address}")
    browser.wait("#roles-none")


def test_member_page_lists_votes_cast_as_the_sdks_events(
    browser: Browser, app_url: str, anvil_node: Anvil, community: Community
) -> None:
    charter = community.charter
    ada = community.members["Ada"]
    events = charter.chain.logs(
        charter.contract.events.VoteCast,
        from_block=charter.from_block,
        argument_filters={"voter": ada.address},
    )
    assert len(events) >= 2
    expected = [
        (
            str(e["args"]["proposalId"]),
            str(e["args"]["support"]),
            str(e["args"]["weight"]),
            str(e["blockNumber"]),
            iso(
                datetime.fromtimestamp(
                    charter.chain.w3.eth.get_block(e["blockNumber"])["timestamp"], tz=UTC
                )
            ),
        )
        for e in events
    ]
    browser.open(f"{app_url}#/member", wallet=wallet(anvil_node, ada.address))
    browser("click", selector="#connect")
    browser.wait("#votes tbody tr")
    rows = browser(
        "evaluate",
        expression="""[...document.querySelectorAll('#votes tbody tr')].map(r => [
            r.dataset.proposal, r.dataset.support, r.dataset.weight, r.dataset.block,
            r.querySelector('time').textContent])""",
    )
    assert [tuple(r) for r in rows] == expected
    # Each row links to its proposal.
    links = browser(
        "evaluate",
        expression="[...document.querySelectorAll('#votes a')].map(a => a.getAttribute('href'))",
    )
    assert links == [f"#/proposal/{e['args']['proposalId']}" for e in events]

    # Eve never voted.
    browser("goto", hash=f"#/member/{community.members['Eve'].address}")
    browser.wait("#votes-none")


def test_member_page_lists_who_delegates_to_the_member(
    browser: Browser, app_url: str, community: Community
) -> None:
    charter = community.charter
    bo, cy, dee = (community.members[n] for n in ("Bo", "Cy", "Dee"))
    charter.delegate(bo, cy.address)
    charter.delegate(dee, cy.address)
    charter.undelegate(dee)  # an old delegation, revoked: not listed
    delegators = [d for d, to in charter.delegations().items() if to == cy.address]
    assert delegators == [bo.address]
    browser.open(f"{app_url}#/member/{cy.address}")
    browser.wait('#delegators[data-count="1"]')
    shown = browser(
        "evaluate",
        expression="[...document.querySelectorAll('#delegators li')].map(l => l.dataset.delegator)",
    )
    assert shown == delegators
    assert browser("attr", selector="#carried-voices", name="data-carried") == "1"


def shown_ids(browser: Browser, selector: str, key: str = "proposal") -> list[int]:
    found = browser(
        "evaluate",
        expression=f"[...document.querySelectorAll('{selector}')].map(e => e.dataset.{key})",
    )
    return [int(x) if x.isdigit() else x for x in found]


def test_needs_me_lists_the_open_proposal_for_who_has_not_voted_only(
    browser: Browser, app_url: str, anvil_node: Anvil, chain: Chain, community: Community
) -> None:
    charter = community.charter
    pid = community.open_proposal
    ada, bo, cy = (community.members[n] for n in ("Ada", "Bo", "Cy"))
    assert charter.has_voted(pid, ada.address) and not charter.has_voted(pid, bo.address)

    browser.open(f"{app_url}#/needs", wallet=wallet(anvil_node, bo.address))
    browser("click", selector="#connect")
    browser.wait(f'#to-vote li[data-proposal="{pid}"]')
    assert browser("attr", selector='nav a[href="#/needs"]', name="aria-current") == "page"
    # The nav link counts what needs Bo (at least this proposal).
    browser.wait("#needs-count:not([hidden])")
    assert int(browser("attr", selector="#needs-count", name="data-count")) >= 1
    # Clauses lapsing this cycle: those in force that expire by the cycle's end (the SDK's).
    cycle_end = charter.revision_report().ends_at
    lapsing = [k.id for k in charter.clauses_in_force() if k.expires_at <= cycle_end]
    assert shown_ids(browser, "#lapsing li", "clause") == lapsing
    assert shown_ids(browser, "#closing-soon li") == []  # a week left
    browser.wait("#mandates-ending-none")  # Bo holds no role

    # Ada voted: the proposal is not asked of her.
    browser.open(f"{app_url}#/needs/{ada.address}")
    browser.wait("#to-vote-none")
    assert pid not in shown_ids(browser, "#to-vote li")

    # Cy's mediator mandate ends this cycle; and with less than a day of voting left the
    # proposal is listed as closing soon, without a reload.
    mandate = charter.roles.mandate(community.role)
    assert mandate.expires_at and mandate.expires_at <= cycle_end
    browser.open(f"{app_url}#/needs/{cy.address}")
    browser.wait(f'#mandates-ending li[data-role="{community.role}"]')
    vote_end = charter.proposal(pid).vote_end
    chain.advance(vote_end - chain.now() - timedelta(hours=2))
    browser.wait(f'#closing-soon li[data-proposal="{pid}"]', timeout=15000)
    assert "you have not voted" in browser.text(f'#closing-soon li[data-proposal="{pid}"]')
    browser.screenshot("needs")

    # In the next cycle the one-cycle "Quiet hours" clause lapses: listed as the SDK reads it.
    chain.advance(cycle_end - chain.now() + timedelta(days=1))
    cycle_end = charter.revision_report().ends_at
    lapsing = [k.id for k in charter.clauses_in_force() if k.expires_at <= cycle_end]
    assert lapsing
    browser.wait("#lapsing li", timeout=15000)
    assert shown_ids(browser, "#lapsing li", "clause") == lapsing


def test_needs_me_marks_what_appeared_since_the_last_visit(
    browser: Browser, app_url: str, community: Community, store
) -> None:
    charter = community.charter
    pid = community.open_proposal
    ada, dee = community.members["Ada"], community.members["Dee"]
    browser.open(f"{app_url}#/needs/{dee.address}")
    browser.wait(f'#to-vote li[data-proposal="{pid}"]')
    assert "First visit" in browser.text("#last-seen")
    assert (
        browser("attr", selector=f'#to-vote li[data-proposal="{pid}"]', name="data-new") == "false"
    )
    first_seen = int(browser("attr", selector="#page", name="data-rendered"))

    cid = store_document(store, Document(kind="clause", title="Compost", body="Brown on green."))
    created = charter.propose(
        ada,
        [charter.actions.enact_clause(cid, 1)],
        store_document(store, Document(kind="proposal", title="Compost", body="A heap.")),
    )
    browser("reload")  # a second visit, same browser storage
    browser.wait(f'#to-vote li[data-proposal="{created.id}"]')
    assert int(browser("attr", selector="#last-seen", name="data-block")) >= first_seen
    assert (
        browser("attr", selector=f'#to-vote li[data-proposal="{created.id}"]', name="data-new")
        == "true"
    )
    assert "new" in browser.text(f'#to-vote li[data-proposal="{created.id}"] .badge.new')
    assert (
        browser("attr", selector=f'#to-vote li[data-proposal="{pid}"]', name="data-new") == "false"
    )
    browser.screenshot("needs-new")

    # A third visit: what was new at the second is not new any more.
    browser("reload")
    browser.wait(f'#to-vote li[data-proposal="{created.id}"]')
    assert (
        browser("attr", selector=f'#to-vote li[data-proposal="{created.id}"]', name="data-new")
        == "false"
    )

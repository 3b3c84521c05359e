"""The member page (roles and mandates, votes cast, delegations in) and "what needs me",
read in a real chromium and compared with what the SDK reads from the chain."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from panarchy.app import Community
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

    # A member without a role says so.
    browser("goto", hash=f"#/member/{community.members['Bo'].address}")
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

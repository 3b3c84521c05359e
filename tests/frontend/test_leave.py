"""Leave from the member page, in every state a member can be in: the button is always
enabled, the wallet sends `leave()`, and the SDK then sees the member gone. A non-member
gets the charter's own reason and no transaction is sent."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from panarchy.app import Community
from panarchy.node import Anvil

from tests.frontend.conftest import Browser, wallet

pytestmark = pytest.mark.anvil


def leave_from_the_page(
    browser: Browser, app_url: str, anvil_node: Anvil, address: str, *, connect: bool = True
) -> None:
    browser.open(f"{app_url}#/member", wallet=wallet(anvil_node, address))
    if connect:
        browser("click", selector="#connect")
        browser.wait('#membership [data-member="true"]')
    browser.wait("#leave")
    assert browser("enabled", selector="#leave")
    browser("click", selector="#leave")
    browser.wait("#notice .notice", text="Leave the charter: (done|refused)", timeout=20000)
    assert "done" in browser.text("#notice"), browser.text("#notice")
    assert "eth_sendTransaction" in browser("evaluate", expression="window.__walletCalls")
    browser.wait('#membership [data-member="false"]')


def _plain(c: Community) -> Callable[[], None]:
    dee = c.members["Dee"]
    assert c.charter.delegate_of(dee.address) is None and c.charter.carried_voices(dee.address) == 0
    assert not c.charter.has_voted(c.open_proposal, dee.address)
    return lambda: None


def _delegated(c: Community) -> Callable[[], None]:
    dee, cy = c.members["Dee"], c.members["Cy"]
    c.charter.delegate(dee, cy.address)
    carried = c.charter.carried_voices(cy.address)

    def after() -> None:  # the voice handed over comes back with the departure
        assert c.charter.delegate_of(dee.address) is None
        assert c.charter.carried_voices(cy.address) == carried - 1

    return after


def _carrying(c: Community) -> Callable[[], None]:
    bo, cy = c.members["Bo"], c.members["Cy"]
    c.charter.delegate(bo, cy.address)
    c.charter.delegate(c.members["Dee"], cy.address)
    assert c.charter.carried_voices(cy.address) == 2
    return lambda: None


def _role(c: Community) -> Callable[[], None]:
    cy = c.members["Cy"]
    assert c.charter.roles.holds(c.role, cy.address)

    def after() -> None:  # the mandate is bound to the seat: it ends with the departure
        assert not c.charter.roles.holds(c.role, cy.address)
        assert c.charter.roles.holder(c.role) is None

    return after


def _voted(c: Community) -> Callable[[], None]:
    ada = c.members["Ada"]
    assert c.charter.has_voted(c.open_proposal, ada.address)
    counted = c.charter.proposal(c.open_proposal).for_votes

    def after() -> None:  # a vote already counted stays counted
        assert c.charter.proposal(c.open_proposal).for_votes == counted

    return after


STATES: dict[str, tuple[str, Callable[[Community], Callable[[], None]]]] = {
    "plain member": ("Dee", _plain),
    "member who delegated": ("Dee", _delegated),
    "member carrying others' delegations": ("Cy", _carrying),
    "member holding a role mandate": ("Cy", _role),
    "member who voted on an open proposal": ("Ada", _voted),
}


@pytest.mark.parametrize("state", list(STATES))
def test_leave__works_for_a(
    state: str, browser: Browser, app_url: str, anvil_node: Anvil, community: Community
) -> None:
    name, arrange = STATES[state]
    member = community.members[name]
    after = arrange(community)
    assert community.charter.is_member(member.address)
    count = community.charter.member_count
    leave_from_the_page(browser, app_url, anvil_node, member.address)
    assert not community.charter.is_member(member.address)
    assert member.address not in community.charter.members()
    assert community.charter.member_count == count - 1
    after()


def test_leave__without_a_connected_wallet_connects_then_leaves(
    browser: Browser, app_url: str, anvil_node: Anvil, community: Community
) -> None:
    bo = community.members["Bo"]
    browser.open(f"{app_url}#/member", wallet=wallet(anvil_node, bo.address))
    browser.wait("#connect")
    browser.wait("#page", text="Connect a wallet")  # the member page, once rendered
    assert "eth_requestAccounts" not in (
        browser("evaluate", expression="window.__walletCalls || []")
    )
    assert browser("enabled", selector="#leave")
    browser("click", selector="#leave")
    browser.wait("#notice .notice", text="Leave the charter: (done|refused)", timeout=20000)
    assert "done" in browser.text("#notice"), browser.text("#notice")
    calls = browser("evaluate", expression="window.__walletCalls")
    assert calls.index("eth_requestAccounts") < calls.index("eth_sendTransaction")
    assert browser("attr", selector="#account", name="title") == bo.address
    assert not community.charter.is_member(bo.address)


def test_leave__by_a_non_member_shows_the_charters_reason_and_sends_nothing(
    browser: Browser, app_url: str, anvil_node: Anvil, community: Community
) -> None:
    eve = community.members["Eve"]
    assert not community.charter.is_member(eve.address)
    count = community.charter.member_count
    browser.open(f"{app_url}#/member", wallet=wallet(anvil_node, eve.address))
    browser("click", selector="#connect")
    browser.wait('#membership [data-member="false"]')
    assert browser("enabled", selector="#leave")  # always enabled: the charter decides
    browser("click", selector="#leave")
    browser.wait(".notice.error", text="charter: not a member", timeout=20000)
    assert "eth_sendTransaction" not in browser("evaluate", expression="window.__walletCalls")
    assert community.charter.member_count == count

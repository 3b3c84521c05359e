"""Delegation from the member page: the charter decides, the wallet sends, the SDK sees it."""

from __future__ import annotations

import pytest
from panarchy.app import Community
from panarchy.node import Anvil

from tests.frontend.conftest import Browser, wallet

pytestmark = pytest.mark.anvil


def test_delegate_refuse_self_and_revoke(
    browser: Browser, app_url: str, anvil_node: Anvil, community: Community
) -> None:
    charter = community.charter
    bo, cy = community.members["Bo"], community.members["Cy"]
    assert charter.delegate_of(bo.address) is None
    carried = charter.carried_voices(cy.address)
    browser.open(f"{app_url}#/member", wallet=wallet(anvil_node, bo.address))
    browser("click", selector="#connect")
    browser.wait('#membership [data-member="true"]')
    assert browser.text("#delegate-of") == "nobody"

    # Delegating to oneself: the charter's own reason, and no transaction.
    browser("fill", selector="#delegate-to", value=bo.address)
    browser("click", selector="#delegate")
    browser.wait(".notice.error", text="charter: cannot delegate to self", timeout=20000)
    assert "eth_sendTransaction" not in browser("evaluate", expression="window.__walletCalls")
    assert charter.delegate_of(bo.address) is None

    # Delegating to another member: sent through the wallet, seen by the SDK and the page.
    browser("fill", selector="#delegate-to", value=cy.address)
    browser("click", selector="#delegate")
    browser.wait(".notice.ok", text="done", timeout=20000)
    assert "eth_sendTransaction" in browser("evaluate", expression="window.__walletCalls")
    assert charter.delegate_of(bo.address) == cy.address
    browser.wait(f'#delegate-of[data-delegate="{cy.address}"]')
    assert charter.carried_voices(cy.address) == carried + 1
    browser.screenshot("member-delegated")
    browser("goto", hash=f"#/member/{cy.address}")
    browser.wait(f'#carried-voices[data-carried="{carried + 1}"]')

    # Revoking: the delegation is gone.
    browser("goto", hash="#/member")
    browser.wait("#undelegate")
    browser("click", selector="#undelegate")
    browser.wait("#notice .notice", text="Revoke delegation: (done|refused)", timeout=20000)
    assert "done" in browser.text("#notice"), browser.text("#notice")
    assert charter.delegate_of(bo.address) is None
    assert charter.carried_voices(cy.address) == carried
    browser.wait("#delegate-of", text="^nobody$")


def test_what_is_typed_survives_a_new_block(
    browser: Browser, app_url: str, anvil_node: Anvil, community: Community
) -> None:
    """The page re-reads the chain on every block; a half-typed address and the focus stay."""
    bo = community.members["Bo"]
    browser.open(f"{app_url}#/member", wallet=wallet(anvil_node, bo.address))
    browser("click", selector="#connect")
    browser.wait('#membership [data-member="true"]')
    browser("fill", selector="#delegate-to", value="0x1234")
    shown = browser("attr", selector="#page", name="data-rendered")
    community.charter.chain.w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
    browser(
        "evaluate",
        expression=f"""new Promise((done) => {{
        const t = setInterval(() => {{
          if (document.getElementById("page").dataset.rendered !== "{shown}") {{
            clearInterval(t); done(true);
          }}
        }}, 50);
      }})""",
    )
    assert (
        browser("evaluate", expression="document.getElementById('delegate-to').value") == "0x1234"
    )
    assert browser("evaluate", expression="document.activeElement.id") == "delegate-to"

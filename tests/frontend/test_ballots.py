"""Signed ballots from the browser: the wallet signs EIP-712 (no gas), the app verifies the
signature and asks the charter, the ballot relay puts it on chain, the app follows it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from eth_account import Account
from eth_account.messages import encode_typed_data
from panarchy import dev_accounts
from panarchy.app import AppServer, Community, app_config
from panarchy.node import Anvil
from panarchy.relay import Relay, ServiceConfig, SettlerConfig, Store, connect

from tests.frontend.conftest import Browser, wallet

pytestmark = pytest.mark.anvil


@contextmanager
def app_with_relay(anvil_node: Anvil, community: Community, store, db: Path) -> Iterator[str]:
    """The app and a relay (batches of one, settled within a second) for the community."""
    charter = community.charter.address
    config = app_config(rpc_url=anvil_node.url, chain_id=anvil_node.chain_id, charter=charter)
    with AppServer(config, store=store) as server:
        relay = Relay(
            connect(anvil_node.url), dev_accounts()[9], Store(db), [charter],
            settler_config=SettlerConfig(batch_size=1, batch_age=0.2, confirmations=1,
                                         poll_interval=0.2),
            service_config=ServiceConfig(port=0, cors_origin=server.url.rstrip("/")),
        ).start()  # fmt: skip
        try:
            server.config["relayUrl"] = relay.url
            yield server.url
        finally:
            relay.stop()


def test_a_signed_ballot_is_relayed_and_counted_on_chain(
    browser: Browser, anvil_node: Anvil, community: Community, store, tmp_path: Path
) -> None:
    charter = community.charter
    cy = community.members["Cy"]
    pid = community.open_proposal
    before = charter.proposal(pid)
    assert not charter.has_voted(pid, cy.address)
    with app_with_relay(anvil_node, community, store, tmp_path / "relay.sqlite3") as url:
        browser.open(f"{url}#/proposal/{pid}", wallet=wallet(anvil_node, cy.address))
        browser("click", selector="#connect")
        browser.wait("#account")
        browser("click", selector='button[data-ballot="against"]')
        browser.wait("#ballot-review #ballot-sign")
        fields = browser("texts", selector="#ballot-fields dd")
        assert fields[0] == f"{charter.name} {charter.address} on chain {anvil_node.chain_id}"
        assert fields[1:] == [f"#{pid}", "against", cy.address]
        calls = browser("evaluate", expression="window.__walletCalls")
        assert "eth_signTypedData_v4" not in calls  # nothing is signed before the member says so
        browser.screenshot("ballot-review")
        browser("click", selector="#ballot-sign")
        browser.wait('#ballot-status[data-stage="confirmed"]', timeout=30000)
        assert re.search(r"Counted: transaction 0x[0-9a-f]{64}", browser.text("#ballot-status"))
        calls = browser("evaluate", expression="window.__walletCalls")
        assert "eth_signTypedData_v4" in calls
        assert "eth_sendTransaction" not in calls  # the member paid no gas
        browser.wait('#tally [data-tally="against"]', text=f"^{before.against_votes + 1}$")
        browser.screenshot("ballot-counted")
    # The signature, checked again in Python without the SDK: eth-account's own EIP-712
    # encoding, with the domain the charter states on chain (ERC-5267).
    record = Store(tmp_path / "relay.sqlite3").get(anvil_node.chain_id, charter.address, pid,
                                                   cy.address)  # fmt: skip
    assert record is not None
    _, name, version, chain_id, contract, _, _ = charter.contract.functions.eip712Domain().call()
    typed = {
        "types": {
            "EIP712Domain": [{"name": "name", "type": "string"},
                             {"name": "version", "type": "string"},
                             {"name": "chainId", "type": "uint256"},
                             {"name": "verifyingContract", "type": "address"}],
            "Ballot": [{"name": "proposalId", "type": "uint256"},
                       {"name": "support", "type": "uint8"},
                       {"name": "voter", "type": "address"}],
        },
        "primaryType": "Ballot",
        "domain": {"name": name, "version": version, "chainId": chain_id,
                   "verifyingContract": contract},
        "message": {"proposalId": pid, "support": 0, "voter": cy.address},
    }  # fmt: skip
    signer = Account.recover_message(encode_typed_data(full_message=typed),
                                     signature=record.signature)  # fmt: skip
    assert signer == cy.address
    after = charter.proposal(pid)
    assert after.against_votes == before.against_votes + 1
    assert (after.for_votes, after.abstain_votes) == (before.for_votes, before.abstain_votes)
    assert charter.has_voted(pid, cy.address)


@pytest.mark.parametrize(("who", "reason"), [("Ada", "already voted"), ("Eve", "not a member")])
def test_a_ballot_the_charter_refuses_is_not_sent(
    browser: Browser, anvil_node: Anvil, community: Community, store, tmp_path: Path,
    who: str, reason: str,
) -> None:  # fmt: skip
    charter = community.charter
    account = community.members[who]
    pid = community.open_proposal
    before = charter.proposal(pid)
    with app_with_relay(anvil_node, community, store, tmp_path / "relay.sqlite3") as url:
        browser.open(f"{url}#/proposal/{pid}", wallet=wallet(anvil_node, account.address))
        browser("click", selector="#connect")
        browser.wait("#account")
        browser("click", selector='button[data-ballot="for"]')
        browser("click", selector="#ballot-sign")
        browser.wait('#ballot-status[data-stage="refused"]', text=reason, timeout=20000)
        assert "Not sent" in browser.text("#ballot-status")
        db = Store(tmp_path / "relay.sqlite3")
        try:
            assert (
                db.get(anvil_node.chain_id, charter.address, pid, account.address) is None
            )  # never posted
        finally:
            db.close()
    after = charter.proposal(pid)
    assert (after.for_votes, after.against_votes) == (before.for_votes, before.against_votes)

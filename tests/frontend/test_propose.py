"""Proposing and executing from the browser, and the one describer: the page says what the SDK
says. Every outcome is checked on chain through the SDK; refusals send no transaction."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import timedelta

import pytest
from panarchy import Chain
from panarchy.app import Community
from panarchy.charter.types import ProposalState, Stakes
from panarchy.documents import Document, load_document, store_document
from panarchy.funds import Fund, FundLimits
from panarchy.node import Anvil

from tests.frontend.conftest import Browser, wallet

pytestmark = pytest.mark.anvil
ETHER = 10**18


def wallet_calls(browser: Browser) -> list[str]:
    return browser("evaluate", expression="window.__walletCalls")


def open_as(browser: Browser, app_url: str, anvil_node: Anvil, address: str, hash: str) -> None:
    browser.open(f"{app_url}{hash}", wallet=wallet(anvil_node, address))
    browser("click", selector="#connect")
    browser.wait("#account")


def test_propose_a_clause_from_the_browser(
    browser: Browser, app_url: str, anvil_node: Anvil, community: Community, store
) -> None:
    charter = community.charter
    dee = community.members["Dee"]
    before = len(charter.proposals())
    open_as(browser, app_url, anvil_node, dee.address, "#/propose")
    browser.wait("#add-action")
    browser("select", selector="#action-kind", value="enact")
    browser("fill", selector="#enact-title", value="Bike shed")
    browser("fill", selector="#enact-body", value="Bikes go in the shed, not the hall.")
    browser("fill", selector="#enact-term", value="2")
    browser("click", selector="#add-action")
    browser.wait("#pending li .summary", text="enact a clause from Qm")
    browser("fill", selector="#p-title", value="A bike shed rule")
    browser("fill", selector="#p-body", value="The hall is blocked every morning.")
    browser("click", selector="#propose")
    browser.wait("#made-link", timeout=20000)
    assert "eth_sendTransaction" in wallet_calls(browser)

    assert len(charter.proposals()) == before + 1
    made = charter.proposal(before + 1)
    assert browser("attr", selector="#made-link", name="href") == f"#/proposal/{made.id}"
    assert made.proposer == dee.address and made.stakes == Stakes.MAJORITY
    (action,) = made.actions
    assert action.target == charter.book.address and action.value == 0
    clause_cid = action.summary.split()[4]
    assert action.summary == f"enact a clause from {clause_cid} for 2 revision cycles"
    assert load_document(store, clause_cid).title == "Bike shed"
    assert made.description_cid is not None
    described = load_document(store, made.description_cid)
    assert (described.kind, described.title) == ("proposal", "A bike shed rule")
    # What the page previewed is what the chain holds.
    assert browser.text("#pending-box") == "No actions yet." + browser.text("#made")

    browser("click", selector="#made-link")
    browser.wait("#actions li .summary", text="enact a clause")
    assert browser("texts", selector="#actions li .summary") == [action.summary]
    assert browser("attr", selector="#stakes-why", name="data-level") == "majority"
    assert "action 1" in browser.text("#stakes-why")
    browser.screenshot("proposal-made")


def _founding_factory(chain: Chain, community: Community) -> str:
    """The factory that founded the community's charter (the founding transaction's target)."""
    charter = community.charter
    (founded,) = chain.logs(charter.contract.events.CharterFounded, from_block=0)
    return str(chain.w3.eth.get_transaction(founded["transactionHash"])["to"])


def test_the_page_describes_actions_as_the_sdk_does(
    browser: Browser, app_url: str, chain: Chain, community: Community, store
) -> None:
    charter = community.charter
    ada, bo = community.members["Ada"], community.members["Bo"]
    a = charter.actions
    fund = Fund.create(
        chain,
        ada,
        factory=_founding_factory(chain, community),
        charter=charter,
        limits=FundLimits(contribution_cap=ETHER),
    )
    memo = store_document(store, Document(kind="memo", title="Roof", body="Tiles."))
    clause = charter.clauses_in_force()[0]
    many = [
        a.amend_clause(clause.id, memo, 3),
        a.renew_clause(clause.id, 1),
        a.repeal_clause(clause.id),
        a.define_role("steward", timedelta(days=29.53), 2),
        a.appoint("steward", bo.address),
        a.recall("steward"),
        a.set_stakes("repeal_clause", Stakes.SUPERMAJORITY),
        *a.set_parameters(charter.parameters),
        fund.actions.disburse(bo.address, ETHER // 4, memo),
    ]
    charter.propose(ada, many, memo)
    for proposal in charter.proposals():
        expected = [action.summary for action in proposal.actions]
        browser.open(f"{app_url}#/proposal/{proposal.id}")
        browser.wait("#actions li .summary")
        assert browser("texts", selector="#actions li .summary") == expected, proposal.id
    assert f"pay 0.25 ETH to {bo.address} from fund {fund.address}" in expected[-1]
    # The page says why the stakes are what they are: set_stakes is entrenched.
    assert browser("attr", selector="#stakes-why", name="data-level") == "supermajority"
    assert browser("attr", selector='#actions li[data-action="7"]', name="data-level") == (
        "supermajority"
    )


def test_a_non_member_cannot_propose_and_nothing_is_sent(
    browser: Browser, app_url: str, anvil_node: Anvil, community: Community
) -> None:
    charter = community.charter
    eve = community.members["Eve"]
    before = len(charter.proposals())
    open_as(browser, app_url, anvil_node, eve.address, "#/propose")
    browser.wait("#add-action")
    browser("fill", selector="#enact-document", value=charter.concord_cid)
    browser("click", selector="#add-action")
    browser.wait("#pending li .summary", text=charter.concord_cid)
    browser("fill", selector="#p-cid", value=charter.concord_cid)
    browser("click", selector="#propose")
    browser.wait(".notice.error", text="charter: not a member", timeout=20000)
    assert "eth_sendTransaction" not in wallet_calls(browser)
    assert len(charter.proposals()) == before


def test_execute_too_early_is_refused_then_a_passed_proposal_executes(
    browser: Browser, app_url: str, anvil_node: Anvil, chain: Chain, community: Community
) -> None:
    charter = community.charter
    cy = community.members["Cy"]
    pid = community.open_proposal
    (action,) = charter.proposal(pid).actions
    rota = action.summary.split()[4]
    assert rota not in [c.cid for c in charter.clauses_in_force()]

    open_as(browser, app_url, anvil_node, cy.address, f"#/proposal/{pid}")
    browser.wait("#execute")
    browser("click", selector="#execute")
    browser.wait(".notice.error", text="charter: voting not over", timeout=20000)
    assert "eth_sendTransaction" not in wallet_calls(browser)
    assert charter.proposal(pid).state == ProposalState.ACTIVE

    chain.advance(charter.parameters.voting_period)
    browser.wait(".badge", text="succeeded", timeout=20000)
    browser("click", selector="#execute")
    browser.wait(".notice.ok", text="done", timeout=20000)
    assert "eth_sendTransaction" in wallet_calls(browser)
    assert charter.proposal(pid).state == ProposalState.EXECUTED
    assert rota in [c.cid for c in charter.clauses_in_force()]
    browser.wait(".badge", text="executed", timeout=20000)
    assert not browser("evaluate", expression="!!document.getElementById('execute')")


def test_the_app_server_stores_json_documents_only(app_url: str, store) -> None:
    body = json.dumps({"kind": "proposal", "title": "Why", "body": "Because."}).encode()
    sent = urllib.request.Request(
        f"{app_url}ipfs", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(sent) as answer:
        assert answer.status == 201
        cid = json.loads(answer.read())["cid"]
    assert load_document(store, cid).title == "Why"
    form = urllib.request.Request(
        f"{app_url}ipfs", data=body, headers={"Content-Type": "text/plain"}
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(form)
    assert refused.value.code == 415

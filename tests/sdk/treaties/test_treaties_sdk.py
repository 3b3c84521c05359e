"""The SDK's treaties: three charters make, ratify, fund and renew a treaty by their own
proposals; it lapses on its own when one does not renew, and its fund goes back pro rata.
In-process and on anvil."""

from __future__ import annotations

from datetime import timedelta

import pytest
from panarchy import errors
from panarchy.chain import Simulation
from panarchy.charter import Charter
from panarchy.charter.types import Parameters, Support
from panarchy.treaties import (
    DrawThreshold,
    Treaty,
    TreatyFundTerms,
    TreatyState,
    TreatyTerms,
    create_treaty_action,
)

from tests.sdk.conftest import cid_of

DAY = timedelta(days=1)
TERM = timedelta(days=10)
WINDOW = timedelta(days=3)
ETH = 10**18


def run_all(chain, store, runs) -> None:
    """Pass and execute one proposal of each charter in ``runs`` ([(charter, founder,
    actions)]), side by side: one day of voting for all, executed in order."""
    made = []
    for charter, founder, actions in runs:
        cid = cid_of(store, f"{charter.address} {actions[0].summary[:40]}", "proposal")
        proposal = charter.propose(founder, actions, cid)
        charter.vote(founder, proposal.id, Support.FOR)
        made.append((charter, founder, proposal.id))
    chain.advance(DAY)
    for charter, founder, pid in made:
        charter.execute(founder, pid)


@pytest.fixture
def parties(chain, factory, accounts, store):
    """Three charters of one founder each, with one-day votes and some ETH."""
    out = []
    for i in range(3):
        charter = Charter.found(
            chain,
            accounts[i],
            factory=factory,
            name=f"Commons {i}",
            concord_cid=cid_of(store, f"commons {i}", "concord"),
            founders=[accounts[i].address],
            parameters=Parameters(voting_period=DAY),
        )
        chain.fund(charter.address, ETH)
        out.append((charter, accounts[i]))
    chain.advance(timedelta(seconds=1))
    return out


def test_a_treaty_ratified_funded_and_left_to_lapse(chain, factory, parties, accounts, store):
    (a, ada), (b, bo), (c, cy) = parties
    stranger = accounts[9]
    terms = TreatyTerms(
        cid_of(store, "mutual aid", "clause"),
        term=TERM,
        renewal_window=WINDOW,
        ratification_deadline=chain.now() + 5 * DAY,
        draw_threshold=DrawThreshold.MAJORITY,
        lends_mediators=True,
    )
    fund_terms = TreatyFundTerms(contribution_cap=ETH, period=timedelta(days=30))
    create = create_treaty_action(factory, terms, [b.address, c.address], fund_terms)
    assert create.summary.startswith("propose a treaty on ")
    run_all(chain, store, [(a, ada, [create])])

    (treaty,) = Treaty.created_by(chain, factory, a.address)
    assert [t.address for t in Treaty.of_party(chain, factory, c.address)] == [treaty.address]
    assert treaty.state is TreatyState.PENDING
    assert treaty.invited() == [a.address, b.address, c.address]
    assert treaty.ratified() == [a.address]
    assert treaty.terms == terms
    assert treaty.fund_terms == fund_terms
    assert treaty.expires_at is None and treaty.time_left is None
    ratify = treaty.ratify_action()
    assert ratify.summary == f"ratify treaty {treaty.address}"
    treaty.check(b.address, ratify)  # the treaty would take it from B's proposal

    # Nobody but the party charter itself binds it: not a stranger, not its own founder.
    with pytest.raises(errors.NotAParty, match="treaty: not a party"):
        treaty.check(stranger.address, ratify)
    with pytest.raises(errors.NotAParty, match="treaty: not a party"):
        chain.transact(bo, to=treaty.address, data=ratify.calldata)
    assert treaty.ratified() == [a.address]

    run_all(chain, store, [(b, bo, [ratify]), (c, cy, [ratify])])
    assert treaty.state is TreatyState.IN_FORCE
    assert treaty.entered_at is not None and treaty.expires_at == treaty.entered_at + TERM
    assert TERM - DAY < treaty.time_left <= TERM
    assert treaty.renewal_opens_at == treaty.expires_at - WINDOW
    assert treaty.renewal_closes_at == treaty.expires_at

    # A and B contribute; A proposes a draw to a person in need, B approves it (a majority
    # of three), C raises the distress signal the draw answers.
    fund = treaty.fund
    need = cid_of(store, "the flood", "memo")
    memo = cid_of(store, "flood relief", "memo")
    with pytest.raises(errors.NotAParty, match="treatyfund: not a party"):
        gift = fund.contribute_action(1)
        chain.transact(stranger, to=fund.address, data=gift.calldata, value=gift.value)
    run_all(
        chain,
        store,
        [
            (c, cy, [treaty.raise_distress_action(need)]),
            (
                a,
                ada,
                [
                    treaty.contribute_action(3 * ETH // 10, memo),
                    treaty.propose_draw_action(stranger.address, ETH // 10, memo),
                ],
            ),
            (b, bo, [treaty.contribute_action(ETH // 10), treaty.approve_draw_action(1)]),
        ],
    )
    assert (fund.contributed_by(a.address), fund.contributed_by(b.address)) == (
        3 * ETH // 10,
        ETH // 10,
    )
    assert fund.contributed_by(c.address) == 0
    (draw,) = treaty.draws()
    assert (draw.executed, draw.recipient, draw.amount) == (True, stranger.address, ETH // 10)
    assert fund.balance == 3 * ETH // 10
    assert [e.kind for e in fund.ledger()] == ["contribution", "contribution", "disbursement"]
    assert fund.audit().reconciles
    (signal,) = treaty.distress_signals()
    assert (signal.party, signal.document_cid) == (c.address, need)

    # The renewal window: A and B renew, C lets the treaty go.
    chain.advance(treaty.renewal_opens_at - chain.now())
    assert treaty.state is TreatyState.RENEWAL_OPEN
    run_all(chain, store, [(a, ada, [treaty.renew_action()]), (b, bo, [treaty.renew_action()])])
    assert treaty.state is TreatyState.RENEWAL_OPEN
    assert treaty.renewed() == [a.address, b.address]
    assert treaty.not_renewed() == [c.address]
    with pytest.raises(errors.TreatyFundError, match="treaty not ended"):
        fund.refund(stranger, a.address, dry_run=True)

    chain.advance(treaty.expires_at - chain.now())
    assert treaty.state is TreatyState.LAPSED and treaty.has_ended
    assert treaty.time_left == timedelta(0)
    kinds = [e.kind for e in treaty.history()]
    assert kinds[:2] == ["initialized", "ratified"]
    assert kinds.count("ratified") == 3 and kinds.count("renewed") == 2
    assert "entered_into_force" in kinds and "draw_executed" in kinds
    assert kinds[-1] == "lapsed"
    with pytest.raises(errors.TreatyNotInForce, match="treaty: not in force"):
        treaty.check(c.address, treaty.renew_action())

    # Refunds: what is left (0.3 ETH) back pro rata to 0.3 and 0.1, by anyone's call.
    would = fund.refund(stranger, a.address, dry_run=True)
    assert isinstance(would, Simulation) and not fund.refunds_open
    assert fund.refund_due(a.address) == 225 * ETH // 1000
    before = {p: chain.w3.eth.get_balance(p) for p in (a.address, b.address)}
    assert fund.refund(stranger, a.address) == 225 * ETH // 1000
    assert fund.refunds_open
    assert fund.refund(stranger, b.address) == 75 * ETH // 1000
    assert chain.w3.eth.get_balance(a.address) - before[a.address] == 225 * ETH // 1000
    assert chain.w3.eth.get_balance(b.address) - before[b.address] == 75 * ETH // 1000
    assert fund.balance == 0
    assert fund.audit().reconciles
    with pytest.raises(errors.TreatyFundError, match="nothing to refund"):
        fund.refund(stranger, c.address, dry_run=True)


def test_treaty_actions_are_described_offline(factory, chain, store):
    terms = TreatyTerms(
        cid_of(store, "terms", "clause"),
        term=TERM,
        renewal_window=WINDOW,
        ratification_deadline=chain.now() + DAY,
    )
    invited = ["0x" + "11" * 20, "0x" + "22" * 20]
    action = create_treaty_action(factory, terms, invited)
    assert action.value == 0
    assert "to 2 invited charters" in action.summary
    assert "for terms of 10d renewable in the last 3d" in action.summary


def test_a_party_withdraws_with_its_share_and_the_treaty_ends(chain, factory, parties, store):
    (a, ada), (b, bo), (c, cy) = parties
    terms = TreatyTerms(
        cid_of(store, "short pact", "clause"),
        term=TERM,
        renewal_window=WINDOW,
        ratification_deadline=chain.now() + 5 * DAY,
    )
    fund_terms = TreatyFundTerms(contribution_cap=ETH, period=TERM, share_on_withdrawal=True)
    run_all(
        chain,
        store,
        [(a, ada, [create_treaty_action(factory, terms, [b.address, c.address], fund_terms)])],
    )
    (treaty,) = Treaty.created_by(chain, factory, a.address)
    run_all(chain, store, [(b, bo, [treaty.ratify_action()]), (c, cy, [treaty.ratify_action()])])
    assert treaty.in_force

    # A gives and leaves in one proposal: its share is released while A executes its own
    # proposal, which refuses ETH, so the fund owes it until anyone delivers it.
    gift = ETH // 5
    run_all(chain, store, [(a, ada, [treaty.contribute_action(gift), treaty.withdraw_action()])])
    assert treaty.parties() == [b.address, c.address] and treaty.has_withdrawn(a.address)
    fund = treaty.fund
    assert fund.owed(a.address) == gift and fund.is_settled(a.address)
    assert isinstance(fund.claim_for(bo, a.address, dry_run=True), Simulation)
    before = chain.w3.eth.get_balance(a.address)
    assert fund.claim_for(bo, a.address) == gift
    assert chain.w3.eth.get_balance(a.address) - before == gift
    assert fund.balance == 0
    with pytest.raises(errors.NotAParty, match="treaty: not a party"):
        treaty.check(a.address, treaty.renew_action())

    run_all(chain, store, [(b, bo, [treaty.withdraw_action()])])
    assert treaty.state is TreatyState.ENDED and treaty.remaining == 1
    kinds = [e.kind for e in treaty.history()]
    assert kinds.count("withdrew") == 1 and kinds[-1] == "ended"

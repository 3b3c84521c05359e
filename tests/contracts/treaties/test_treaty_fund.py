"""The treaty fund: contributions by remaining parties within the cap, payments only by the
treaty, a withdrawing party's share released or forfeited, and, once the treaty has ended,
pro-rata refunds to the unit that leave nothing behind (DESIGN.md invariant); the ledger
reconciles after every step."""

from __future__ import annotations

import ape
import pytest
from ape import chain

from tests.contracts.helpers import DAY, ZERO, event_args, helper
from tests.contracts.treaties.treaty_helpers import (
    CAP,
    MEMO,
    PERIOD,
    assert_fund_reconciles,
    fresh_fund,
    fund_terms,
    now,
    ratify_all,
)


@pytest.fixture
def make_funded(make_treaty, parties):
    """A treaty in force with a fund (``share`` on withdrawal or not)."""

    def make(share: bool = True, n: int = 3, token: str = ZERO):
        treaty, fund = make_treaty(
            n=n, fund_terms_=fund_terms(share_on_withdrawal=share, token=token)
        )
        ratify_all(treaty, parties[:n])
        return treaty, fund

    return make


def give(fund, party, amount):
    return fund.contribute(amount, MEMO, value=amount, sender=party)


def lapse(treaty):
    chain.mine(timestamp=treaty.expires_at())


def test_initialize__records_the_terms(make_funded):
    treaty, fund = make_funded()
    assert fund.owner() == treaty.address
    assert fund.contribution_cap() == CAP and fund.period_seconds() == PERIOD
    assert fund.token() == ZERO and fund.current_period() == 0


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        ((ZERO, ZERO, CAP, PERIOD), "treatyfund: zero owner"),
        (("owner", ZERO, CAP, 0), "treatyfund: zero period"),
        (("owner", ZERO, 0, PERIOD), "treatyfund: zero contribution cap"),
        (("owner", ZERO, 2**192, PERIOD), "treatyfund: cap too large"),
    ],
)
def test_initialize__bad_terms_revert(system, maker, args, reason):
    fund = fresh_fund(system, maker)
    args = tuple(maker.address if a == "owner" else a for a in args)
    with ape.reverts(reason):
        fund.initialize(*args, sender=maker)


def test_initialize__twice_reverts(make_funded, maker):
    _, fund = make_funded()
    with ape.reverts("treatyfund: already initialized"):
        fund.initialize(maker, ZERO, CAP, PERIOD, sender=maker)


# --- contributions -----------------------------------------------------------------------


def test_contribute__by_parties_within_the_cap(make_funded, parties):
    _, fund = make_funded()
    receipt = give(fund, parties[0], CAP)
    assert event_args(receipt, "Contributed")[0]["amount"] == CAP
    with ape.reverts("treatyfund: over the contribution cap"):
        give(fund, parties[0], 1)
    give(fund, parties[1], CAP // 3)
    assert fund.contributed_by(parties[0]) == CAP and fund.claims_total() == CAP + CAP // 3
    assert fund.creditors() == 2
    assert_fund_reconciles(fund)


def test_contribute__the_cap_starts_again_each_period(make_funded, parties):
    _, fund = make_funded()
    give(fund, parties[0], CAP)
    chain.pending_timestamp = fund.period_seconds() + now()
    give(fund, parties[0], CAP)
    assert fund.contributed_by(parties[0]) == 2 * CAP and fund.given_this_period(parties[0]) == CAP


def test_contribute__by_a_non_party_or_a_withdrawn_party_reverts(make_funded, parties, stranger):
    treaty, fund = make_funded()
    with ape.reverts("treatyfund: not a party"):
        give(fund, stranger, 1)
    treaty.withdraw(sender=parties[2])
    with ape.reverts("treatyfund: not a party"):
        give(fund, parties[2], 1)


def test_contribute__while_pending_is_allowed_after_the_end_not(make_treaty, parties):
    treaty, fund = make_treaty(fund_terms_=fund_terms())
    give(fund, parties[0], 1)
    chain.pending_timestamp = treaty.terms().ratification_deadline
    with ape.reverts("treatyfund: treaty ended"):
        give(fund, parties[0], 1)


def test_owner_only_calls__revert_for_anyone_else(make_funded, parties):
    _, fund = make_funded()
    give(fund, parties[0], CAP)
    for call in (
        lambda: fund.pay(parties[0], 1, MEMO, sender=parties[0]),
        lambda: fund.release(parties[0], sender=parties[0]),
        lambda: fund.forfeit(parties[0], sender=parties[0]),
    ):
        with ape.reverts("treatyfund: only by the treaty"):
            call()


# --- withdrawal: the leaver's share ---------------------------------------------------------


def test_withdraw__takes_its_pro_rata_share(make_funded, parties):
    treaty, fund = make_funded(share=True)
    give(fund, parties[0], 300)
    give(fund, parties[1], 200)
    give(fund, parties[2], 101)
    before = parties[2].balance
    receipt = treaty.withdraw(sender=parties[2])
    share = 601 * 101 // 601
    assert event_args(receipt, "ShareReleased")[0] == {
        "party": parties[2].address,
        "claim": 101,
        "amount": share,
    }
    assert parties[2].balance == before + share - receipt.total_fees_paid
    assert fund.is_settled(parties[2]) and fund.claims_total() == 500 and fund.creditors() == 2
    assert_fund_reconciles(fund)


def test_withdraw__leaves_its_share_to_the_others(make_funded, parties):
    treaty, fund = make_funded(share=False)
    give(fund, parties[0], 300)
    give(fund, parties[1], 100)
    receipt = treaty.withdraw(sender=parties[1])
    assert event_args(receipt, "ShareForfeited")[0] == {"party": parties[1].address, "claim": 100}
    assert fund.available() == 400 and fund.claims_total() == 300
    # The treaty ends below two parties; the one remaining contributor takes everything.
    treaty.withdraw(sender=parties[2])
    fund.refund(parties[0], sender=parties[2])
    assert fund.holdings() == 0
    with ape.reverts("treatyfund: nothing to refund"):
        fund.refund(parties[1], sender=parties[2])


def test_withdraw__the_last_claim_is_never_forfeited(make_funded, parties):
    treaty, fund = make_funded(share=False)
    give(fund, parties[1], 100)
    treaty.withdraw(sender=parties[1])  # the only contributor: nobody to leave it to
    assert not fund.is_settled(parties[1]) and fund.claims_total() == 100
    treaty.withdraw(sender=parties[0])
    fund.refund(parties[1], sender=parties[0])
    assert fund.holdings() == 0


def test_withdraw__after_the_end_keeps_the_claim_for_the_refund(make_funded, parties):
    treaty, fund = make_funded(share=True)
    give(fund, parties[0], 300)
    give(fund, parties[1], 100)
    lapse(treaty)
    treaty.withdraw(sender=parties[1])
    assert not fund.is_settled(parties[1])
    fund.refund(parties[1], sender=parties[2])
    fund.refund(parties[0], sender=parties[2])
    assert fund.holdings() == 0


# --- refunds -------------------------------------------------------------------------------


def test_refund__before_the_end_reverts(make_funded, parties):
    _, fund = make_funded()
    give(fund, parties[0], 1)
    with ape.reverts("treatyfund: treaty not ended"):
        fund.refund(parties[0], sender=parties[1])


def test_refund__pro_rata_to_the_unit_and_nothing_left_behind(make_funded, parties, stranger):
    treaty, fund = make_funded()
    amounts = [1_000_003, 333_333, 7]
    for p, a in zip(parties, amounts, strict=True):
        give(fund, p, a)
    treaty.propose_draw(stranger, 100_001, MEMO, sender=parties[0])
    treaty.approve_draw(1, sender=parties[1])
    treaty.approve_draw(1, sender=parties[2])
    pool = sum(amounts) - 100_001
    lapse(treaty)
    assert fund.refund_due(parties[0]) == pool * amounts[0] // sum(amounts)
    paid = []
    for p in parties:
        receipt = fund.refund(p, sender=stranger)
        paid.append(event_args(receipt, "Refunded")[0]["amount"])
        assert_fund_reconciles(fund)
    total = sum(amounts)
    assert paid[:2] == [pool * amounts[0] // total, pool * amounts[1] // total]
    assert paid[2] == pool - paid[0] - paid[1]  # the last claimant takes the dust
    assert sum(paid) == pool and fund.holdings() == 0 and fund.available() == 0
    for p in parties:
        with ape.reverts("treatyfund: nothing to refund"):
            fund.refund(p, sender=stranger)


def test_refund__a_non_contributor_has_nothing_to_refund(make_funded, parties, stranger):
    treaty, fund = make_funded()
    give(fund, parties[0], 10)
    lapse(treaty)
    with ape.reverts("treatyfund: nothing to refund"):
        fund.refund(parties[1], sender=stranger)
    with ape.reverts("treatyfund: nothing to refund"):
        fund.refund(stranger, sender=stranger)


def test_refund__forced_eth_is_shared_too(make_funded, parties, stranger):
    treaty, fund = make_funded()
    give(fund, parties[0], 100)
    give(fund, parties[1], 300)
    stranger.deploy(helper("ForceSend"), fund.address, value=1_000)
    assert fund.unaccounted() == 1_000
    treaty.withdraw(sender=parties[2])
    treaty.withdraw(sender=parties[1])  # ends it; bo takes its share of the ledger's money
    fund.refund(parties[0], sender=stranger)
    assert fund.holdings() == 0
    assert_fund_reconciles(fund)


def test_refund__after_never_entering_into_force(make_treaty, parties, stranger):
    treaty, fund = make_treaty(fund_terms_=fund_terms())
    give(fund, parties[0], 5)
    give(fund, parties[1], 6)
    chain.mine(timestamp=treaty.terms().ratification_deadline)
    fund.refund(parties[1], sender=stranger)
    fund.refund(parties[0], sender=stranger)
    assert fund.holdings() == 0


def test_refund__a_refused_refund_is_owed_then_claimed(make_funded, parties, stranger, accounts):
    treaty, fund = make_funded()
    recipient = accounts[8].deploy(helper("Recipient"), 1)  # refuses ETH
    give(fund, parties[0], 50)
    treaty.propose_draw(recipient, 50, MEMO, sender=parties[0])
    treaty.approve_draw(1, sender=parties[1])
    treaty.approve_draw(1, sender=parties[2])
    assert fund.owed(recipient) == 50
    assert_fund_reconciles(fund)
    recipient.set_mode(0, sender=stranger)
    fund.claim_for(recipient, sender=stranger)
    assert fund.owed(recipient) == 0 and fund.holdings() == 0


def test_token_fund__contribute_and_refund(make_funded, parties, stranger, accounts):
    token = accounts[8].deploy(helper("OddToken"), 0)
    treaty, fund = make_funded(token=token.address)
    for p, a in zip(parties, (70, 30, 0), strict=True):
        if a:
            token.mint(p, a, sender=p)
            token.approve(fund, a, sender=p)
            fund.contribute(a, MEMO, sender=p)
    assert fund.holdings() == 100
    lapse(treaty)
    fund.refund(parties[0], sender=stranger)
    fund.refund(parties[1], sender=stranger)
    assert token.balanceOf(parties[0]) == 70 and token.balanceOf(parties[1]) == 30
    assert fund.holdings() == 0


def test_period__rolls_over_with_time(make_funded):
    _, fund = make_funded()
    chain.mine(timestamp=now() + PERIOD + DAY)
    assert fund.current_period() >= 1

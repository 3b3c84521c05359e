"""SECURITY.md attacks 16-19 on the solidarity fund: re-entrancy from a recipient or a token,
odd ERC20s, cap bypass by splitting or forced ETH, and steward races; and issue 11's
member-made fund whose creator names their own steward. Each passes when the attack fails and
the ledger still reconciles."""

from __future__ import annotations

import ape
import pytest

from tests.contracts.fund_helpers import (
    CAP,
    ETHER,
    STEWARD,
    STEWARD_LIMIT,
    appoint_steward,
    assert_reconciles,
    create_fund,
)
from tests.contracts.helpers import (
    DAY,
    ZERO,
    Action,
    deployables,
    doc,
    event_args,
    event_names,
    helper,
)

MEMO = doc("memo")
STANDARD, FEE, FALSE_RETURN, REBASING, REENTRANT = range(5)
ACCEPT, REFUSE, BURN_GAS, REENTER = range(4)


@pytest.fixture
def steward(polity, member):
    appoint_steward(polity, member)
    return member


@pytest.fixture
def fund(system, polity, founder, newcomer):
    fund = create_fund(system, polity)
    fund.contribute(CAP, MEMO, value=CAP, sender=founder)
    fund.contribute(CAP, MEMO, value=CAP, sender=newcomer)
    return fund


def _token(deployer, mode):
    return deployer.deploy(helper("OddToken"), mode)


def _token_fund(system, polity, token, holder, amount=CAP):
    """A fund in ``token`` with ``amount`` minted to ``holder`` and approved to it."""
    fund = create_fund(system, polity, token=token.address)
    token.mint(holder, amount, sender=holder)
    token.approve(fund, amount, sender=holder)
    return fund


# --- 16: re-entrancy ----------------------------------------------------------------------


def _reentry_calls(fund, stranger):
    return {
        "contribute": fund.contribute.encode_input(1, MEMO),
        "disburse": fund.disburse.encode_input(stranger.address, 1, MEMO),
        "disburse_by_owner": fund.disburse_by_owner.encode_input(stranger.address, 1, MEMO),
        "claim": fund.claim.encode_input(),
        "absorb_unaccounted": fund.absorb_unaccounted.encode_input(MEMO),
        "set_limits": fund.set_limits.encode_input((CAP, 0, False)),
    }


@pytest.mark.parametrize(
    "call",
    ["contribute", "disburse", "disburse_by_owner", "claim", "absorb_unaccounted", "set_limits"],
)
def test_reentrancy__a_recipient_cannot_reenter_any_fund_function(polity, fund, stranger, call):
    """The recipient is a member and the steward, so a re-entered `disburse` would pass every
    check but the lock. It is paid by the owner; its push (50,000 gas) or, when that runs
    short, its claim (all the gas it brings) runs the hook."""
    recipient = stranger.deploy(helper("Recipient"), REENTER)
    recipient.act(polity.charter, polity.charter.join.encode_input(), sender=stranger)
    appoint_steward(polity, recipient)
    recipient.set_hook(fund, _reentry_calls(fund, stranger)[call], sender=stranger)
    data = fund.disburse_by_owner.encode_input(recipient.address, ETHER // 10, MEMO)
    polity.run([Action(fund.address, data)])
    if fund.owed(recipient):
        recipient.act(fund, fund.claim.encode_input(), sender=stranger)
    assert recipient.hook_attempts() == 1
    assert recipient.hook_successes() == 0
    assert recipient.received() == ETHER // 10
    assert fund.disbursed() == ETHER // 10 and fund.owed_total() == 0
    assert fund.contributed() == 2 * CAP
    assert_reconciles(fund)


@pytest.mark.parametrize("call", ["contribute", "claim", "absorb_unaccounted"])
def test_reentrancy__a_token_cannot_reenter_the_fund(system, polity, founder, stranger, call):
    token = _token(founder, REENTRANT)
    fund = _token_fund(system, polity, token, founder)
    token.set_hook(fund, _reentry_calls(fund, stranger)[call], sender=founder)
    fund.contribute(CAP // 2, MEMO, sender=founder)
    assert token.hook_attempts() == 1 and token.hook_successes() == 0
    assert fund.contributed() == CAP // 2 == fund.holdings()
    assert_reconciles(fund)


# --- 17: odd ERC20s -----------------------------------------------------------------------


def test_odd_token__fee_on_transfer_records_what_arrived(
    system, polity, founder, steward, stranger
):
    token = _token(founder, FEE)
    fund = _token_fund(system, polity, token, founder)
    fund.contribute(CAP, MEMO, sender=founder)
    arrived = CAP - CAP // 100
    assert fund.contributed() == arrived == fund.holdings()
    assert fund.given_this_period(founder) == arrived  # the cap counts what arrived
    fund.disburse(stranger, STEWARD_LIMIT, MEMO, sender=steward)
    assert token.balanceOf(stranger) == STEWARD_LIMIT - STEWARD_LIMIT // 100
    assert fund.holdings() == arrived - STEWARD_LIMIT
    assert_reconciles(fund)


def test_odd_token__no_return_value_works(system, polity, founder, steward, stranger):
    token = founder.deploy(helper("NoReturnToken"))
    fund = _token_fund(system, polity, token, founder)
    fund.contribute(CAP, MEMO, sender=founder)
    fund.disburse(stranger, STEWARD_LIMIT, MEMO, sender=steward)
    assert token.balanceOf(stranger) == STEWARD_LIMIT
    assert fund.holdings() == CAP - STEWARD_LIMIT
    assert_reconciles(fund)


def test_odd_token__false_return_is_refused(system, polity, founder, steward, stranger):
    token = _token(founder, FALSE_RETURN)
    fund = _token_fund(system, polity, token, founder)
    with ape.reverts("ledger: token transfer failed"):
        fund.contribute(CAP, MEMO, sender=founder)
    # Tokens put in directly are unaccounted; once booked, a payment the token refuses is
    # owed, never lost.
    token.mint(fund, CAP, sender=founder)
    fund.absorb_unaccounted(MEMO, sender=steward)
    receipt = fund.disburse(stranger, 1, MEMO, sender=steward)
    assert event_names(receipt) == ["Disbursed", "PaymentDeferred"]
    assert fund.owed(stranger) == 1
    assert_reconciles(fund)


def test_odd_token__rebasing_up_is_unaccounted_and_down_is_a_shortfall(
    system, polity, founder, steward, stranger
):
    token = _token(founder, REBASING)
    fund = _token_fund(system, polity, token, founder)
    fund.contribute(CAP, MEMO, sender=founder)
    token.rebase(11, 10, sender=founder)
    assert fund.unaccounted() == CAP // 10 and fund.shortfall() == 0
    assert fund.available() == CAP
    assert_reconciles(fund)
    token.rebase(8, 10, sender=founder)
    assert fund.shortfall() == CAP // 5 and fund.unaccounted() == 0
    assert fund.available() == CAP - CAP // 5  # never promise what is not there
    assert_reconciles(fund)
    action = Action(fund.address, fund.disburse_by_owner.encode_input(stranger.address, CAP, MEMO))
    pid = polity.passed([action])
    with ape.reverts("fund: insufficient funds"):
        polity.execute(pid, [action])


def test_odd_token__an_eoa_or_a_non_token_is_refused_at_creation(system, polity, stranger, target):
    with ape.reverts("ledger: token has no code"):
        create_fund(system, polity, token=stranger.address)
    with ape.reverts("ledger: not an erc20 token"):
        create_fund(system, polity, token=target.address)


def test_odd_token__eth_sent_to_a_token_fund_is_refused(system, polity, founder):
    token = _token(founder, STANDARD)
    fund = _token_fund(system, polity, token, founder)
    with ape.reverts("ledger: eth not accepted"):
        fund.contribute(CAP, MEMO, value=1, sender=founder)


# --- 18: cap bypass ----------------------------------------------------------------------


def test_cap_bypass__splitting_in_one_period_is_refused(fund, founder):
    # `fund` already holds `founder`'s full cap for this period.
    for amount in (1, CAP // 2):
        with ape.reverts("fund: over the contribution cap"):
            fund.contribute(amount, MEMO, value=amount, sender=founder)


def test_cap_bypass__forced_eth_breaks_neither_caps_nor_the_ledger(fund, founder, stranger):
    stranger.deploy(helper("ForceSend"), fund.address, value=5 * CAP)
    assert fund.unaccounted() == 5 * CAP
    assert fund.given_this_period(stranger) == 0
    assert fund.contributed() == 2 * CAP and fund.available() == 2 * CAP
    with ape.reverts("fund: over the contribution cap"):
        fund.contribute(1, MEMO, value=1, sender=founder)
    assert_reconciles(fund)


# --- 19: steward races -------------------------------------------------------------------


def test_steward_race__an_outgoing_steward_cannot_front_run_rotation(
    polity, fund, steward, founder, stranger
):
    """The term ends on its own: at expiry, before anyone rotates, the old steward is out."""
    polity.role_book.volunteer(STEWARD, sender=founder)
    expires = polity.role_book.mandate(STEWARD).expires_at
    ape.chain.pending_timestamp = expires - 1
    fund.disburse(stranger, 1, MEMO, sender=steward)
    ape.chain.pending_timestamp = expires
    with ape.reverts("fund: not the steward"):
        fund.disburse(stranger, 1, MEMO, sender=steward)
    polity.role_book.rotate(STEWARD, sender=stranger)
    fund.disburse(stranger, 1, MEMO, sender=founder)
    with ape.reverts("fund: not the steward"):
        fund.disburse(stranger, 1, MEMO, sender=steward)
    assert fund.disbursed() == 2


def test_steward_race__a_recalled_steward_can_do_nothing(polity, fund, steward, stranger):
    polity.run([polity.roles_call("recall", STEWARD)])
    with ape.reverts("fund: not the steward"):
        fund.disburse(stranger, 1, MEMO, sender=steward)
    with ape.reverts("fund: not the steward"):
        fund.absorb_unaccounted(MEMO, sender=steward)


def test_steward_race__a_steward_who_left_the_charter_can_do_nothing(
    fund, polity, steward, stranger
):
    polity.charter.leave(sender=steward)
    with ape.reverts("fund: not the steward"):
        fund.disburse(stranger, 1, MEMO, sender=steward)


def test_steward_race__leaving_and_rejoining_does_not_bring_the_mandate_back(
    fund, polity, steward, stranger
):
    polity.charter.leave(sender=steward)
    polity.charter.join(sender=steward)
    assert polity.charter.is_member(steward)
    assert not polity.role_book.holds_role(STEWARD, steward)
    with ape.reverts("fund: not the steward"):
        fund.disburse(stranger, 1, MEMO, sender=steward)


def test_steward_race__paying_oneself_is_refused_even_through_a_new_term(polity, fund, steward):
    with ape.reverts("fund: steward cannot pay self"):
        fund.disburse(steward, 1, MEMO, sender=steward)
    ape.chain.pending_timestamp = polity.role_book.mandate(STEWARD).expires_at + 1
    appoint_steward(polity, steward)  # a second term in a row
    with ape.reverts("fund: steward cannot pay self"):
        fund.disburse(steward, 1, MEMO, sender=steward)


def test_steward_race__rotation_does_not_reset_the_period_limit(
    polity, fund, member, founder, stranger
):
    """One limit per period, whoever the steward: a fresh steward cannot top it up."""
    appoint_steward(polity, member, term=10 * DAY)
    fund.disburse(stranger, STEWARD_LIMIT, MEMO, sender=member)
    polity.role_book.volunteer(STEWARD, sender=founder)
    ape.chain.pending_timestamp = polity.role_book.mandate(STEWARD).expires_at
    polity.role_book.rotate(STEWARD, sender=stranger)
    assert polity.role_book.holds_role(STEWARD, founder)
    assert fund.current_period() == 0
    with ape.reverts("fund: over the steward limit"):
        fund.disburse(stranger, 1, MEMO, sender=founder)
    assert fund.disbursed() == STEWARD_LIMIT


# --- issue 11, item 7: a member-made fund with its own steward and no limit ---------------


def test_member_made_fund__steward_cannot_pay_out_without_a_limit_set_by_proposal(
    system, polity, founder, member, newcomer, stranger
):
    """Bo holds the steward role and creates a fund naming it, asking for the largest limit,
    hoping to pay out others' contributions with no vote. The limit is refused; a fund with no
    limit pays nothing on the steward's word; only the charter's proposals pay, and only the
    charter, by proposal, can give the steward a limit (which the fund then shows it set)."""
    appoint_steward(polity, member)
    largest = (CAP, 2**192 - 1, False)
    with ape.reverts("fund: steward limit needs the owner"):
        system.factory.create_fund(
            polity.charter.address, ZERO, DAY, largest, STEWARD, sender=member
        )
    fund = create_fund(system, polity, sender=member, steward_limit=0)
    assert fund.creator() == member.address == fund.limits_set_by()
    assert tuple(fund.limits()) == (CAP, 0, False)
    fund.contribute(CAP, MEMO, value=CAP, sender=founder)
    fund.contribute(CAP, MEMO, value=CAP, sender=newcomer)

    with ape.reverts("fund: over the steward limit"):
        fund.disburse(stranger, 1, MEMO, sender=member)
    with ape.reverts("fund: only by the owner"):
        fund.set_limits(largest, sender=member)
    # Forced ETH the steward books is still not theirs to spend.
    stranger.deploy(helper("ForceSend"), fund.address, value=CAP)
    fund.absorb_unaccounted(MEMO, sender=member)
    with ape.reverts("fund: over the steward limit"):
        fund.disburse(stranger, 1, MEMO, sender=member)
    # A fresh proxy of the implementation can claim any creator, but it is not the factory's:
    # nothing lists it as the charter's fund.
    maker = stranger.deploy(helper("ProxyMaker"))
    proxy = event_args(maker.make(system.fund_impl, sender=stranger), "ProxyCreated")[0]["proxy"]
    fake = deployables()["SolidarityFund"].at(proxy)
    fake.initialize(
        polity.charter.address, polity.charter.address, ZERO, DAY, largest, STEWARD, sender=member
    )
    assert not system.factory.is_fund(proxy) and system.factory.is_fund(fund.address)
    assert fund.disbursed() == 0

    # The owner pays by proposal, then gives the steward a limit by proposal.
    paid = Action(fund.address, fund.disburse_by_owner.encode_input(stranger.address, CAP, MEMO))
    polity.run([paid])
    limits = (CAP, STEWARD_LIMIT, False)
    receipt = polity.run([Action(fund.address, fund.set_limits.encode_input(limits))])
    assert fund.limits_set_by() == polity.charter.address
    assert fund.limits_set_at() == ape.chain.blocks[receipt.block_number].timestamp
    fund.disburse(stranger, STEWARD_LIMIT, MEMO, sender=member)
    with ape.reverts("fund: over the steward limit"):
        fund.disburse(stranger, 1, MEMO, sender=member)
    assert fund.disbursed() == CAP + STEWARD_LIMIT
    assert_reconciles(fund)

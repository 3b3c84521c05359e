"""The solidarity fund: creation, contributions under a per-period cap, the steward's
disbursements within a per-period limit, the owner's decisions, refused payments, and the
ledger identity after every step. (The attacks of SECURITY.md 16-19 are in
``test_fund_attacks.py``.)"""

from __future__ import annotations

import ape
import pytest

from tests.contracts.fund_helpers import (
    CAP,
    ETHER,
    PERIOD,
    STEWARD,
    STEWARD_LIMIT,
    appoint_steward,
    assert_reconciles,
    create_fund,
)
from tests.contracts.helpers import (
    ZERO,
    Action,
    deployables,
    doc,
    event_args,
    event_names,
    helper,
    role,
)

MEMO = doc("memo")


@pytest.fixture
def fund(system, polity):
    return create_fund(system, polity)


@pytest.fixture
def steward(polity, member):
    appoint_steward(polity, member)
    return member


def _contribute(fund, who, amount, memo=MEMO):
    return fund.contribute(amount, memo, value=amount, sender=who)


# --- creation ------------------------------------------------------------------------------


def test_create_fund__lists_the_fund_and_initialises_it(system, polity, founder):
    fund = create_fund(system, polity, steward_limit=0)
    receipt = fund.created_receipt
    # Decoded with the fund's own ABI: ape may not know the new proxy's type yet.
    assert len(receipt.logs) == 3
    (limits,) = fund.LimitsUpdated.from_receipt(receipt)
    (initialized,) = fund.FundInitialized.from_receipt(receipt)
    assert tuple(limits.old) == (0, 0, False) and tuple(limits.new) == (CAP, 0, False)
    assert limits.by == founder.address
    assert initialized.owner == polity.charter.address and initialized.period_seconds == PERIOD
    assert initialized.creator == founder.address and initialized.steward_role == STEWARD
    created = event_args(receipt, "FundCreated")[0]
    assert created["charter"] == polity.charter.address
    assert created["creator"] == founder.address and created["token"] == ZERO
    assert system.factory.is_fund(fund.address)
    assert fund.owner() == polity.charter.address
    assert fund.creator() == founder.address
    assert fund.role_book() == polity.role_book.address
    assert fund.steward_role() == STEWARD
    assert fund.token() == ZERO and fund.period_seconds() == PERIOD
    assert tuple(fund.limits()) == (CAP, 0, False)
    assert fund.limits_set_by() == founder.address
    assert fund.limits_set_at() == ape.chain.blocks[receipt.block_number].timestamp
    assert fund.limits_set_at() == fund.period_start(0)
    assert fund.current_period() == 0
    assert fund.period_start(2) == fund.period_start(0) + 2 * PERIOD
    assert (fund.contributed(), fund.disbursed(), fund.holdings()) == (0, 0, 0)


def test_create_fund__for_an_unknown_charter_reverts(system, founder, stranger):
    with ape.reverts("factory: unknown charter"):
        system.factory.create_fund(stranger, ZERO, PERIOD, (CAP, 0, False), STEWARD, sender=founder)


def test_create_fund__by_a_non_member_reverts(system, polity, stranger):
    with ape.reverts("factory: not a member"):
        create_fund(system, polity, sender=stranger)


def test_create_fund__by_the_charter_itself_through_a_proposal(system, polity):
    """The owner deciding: a fund the charter creates may start with a steward limit."""
    data = system.factory.create_fund.encode_input(
        polity.charter.address, ZERO, PERIOD, (CAP, STEWARD_LIMIT, True), STEWARD
    )
    receipt = polity.run([Action(system.factory.address, data)])
    (created,) = [e for e in receipt.events if e.event_name == "FundCreated"]
    assert created.creator == polity.charter.address
    fund = deployables()["SolidarityFund"].at(created.fund)
    assert tuple(fund.limits()) == (CAP, STEWARD_LIMIT, True)
    assert fund.creator() == polity.charter.address == fund.limits_set_by()
    assert fund.limits_set_at() == ape.chain.blocks[receipt.block_number].timestamp


@pytest.mark.parametrize("limit", [1, STEWARD_LIMIT, 2**192 - 1])
def test_create_fund__by_a_member_with_a_steward_limit_reverts(system, polity, founder, limit):
    with ape.reverts("fund: steward limit needs the owner"):
        system.factory.create_fund(
            polity.charter.address, ZERO, PERIOD, (CAP, limit, False), STEWARD, sender=founder
        )


@pytest.mark.parametrize(
    "overrides, reason",
    [
        ({"period": 0}, "fund: zero period"),
        ({"steward_role": b"\x00" * 32}, "fund: empty steward role"),
        ({"cap": 0}, "fund: zero contribution cap"),
        ({"cap": 2**192}, "fund: limit too large"),
        ({"steward_limit": 2**192}, "fund: limit too large"),
    ],
)
def test_create_fund__invalid_settings_revert(system, polity, overrides, reason):
    """By the charter itself (the only creator that may pass a steward limit)."""
    settings = {
        "period": PERIOD,
        "steward_role": STEWARD,
        "cap": CAP,
        "steward_limit": STEWARD_LIMIT,
        **overrides,
    }
    data = system.factory.create_fund.encode_input(
        polity.charter.address,
        ZERO,
        settings["period"],
        (settings["cap"], settings["steward_limit"], False),
        settings["steward_role"],
    )
    pid = polity.passed([Action(system.factory.address, data)])
    with ape.reverts(reason):
        polity.execute(pid, [Action(system.factory.address, data)])


def test_create_fund__a_token_without_code_reverts(system, polity, stranger):
    with ape.reverts("ledger: token has no code"):
        create_fund(system, polity, token=stranger.address)


def test_create_fund__a_contract_that_is_not_a_token_reverts(system, polity, target):
    with ape.reverts("ledger: not an erc20 token"):
        create_fund(system, polity, token=target.address)


def test_reinitialisation__fund_proxy_and_implementation_are_locked(system, fund, stranger):
    for contract in (fund, system.fund_impl):
        with ape.reverts("fund: already initialized"):
            contract.initialize(
                stranger, stranger, ZERO, PERIOD, (CAP, 0, False), STEWARD, sender=stranger
            )


def test_initialize__a_fresh_proxy_checks_its_owner(system, stranger):
    maker = stranger.deploy(helper("ProxyMaker"))
    proxy = event_args(maker.make(system.fund_impl, sender=stranger), "ProxyCreated")[0]["proxy"]
    fund = deployables()["SolidarityFund"].at(proxy)
    with ape.reverts("fund: zero owner"):
        fund.initialize(ZERO, ZERO, ZERO, PERIOD, (CAP, 0, False), STEWARD, sender=stranger)


# --- contributions -------------------------------------------------------------------------


def test_contribute__records_the_gift_with_running_totals(fund, founder, newcomer):
    receipt = _contribute(fund, founder, ETHER // 4)
    assert event_args(receipt, "Contributed") == [
        {
            "contributor": founder.address,
            "amount": ETHER // 4,
            "memo": MEMO,
            "contributed": ETHER // 4,
            "disbursed": 0,
        }
    ]
    receipt = _contribute(fund, newcomer, ETHER // 2, memo=b"\x00" * 32)  # outsiders may give
    assert event_args(receipt, "Contributed")[0]["contributed"] == 3 * ETHER // 4
    assert fund.given_this_period(founder) == ETHER // 4
    assert fund.holdings() == 3 * ETHER // 4 == fund.available()
    assert_reconciles(fund)


def test_contribute__zero_reverts(fund, founder):
    with ape.reverts("ledger: zero amount"):
        fund.contribute(0, MEMO, sender=founder)


def test_contribute__value_different_from_amount_reverts(fund, founder):
    with ape.reverts("ledger: wrong eth amount"):
        fund.contribute(ETHER, MEMO, value=ETHER - 1, sender=founder)


def test_contribute__a_plain_transfer_is_refused(fund, founder):
    with ape.reverts():
        founder.transfer(fund, ETHER)
    assert fund.holdings() == 0


def test_contribute__members_only_refuses_outsiders(system, polity, member, stranger):
    fund = create_fund(system, polity, members_only=True)
    with ape.reverts("fund: members only"):
        _contribute(fund, stranger, ETHER // 10)
    _contribute(fund, member, ETHER // 10)
    assert fund.contributed() == ETHER // 10


def test_contribute__up_to_the_cap_then_over_it_reverts(fund, founder):
    _contribute(fund, founder, CAP)
    with ape.reverts("fund: over the contribution cap"):
        _contribute(fund, founder, 1)
    assert fund.given_this_period(founder) == CAP


def test_contribute__splitting_counts_against_the_cap(fund, founder):
    for _ in range(4):
        _contribute(fund, founder, CAP // 4)
    with ape.reverts("fund: over the contribution cap"):
        _contribute(fund, founder, CAP // 4)


@pytest.mark.parametrize("offset, room", [(-1, 0), (0, CAP), (1, CAP)], ids=["t-1", "t", "t+1"])
def test_contribute__the_cap_renews_with_the_period(fund, founder, offset, room):
    _contribute(fund, founder, CAP)
    ape.chain.pending_timestamp = fund.period_start(1) + offset
    if room == 0:
        with ape.reverts("fund: over the contribution cap"):
            _contribute(fund, founder, 1)
    else:
        _contribute(fund, founder, room)
        assert fund.given_this_period(founder) == CAP


def test_contribute__the_owner_is_not_capped(system, polity, founder):
    fund = create_fund(system, polity, members_only=True)
    founder.transfer(polity.charter, 3 * CAP)
    data = fund.contribute.encode_input(3 * CAP, MEMO)
    polity.run([Action(fund.address, data, 3 * CAP)])
    assert fund.contributed() == 3 * CAP
    assert fund.given_this_period(polity.charter) == 0
    assert_reconciles(fund)


# --- the steward's disbursements ----------------------------------------------------------


@pytest.fixture
def funded(fund, founder, newcomer):
    _contribute(fund, founder, CAP)
    _contribute(fund, newcomer, CAP)
    return fund


def test_disburse__the_steward_pays_within_the_limit(funded, steward, stranger):
    before = stranger.balance
    receipt = funded.disburse(stranger, STEWARD_LIMIT, MEMO, sender=steward)
    assert event_args(receipt, "Disbursed") == [
        {
            "recipient": stranger.address,
            "by": steward.address,
            "amount": STEWARD_LIMIT,
            "memo": MEMO,
            "contributed": 2 * CAP,
            "disbursed": STEWARD_LIMIT,
        }
    ]
    assert stranger.balance == before + STEWARD_LIMIT
    assert funded.steward_spent_this_period() == STEWARD_LIMIT
    assert funded.available() == 2 * CAP - STEWARD_LIMIT
    assert_reconciles(funded)


def test_disburse__by_someone_who_is_not_the_steward_reverts(funded, steward, founder, stranger):
    for who in (founder, stranger):
        with ape.reverts("fund: not the steward"):
            funded.disburse(stranger, 1, MEMO, sender=who)


def test_disburse__to_the_steward_themselves_reverts(funded, steward):
    with ape.reverts("fund: steward cannot pay self"):
        funded.disburse(steward, 1, MEMO, sender=steward)


@pytest.mark.parametrize(
    "recipient, amount, memo, reason",
    [
        ("zero", 1, MEMO, "fund: invalid recipient"),
        ("fund", 1, MEMO, "fund: invalid recipient"),
        ("stranger", 0, MEMO, "fund: zero amount"),
        ("stranger", 1, b"\x00" * 32, "fund: memo required"),
    ],
)
def test_disburse__invalid_payment_reverts(
    funded, steward, stranger, recipient, amount, memo, reason
):
    to = {"zero": ZERO, "fund": funded.address, "stranger": stranger.address}[recipient]
    with ape.reverts(reason):
        funded.disburse(to, amount, memo, sender=steward)


def test_disburse__more_than_the_fund_holds_reverts(system, polity, steward, founder, stranger):
    fund = create_fund(system, polity, steward_limit=10 * ETHER)
    _contribute(fund, founder, ETHER // 10)
    with ape.reverts("fund: insufficient funds"):
        fund.disburse(stranger, ETHER // 10 + 1, MEMO, sender=steward)


def test_disburse__over_the_steward_limit_reverts(funded, steward, stranger):
    funded.disburse(stranger, STEWARD_LIMIT - 1, MEMO, sender=steward)
    with ape.reverts("fund: over the steward limit"):
        funded.disburse(stranger, 2, MEMO, sender=steward)
    funded.disburse(stranger, 1, MEMO, sender=steward)


@pytest.mark.parametrize(
    "offset, renewed", [(-1, False), (0, True), (1, True)], ids=["t-1", "t", "t+1"]
)
def test_disburse__the_limit_renews_with_the_period(funded, steward, stranger, offset, renewed):
    funded.disburse(stranger, STEWARD_LIMIT, MEMO, sender=steward)
    ape.chain.pending_timestamp = funded.period_start(1) + offset
    if renewed:
        funded.disburse(stranger, STEWARD_LIMIT, MEMO, sender=steward)
        assert funded.steward_spent_this_period() == STEWARD_LIMIT
    else:
        with ape.reverts("fund: over the steward limit"):
            funded.disburse(stranger, 1, MEMO, sender=steward)


def test_disburse__a_zero_limit_leaves_everything_to_the_owner(
    system, polity, steward, founder, stranger
):
    fund = create_fund(system, polity, steward_limit=0)
    _contribute(fund, founder, CAP)
    with ape.reverts("fund: over the steward limit"):
        fund.disburse(stranger, 1, MEMO, sender=steward)


# --- the owner's decisions -----------------------------------------------------------------


def test_disburse_by_owner__beyond_the_steward_limit(polity, funded, stranger):
    before = stranger.balance
    data = funded.disburse_by_owner.encode_input(stranger.address, 2 * CAP, MEMO)
    receipt = polity.run([Action(funded.address, data)])
    assert [e.event_name for e in receipt.events if e.contract_address == funded.address] == [
        "Disbursed"
    ]
    assert stranger.balance == before + 2 * CAP
    assert funded.disbursed() == 2 * CAP and funded.holdings() == 0
    assert funded.steward_spent_this_period() == 0  # the owner's payments are not the steward's
    assert_reconciles(funded)


def test_disburse_by_owner__called_directly_reverts(funded, founder, stranger):
    with ape.reverts("fund: only by the owner"):
        funded.disburse_by_owner(stranger, 1, MEMO, sender=founder)


def test_disburse_by_owner__checks_the_payment_too(polity, funded):
    data = funded.disburse_by_owner.encode_input(ZERO, 1, MEMO)
    pid = polity.passed([Action(funded.address, data)])
    with ape.reverts("fund: invalid recipient"):
        polity.execute(pid, [Action(funded.address, data)])


def test_set_limits__by_the_owner_only(polity, fund, founder):
    new = (2 * CAP, 0, True)
    with ape.reverts("fund: only by the owner"):
        fund.set_limits(new, sender=founder)
    receipt = polity.run([Action(fund.address, fund.set_limits.encode_input(new))])
    (updated,) = [e for e in receipt.events if e.event_name == "LimitsUpdated"]
    assert tuple(updated.old) == (CAP, STEWARD_LIMIT, False) and tuple(updated.new) == new
    assert updated.by == polity.charter.address
    assert tuple(fund.limits()) == new
    assert fund.limits_set_by() == polity.charter.address
    assert fund.limits_set_at() == ape.chain.blocks[receipt.block_number].timestamp


def test_set_limits__validated(polity, fund):
    data = fund.set_limits.encode_input((0, 0, False))
    pid = polity.passed([Action(fund.address, data)])
    with ape.reverts("fund: zero contribution cap"):
        polity.execute(pid, [Action(fund.address, data)])


# --- refused payments ----------------------------------------------------------------------


@pytest.fixture
def recipient_type():
    return helper("Recipient")


@pytest.mark.parametrize("mode", [1, 2], ids=["refuses", "burns-gas"])
def test_refused_payment__is_owed_and_claimable_later(
    funded, steward, stranger, recipient_type, mode
):
    recipient = stranger.deploy(recipient_type, mode)
    receipt = funded.disburse(recipient, ETHER // 10, MEMO, sender=steward)
    assert event_names(receipt) == ["Disbursed", "PaymentDeferred"]
    assert funded.owed(recipient) == ETHER // 10 == funded.owed_total()
    assert funded.disbursed() == ETHER // 10
    assert funded.available() == 2 * CAP - ETHER // 10
    assert_reconciles(funded)
    # Still refusing: the claim reverts and nothing is lost. (A claim forwards all its gas;
    # a fixed limit keeps the gas burner from burning a whole block's worth in the EVM.)
    with ape.reverts("ledger: payment refused"):
        recipient.act(funded, funded.claim.encode_input(), sender=stranger, gas=1_000_000)
    recipient.set_mode(0, sender=stranger)
    receipt = recipient.act(funded, funded.claim.encode_input(), sender=stranger)
    assert recipient.received() == ETHER // 10
    assert funded.owed_total() == 0
    assert_reconciles(funded)


def test_claim__with_nothing_owed_reverts(funded, stranger):
    with ape.reverts("ledger: nothing owed"):
        funded.claim(sender=stranger)


# --- forced ETH ----------------------------------------------------------------------------


def test_absorb_unaccounted__books_forced_eth(polity, funded, steward, stranger):
    stranger.deploy(helper("ForceSend"), funded.address, value=ETHER // 3)
    assert funded.unaccounted() == ETHER // 3
    assert funded.available() == 2 * CAP  # not spendable until booked
    assert_reconciles(funded)
    with ape.reverts("fund: not the steward"):
        funded.absorb_unaccounted(MEMO, sender=stranger)
    receipt = funded.absorb_unaccounted(MEMO, sender=steward)
    assert event_args(receipt, "Contributed")[0]["contributor"] == ZERO
    assert funded.unaccounted() == 0 and funded.contributed() == 2 * CAP + ETHER // 3
    assert_reconciles(funded)


def test_absorb_unaccounted__with_nothing_to_absorb_reverts(polity, funded, steward):
    with ape.reverts("fund: nothing unaccounted"):
        funded.absorb_unaccounted(MEMO, sender=steward)


def test_absorb_unaccounted__by_the_owner(polity, funded, stranger):
    stranger.deploy(helper("ForceSend"), funded.address, value=7)
    polity.run([Action(funded.address, funded.absorb_unaccounted.encode_input(MEMO))])
    assert funded.unaccounted() == 0 and funded.contributed() == 2 * CAP + 7


def test_steward_role_name_is_the_funds_choice(system, polity, member, stranger, founder):
    treasurer = role("treasurer")
    fund = create_fund(system, polity, steward_role=treasurer)
    _contribute(fund, founder, CAP)
    appoint_steward(polity, member)  # the "steward" role is not this fund's
    with ape.reverts("fund: not the steward"):
        fund.disburse(stranger, 1, MEMO, sender=member)
    polity.run(
        [
            polity.roles_call("define_role", treasurer, PERIOD, 1),
            polity.roles_call("appoint", treasurer, member.address),
        ]
    )
    fund.disburse(stranger, 1, MEMO, sender=member)
    assert fund.disbursed() == 1

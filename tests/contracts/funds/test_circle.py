"""The savings circle (DESIGN.md "Solidarity fund", rotating mode) and the attacks on it
(SECURITY.md 5, 16-18, 20): every rule of its @notice, every revert reason, every deadline
at t-1, t and t+1, and the ledger identity after every scenario:

    holdings == contributed - disbursed + owed_total + unaccounted
"""

from __future__ import annotations

import ape
import pytest
from ape import chain
from ape.contracts import ContractInstance

from tests.contracts.helpers import (
    DAY,
    EMPTY32,
    HOUR,
    ZERO,
    Action,
    deployables,
    doc,
    event_args,
    event_names,
    helper,
)

C = 10**17  # the contribution per round, in wei (or token units)
ROUND = 7 * DAY
MEMO = doc("circle memo")

# Recipient modes (tests/contracts/targets/Recipient.vy).
ACCEPT, REFUSE, BURN_GAS, REENTER = 0, 1, 2, 3
# OddToken modes (tests/contracts/targets/OddToken.vy).
STANDARD, FEE, FALSE_RETURN, REBASING, REENTRANT = 0, 1, 2, 3, 4

EDGES = [
    pytest.param(-1, False, id="t-1"),
    pytest.param(0, True, id="t"),
    pytest.param(1, True, id="t+1"),
]


# --- fixtures --------------------------------------------------------------------------------


@pytest.fixture
def participants(founders, newcomer):
    """Four participants in the published order: ada, bo, cy (founders) and dee (not a
    member: participants need not be)."""
    return [*founders, newcomer]


@pytest.fixture
def keeper(stranger):
    """Whoever settles and dissolves: anyone may, and it is nobody in the circle."""
    return stranger


@pytest.fixture
def wallet_owner(accounts):
    """The account that drives a contract participant (a Recipient)."""
    return accounts[5]


@pytest.fixture
def make_circle(system, polity, founder):
    """Create a circle for the polity's charter through the factory."""

    def make(people, token=ZERO, contribution=C, round_seconds=ROUND, sender=None):
        receipt = system.factory.create_circle(
            polity.charter,
            token,
            contribution,
            round_seconds,
            [_addr(p) for p in people],
            sender=sender or founder,
        )
        created = event_args(receipt, "CircleCreated")[0]
        circle = deployables()["SavingsCircle"].at(created["circle"])
        circle.created_receipt = receipt
        return circle

    return make


@pytest.fixture
def circle(make_circle, participants):
    """An ETH circle of the four participants."""
    return make_circle(participants)


@pytest.fixture
def trio(participants):
    return participants[:3]


@pytest.fixture
def make_recipient(wallet_owner):
    def make(mode=ACCEPT):
        return wallet_owner.deploy(helper("Recipient"), mode)

    return make


@pytest.fixture
def make_token(accounts):
    def make(mode=STANDARD):
        return accounts[6].deploy(helper("OddToken"), mode)

    return make


# --- helpers ---------------------------------------------------------------------------------


def _addr(p):
    return p if isinstance(p, str) else p.address


def _ledger_exact(circle):
    """Assert the ledger identity; return the holdings."""
    holdings = circle.holdings()
    assert holdings == (
        circle.contributed() - circle.disbursed() + circle.owed_total() + circle.unaccounted()
    )
    return holdings


def _open(circle, r):
    """When round ``r`` opens (and round ``r - 1`` is over)."""
    return circle.start() + r * circle.round_seconds()


def _advance(timestamp):
    """Have the next transaction run at ``timestamp`` (never moving the clock back)."""
    if timestamp > chain.pending_timestamp:
        chain.pending_timestamp = timestamp


def _mine_at(timestamp):
    """Mine a block at ``timestamp``, so that views (which read the latest block) see it."""
    chain.mine(timestamp=timestamp)


def _pay(circle, who, memo=MEMO):
    """``who`` pays one contribution: the ETH with the call, or a token pulled by the circle
    (approved beforehand, see ``_fund``)."""
    value = circle.contribution() if circle.token() == ZERO else 0
    return circle.contribute(memo, value=value, sender=who)


def _pay_as(circle, wallet, owner, memo=MEMO):
    """A contract participant contributes through its ``act``."""
    return wallet.act(
        circle, circle.contribute.encode_input(memo), value=circle.contribution(), sender=owner
    )


def _act(wallet, owner, circle, method, *args):
    return wallet.act(circle, getattr(circle, method).encode_input(*args), sender=owner)


def _round(circle, r, payers, keeper, settle=True):
    """Open round ``r``, have ``payers`` pay it, end it and (by default) settle it."""
    _advance(_open(circle, r))
    for p in payers:
        _pay(circle, p)
        _ledger_exact(circle)
    _advance(_open(circle, r + 1))
    if settle:
        receipt = circle.settle(sender=keeper)
        _ledger_exact(circle)
        return receipt
    return None


def _prewarm(wallet, circle, funder):
    """Put the Recipient in re-entrant mode and make its counters non-zero first, so that its
    hook fits in the 50,000 gas a push forwards (first writes of a slot cost 20,000 each):
    the re-entry is then refused by the circle, not by the gas stipend."""
    received = wallet.received()
    wallet.set_hook(circle, b"", sender=funder)  # no such function: this first attempt fails
    wallet.set_mode(REENTER, sender=funder)
    funder.transfer(wallet, 1)
    assert (wallet.hook_attempts(), wallet.hook_successes()) == (1, 0)
    assert wallet.received() == received + 1


# --- creation (CharterFactory.create_circle) -------------------------------------------------


def test_create_circle__by_a_member_sets_up_and_lists_the_circle(
    system, polity, founder, circle, participants
):
    receipt = circle.created_receipt
    # Decoded with the circle's own ABI: ape may not know the new proxy's type yet (it
    # depends on which tests ran before), so the receipt's own names are not relied on.
    assert len(receipt.logs) == 2
    assert receipt.logs[-1]["address"] == system.factory.address
    (initialized,) = circle.CircleInitialized.from_receipt(receipt)
    assert event_args(receipt, "CircleCreated") == [
        {
            "circle": circle.address,
            "charter": polity.charter.address,
            "creator": founder.address,
            "token": ZERO,
        }
    ]
    assert (
        initialized.owner,
        initialized.token,
        initialized.contribution,
        initialized.round_seconds,
        list(initialized.participants),
    ) == (polity.charter.address, ZERO, C, ROUND, [p.address for p in participants])
    assert system.factory.is_circle(circle)
    assert not system.factory.is_circle(polity.charter)
    assert circle.owner() == polity.charter.address
    assert circle.token() == ZERO
    assert circle.participants() == [p.address for p in participants]
    assert (circle.contribution(), circle.round_seconds()) == (C, ROUND)
    assert circle.start() == chain.blocks[receipt.block_number].timestamp
    assert (circle.current_round(), circle.settled_rounds()) == (0, 0)
    assert circle.round_end(0) == circle.start() + ROUND
    assert circle.round_end(3) == circle.start() + 4 * ROUND
    assert circle.next_recipient() == ZERO  # nobody has paid yet
    assert not circle.is_complete() and not circle.is_dissolved()
    assert _ledger_exact(circle) == 0
    assert (circle.contributed(), circle.disbursed(), circle.owed_total()) == (0, 0, 0)


def test_create_circle__by_the_charter_itself_by_proposal(system, polity, trio):
    addrs = [p.address for p in trio]
    action = Action(
        system.factory.address,
        system.factory.create_circle.encode_input(polity.charter, ZERO, C, ROUND, addrs),
    )
    receipt = polity.run([action])
    created = event_args(receipt, "CircleCreated")
    assert len(created) == 1
    assert created[0]["charter"] == polity.charter.address
    assert created[0]["creator"] == polity.charter.address
    circle = deployables()["SavingsCircle"].at(created[0]["circle"])
    assert system.factory.is_circle(circle)
    assert circle.participants() == addrs
    assert circle.owner() == polity.charter.address


def test_create_circle__for_an_unknown_charter_reverts(system, founder, trio, stranger):
    with ape.reverts("factory: unknown charter"):
        system.factory.create_circle(
            stranger, ZERO, C, ROUND, [p.address for p in trio], sender=founder
        )


def test_create_circle__by_a_non_member_reverts(system, polity, trio, stranger):
    with ape.reverts("factory: not a member"):
        system.factory.create_circle(
            polity.charter, ZERO, C, ROUND, [p.address for p in trio], sender=stranger
        )


# Invalid set-ups: (field overrides, the reason). Participants are named by their index in the
# `participants` fixture; None stands for the zero address.
INVALID_SETUPS = [
    pytest.param({"contribution": 0}, "circle: zero contribution", id="zero-contribution"),
    pytest.param({"round_seconds": 0}, "circle: zero round", id="zero-round"),
    pytest.param({"people": []}, "circle: too few participants", id="no-participants"),
    pytest.param({"people": [0]}, "circle: too few participants", id="one-participant"),
    pytest.param({"people": [0, None]}, "circle: zero address", id="zero-participant"),
    pytest.param({"people": [0, 1, 0]}, "circle: duplicate participant", id="duplicate"),
]


def _setup(overrides, participants):
    people = [
        ZERO if i is None else participants[i].address for i in overrides.get("people", [0, 1, 2])
    ]
    return (
        overrides.get("contribution", C),
        overrides.get("round_seconds", ROUND),
        people,
    )


@pytest.mark.parametrize("overrides, reason", INVALID_SETUPS)
def test_create_circle__invalid_setup_reverts(
    system, polity, founder, participants, overrides, reason
):
    contribution, round_seconds, people = _setup(overrides, participants)
    with ape.reverts(reason):
        system.factory.create_circle(
            polity.charter, ZERO, contribution, round_seconds, people, sender=founder
        )


def test_create_circle__token_without_code_reverts(system, polity, founder, trio, stranger):
    with ape.reverts("ledger: token has no code"):
        system.factory.create_circle(
            polity.charter, stranger, C, ROUND, [p.address for p in trio], sender=founder
        )


@pytest.mark.parametrize("kind", ["reverting", "silent"])
def test_create_circle__token_that_is_not_an_erc20_reverts(
    system, polity, founder, trio, target, make_recipient, kind
):
    """A contract without `totalSupply`: one that reverts (Target), one that answers nothing
    (Recipient's fallback)."""
    token = target if kind == "reverting" else make_recipient()
    with ape.reverts("ledger: not an erc20 token"):
        system.factory.create_circle(
            polity.charter, token, C, ROUND, [p.address for p in trio], sender=founder
        )


# --- attack 5: re-initialisation -------------------------------------------------------------


def test_reinitialisation__factory_circle_cannot_be_initialised_again(
    circle, polity, stranger, participants
):
    with ape.reverts("circle: already initialized"):
        circle.initialize(stranger, ZERO, 1, 1, [stranger.address, ZERO], sender=stranger)
    assert circle.owner() == polity.charter.address
    assert circle.participants() == [p.address for p in participants]
    assert (circle.contribution(), circle.round_seconds()) == (C, ROUND)


def test_reinitialisation__implementation_is_locked(system, stranger, trio):
    impl = system.circle_impl
    with ape.reverts("circle: already initialized"):
        impl.initialize(stranger, ZERO, C, ROUND, [p.address for p in trio], sender=stranger)
    assert impl.owner() == impl.address
    assert impl.participants() == []


@pytest.fixture
def fresh_circle(system, stranger):
    """An uninitialised proxy of the circle implementation, made outside the factory."""
    # The maker comes from an account of its own: from `stranger`, it (and so the proxy)
    # would sit at the address of an earlier test's maker and charter proxy (test_founding,
    # same sender and nonce, reverted since), which ape keeps in its cache of contract types
    # and would decode the circle's events with.
    deployer = ape.accounts.test_accounts.generate_test_account()
    stranger.transfer(deployer, 10**17)
    maker = deployer.deploy(helper("ProxyMaker"))
    proxy = event_args(maker.make(system.circle_impl, sender=stranger), "ProxyCreated")[0]["proxy"]
    return ContractInstance(proxy, deployables()["SavingsCircle"].contract_type)


def test_reinitialisation__fresh_proxy_zero_owner_reverts(fresh_circle, stranger, trio):
    with ape.reverts("circle: zero owner"):
        fresh_circle.initialize(ZERO, ZERO, C, ROUND, [p.address for p in trio], sender=stranger)
    assert fresh_circle.owner() == ZERO


@pytest.mark.parametrize("overrides, reason", INVALID_SETUPS)
def test_reinitialisation__fresh_proxy_checks_its_setup(
    fresh_circle, stranger, participants, overrides, reason
):
    contribution, round_seconds, people = _setup(overrides, participants)
    with ape.reverts(reason):
        fresh_circle.initialize(
            stranger, ZERO, contribution, round_seconds, people, sender=stranger
        )
    assert fresh_circle.owner() == ZERO


def test_reinitialisation__fresh_proxy_initialises_once(fresh_circle, stranger, founder, trio):
    addrs = [p.address for p in trio]
    receipt = fresh_circle.initialize(stranger, ZERO, C, ROUND, addrs, sender=stranger)
    assert event_names(receipt) == ["CircleInitialized"]
    assert fresh_circle.owner() == stranger.address
    with ape.reverts("circle: already initialized"):
        fresh_circle.initialize(founder, ZERO, 1, 1, addrs, sender=founder)
    assert fresh_circle.owner() == stranger.address
    assert (fresh_circle.contribution(), fresh_circle.round_seconds()) == (C, ROUND)


# --- contribute ------------------------------------------------------------------------------


def test_contribute__pays_the_open_round_into_its_pot(circle, participants):
    ada = participants[0]
    receipt = _pay(circle, ada)
    assert event_names(receipt) == ["Contributed"]
    assert event_args(receipt, "Contributed") == [
        {"contributor": ada.address, "amount": C, "memo": MEMO, "contributed": C, "disbursed": 0}
    ]
    assert circle.paid_rounds(ada) == 1
    assert circle.pot(0) == C
    assert circle.next_recipient() == ada.address
    assert _ledger_exact(circle) == C
    assert circle.contributed() == C


def test_contribute__by_a_non_participant_reverts(circle, stranger):
    with ape.reverts("circle: not a participant"):
        circle.contribute(MEMO, value=C, sender=stranger)
    assert _ledger_exact(circle) == 0


@pytest.mark.parametrize("value", [0, C - 1, C + 1])
def test_contribute__wrong_eth_amount_reverts(circle, participants, value):
    with ape.reverts("ledger: wrong eth amount"):
        circle.contribute(MEMO, value=value, sender=participants[0])
    assert circle.paid_rounds(participants[0]) == 0
    assert _ledger_exact(circle) == 0


def test_contribute__ahead_of_the_open_round_reverts(circle, participants):
    ada = participants[0]
    _pay(circle, ada)
    with ape.reverts("circle: round not open"):
        _pay(circle, ada)
    assert circle.paid_rounds(ada) == 1
    assert (circle.pot(0), circle.pot(1)) == (C, 0)
    assert _ledger_exact(circle) == C


@pytest.mark.parametrize("offset, open_", EDGES)
def test_contribute__next_round_opens_at_its_start(circle, participants, offset, open_):
    ada = participants[0]
    _pay(circle, ada)
    chain.pending_timestamp = _open(circle, 1) + offset
    if open_:
        _pay(circle, ada)
        assert circle.paid_rounds(ada) == 2
        assert (circle.pot(0), circle.pot(1)) == (C, C)
        assert _ledger_exact(circle) == 2 * C
    else:
        with ape.reverts("circle: round not open"):
            _pay(circle, ada)
        assert circle.paid_rounds(ada) == 1
        assert (circle.pot(0), circle.pot(1)) == (C, 0)
        assert _ledger_exact(circle) == C


def test_contribute__beyond_the_last_round_reverts(make_circle, trio):
    """A participant who paid every round (whether or not rounds were settled) pays no more,
    even long after the last round."""
    circle = make_circle(trio)
    ada = trio[0]
    for r in range(3):
        _advance(_open(circle, r))
        _pay(circle, ada)
    assert circle.paid_rounds(ada) == 3
    _mine_at(_open(circle, 10))
    assert circle.current_round() == 10
    with ape.reverts("circle: every contribution made"):
        _pay(circle, ada)
    assert circle.paid_rounds(ada) == 3
    assert _ledger_exact(circle) == 3 * C


@pytest.mark.parametrize("offset, open_", EDGES)
def test_round_schedule__rounds_follow_round_seconds(make_circle, trio, offset, open_):
    """A circle of 12-hour rounds: round 2 is open from start + 24 hours; the views say so."""
    circle = make_circle(trio, round_seconds=12 * HOUR)
    assert circle.round_end(1) == circle.start() + 24 * HOUR
    _mine_at(circle.start() + 24 * HOUR + offset)
    assert circle.current_round() == (2 if open_ else 1)


# --- settle ----------------------------------------------------------------------------------


@pytest.mark.parametrize("offset, over", EDGES)
def test_settle__only_once_the_round_is_over(circle, participants, keeper, offset, over):
    for p in participants:
        _pay(circle, p)
    chain.pending_timestamp = circle.round_end(0) + offset
    if over:
        receipt = circle.settle(sender=keeper)
        assert event_args(receipt, "RoundSettled") == [
            {"round": 0, "recipient": participants[0].address, "amount": 4 * C}
        ]
        assert circle.settled_rounds() == 1
        assert _ledger_exact(circle) == 0
    else:
        with ape.reverts("circle: round not over"):
            circle.settle(sender=keeper)
        assert circle.settled_rounds() == 0
        assert _ledger_exact(circle) == 4 * C


def test_settle__with_nobody_paid_up_reverts(circle, keeper):
    _advance(_open(circle, 1))
    with ape.reverts("circle: no eligible recipient"):
        circle.settle(sender=keeper)
    assert circle.settled_rounds() == 0


def test_settle__settles_the_oldest_round_first_one_per_call(circle, participants, keeper):
    for r in range(2):
        _round(circle, r, participants, keeper, settle=False)
    _mine_at(_open(circle, 2))
    assert circle.current_round() == 2
    first = circle.settle(sender=keeper)
    assert event_args(first, "RoundSettled")[0]["round"] == 0
    assert circle.settled_rounds() == 1
    second = circle.settle(sender=keeper)
    assert event_args(second, "RoundSettled") == [
        {"round": 1, "recipient": participants[1].address, "amount": 4 * C}
    ]
    assert circle.settled_rounds() == 2
    # Round 2 is open, not over.
    with ape.reverts("circle: round not over"):
        circle.settle(sender=keeper)
    assert _ledger_exact(circle) == 0


# --- a full circle, paid on time -------------------------------------------------------------


@pytest.mark.parametrize("n", [3, 4])
def test_full_circle__each_receives_one_full_pot_once_in_the_published_order(
    make_circle, participants, keeper, n
):
    people = participants[:n]
    circle = make_circle(people)
    pot = n * C
    start_balances = {p.address: p.balance for p in people}
    fees = dict.fromkeys(start_balances, 0)
    received = dict.fromkeys(start_balances, 0)
    for r in range(n):
        _advance(_open(circle, r))
        for p in people:
            fees[p.address] += _pay(circle, p).total_fees_paid
            _ledger_exact(circle)
        assert circle.pot(r) == pot
        _advance(_open(circle, r + 1))
        expected = people[r]
        assert circle.next_recipient() == expected.address
        before = expected.balance
        receipt = circle.settle(sender=keeper)
        assert expected.balance - before == pot
        assert event_names(receipt) == ["RoundSettled", "Disbursed"]
        assert event_args(receipt, "RoundSettled") == [
            {"round": r, "recipient": expected.address, "amount": pot}
        ]
        assert event_args(receipt, "Disbursed") == [
            {
                "recipient": expected.address,
                "by": keeper.address,
                "amount": pot,
                "memo": EMPTY32,
                "contributed": (r + 1) * pot,
                "disbursed": (r + 1) * pot,
            }
        ]
        received[expected.address] += pot
        assert circle.received_in(expected) == r + 1
        assert circle.recipient_of(r) == expected.address
        assert _ledger_exact(circle) == 0
    assert received == dict.fromkeys(start_balances, pot)
    assert circle.is_complete()
    assert circle.next_recipient() == ZERO
    assert [circle.recipient_of(r) for r in range(n)] == [p.address for p in people]
    assert circle.contributed() == circle.disbursed() == n * pot
    assert (circle.owed_total(), circle.unaccounted()) == (0, 0)
    assert _ledger_exact(circle) == 0
    # Everyone paid n contributions and received one pot: only their gas is gone.
    for p in people:
        assert p.balance == start_balances[p.address] - fees[p.address]


@pytest.fixture
def completed(make_circle, trio, keeper):
    """A three-participant ETH circle, paid on time and settled to the end."""
    circle = make_circle(trio)
    for r in range(3):
        _round(circle, r, trio, keeper)
    assert circle.is_complete()
    return circle


def test_settle__after_the_circle_is_complete_reverts(completed, keeper):
    with ape.reverts("circle: complete"):
        completed.settle(sender=keeper)
    assert completed.settled_rounds() == 3
    assert _ledger_exact(completed) == 0


def test_dissolve__a_complete_circle_reverts(completed, keeper):
    _advance(_open(completed, 10))
    with ape.reverts("circle: complete"):
        completed.dissolve(sender=keeper)
    assert not completed.is_dissolved()
    assert _ledger_exact(completed) == 0


def test_contribute__after_paying_every_round_of_a_complete_circle_reverts(completed, trio):
    with ape.reverts("circle: every contribution made"):
        _pay(completed, trio[2])
    assert _ledger_exact(completed) == 0


# --- missed and late contributions -----------------------------------------------------------


def test_missed_contribution__passed_over_until_caught_up(make_circle, trio, keeper):
    ada, bo, cy = trio
    circle = make_circle(trio)
    # Round 0: ada misses it; bo, the next in order who paid, receives.
    r0 = _round(circle, 0, [bo, cy], keeper)
    assert event_args(r0, "RoundSettled") == [
        {"round": 0, "recipient": bo.address, "amount": 2 * C}
    ]
    assert circle.received_in(ada) == 0 and circle.received_in(bo) == 1
    # Round 1: ada catches up (round 0 late, straight to bo), then pays round 1.
    before = bo.balance
    late = _pay(circle, ada, memo=doc("sorry"))
    assert bo.balance - before == C
    assert event_names(late) == ["Contributed", "Disbursed"]
    assert event_args(late, "Disbursed") == [
        {
            "recipient": bo.address,
            "by": ada.address,
            "amount": C,
            "memo": doc("sorry"),
            "contributed": 3 * C,
            "disbursed": 3 * C,
        }
    ]
    assert circle.pot(0) == 2 * C  # a late payment never enters a settled pot
    assert circle.paid_rounds(ada) == 1
    _ledger_exact(circle)
    # Caught up, ada comes first again in the published order.
    r1 = _round(circle, 1, [ada, bo, cy], keeper)
    assert event_args(r1, "RoundSettled") == [
        {"round": 1, "recipient": ada.address, "amount": 3 * C}
    ]
    r2 = _round(circle, 2, [ada, bo, cy], keeper)
    assert event_args(r2, "RoundSettled") == [
        {"round": 2, "recipient": cy.address, "amount": 3 * C}
    ]
    assert circle.is_complete()
    # Everyone received exactly one full pot: settled pots plus late payments routed to them.
    received = {p.address: 0 for p in trio}
    for receipt in (r0, late, r1, r2):
        for d in event_args(receipt, "Disbursed"):
            received[d["recipient"]] += d["amount"]
    assert received == dict.fromkeys(received, 3 * C)
    assert circle.contributed() == circle.disbursed() == 9 * C
    assert _ledger_exact(circle) == 0


def test_missed_contribution__still_behind_is_passed_over_again(make_circle, trio, keeper):
    ada, bo, cy = trio
    circle = make_circle(trio)
    _round(circle, 0, [bo, cy], keeper)  # bo receives
    _advance(_open(circle, 1))
    _pay(circle, ada)  # round 0, late: still one round behind
    r1 = _round(circle, 1, [bo, cy], keeper)
    assert event_args(r1, "RoundSettled") == [
        {"round": 1, "recipient": cy.address, "amount": 2 * C}
    ]
    assert circle.received_in(ada) == 0
    _advance(_open(circle, 2))
    before = cy.balance
    _pay(circle, ada)  # round 1, late: straight to cy
    assert cy.balance - before == C
    r2 = _round(circle, 2, [ada, bo, cy], keeper)
    assert event_args(r2, "RoundSettled") == [
        {"round": 2, "recipient": ada.address, "amount": 3 * C}
    ]
    assert circle.is_complete()
    assert circle.contributed() == circle.disbursed() == 9 * C
    assert _ledger_exact(circle) == 0


def test_late_payment__after_completion_goes_to_that_rounds_recipient(make_circle, trio, keeper):
    """ada received first and then skipped the last round; the circle still completes, and her
    arrears, paid after it, go to the last round's recipient."""
    ada, bo, cy = trio
    circle = make_circle(trio)
    _round(circle, 0, trio, keeper)
    _round(circle, 1, trio, keeper)
    r2 = _round(circle, 2, [bo, cy], keeper)
    assert event_args(r2, "RoundSettled") == [
        {"round": 2, "recipient": cy.address, "amount": 2 * C}
    ]
    assert circle.is_complete()
    assert _ledger_exact(circle) == 0
    before = cy.balance
    receipt = _pay(circle, ada)
    assert cy.balance - before == C
    assert event_names(receipt) == ["Contributed", "Disbursed"]
    assert event_args(receipt, "Disbursed")[0]["recipient"] == cy.address
    assert circle.paid_rounds(ada) == 3
    assert circle.contributed() == circle.disbursed() == 9 * C
    assert _ledger_exact(circle) == 0


# --- a stalled circle: dissolve and withdraw -------------------------------------------------


@pytest.fixture
def stalled(make_circle, participants, keeper):
    """A four-participant circle that stalls after two rounds.

    Round 0: all pay, ada receives 4C. Round 1: ada and bo pay, bo receives 2C; cy pays it
    late (to bo). Rounds 2 and 3: only ada and bo pay. cy (2 paid) and dee (1 paid) are behind,
    so nobody is eligible for round 2; 4C sits in the pots of rounds 2 and 3.
    """
    ada, bo, cy, dee = participants
    circle = make_circle(participants)
    _round(circle, 0, participants, keeper)
    _round(circle, 1, [ada, bo], keeper)
    _pay(circle, cy)
    _round(circle, 2, [ada, bo], keeper, settle=False)
    _round(circle, 3, [ada, bo], keeper, settle=False)
    with ape.reverts("circle: no eligible recipient"):
        circle.settle(sender=keeper)
    assert circle.settled_rounds() == 2
    assert circle.next_recipient() == ZERO
    assert [circle.paid_rounds(p) for p in participants] == [4, 4, 2, 1]
    assert _ledger_exact(circle) == 4 * C
    return circle


@pytest.mark.parametrize("offset, overdue", EDGES)
def test_dissolve__only_once_the_last_round_is_over_by_a_whole_round(
    stalled, keeper, offset, overdue
):
    deadline = stalled.round_end(4)
    assert deadline == stalled.start() + 5 * ROUND
    chain.pending_timestamp = deadline + offset
    if overdue:
        receipt = stalled.dissolve(sender=keeper)
        assert event_names(receipt) == ["CircleDissolved"]
        assert event_args(receipt, "CircleDissolved") == [{"settled_rounds": 2}]
        assert stalled.is_dissolved()
    else:
        with ape.reverts("circle: not overdue"):
            stalled.dissolve(sender=keeper)
        assert not stalled.is_dissolved()
    assert _ledger_exact(stalled) == 4 * C


def _dissolve(circle, keeper):
    _advance(circle.round_end(len(circle.participants())))
    circle.dissolve(sender=keeper)
    assert circle.is_dissolved()


def test_withdraw__pays_back_those_who_paid_more_than_they_received(stalled, participants, keeper):
    """ada paid 4C and received 4C; bo paid 4C and received 3C; cy paid 2C, dee C, and
    neither received: the 4C of the unsettled rounds goes back C, 2C and C, and everyone
    ends even."""
    ada, bo, cy, dee = participants
    assert [stalled.received_total(p) for p in participants] == [4 * C, 3 * C, 0, 0]
    refunds = [0, C, 2 * C, C]
    assert [stalled.refund_due(p) for p in participants] == refunds
    _dissolve(stalled, keeper)
    for p, refund in zip(participants[1:], refunds[1:], strict=True):
        before = p.balance
        receipt = stalled.withdraw(sender=p)
        assert p.balance - before + receipt.total_fees_paid == refund
        assert event_names(receipt) == ["Disbursed"]
        d = event_args(receipt, "Disbursed")[0]
        assert (d["recipient"], d["by"], d["amount"], d["memo"]) == (
            p.address,
            p.address,
            refund,
            EMPTY32,
        )
        assert stalled.refund_due(p) == 0
        _ledger_exact(stalled)
    for p, refund in zip(participants, refunds, strict=True):
        assert stalled.paid_rounds(p) * C == stalled.received_total(p) + refund  # even
    # Nothing is left behind: 4C + 3C (round 1, cy late) + 2C + 2C came in, all went out.
    assert _ledger_exact(stalled) == 0
    assert stalled.contributed() == stalled.disbursed() == 11 * C


def test_withdraw__the_last_creditor_takes_the_rounding_remainder(
    make_circle, participants, keeper
):
    """All four pay round 0 (ada receives 4C); then only ada pays, two more rounds. bo, cy
    and dee each paid C and received nothing: they share the 2C of the unsettled rounds,
    2C/3 each, rounded down, and the last to withdraw takes the remainder."""
    ada, bo, cy, dee = participants
    circle = make_circle(participants)
    _round(circle, 0, participants, keeper)
    for r in (1, 2):
        _advance(_open(circle, r))
        _pay(circle, ada)
    _dissolve(circle, keeper)
    share = 2 * C // 3
    assert 3 * share != 2 * C  # the pool does not divide evenly
    assert [circle.refund_due(p) for p in participants] == [0, share, share, share]
    paid = []
    for p in (cy, dee, bo):
        receipt = circle.withdraw(sender=p)
        paid.append(event_args(receipt, "Disbursed")[0]["amount"])
    assert paid == [share, share, 2 * C - 2 * share]
    assert _ledger_exact(circle) == 0


def test_withdraw__with_nothing_to_refund_reverts(stalled, participants, keeper):
    """ada received all she paid in: she is owed nothing."""
    _dissolve(stalled, keeper)
    with ape.reverts("circle: nothing to refund"):
        stalled.withdraw(sender=participants[0])
    assert _ledger_exact(stalled) == 4 * C


def test_withdraw__twice_reverts(stalled, participants, keeper):
    _dissolve(stalled, keeper)
    stalled.withdraw(sender=participants[2])
    with ape.reverts("circle: already refunded"):
        stalled.withdraw(sender=participants[2])
    assert _ledger_exact(stalled) == 2 * C


def test_withdraw__before_dissolution_reverts(stalled, participants):
    with ape.reverts("circle: not dissolved"):
        stalled.withdraw(sender=participants[0])
    assert _ledger_exact(stalled) == 4 * C


def test_withdraw__by_a_non_participant_reverts(stalled, stranger, keeper):
    _dissolve(stalled, keeper)
    with ape.reverts("circle: not a participant"):
        stalled.withdraw(sender=stranger)
    assert _ledger_exact(stalled) == 4 * C


def test_dissolve__twice_reverts(stalled, keeper):
    _dissolve(stalled, keeper)
    with ape.reverts("circle: dissolved"):
        stalled.dissolve(sender=keeper)
    assert _ledger_exact(stalled) == 4 * C


def test_settle__after_dissolution_reverts(stalled, keeper):
    _dissolve(stalled, keeper)
    with ape.reverts("circle: dissolved"):
        stalled.settle(sender=keeper)
    assert stalled.settled_rounds() == 2
    assert _ledger_exact(stalled) == 4 * C


def test_contribute__after_dissolution_reverts(stalled, participants, keeper):
    _dissolve(stalled, keeper)
    with ape.reverts("circle: dissolved"):
        _pay(stalled, participants[2])
    assert stalled.paid_rounds(participants[2]) == 2
    assert _ledger_exact(stalled) == 4 * C


def test_dissolve__while_a_paid_up_participant_waits_reverts(make_circle, trio, keeper):
    """Everyone paid every round but nobody settled the last one in time: the circle has not
    stalled, so it cannot be dissolved (cy, who paid 3C, would get back only C while ada and
    bo keep their pots); settling it completes the circle."""
    ada, bo, cy = trio
    circle = make_circle(trio)
    _round(circle, 0, trio, keeper)
    _round(circle, 1, trio, keeper)
    _round(circle, 2, trio, keeper, settle=False)
    _advance(circle.round_end(3) + DAY)
    assert circle.next_recipient() == cy.address
    with ape.reverts("circle: not stalled"):
        circle.dissolve(sender=keeper)
    assert not circle.is_dissolved()
    before = cy.balance
    circle.settle(sender=keeper)
    assert cy.balance - before == 3 * C
    assert circle.is_complete()
    assert _ledger_exact(circle) == 0


def test_dissolve__nobody_ever_paid(make_circle, trio, keeper):
    circle = make_circle(trio)
    _dissolve(circle, keeper)
    assert [circle.refund_due(p) for p in trio] == [0, 0, 0]
    with ape.reverts("circle: nothing to refund"):
        circle.withdraw(sender=trio[0])
    assert _ledger_exact(circle) == 0


def test_stalled_circle__catching_up_before_dissolution_revives_it(stalled, participants, keeper):
    """Stalled is not dead: until someone dissolves it, a participant who catches up becomes
    eligible and the rounds settle again."""
    ada, bo, cy, dee = participants
    _pay(stalled, cy)  # cy's round 2: now paid through round 2
    assert stalled.next_recipient() == cy.address
    receipt = stalled.settle(sender=keeper)
    assert event_args(receipt, "RoundSettled") == [
        {"round": 2, "recipient": cy.address, "amount": 3 * C}
    ]
    assert stalled.settled_rounds() == 3
    assert _ledger_exact(stalled) == 2 * C  # round 3's pot


# --- recipients that refuse or burn gas ------------------------------------------------------


@pytest.mark.parametrize("mode", [REFUSE, BURN_GAS], ids=["refuses", "burns-gas"])
def test_refusing_recipient__payout_is_owed_and_settlement_goes_on(
    make_circle, make_recipient, trio, keeper, wallet_owner, mode
):
    wallet = make_recipient(mode)
    ada, bo, cy = trio
    people = [wallet, bo, cy]
    circle = make_circle(people)
    _pay_as(circle, wallet, wallet_owner)
    receipt = _round(circle, 0, [bo, cy], keeper)
    assert event_names(receipt) == ["RoundSettled", "Disbursed", "PaymentDeferred"]
    assert event_args(receipt, "PaymentDeferred") == [
        {"recipient": wallet.address, "amount": 3 * C}
    ]
    assert circle.recipient_of(0) == wallet.address
    assert (circle.owed(wallet), circle.owed_total()) == (3 * C, 3 * C)
    assert wallet.balance == 0 and wallet.received() == 0
    assert circle.disbursed() == 3 * C
    assert _ledger_exact(circle) == 3 * C
    # The circle goes on: bo receives round 1 as usual.
    _advance(_open(circle, 1))
    _pay_as(circle, wallet, wallet_owner)
    _round(circle, 1, [bo, cy], keeper, settle=False)
    before = bo.balance
    circle.settle(sender=keeper)
    assert bo.balance - before == 3 * C
    assert _ledger_exact(circle) == 3 * C
    # Still refusing: the claim reverts and the debt stands. (A claim forwards all its gas;
    # a fixed limit keeps the gas burner from burning a whole block's worth in the EVM.)
    with ape.reverts("ledger: payment refused"):
        wallet.act(circle, circle.claim.encode_input(), sender=wallet_owner, gas=1_000_000)
    assert circle.owed(wallet) == 3 * C
    # Once it accepts, it claims exactly what it is owed.
    wallet.set_mode(ACCEPT, sender=wallet_owner)
    claimed = _act(wallet, wallet_owner, circle, "claim")
    assert event_names(claimed) == ["PaymentClaimed"]
    assert event_args(claimed, "PaymentClaimed") == [{"recipient": wallet.address, "amount": 3 * C}]
    assert wallet.received() == 3 * C and wallet.balance == 3 * C
    assert (circle.owed(wallet), circle.owed_total()) == (0, 0)
    assert circle.disbursed() == 6 * C  # a claim moves money already disbursed
    assert _ledger_exact(circle) == 0
    with ape.reverts("ledger: nothing owed"):
        _act(wallet, wallet_owner, circle, "claim")


def test_claim__with_nothing_owed_reverts(circle, stranger):
    with ape.reverts("ledger: nothing owed"):
        circle.claim(sender=stranger)
    assert _ledger_exact(circle) == 0


def test_refusing_recipient__late_payments_to_it_are_owed(
    make_circle, make_recipient, trio, keeper, wallet_owner
):
    """A refusing recipient cannot block others' late payments either."""
    wallet = make_recipient(REFUSE)
    ada, bo, cy = trio
    circle = make_circle([wallet, bo, cy])
    _pay_as(circle, wallet, wallet_owner)
    _round(circle, 0, [bo], keeper)  # cy misses round 0
    assert circle.owed(wallet) == 2 * C
    _advance(_open(circle, 1))
    receipt = _pay(circle, cy)  # round 0, late: to the wallet, which refuses
    assert event_names(receipt) == ["Contributed", "Disbursed", "PaymentDeferred"]
    assert circle.paid_rounds(cy) == 1
    assert (circle.owed(wallet), circle.owed_total()) == (3 * C, 3 * C)
    assert _ledger_exact(circle) == 3 * C


def test_refusing_recipient__refund_is_owed(
    make_circle, make_recipient, trio, keeper, wallet_owner
):
    wallet = make_recipient(ACCEPT)
    ada, bo, cy = trio
    circle = _creditor_wallet_circle(make_circle, wallet, trio, keeper, wallet_owner)
    wallet.set_mode(REFUSE, sender=wallet_owner)
    receipt = _act(wallet, wallet_owner, circle, "withdraw")
    assert event_names(receipt) == ["Disbursed", "PaymentDeferred"]
    assert circle.owed(wallet) == C
    assert circle.refund_due(wallet) == 0
    assert _ledger_exact(circle) == 2 * C  # bo's share and the wallet's owed one
    wallet.set_mode(ACCEPT, sender=wallet_owner)
    _act(wallet, wallet_owner, circle, "claim")
    assert wallet.received() == C
    circle.withdraw(sender=bo)
    assert _ledger_exact(circle) == 0


# --- attack 16: re-entrancy ------------------------------------------------------------------


def test_reentrant_recipient__cannot_settle_again_on_receipt(
    make_circle, make_recipient, trio, keeper, wallet_owner
):
    wallet = make_recipient(ACCEPT)
    ada, bo, cy = trio
    circle = make_circle([wallet, bo, cy])
    for r in range(2):
        _advance(_open(circle, r))
        _pay_as(circle, wallet, wallet_owner)
        _round(circle, r, [bo, cy], keeper, settle=False)
    _prewarm(wallet, circle, wallet_owner)
    wallet.set_hook(circle, circle.settle.encode_input(), sender=wallet_owner)
    receipt = circle.settle(sender=keeper)  # round 0 to the wallet, which tries round 1
    assert event_names(receipt) == ["RoundSettled", "Disbursed"]  # paid, not deferred
    assert (wallet.hook_attempts(), wallet.hook_successes()) == (2, 0)
    assert wallet.received() == 1 + 3 * C
    assert circle.settled_rounds() == 1
    assert _ledger_exact(circle) == 3 * C
    receipt = circle.settle(sender=keeper)  # round 1 was settleable all along
    assert event_args(receipt, "RoundSettled")[0]["recipient"] == bo.address
    assert _ledger_exact(circle) == 0


def test_reentrant_recipient__cannot_contribute_on_receipt(
    make_circle, make_recipient, trio, keeper, wallet_owner
):
    wallet = make_recipient(ACCEPT)
    ada, bo, cy = trio
    circle = make_circle([wallet, bo, cy])
    _pay_as(circle, wallet, wallet_owner)
    _round(circle, 0, [bo, cy], keeper, settle=False)
    _prewarm(wallet, circle, wallet_owner)
    wallet.set_hook(circle, circle.contribute.encode_input(MEMO), sender=wallet_owner)
    receipt = circle.settle(sender=keeper)
    assert event_names(receipt) == ["RoundSettled", "Disbursed"]
    assert (wallet.hook_attempts(), wallet.hook_successes()) == (2, 0)
    assert wallet.received() == 1 + 3 * C
    assert circle.paid_rounds(wallet) == 1
    assert circle.contributed() == circle.disbursed() == 3 * C
    assert _ledger_exact(circle) == 0


def test_reentrant_recipient__cannot_claim_twice(
    make_circle, make_recipient, trio, keeper, wallet_owner
):
    wallet = make_recipient(REFUSE)
    ada, bo, cy = trio
    circle = make_circle([wallet, bo, cy])
    _pay_as(circle, wallet, wallet_owner)
    _round(circle, 0, [bo, cy], keeper)
    assert circle.owed(wallet) == 3 * C
    _prewarm(wallet, circle, wallet_owner)
    wallet.set_hook(circle, circle.claim.encode_input(), sender=wallet_owner)
    receipt = _act(wallet, wallet_owner, circle, "claim")
    assert event_args(receipt, "PaymentClaimed") == [{"recipient": wallet.address, "amount": 3 * C}]
    assert (wallet.hook_attempts(), wallet.hook_successes()) == (2, 0)
    assert wallet.received() == 1 + 3 * C
    assert (circle.owed(wallet), circle.owed_total()) == (0, 0)
    assert _ledger_exact(circle) == 0


def test_reentrant_recipient__cannot_withdraw_twice(
    make_circle, make_recipient, trio, keeper, wallet_owner
):
    wallet = make_recipient(ACCEPT)
    ada, bo, cy = trio
    circle = _creditor_wallet_circle(make_circle, wallet, trio, keeper, wallet_owner)
    assert circle.refund_due(wallet) == C
    _prewarm(wallet, circle, wallet_owner)
    wallet.set_hook(circle, circle.withdraw.encode_input(), sender=wallet_owner)
    receipt = _act(wallet, wallet_owner, circle, "withdraw")
    assert event_names(receipt) == ["Disbursed"]
    assert (wallet.hook_attempts(), wallet.hook_successes()) == (2, 0)
    assert wallet.received() == 1 + C
    assert circle.refund_due(wallet) == 0
    circle.withdraw(sender=bo)
    assert _ledger_exact(circle) == 0


def _creditor_wallet_circle(make_circle, wallet, trio, keeper, wallet_owner):
    """[ada, bo, wallet]: all pay round 0 (ada receives 3C), then only ada pays; the circle
    stalls and is dissolved. bo and the wallet each paid C and received nothing: each is
    owed C of the 2C ada put into the unsettled rounds."""
    ada, bo, cy = trio
    circle = make_circle([ada, bo, wallet])
    _advance(_open(circle, 0))
    _pay(circle, ada)
    _pay(circle, bo)
    _pay_as(circle, wallet, wallet_owner)
    _advance(_open(circle, 1))
    circle.settle(sender=keeper)
    for r in (1, 2):
        _advance(_open(circle, r))
        _pay(circle, ada)
    _dissolve(circle, keeper)
    assert [circle.refund_due(p) for p in (ada, bo, wallet)] == [0, C, C]
    return circle


def test_reentrant_token__cannot_settle_from_inside_a_transfer(
    make_circle, make_token, trio, keeper
):
    """The token calls back with all the gas it has, on the way in (`transferFrom` during a
    contribution) and on the way out (`transfer` during a settlement): only the circle's lock
    stops the call."""
    ada, bo, cy = trio
    token = make_token(REENTRANT)
    circle = make_circle(trio, token=token)
    _fund(token, circle, trio, 3 * C)
    _round(circle, 0, trio, keeper, settle=False)  # round 0 is over and settleable
    assert circle.next_recipient() == ada.address
    token.set_hook(circle, circle.settle.encode_input(), sender=keeper)
    _pay(circle, ada)  # round 1: the token tries to settle round 0 from inside transferFrom
    assert (token.hook_attempts(), token.hook_successes()) == (1, 0)
    assert circle.settled_rounds() == 0
    assert circle.pot(1) == C
    _pay(circle, bo)  # and again, each time
    _pay(circle, cy)
    assert (token.hook_attempts(), token.hook_successes()) == (3, 0)
    _advance(_open(circle, 2))  # round 1 is over too
    before = token.balanceOf(ada)
    receipt = circle.settle(sender=keeper)  # the token tries to settle round 1 from transfer
    assert event_names(receipt) == ["RoundSettled", "Disbursed", "Transfer"]
    assert (token.hook_attempts(), token.hook_successes()) == (4, 0)
    assert token.balanceOf(ada) - before == 3 * C
    assert circle.settled_rounds() == 1
    assert _ledger_exact(circle) == 3 * C


# --- ERC20 circles (attack 17) ---------------------------------------------------------------


def _fund(token, circle, people, amount):
    """Mint ``amount`` to each of ``people`` and approve the circle for it."""
    for p in people:
        token.mint(p, amount, sender=p)
        token.approve(circle, amount, sender=p)


def test_erc20_circle__full_circle_with_approve_and_contribute(
    make_circle, make_token, trio, keeper
):
    token = make_token(STANDARD)
    circle = make_circle(trio, token=token)
    assert circle.token() == token.address
    assert event_args(circle.created_receipt, "CircleCreated")[0]["token"] == token.address
    _fund(token, circle, trio, 3 * C)
    for r in range(3):
        _advance(_open(circle, r))
        for p in trio:
            receipt = _pay(circle, p)
            assert event_args(receipt, "Contributed")[0]["amount"] == C
            _ledger_exact(circle)
        assert token.balanceOf(circle) == 3 * C
        _advance(_open(circle, r + 1))
        before = token.balanceOf(trio[r])
        receipt = circle.settle(sender=keeper)
        assert token.balanceOf(trio[r]) - before == 3 * C
        assert event_args(receipt, "RoundSettled") == [
            {"round": r, "recipient": trio[r].address, "amount": 3 * C}
        ]
        assert _ledger_exact(circle) == 0
    assert circle.is_complete()
    assert [token.balanceOf(p) for p in trio] == [3 * C] * 3  # paid 3C, received 3C
    assert [token.allowance(p, circle) for p in trio] == [0] * 3
    assert token.balanceOf(circle) == 0
    assert circle.contributed() == circle.disbursed() == 9 * C
    assert _ledger_exact(circle) == 0


def test_erc20_circle__no_return_token_works(make_circle, trio, keeper, accounts):
    token = accounts[6].deploy(helper("NoReturnToken"))
    circle = make_circle(trio, token=token)
    _fund(token, circle, trio, C)
    _round(circle, 0, trio, keeper)
    assert token.balanceOf(trio[0]) == 3 * C
    assert token.balanceOf(circle) == 0
    assert circle.contributed() == circle.disbursed() == 3 * C
    assert _ledger_exact(circle) == 0


def test_erc20_circle__eth_sent_with_a_contribution_reverts(make_circle, make_token, trio):
    token = make_token(STANDARD)
    circle = make_circle(trio, token=token)
    _fund(token, circle, trio, C)
    with ape.reverts("ledger: eth not accepted"):
        circle.contribute(MEMO, value=C, sender=trio[0])
    assert circle.paid_rounds(trio[0]) == 0
    assert token.balanceOf(trio[0]) == C
    assert _ledger_exact(circle) == 0


def test_erc20_circle__fee_on_transfer_token_is_refused(make_circle, make_token, trio):
    token = make_token(FEE)
    circle = make_circle(trio, token=token)
    _fund(token, circle, trio, C)
    with ape.reverts("circle: token charged a fee"):
        _pay(circle, trio[0])
    assert circle.paid_rounds(trio[0]) == 0
    assert (token.balanceOf(trio[0]), token.balanceOf(circle)) == (C, 0)
    assert _ledger_exact(circle) == 0


def test_erc20_circle__false_returning_token_reverts(make_circle, make_token, trio):
    token = make_token(FALSE_RETURN)
    circle = make_circle(trio, token=token)
    _fund(token, circle, trio, C)
    with ape.reverts("ledger: token transfer failed"):
        _pay(circle, trio[0])
    assert circle.paid_rounds(trio[0]) == 0
    assert _ledger_exact(circle) == 0


def test_erc20_circle__without_allowance_reverts(make_circle, make_token, trio):
    token = make_token(STANDARD)
    circle = make_circle(trio, token=token)
    token.mint(trio[0], C, sender=trio[0])  # no approval: the transferFrom reverts
    with ape.reverts("ledger: token transfer failed"):
        _pay(circle, trio[0])
    assert _ledger_exact(circle) == 0


def test_erc20_circle__token_that_moves_nothing_reverts(make_circle, make_token, trio):
    """A rebasing token whose share is worth more than a contribution of 1 moves nothing."""
    token = make_token(REBASING)
    circle = make_circle(trio, token=token, contribution=1)
    _fund(token, circle, trio, 10)
    token.rebase(2, 1, sender=trio[0])
    with ape.reverts("ledger: nothing arrived"):
        _pay(circle, trio[0])
    assert circle.paid_rounds(trio[0]) == 0
    assert _ledger_exact(circle) == 0


def test_erc20_circle__rounding_token_counts_as_a_fee(make_circle, make_token, trio):
    """A rebasing token that delivers less than asked (3 asked, one share of 2 moved)."""
    token = make_token(REBASING)
    circle = make_circle(trio, token=token, contribution=3)
    _fund(token, circle, trio, 10)
    token.rebase(2, 1, sender=trio[0])
    with ape.reverts("circle: token charged a fee"):
        _pay(circle, trio[0])
    assert _ledger_exact(circle) == 0


def test_erc20_circle__rebase_up_is_unaccounted_and_never_changes_payouts(
    make_circle, make_token, trio, keeper
):
    token = make_token(REBASING)
    circle = make_circle(trio, token=token)
    _fund(token, circle, trio, C)
    _round(circle, 0, trio, keeper, settle=False)
    token.rebase(2, 1, sender=keeper)  # every balance doubles
    assert circle.holdings() == 6 * C
    assert circle.unaccounted() == 3 * C
    _ledger_exact(circle)
    before = token.balanceOf(trio[0])
    receipt = circle.settle(sender=keeper)
    assert event_args(receipt, "RoundSettled")[0]["amount"] == 3 * C
    assert token.balanceOf(trio[0]) - before == 3 * C
    assert circle.contributed() == circle.disbursed() == 3 * C
    assert circle.unaccounted() == 3 * C
    assert _ledger_exact(circle) == 3 * C


# --- forced ETH (attack 18) ------------------------------------------------------------------

FORCED = 10**18 + 7


def _force(circle, sender, amount=FORCED):
    sender.deploy(helper("ForceSend"), circle.address, value=amount)


def test_plain_eth_transfer__is_refused(circle, stranger):
    with ape.reverts():
        stranger.transfer(circle, C)
    assert _ledger_exact(circle) == 0


def test_forced_eth__is_unaccounted_and_never_changes_payouts(make_circle, trio, keeper, stranger):
    circle = make_circle(trio)
    _force(circle, stranger)
    assert circle.unaccounted() == FORCED
    assert _ledger_exact(circle) == FORCED
    assert (circle.contributed(), circle.disbursed()) == (0, 0)
    for r in range(3):
        _advance(_open(circle, r))
        for p in trio:
            _pay(circle, p)
        if r == 1:
            _force(circle, stranger, 5)  # some more, mid-round
        assert circle.pot(r) == 3 * C
        _advance(_open(circle, r + 1))
        before = trio[r].balance
        receipt = circle.settle(sender=keeper)
        assert trio[r].balance - before == 3 * C
        assert event_args(receipt, "RoundSettled")[0]["amount"] == 3 * C
        _ledger_exact(circle)
    assert circle.is_complete()
    assert circle.contributed() == circle.disbursed() == 9 * C
    assert circle.unaccounted() == FORCED + 5
    assert _ledger_exact(circle) == FORCED + 5


def test_forced_eth__never_changes_refunds(stalled, participants, keeper, stranger):
    _force(stalled, stranger)
    assert [stalled.refund_due(p) for p in participants] == [0, C, 2 * C, C]
    _dissolve(stalled, keeper)
    for p in participants[1:]:
        stalled.withdraw(sender=p)
    assert stalled.contributed() == stalled.disbursed() == 11 * C
    assert stalled.unaccounted() == FORCED
    assert _ledger_exact(stalled) == FORCED
    # Swept after the dissolution too: four equal shares, the first three one wei more.
    share, remainder = divmod(FORCED, 4)
    assert remainder == 3
    receipt = stalled.sweep_unaccounted(EMPTY32, sender=keeper)
    assert [(e["recipient"], e["amount"]) for e in event_args(receipt, "Disbursed")] == [
        (p.address, share + (i < remainder)) for i, p in enumerate(participants)
    ]
    assert [stalled.refund_due(p) for p in participants] == [0, 0, 0, 0]
    assert stalled.contributed() == stalled.disbursed() == 11 * C + FORCED
    assert _ledger_exact(stalled) == 0 == stalled.balance


# --- sweeping unaccounted money to the participants (issue 11, item 9) ------------------------


def test_forced_eth__swept_to_the_participants_leaves_nothing_behind(
    completed, trio, keeper, stranger
):
    """A complete circle holds nothing of its own; ETH forced into it afterwards is shared
    equally among the participants, the rounding dust one wei each to the first in order."""
    _force(completed, stranger)
    share, remainder = divmod(FORCED, 3)
    assert remainder == 2
    before = [p.balance for p in trio]
    receipt = completed.sweep_unaccounted(MEMO, sender=keeper)
    assert event_names(receipt) == ["Contributed", "UnaccountedSwept"] + ["Disbursed"] * 3
    assert event_args(receipt, "UnaccountedSwept") == [
        {"by": keeper.address, "amount": FORCED, "share": share, "remainder": 2}
    ]
    assert event_args(receipt, "Contributed") == [
        {
            "contributor": ZERO,
            "amount": FORCED,
            "memo": MEMO,
            "contributed": 9 * C + FORCED,
            "disbursed": 9 * C,
        }
    ]
    dues = [share + 1, share + 1, share]
    assert [(e["recipient"], e["amount"], e["by"]) for e in event_args(receipt, "Disbursed")] == [
        (p.address, due, keeper.address) for p, due in zip(trio, dues, strict=True)
    ]
    assert [p.balance - b for p, b in zip(trio, before, strict=True)] == dues
    assert sum(dues) == FORCED
    assert completed.contributed() == completed.disbursed() == 9 * C + FORCED
    assert completed.unaccounted() == 0 and completed.balance == 0
    assert [completed.received_total(p) for p in trio] == [3 * C] * 3  # no pot changed
    assert _ledger_exact(completed) == 0
    with ape.reverts("circle: nothing unaccounted"):
        completed.sweep_unaccounted(MEMO, sender=keeper)


def test_forced_eth__dust_smaller_than_the_participants_goes_one_wei_each(circle, keeper, stranger):
    _force(circle, stranger, 2)
    receipt = circle.sweep_unaccounted(EMPTY32, sender=keeper)
    assert event_args(receipt, "UnaccountedSwept") == [
        {"by": keeper.address, "amount": 2, "share": 0, "remainder": 2}
    ]
    participants = circle.participants()
    assert [(e["recipient"], e["amount"]) for e in event_args(receipt, "Disbursed")] == [
        (participants[0], 1),
        (participants[1], 1),
    ]
    assert _ledger_exact(circle) == 0 == circle.balance


def test_forced_eth__swept_mid_circle_changes_no_pot_and_no_payout(
    make_circle, trio, keeper, stranger
):
    circle = make_circle(trio)
    _advance(_open(circle, 0))
    for p in trio:
        _pay(circle, p)
    _force(circle, stranger, 10)
    circle.sweep_unaccounted(EMPTY32, sender=keeper)
    assert circle.pot(0) == 3 * C and _ledger_exact(circle) == 3 * C
    assert [circle.received_total(p) for p in trio] == [0, 0, 0]
    _advance(_open(circle, 1))
    before = trio[0].balance
    receipt = circle.settle(sender=keeper)
    assert event_args(receipt, "RoundSettled")[0]["amount"] == 3 * C
    assert trio[0].balance - before == 3 * C
    assert _ledger_exact(circle) == 0 == circle.balance


def test_forced_eth__a_refused_share_is_owed_until_claimed_then_nothing_is_left(
    make_circle, make_recipient, founders, keeper, stranger, wallet_owner
):
    wallet = make_recipient(REFUSE)
    circle = make_circle([founders[0], wallet, founders[1], founders[2]])
    _force(circle, stranger, 10)  # 3, 3, 2, 2
    receipt = circle.sweep_unaccounted(EMPTY32, sender=keeper)
    assert event_names(receipt) == [
        "Contributed",
        "UnaccountedSwept",
        "Disbursed",
        "Disbursed",
        "PaymentDeferred",
        "Disbursed",
        "Disbursed",
    ]
    assert circle.owed(wallet) == 3 == circle.owed_total()
    assert _ledger_exact(circle) == 3 == circle.balance
    wallet.set_mode(ACCEPT, sender=wallet_owner)
    _act(wallet, wallet_owner, circle, "claim")
    assert wallet.received() == 3
    assert circle.owed_total() == 0
    assert _ledger_exact(circle) == 0 == circle.balance


def test_erc20_circle__tokens_sent_outside_the_ledger_are_swept_too(
    make_circle, make_token, trio, keeper
):
    token = make_token(STANDARD)
    circle = make_circle(trio, token=token)
    token.mint(keeper, 7, sender=keeper)
    token.transfer(circle, 7, sender=keeper)  # a plain transfer: not a contribution
    assert circle.unaccounted() == 7
    before = [token.balanceOf(p) for p in trio]
    circle.sweep_unaccounted(EMPTY32, sender=keeper)
    assert [token.balanceOf(p) - b for p, b in zip(trio, before, strict=True)] == [3, 2, 2]
    assert _ledger_exact(circle) == 0 == token.balanceOf(circle)

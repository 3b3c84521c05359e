"""Issue 11's attacks on the role book, each built for real and each failing.

- Attack 4, leave-and-rejoin in the block of the grant: a contract member executes its own
  appointment (or rotates a vacant role to itself), leaves and rejoins in the same
  transaction. A mandate is bound to the charter seat its holder sat in when it was granted,
  and rejoining takes a new seat, so the mandate ends for good whatever the block.
- Attack 8, roster stuffing: under open admission, throwaway members fill a role's roster.
  A role's minimum volunteering age (set by proposal) keeps fresh accounts off it, and one
  proposal clears a stuffed roster.
"""

from __future__ import annotations

import ape
import pytest

from tests.contracts.helpers import DAY, ZERO, columns, event_args, event_names, helper
from tests.contracts.role_helpers import (
    MAX_TERMS,
    STEWARD,
    TERM,
    TERMS,
    addresses,
    appoint,
    at,
    clear_roster,
    define,
    fails,
    mandate,
    newcomers,
    now,
    set_min_age,
)

#: The minimum volunteering age the tests set: shorter than the week a proposal takes, so
#: that the founders (members since the founding) are old enough once it is set.
AGE = 5 * DAY


@pytest.fixture
def role_book(polity):
    """The polity's role book with the steward role defined (30-day terms, two in a row)."""
    define(polity)
    return polity.role_book


@pytest.fixture
def attacker(polity, role_book, founder):
    """A contract member that leaves and rejoins in the transaction that gives it a mandate."""
    contract = founder.deploy(helper("LeaveRejoin"), polity.charter.address, role_book.address)
    contract.join(sender=founder)
    return contract


# --- attack 4: a mandate survives leave-and-rejoin in the block it was granted --------------


def _assert_mandate_ended(polity, role_book, attacker, seat_at_grant: int) -> None:
    """The attacker is a member again, in a new seat, and holds nothing."""
    assert attacker.held_before_leaving()  # the grant really happened in that transaction
    assert not attacker.held_after_rejoining()  # and ended with the seat, in the same block
    assert polity.charter.is_member(attacker)
    assert polity.charter.seat_of(attacker) == seat_at_grant + 1  # nobody else joined since
    assert role_book.granted_seat(STEWARD) == seat_at_grant
    assert not role_book.holds_role(STEWARD, attacker)
    assert not polity.charter.holds_role(STEWARD, attacker)
    assert role_book.holder(STEWARD) == ZERO
    assert mandate(role_book)[0] == attacker.address
    assert mandate(role_book)[4:] == (False, False)  # not ended early: ended by leaving
    at(now() + DAY)  # still nothing in later blocks, long before the term would end
    assert not role_book.holds_role(STEWARD, attacker)
    assert role_book.mandate(STEWARD).expires_at > now()


def test_leave_rejoin__executing_ones_own_appointment_then_rejoining_ends_the_mandate(
    polity, role_book, attacker, stranger
):
    seat = polity.charter.seat_of(attacker)
    assert seat == 4  # after the three founders
    actions = [polity.roles_call("appoint", STEWARD, attacker.address)]
    pid = polity.passed(actions)
    receipt = attacker.execute_then_leave_and_rejoin(
        pid, *columns(actions), STEWARD, sender=stranger
    )
    assert event_names(receipt) == [
        "MandateAppointed",
        "ProposalExecuted",
        "MemberLeft",
        "MemberJoined",
    ]
    _assert_mandate_ended(polity, role_book, attacker, seat)
    # Nothing left to recall: the mandate is over.
    fails(polity, [polity.roles_call("recall", STEWARD)], "roles: no mandate in force")


def test_leave_rejoin__rotating_to_oneself_then_rejoining_ends_the_mandate(
    polity, role_book, attacker, member, stranger
):
    seat = polity.charter.seat_of(attacker)
    attacker.volunteer(STEWARD, sender=stranger)
    role_book.volunteer(STEWARD, sender=member)
    assert role_book.next_in_rotation(STEWARD) == attacker.address
    receipt = attacker.rotate_then_leave_and_rejoin(STEWARD, sender=stranger)
    assert event_names(receipt) == ["MandateRotated", "MemberLeft", "MemberJoined"]
    _assert_mandate_ended(polity, role_book, attacker, seat)
    # The role is vacant: the next rotation serves the next volunteer, in the order.
    assert role_book.next_in_rotation(STEWARD) == member.address
    role_book.rotate(STEWARD, sender=stranger)
    assert role_book.holder(STEWARD) == member.address


def test_leave_rejoin__the_seat_check_costs_what_the_join_block_check_did(
    polity, role_book, member, founder
):
    """The defence adds no cost where funds ask: one read of the mandate word, one of the
    granted seat, one call to the charter's `seat_of` (one read of the member record) —
    50,919 gas as a transaction when the join block was compared (docs/SPEC.md)."""
    appoint(polity, member)
    assert role_book.holds_role.estimate_gas_cost(STEWARD, member) <= 50_919
    assert role_book.holds_role.estimate_gas_cost(STEWARD, founder) <= 36_281


# --- attack 8: roster stuffing ---------------------------------------------------------------


def test_set_min_volunteer_age__by_proposal_records_it_in_the_terms(polity, role_book):
    receipt = set_min_age(polity, AGE)
    assert event_names(receipt) == ["RoleTermsUpdated", "ProposalExecuted"]
    assert event_args(receipt, "RoleTermsUpdated") == [
        {"role": STEWARD, "old": list(TERMS), "new": [TERM, MAX_TERMS, AGE]}
    ]
    assert tuple(role_book.terms(STEWARD)) == (TERM, MAX_TERMS, AGE)
    # Redefining the term and limit keeps the age; setting it to zero lifts the bound.
    receipt = define(polity, term=10 * DAY, max_terms=1)
    assert event_args(receipt, "RoleTermsUpdated")[0]["new"] == [10 * DAY, 1, AGE]
    set_min_age(polity, 0)
    assert tuple(role_book.terms(STEWARD)) == (10 * DAY, 1, 0)


def test_set_min_volunteer_age__largest_accepted_and_one_more_reverts(polity, role_book):
    set_min_age(polity, 2**32 - 1)
    assert role_book.terms(STEWARD).min_volunteer_age_seconds == 2**32 - 1
    fails(
        polity,
        [polity.roles_call("set_min_volunteer_age", STEWARD, 2**32)],
        "roles: volunteer age too long",
    )
    assert role_book.terms(STEWARD).min_volunteer_age_seconds == 2**32 - 1


def test_set_min_volunteer_age__unknown_role_reverts(polity):
    fails(polity, [polity.roles_call("set_min_volunteer_age", STEWARD, AGE)], "roles: unknown role")
    assert tuple(polity.role_book.terms(STEWARD)) == (0, 0, 0)


def test_roster_stuffing__fresh_sybils_under_a_minimum_age_fail(polity, role_book, founders):
    set_min_age(polity, AGE)
    sybils = newcomers(polity, founders[0], 32)
    for sybil in sybils:
        with ape.reverts("roles: member too new to volunteer"):
            role_book.volunteer(STEWARD, sender=sybil)
    assert role_book.roster(STEWARD) == []
    # The founders, members since the founding (more than a week, the proposal's time),
    # volunteer: honest members are not locked out.
    for position, founder in enumerate(founders, start=1):
        receipt = role_book.volunteer(STEWARD, sender=founder)
        assert event_args(receipt, "VolunteerAdded")[0]["position"] == position
    assert role_book.roster(STEWARD) == addresses(*founders)


EDGES = [
    pytest.param(-1, False, id="t-1"),
    pytest.param(0, True, id="t"),
    pytest.param(1, True, id="t+1"),
]


@pytest.mark.parametrize("offset, allowed", EDGES)
def test_roster_stuffing__volunteering_at_the_edge_of_the_minimum_age(
    polity, role_book, newcomer, offset, allowed
):
    set_min_age(polity, AGE)
    polity.charter.join(sender=newcomer)
    joined_at = polity.charter.joined_at(newcomer)
    assert joined_at == now()
    ape.chain.pending_timestamp = joined_at + AGE + offset
    if not allowed:
        with ape.reverts("roles: member too new to volunteer"):
            role_book.volunteer(STEWARD, sender=newcomer)
        assert role_book.roster(STEWARD) == []
        return
    assert event_names(role_book.volunteer(STEWARD, sender=newcomer)) == ["VolunteerAdded"]
    assert now() == joined_at + AGE + offset
    assert role_book.roster(STEWARD) == [newcomer.address]


def test_roster_stuffing__leaving_and_rejoining_starts_the_age_again(
    polity, role_book, founder, newcomer
):
    set_min_age(polity, AGE)
    polity.charter.join(sender=newcomer)
    at(now() + AGE)
    polity.charter.leave(sender=newcomer)
    polity.charter.join(sender=newcomer)  # a new seat, joined now
    with ape.reverts("roles: member too new to volunteer"):
        role_book.volunteer(STEWARD, sender=newcomer)
    role_book.volunteer(STEWARD, sender=founder)  # the founder's seat is as old as ever
    assert role_book.roster(STEWARD) == [founder.address]


def test_roster_stuffing__a_bound_applies_to_its_own_role_only(polity, role_book, newcomer):
    mediator = b"mediator".ljust(32, b"\0")
    define(polity, name=mediator)
    set_min_age(polity, AGE)
    polity.charter.join(sender=newcomer)
    with ape.reverts("roles: member too new to volunteer"):
        role_book.volunteer(STEWARD, sender=newcomer)
    role_book.volunteer(mediator, sender=newcomer)
    assert role_book.roster(mediator) == [newcomer.address]


def test_roster_stuffing__a_stuffed_roster_is_cleared_by_one_proposal(
    make_polity, founders, newcomer
):
    """A long-lived open charter (the founders are two months old) is stuffed by 32 fresh
    accounts; one proposal sets a minimum age and clears the roster. The sybils, a week old
    by then, cannot come back; an honest member volunteers first in line. (The quorum is
    5%: the three founders are 8% of the 35 members; sybils who outvote the honest members
    would decide anything under an open door, which no rule of the role book can change.)"""
    polity = make_polity(quorum_bps=500)
    define(polity)
    role_book = polity.role_book
    at(now() + 60 * DAY)
    sybils = newcomers(polity, founders[0], 32)
    for sybil in sybils:
        role_book.volunteer(STEWARD, sender=sybil)
    assert role_book.roster(STEWARD) == addresses(*sybils)
    polity.charter.join(sender=newcomer)
    with ape.reverts("roles: roster full"):
        role_book.volunteer(STEWARD, sender=founders[1])
    role_book.rotate(STEWARD, sender=founders[2])  # a sybil even holds the role
    assert role_book.holder(STEWARD) == sybils[0].address
    assert role_book.rotation_cursor(STEWARD) == 1

    receipt = polity.run(
        [
            polity.roles_call("set_min_volunteer_age", STEWARD, 30 * DAY),
            polity.roles_call("clear_roster", STEWARD),
        ]
    )
    assert event_names(receipt) == (
        ["RoleTermsUpdated"] + ["VolunteerWithdrawn"] * 32 + ["RosterCleared", "ProposalExecuted"]
    )
    assert [e["volunteer"] for e in event_args(receipt, "VolunteerWithdrawn")] == addresses(*sybils)
    assert event_args(receipt, "RosterCleared") == [{"role": STEWARD, "volunteers": 32}]
    assert role_book.roster(STEWARD) == []
    assert role_book.rotation_cursor(STEWARD) == 0
    assert role_book.next_in_rotation(STEWARD) == ZERO
    # A mandate in force is untouched by clearing (a recall is its own decision).
    assert role_book.holder(STEWARD) == sybils[0].address

    for sybil in sybils[:3]:
        with ape.reverts("roles: member too new to volunteer"):
            role_book.volunteer(STEWARD, sender=sybil)
    receipt = role_book.volunteer(STEWARD, sender=founders[1])
    assert event_args(receipt, "VolunteerAdded") == [
        {"role": STEWARD, "volunteer": founders[1].address, "position": 1}
    ]
    assert role_book.roster(STEWARD) == [founders[1].address]
    # When the sybil's term ends, the honest volunteer rotates in.
    ape.chain.pending_timestamp = role_book.mandate(STEWARD).expires_at
    role_book.rotate(STEWARD, sender=founders[2])
    assert role_book.holder(STEWARD) == founders[1].address


def test_clear_roster__an_empty_roster_clears_to_empty(polity, role_book):
    receipt = clear_roster(polity)
    assert event_names(receipt) == ["RosterCleared", "ProposalExecuted"]
    assert event_args(receipt, "RosterCleared") == [{"role": STEWARD, "volunteers": 0}]
    assert role_book.roster(STEWARD) == []


def test_clear_roster__volunteers_may_volunteer_again_from_the_start(polity, role_book, founders):
    for v in founders:
        role_book.volunteer(STEWARD, sender=v)
    appoint(polity, founders[0])
    assert role_book.rotation_cursor(STEWARD) == 1
    clear_roster(polity)
    with ape.reverts("roles: not a volunteer"):
        role_book.withdraw(STEWARD, sender=founders[1])
    for position, v in enumerate(reversed(founders), start=1):
        receipt = role_book.volunteer(STEWARD, sender=v)
        assert event_args(receipt, "VolunteerAdded")[0]["position"] == position
    assert role_book.roster(STEWARD) == addresses(*reversed(founders))
    assert role_book.holds_role(STEWARD, founders[0])


def test_clear_roster__unknown_role_reverts(polity):
    fails(polity, [polity.roles_call("clear_roster", STEWARD)], "roles: unknown role")

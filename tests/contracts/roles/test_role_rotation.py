"""The role book's volunteers and rotation: the roster and its order, the cursor, withdrawal,
resignation, the consecutive-term limit, the term grid after a lapse, and the steward races
of SECURITY.md 19 (an outgoing, recalled or resigned holder never gets the role back by
rotation)."""

from __future__ import annotations

import ape
import pytest

from tests.contracts.helpers import DAY, ZERO, event_args, event_names
from tests.contracts.role_helpers import (
    STEWARD,
    TERM,
    addresses,
    appoint,
    define,
    mandate,
    now,
    recall,
)


@pytest.fixture
def role_book(polity):
    """The polity's role book with the steward role defined (30-day terms, two in a row)."""
    define(polity)
    return polity.role_book


@pytest.fixture
def cofounder(founders):
    """The third founder (``founder`` and ``member`` are the first two)."""
    return founders[2]


@pytest.fixture
def joined(polity, newcomer):
    """``newcomer`` joined the (open) charter."""
    polity.charter.join(sender=newcomer)
    return newcomer


@pytest.fixture
def roster(role_book, founder, member, cofounder, joined):
    """Four volunteers, in this order: founder, member, cofounder, newcomer."""
    volunteers = [founder, member, cofounder, joined]
    for v in volunteers:
        role_book.volunteer(STEWARD, sender=v)
    return volunteers


def _rotate(book, when=None, sender=None):
    """Rotate at ``when`` (default: the next block); return the receipt."""
    if when is not None:
        ape.chain.pending_timestamp = when
    return book.rotate(STEWARD, sender=sender or ape.accounts.test_accounts[9])


def _lapse(book) -> int:
    """Move to the current mandate's expiry; return it."""
    expiry = book.mandate(STEWARD).expires_at
    ape.chain.pending_timestamp = expiry
    return expiry


# --- volunteering ----------------------------------------------------------------------------


def test_volunteer__joins_the_end_of_the_roster(role_book, founder, member):
    for position, v in enumerate((founder, member), start=1):
        receipt = role_book.volunteer(STEWARD, sender=v)
        assert event_names(receipt) == ["VolunteerAdded"]
        assert event_args(receipt, "VolunteerAdded") == [
            {"role": STEWARD, "volunteer": v.address, "position": position}
        ]
    assert role_book.roster(STEWARD) == addresses(founder, member)
    assert role_book.rotation_cursor(STEWARD) == 0
    assert role_book.next_in_rotation(STEWARD) == founder.address


def test_volunteer__non_member_reverts(role_book, stranger):
    with ape.reverts("roles: not a member"):
        role_book.volunteer(STEWARD, sender=stranger)


def test_volunteer__twice_reverts(role_book, founder):
    role_book.volunteer(STEWARD, sender=founder)
    with ape.reverts("roles: already volunteered"):
        role_book.volunteer(STEWARD, sender=founder)


def test_volunteer__unknown_role_reverts(polity, founder):
    with ape.reverts("roles: unknown role"):
        polity.role_book.volunteer(STEWARD, sender=founder)


def test_volunteer__roster_full_reverts(polity, role_book, accounts, founders, founder, newcomer):
    crowd = list(founders)
    for _ in range(32 - len(founders)):
        account = accounts.generate_test_account()
        founder.transfer(account, 10**17)
        polity.charter.join(sender=account)
        crowd.append(account)
    for v in crowd:
        role_book.volunteer(STEWARD, sender=v)
    assert len(role_book.roster(STEWARD)) == 32
    polity.charter.join(sender=newcomer)
    with ape.reverts("roles: roster full"):
        role_book.volunteer(STEWARD, sender=newcomer)
    role_book.withdraw(STEWARD, sender=crowd[5])
    receipt = role_book.volunteer(STEWARD, sender=newcomer)
    assert event_args(receipt, "VolunteerAdded")[0]["position"] == 32


# --- withdrawal ------------------------------------------------------------------------------


def test_withdraw__keeps_everyone_elses_order(role_book, roster):
    founder, member, cofounder, newcomer = roster
    receipt = role_book.withdraw(STEWARD, sender=member)
    assert event_names(receipt) == ["VolunteerWithdrawn"]
    assert event_args(receipt, "VolunteerWithdrawn") == [
        {"role": STEWARD, "volunteer": member.address}
    ]
    assert role_book.roster(STEWARD) == addresses(founder, cofounder, newcomer)
    # Volunteering again puts one at the end.
    receipt = role_book.volunteer(STEWARD, sender=member)
    assert event_args(receipt, "VolunteerAdded")[0]["position"] == 4
    assert role_book.roster(STEWARD) == addresses(founder, cofounder, newcomer, member)
    role_book.withdraw(STEWARD, sender=founder)
    assert role_book.roster(STEWARD) == addresses(cofounder, newcomer, member)


@pytest.mark.parametrize(
    "leaver, cursor, next_",
    [
        pytest.param(0, 1, 2, id="before the cursor"),
        pytest.param(1, 1, 2, id="the holder, just before the cursor"),
        pytest.param(2, 2, 3, id="the next volunteer"),
        pytest.param(3, 2, 2, id="after the cursor"),
    ],
)
def test_withdraw__keeps_the_cursor_on_the_same_next_volunteer(
    polity, role_book, roster, leaver, cursor, next_
):
    appoint(polity, roster[1])  # the cursor moves after the member: the cofounder is next
    assert role_book.rotation_cursor(STEWARD) == 2
    role_book.withdraw(STEWARD, sender=roster[leaver])
    assert role_book.rotation_cursor(STEWARD) == cursor
    assert role_book.next_in_rotation(STEWARD) == roster[next_].address
    _lapse(role_book)
    _rotate(role_book)
    assert role_book.holder(STEWARD) == roster[next_].address


def test_withdraw__the_last_volunteer_at_the_cursor_wraps_around(polity, role_book, roster):
    founder, _, cofounder, newcomer = roster
    appoint(polity, cofounder)  # the newcomer, last on the roster, is next
    assert role_book.next_in_rotation(STEWARD) == newcomer.address
    role_book.withdraw(STEWARD, sender=newcomer)
    assert role_book.next_in_rotation(STEWARD) == founder.address
    _lapse(role_book)
    _rotate(role_book)
    assert role_book.holder(STEWARD) == founder.address
    assert role_book.rotation_cursor(STEWARD) == 1


def test_withdraw__not_a_volunteer_reverts(polity, role_book, founder):
    with ape.reverts("roles: not a volunteer"):
        role_book.withdraw(STEWARD, sender=founder)
    role_book.volunteer(STEWARD, sender=founder)
    role_book.withdraw(STEWARD, sender=founder)
    with ape.reverts("roles: not a volunteer"):
        role_book.withdraw(STEWARD, sender=founder)


def test_withdraw__always_possible_even_after_leaving_the_charter(polity, role_book, joined):
    role_book.volunteer(STEWARD, sender=joined)
    polity.charter.leave(sender=joined)
    assert event_names(role_book.withdraw(STEWARD, sender=joined)) == ["VolunteerWithdrawn"]
    assert role_book.roster(STEWARD) == []


def test_withdraw__the_holder_keeps_the_mandate(role_book, roster):
    _rotate(role_book)
    role_book.withdraw(STEWARD, sender=roster[0])
    assert role_book.holds_role(STEWARD, roster[0])
    assert role_book.roster(STEWARD) == addresses(*roster[1:])
    assert role_book.next_in_rotation(STEWARD) == roster[1].address


def test_remove_volunteer__anyone_may_remove_one_who_left(polity, role_book, roster, stranger):
    polity.charter.leave(sender=roster[1])
    receipt = role_book.remove_volunteer(STEWARD, roster[1], sender=stranger)
    assert event_args(receipt, "VolunteerWithdrawn") == [
        {"role": STEWARD, "volunteer": roster[1].address}
    ]
    assert role_book.roster(STEWARD) == addresses(roster[0], *roster[2:])


def test_remove_volunteer__of_a_member_by_anyone_but_the_charter_reverts(
    role_book, roster, stranger
):
    for caller in (stranger, roster[0]):
        with ape.reverts("roles: volunteer is a member"):
            role_book.remove_volunteer(STEWARD, roster[1], sender=caller)
    assert role_book.roster(STEWARD) == addresses(*roster)


def test_remove_volunteer__the_charter_may_remove_a_member(polity, role_book, roster):
    polity.run([polity.roles_call("remove_volunteer", STEWARD, roster[2].address)])
    assert role_book.roster(STEWARD) == addresses(*roster[:2], roster[3])


def test_remove_volunteer__someone_not_on_the_roster_reverts(polity, role_book, stranger):
    with ape.reverts("roles: not a volunteer"):
        role_book.remove_volunteer(STEWARD, stranger, sender=stranger)


def test_withdraw__the_last_volunteer_at_the_cursor_wraps_it_to_the_start(role_book, roster):
    _rotate(role_book)
    for _ in range(2):
        _rotate(role_book, role_book.mandate(STEWARD).expires_at)
    assert role_book.holder(STEWARD) == roster[2].address
    assert role_book.rotation_cursor(STEWARD) == 3  # the last volunteer is next
    role_book.withdraw(STEWARD, sender=roster[3])
    assert role_book.rotation_cursor(STEWARD) == 0
    assert role_book.next_in_rotation(STEWARD) == roster[0].address


# --- rotation --------------------------------------------------------------------------------


def test_rotate__first_rotation_starts_now_for_the_first_volunteer(role_book, roster, stranger):
    assert role_book.rotate.call(STEWARD) == roster[0].address
    receipt = _rotate(role_book, sender=stranger)  # anyone may trigger it
    t = now()
    assert event_names(receipt) == ["MandateRotated"]
    assert event_args(receipt, "MandateRotated") == [
        {
            "role": STEWARD,
            "holder": roster[0].address,
            "expires_at": t + TERM,
            "consecutive_terms": 1,
        }
    ]
    assert mandate(role_book) == (roster[0].address, t, t + TERM, 1, False, True)
    assert role_book.rotation_cursor(STEWARD) == 1
    assert role_book.next_in_rotation(STEWARD) == roster[1].address


def test_rotate__while_a_mandate_is_in_force_reverts(role_book, roster):
    _rotate(role_book)
    with ape.reverts("roles: mandate in force"):
        _rotate(role_book)


def test_rotate__unknown_role_reverts(polity, stranger):
    with ape.reverts("roles: unknown role"):
        polity.role_book.rotate(STEWARD, sender=stranger)


def test_rotate__empty_roster_reverts(role_book, stranger):
    assert role_book.next_in_rotation(STEWARD) == ZERO
    with ape.reverts("roles: no eligible volunteer"):
        _rotate(role_book)


def test_rotate__follows_the_roster_from_the_cursor_and_wraps_around(role_book, roster):
    order = roster + roster[:2]
    for i, expected in enumerate(order):
        if i:
            _lapse(role_book)
        assert role_book.next_in_rotation(STEWARD) == expected.address
        _rotate(role_book)
        assert role_book.holder(STEWARD) == expected.address
        assert role_book.mandate(STEWARD).consecutive_terms == 1
        assert role_book.rotation_cursor(STEWARD) == (i + 1) % len(roster)


def test_rotate__skips_volunteers_who_left_the_charter(polity, role_book, roster):
    founder, member, cofounder, newcomer = roster
    _rotate(role_book)
    polity.charter.leave(sender=member)
    _lapse(role_book)
    assert role_book.next_in_rotation(STEWARD) == cofounder.address
    _rotate(role_book)
    assert role_book.holder(STEWARD) == cofounder.address
    assert role_book.roster(STEWARD) == addresses(*roster)  # still listed, only skipped
    assert role_book.rotation_cursor(STEWARD) == 3


def test_rotate__nobody_eligible_when_every_volunteer_left(polity, role_book, joined):
    role_book.volunteer(STEWARD, sender=joined)
    polity.charter.leave(sender=joined)
    assert role_book.next_in_rotation(STEWARD) == ZERO
    with ape.reverts("roles: no eligible volunteer"):
        _rotate(role_book)


def test_rotate__skips_the_holder_at_the_consecutive_term_limit(role_book, founder, member):
    role_book.volunteer(STEWARD, sender=founder)
    for terms in (1, 2):
        if terms > 1:
            _lapse(role_book)
        _rotate(role_book)
        assert mandate(role_book)[0] == founder.address
        assert mandate(role_book)[3] == terms
    _lapse(role_book)
    assert role_book.next_in_rotation(STEWARD) == ZERO
    with ape.reverts("roles: no eligible volunteer"):
        _rotate(role_book)
    role_book.volunteer(STEWARD, sender=member)
    assert role_book.rotation_cursor(STEWARD) == 0  # still at the founder, who is skipped
    assert role_book.next_in_rotation(STEWARD) == member.address
    _rotate(role_book)
    assert (role_book.holder(STEWARD), role_book.mandate(STEWARD).consecutive_terms) == (
        member.address,
        1,
    )
    # Someone else served in between: the founder may serve again, from one.
    _lapse(role_book)
    _rotate(role_book)
    assert (role_book.holder(STEWARD), role_book.mandate(STEWARD).consecutive_terms) == (
        founder.address,
        1,
    )


EDGES = [
    pytest.param(-1, id="t-1"),
    pytest.param(0, id="t"),
    pytest.param(1, id="t+1"),
]


@pytest.mark.parametrize("offset", EDGES)
def test_rotate__at_the_edge_of_expiry(role_book, roster, offset):
    _rotate(role_book)
    expiry = role_book.mandate(STEWARD).expires_at
    if offset < 0:
        with ape.reverts("roles: mandate in force"):
            _rotate(role_book, expiry + offset)
        assert role_book.holds_role(STEWARD, roster[0])
        return
    receipt = _rotate(role_book, expiry + offset)
    assert event_names(receipt) == ["MandateLapsed", "MandateRotated"]
    assert event_args(receipt, "MandateLapsed") == [
        {"role": STEWARD, "holder": roster[0].address, "expired_at": expiry}
    ]
    assert mandate(role_book) == (roster[1].address, expiry, expiry + TERM, 1, False, True)


@pytest.mark.parametrize(
    "late, slot",
    [
        pytest.param(TERM - 1, 0, id="last second of the first slot"),
        pytest.param(TERM, 1, id="first second of the second slot"),
        pytest.param(2 * TERM + 5 * DAY, 2, id="well into the third slot"),
    ],
)
def test_rotate__after_a_lapse_keeps_the_schedule(role_book, roster, late, slot):
    """Late triggering never lengthens a mandate: the new term is the grid slot that holds now."""
    _rotate(role_book)
    expiry = role_book.mandate(STEWARD).expires_at
    receipt = _rotate(role_book, expiry + late)
    start = expiry + slot * TERM
    assert event_args(receipt, "MandateRotated")[0]["expires_at"] == start + TERM
    assert mandate(role_book)[1:3] == (start, start + TERM)
    assert now() - start == late - slot * TERM


def test_rotate__the_same_volunteer_serves_consecutive_terms(role_book, founder):
    role_book.volunteer(STEWARD, sender=founder)
    _rotate(role_book)
    expiry = _lapse(role_book)
    receipt = _rotate(role_book)
    assert event_args(receipt, "MandateRotated") == [
        {
            "role": STEWARD,
            "holder": founder.address,
            "expires_at": expiry + TERM,
            "consecutive_terms": 2,
        }
    ]


@pytest.fixture
def only_founder_then_member(role_book, founder, member):
    """The founder rotated in while alone on the roster; the member volunteered after, so the
    cursor still points at the founder."""
    role_book.volunteer(STEWARD, sender=founder)
    _rotate(role_book)
    role_book.volunteer(STEWARD, sender=member)
    assert role_book.rotation_cursor(STEWARD) == 0
    return role_book.mandate(STEWARD).expires_at


@pytest.mark.parametrize("when", ["before the old expiry", "after the old expiry"])
def test_rotate__after_a_recall_starts_now_and_skips_the_recalled_holder(
    polity, role_book, only_founder_then_member, founder, member, when
):
    recall(polity)
    assert role_book.next_in_rotation(STEWARD) == member.address
    at_time = only_founder_then_member + (5 * DAY if when.startswith("after") else -DAY)
    receipt = _rotate(role_book, at_time)
    assert event_names(receipt) == ["MandateRotated"]  # a recall is no lapse
    assert mandate(role_book) == (member.address, at_time, at_time + TERM, 1, False, True)


@pytest.mark.parametrize("when", ["before the old expiry", "after the old expiry"])
def test_rotate__after_a_resignation_starts_now_and_skips_the_resigned_holder(
    role_book, only_founder_then_member, founder, member, when
):
    role_book.resign(STEWARD, sender=founder)
    assert role_book.next_in_rotation(STEWARD) == member.address
    at_time = only_founder_then_member + (5 * DAY if when.startswith("after") else -DAY)
    receipt = _rotate(role_book, at_time)
    assert event_names(receipt) == ["MandateRotated"]
    assert mandate(role_book) == (member.address, at_time, at_time + TERM, 1, False, True)


def test_rotate__a_recalled_holder_alone_on_the_roster_is_never_rotated_back(
    polity, role_book, founder
):
    role_book.volunteer(STEWARD, sender=founder)
    _rotate(role_book)
    recall(polity)
    _lapse(role_book)
    assert role_book.next_in_rotation(STEWARD) == ZERO
    with ape.reverts("roles: no eligible volunteer"):
        _rotate(role_book)


def test_rotate__after_the_holder_left_starts_now(polity, role_book, roster):
    """The mandate ended when its holder left; the next term starts at the rotation. (The
    lapse is reported at the rotation, not at the expiry the mandate had, still ahead.)"""
    founder, member, cofounder, newcomer = roster
    appoint(polity, newcomer)  # the founder is next
    expiry = role_book.mandate(STEWARD).expires_at
    polity.charter.leave(sender=newcomer)
    receipt = _rotate(role_book, expiry - 5 * DAY)
    assert event_names(receipt) == ["MandateLapsed", "MandateRotated"]
    assert event_args(receipt, "MandateLapsed") == [
        {"role": STEWARD, "holder": newcomer.address, "expired_at": expiry - 5 * DAY}
    ]
    t = expiry - 5 * DAY
    assert mandate(role_book) == (founder.address, t, t + TERM, 1, False, True)


# --- resignation -----------------------------------------------------------------------------


def test_resign__ends_the_holders_mandate_now(polity, role_book, roster):
    _rotate(role_book)
    started, expiry = mandate(role_book)[1:3]
    receipt = role_book.resign(STEWARD, sender=roster[0])
    assert event_names(receipt) == ["MandateResigned"]
    assert event_args(receipt, "MandateResigned") == [
        {"role": STEWARD, "holder": roster[0].address}
    ]
    assert mandate(role_book) == (roster[0].address, started, expiry, 1, True, False)
    assert not role_book.holds_role(STEWARD, roster[0])
    assert not polity.charter.holds_role(STEWARD, roster[0])
    assert role_book.holder(STEWARD) == ZERO


def test_resign__always_possible_for_an_appointed_holder_off_the_roster(polity, role_book, member):
    appoint(polity, member)
    assert role_book.roster(STEWARD) == []
    assert event_names(role_book.resign(STEWARD, sender=member)) == ["MandateResigned"]
    assert not role_book.holds_role(STEWARD, member)


@pytest.mark.parametrize(
    "case", ["never filled", "another member", "a stranger", "after the term", "twice"]
)
def test_resign__by_anyone_but_the_holder_reverts(role_book, roster, stranger, case):
    holder = roster[0]
    sender = holder
    if case != "never filled":
        _rotate(role_book)
    if case == "another member":
        sender = roster[1]
    elif case == "a stranger":
        sender = stranger
    elif case == "after the term":
        _lapse(role_book)
    elif case == "twice":
        role_book.resign(STEWARD, sender=holder)
    with ape.reverts("roles: not the holder"):
        role_book.resign(STEWARD, sender=sender)


# --- steward races (SECURITY.md 19) ----------------------------------------------------------


def test_steward_race__outgoing_holder_cannot_rotate_early_or_to_themselves(role_book, roster):
    outgoing = roster[0]
    _rotate(role_book)
    expiry = role_book.mandate(STEWARD).expires_at
    with ape.reverts("roles: mandate in force"):
        _rotate(role_book, expiry - 1, sender=outgoing)
    _rotate(role_book, expiry, sender=outgoing)  # at expiry, their rotation serves the next
    assert role_book.holder(STEWARD) == roster[1].address
    assert not role_book.holds_role(STEWARD, outgoing)


def test_steward_race__recalled_holder_cannot_resign_and_the_role_moves_on(
    polity, role_book, roster
):
    _rotate(role_book)
    recall(polity)
    with ape.reverts("roles: not the holder"):
        role_book.resign(STEWARD, sender=roster[0])
    _rotate(role_book, sender=roster[0])
    assert role_book.holder(STEWARD) == roster[1].address

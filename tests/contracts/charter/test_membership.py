"""Membership: joining by each admission policy, leaving, sponsoring, delegating."""

from __future__ import annotations

import ape

from tests.contracts.helpers import (
    BY_SPONSORSHIP,
    BY_VOTE,
    ZERO,
    delegate,
    event_args,
    event_names,
    helper,
)


def test_join__open_admission(charter, newcomer, chain):
    receipt = charter.join(sender=newcomer)
    assert charter.is_member(newcomer)
    assert charter.member_count() == 4
    assert charter.joined_block(newcomer) == receipt.block_number
    assert charter.joined_at(newcomer) == chain.blocks.head.timestamp
    assert event_args(receipt, "MemberJoined") == [{"member": newcomer.address, "member_count": 4}]


def test_join__twice_reverts(charter, founder):
    with ape.reverts("charter: already a member"):
        charter.join(sender=founder)


def test_join__by_vote_without_invitation_reverts(make_polity, newcomer):
    charter = make_polity(admission=BY_VOTE).charter
    with ape.reverts("charter: invitation required"):
        charter.join(sender=newcomer)


def test_join__by_vote_after_admit_proposal(make_polity, newcomer):
    polity = make_polity(admission=BY_VOTE)
    receipt = polity.run([polity.call("admit", newcomer.address)])
    assert event_args(receipt, "MemberInvited") == [
        {"account": newcomer.address, "by": polity.charter.address}
    ]
    assert polity.charter.is_invited(newcomer)
    polity.charter.join(sender=newcomer)
    assert polity.charter.is_member(newcomer) and not polity.charter.is_invited(newcomer)


def test_admit__zero_address_reverts_execution(make_polity):
    polity = make_polity(admission=BY_VOTE)
    action = polity.call("admit", ZERO)
    pid = polity.passed([action])
    with ape.reverts("charter: zero address"):
        polity.execute(pid, [action])


def test_admit__member_reverts_execution(make_polity, member):
    polity = make_polity(admission=BY_VOTE)
    action = polity.call("admit", member.address)
    pid = polity.passed([action])
    with ape.reverts("charter: already a member"):
        polity.execute(pid, [action])


def test_sponsor__invites_and_join_accepts(make_polity, member, newcomer):
    charter = make_polity(admission=BY_SPONSORSHIP).charter
    with ape.reverts("charter: invitation required"):
        charter.join(sender=newcomer)
    receipt = charter.sponsor(newcomer, sender=member)
    assert event_args(receipt, "MemberInvited") == [
        {"account": newcomer.address, "by": member.address}
    ]
    charter.join(sender=newcomer)
    assert charter.is_member(newcomer)


def test_sponsor__not_allowed_under_open_admission_reverts(charter, member, newcomer):
    with ape.reverts("charter: sponsorship not allowed"):
        charter.sponsor(newcomer, sender=member)


def test_sponsor__by_non_member_reverts(make_polity, stranger, newcomer):
    charter = make_polity(admission=BY_SPONSORSHIP).charter
    with ape.reverts("charter: not a member"):
        charter.sponsor(newcomer, sender=stranger)


def test_sponsor__zero_address_reverts(make_polity, member):
    charter = make_polity(admission=BY_SPONSORSHIP).charter
    with ape.reverts("charter: zero address"):
        charter.sponsor(ZERO, sender=member)


def test_sponsor__member_reverts(make_polity, member, founder):
    charter = make_polity(admission=BY_SPONSORSHIP).charter
    with ape.reverts("charter: already a member"):
        charter.sponsor(founder, sender=member)


def test_leave__always_works_and_rejoin_is_a_new_membership(charter, member, founder):
    delegate(charter, member, founder)
    receipt = charter.leave(sender=member)
    assert event_names(receipt) == ["DelegateChanged", "DelegateVotesChanged", "MemberLeft"]
    assert not charter.is_member(member) and charter.member_count() == 2
    assert charter.delegate_of(member) == ZERO
    assert charter.joined_block(member) == 0 and charter.joined_at(member) == 0
    receipt = charter.join(sender=member)
    assert charter.joined_block(member) == receipt.block_number


def test_leave__by_non_member_reverts(charter, stranger):
    with ape.reverts("charter: not a member"):
        charter.leave(sender=stranger)


def test_too_many_members__harness_reverts(stranger, newcomer, other):
    """The 2**32 - 1 limit (packed 32-bit tallies) through the membership module itself."""
    harness = stranger.deploy(helper("MembershipHarness"))
    harness.set_counts(2**32 - 2, 5, sender=stranger)
    harness.join(newcomer, sender=stranger)
    assert harness.member_count() == 2**32 - 1
    with ape.reverts("charter: too many members"):
        harness.join(other, sender=stranger)


def test_seat_list_full__harness_reverts(stranger, newcomer, other):
    """Seats are numbered in 40 bits: the 2**40 - 1st join is the last."""
    harness = stranger.deploy(helper("MembershipHarness"))
    harness.set_counts(0, 2**40 - 2, sender=stranger)
    harness.join(newcomer, sender=stranger)
    assert harness.seat_count() == 2**40 - 1
    with ape.reverts("charter: seat list full"):
        harness.join(other, sender=stranger)


# --- delegation ----------------------------------------------------------------------------


def test_delegate__and_undelegate(charter, founder, member):
    receipt = delegate(charter, founder, member)
    assert charter.delegate_of(founder) == member.address
    assert charter.carried_voices(member) == 1
    assert event_args(receipt, "DelegateChanged") == [
        {"delegator": founder.address, "fromDelegate": ZERO, "toDelegate": member.address}
    ]
    assert event_args(receipt, "DelegateVotesChanged") == [
        {"delegate": member.address, "previousVotes": 0, "newVotes": 1}
    ]
    charter.undelegate(sender=founder)
    assert charter.delegate_of(founder) == ZERO and charter.carried_voices(member) == 0


def test_delegate__to_self_reverts(charter, founder):
    with ape.reverts("charter: cannot delegate to self"):
        delegate(charter, founder, founder)


def test_delegate__to_non_member_reverts(charter, founder, stranger):
    with ape.reverts("charter: delegate not a member"):
        delegate(charter, founder, stranger)


def test_delegate__by_non_member_reverts(charter, founder, stranger):
    with ape.reverts("charter: not a member"):
        delegate(charter, stranger, founder)


def test_delegate__unchanged_reverts(charter, founder, member):
    delegate(charter, founder, member)
    with ape.reverts("charter: delegate unchanged"):
        delegate(charter, founder, member)


def test_undelegate__without_delegate_reverts(charter, founder):
    with ape.reverts("charter: delegate unchanged"):
        charter.undelegate(sender=founder)


def test_undelegate__by_non_member_reverts(charter, stranger):
    with ape.reverts("charter: not a member"):
        charter.undelegate(sender=stranger)

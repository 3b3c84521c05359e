"""A federation: a charter whose members are charters. A member charter votes as a body (by
executing its own proposal) or through the current holder of its "delegate" role; its own vote
replaces its delegate's, in every order, and each voice counts once."""

from __future__ import annotations

from typing import Any

import ape
import pytest
from eth_abi import encode
from eth_utils import function_signature_to_4byte_selector

from tests.contracts.helpers import (
    ABSTAIN,
    AGAINST,
    DAY,
    FOR,
    Action,
    Polity,
    columns,
    delegate,
    doc,
    event_args,
    event_names,
    params,
    role,
)

DELEGATE = role("delegate")
TERM = 30 * DAY


def tally(federation: Polity, pid: int) -> tuple[int, int, int]:
    p = federation.charter.proposal(pid)
    return p.against_votes, p.for_votes, p.abstain_votes


@pytest.fixture
def people(accounts: Any) -> list[Any]:
    return list(accounts[:6])


@pytest.fixture
def members(system: Any, people: list[Any]) -> list[Polity]:
    """Three member charters (one-day votes, so they can act within a federation vote), each
    with two people and a "delegate" role held by its first person."""
    out = []
    for i in range(3):
        folk = people[2 * i : 2 * i + 2]
        polity = Polity.found(
            system, folk, name=f"Member {i}", parameters=params(voting_period=DAY)
        )
        polity.run(
            [
                polity.roles_call("define_role", DELEGATE, TERM, 2),
                polity.roles_call("appoint", DELEGATE, folk[0].address),
            ]
        )
        out.append(polity)
    return out


@pytest.fixture
def federation(system: Any, members: list[Polity], people: list[Any]) -> Polity:
    polity = Polity.found(system, [m.charter for m in members], sender=people[0], name="Federation")
    ape.chain.mine()  # the members joined in an earlier block than any proposal
    return polity


def as_body(member: Polity, federation: Polity, method: str, *args: Any) -> Any:
    """The member charter calls the federation by executing its own proposal."""
    action = Action(
        federation.charter.address, getattr(federation.charter, method).encode_input(*args)
    )
    return member.run([action])


@pytest.fixture
def pid(federation: Polity, members: list[Polity]) -> int:
    """A federation proposal, made by the first member charter as a body."""
    actions = [federation.call("set_concord", doc("federal concord"))]
    receipt = as_body(members[0], federation, "propose", *columns(actions), doc("why"))
    created = [e for e in receipt.events if e.event_name == "ProposalCreated"]
    return created[0].proposalId


def delegate_of(member: Polity) -> Any:
    return member.founders[0]


def test_the_delegate_votes_for_its_charter(federation, members, pid) -> None:
    a = members[0]
    receipt = federation.charter.cast_vote_as_delegate(a.charter, pid, FOR, sender=delegate_of(a))
    assert event_names(receipt) == ["VoteCast", "DelegateBallotCast"]
    assert event_args(receipt, "VoteCast")[0]["voter"] == a.charter.address
    cast = event_args(receipt, "DelegateBallotCast")[0]
    assert (cast["member"], cast["delegate"]) == (a.charter.address, delegate_of(a).address)
    assert tally(federation, pid) == (0, 1, 0)
    assert federation.charter.has_voted(pid, a.charter)
    assert federation.charter.voted_by_delegate(pid, a.charter)


def test_only_the_current_holder_of_the_delegate_role_votes(
    federation, members, pid, people
) -> None:
    a = members[0]
    for outsider in (a.founders[1], delegate_of(members[1])):
        with ape.reverts("charter: not a delegate of the member"):
            federation.charter.cast_vote_as_delegate(a.charter, pid, FOR, sender=outsider)
    assert tally(federation, pid) == (0, 0, 0)


def test_a_person_member_has_no_delegate(system, people) -> None:
    polity = Polity.found(system, people[:3])
    ape.chain.mine()
    pid = polity.propose(people[0], [polity.call("set_concord", doc("x"))])
    with ape.reverts("charter: not a delegate of the member"):
        polity.charter.cast_vote_as_delegate(people[1], pid, FOR, sender=people[0])


def test_a_recalled_delegate_cannot_vote(federation, members, pid) -> None:
    a = members[0]
    a.run([a.roles_call("recall", DELEGATE)])
    with ape.reverts("charter: not a delegate of the member"):
        federation.charter.cast_vote_as_delegate(a.charter, pid, FOR, sender=delegate_of(a))


def test_an_expired_delegate_cannot_vote(system, members, people) -> None:
    a = members[0]
    ape.chain.pending_timestamp += TERM  # the delegate's mandate ends
    federation = Polity.found(system, [m.charter for m in members], sender=people[0])
    ape.chain.mine()
    actions = [federation.call("set_concord", doc("late"))]
    receipt = as_body(members[1], federation, "propose", *columns(actions), doc("why"))
    pid = [e for e in receipt.events if e.event_name == "ProposalCreated"][0].proposalId
    with ape.reverts("charter: not a delegate of the member"):
        federation.charter.cast_vote_as_delegate(a.charter, pid, FOR, sender=delegate_of(a))


def test_the_charter_s_own_vote_replaces_its_delegate_s(federation, members, pid) -> None:
    a = members[0]
    federation.charter.cast_vote_as_delegate(a.charter, pid, FOR, sender=delegate_of(a))
    receipt = as_body(a, federation, "cast_vote", pid, AGAINST)
    names = [
        e.event_name for e in receipt.events if e.contract_address == federation.charter.address
    ]
    assert names == ["DelegateBallotReplaced", "VoteCast"]
    assert tally(federation, pid) == (1, 0, 0)
    assert not federation.charter.voted_by_delegate(pid, a.charter)
    # Once replaced, neither the delegate nor the charter votes again.
    with ape.reverts("charter: already voted"):
        federation.charter.cast_vote_as_delegate(a.charter, pid, FOR, sender=delegate_of(a))
    action = Action(federation.charter.address, federation.charter.cast_vote.encode_input(pid, FOR))
    fails = a.passed([action])
    with ape.reverts("charter: already voted"):
        a.execute(fails, [action])
    assert tally(federation, pid) == (1, 0, 0)


def test_a_delegate_cannot_override_its_charter(federation, members, pid) -> None:
    a = members[0]
    as_body(a, federation, "cast_vote", pid, AGAINST)
    with ape.reverts("charter: already voted"):
        federation.charter.cast_vote_as_delegate(a.charter, pid, FOR, sender=delegate_of(a))
    assert tally(federation, pid) == (1, 0, 0)


def test_a_new_delegate_votes_once_for_the_charter(federation, members, pid, people) -> None:
    """A delegate appointed after a recall votes, if nobody voted for the charter yet; a
    replacement of a delegate who did vote cannot vote a second time."""
    a, b = members[0], members[1]
    a.run(
        [a.roles_call("recall", DELEGATE), a.roles_call("appoint", DELEGATE, a.founders[1].address)]
    )
    with ape.reverts("charter: not a delegate of the member"):
        federation.charter.cast_vote_as_delegate(a.charter, pid, FOR, sender=a.founders[0])
    federation.charter.cast_vote_as_delegate(a.charter, pid, FOR, sender=a.founders[1])
    assert tally(federation, pid) == (0, 1, 0)

    federation.charter.cast_vote_as_delegate(b.charter, pid, AGAINST, sender=delegate_of(b))
    b.run(
        [b.roles_call("recall", DELEGATE), b.roles_call("appoint", DELEGATE, b.founders[1].address)]
    )
    with ape.reverts("charter: already voted"):
        federation.charter.cast_vote_as_delegate(b.charter, pid, FOR, sender=b.founders[1])
    assert tally(federation, pid) == (1, 1, 0)


@pytest.mark.parametrize(
    "order",
    [
        "delegate, delegator, member",  # the delegator takes back from the delegate's support
        "delegate, member, delegator",  # ... and after the replacement, from the member's
        "delegator, delegate, member",  # the delegator voted first: the weight was one already
    ],
)
def test_carried_voices_move_with_the_replacement(federation, members, order) -> None:
    """B delegated its voice (within the federation) to A. However A's delegate, A itself and
    B vote, each voice counts once and ends where its own holder put it."""
    a, b = members[0], members[1]
    # (ape's own `delegate` attribute shadows the contract method: encode by hand)
    calldata = function_signature_to_4byte_selector("delegate(address)") + encode(
        ["address"], [a.charter.address]
    )
    action = Action(federation.charter.address, calldata)
    b.run([action])
    ape.chain.mine()
    actions = [federation.call("set_concord", doc("federal concord"))]
    receipt = as_body(members[2], federation, "propose", *columns(actions), doc("why"))
    pid = [e for e in receipt.events if e.event_name == "ProposalCreated"][0].proposalId
    steps = {
        "delegate": lambda: federation.charter.cast_vote_as_delegate(
            a.charter, pid, FOR, sender=delegate_of(a)
        ),
        "member": lambda: as_body(a, federation, "cast_vote", pid, ABSTAIN),
        "delegator": lambda: as_body(b, federation, "cast_vote", pid, AGAINST),
    }
    for step in order.split(", "):
        steps[step]()
    # A's voice where A put it (abstain), B's where B put it (against); nothing left for.
    assert tally(federation, pid) == (1, 0, 1)


def test_a_member_charter_leaves_the_federation_by_its_own_proposal(
    federation, members, pid
) -> None:
    a = members[0]
    federation.charter.cast_vote_as_delegate(a.charter, pid, FOR, sender=delegate_of(a))
    as_body(a, federation, "leave")
    assert not federation.charter.is_member(a.charter)
    assert federation.charter.member_count() == 2


def test_delegation_within_a_federation_does_not_touch_plain_delegation(system, people) -> None:
    """Among people, a delegate's vote and a delegator's later direct vote still count once."""
    polity = Polity.found(system, people[:3])
    delegate(polity.charter, people[1], people[0])
    ape.chain.mine()
    pid = polity.propose(people[2], [polity.call("set_concord", doc("x"))])
    polity.charter.cast_vote(pid, FOR, sender=people[0])
    polity.charter.cast_vote(pid, AGAINST, sender=people[1])
    assert tally(polity, pid) == (1, 1, 0)

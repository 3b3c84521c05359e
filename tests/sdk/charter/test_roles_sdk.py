"""A charter's role book is the only judge of its rules: a refused call raises the book's own
typed reason and sends nothing; a dry run answers without sending. In-process and against a
real anvil node."""

from __future__ import annotations

from datetime import timedelta

import pytest
from panarchy import errors
from panarchy.chain import Simulation

from tests.sdk.charter.test_charter_sdk import pass_proposal


@pytest.fixture
def charter(make_charter):
    return make_charter()


@pytest.fixture
def roles(chain, charter, founders, store):
    """A steward role (30-day terms), held by Bo."""
    actions = [
        charter.actions.define_role("steward", timedelta(days=30), 2),
        charter.actions.appoint("steward", founders[1].address),
    ]
    pass_proposal(chain, charter, store, actions, founders)
    return charter.roles


def _nonce(chain, account):
    return chain.w3.eth.get_transaction_count(account.address)


def test_roles__dry_runs_answer_and_send_nothing(chain, roles, founders, stranger):
    ada, bo, cy = founders
    before = {a.address: _nonce(chain, a) for a in (ada, bo, cy, stranger)}
    block = chain.w3.eth.block_number
    joins = roles.volunteer(cy, "steward", dry_run=True)
    assert isinstance(joins, Simulation) and joins.gas > 21_000
    assert isinstance(roles.resign(bo, "steward", dry_run=True), Simulation)
    with pytest.raises(errors.NotAMemberForRole, match="roles: not a member"):
        roles.volunteer(stranger, "steward", dry_run=True)
    with pytest.raises(errors.NotAVolunteer, match="roles: not a volunteer"):
        roles.withdraw(cy, "steward", dry_run=True)
    with pytest.raises(errors.MandateInForce, match="roles: mandate in force"):
        roles.rotate(stranger, "steward", dry_run=True)
    with pytest.raises(errors.NotTheHolder, match="roles: not the holder"):
        roles.resign(cy, "steward", dry_run=True)
    with pytest.raises(errors.UnknownRole, match="roles: unknown role"):
        roles.volunteer(cy, "mediator", dry_run=True)
    assert {a.address: _nonce(chain, a) for a in (ada, bo, cy, stranger)} == before
    assert chain.w3.eth.block_number == block
    assert roles.roster("steward") == [] and roles.holder("steward") == bo.address

    roles.volunteer(cy, "steward")
    assert isinstance(roles.withdraw(cy, "steward", dry_run=True), Simulation)
    chain.advance(timedelta(days=30))
    rotates = roles.rotate(stranger, "steward", dry_run=True)
    assert rotates.result == cy.address  # who a rotation would pick: the book's answer
    assert roles.holder("steward") is None
    assert roles.rotate(stranger, "steward") == cy.address


def test_roles__a_refused_write_raises_the_books_reason_and_sends_nothing(
    chain, roles, founders, stranger
):
    ada, bo, cy = founders
    before = (_nonce(chain, stranger), _nonce(chain, cy))
    # The book asks "still a member?" before "on the roster?".
    with pytest.raises(errors.RoleError) as refused:
        roles.remove_volunteer(stranger, "steward", cy.address)
    assert isinstance(refused.value, errors.VolunteerIsAMember)
    with pytest.raises(errors.NotAVolunteer, match="roles: not a volunteer"):
        roles.remove_volunteer(cy, "steward", stranger.address)
    roles.volunteer(cy, "steward")
    with pytest.raises(errors.AlreadyVolunteered):
        roles.volunteer(cy, "steward")
    assert (_nonce(chain, stranger), _nonce(chain, cy)) == (before[0], before[1] + 1)


@pytest.mark.parametrize(
    ("term", "count", "reason"),
    [
        pytest.param(timedelta(0), 2, "roles: zero term", id="zero term"),
        pytest.param(timedelta(seconds=2**32), 2, "roles: term too long", id="term over 32 bits"),
        pytest.param(timedelta(days=1), 0, "roles: zero consecutive terms", id="zero terms"),
        pytest.param(
            timedelta(days=1), 256, "roles: too many consecutive terms", id="terms over 8 bits"
        ),
    ],
)
def test_role_actions__terms_are_judged_by_the_book_as_the_charter(
    chain, charter, term, count, reason
):
    """Building the action simulates it as the charter (the caller it has at execution):
    the role book's own reason, before anything is proposed."""
    block = chain.w3.eth.block_number
    with pytest.raises(errors.InvalidRoleTerms, match=reason) as refused:
        charter.actions.define_role("mediator", term, count)
    assert refused.value.reason == reason
    assert chain.w3.eth.block_number == block


def test_role_actions__volunteer_age_is_judged_by_the_book_defined_or_not(chain, roles, charter):
    too_long = timedelta(seconds=2**32)
    for role in ("steward", "mediator"):  # defined, and not yet (a stand-in defines it)
        with pytest.raises(errors.InvalidRoleTerms, match="roles: volunteer age too long"):
            charter.actions.set_min_volunteer_age(role, too_long)
        action = charter.actions.set_min_volunteer_age(role, timedelta(days=3))
        assert action.target == roles.address
    assert roles.terms("mediator") is None  # the simulation changed nothing
    with pytest.raises(errors.ConfigurationError, match="cannot be negative"):
        charter.actions.set_min_volunteer_age("steward", timedelta(seconds=-1))

"""A charter's role book is the only judge of its rules: a refused call raises the book's own
typed reason and sends nothing; a dry run answers without sending. In-process and against a
real anvil node."""

from __future__ import annotations

from datetime import timedelta

import pytest
from panarchy import errors
from panarchy.chain import Simulation

from .test_charter_sdk import pass_proposal


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

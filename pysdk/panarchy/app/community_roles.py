"""The demo community's role: a mediator appointed through a passed proposal, so the web
app has a mandate (its end and countdown) to show."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from eth_account.signers.local import LocalAccount

from panarchy.charter import Charter
from panarchy.charter.types import Support

#: The demo's role and its term: two weeks, so the mandate ends within the revision cycle
#: it starts in (the member's "what needs me" page lists it).
ROLE = "mediator"
TERM = timedelta(days=14)


def seed_roles(
    charter: Charter,
    people: dict[str, LocalAccount],
    doc: Callable[[str, str, str], str],
    advance: Callable[[timedelta], object],
) -> str:
    """Define the mediator role and appoint Cy to it by a proposal Ada, Bo and Dee pass;
    return the role's name. Moves the chain's time past the proposal's vote."""
    ada, bo, cy, dee = (people[name] for name in ("Ada", "Bo", "Cy", "Dee"))
    proposal = charter.propose(
        ada,
        [
            charter.actions.define_role(ROLE, TERM, 2),
            charter.actions.appoint(ROLE, cy.address),
        ],
        doc(
            "proposal",
            "A mediator",
            "Cy listens when two of us disagree, for two weeks; then someone else may.",
        ),
    )
    for voter in (ada, bo, dee):
        charter.vote(voter, proposal.id, Support.FOR)
    advance(charter.parameters.voting_period)
    charter.execute(ada, proposal.id)
    return ROLE

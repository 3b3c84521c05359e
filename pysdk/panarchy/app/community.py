"""A small community for the web app to show: clauses in force, a proposal in flight, a
solidarity fund and a savings circle."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from eth_account.signers.local import LocalAccount

from panarchy.app.community_funds import seed_funds
from panarchy.app.community_roles import seed_roles
from panarchy.chain import Chain, dev_accounts
from panarchy.charter import Charter
from panarchy.charter.types import Support
from panarchy.deploy import DeploymentRecord, deploy_charter
from panarchy.documents import Document, DocumentStore, store_document
from panarchy.funds import Fund, SavingsCircle


@dataclass(frozen=True)
class Community:
    """What :func:`seed_community` leaves on chain."""

    charter: Charter
    members: dict[str, LocalAccount]  # by name: Ada, Bo, Cy, Dee (members); Eve (not)
    open_proposal: int  # active: Ada voted for, the others have not voted
    factory: str  # the CharterFactory (the app finds the charter's funds from its events)
    fund: Fund  # a solidarity fund in ETH, Bo its steward (see community_funds.py)
    circle: SavingsCircle  # a savings circle, two rounds settled, Dee behind
    role: str  # the role Cy holds a mandate of (see community_roles)


def seed_community(chain: Chain, store: DocumentStore, deployments: Path) -> Community:
    """Found "Riverside Commons" (Ada, Bo, Cy; Dee joins), enact two clauses through a
    passed proposal, and open a second proposal that is still being voted on.

    Needs a development chain (it moves time forward past the first vote).
    """
    ada, bo, cy, dee, eve = dev_accounts()[:5]

    def doc(kind: str, title: str, body: str) -> str:
        return store_document(store, Document(kind=kind, title=title, body=body))

    concord = doc(
        "concord",
        "Riverside Commons concord",
        "We share tools, a garden and our evenings. Every rule here expires unless we "
        "choose it again; anyone may leave at any time.",
    )
    charter, _ = deploy_charter(
        chain,
        ada,
        DeploymentRecord.for_chain(chain, deployments),
        name="Riverside Commons",
        concord_cid=concord,
        founders=[ada.address, bo.address, cy.address],
    )
    charter.join(dee)
    first = charter.propose(
        ada,
        [
            charter.actions.enact_clause(doc("clause", "Quiet hours", "22:00 to 07:00."), 1),
            charter.actions.enact_clause(doc("clause", "Shared tools", "Return them clean."), 2),
        ],
        doc("proposal", "Our first clauses", "Quiet hours and the tools rule."),
    )
    for voter in (ada, bo, dee):
        charter.vote(voter, first.id, Support.FOR)
    chain.advance(charter.parameters.voting_period)
    charter.execute(cy, first.id)
    role = seed_roles(
        charter,
        dict(zip(("Ada", "Bo", "Cy", "Dee"), (ada, bo, cy, dee), strict=True)),
        doc,
        chain.advance,
    )
    funds = seed_funds(chain, store, deployments, charter)  # a week passes: see community_funds
    second = charter.propose(
        bo,
        [charter.actions.enact_clause(doc("clause", "Garden rota", "One week in four."), 3)],
        doc("proposal", "A garden rota", "Each member waters the garden one week in four."),
    )
    charter.vote(ada, second.id, Support.FOR)
    people = {"Ada": ada, "Bo": bo, "Cy": cy, "Dee": dee, "Eve": eve}
    return Community(charter=charter, members=people, open_proposal=second.id,
                     factory=funds.factory, fund=funds.fund, circle=funds.circle,
                     role=role)  # fmt: skip

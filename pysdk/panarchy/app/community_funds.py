"""The demo community's money: a solidarity fund with a steward, and a savings circle.

Seeded by :func:`seed_funds` from :func:`~panarchy.app.community.seed_community`, right after
the first proposal executes (it needs a second one, voted and executed, to give Bo the
steward's mandate and a limit, and it moves the chain's clock a week forward for it). The
circle's rounds run during that week: two are settled, a third is open, and Dee is behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from panarchy.chain import Chain, dev_accounts
from panarchy.charter import Charter
from panarchy.charter.types import Support
from panarchy.deploy import DeploymentRecord
from panarchy.documents import Document, DocumentStore, store_document
from panarchy.errors import ConfigurationError
from panarchy.funds import Fund, FundLimits, SavingsCircle

ETHER = 10**18
#: A round of the demo circle: three days, so two settle within the steward's vote.
ROUND = timedelta(days=3)


@dataclass(frozen=True)
class DemoFunds:
    """What :func:`seed_funds` leaves on chain."""

    factory: str  # the CharterFactory that made the charter, the fund and the circle
    fund: Fund  # ETH; Bo is its steward
    circle: SavingsCircle  # Ada, Bo, Cy, Dee; Dee is behind


def seed_funds(
    chain: Chain, store: DocumentStore, deployments: Path, charter: Charter
) -> DemoFunds:
    """Create the fund (contributions before and after the steward is appointed, one
    disbursement by the steward) and the circle (rounds 1 and 2 paid to Ada and Bo; Dee
    paid only round 1; round 3 open). Needs a development chain (it moves time forward)."""
    ada, bo, cy, dee, eve = dev_accounts()[:5]
    factory = DeploymentRecord.for_chain(chain, deployments).address("CharterFactory")
    if not factory:
        raise ConfigurationError(f"no CharterFactory recorded in {deployments}")

    def memo(title: str, body: str, kind: str = "memo") -> str:
        return store_document(store, Document(kind=kind, title=title, body=body))

    def until(moment: int) -> None:
        now = chain.timestamp()
        if moment > now:
            chain.advance(moment - now)

    # A member's fund starts with no steward limit: the charter gives one by proposal.
    fund = Fund.create(
        chain, ada, factory=factory, charter=charter, limits=FundLimits(contribution_cap=ETHER)
    )
    circle = SavingsCircle.create(
        chain,
        ada,
        factory=factory,
        charter=charter,
        participants=[ada.address, bo.address, cy.address, dee.address],
        contribution=ETHER // 10,
        round_length=ROUND,
    )
    start = int(circle.start.timestamp())
    round_seconds = int(ROUND.total_seconds())
    for who in (ada, bo, cy, dee):
        circle.contribute(who)
    fund.contribute(ada, ETHER // 2, memo("Ada's gift", "For the tool shed."))
    steward = charter.propose(
        ada,
        [
            charter.actions.define_role("steward", timedelta(days=30), 2),
            charter.actions.appoint("steward", bo.address),
            fund.actions.set_limits(FundLimits(ETHER, steward_limit=4 * ETHER // 10)),
        ],
        memo("A steward", "Bo keeps the fund; up to 0.4 ETH a month.", "proposal"),
    )
    for voter in (ada, bo, cy, dee):
        charter.vote(voter, steward.id, Support.FOR)
    chain.advance(timedelta(days=1))
    fund.contribute(dee, 3 * ETHER // 10, memo("Dee's share", "Garden money."))
    chain.advance(timedelta(days=1))
    fund.contribute(eve, ETHER // 5)  # not a member: the fund is open to friends

    until(start + round_seconds)  # round 1 is over: Ada receives it
    circle.settle(cy)
    for who in (ada, bo, cy):  # Dee does not pay round 2
        circle.contribute(who)
    until(start + 2 * round_seconds)  # round 2 is over: Bo receives it (Dee is behind)
    circle.settle(cy)
    for who in (ada, bo, cy):
        circle.contribute(who)

    until(int(steward.vote_end.timestamp()) + 1)
    charter.execute(cy, steward.id)
    fund.contribute(cy, ETHER // 4, memo("Cy's share", "Monthly."))
    fund.disburse(bo, cy.address, 3 * ETHER // 10, memo("Seed potatoes", "For the garden."))
    return DemoFunds(factory=factory, fund=fund, circle=circle)

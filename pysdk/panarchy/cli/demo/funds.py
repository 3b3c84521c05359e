"""The demo story's money chapters: a steward on a short leash, a fund whose ledger always
reconciles, and a savings circle that pays each participant once.

Called by :func:`panarchy.cli.demo.run` after the charter has lived through a revision cycle.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from eth_account.signers.local import LocalAccount
from rich.console import Console
from rich.table import Table

from panarchy.chain import Chain
from panarchy.charter import Charter
from panarchy.charter.types import Support
from panarchy.documents import Document, DocumentStore, store_document
from panarchy.errors import PanarchyError
from panarchy.funds import Fund, FundLimits, SavingsCircle

ETHER = 10**18
WEEK = timedelta(days=7)


@dataclass(frozen=True)
class MoneyStory:
    """What the money chapters leave behind (for tests)."""

    fund: Fund
    circle: SavingsCircle


def _doc(store: DocumentStore, kind: str, title: str, body: str) -> str:
    return store_document(store, Document(kind=kind, title=title, body=body))


def _ledger_table(fund: Fund, names: dict[str, str]) -> Table:
    table = Table(title="Tool fund ledger")
    for col in ("block", "what", "who", "amount", "decided by", "contributed", "disbursed"):
        table.add_column(col)
    asset = fund.asset
    for e in fund.ledger():
        table.add_row(
            str(e.block),
            e.kind,
            names.get(e.party, e.party[:10]),
            asset.format(e.amount),
            names.get(e.by or "", (e.by or "")[:10]),
            asset.format(e.contributed or 0),
            asset.format(e.disbursed or 0),
        )
    return table


def tell(
    console: Console,
    chain: Chain,
    charter: Charter,
    store: DocumentStore,
    factory: str,
    people: dict[str, LocalAccount],
    step: int,
) -> MoneyStory:
    """Tell the money chapters, numbered from ``step``."""
    say: Callable[..., None] = console.print
    ada, bo, cy, dee, eve = (people[n] for n in ("Ada", "Bo", "Cy", "Dee", "Eve"))
    names: dict[str, str] = {a.address: n for n, a in people.items()}
    names[charter.address] = "the charter"
    p = charter.parameters

    # The fund: a member opens it, but only the charter can let its steward spend.
    fund = Fund.create(
        chain,
        ada,
        factory=factory,
        charter=charter,
        limits=FundLimits(contribution_cap=ETHER // 2),
        period=timedelta(days=30),
    )
    say(
        f"{step}. Ada opens a [bold]tool fund[/] {fund.address}: at most "
        f"{fund.asset.format(ETHER // 2)} from each contributor a month; its steward may pay "
        "out nothing on their own until the charter decides a limit"
    )

    # A steward, by proposal, with a short term, and the limit the charter gives them.
    limits = FundLimits(contribution_cap=ETHER // 2, steward_limit=ETHER * 3 // 10)
    proposal = charter.propose(
        dee,
        [
            charter.actions.define_role("steward", timedelta(days=14), 2),
            charter.actions.appoint("steward", bo.address),
            fund.actions.set_limits(limits),
        ],
        _doc(store, "proposal", "A steward for the tool fund", "Bo keeps the tool fund."),
    )
    for voter in (ada, bo, dee):
        charter.vote(voter, proposal.id, Support.FOR)
    chain.advance(p.voting_period)
    charter.execute(ada, proposal.id)
    mandate = charter.roles.mandate("steward")
    say(
        f"{step + 1}. A proposal defines a [bold]steward[/] role (terms of 14 days, at most 2 in "
        f"a row), appoints Bo until {mandate.expires_at:%Y-%m-%d}, and lets the steward pay out "
        f"{fund.asset.format(ETHER * 3 // 10)} a month; anything more takes a proposal"
    )
    charter.roles.volunteer(dee, "steward")
    charter.roles.volunteer(ada, "steward")
    order = ", ".join(names[a] for a in charter.roles.rotation_order("steward"))
    say(f"   Dee and Ada volunteer: the published order of rotation is {order}\n")

    fund.contribute(ada, ETHER // 2, _doc(store, "memo", "Ada's share", "For the shed."))
    fund.contribute(dee, ETHER * 4 // 10)
    fund.contribute(eve, ETHER // 10, _doc(store, "memo", "From a neighbour", "Good luck!"))
    try:
        fund.contribute(ada, ETHER // 10)
    except PanarchyError as refused:
        say(f"   Ada, Dee and Eve (a neighbour) give; Ada tries to give more: refused ({refused})")
    saw = _doc(store, "memo", "A new saw", "The old one is blunt.")
    fund.disburse(bo, cy.address, ETHER * 2 // 10, saw)
    say(f"   Bo, the steward, pays Cy {fund.asset.format(ETHER * 2 // 10)} for a new saw")
    for attempt, (to, amount) in (
        ("pay himself", (bo, ETHER // 20)),
        ("exceed the limit", (dee, ETHER // 5)),
    ):
        try:
            fund.disburse(bo, to.address, amount, saw)
        except PanarchyError as refused:
            say(f"   Bo tries to {attempt}: refused ({refused})")

    chain.advance(timedelta(days=14))
    try:
        fund.disburse(bo, dee.address, ETHER // 20, saw)
    except PanarchyError as refused:
        say(f"   Bo's term lapses on its own; he tries to pay once more: refused ({refused})")
    new = charter.roles.rotate(cy, "steward")
    say(f"   Cy rotates the role: the steward is now {names[new]} (the next volunteer)")
    fund.disburse(dee, ada.address, ETHER // 20, _doc(store, "memo", "Oil", "For the saw."))
    summary = fund.summary()
    say(
        f"   {names[new]} pays Ada {fund.asset.format(ETHER // 20)} for oil; the fund holds "
        f"{fund.asset.format(summary.holdings)} = {fund.asset.format(summary.contributed)} in "
        f"- {fund.asset.format(summary.disbursed)} out"
    )
    console.print(_ledger_table(fund, names))
    audit = fund.audit()
    verdict = "reconciles" if audit.reconciles else "does NOT reconcile"
    say(
        f"   The audit replays {audit.entries} events from chain history at "
        f"{len(audit.points)} blocks: the ledger {verdict}\n"
    )

    # The savings circle.
    circle = SavingsCircle.create(
        chain,
        bo,
        factory=factory,
        charter=charter,
        participants=[ada.address, bo.address, dee.address],
        contribution=ETHER // 10,
        round_length=WEEK,
    )
    say(
        f"{step + 2}. Ada, Bo and Dee start a [bold]savings circle[/]: "
        f"{circle.asset.format(ETHER // 10)} each a week; each week's pot goes to the next "
        "in the order Ada, Bo, Dee"
    )
    for r in range(3):
        payers = (ada, bo) if r == 1 else (ada, bo, dee)
        for payer in payers:
            circle.contribute(payer)
        chain.advance(WEEK)
        got = circle.settle(cy)
        pot = circle.rounds()[r].pot
        note = " — Dee missed her payment this week" if r == 1 else ""
        say(f"   week {r + 1}: {names[got]} receives {circle.asset.format(pot)}{note}")
        if r == 1:
            circle.contribute(dee)
            say("   Dee catches up: her late payment goes straight to Bo, who was short")
    weeks = []
    for x in circle.participants():
        assert x.received_in is not None  # the circle is complete: everyone has received
        weeks.append(f"{names[x.address]} received in week {x.received_in + 1}")
    standing = ", ".join(weeks)
    say(f"   The circle is complete: {standing}; it holds {circle.asset.format(circle.holdings)}\n")
    return MoneyStory(fund=fund, circle=circle)


__all__ = [
    "ETHER",
    "WEEK",
    "MoneyStory",
    "tell",
]

"""The demo story: a community founds a charter, lives through a revision cycle, gives a
steward a short mandate over a tool fund, and runs a savings circle.

Runs on the in-process chain with the embedded document store: nothing to start, nothing
left behind. Every step is a real transaction on a real EVM, every document a real CID.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from rich.console import Console
from rich.table import Table

from panarchy.chain import Chain, dev_accounts
from panarchy.charter import Charter
from panarchy.charter.types import Parameters, Support
from panarchy.cli.demo import funds as demo_funds
from panarchy.deploy import DeploymentRecord, deploy_charter
from panarchy.documents import Document, DocumentStore, load_document, open_store, store_document
from panarchy.errors import PanarchyError

CYCLE = Parameters().revision_period
DAY = timedelta(days=1)


def _doc(store: DocumentStore, kind: str, title: str, body: str) -> str:
    return store_document(store, Document(kind=kind, title=title, body=body))


def _clause_table(charter: Charter, store: DocumentStore) -> Table:
    table = Table(title="Clauses", show_lines=False)
    for col in ("#", "title", "version", "renewals", "status", "expires", "time left"):
        table.add_column(col)
    for c in charter.clauses():
        status = "in force" if c.in_force else ("repealed" if c.repealed else "lapsed")
        left = f"{c.time_left.days}d {c.time_left.seconds // 3600}h" if c.in_force else "-"
        table.add_row(
            str(c.id),
            load_document(store, c.cid).title,
            str(c.version),
            str(c.renewals),
            status,
            f"{c.expires_at:%Y-%m-%d %H:%M}",
            left,
        )
    return table


@dataclass(frozen=True)
class Story:
    """What the story leaves behind (for tests)."""

    charter: Charter
    money: demo_funds.MoneyStory


def run(console: Console | None = None, data_dir: Path | None = None) -> Story:
    """Tell the story; return what it leaves behind (for tests)."""
    console = console or Console()
    say: Callable[..., None] = console.print
    with tempfile.TemporaryDirectory(prefix="panarchy-demo-") as tmp:
        root = data_dir or Path(tmp)
        store = open_store(data_dir=root)
        chain = Chain.in_process()
        ada, bo, cy, dee, eve = dev_accounts()[:5]
        names: dict[str, str] = {
            ada.address: "Ada",
            bo.address: "Bo",
            cy.address: "Cy",
            dee.address: "Dee",
        }

        say("[bold]Panarchy demo[/] — an in-process chain and an embedded document store\n")

        concord = _doc(
            store,
            "concord",
            "Riverside Commons concord",
            "We share tools, a garden and our evenings. Every rule here expires unless we "
            "choose it again; anyone may leave at any time.",
        )
        record = DeploymentRecord.for_chain(chain, root / "deployments")
        charter, _ = deploy_charter(
            chain,
            ada,
            record,
            name="Riverside Commons",
            concord_cid=concord,
            founders=[ada.address, bo.address, cy.address],
        )
        say(f"1. Ada, Bo and Cy found [bold]{charter.name}[/] at {charter.address}")
        say(f"   concord {charter.concord_cid}: “{load_document(store, concord).title}”")
        p = charter.parameters
        say(
            f"   revision cycle {p.revision_period.days} days, voting {p.voting_period.days} "
            f"days, quorum {p.quorum:.0%}, clauses live at most {p.max_term_cycles} cycles\n"
        )

        charter.join(dee)
        say(f"2. Dee joins (admission is open): {charter.member_count} members\n")

        texts = [
            ("Quiet hours", "Quiet from 22:00 to 07:00.", 1),
            ("Shared tools", "Tools live in the shed; return them clean.", 2),
            ("Garden rota", "Each member waters the garden one week in four.", 3),
        ]
        clause_cids = {title: _doc(store, "clause", title, body) for title, body, _ in texts}
        actions = [charter.actions.enact_clause(clause_cids[t], term) for t, _, term in texts]
        first = charter.propose(
            ada,
            actions,
            _doc(store, "proposal", "Our first three clauses", "Enact quiet hours, tools, rota."),
        )
        say(
            f"3. Ada proposes #{first.id}: enact three clauses with terms of 1, 2 and 3 "
            f"cycles — needs {first.stakes.name} (quorum {first.quorum_votes} votes)"
        )
        for voter, support in ((ada, Support.FOR), (bo, Support.FOR), (dee, Support.FOR)):
            charter.vote(voter, first.id, support)
        charter.vote(cy, first.id, Support.ABSTAIN)
        try:
            charter.vote(eve, first.id, Support.AGAINST)
        except PanarchyError as refused:
            say(f"   Eve, not a member, tries to vote: refused ({refused})")
        chain.advance(p.voting_period)
        state = charter.proposal(first.id)
        say(
            f"   after {p.voting_period.days} days: {state.for_votes} for, "
            f"{state.against_votes} against, {state.abstain_votes} abstain → {state.state.name}"
        )
        charter.execute(dee, first.id)
        say(f"   Dee executes it: {charter.proposal(first.id).state.name}\n")

        chain.advance(DAY * 7)
        charter.delegate(cy, bo.address)
        say("4. Cy will be away, and hands their voice to Bo (revocable at any moment)")
        revised = _doc(
            store, "clause", "Garden rota", "Each member waters the garden one week in three."
        )
        second = charter.propose(
            bo,
            [charter.actions.renew_clause(2, 2), charter.actions.amend_clause(3, revised, 2)],
            _doc(store, "proposal", "Keep the tools rule, tighten the rota", "Renew 2, amend 3."),
        )
        say(
            f"   Bo proposes #{second.id}: renew “Shared tools” unchanged (CONSENT) and amend "
            f"“Garden rota” (MAJORITY) → the proposal needs {second.stakes.name}"
        )
        ballot = charter.sign_ballot(ada, second.id, Support.FOR)
        charter.relay(bo, ballot)
        say("   Ada has no ETH: she signs a ballot, and Bo relays it (Bo pays the gas)")
        charter.vote(bo, second.id, Support.FOR)
        charter.vote(dee, second.id, Support.AGAINST)
        chain.advance(p.voting_period)
        charter.execute(ada, second.id)
        tally = charter.proposal(second.id)
        say(
            f"   Bo's vote carries Cy's voice: {tally.for_votes} for, {tally.against_votes} "
            f"against → {tally.state.name}\n"
        )

        chain.advance(CYCLE - DAY * 13)
        say(f"5. A revision cycle passes: now cycle {charter.current_cycle}")
        console.print(_clause_table(charter, store))
        say(
            "   “Quiet hours” lapsed on its own: nobody renewed it, "
            "and no transaction was needed.\n"
        )

        say("6. Revision report")
        for cycle in range(charter.current_cycle + 1):
            report = charter.revision_report(cycle)
            verdict = "met" if report.met else "not met (yet)" if report.current else "not met"
            say(
                f"   cycle {cycle} ({report.starts_at:%Y-%m-%d} → {report.ends_at:%Y-%m-%d}): "
                f"{report.revisions} revision(s), quota {report.quota}: {verdict}"
            )

        say("")
        people = {"Ada": ada, "Bo": bo, "Cy": cy, "Dee": dee, "Eve": eve}
        factory = record.address("CharterFactory")
        assert factory is not None  # deploy_charter recorded it
        money = demo_funds.tell(console, chain, charter, store, factory, people, step=7)

        charter.leave(cy)
        members = ", ".join(names.get(m, m) for m in charter.members())
        say(f"10. Cy leaves — no vote can stop that. Members now: {members}")
        say("\nEvery document above was read back and verified against its CID.")
        return Story(charter=charter, money=money)


def main() -> None:
    """Entry point for ``panarchy demo``."""
    run()


if __name__ == "__main__":
    main()

__all__ = [
    "CYCLE",
    "DAY",
    "Story",
    "run",
    "main",
]

"""The demo story (the README's first command) tells what really happened on chain."""

from __future__ import annotations

import io

from panarchy import ProposalState, Stakes
from panarchy.cli.demo import run
from rich.console import Console


def test_demo__tells_the_story_and_leaves_the_charter_it_describes(tmp_path):
    out = io.StringIO()
    story = run(Console(file=out, width=120), data_dir=tmp_path)
    charter, fund, circle = story.charter, story.money.fund, story.money.circle
    text = out.getvalue()

    first, second, steward = charter.proposals()
    assert (first.state, first.stakes) == (ProposalState.EXECUTED, Stakes.MAJORITY)
    assert (first.for_votes, first.against_votes, first.abstain_votes) == (3, 0, 1)
    assert (second.state, second.stakes) == (ProposalState.EXECUTED, Stakes.MAJORITY)
    assert (second.for_votes, second.against_votes) == (3, 1)  # Bo carried Cy's voice

    lapsed, renewed, amended = charter.clauses()
    assert not lapsed.in_force and not lapsed.repealed
    assert renewed.in_force and renewed.renewals == 1 and renewed.version == 1
    assert amended.in_force and amended.version == 2
    assert steward.state == ProposalState.EXECUTED
    assert charter.current_cycle == 2
    assert charter.revision_report(0).revisions == 4
    assert charter.member_count == 3

    assert "Eve, not a member, tries to vote: refused (charter: not a member)" in text
    assert "Ada has no ETH: she signs a ballot, and Bo relays it" in text
    assert "“Quiet hours” lapsed on its own" in text
    assert "cycle 0" in text and "4 revision(s), quota 1: met" in text
    assert "Cy leaves" in text and "Members now: Ada, Bo, Dee" in text

    # The money chapters: a steward rotated, a fund that reconciles, a circle that completed.
    ada, bo, dee = charter.members()
    assert [(e.kind, e.holder) for e in charter.roles.history("steward")] == [
        ("appointed", bo),
        ("lapsed", bo),
        ("rotated", dee),
    ]
    summary = fund.summary()
    assert (summary.contributed, summary.disbursed, summary.holdings) == (
        10**18,
        25 * 10**16,
        75 * 10**16,
    )
    assert fund.audit().reconciles
    assert [e.by for e in fund.ledger() if e.kind == "disbursement"] == [bo, dee]
    assert circle.is_complete and circle.holdings == 0
    assert [p.received_in for p in circle.participants()] == [0, 1, 2]
    assert "Bo tries to pay himself: refused (fund: steward cannot pay self)" in text
    assert "he tries to pay once more: refused (fund: not the steward)" in text
    assert "the steward is now Dee" in text
    assert "the ledger reconciles" in text
    assert "week 2: Bo receives 0.2 ETH" in text and "it holds 0 ETH" in text

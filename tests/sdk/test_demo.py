"""The demo story (the README's first command) tells what really happened on chain."""

from __future__ import annotations

import io

from rich.console import Console

from panarchy import ProposalState, Stakes
from panarchy.demo import run


def test_demo__tells_the_story_and_leaves_the_charter_it_describes(tmp_path):
    out = io.StringIO()
    charter = run(Console(file=out, width=120), data_dir=tmp_path)
    text = out.getvalue()

    first, second = charter.proposals()
    assert (first.state, first.stakes) == (ProposalState.EXECUTED, Stakes.MAJORITY)
    assert (first.for_votes, first.against_votes, first.abstain_votes) == (3, 0, 1)
    assert (second.state, second.stakes) == (ProposalState.EXECUTED, Stakes.MAJORITY)
    assert (second.for_votes, second.against_votes) == (3, 1)  # Bo carried Cy's voice

    lapsed, renewed, amended = charter.clauses()
    assert not lapsed.in_force and not lapsed.repealed
    assert renewed.in_force and renewed.renewals == 1 and renewed.version == 1
    assert amended.in_force and amended.version == 2
    assert charter.current_cycle == 1
    assert charter.revision_report(0).revisions == 4
    assert charter.member_count == 3

    assert "Eve, not a member, tries to vote: refused (charter: not a member)" in text
    assert "Ada has no ETH: she signs a ballot, and Bo relays it" in text
    assert "“Quiet hours” lapsed on its own" in text
    assert "cycle 0" in text and "4 revision(s), quota 1: met" in text
    assert "Cy leaves" in text and "Members now: Ada, Bo, Dee" in text

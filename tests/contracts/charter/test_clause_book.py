"""The clause book: enacting, amending, renewing and repealing clauses by proposal, the
revision cycle, and every clause revert."""

from __future__ import annotations

import ape
import pytest

from tests.contracts.helpers import CYCLE, doc, event_args, rules


@pytest.fixture
def clause(polity):
    """Clause 1, enacted for two cycles; returns its expiry."""
    receipt = polity.run([polity.book_call("enact_clause", doc("rule"), 2)])
    return event_args(receipt, "ClauseEnacted")[0]["expires_at"]


def _fails(polity, actions, reason):
    pid = polity.passed(actions)
    with ape.reverts(reason):
        polity.execute(pid, actions)


def test_enact__records_the_clause(polity, chain):
    receipt = polity.run([polity.book_call("enact_clause", doc("rule"), 2)])
    now = chain.blocks.head.timestamp
    assert event_args(receipt, "ClauseEnacted") == [
        {"clause_id": 1, "document": doc("rule"), "expires_at": now + 2 * CYCLE}
    ]
    c = polity.book.clause(1)
    assert (c.document, c.enacted_at, c.expires_at, c.version, c.renewals) == (
        doc("rule"),
        now,
        now + 2 * CYCLE,
        1,
        0,
    )
    assert c.in_force and not c.repealed
    assert polity.book.clause_count() == 1
    cycle = polity.book.current_cycle()
    assert polity.book.revisions_in_cycle(cycle) == 1 and polity.book.cycle_met_quota(cycle)


def test_enact__empty_document_reverts(polity):
    _fails(polity, [polity.book_call("enact_clause", b"\x00" * 32, 1)], "clauses: empty document")


@pytest.mark.parametrize("term", [0, 13])
def test_enact__term_out_of_range_reverts(polity, term):
    _fails(polity, [polity.book_call("enact_clause", doc("r"), term)], "clauses: term out of range")


def test_amend__new_text_and_term(polity, clause, chain):
    receipt = polity.run([polity.book_call("amend_clause", 1, doc("rule v2"), 3)])
    now = chain.blocks.head.timestamp
    assert event_args(receipt, "ClauseAmended") == [
        {"clause_id": 1, "document": doc("rule v2"), "version": 2, "expires_at": now + 3 * CYCLE}
    ]
    c = polity.book.clause(1)
    assert (c.document, c.version, c.renewals, c.expires_at) == (
        doc("rule v2"),
        2,
        0,
        now + 3 * CYCLE,
    )


def test_amend__empty_document_reverts(polity, clause):
    _fails(
        polity, [polity.book_call("amend_clause", 1, b"\x00" * 32, 1)], "clauses: empty document"
    )


def test_amend__unchanged_document_reverts(polity, clause):
    _fails(
        polity, [polity.book_call("amend_clause", 1, doc("rule"), 1)], "clauses: document unchanged"
    )


def test_amend__term_out_of_range_reverts(polity, clause):
    _fails(
        polity, [polity.book_call("amend_clause", 1, doc("v2"), 0)], "clauses: term out of range"
    )


def test_amend__unknown_clause_reverts(polity):
    _fails(polity, [polity.book_call("amend_clause", 1, doc("v2"), 1)], "clauses: unknown clause")


def test_renew__unchanged_up_to_the_limit(make_polity):
    polity = make_polity(clause_rules={"max_renewals": 2})
    polity.run([polity.book_call("enact_clause", doc("rule"), 1)])
    for n in (1, 2):
        receipt = polity.run([polity.book_call("renew_clause", 1, 1)])
        assert event_args(receipt, "ClauseRenewed")[0]["renewals"] == n
    _fails(polity, [polity.book_call("renew_clause", 1, 1)], "clauses: renewal limit reached")
    # Amending resets the count.
    polity.run([polity.book_call("amend_clause", 1, doc("rule v2"), 1)])
    polity.run([polity.book_call("renew_clause", 1, 1)])
    assert polity.book.clause(1).renewals == 1


def test_renew__does_not_count_as_revision(polity, clause):
    cycle = polity.book.current_cycle()
    polity.run([polity.book_call("renew_clause", 1, 1)])
    assert polity.book.revisions_in_cycle(cycle) == 1


def test_repeal__clause_leaves_force(polity, clause):
    receipt = polity.run([polity.book_call("repeal_clause", 1)])
    assert event_args(receipt, "ClauseRepealed") == [{"clause_id": 1}]
    c = polity.book.clause(1)
    assert c.repealed and not c.in_force
    _fails(polity, [polity.book_call("repeal_clause", 1)], "clauses: clause not in force")
    _fails(polity, [polity.book_call("renew_clause", 1, 1)], "clauses: clause not in force")
    _fails(
        polity, [polity.book_call("amend_clause", 1, doc("v3"), 1)], "clauses: clause not in force"
    )


def test_repeal__unknown_clause_reverts(polity):
    _fails(polity, [polity.book_call("repeal_clause", 0)], "clauses: unknown clause")


def test_clause_view__unknown_reverts(polity, clause):
    with ape.reverts("clauses: unknown clause"):
        polity.book.clause(0)
    with ape.reverts("clauses: unknown clause"):
        polity.book.clause(2)


def test_set_rules__by_proposal_starts_a_new_cycle(polity, clause, chain):
    chain.pending_timestamp += CYCLE + 5
    chain.mine()
    assert polity.book.current_cycle() == 1
    new = rules(revision_period=7 * 86400)
    receipt = polity.run([polity.book_call("set_rules", new)])
    assert event_args(receipt, "RulesUpdated") == [{"old": list(rules()), "new": list(new)}]
    assert polity.book.current_cycle() == 2
    assert polity.book.cycle_start(2) == chain.blocks.head.timestamp
    assert polity.book.clause(1).expires_at == clause  # existing clauses keep their expiry
    with ape.reverts("clauses: cycle before current period"):
        polity.book.cycle_start(1)


@pytest.mark.parametrize(
    "overrides, reason",
    [
        ({"revision_period": 0}, "clauses: zero revision period"),
        ({"max_term_cycles": 0}, "clauses: zero max term"),
        ({"max_renewals": 256}, "clauses: rule too large"),
    ],
)
def test_set_rules__invalid_reverts_execution(polity, overrides, reason):
    _fails(polity, [polity.book_call("set_rules", rules(**overrides))], reason)


def test_revision_quota__per_cycle(make_polity, chain):
    polity = make_polity(clause_rules={"revision_quota": 2})
    polity.run([polity.book_call("enact_clause", doc("a"), 1)])
    cycle = polity.book.current_cycle()
    assert not polity.book.cycle_met_quota(cycle)
    polity.run([polity.book_call("enact_clause", doc("b"), 1)])
    assert polity.book.cycle_met_quota(cycle)
    assert polity.book.revisions_in_cycle(cycle + 1) == 0

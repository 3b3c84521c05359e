"""Issue 11, attack 5: amending a clause more than once in one proposal.

The attack: one proposal amends clause A to B and back to A. Before the fix this reset the
renewal count with the text unchanged and counted two revisions toward the cycle's quota.
Now a clause is revised (enacted or amended) at most once per transaction, so an amendment
always compares its text with the text from before the proposal, and a clause counts at most
one revision per transaction. Each test builds the attack through governance and shows it
fails to exploit, or shows that the honest use next to it still works.
"""

from __future__ import annotations

import ape
import pytest
from ape.contracts import ContractContainer
from ethpm_types import ContractType
from vyper.compiler import compile_code

from tests.contracts.helpers import CYCLE, SUCCEEDED, columns, doc, event_args

ALREADY = "clauses: clause already revised in this transaction"

# Executes two proposals in one transaction, the way any contract (a multicall, a keeper)
# may: the first must succeed; the second may fail and leave its proposal executable.
_BUNDLER = """
# pragma version ~=0.4.3
# pragma nonreentrancy on
# pragma evm-version cancun

@external
def run_both(charter: address, first: Bytes[4096], second: Bytes[4096], must_both: bool) -> bool:
    raw_call(charter, first)
    if must_both:
        raw_call(charter, second)
        return True
    return raw_call(charter, second, revert_on_failure=False)
"""


@pytest.fixture(scope="module")
def bundler_container() -> ContractContainer:
    out = compile_code(_BUNDLER, output_formats=["abi", "bytecode", "bytecode_runtime"])
    return ContractContainer(
        ContractType.model_validate(
            {
                "contractName": "Bundler",
                "abi": out["abi"],
                "deploymentBytecode": {"bytecode": out["bytecode"]},
                "runtimeBytecode": {"bytecode": out["bytecode_runtime"]},
            }
        )
    )


@pytest.fixture
def bundler(bundler_container, accounts):
    return accounts[7].deploy(bundler_container)


@pytest.fixture
def book_polity(make_polity):
    """Clause 1, text A, renewed to its limit of 2 in a row: only a real amendment may reset
    the count. Rules: quota 2 revisions a cycle."""
    polity = make_polity(clause_rules={"max_renewals": 2, "revision_quota": 2})
    polity.run([polity.book_call("enact_clause", doc("A"), 12)])
    for _ in range(2):
        polity.run([polity.book_call("renew_clause", 1, 12)])
    c = polity.book.clause(1)
    assert (c.document, c.version, c.renewals) == (doc("A"), 1, 2)
    return polity


def _total_revisions(book) -> int:
    """Revisions over every cycle so far and the next one (the execution may cross into it)."""
    return sum(book.revisions_in_cycle(c) for c in range(book.current_cycle() + 2))


def _clause(book, clause_id=1):
    c = book.clause(clause_id)
    return (c.document, c.version, c.renewals, c.expires_at, c.repealed)


def test_amend_a_b_a_in_one_proposal__does_not_reset_renewals_or_double_count(book_polity):
    polity = book_polity
    book = polity.book
    before, revisions = _clause(book), _total_revisions(book)
    attack = [
        polity.book_call("amend_clause", 1, doc("B"), 12),
        polity.book_call("amend_clause", 1, doc("A"), 12),
    ]
    pid = polity.passed(attack)
    with ape.reverts(ALREADY):
        polity.execute(pid, attack)
    # Nothing moved: same text, version, renewals, expiry; no revision counted.
    assert _clause(book) == before
    assert _total_revisions(book) == revisions
    # The failed proposal stays executable (and failing) until its window ends.
    assert polity.charter.state(pid) == SUCCEEDED
    # The renewal limit still binds: the clause must really be amended or lapse.
    renew = [polity.book_call("renew_clause", 1, 1)]
    pid_renew = polity.passed(renew)
    with ape.reverts("clauses: renewal limit reached"):
        polity.execute(pid_renew, renew)


def test_amend_a_b_c_in_one_proposal__reverts(book_polity):
    polity = book_polity
    before = _clause(polity.book)
    actions = [
        polity.book_call("amend_clause", 1, doc("B"), 12),
        polity.book_call("amend_clause", 1, doc("C"), 12),
    ]
    pid = polity.passed(actions)
    with ape.reverts(ALREADY):
        polity.execute(pid, actions)
    assert _clause(polity.book) == before


def test_amend_to_text_before_the_proposal__reverts(book_polity):
    """A single amendment back to the same text is no revision either."""
    polity = book_polity
    actions = [polity.book_call("amend_clause", 1, doc("A"), 12)]
    pid = polity.passed(actions)
    with ape.reverts("clauses: document unchanged"):
        polity.execute(pid, actions)
    assert polity.book.clause(1).renewals == 2


def test_enact_then_amend_in_one_proposal__reverts(polity):
    """The next clause id is predictable: enacting and amending it in one proposal would
    count two revisions for one new clause."""
    actions = [
        polity.book_call("enact_clause", doc("A"), 1),
        polity.book_call("amend_clause", 1, doc("B"), 1),
    ]
    pid = polity.passed(actions)
    with ape.reverts(ALREADY):
        polity.execute(pid, actions)
    assert polity.book.clause_count() == 0
    assert _total_revisions(polity.book) == 0


def test_amend_a_b_in_one_proposal_and_b_a_in_the_next__both_count(book_polity):
    """Two proposals, two votes, two real changes: both are revisions and reset the count."""
    polity = book_polity
    book = polity.book
    revisions = _total_revisions(book)
    receipt = polity.run([polity.book_call("amend_clause", 1, doc("B"), 12)])
    assert event_args(receipt, "ClauseAmended")[0]["version"] == 2
    polity.run([polity.book_call("renew_clause", 1, 12)])
    assert book.clause(1).renewals == 1
    receipt = polity.run([polity.book_call("amend_clause", 1, doc("A"), 12)])
    now = ape.chain.blocks.head.timestamp
    assert event_args(receipt, "ClauseAmended") == [
        {"clause_id": 1, "document": doc("A"), "version": 3, "expires_at": now + 12 * CYCLE}
    ]
    c = book.clause(1)
    assert (c.document, c.version, c.renewals) == (doc("A"), 3, 0)
    assert _total_revisions(book) == revisions + 2


def test_enact_then_repeal_in_one_proposal__counts_one_revision(polity):
    receipt = polity.run(
        [polity.book_call("enact_clause", doc("A"), 1), polity.book_call("repeal_clause", 1)]
    )
    cycle = polity.book.current_cycle()
    assert [e.event_name for e in receipt.events if e.event_name.startswith("Clause")] == [
        "ClauseEnacted",
        "ClauseRepealed",
    ]
    assert polity.book.clause(1).repealed
    assert polity.book.revisions_in_cycle(cycle) == 1


def test_amend_then_repeal_in_one_proposal__counts_one_revision(book_polity):
    polity = book_polity
    book = polity.book
    revisions = _total_revisions(book)
    polity.run(
        [polity.book_call("amend_clause", 1, doc("B"), 12), polity.book_call("repeal_clause", 1)]
    )
    c = book.clause(1)
    assert (c.document, c.version, c.repealed) == (doc("B"), 2, True)
    assert _total_revisions(book) == revisions + 1


def test_amend_then_renew_in_one_proposal__renewal_counts_from_the_new_text(book_polity):
    """Renewing is no revision; after a real amendment the count starts again from zero."""
    polity = book_polity
    revisions = _total_revisions(polity.book)
    polity.run(
        [
            polity.book_call("amend_clause", 1, doc("B"), 12),
            polity.book_call("renew_clause", 1, 1),
        ]
    )
    now = ape.chain.blocks.head.timestamp
    c = polity.book.clause(1)
    assert (c.document, c.version, c.renewals, c.expires_at) == (doc("B"), 2, 1, now + CYCLE)
    assert _total_revisions(polity.book) == revisions + 1


def test_amend_two_clauses_in_one_proposal__both_count(make_polity):
    """The guard is per clause: one proposal may still revise many clauses."""
    polity = make_polity(clause_rules={"revision_quota": 4})
    polity.run(
        [
            polity.book_call("enact_clause", doc("A"), 12),
            polity.book_call("enact_clause", doc("X"), 12),
        ]
    )
    revisions = _total_revisions(polity.book)
    polity.run(
        [
            polity.book_call("amend_clause", 1, doc("B"), 12),
            polity.book_call("amend_clause", 2, doc("Y"), 12),
        ]
    )
    assert (polity.book.clause(1).document, polity.book.clause(2).document) == (doc("B"), doc("Y"))
    assert _total_revisions(polity.book) == revisions + 2


def _two_proposals(polity):
    first = [polity.book_call("amend_clause", 1, doc("B"), 12)]
    second = [polity.book_call("amend_clause", 1, doc("A"), 12)]
    p1 = polity.propose(polity.founders[0], first)
    p2 = polity.propose(polity.founders[1], second)
    for pid in (p1, p2):
        polity.vote(pid, polity.founders)
    polity.end_voting(p2)
    calls = [
        polity.charter.execute.encode_input(p1, *columns(first)),
        polity.charter.execute.encode_input(p2, *columns(second)),
    ]
    return (p1, first), (p2, second), calls


def test_two_proposals_amending_one_clause_in_one_transaction__all_or_nothing_reverts(
    book_polity, bundler
):
    """A→B and B→A passed by two votes, bundled into one transaction by a contract: the
    second amendment is refused, so the pair cannot reset the renewals within one call."""
    polity = book_polity
    before = _clause(polity.book)
    (p1, _), (p2, _), calls = _two_proposals(polity)
    with ape.reverts(ALREADY):
        bundler.run_both(polity.charter.address, *calls, True, sender=polity.founders[0])
    assert _clause(polity.book) == before
    assert polity.charter.state(p1) == SUCCEEDED and polity.charter.state(p2) == SUCCEEDED


def test_two_proposals_amending_one_clause_in_one_transaction__second_runs_later(
    book_polity, bundler
):
    """A bundler that lets the second execution fail cannot kill it: the second proposal
    stays executable and runs in its own transaction, as a real revision."""
    polity = book_polity
    book = polity.book
    revisions = _total_revisions(book)
    (p1, _), (p2, second), calls = _two_proposals(polity)
    receipt = bundler.run_both(polity.charter.address, *calls, False, sender=polity.founders[0])
    # Only the first proposal ran: the second's call failed inside the bundle.
    assert event_args(receipt, "ProposalExecuted") == [{"proposalId": p1}]
    c = book.clause(1)
    assert (c.document, c.version, c.renewals) == (doc("B"), 2, 0)
    assert polity.charter.state(p2) == SUCCEEDED
    polity.execute(p2, second)
    c = book.clause(1)
    assert (c.document, c.version, c.renewals) == (doc("A"), 3, 0)
    assert _total_revisions(book) == revisions + 2


def test_already_revised__maps_to_its_typed_sdk_exception():
    from panarchy import errors

    error = errors.error_for_revert(ALREADY)
    assert type(error) is errors.ClauseAlreadyRevised
    assert isinstance(error, errors.ClauseError) and error.reason == ALREADY

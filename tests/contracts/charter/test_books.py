"""The charter's books: a bounded list of kinds, each with the stakes it lists for itself.

A new kind of book (a court, a registration) is added by a proposal, needs no edit in the
charter, and brings its own stakes table; only contracts that name the charter as theirs
can be books, and a book added later is hashed like any target when a proposal calls it.
"""

from __future__ import annotations

import ape
import pytest
from eth_abi import encode
from eth_utils import keccak

from tests.contracts.helpers import (
    CONSENT,
    MAJORITY,
    SUPERMAJORITY,
    Action,
    event_args,
    helper,
    recorded_code_digest,
)

ADD_BOOK = keccak(text="add_book(uint8,address)")[:4]
RECORD = keccak(text="record()")[:4]
SEAL = keccak(text="seal()")[:4]
COURT = 3  # a kind still to come


@pytest.fixture
def test_book(polity, accounts):
    return accounts[8].deploy(helper("TestBook"), polity.charter.address)


def _add(polity, kind, book):
    return polity.run([polity.call("add_book", kind, book)])


def test_add_book__by_proposal_lists_it_with_its_own_stakes(polity, test_book):
    receipt = _add(polity, COURT, test_book.address)
    c = polity.charter
    assert event_args(receipt, "BookAdded") == [{"kind": COURT, "book": test_book.address}]
    assert event_args(receipt, "StakesUpdated") == [
        {"target": test_book.address, "selector": RECORD, "old": 0, "new": CONSENT},
        {"target": test_book.address, "selector": SEAL, "old": 0, "new": SUPERMAJORITY},
    ]
    assert c.book(COURT) == test_book.address
    assert c.book_list()[-1] == (COURT, test_book.address)
    assert c.stakes_of(test_book, RECORD) == CONSENT
    assert c.stakes_of(test_book, SEAL) == SUPERMAJORITY


def test_add_book__its_functions_run_by_proposal(polity, test_book):
    _add(polity, COURT, test_book.address)
    record = Action(test_book.address, test_book.record.encode_input())
    polity.run([record])
    assert test_book.records() == 1


def test_add_book__its_entrenched_function_cannot_be_lowered(polity, test_book):
    _add(polity, COURT, test_book.address)
    action = polity.call("set_stakes", test_book.address, SEAL, MAJORITY)
    pid = polity.passed([action])
    with ape.reverts("charter: entrenched stakes"):
        polity.execute(pid, [action])


def test_add_book__set_stakes_accepts_the_new_book(polity, test_book):
    _add(polity, COURT, test_book.address)
    polity.run([polity.call("set_stakes", test_book.address, RECORD, MAJORITY)])
    assert polity.charter.stakes_of(test_book, RECORD) == MAJORITY


def test_add_book__direct_call_reverts(polity, test_book, founder):
    with ape.reverts("charter: only by proposal"):
        polity.charter.add_book(COURT, test_book, sender=founder)


def test_add_book__is_entrenched_at_supermajority(polity):
    assert polity.charter.stakes_of(polity.charter, ADD_BOOK) == SUPERMAJORITY
    action = polity.call("set_stakes", polity.charter.address, ADD_BOOK, MAJORITY)
    pid = polity.passed([action])
    with ape.reverts("charter: entrenched stakes"):
        polity.execute(pid, [action])


@pytest.mark.parametrize(
    ("kind", "which", "reason"),
    [
        (0, "new", "charter: invalid book kind"),
        (1, "new", "charter: book kind taken"),
        (COURT, "role_book", "charter: already a book"),
        (COURT, "foreign", "charter: book of another charter"),
    ],
)
def test_add_book__refusals(polity, test_book, accounts, kind, which, reason):
    book = {
        "new": test_book.address,
        "role_book": polity.role_book.address,
        "foreign": accounts[8].deploy(helper("TestBook"), accounts[7].address).address,
    }[which]
    action = polity.call("add_book", kind, book)
    pid = polity.passed([action])
    with ape.reverts(reason):
        polity.execute(pid, [action])


def test_add_book__a_contract_that_is_no_book_reverts(polity):
    """A token or any contract without `charter()` cannot be made a book (and so cannot
    have its selectors put in the stakes table)."""
    action = polity.call("add_book", COURT, polity.charter.address)  # answers no charter()
    pid = polity.passed([action])
    with ape.reverts():
        polity.execute(pid, [action])


def test_add_book__at_most_eight(polity, accounts):
    c = polity.charter
    made = [accounts[8].deploy(helper("TestBook"), c.address) for _ in range(7)]
    for kind, book in zip(range(3, 9), made, strict=False):
        _add(polity, kind, book.address)
    assert [kind for kind, _ in c.book_list()] == [1, 2, 3, 4, 5, 6, 7, 8]
    action = polity.call("add_book", 9, made[-1].address)
    pid = polity.passed([action])
    with ape.reverts("charter: too many books"):
        polity.execute(pid, [action])


def test_code_digest__added_book_is_hashed_founding_books_are_not(polity, test_book, founder):
    """A founding book is a minimal proxy whose code cannot change: proposals calling it
    skip the code-hash probes; a book added later is probed like any target."""
    _add(polity, COURT, test_book.address)
    c = polity.charter
    founding = Action(polity.book.address, polity.book.repeal_clause.encode_input(1))
    added = Action(test_book.address, test_book.record.encode_input())
    founding_pid = polity.propose(founder, [founding])
    added_pid = polity.propose(founder, [added])
    assert recorded_code_digest(c, founding_pid) == b"\x00" * 32
    code = bytes(ape.chain.provider.get_code(test_book.address))
    assert recorded_code_digest(c, added_pid) == keccak(encode(["bytes32[]"], [[keccak(code)]]))

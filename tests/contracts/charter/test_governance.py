"""Governance functions: only an executed proposal may call them; parameters and stakes."""

from __future__ import annotations

import ape
import pytest
from eth_utils import keccak

from tests.contracts.helpers import (
    CONSENT,
    MAJORITY,
    SUPERMAJORITY,
    doc,
    event_args,
    params,
    rules,
)

SET_PARAMETERS = keccak(
    text="set_parameters((uint256,uint256,uint256,uint256,uint256,uint256,uint8))"
)[:4]
ADMIT = keccak(text="admit(address)")[:4]


def test_governance__direct_calls_revert(polity, founder, newcomer):
    c = polity.charter
    with ape.reverts("charter: only by proposal"):
        c.admit(newcomer, sender=founder)
    with ape.reverts("charter: only by proposal"):
        c.set_concord(doc("new"), sender=founder)
    with ape.reverts("charter: only by proposal"):
        c.set_parameters(params(), sender=founder)
    with ape.reverts("charter: only by proposal"):
        c.set_stakes(c, ADMIT, MAJORITY, sender=founder)


def test_clause_book__direct_calls_revert(polity, founder):
    b = polity.book
    with ape.reverts("clauses: only by the charter"):
        b.enact_clause(doc("rule"), 1, sender=founder)
    with ape.reverts("clauses: only by the charter"):
        b.amend_clause(1, doc("rule"), 1, sender=founder)
    with ape.reverts("clauses: only by the charter"):
        b.renew_clause(1, 1, sender=founder)
    with ape.reverts("clauses: only by the charter"):
        b.repeal_clause(1, sender=founder)
    with ape.reverts("clauses: only by the charter"):
        b.set_rules(rules(), sender=founder)


def test_set_concord__by_proposal(polity):
    receipt = polity.run([polity.call("set_concord", doc("concord v2"))])
    assert event_args(receipt, "ConcordUpdated") == [
        {"old": doc("concord"), "new": doc("concord v2")}
    ]
    assert polity.charter.concord() == doc("concord v2")


def test_set_concord__empty_reverts_execution(polity):
    action = polity.call("set_concord", b"\x00" * 32)
    pid = polity.passed([action])
    with ape.reverts("charter: empty document"):
        polity.execute(pid, [action])


def test_set_parameters__by_proposal(polity):
    new = params(voting_period=3600, quorum_bps=5_000)
    receipt = polity.run([polity.call("set_parameters", new)])
    assert event_args(receipt, "ParametersUpdated") == [{"old": list(params()), "new": list(new)}]
    assert polity.charter.parameters() == new


@pytest.mark.parametrize(
    "overrides, reason",
    [
        ({"voting_period": 0}, "charter: zero voting period"),
        ({"quorum_bps": 10_001}, "charter: quorum over 100%"),
        ({"supermajority_num": 1, "supermajority_den": 2}, "charter: invalid supermajority"),
        ({"admission": 9}, "charter: invalid admission policy"),
    ],
)
def test_set_parameters__invalid_reverts_execution(polity, overrides, reason):
    action = polity.call("set_parameters", params(**overrides))
    pid = polity.passed([action])
    with ape.reverts(reason):
        polity.execute(pid, [action])


def test_set_stakes__by_proposal(polity):
    c = polity.charter
    receipt = polity.run([polity.call("set_stakes", c.address, ADMIT, SUPERMAJORITY)])
    assert event_args(receipt, "StakesUpdated") == [
        {"target": c.address, "selector": ADMIT, "old": MAJORITY, "new": SUPERMAJORITY}
    ]
    assert c.stakes_of(c, ADMIT) == SUPERMAJORITY


def test_set_stakes__only_for_the_charter_and_its_books(polity, target):
    """The table lists the charter's own contracts only: other targets are at least MAJORITY."""
    action = polity.call("set_stakes", target.address, ADMIT, CONSENT)
    pid = polity.passed([action])
    with ape.reverts("charter: not a charter contract"):
        polity.execute(pid, [action])


@pytest.mark.parametrize("level", [0, 4])
def test_set_stakes__invalid_level_reverts_execution(polity, level):
    action = polity.call("set_stakes", polity.charter.address, ADMIT, level)
    pid = polity.passed([action])
    with ape.reverts("charter: invalid stakes level"):
        polity.execute(pid, [action])


def test_set_stakes__entrenched_cannot_be_lowered(polity):
    c = polity.charter.address
    action = polity.call("set_stakes", c, SET_PARAMETERS, MAJORITY)
    pid = polity.passed([action])
    with ape.reverts("charter: entrenched stakes"):
        polity.execute(pid, [action])
    polity.run([polity.call("set_stakes", c, SET_PARAMETERS, SUPERMAJORITY)])  # unchanged is fine
    assert polity.charter.stakes_of(c, SET_PARAMETERS) == SUPERMAJORITY


def test_stakes__supermajority_needs_two_thirds(make_polity, accounts):
    """Three for, two against of five: 60% < 2/3, defeated; four for, one against passes."""
    founders = [accounts[i] for i in range(5)]
    polity = make_polity(founders_=founders)
    action = [polity.call("set_concord", doc("v2"))]
    pid = polity.propose(founders[0], action)
    polity.vote(pid, founders[:3])
    polity.vote(pid, founders[3:], 0)
    polity.end_voting(pid)
    with ape.reverts("charter: proposal defeated"):
        polity.execute(pid, action)
    pid = polity.propose(founders[0], action)
    polity.vote(pid, founders[:4])
    polity.vote(pid, founders[4:], 0)
    polity.end_voting(pid)
    polity.execute(pid, action)
    assert polity.charter.concord() == doc("v2")


def test_stakes__consent_passes_without_votes_unless_objected(make_polity, newcomer, founders):
    polity = make_polity(admission=1, consent_max_objections=1)
    # A charter that chose consent for admission (the default is MAJORITY).
    polity.run([polity.call("set_stakes", polity.charter.address, ADMIT, CONSENT)])
    action = [polity.call("admit", newcomer.address)]
    pid = polity.propose(founders[0], action)  # nobody votes: consent
    polity.end_voting(pid)
    polity.execute(pid, action)
    assert polity.charter.is_invited(newcomer)
    pid = polity.propose(founders[0], action)
    polity.vote(pid, founders[:2], 0)  # two objections > one allowed
    polity.end_voting(pid)
    with ape.reverts("charter: proposal defeated"):
        polity.execute(pid, action)

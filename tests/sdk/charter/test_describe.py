"""Proposal actions in plain words: one table (``descriptions.json``) for the SDK, the CLI and
the web app, covering every function of every Panarchy contract; what a proposal carries
reads the same when it is built and when it is read back from the chain."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from panarchy import constants as C
from panarchy._utils import artifacts
from panarchy.charter.describe import Describer, format_duration_exact, table
from panarchy.charter.types import Stakes
from panarchy.funds import Fund, FundLimits

from tests.sdk.conftest import cid_of

ETHER = 10**18
CONTRACTS = (
    "Charter",
    "ClauseBook",
    "RoleBook",
    "SolidarityFund",
    "SavingsCircle",
    "CharterFactory",
    "Treaty",
    "TreatyFund",
)


def test_table__has_a_template_for_every_function_that_changes_state():
    templates = table()["templates"]
    for name in CONTRACTS:
        writes = {
            e["name"]
            for e in artifacts.load(name)["abi"]
            if e.get("type") == "function" and e["stateMutability"] not in ("view", "pure")
        }
        assert set(templates[name]) == writes, name


def test_table__labels_follow_the_contracts_constants():
    labels = table()["labels"]
    assert labels["stakes"] == {
        str(C.Proposals.CONSENT): "consent",
        str(C.Proposals.MAJORITY): "majority",
        str(C.Proposals.SUPERMAJORITY): "supermajority",
    }
    assert labels["support"] == {
        str(C.Proposals.VOTE_AGAINST): "against",
        str(C.Proposals.VOTE_FOR): "for",
        str(C.Proposals.VOTE_ABSTAIN): "abstain",
    }
    assert labels["admission"] == {
        str(C.Params.OPEN): "open",
        str(C.Params.BY_VOTE): "by vote",
        str(C.Params.BY_SPONSORSHIP): "by sponsorship",
    }
    assert labels["book"] == {str(C.Books.CLAUSES): "clause", str(C.Books.ROLES): "role"}


def test_table__is_shipped_to_the_web_app_unchanged():
    ts = (Path(__file__).resolve().parents[3] / "frontend/src/generated/panarchy.ts").read_text()
    shipped = ts.split("export const actionDescriptions = ", 1)[1].rsplit(" as const;", 1)[0]
    assert json.loads(shipped) == table()


def test_durations__read_the_same_in_every_unit():
    assert [format_duration_exact(s) for s in (0, 90, 3600, 97200, 2551443, 14 * 86400)] == [
        "0s",
        "1.5m",
        "1h",
        "1.13d",
        "29.53d",
        "14d",
    ]


def test_actions__read_in_plain_words(chain, make_charter, founders, factory, store):
    charter = make_charter()
    a = charter.actions
    doc = cid_of(store, "quiet hours")
    ada, bo, _ = founders
    fund = Fund.create(
        chain, ada, factory=factory, charter=charter, limits=FundLimits(contribution_cap=ETHER)
    )
    memo = cid_of(store, "roof", "memo")
    expected = [
        (a.enact_clause(doc, 1), f"enact a clause from {doc} for 1 revision cycle"),
        (a.amend_clause(2, doc, 3), f"amend clause #2 to {doc} for 3 revision cycles"),
        (a.renew_clause(2, 2), "renew clause #2 unchanged for 2 revision cycles"),
        (a.repeal_clause(4), "repeal clause #4"),
        (
            a.define_role("steward", timedelta(days=30), 2),
            "define the role steward: terms of 30d, at most 2 terms in a row",
        ),
        (a.appoint("steward", bo.address), f"appoint {bo.address} as steward"),
        (a.recall("steward"), "recall the steward"),
        (a.clear_roster("steward"), "clear the steward roster"),
        (
            a.set_stakes("repeal_clause", Stakes.SUPERMAJORITY),
            f"require supermajority for repeal_clause on {charter.book.address}",
        ),
        (
            fund.actions.disburse(bo.address, ETHER // 4, memo),
            f"pay 0.25 ETH to {bo.address} from fund {fund.address} (memo {memo})",
        ),
    ]
    for action, words in expected:
        assert action.summary == words
        assert a.describe(action.target, action.calldata) == words  # as proposals() reads it
    made = charter.propose(ada, [action for action, _ in expected[:3]], cid_of(store, "p"))
    assert [x.summary for x in charter.proposal(made.id).actions] == [w for _, w in expected[:3]]


def test_unknown_calls__name_the_target_and_selector(make_charter, founders):
    charter = make_charter()
    stranger = founders[2].address
    assert charter.actions.describe(stranger, bytes.fromhex("deadbeef00")) == (
        f"call {stranger} (0xdeadbeef)"
    )
    assert charter.actions.describe(stranger, b"") == f"call {stranger}"
    # A known selector with calldata that does not decode falls back too.
    book = charter.actions.owner_and_selector("repeal_clause")
    assert Describer({book[0]: "ClauseBook"}).describe(book[0], book[1] + b"\x01") == (
        f"call {book[0]} (0x{book[1].hex()})"
    )

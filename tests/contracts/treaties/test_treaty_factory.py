"""Treaties made through the factory by real charters, and the authority rules: only a charter
of the factory proposes one, only its charters are invited, and every call is the party
charter's own executed proposal (no member, delegate or steward of a party can make it)."""

from __future__ import annotations

import ape
import pytest

from tests.contracts.helpers import ZERO, event_args
from tests.contracts.treaties.treaty_helpers import (
    CAP,
    IN_FORCE,
    MEMO,
    PENDING,
    RENEWAL_OPEN,
    TERM,
    act,
    charter_treaty,
    fund_terms,
    open_window,
    terms,
    treaty_call,
)


def test_create_treaty__by_a_charters_executed_proposal(system, charters):
    harbour, orchard, mill = charters
    treaty, fund, receipt = charter_treaty(system, harbour, [orchard, mill])
    created = event_args(receipt, "TreatyCreated")[0]
    addresses = [c.charter.address for c in charters]
    assert created["proposer"] == harbour.charter.address
    assert created["parties"] == addresses
    assert created["fund"] == ZERO and fund is None
    assert system.factory.is_treaty(treaty.address)
    assert treaty.factory() == system.factory.address
    assert treaty.parties() == addresses and treaty.invited() == addresses
    assert treaty.state() == PENDING
    assert treaty.has_ratified(harbour.charter.address)
    assert not treaty.has_ratified(orchard.charter.address)
    assert treaty.lends_mediators()
    assert treaty.book(2) == ZERO and treaty.is_member(mill.charter.address)


def test_create_treaty__with_a_fund(system, charters):
    harbour, orchard, _ = charters
    treaty, fund, receipt = charter_treaty(system, harbour, [orchard], fund_terms_=fund_terms())
    assert system.factory.is_treaty_fund(fund.address)
    assert treaty.fund() == fund.address and fund.owner() == treaty.address
    assert fund.contribution_cap() == CAP
    assert event_args(receipt, "TreatyCreated")[0]["fund"] == fund.address


def test_create_treaty__by_an_account_reverts(system, charters, founder):
    with ape.reverts("factory: only a charter"):
        system.factory.create_treaty(
            terms(), [charters[1].charter.address], fund_terms(), sender=founder
        )


def test_create_treaty__inviting_a_non_charter_reverts(system, charters, stranger):
    harbour = charters[0]
    action = harbour.call("leave")  # any action; replaced below
    action = type(action)(
        system.factory.address,
        system.factory.create_treaty.encode_input(
            terms(), [charters[1].charter.address, stranger.address], fund_terms()
        ),
    )
    pid = harbour.passed([action])
    with ape.reverts("factory: unknown charter"):
        harbour.execute(pid, [action])


def test_treaty__full_lifecycle_through_executed_proposals(system, charters):
    """Ratify, renew, amend, distress, draw and withdraw: each a party's own proposal."""
    harbour, orchard, mill = charters
    treaty, fund, _ = charter_treaty(
        system, harbour, [orchard, mill], fund_terms_=fund_terms(share_on_withdrawal=True)
    )
    act(orchard, treaty, "ratify")
    assert treaty.state() == PENDING
    act(mill, treaty, "ratify")
    assert treaty.state() == IN_FORCE
    expires = treaty.expires_at()
    # Contributions come from each charter's own treasury, by proposal.
    for c in charters:
        c.founders[0].transfer(c.charter, CAP)
        act(c, fund, "contribute", CAP // 2, MEMO, value=CAP // 2)
    assert fund.contributed() == 3 * CAP // 2
    # A draw: proposed by one, approved by the others (unanimity).
    act(harbour, treaty, "raise_distress", MEMO)
    act(harbour, treaty, "propose_draw", harbour.charter.address, CAP // 4, MEMO)
    act(orchard, treaty, "approve_draw", 1)
    assert not treaty.draw(1).executed
    act(mill, treaty, "approve_draw", 1)
    assert treaty.draw(1).executed and fund.disbursed() == CAP // 4
    # An amendment, ratified by all.
    new_doc = b"\x11" * 32
    act(orchard, treaty, "propose_amendment", new_doc)
    act(harbour, treaty, "ratify_amendment", 1)
    act(mill, treaty, "ratify_amendment", 1)
    assert treaty.terms().document == new_doc
    # Renewal by all three, in the window.
    open_window(treaty)
    for c in charters:
        act(c, treaty, "renew")
    assert treaty.expires_at() == expires + TERM
    # Withdrawal: the leaver takes its share (a third of what is left, as each put in the
    # same). The charter is mid-execution, so its own lock refuses the push: it is owed,
    # and delivered by anyone's plain transaction.
    left = fund.available()
    before = mill.charter.balance
    act(mill, treaty, "withdraw")
    assert treaty.remaining() == 2 and not treaty.is_party(mill.charter.address)
    assert fund.owed(mill.charter.address) == left // 3
    fund.claim_for(mill.charter.address, sender=harbour.founders[0])
    assert mill.charter.balance == before + left // 3


@pytest.mark.parametrize(
    ("method", "args"),
    [
        ("ratify", ()),
        ("renew", ()),
        ("withdraw", ()),
        ("propose_amendment", (b"\x22" * 32,)),
        ("ratify_amendment", (1,)),
        ("raise_distress", (MEMO,)),
        ("propose_draw", (ZERO, 1, MEMO)),
        ("approve_draw", (1,)),
        ("execute_draw", (1,)),
    ],
)
def test_party_calls__by_a_member_of_a_party_revert(system, charters, method, args):
    """The founder (the only member, and whoever holds a party's roles) is not the party."""
    harbour, orchard, _ = charters
    treaty, _, _ = charter_treaty(system, harbour, [orchard], fund_terms_=fund_terms())
    with ape.reverts("treaty: not a party"):
        getattr(treaty, method)(*args, sender=orchard.founders[0])
    with ape.reverts("treaty: not a party"):
        getattr(treaty, method)(*args, sender=harbour.founders[0])


def test_party_calls__a_party_roles_holder_cannot_bind_it(system, charters, accounts):
    """Even the holder of a party's delegate role (appointed by proposal) is not the party."""
    from tests.contracts.helpers import role

    harbour, orchard, _ = charters
    treaty, _, _ = charter_treaty(system, harbour, [orchard])
    delegate_role = role("delegate")
    orchard.run(
        [
            orchard.roles_call("define_role", delegate_role, 30 * 86400, 2),
            orchard.roles_call("appoint", delegate_role, accounts[1].address),
        ]
    )
    assert orchard.role_book.holds_role(delegate_role, accounts[1].address)
    with ape.reverts("treaty: not a party"):
        treaty.ratify(sender=accounts[1])
    # A proposal of the party does bind it.
    orchard.run([treaty_call(treaty, "ratify")])
    assert treaty.state() == IN_FORCE


def test_renew__by_executed_proposal_in_the_window(system, charters):
    harbour, orchard, _ = charters
    treaty, _, _ = charter_treaty(system, harbour, [orchard])
    act(orchard, treaty, "ratify")
    open_window(treaty)
    act(harbour, treaty, "renew")
    assert treaty.state() == RENEWAL_OPEN and treaty.renewals() == 1


def test_implementations_are_locked(system, stranger):
    with ape.reverts("treaty: already initialized"):
        system.treaty_impl.initialize(
            stranger, [stranger.address], terms(), fund_terms(enabled=False), ZERO, sender=stranger
        )
    with ape.reverts("treatyfund: already initialized"):
        system.treaty_fund_impl.initialize(stranger, ZERO, 1, 1, sender=stranger)

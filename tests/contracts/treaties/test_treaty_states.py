"""A treaty's lifecycle on direct treaties (test accounts as parties, see treaty_helpers):
ratification and its deadline, entry into force, renewal and its window, lazy expiry,
SECURITY.md attack 21, withdrawal in every state, amendments, distress and draws, and every
revert reason the treaty gives, each deadline at t-1, t and t+1."""

from __future__ import annotations

import ape
import pytest
from ape import chain

from tests.contracts.helpers import DAY, ZERO, doc, event_args, event_names
from tests.contracts.treaties.treaty_helpers import (
    CAP,
    ENDED,
    IN_FORCE,
    LAPSED,
    MAJORITY,
    MEMO,
    NEVER_IN_FORCE,
    NO_FUND,
    PENDING,
    RENEWAL_OPEN,
    TERM,
    TERMS_DOC,
    UNANIMITY,
    WINDOW,
    fresh_treaty,
    fund_terms,
    now,
    open_window,
    ratify_all,
    renew_all,
    terms,
)

NEW_DOC = doc("amended terms")


@pytest.fixture
def pending(make_treaty):
    treaty, _ = make_treaty()
    return treaty


@pytest.fixture
def in_force(make_treaty, parties):
    treaty, _ = make_treaty()
    ratify_all(treaty, parties)
    return treaty


def state_at(treaty, timestamp: int) -> int:
    chain.mine(timestamp=timestamp)
    return treaty.state()


# --- creation --------------------------------------------------------------------------


def test_initialize__records_parties_terms_and_the_proposers_ratification(pending, parties):
    t = pending
    assert t.parties() == [p.address for p in parties]
    assert t.proposer() == parties[0].address
    assert t.remaining() == 3 and t.ratified_count() == 1
    assert t.state() == PENDING and not t.in_force() and not t.has_ended()
    assert t.terms().document == TERMS_DOC and t.terms().term_seconds == TERM
    assert t.entered_at() == 0 and t.expires_at() == 0 and t.renewal_opens_at() == 0
    assert t.fund() == ZERO and t.draw_count() == 0 and t.distress_count() == 0


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"document": b"\x00" * 32}, "treaty: empty document"),
        ({"term": 0}, "treaty: zero term"),
        ({"window": 0}, "treaty: zero renewal window"),
        ({"window": TERM}, "treaty: renewal window too long"),
        ({"threshold": 0}, "treaty: unknown threshold"),
        ({"threshold": 3}, "treaty: unknown threshold"),
    ],
)
def test_initialize__bad_terms_revert(make_treaty, overrides, reason):
    with ape.reverts(reason):
        make_treaty(terms_=terms(**overrides))


def test_initialize__deadline_now_reverts(system, maker, parties):
    t = fresh_treaty(system, maker)
    for offset in (-1, 0):
        chain.pending_timestamp = now() + 100
        with ape.reverts("treaty: deadline passed"):
            t.initialize(
                parties[0],
                [parties[1].address],
                terms(deadline=chain.pending_timestamp + offset),
                NO_FUND,
                ZERO,
                sender=maker,
            )
    chain.pending_timestamp = now() + 100
    t.initialize(
        parties[0],
        [parties[1].address],
        terms(deadline=chain.pending_timestamp + 1),
        NO_FUND,
        ZERO,
        sender=maker,
    )
    assert t.state() == PENDING


@pytest.mark.parametrize(
    ("invited", "reason"),
    [
        ([], "treaty: too few parties"),
        ([ZERO], "treaty: zero address"),
        (["self"], "treaty: duplicate party"),
        (["ben", "ben"], "treaty: duplicate party"),
        (["many"], "treaty: too many parties"),
    ],
)
def test_initialize__bad_parties_revert(system, maker, parties, accounts, invited, reason):
    names = {"self": parties[0].address, "ben": parties[1].address}
    if invited == ["many"]:
        addresses = [f"0x{i:040x}" for i in range(1, 17)]  # 16 invited + the proposer = 17
    else:
        addresses = [names.get(a, a) for a in invited]
    t = fresh_treaty(system, maker)
    with ape.reverts(reason):
        t.initialize(parties[0], addresses, terms(), NO_FUND, ZERO, sender=maker)


def test_initialize__fifteen_invited_is_the_maximum(system, maker, parties):
    t = fresh_treaty(system, maker)
    t.initialize(
        parties[0], [f"0x{i:040x}" for i in range(1, 16)], terms(), NO_FUND, ZERO, sender=maker
    )
    assert t.remaining() == 16


@pytest.mark.parametrize("case", ["fund without terms", "terms without fund"])
def test_initialize__fund_mismatch_reverts(system, maker, parties, case):
    t = fresh_treaty(system, maker)
    ft, fund = (
        (NO_FUND, parties[2].address) if case == "fund without terms" else (fund_terms(), ZERO)
    )
    with ape.reverts("treaty: fund mismatch"):
        t.initialize(parties[0], [parties[1].address], terms(), ft, fund, sender=maker)


def test_initialize__twice_reverts(pending, parties, maker):
    with ape.reverts("treaty: already initialized"):
        pending.initialize(parties[0], [parties[1].address], terms(), NO_FUND, ZERO, sender=maker)


# --- ratification ----------------------------------------------------------------------


def test_ratify__the_last_ratification_puts_it_into_force(pending, parties):
    pending.ratify(sender=parties[1])
    assert pending.state() == PENDING and pending.ratified_count() == 2
    receipt = pending.ratify(sender=parties[2])
    assert event_names(receipt) == ["Ratified", "EnteredIntoForce"]
    entered = pending.entered_at()
    assert pending.state() == IN_FORCE and pending.in_force()
    assert pending.expires_at() == entered + TERM
    assert pending.renewal_opens_at() == entered + TERM - WINDOW


def test_ratify__twice_reverts(pending, parties):
    pending.ratify(sender=parties[1])
    with ape.reverts("treaty: already ratified"):
        pending.ratify(sender=parties[1])
    with ape.reverts("treaty: already ratified"):
        pending.ratify(sender=parties[0])  # the proposer counts as ratified


def test_ratify__by_a_non_party_reverts(pending, stranger):
    with ape.reverts("treaty: not a party"):
        pending.ratify(sender=stranger)


@pytest.mark.parametrize(("offset", "ok"), [(-1, True), (0, False), (1, False)])
def test_ratify__at_the_deadline(pending, parties, offset, ok):
    pending.ratify(sender=parties[1])
    chain.pending_timestamp = pending.terms().ratification_deadline + offset
    if ok:
        pending.ratify(sender=parties[2])
        assert pending.state() == IN_FORCE
    else:
        with ape.reverts("treaty: ratification closed"):
            pending.ratify(sender=parties[2])
        chain.mine()
        assert pending.state() == NEVER_IN_FORCE and pending.has_ended()


@pytest.mark.parametrize(
    ("offset", "state"), [(-1, PENDING), (0, NEVER_IN_FORCE), (1, NEVER_IN_FORCE)]
)
def test_state__around_the_deadline(pending, offset, state):
    assert state_at(pending, pending.terms().ratification_deadline + offset) == state


def test_ratify__after_an_end_below_two_parties_reverts(make_treaty, parties):
    treaty, _ = make_treaty(n=2)
    treaty.withdraw(sender=parties[0])
    assert treaty.state() == ENDED
    with ape.reverts("treaty: ended"):
        treaty.ratify(sender=parties[1])


# --- renewal (and SECURITY.md attack 21) ---------------------------------------------------


@pytest.mark.parametrize(("offset", "ok"), [(-1, False), (0, True), (1, True)])
def test_renew__when_the_window_opens(in_force, parties, offset, ok):
    open_window(in_force, offset)
    if ok:
        in_force.renew(sender=parties[0])
        assert in_force.renewals() == 1 and in_force.has_renewed(parties[0])
    else:
        with ape.reverts("treaty: renewal window not open"):
            in_force.renew(sender=parties[0])


@pytest.mark.parametrize(
    ("offset", "state"), [(-1, IN_FORCE), (0, RENEWAL_OPEN), (1, RENEWAL_OPEN)]
)
def test_state__around_the_window_opening(in_force, offset, state):
    assert state_at(in_force, in_force.renewal_opens_at() + offset) == state


@pytest.mark.parametrize(("offset", "ok"), [(-1, True), (0, False), (1, False)])
def test_renew__the_last_renewal_at_expiry(in_force, parties, offset, ok):
    expires = in_force.expires_at()
    open_window(in_force)
    in_force.renew(sender=parties[0])
    in_force.renew(sender=parties[1])
    chain.pending_timestamp = expires + offset
    if ok:
        receipt = in_force.renew(sender=parties[2])
        assert event_names(receipt) == ["Renewed", "TermExtended"]
        assert in_force.expires_at() == expires + TERM and in_force.term_index() == 1
        assert in_force.state() == IN_FORCE
    else:
        with ape.reverts("treaty: not in force"):
            in_force.renew(sender=parties[2])
        chain.mine()
        assert in_force.state() == LAPSED and in_force.expires_at() == expires


@pytest.mark.parametrize(("offset", "state"), [(-1, RENEWAL_OPEN), (0, LAPSED), (1, LAPSED)])
def test_state__around_expiry(in_force, offset, state):
    assert state_at(in_force, in_force.expires_at() + offset) == state
    assert in_force.in_force() == (state == RENEWAL_OPEN)


def test_attack21__one_missing_renewal_lapses_the_treaty(in_force, parties):
    open_window(in_force)
    in_force.renew(sender=parties[0])
    in_force.renew(sender=parties[1])
    assert state_at(in_force, in_force.expires_at()) == LAPSED and in_force.has_ended()


def test_attack21__a_non_party_cannot_renew(in_force, stranger, parties):
    open_window(in_force)
    with ape.reverts("treaty: not a party"):
        in_force.renew(sender=stranger)
    in_force.withdraw(sender=parties[2])
    with ape.reverts("treaty: not a party"):
        in_force.renew(sender=parties[2])  # nor one that withdrew
    assert in_force.renewals() == 0


def test_attack21__a_double_renewal_counts_once(in_force, parties):
    open_window(in_force)
    in_force.renew(sender=parties[0])
    with ape.reverts("treaty: already renewed"):
        in_force.renew(sender=parties[0])
    assert in_force.renewals() == 1
    in_force.renew(sender=parties[1])
    assert in_force.term_index() == 0 and in_force.renewals() == 2


def test_attack21__a_renewal_cannot_carry_over_to_the_next_term(in_force, parties):
    expires = in_force.expires_at()
    open_window(in_force)
    renew_all(in_force, parties)
    assert in_force.term_index() == 1 and in_force.renewals() == 0
    assert not any(in_force.has_renewed(p) for p in parties)
    # Too early for the next term's window: the earlier renewal is no renewal for it.
    with ape.reverts("treaty: renewal window not open"):
        in_force.renew(sender=parties[0])
    open_window(in_force)
    in_force.renew(sender=parties[0])
    in_force.renew(sender=parties[1])
    # cai renewed for term 1 only: the treaty lapses at the end of term 1.
    assert state_at(in_force, expires + TERM) == LAPSED


def test_attack21__renewing_after_lapse_does_not_resurrect(in_force, parties):
    expires = in_force.expires_at()
    chain.pending_timestamp = expires + DAY
    for p in parties:
        with ape.reverts("treaty: not in force"):
            in_force.renew(sender=p)
    assert in_force.state() == LAPSED and in_force.expires_at() == expires


def test_renew__while_pending_reverts(pending, parties):
    with ape.reverts("treaty: not in force"):
        pending.renew(sender=parties[0])


# --- withdrawal: it succeeds in every state -----------------------------------------------


def _setup(state: str, make_treaty, parties):
    """A treaty in ``state`` (with a funded fund), for withdrawal."""
    treaty, fund = make_treaty(fund_terms_=fund_terms(share_on_withdrawal=state.endswith("+share")))
    state = state.removesuffix("+share")
    for p in parties:
        fund.contribute(CAP // 2, MEMO, value=CAP // 2, sender=p)
    if state == "pending":
        return treaty, fund
    if state == "pending, partly ratified":
        treaty.ratify(sender=parties[1])
        return treaty, fund
    if state == "never in force":
        chain.mine(timestamp=treaty.terms().ratification_deadline)
        return treaty, fund
    ratify_all(treaty, parties)
    if state == "in force":
        return treaty, fund
    open_window(treaty)
    if state == "renewal open":
        return treaty, fund
    if state == "mid-renewal":
        treaty.renew(sender=parties[0])
        treaty.renew(sender=parties[2])
        return treaty, fund
    if state == "amendment pending":
        treaty.propose_amendment(NEW_DOC, sender=parties[0])
        return treaty, fund
    if state == "draw pending":
        treaty.propose_draw(parties[0], CAP // 4, MEMO, sender=parties[0])
        return treaty, fund
    if state == "lapsed":
        chain.mine(timestamp=treaty.expires_at())
        return treaty, fund
    if state == "ended":
        treaty.withdraw(sender=parties[0])
        return treaty, fund
    raise AssertionError(state)


STATES = [
    "pending",
    "pending, partly ratified",
    "never in force",
    "in force",
    "renewal open",
    "mid-renewal",
    "amendment pending",
    "draw pending",
    "lapsed",
    "ended",
]


@pytest.mark.parametrize("state", [*STATES, *(f"{s}+share" for s in STATES)])
def test_withdraw__succeeds_in_every_state(make_treaty, parties, state):
    treaty, fund = _setup(state, make_treaty, parties)
    leaver = parties[1]
    before = treaty.remaining()
    receipt = treaty.withdraw(sender=leaver)
    assert event_args(receipt, "Withdrawn")[0]["party"] == leaver.address
    assert treaty.remaining() == before - 1
    assert not treaty.is_party(leaver) and treaty.has_withdrawn(leaver)
    assert leaver.address not in treaty.parties()
    with ape.reverts("treaty: not a party"):
        treaty.withdraw(sender=leaver)
    if treaty.remaining() < 2:
        assert treaty.state() == ENDED


def test_withdraw__of_the_last_unratified_party_puts_it_into_force(pending, parties):
    pending.ratify(sender=parties[1])
    receipt = pending.withdraw(sender=parties[2])
    assert "EnteredIntoForce" in event_names(receipt)
    assert pending.state() == IN_FORCE and pending.ratified_count() == 2


def test_withdraw__of_a_ratified_party_keeps_the_count_right(pending, parties):
    pending.ratify(sender=parties[1])
    pending.withdraw(sender=parties[1])
    assert pending.ratified_count() == 1 and pending.remaining() == 2
    pending.ratify(sender=parties[2])
    assert pending.state() == IN_FORCE


def test_withdraw__of_the_last_unrenewed_party_extends_the_term(in_force, parties):
    expires = in_force.expires_at()
    open_window(in_force)
    in_force.renew(sender=parties[0])
    in_force.renew(sender=parties[1])
    receipt = in_force.withdraw(sender=parties[2])
    assert "TermExtended" in event_names(receipt)
    assert in_force.expires_at() == expires + TERM and in_force.term_index() == 1


def test_withdraw__of_a_renewed_party_drops_its_renewal(in_force, parties):
    expires = in_force.expires_at()
    open_window(in_force)
    in_force.renew(sender=parties[0])
    in_force.withdraw(sender=parties[0])
    assert in_force.renewals() == 0
    in_force.renew(sender=parties[1])
    assert in_force.term_index() == 0  # one of two
    in_force.renew(sender=parties[2])
    assert in_force.expires_at() == expires + TERM


def test_withdraw__of_the_last_party_not_to_ratify_an_amendment_adopts_it(in_force, parties):
    in_force.propose_amendment(NEW_DOC, sender=parties[0])
    in_force.ratify_amendment(1, sender=parties[1])
    receipt = in_force.withdraw(sender=parties[2])
    assert "TermsAmended" in event_names(receipt)
    assert in_force.terms().document == NEW_DOC


def test_withdraw__below_two_parties_ends_the_treaty(in_force, parties):
    in_force.withdraw(sender=parties[0])
    assert in_force.state() == IN_FORCE
    receipt = in_force.withdraw(sender=parties[1])
    assert event_args(receipt, "Withdrawn")[0]["ended"]
    assert in_force.state() == ENDED and in_force.has_ended() and not in_force.in_force()
    assert in_force.parties() == [parties[2].address]
    open_window(in_force)
    with ape.reverts("treaty: not in force"):
        in_force.renew(sender=parties[2])
    in_force.withdraw(sender=parties[2])  # the last one may still leave
    assert in_force.remaining() == 0


def test_withdraw__by_a_non_party_reverts(in_force, stranger):
    with ape.reverts("treaty: not a party"):
        in_force.withdraw(sender=stranger)


# --- amendment -------------------------------------------------------------------------


def test_amendment__adopted_when_every_remaining_party_ratified(in_force, parties):
    receipt = in_force.propose_amendment(NEW_DOC, sender=parties[1])
    assert event_names(receipt) == ["AmendmentProposed", "AmendmentRatified"]
    assert in_force.amendment() == (1, NEW_DOC, True, 1)
    in_force.ratify_amendment(1, sender=parties[0])
    assert in_force.terms().document == TERMS_DOC  # the old terms stay until the last
    receipt = in_force.ratify_amendment(1, sender=parties[2])
    assert event_args(receipt, "TermsAmended")[0] == {
        "version": 1,
        "old": TERMS_DOC,
        "new": NEW_DOC,
    }
    assert in_force.terms().document == NEW_DOC
    assert in_force.amendment() == (1, NEW_DOC, False, 0)
    assert in_force.has_ratified_amendment(parties[2], 1)


def test_amendment__reasons(in_force, pending, parties, stranger):
    with ape.reverts("treaty: not in force"):
        pending.propose_amendment(NEW_DOC, sender=parties[0])
    with ape.reverts("treaty: empty document"):
        in_force.propose_amendment(b"\x00" * 32, sender=parties[0])
    with ape.reverts("treaty: no such amendment"):
        in_force.ratify_amendment(1, sender=parties[0])
    in_force.propose_amendment(NEW_DOC, sender=parties[0])
    with ape.reverts("treaty: amendment pending"):
        in_force.propose_amendment(doc("another"), sender=parties[1])
    with ape.reverts("treaty: no such amendment"):
        in_force.ratify_amendment(2, sender=parties[1])
    with ape.reverts("treaty: amendment already ratified"):
        in_force.ratify_amendment(1, sender=parties[0])
    with ape.reverts("treaty: not a party"):
        in_force.ratify_amendment(1, sender=stranger)


def test_amendment__void_once_its_term_ends(in_force, parties):
    in_force.propose_amendment(NEW_DOC, sender=parties[0])
    open_window(in_force)
    renew_all(in_force, parties)
    assert in_force.amendment() == (1, NEW_DOC, False, 0)
    with ape.reverts("treaty: no such amendment"):
        in_force.ratify_amendment(1, sender=parties[1])
    in_force.propose_amendment(doc("next"), sender=parties[1])
    assert in_force.amendment() == (2, doc("next"), True, 1)


# --- distress and draws ----------------------------------------------------------------


def test_distress__an_event_with_an_id(in_force, pending, parties):
    receipt = in_force.raise_distress(doc("flood"), sender=parties[2])
    assert event_args(receipt, "DistressRaised") == [
        {"id": 1, "party": parties[2].address, "document": doc("flood")}
    ]
    assert in_force.distress_count() == 1
    with ape.reverts("treaty: empty document"):
        in_force.raise_distress(b"\x00" * 32, sender=parties[2])
    with ape.reverts("treaty: not in force"):
        pending.raise_distress(doc("flood"), sender=parties[2])


@pytest.fixture
def funded(make_treaty, parties):
    def make(threshold=UNANIMITY):
        treaty, fund = make_treaty(terms_=terms(threshold=threshold), fund_terms_=fund_terms())
        ratify_all(treaty, parties)
        for p in parties:
            fund.contribute(CAP, MEMO, value=CAP, sender=p)
        return treaty, fund

    return make


def test_draw__unanimity_executes_with_the_last_approval(funded, parties, stranger):
    treaty, fund = funded()
    before = stranger.balance
    treaty.propose_draw(stranger, CAP, MEMO, sender=parties[0])
    treaty.approve_draw(1, sender=parties[1])
    assert not treaty.draw(1).executed and treaty.draw_approvals(1) == 2
    receipt = treaty.approve_draw(1, sender=parties[2])
    assert event_args(receipt, "DrawExecuted")[0]["approvals"] == 3
    assert treaty.draw(1).executed and stranger.balance == before + CAP
    assert fund.disbursed() == CAP


def test_draw__majority_executes_with_more_than_half(funded, parties, stranger):
    treaty, fund = funded(MAJORITY)
    treaty.propose_draw(stranger, CAP, MEMO, sender=parties[0])
    assert not treaty.draw(1).executed  # 1 of 3
    treaty.approve_draw(1, sender=parties[1])
    assert treaty.draw(1).executed  # 2 of 3


def test_draw__a_withdrawn_approval_no_longer_counts(funded, parties, stranger):
    treaty, _ = funded(MAJORITY)
    treaty.propose_draw(stranger, CAP, MEMO, sender=parties[0])
    treaty.withdraw(sender=parties[0])
    assert treaty.draw_approvals(1) == 0
    treaty.approve_draw(1, sender=parties[1])
    assert not treaty.draw(1).executed  # 1 of 2 is not more than half


def test_draw__executes_after_the_last_dissenter_withdraws(funded, parties, stranger):
    treaty, _ = funded()
    treaty.propose_draw(stranger, CAP, MEMO, sender=parties[0])
    treaty.approve_draw(1, sender=parties[1])
    with ape.reverts("treaty: draw not approved"):
        treaty.execute_draw(1, sender=parties[0])
    treaty.withdraw(sender=parties[2])
    treaty.execute_draw(1, sender=parties[0])
    assert treaty.draw(1).executed
    with ape.reverts("treaty: draw executed"):
        treaty.execute_draw(1, sender=parties[0])
    with ape.reverts("treaty: draw executed"):
        treaty.approve_draw(1, sender=parties[1])


def test_draw__reasons(funded, in_force, parties, stranger):
    treaty, fund = funded()
    with ape.reverts("treaty: no fund"):
        in_force.propose_draw(stranger, 1, MEMO, sender=parties[0])
    with ape.reverts("treaty: zero address"):
        treaty.propose_draw(ZERO, 1, MEMO, sender=parties[0])
    with ape.reverts("treaty: zero amount"):
        treaty.propose_draw(stranger, 0, MEMO, sender=parties[0])
    with ape.reverts("treaty: memo required"):
        treaty.propose_draw(stranger, 1, b"\x00" * 32, sender=parties[0])
    for bad in (0, 1):
        with ape.reverts("treaty: unknown draw"):
            treaty.approve_draw(bad, sender=parties[1])
        with ape.reverts("treaty: unknown draw"):
            treaty.execute_draw(bad, sender=parties[1])
    treaty.propose_draw(stranger, 1, MEMO, sender=parties[0])
    with ape.reverts("treaty: already approved"):
        treaty.approve_draw(1, sender=parties[0])
    with ape.reverts("treaty: not a party"):
        treaty.approve_draw(1, sender=stranger)


def test_draw__more_than_the_fund_holds_reverts_until_it_does(funded, parties, stranger):
    treaty, fund = funded()
    treaty.propose_draw(stranger, 4 * CAP, MEMO, sender=parties[0])
    treaty.approve_draw(1, sender=parties[1])
    with ape.reverts("treatyfund: insufficient funds"):
        treaty.approve_draw(1, sender=parties[2])
    chain.pending_timestamp = now() + 31 * DAY  # next period: a new cap
    fund.contribute(CAP, MEMO, value=CAP, sender=parties[2])
    treaty.approve_draw(1, sender=parties[2])
    assert treaty.draw(1).executed and fund.available() == 0


def test_draw__to_the_fund_itself_reverts(funded, parties):
    treaty, fund = funded(MAJORITY)
    treaty.propose_draw(fund, CAP, MEMO, sender=parties[0])
    with ape.reverts("treatyfund: invalid recipient"):
        treaty.approve_draw(1, sender=parties[1])


def test_draw__not_in_force_reverts(funded, parties, stranger):
    treaty, _ = funded()
    treaty.propose_draw(stranger, CAP, MEMO, sender=parties[0])
    chain.pending_timestamp = treaty.expires_at()
    with ape.reverts("treaty: not in force"):
        treaty.approve_draw(1, sender=parties[1])
    with ape.reverts("treaty: not in force"):
        treaty.propose_draw(stranger, CAP, MEMO, sender=parties[0])
    with ape.reverts("treaty: not in force"):
        treaty.execute_draw(1, sender=parties[0])


# --- the polity interface and mediator lending -------------------------------------------


def test_polity_interface__members_are_remaining_parties(in_force, parties, stranger):
    assert in_force.is_member(parties[1]) and not in_force.is_member(stranger)
    assert in_force.book(1) == ZERO and in_force.book(2) == ZERO
    in_force.withdraw(sender=parties[1])
    assert not in_force.is_member(parties[1])
    assert in_force.invited() == [p.address for p in parties]


def test_lends_mediators__as_the_terms_say(make_treaty):
    treaty, _ = make_treaty(terms_=terms(lends_mediators=False))
    assert not treaty.lends_mediators()

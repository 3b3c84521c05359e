"""The role book: defining roles, appointing and recalling by the charter's proposals only,
mandates that lapse on their own (SECURITY.md 20) or end when their holder leaves, the stakes
a role proposal needs, the views, and attack 5 (re-initialisation). Volunteering, rotation,
withdrawal and resignation are in ``test_role_rotation.py``."""

from __future__ import annotations

import ape
import pytest
from eth_utils import keccak
from panarchy import errors

from tests.contracts.helpers import (
    CONTRACTS,
    DAY,
    MAJORITY,
    SUPERMAJORITY,
    ZERO,
    deployables,
    event_args,
    event_names,
    helper,
    reasons_in,
    recorded_code_digest,
    role,
)
from tests.contracts.role_helpers import (
    MAX_TERMS,
    MEDIATOR,
    NO_MANDATE,
    STEWARD,
    TERM,
    appoint,
    at,
    define,
    fails,
    mandate,
    now,
    recall,
)


@pytest.fixture
def role_book(polity):
    """The polity's role book with the steward role defined (30-day terms, two in a row)."""
    define(polity)
    return polity.role_book


@pytest.fixture
def cofounder(founders):
    """The third founder (``founder`` and ``member`` are the first two)."""
    return founders[2]


@pytest.fixture
def appointed(polity, role_book, member):
    """``member`` appointed steward; returns the mandate's expiry."""
    appoint(polity, member)
    return role_book.mandate(STEWARD).expires_at


def _selector(signature: str) -> bytes:
    return keccak(text=signature)[:4]


# --- defining roles --------------------------------------------------------------------------


def test_define_role__by_proposal_records_the_terms(polity):
    book = polity.role_book
    receipt = define(polity)
    assert event_names(receipt) == ["RoleTermsUpdated", "ProposalExecuted"]
    assert event_args(receipt, "RoleTermsUpdated") == [
        {"role": STEWARD, "old": [0, 0, 0], "new": [TERM, MAX_TERMS, 0]}
    ]
    assert tuple(book.terms(STEWARD)) == (TERM, MAX_TERMS, 0)
    assert book.role_names() == [STEWARD]
    assert mandate(book) == NO_MANDATE
    assert book.holder(STEWARD) == ZERO
    assert book.roster(STEWARD) == []
    assert book.rotation_cursor(STEWARD) == 0
    assert book.next_in_rotation(STEWARD) == ZERO


def test_define_role__again_changes_terms_from_the_next_mandate_on(
    polity, role_book, appointed, member, cofounder
):
    receipt = define(polity, term=10 * DAY, max_terms=1)
    assert event_args(receipt, "RoleTermsUpdated") == [
        {"role": STEWARD, "old": [TERM, MAX_TERMS, 0], "new": [10 * DAY, 1, 0]}
    ]
    assert role_book.role_names() == [STEWARD]  # listed once
    assert role_book.mandate(STEWARD).expires_at == appointed  # the mandate keeps its term
    assert role_book.holds_role(STEWARD, member)
    fails(
        polity,
        [polity.roles_call("appoint", STEWARD, member.address)],
        "roles: consecutive term limit",
    )
    appoint(polity, cofounder)
    assert role_book.mandate(STEWARD).expires_at == now() + 10 * DAY


def test_define_role__new_terms_never_revive_a_lapsed_mandate(polity, role_book, appointed, member):
    """Renewal after expiry does not silently resurrect (SECURITY.md 20)."""
    ape.chain.pending_timestamp = appointed
    define(polity, term=365 * DAY)
    assert not role_book.holds_role(STEWARD, member)
    assert mandate(role_book)[2:] == (appointed, 1, False, False)


def test_role_names__in_the_order_of_definition(polity):
    delegate = role("delegate")
    polity.run(
        [polity.roles_call("define_role", r, TERM, 1) for r in (MEDIATOR, STEWARD, delegate)]
    )
    assert polity.role_book.role_names() == [MEDIATOR, STEWARD, delegate]


@pytest.mark.parametrize(
    "name, term, max_terms, reason",
    [
        pytest.param(b"\x00" * 32, TERM, 1, "roles: empty role name", id="empty name"),
        pytest.param(STEWARD, 0, 1, "roles: zero term", id="zero term"),
        pytest.param(STEWARD, 2**32, 1, "roles: term too long", id="term over 32 bits"),
        pytest.param(STEWARD, TERM, 0, "roles: zero consecutive terms", id="zero terms"),
        pytest.param(
            STEWARD, TERM, 256, "roles: too many consecutive terms", id="terms over 8 bits"
        ),
    ],
)
def test_define_role__invalid_terms_revert_execution(polity, name, term, max_terms, reason):
    fails(polity, [polity.roles_call("define_role", name, term, max_terms)], reason)
    assert polity.role_book.role_names() == []


def test_define_role__largest_terms_accepted(polity):
    define(polity, term=2**32 - 1, max_terms=255)
    assert tuple(polity.role_book.terms(STEWARD)) == (2**32 - 1, 255, 0)


def test_define_role__seventeenth_role_reverts(polity):
    names = [role(f"role {i}") for i in range(16)]
    polity.run([polity.roles_call("define_role", r, TERM, 1) for r in names[:10]])
    polity.run([polity.roles_call("define_role", r, TERM, 1) for r in names[10:]])
    assert polity.role_book.role_names() == names
    fails(
        polity,
        [polity.roles_call("define_role", role("one too many"), TERM, 1)],
        "roles: too many roles",
    )
    define(polity, name=names[0], term=DAY)  # redefining a role takes no new place
    assert polity.role_book.terms(names[0]).term_seconds == DAY


# --- only by the charter's proposals -------------------------------------------------------


@pytest.mark.parametrize(
    "method, args",
    [
        ("define_role", (STEWARD, TERM, 1)),
        ("set_min_volunteer_age", (STEWARD, DAY)),
        ("appoint", (STEWARD, "0x" + "11" * 20)),
        ("recall", (STEWARD,)),
        ("clear_roster", (STEWARD,)),
    ],
)
@pytest.mark.parametrize("caller", ["founder", "stranger"])
def test_governance__called_directly_reverts(role_book, request, method, args, caller):
    """Not even a member may call the book's governance functions: only the charter may."""
    sender = request.getfixturevalue(caller)
    with ape.reverts("roles: only by the charter"):
        getattr(role_book, method)(*args, sender=sender)


@pytest.mark.parametrize(
    "method, signature, args",
    [
        ("define_role", "define_role(bytes32,uint256,uint256)", (MEDIATOR, TERM, 1)),
        (
            "set_min_volunteer_age",
            "set_min_volunteer_age(bytes32,uint256)",
            (STEWARD, DAY),
        ),
        ("appoint", "appoint(bytes32,address)", (STEWARD, "0x" + "11" * 20)),
        ("recall", "recall(bytes32)", (STEWARD,)),
        ("clear_roster", "clear_roster(bytes32)", (STEWARD,)),
    ],
)
def test_governance__proposal_needs_majority(polity, role_book, founder, method, signature, args):
    # Unlisted: the default applies.
    assert polity.charter.stakes_of(role_book.address, _selector(signature)) == 0
    pid = polity.propose(founder, [polity.roles_call(method, *args)])
    assert polity.charter.proposal(pid).level == MAJORITY


def test_governance__proposal_records_no_code_hash_for_the_founding_role_book(polity, founder):
    """The role book is a founding book, a minimal proxy whose code never changes
    (Charter.vy `_code_digest`): nothing to hash, and the proposal executes."""
    actions = [polity.roles_call("define_role", STEWARD, TERM, 1)]
    pid = polity.propose(founder, actions)
    assert recorded_code_digest(polity.charter, pid) == b"\x00" * 32
    polity.vote(pid, polity.founders)
    polity.end_voting(pid)
    polity.execute(pid, actions)
    assert tuple(polity.role_book.terms(STEWARD)) == (TERM, 1, 0)


def test_governance__a_clause_book_proposal_records_no_code_hash(polity, founder):
    """Nor does one calling the clause book, the other founding book (a book added later is
    hashed: tests/contracts/charter/test_books.py tells the cases apart)."""
    pid = polity.propose(founder, [polity.book_call("repeal_clause", 1)])
    assert recorded_code_digest(polity.charter, pid) == b"\x00" * 32


def test_governance__the_stakes_table_applies_to_the_role_book(polity, role_book, founder, member):
    selector = _selector("appoint(bytes32,address)")
    polity.run([polity.call("set_stakes", role_book.address, selector, SUPERMAJORITY)])
    pid = polity.propose(founder, [polity.roles_call("appoint", STEWARD, member.address)])
    assert polity.charter.proposal(pid).level == SUPERMAJORITY


def test_governance__appointment_below_quorum_is_defeated(make_polity, founders, member):
    polity = make_polity(quorum_bps=10_000)
    define(polity)
    actions = [polity.roles_call("appoint", STEWARD, member.address)]
    pid = polity.passed(actions, voters=founders[:2])
    with ape.reverts("charter: proposal defeated"):
        polity.execute(pid, actions)
    assert not polity.role_book.holds_role(STEWARD, member)


# --- appoint ---------------------------------------------------------------------------------


def test_appoint__gives_a_member_a_term_from_now(polity, role_book, founder, member):
    receipt = appoint(polity, member)
    t = now()
    assert event_names(receipt) == ["MandateAppointed", "ProposalExecuted"]
    assert event_args(receipt, "MandateAppointed") == [
        {"role": STEWARD, "holder": member.address, "expires_at": t + TERM, "consecutive_terms": 1}
    ]
    assert mandate(role_book) == (member.address, t, t + TERM, 1, False, True)
    assert role_book.holder(STEWARD) == member.address
    # Bound to the member's seat: the founders sit in seats 1-3, in the order named.
    assert role_book.granted_seat(STEWARD) == polity.charter.seat_of(member) == 2
    for account, holds in ((member, True), (founder, False)):
        assert role_book.holds_role(STEWARD, account) is holds
        assert polity.charter.holds_role(STEWARD, account) is holds
    assert not role_book.holds_role(MEDIATOR, member)


def test_appoint__non_member_reverts(polity, role_book, stranger):
    fails(polity, [polity.roles_call("appoint", STEWARD, stranger.address)], "roles: not a member")


def test_appoint__unknown_role_reverts(polity, member):
    fails(polity, [polity.roles_call("appoint", STEWARD, member.address)], "roles: unknown role")


def test_appoint__replaces_the_mandate_in_force(polity, role_book, appointed, member, cofounder):
    receipt = appoint(polity, cofounder)
    t = now()
    assert event_names(receipt) == ["MandateRecalled", "MandateAppointed", "ProposalExecuted"]
    assert event_args(receipt, "MandateRecalled") == [{"role": STEWARD, "holder": member.address}]
    assert event_args(receipt, "MandateAppointed")[0]["holder"] == cofounder.address
    assert mandate(role_book) == (cofounder.address, t, t + TERM, 1, False, True)
    assert not role_book.holds_role(STEWARD, member)


def test_appoint__same_member_again_up_to_the_consecutive_term_limit(
    polity, role_book, appointed, member, cofounder
):
    receipt = appoint(polity, member)
    # A new term for the holder, not a recall.
    assert event_names(receipt) == ["MandateAppointed", "ProposalExecuted"]
    assert event_args(receipt, "MandateAppointed")[0]["consecutive_terms"] == 2
    fails(
        polity,
        [polity.roles_call("appoint", STEWARD, member.address)],
        "roles: consecutive term limit",
    )
    assert mandate(role_book)[3:] == (2, False, True)
    # Someone else serves in between: the count starts again.
    appoint(polity, cofounder)
    receipt = appoint(polity, member)
    assert event_args(receipt, "MandateAppointed")[0]["consecutive_terms"] == 1


def test_appoint__after_a_lapse_reports_it(polity, role_book, appointed, member, cofounder):
    ape.chain.pending_timestamp = appointed
    receipt = appoint(polity, cofounder)
    assert event_names(receipt) == ["MandateLapsed", "MandateAppointed", "ProposalExecuted"]
    assert event_args(receipt, "MandateLapsed") == [
        {"role": STEWARD, "holder": member.address, "expired_at": appointed}
    ]
    # An appointment starts now, off the lapsed term's grid.
    assert mandate(role_book)[1:3] == (now(), now() + TERM)


def test_appoint__after_a_recall_reports_no_lapse(polity, role_book, appointed, cofounder):
    recall(polity)
    receipt = appoint(polity, cofounder)
    assert event_names(receipt) == ["MandateAppointed", "ProposalExecuted"]


def test_appoint__moves_the_rotation_cursor_after_an_appointee_on_the_roster(
    polity, role_book, founder, member, cofounder, newcomer
):
    for v in (founder, member, cofounder):
        role_book.volunteer(STEWARD, sender=v)
    appoint(polity, member)
    assert role_book.rotation_cursor(STEWARD) == 2
    assert role_book.next_in_rotation(STEWARD) == cofounder.address
    appoint(polity, cofounder)
    assert role_book.rotation_cursor(STEWARD) == 0  # wraps around
    assert role_book.next_in_rotation(STEWARD) == founder.address
    polity.charter.join(sender=newcomer)
    appoint(polity, newcomer)  # not on the roster: the cursor stays
    assert role_book.rotation_cursor(STEWARD) == 0
    assert role_book.next_in_rotation(STEWARD) == founder.address


# --- recall ----------------------------------------------------------------------------------


def test_recall__ends_the_mandate_now(polity, role_book, appointed, member):
    started = role_book.mandate(STEWARD).started_at
    receipt = recall(polity)
    assert event_names(receipt) == ["MandateRecalled", "ProposalExecuted"]
    assert event_args(receipt, "MandateRecalled") == [{"role": STEWARD, "holder": member.address}]
    assert mandate(role_book) == (member.address, started, appointed, 1, True, False)
    assert role_book.holder(STEWARD) == ZERO
    assert not role_book.holds_role(STEWARD, member)
    assert not polity.charter.holds_role(STEWARD, member)
    at(appointed - 1)  # for good, not only until the term would have ended
    assert not role_book.holds_role(STEWARD, member)


@pytest.mark.parametrize("before", ["never filled", "lapsed", "recalled", "holder left"])
def test_recall__without_a_mandate_in_force_reverts(polity, role_book, newcomer, before):
    if before != "never filled":
        polity.charter.join(sender=newcomer)
        appoint(polity, newcomer)
    if before == "lapsed":
        ape.chain.pending_timestamp = role_book.mandate(STEWARD).expires_at
    elif before == "recalled":
        recall(polity)
    elif before == "holder left":
        polity.charter.leave(sender=newcomer)
    fails(polity, [polity.roles_call("recall", STEWARD)], "roles: no mandate in force")


def test_recall__unknown_role_reverts(polity):
    fails(polity, [polity.roles_call("recall", MEDIATOR)], "roles: unknown role")


# --- expiry (SECURITY.md 20) -----------------------------------------------------------------

EDGES = [
    pytest.param(-1, True, id="t-1"),
    pytest.param(0, False, id="t"),
    pytest.param(1, False, id="t+1"),
]


@pytest.mark.parametrize("offset, in_force", EDGES)
def test_expiry__mandate_lapses_at_expires_at_without_a_transaction(
    polity, role_book, appointed, member, offset, in_force
):
    at(appointed + offset)
    assert role_book.holds_role(STEWARD, member) is in_force
    assert polity.charter.holds_role(STEWARD, member) is in_force
    assert role_book.mandate(STEWARD).in_force is in_force
    assert role_book.holder(STEWARD) == (member.address if in_force else ZERO)


@pytest.mark.parametrize("offset, in_force", EDGES)
def test_expiry__recall_executed_at_the_edge(polity, role_book, appointed, offset, in_force):
    action = [polity.roles_call("recall", STEWARD)]
    ape.chain.pending_timestamp = appointed - 10 * DAY  # so the window spans the expiry
    pid = polity.passed(action)
    ape.chain.pending_timestamp = appointed + offset
    if in_force:
        assert event_names(polity.execute(pid, action)) == ["MandateRecalled", "ProposalExecuted"]
        assert role_book.mandate(STEWARD).ended_early
    else:
        with ape.reverts("roles: no mandate in force"):
            polity.execute(pid, action)
        assert not role_book.mandate(STEWARD).ended_early


# --- a holder who leaves the charter ---------------------------------------------------------


@pytest.fixture
def newcomer_appointed(polity, role_book, newcomer):
    polity.charter.join(sender=newcomer)
    appoint(polity, newcomer)
    return role_book.mandate(STEWARD).expires_at


def test_leave__holder_no_longer_holds_the_role(polity, role_book, newcomer_appointed, newcomer):
    polity.charter.leave(sender=newcomer)
    assert not role_book.holds_role(STEWARD, newcomer)
    assert not polity.charter.holds_role(STEWARD, newcomer)
    assert role_book.holder(STEWARD) == ZERO
    assert mandate(role_book)[2:] == (newcomer_appointed, 1, False, False)


def test_leave__rejoining_does_not_bring_the_mandate_back(
    polity, role_book, newcomer_appointed, newcomer
):
    """Leaving ends a mandate for good: a later membership is a new one."""
    polity.charter.leave(sender=newcomer)
    polity.charter.join(sender=newcomer)
    assert ape.chain.blocks.head.timestamp < newcomer_appointed  # the term has not run out
    assert not role_book.holds_role(STEWARD, newcomer)
    assert role_book.holder(STEWARD) == ZERO
    assert not role_book.mandate(STEWARD).in_force
    appoint(polity, newcomer)  # the role is vacant: an appointment (or a rotation) fills it
    assert role_book.holds_role(STEWARD, newcomer)


def test_leave__a_new_appointment_binds_the_new_seat(
    polity, role_book, newcomer_appointed, newcomer
):
    first = role_book.granted_seat(STEWARD)
    assert first == polity.charter.seat_of(newcomer) == 4  # after the three founders
    polity.charter.leave(sender=newcomer)
    polity.charter.join(sender=newcomer)
    assert polity.charter.seat_of(newcomer) == 5
    assert role_book.granted_seat(STEWARD) == 4  # the old mandate stays bound to the old seat
    assert not role_book.holds_role(STEWARD, newcomer)
    appoint(polity, newcomer)
    assert role_book.granted_seat(STEWARD) == 5
    assert role_book.holds_role(STEWARD, newcomer)
    # The same holder with nobody in between: its second term in a row.
    assert role_book.mandate(STEWARD).consecutive_terms == 2


# --- views -----------------------------------------------------------------------------------


def test_views__an_undefined_role_reads_as_empty(polity, member):
    book = polity.role_book
    assert tuple(book.terms(MEDIATOR)) == (0, 0, 0)
    assert book.granted_seat(MEDIATOR) == 0
    assert mandate(book, MEDIATOR) == NO_MANDATE
    assert book.holder(MEDIATOR) == ZERO
    assert not book.holds_role(MEDIATOR, member)
    assert not book.holds_role(MEDIATOR, ZERO)
    assert book.roster(MEDIATOR) == []
    assert book.rotation_cursor(MEDIATOR) == 0
    assert book.next_in_rotation(MEDIATOR) == ZERO
    assert book.role_names() == []


def test_views__the_zero_address_never_holds_a_role(polity, role_book):
    assert not role_book.holds_role(STEWARD, ZERO)
    assert not polity.charter.holds_role(STEWARD, ZERO)


def test_views__book_and_charter_point_at_each_other(system, polity):
    assert polity.role_book.charter() == polity.charter.address
    assert polity.charter.book(2) == polity.role_book.address
    created = event_args(polity.found_receipt, "CharterCreated")[0]
    assert created["role_book"] == polity.role_book.address
    assert polity.role_book.address not in (polity.book.address, system.role_book_impl.address)
    assert not system.factory.is_charter(polity.role_book.address)


def test_views__each_charter_has_its_own_book(make_polity, polity, member):
    other = make_polity()
    assert other.role_book.address != polity.role_book.address
    define(polity)
    appoint(polity, member)
    assert tuple(other.role_book.terms(STEWARD)) == (0, 0, 0)
    assert not other.charter.holds_role(STEWARD, member)


# --- attack 5: re-initialisation -------------------------------------------------------------


def test_reinitialisation__role_book_proxy_by_stranger_reverts(polity, stranger):
    with ape.reverts("roles: already initialized"):
        polity.role_book.initialize(stranger.address, sender=stranger)
    assert polity.role_book.charter() == polity.charter.address


def test_reinitialisation__role_book_implementation_is_locked(system, stranger):
    impl = system.role_book_impl
    assert impl.charter() == impl.address
    with ape.reverts("roles: already initialized"):
        impl.initialize(stranger.address, sender=stranger)
    with ape.reverts("roles: only by the charter"):
        impl.define_role(STEWARD, TERM, 1, sender=stranger)


def test_reinitialisation__fresh_role_book_proxy_initialises_once(system, stranger, founder):
    maker = stranger.deploy(helper("ProxyMaker"))
    proxy = event_args(maker.make(system.role_book_impl, sender=stranger), "ProxyCreated")[0][
        "proxy"
    ]
    book = deployables()["RoleBook"].at(proxy)
    assert book.charter() == ZERO
    with ape.reverts("roles: zero charter"):
        book.initialize(ZERO, sender=stranger)
    book.initialize(stranger.address, sender=stranger)
    assert book.charter() == stranger.address
    with ape.reverts("roles: already initialized"):
        book.initialize(founder.address, sender=founder)
    assert book.charter() == stranger.address
    with ape.reverts("roles: only by the charter"):
        book.define_role(STEWARD, TERM, 1, sender=founder)
    book.define_role(STEWARD, TERM, 1, sender=stranger)  # bound to whoever initialised it
    assert book.role_names() == [STEWARD]


# --- the SDK's view of these reasons ---------------------------------------------------------


def test_reasons__every_role_book_revert_is_a_role_error():
    """``except RoleError`` catches every revert the role book can give (pysdk errors.py),
    while the generic classes (not a member, only by proposal) still catch theirs."""
    reasons = set(reasons_in(CONTRACTS / "RoleBook.vy")) | set(
        reasons_in(CONTRACTS / "modules" / "roles.vy")
    )
    assert len(reasons) == 22
    assert {r for r in reasons if not r.startswith("roles: ")} == set()
    for reason in sorted(reasons):
        error = errors.error_for_revert(reason)
        assert isinstance(error, errors.RoleError), reason
        assert error.reason == reason
    assert isinstance(errors.error_for_revert("roles: not a member"), errors.NotAMember)
    assert isinstance(errors.error_for_revert("roles: only by the charter"), errors.OnlyByProposal)
    assert isinstance(
        errors.error_for_revert("roles: already initialized"), errors.AlreadyInitialized
    )
    assert isinstance(
        errors.error_for_revert("roles: member too new to volunteer"),
        errors.MemberTooNewToVolunteer,
    )
    assert isinstance(
        errors.error_for_revert("roles: volunteer age too long"), errors.InvalidRoleTerms
    )

"""Founding: the factory, the initialisers and their reverts; attack 5 (re-initialisation)."""

from __future__ import annotations

import ape
import pytest

from tests.contracts.helpers import (
    CONSENT,
    MAJORITY,
    SUPERMAJORITY,
    ZERO,
    Polity,
    deployables,
    doc,
    event_args,
    event_names,
    helper,
    params,
    rules,
)


def _create(system, sender, *, name="X", concord=None, founders=None, p=None, r=None):
    return system.factory.create_charter(
        name,
        doc("concord") if concord is None else concord,
        founders if founders is not None else [sender.address],
        p or params(),
        r or rules(),
        sender=sender,
    )


# --- the factory ---------------------------------------------------------------------


def test_create_charter__founds_and_lists_charter_and_book(system, founders, founder):
    polity = Polity.found(system, founders)
    charter, book = polity.charter, polity.book
    assert system.factory.is_charter(charter.address)
    assert not system.factory.is_charter(book.address)
    assert system.factory.charter_count() == 1
    assert charter.name() == "Test Commons"
    assert charter.concord() == doc("concord")
    assert charter.book(1) == book.address
    assert charter.book(2) == polity.role_book.address
    assert charter.book(3) == ZERO
    assert charter.book_list() == [(1, book.address), (2, polity.role_book.address)]
    assert book.charter() == charter.address
    assert charter.member_count() == 3
    assert all(charter.is_member(f) for f in founders)
    assert charter.parameters() == params()
    assert book.rules() == rules()
    names = event_names(polity.found_receipt)
    assert names == (
        ["RulesUpdated", "ParametersUpdated"]
        + ["MemberJoined"] * 3
        + ["StakesUpdated"] * 5  # the charter's own: admit, add_book, concord, stakes, parameters
        + ["StakesUpdated"] * 5  # the clause book's defaults, then the book is added
        + ["BookAdded"] * 2  # the role book lists no stakes of its own
        + ["CharterFounded", "CharterCreated"]
    )
    assert event_args(polity.found_receipt, "BookAdded") == [
        {"kind": 1, "book": book.address},
        {"kind": 2, "book": polity.role_book.address},
    ]
    assert event_args(polity.found_receipt, "CharterFounded") == [
        {"name": "Test Commons", "concord": doc("concord"), "founders": 3}
    ]
    created = event_args(polity.found_receipt, "CharterCreated")[0]
    assert created["creator"] == founder.address and created["name"] == "Test Commons"


def test_create_charter__default_stakes_table(polity):
    c, book = polity.charter, polity.book
    expected = {
        (c, "admit(address)"): MAJORITY,
        (c, "add_book(uint8,address)"): SUPERMAJORITY,
        (book, "enact_clause(bytes32,uint256)"): MAJORITY,
        (book, "amend_clause(uint256,bytes32,uint256)"): MAJORITY,
        (book, "renew_clause(uint256,uint256)"): CONSENT,
        (book, "repeal_clause(uint256)"): MAJORITY,
        (book, "set_rules((uint256,uint256,uint256,uint256))"): SUPERMAJORITY,
        (c, "set_concord(bytes32)"): SUPERMAJORITY,
        (c, "set_stakes(address,bytes4,uint8)"): SUPERMAJORITY,
        (c, "set_parameters((uint256,uint256,uint256,uint256,uint256,uint256,uint8))"): (
            SUPERMAJORITY
        ),
        (c, "unlisted()"): 0,
        # Keyed by target: a selector listed on one contract is unlisted on another.
        (c, "renew_clause(uint256,uint256)"): 0,
        (book, "admit(address)"): 0,
    }
    from eth_utils import keccak

    for (target, signature), level in expected.items():
        assert c.stakes_of(target, keccak(text=signature)[:4]) == level, signature


def test_factory__implementation_without_code_reverts(accounts, system, stranger):
    factory_type = deployables()["CharterFactory"]
    impls = [
        system.charter_impl,
        system.book_impl,
        system.role_book_impl,
        system.fund_impl,
        system.circle_impl,
        system.treaty_impl,
        system.treaty_fund_impl,
    ]
    for i in range(len(impls)):
        with ape.reverts("factory: implementation has no code"):
            accounts[8].deploy(factory_type, *impls[:i], stranger.address, *impls[i + 1 :])


def test_create_charter__empty_name_reverts(system, founder):
    with ape.reverts("charter: empty name"):
        _create(system, founder, name="")


def test_create_charter__empty_concord_reverts(system, founder):
    with ape.reverts("charter: empty document"):
        _create(system, founder, concord=b"\x00" * 32)


def test_create_charter__no_founders_reverts(system, founder):
    with ape.reverts("charter: no founders"):
        _create(system, founder, founders=[])


def test_create_charter__zero_founder_reverts(system, founder):
    with ape.reverts("charter: zero address"):
        _create(system, founder, founders=[founder.address, ZERO])


def test_create_charter__duplicate_founder_reverts(system, founder):
    with ape.reverts("charter: already a member"):
        _create(system, founder, founders=[founder.address, founder.address])


@pytest.mark.parametrize(
    "overrides, reason",
    [
        ({"voting_period": 0}, "charter: zero voting period"),
        ({"execution_window": 0}, "charter: zero execution window"),
        ({"quorum_bps": 10_001}, "charter: quorum over 100%"),
        ({"supermajority_den": 0, "supermajority_num": 0}, "charter: invalid supermajority"),
        ({"supermajority_num": 4, "supermajority_den": 3}, "charter: invalid supermajority"),
        ({"supermajority_num": 1, "supermajority_den": 2}, "charter: invalid supermajority"),
        ({"supermajority_num": 63, "supermajority_den": 64}, "charter: invalid supermajority"),
        ({"admission": 3}, "charter: invalid admission policy"),
        ({"voting_period": 2**32}, "charter: parameter too large"),
        ({"execution_window": 2**32}, "charter: parameter too large"),
        ({"consent_max_objections": 2**32}, "charter: parameter too large"),
    ],
)
def test_create_charter__invalid_parameters_revert(system, founder, overrides, reason):
    with ape.reverts(reason):
        _create(system, founder, p=params(**overrides))


def test_create_charter__parameter_bounds_accepted(system, founder):
    """The largest values that fit, and the smallest valid supermajority (a bare half plus)."""
    p = params(
        voting_period=2**32 - 1,
        execution_window=2**32 - 1,
        consent_max_objections=2**32 - 1,
        quorum_bps=10_000,
        supermajority_num=32,
        supermajority_den=63,
        admission=2,
    )
    _create(system, founder, p=p)


@pytest.mark.parametrize(
    "overrides, reason",
    [
        ({"revision_period": 0}, "clauses: zero revision period"),
        ({"max_term_cycles": 0}, "clauses: zero max term"),
        ({"revision_period": 2**32}, "clauses: rule too large"),
        ({"max_term_cycles": 2**8}, "clauses: rule too large"),
        ({"max_renewals": 2**8}, "clauses: rule too large"),
        ({"revision_quota": 2**32}, "clauses: rule too large"),
    ],
)
def test_create_charter__invalid_rules_revert(system, founder, overrides, reason):
    with ape.reverts(reason):
        _create(system, founder, r=rules(**overrides))


# --- attack 5: re-initialisation ----------------------------------------------------------


def test_reinitialisation__charter_proxy_by_stranger_reverts(polity, stranger):
    with ape.reverts("charter: already initialized"):
        polity.charter.initialize(
            "Hijack",
            doc("evil"),
            [stranger.address],
            params(),
            [(1, stranger.address)],
            sender=stranger,
        )
    assert not polity.charter.is_member(stranger)
    assert polity.charter.name() == "Test Commons"


def test_reinitialisation__book_proxy_by_stranger_reverts(polity, stranger):
    with ape.reverts("clauses: already initialized"):
        polity.book.initialize(stranger.address, rules(), sender=stranger)
    assert polity.book.charter() == polity.charter.address


def test_reinitialisation__implementations_are_locked(system, stranger):
    with ape.reverts("charter: already initialized"):
        system.charter_impl.initialize(
            "Impl",
            doc("evil"),
            [stranger.address],
            params(),
            [(1, stranger.address)],
            sender=stranger,
        )
    with ape.reverts("clauses: already initialized"):
        system.book_impl.initialize(stranger.address, rules(), sender=stranger)


def test_reinitialisation__fresh_proxy_initialises_once(system, stranger, founder):
    """A proxy made outside the factory initialises once; the second time reverts."""
    maker = stranger.deploy(helper("ProxyMaker"))
    proxy = event_args(maker.make(system.charter_impl, sender=stranger), "ProxyCreated")[0]["proxy"]
    charter = deployables()["Charter"].at(proxy)
    charter.initialize(
        "Mine",
        doc("c"),
        [stranger.address],
        params(),
        [],
        sender=stranger,
    )
    with ape.reverts("charter: already initialized"):
        charter.initialize(
            "Again",
            doc("c"),
            [founder.address],
            params(),
            [],
            sender=founder,
        )


def test_book_initialize__zero_charter_reverts(system, stranger):
    maker = stranger.deploy(helper("ProxyMaker"))
    proxy = event_args(maker.make(system.book_impl, sender=stranger), "ProxyCreated")[0]["proxy"]
    book = deployables()["ClauseBook"].at(proxy)
    with ape.reverts("clauses: zero charter"):
        book.initialize(ZERO, rules(), sender=stranger)
    book.initialize(stranger.address, rules(), sender=stranger)
    with ape.reverts("clauses: already initialized"):
        book.initialize(stranger.address, rules(), sender=stranger)


# --- standards ------------------------------------------------------------------------------


def test_erc6372_clock(charter, chain):
    assert charter.CLOCK_MODE() == "mode=timestamp"
    assert charter.clock() == chain.blocks.head.timestamp


def test_erc5267_domain(charter, chain):
    fields, name, version, chain_id, contract, salt, extensions = charter.eip712Domain()
    assert fields == b"\x0f"
    assert (name, version) == ("Panarchy Charter", "1")
    assert chain_id == chain.chain_id
    assert contract == charter.address
    assert salt == b"\x00" * 32 and list(extensions) == []

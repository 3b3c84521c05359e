"""The SDK's roles, solidarity funds and savings circles, in-process and against a real anvil
node: what a treasurer and a steward do, read back, exported, audited and drawn."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from pathlib import Path

import pytest
from panarchy import errors
from panarchy.documents import InvalidCID
from panarchy.funds import Fund, FundLimits, SavingsCircle, funds_of, plot_balance, to_csv, to_json
from vyper import compile_code

from tests.sdk.charter.test_charter_sdk import pass_proposal
from tests.sdk.conftest import DAY, cid_of

TARGETS = Path(__file__).resolve().parents[2] / "contracts" / "targets"
ETHER = 10**18
LIMITS = FundLimits(contribution_cap=ETHER, steward_limit=ETHER // 2)
#: What a member creates a fund with: the steward limit is the charter's to set.
MEMBER_LIMITS = FundLimits(contribution_cap=ETHER)


@pytest.fixture
def charter(make_charter):
    return make_charter()


@pytest.fixture
def steward(chain, charter, founders, store):
    """Bo, appointed steward for 30 days by proposal."""
    actions = [
        charter.actions.define_role("steward", timedelta(days=30), 2),
        charter.actions.appoint("steward", founders[1].address),
    ]
    pass_proposal(chain, charter, store, actions, founders)
    return founders[1]


def _steward_limited_fund(chain, factory, charter, founders, store, token=None):
    """A fund Ada creates (with no steward limit, as every member's fund starts), given
    LIMITS by the charter's proposal."""
    made = Fund.create(
        chain, founders[0], factory=factory, charter=charter, limits=MEMBER_LIMITS, token=token
    )
    pass_proposal(chain, charter, store, [made.actions.set_limits(LIMITS)], founders)
    return made


@pytest.fixture
def fund(chain, factory, charter, founders, steward, store):
    return _steward_limited_fund(chain, factory, charter, founders, store)


def _nonce(chain, account):
    return chain.w3.eth.get_transaction_count(account.address)


# --- roles -------------------------------------------------------------------------------


def test_roles__appointed_lapse_on_their_own_and_rotate(
    chain, charter, founders, steward, stranger
):
    roles = charter.roles
    ada, bo, cy = founders
    assert roles.names() == ["steward"]
    assert roles.terms("steward").term == timedelta(days=30)
    mandate = roles.mandate("steward")
    assert (mandate.holder, mandate.in_force, mandate.consecutive_terms) == (bo.address, True, 1)
    assert timedelta(days=29) < mandate.time_left <= timedelta(days=30)
    assert charter.contract.functions.holds_role(b"steward".ljust(32, b"\0"), bo.address).call()

    roles.volunteer(cy, "steward")
    roles.volunteer(ada, "steward")
    assert roles.rotation_order("steward") == [cy.address, ada.address]
    before = _nonce(chain, stranger)
    with pytest.raises(errors.NotAMember, match="roles: not a member"):
        roles.volunteer(stranger, "steward")
    with pytest.raises(errors.AlreadyVolunteered):
        roles.volunteer(cy, "steward")
    with pytest.raises(errors.MandateInForce):
        roles.rotate(stranger, "steward")
    with pytest.raises(errors.UnknownRole):
        roles.volunteer(cy, "mediator")
    assert _nonce(chain, stranger) == before  # refused before anything was sent

    chain.advance(timedelta(days=30))
    assert roles.holder("steward") is None  # lapsed, no transaction needed
    assert roles.next_in_rotation("steward") == cy.address
    assert roles.rotate(stranger, "steward") == cy.address
    assert roles.rotation_order("steward") == [ada.address, cy.address]
    assert [(e.kind, e.holder) for e in roles.history("steward")] == [
        ("appointed", bo.address),
        ("lapsed", bo.address),
        ("rotated", cy.address),
    ]
    with pytest.raises(errors.VolunteerIsAMember):
        roles.remove_volunteer(stranger, "steward", ada.address)
    roles.resign(cy, "steward")
    with pytest.raises(errors.NotTheHolder):
        roles.resign(cy, "steward")
    assert roles.rotate(stranger, "steward") == ada.address  # not cy: they just resigned


def test_roles__actions_are_described_and_validated(charter):
    action = charter.actions.define_role("mediator", timedelta(days=14), 3)
    assert action.summary == "define the role mediator: terms of 14d, at most 3 terms in a row"
    assert charter.actions.describe(action.target, action.calldata) == action.summary
    with pytest.raises(errors.InvalidRoleTerms, match="roles: zero consecutive terms"):
        charter.actions.define_role("mediator", timedelta(days=14), 0)
    with pytest.raises(errors.ConfigurationError, match="longer than 32 bytes"):
        charter.actions.appoint("x" * 33, charter.address)


# --- funds -------------------------------------------------------------------------------


def test_fund__contribute_disburse_and_read_the_ledger(
    chain, factory, charter, fund, founders, steward, newcomer, stranger, store, tmp_path
):
    ada, bo, cy = founders
    gift = cid_of(store, "for the tool shed", "memo")
    fund.contribute(ada, ETHER, gift)
    fund.contribute(newcomer, ETHER // 4)  # outsiders may give: the fund is not members-only
    repair = cid_of(store, "roof repair", "memo")
    assert fund.disburse(bo, cy.address, ETHER // 2, repair) is True

    before = (_nonce(chain, ada), _nonce(chain, bo))
    with pytest.raises(errors.OverContributionCap):
        fund.contribute(ada, 1)
    with pytest.raises(errors.OverStewardLimit):
        fund.disburse(bo, cy.address, 1, repair)
    with pytest.raises(errors.StewardCannotPaySelf):
        fund.disburse(bo, bo.address, 1, repair)
    with pytest.raises(errors.NotTheSteward):
        fund.disburse(ada, cy.address, 1, repair)
    with pytest.raises(errors.InvalidPayment, match="fund: memo required"):
        fund.disburse(bo, cy.address, 1, "")  # the fund's own refusal
    with pytest.raises(InvalidCID):  # a proposal's payment cannot even be encoded without one
        fund.actions.disburse(cy.address, 1, "")
    assert (_nonce(chain, ada), _nonce(chain, bo)) == before

    # More than the steward may: the charter decides, by proposal.
    pass_proposal(
        chain,
        charter,
        store,
        [fund.actions.disburse(stranger.address, ETHER // 2, repair)],
        founders,
    )
    summary = fund.summary()
    assert summary.contributed == ETHER + ETHER // 4
    assert summary.disbursed == ETHER
    assert summary.holdings == ETHER // 4 == summary.available
    assert summary.reconciles and summary.steward == bo.address

    entries = fund.ledger()
    assert [(e.kind, e.party, e.amount, e.by) for e in entries] == [
        ("contribution", ada.address, ETHER, None),
        ("contribution", newcomer.address, ETHER // 4, None),
        ("disbursement", cy.address, ETHER // 2, bo.address),
        ("disbursement", stranger.address, ETHER // 2, charter.address),
    ]
    assert [e.memo_cid for e in entries] == [gift, None, repair, repair]
    assert [e.contributed for e in entries] == [
        ETHER,
        5 * ETHER // 4,
        5 * ETHER // 4,
        5 * ETHER // 4,
    ]

    rows = list(csv.DictReader(io.StringIO(to_csv(entries, fund.asset))))
    assert [r["amount_eth"] for r in rows] == ["1", "0.25", "0.5", "0.5"]
    assert json.loads(to_json(entries, fund.asset))[2]["party"] == cy.address

    found = fund.audit()
    assert found.reconciles, found.problems
    assert found.entries == 4 and found.latest.balance == ETHER // 4
    png = plot_balance(found, tmp_path / "balance.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
    assert [f.address for f in funds_of(chain, factory, charter.address)] == [fund.address]


def test_fund__a_recipient_that_refuses_is_owed_and_claims_later(
    chain, fund, founders, steward, store
):
    """A contract that reverts on receiving ETH is owed the payment; nothing is lost."""
    refuser = _deploy(chain, founders[0], "Recipient", 1)
    fund.contribute(founders[0], ETHER // 2)
    memo = cid_of(store, "to a contract", "memo")
    assert fund.disburse(steward, refuser.address, ETHER // 10, memo) is False
    assert fund.owed(refuser.address) == ETHER // 10
    summary = fund.summary()
    assert summary.owed == ETHER // 10 and summary.reconciles
    assert fund.audit().reconciles


def test_fund__a_token_fund_approves_then_contributes(
    chain, factory, charter, founders, steward, store
):
    token = _deploy(chain, founders[0], "OddToken", 0)
    chain.transact(founders[2], token.functions.mint(founders[2].address, 10 * ETHER))
    fund = _steward_limited_fund(chain, factory, charter, founders, store, token=token.address)
    assert fund.asset.token == token.address and fund.asset.decimals == 18
    fund.contribute(founders[2], fund.asset.units("0.75"))
    assert token.functions.balanceOf(fund.address).call() == 3 * ETHER // 4
    fund.disburse(steward, founders[0].address, ETHER // 4, cid_of(store, "seeds", "memo"))
    assert fund.summary().holdings == ETHER // 2
    assert fund.audit().reconciles
    with pytest.raises(errors.ConfigurationError, match="finer than its smallest unit"):
        fund.asset.units("0.0000000000000000001")


@pytest.mark.anvil
def test_fund__audit_on_anvil_sees_forced_eth_and_a_shortfall(anvil_node, tmp_path):
    """On a real node: money forced in is unaccounted (still reconciles); money taken out
    underneath the ledger (anvil's setBalance standing in for a broken fund) is a problem."""
    from panarchy import Chain, DeploymentRecord, Parameters, deploy_charter, dev_accounts
    from panarchy.documents import open_store

    chain = Chain.connect(anvil_node.url)
    store = open_store(data_dir=tmp_path / "docs")
    ada, bo, cy = dev_accounts()[:3]
    record = DeploymentRecord.for_chain(chain, tmp_path / "deployments")
    charter, steps = deploy_charter(
        chain, ada, record, name="Audit Commons", concord_cid=cid_of(store, "audit concord"),
        founders=[ada.address, bo.address, cy.address], parameters=Parameters(),
    )  # fmt: skip
    fund = Fund.create(
        chain, ada, factory=record.address("CharterFactory"), charter=charter, limits=MEMBER_LIMITS
    )
    fund.contribute(ada, ETHER // 2)
    fund.contribute(bo, ETHER // 2)
    balance = chain.w3.eth.get_balance(fund.address)
    chain.w3.provider.make_request("anvil_setBalance", [fund.address, hex(balance + 7)])
    chain.advance(DAY)
    found = fund.audit()
    assert found.reconciles and found.latest.unaccounted == 7
    assert len(found.points) == 3  # two contribution blocks and now
    chain.w3.provider.make_request("anvil_setBalance", [fund.address, hex(ETHER // 4)])
    broken = fund.audit()
    assert not broken.reconciles
    assert "less than the ledger's 1 ETH" in broken.problems[-1]


def test_fund__a_members_fund_gets_a_steward_limit_only_by_proposal(
    chain, factory, charter, founders, steward, stranger, store
):
    """Issue 11, attack 7 through the SDK: the fund's own refusal, before anything is sent;
    the terms say who set them, and when."""
    ada, bo, _ = founders
    before = _nonce(chain, bo)
    with pytest.raises(errors.StewardLimitNeedsOwner, match="fund: steward limit needs the owner"):
        Fund.create(chain, bo, factory=factory, charter=charter, limits=LIMITS)
    assert _nonce(chain, bo) == before
    try:
        Fund.create(chain, bo, factory=factory, charter=charter, limits=LIMITS)
    except errors.FundError as exc:  # every fund revert is a FundError
        assert exc.reason == "fund: steward limit needs the owner"
    made = Fund.create(chain, bo, factory=factory, charter=charter, limits=MEMBER_LIMITS)
    terms = made.terms(factory)
    assert (terms.owner, terms.creator, terms.limits_set_by) == (
        charter.address,
        bo.address,
        bo.address,
    )
    assert terms.limits == MEMBER_LIMITS and terms.listed is True
    assert not terms.set_by_owner and not terms.steward_may_pay
    assert terms.limits_set_at == made.period_start(0)
    assert terms.steward_role == "steward" and terms.period == timedelta(days=30)
    made.contribute(ada, ETHER)
    memo = cid_of(store, "to myself, by the back door", "memo")
    with pytest.raises(errors.OverStewardLimit):
        made.disburse(bo, stranger.address, 1, memo)
    pass_proposal(chain, charter, store, [made.actions.set_limits(LIMITS)], founders)
    terms = made.terms()
    assert terms.limits_set_by == charter.address and terms.set_by_owner
    assert terms.steward_may_pay and terms.listed is None
    assert terms.limits_set_at > made.period_start(0)
    assert made.disburse(bo, stranger.address, ETHER // 2, memo) is True
    assert made.creator == bo.address


def test_errors__every_fund_circle_and_ledger_revert_is_a_fund_error():
    fund_reasons = [r for r in errors.REVERT_REASONS if r.split(":")[0] in ("fund", "circle")]
    fund_reasons += [r for r in errors.REVERT_REASONS if r.startswith("ledger:")]
    assert len(fund_reasons) == 48
    for reason in fund_reasons:
        assert isinstance(errors.error_for_revert(reason), errors.FundError), reason
    assert isinstance(errors.error_for_revert("fund: only by the owner"), errors.OnlyByProposal)
    assert isinstance(
        errors.error_for_revert("circle: already initialized"), errors.AlreadyInitialized
    )


# --- circles -------------------------------------------------------------------------------


def test_circle__each_participant_receives_once_and_nothing_is_left(
    chain, factory, charter, founders, stranger
):
    ada, bo, cy = founders
    circle = SavingsCircle.create(
        chain, ada, factory=factory, charter=charter,
        participants=[cy.address, ada.address, bo.address],
        contribution=ETHER // 10, round_length=timedelta(days=7),
    )  # fmt: skip
    assert circle.order == [cy.address, ada.address, bo.address]
    with pytest.raises(errors.NotAParticipant):
        circle.contribute(stranger)
    received = []
    for r in range(3):
        for p in (ada, bo, cy):
            assert circle.contribute(p) == r
        chain.advance(timedelta(days=7))
        received.append(circle.settle(stranger))
    assert received == [cy.address, ada.address, bo.address]
    assert circle.is_complete and circle.holdings == 0
    assert [(p.received_in, p.paid_rounds, p.owes_rounds) for p in circle.participants()] == [
        (0, 3, 0),
        (1, 3, 0),
        (2, 3, 0),
    ]
    assert [r.pot for r in circle.rounds()] == [3 * ETHER // 10] * 3
    with pytest.raises(errors.CircleError, match="circle: complete"):
        circle.settle(stranger)
    assert circle.audit().reconciles


def test_circle__forced_eth_is_swept_to_the_participants(
    chain, factory, charter, founders, stranger
):
    ada, bo, cy = founders
    circle = SavingsCircle.create(
        chain, ada, factory=factory, charter=charter,
        participants=[cy.address, ada.address, bo.address],
        contribution=ETHER // 10, round_length=timedelta(days=7),
    )  # fmt: skip
    before = _nonce(chain, stranger)
    with pytest.raises(errors.NothingUnaccounted, match="circle: nothing unaccounted"):
        circle.sweep_unaccounted(stranger)
    assert _nonce(chain, stranger) == before
    _deploy(chain, stranger, "ForceSend", circle.address, value=ETHER + 1)
    assert circle.unaccounted == ETHER + 1
    third = (ETHER + 1) // 3
    assert circle.sweep_unaccounted(stranger) == {
        cy.address: third + 1,
        ada.address: third + 1,
        bo.address: third,
    }
    assert circle.holdings == 0 == circle.unaccounted
    assert circle.audit().reconciles


def test_circle__create_refuses_bad_participants_before_sending(chain, factory, charter, founders):
    ada = founders[0]
    before = _nonce(chain, ada)
    for participants, error in (
        ([ada.address], "circle: too few participants"),
        ([ada.address, ada.address], "circle: duplicate participant"),
    ):
        with pytest.raises(errors.InvalidFundSettings, match=error):
            SavingsCircle.create(
                chain, ada, factory=factory, charter=charter, participants=participants,
                contribution=1, round_length=DAY,
            )  # fmt: skip
    assert _nonce(chain, ada) == before


# --- helpers -------------------------------------------------------------------------------


def _deploy(chain, signer, name, *args, value=0):
    """Deploy a test helper contract from tests/contracts/targets with Vyper and web3."""
    out = compile_code((TARGETS / f"{name}.vy").read_text(), output_formats=["abi", "bytecode"])
    factory = chain.w3.eth.contract(abi=out["abi"], bytecode=out["bytecode"])
    receipt = chain.transact(signer, factory.constructor(*args), value=value)
    return chain.w3.eth.contract(address=receipt["contractAddress"], abi=out["abi"])

"""The fund and circle are the only judges of their rules: a refused write raises the
contract's own typed reason and sends nothing; a dry run answers "would this pass, and for
how much gas?" without sending; a circle's status says what is true; the balance picture's
legend and time axis. In-process and against a real anvil node."""

from __future__ import annotations

from datetime import timedelta

import matplotlib.pyplot as plt
import pytest
from matplotlib.dates import DateFormatter
from panarchy import errors
from panarchy.chain import Simulation
from panarchy.funds import (
    CircleStatus,
    Fund,
    FundLimits,
    SavingsCircle,
    balance_figure,
    funds_of,
    plot_balance,
)
from panarchy.funds.plot import TIME_LABEL

from tests.sdk.charter.test_charter_sdk import pass_proposal
from tests.sdk.conftest import cid_of
from tests.sdk.funds.test_funds_sdk import ETHER, MEMBER_LIMITS, _deploy, _steward_limited_fund

ROUND = timedelta(days=7)


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


@pytest.fixture
def fund(chain, factory, charter, founders, steward, store):
    return _steward_limited_fund(chain, factory, charter, founders, store)


def _nonce(chain, account):
    return chain.w3.eth.get_transaction_count(account.address)


def _circle(chain, factory, charter, founders, token=None, contribution=ETHER // 10):
    ada, bo, cy = founders
    return SavingsCircle.create(
        chain, ada, factory=factory, charter=charter,
        participants=[cy.address, ada.address, bo.address],
        contribution=contribution, round_length=ROUND, token=token,
    )  # fmt: skip


# --- refusals: the contract's reason, in the contract's order, nothing sent --------------------


def test_fund__refusals_are_the_funds_own_in_its_order(
    chain, factory, charter, founders, steward, newcomer, store
):
    ada, bo, cy = founders
    members_only = Fund.create(
        chain, ada, factory=factory, charter=charter,
        limits=FundLimits(contribution_cap=ETHER, members_only=True),
    )  # fmt: skip
    before = (_nonce(chain, newcomer), _nonce(chain, bo))
    # A stranger's zero gift: the fund asks "a member?" before it looks at the amount (the
    # SDK used to say "ledger: zero amount" first).
    with pytest.raises(errors.MembersOnly, match="fund: members only"):
        members_only.contribute(newcomer, 0)
    with pytest.raises(errors.InvalidAmount, match="ledger: zero amount"):
        members_only.contribute(cy, 0)
    # An empty fund, a steward over nothing: "insufficient funds" (the fund's check), and
    # no steward limit yet on a member's fund.
    memo = cid_of(store, "nothing to pay from", "memo")
    with pytest.raises(errors.InsufficientFunds, match="fund: insufficient funds"):
        members_only.disburse(bo, cy.address, 1, memo)
    with pytest.raises(errors.NothingOwed, match="ledger: nothing owed"):
        members_only.claim(bo)
    with pytest.raises(errors.NothingUnaccounted, match="fund: nothing unaccounted"):
        members_only.absorb_unaccounted(bo)
    with pytest.raises(errors.NotTheSteward, match="fund: not the steward"):
        members_only.absorb_unaccounted(newcomer)
    with pytest.raises(errors.NotAMember, match="factory: not a member"):
        Fund.create(chain, newcomer, factory=factory, charter=charter, limits=MEMBER_LIMITS)
    with pytest.raises(errors.InvalidFundSettings, match="fund: zero contribution cap"):
        Fund.create(chain, bo, factory=factory, charter=charter, limits=FundLimits(0))
    with pytest.raises(errors.InvalidFundSettings, match="fund: zero period"):
        Fund.create(
            chain, bo, factory=factory, charter=charter, limits=MEMBER_LIMITS, period=timedelta(0)
        )
    # Over the packed limits word: the fund's own refusal, from simulating the creation,
    # and from simulating the owner's set_limits as the charter when the action is built.
    with pytest.raises(errors.InvalidFundSettings, match="fund: limit too large"):
        Fund.create(chain, bo, factory=factory, charter=charter, limits=FundLimits(2**192))
    with pytest.raises(errors.InvalidFundSettings, match="fund: limit too large"):
        members_only.actions.set_limits(FundLimits(MEMBER_LIMITS.contribution_cap, 2**192))
    with pytest.raises(errors.InvalidFundSettings, match="fund: zero contribution cap"):
        members_only.actions.set_limits(FundLimits(0))
    assert (_nonce(chain, newcomer), _nonce(chain, bo)) == before
    # What the chain cannot say before a transaction exists stays local: encoding, balance.
    with pytest.raises(errors.ConfigurationError, match="0 to 2\\*\\*256 - 1"):
        FundLimits(2**256).validate()
    with pytest.raises(errors.ConfigurationError, match="less than"):
        members_only.contribute(cy, 10**30)
    assert members_only.summary().contributed == 0


def test_circle__refusals_are_the_circles_own(chain, factory, charter, founders, stranger):
    ada, bo, cy = founders
    circle = _circle(chain, factory, charter, founders)
    before = (_nonce(chain, stranger), _nonce(chain, ada))
    with pytest.raises(errors.NotAParticipant, match="circle: not a participant"):
        circle.contribute(stranger)
    with pytest.raises(errors.CircleError, match="circle: round not over"):
        circle.settle(stranger)
    with pytest.raises(errors.CircleError, match="circle: not dissolved"):
        circle.withdraw(ada)
    with pytest.raises(errors.CircleError, match="circle: not overdue"):
        circle.dissolve(stranger)
    with pytest.raises(errors.NothingOwed):
        circle.claim(ada)
    for p in (ada, bo, cy):
        circle.contribute(p)
    before = (_nonce(chain, stranger), _nonce(chain, ada))
    with pytest.raises(errors.CircleError, match="circle: round not open"):
        circle.contribute(ada)  # paying ahead: the clock is the chain's
    with pytest.raises(errors.InvalidFundSettings, match="circle: zero contribution"):
        SavingsCircle.create(
            chain, ada, factory=factory, charter=charter, participants=[ada.address, bo.address],
            contribution=0, round_length=ROUND,
        )  # fmt: skip
    with pytest.raises(errors.ConfigurationError, match="at most 32 participants"):
        SavingsCircle.create(
            chain, ada, factory=factory, charter=charter,
            participants=[f"0x{i:040x}" for i in range(1, 34)],
            contribution=1, round_length=ROUND,
        )  # fmt: skip
    assert (_nonce(chain, stranger), _nonce(chain, ada)) == before


# --- dry runs -----------------------------------------------------------------------------------


def test_fund__dry_runs_answer_and_send_nothing(
    chain, factory, charter, fund, founders, steward, newcomer, store
):
    ada, bo, cy = founders
    memo = cid_of(store, "a dry run", "memo")
    before = {a.address: _nonce(chain, a) for a in (ada, bo, newcomer)}
    block = chain.w3.eth.block_number

    gift = fund.contribute(ada, ETHER // 2, dry_run=True)
    assert isinstance(gift, Simulation) and 21_000 < gift.gas < 1_000_000
    made = Fund.create(
        chain, bo, factory=factory, charter=charter, limits=MEMBER_LIMITS, dry_run=True
    )
    assert isinstance(made, Simulation) and int(made.result, 16) != 0  # the fund it would make
    with pytest.raises(errors.StewardLimitNeedsOwner):
        Fund.create(
            chain, bo, factory=factory, charter=charter,
            limits=FundLimits(ETHER, steward_limit=1), dry_run=True,
        )  # fmt: skip
    with pytest.raises(errors.InsufficientFunds):  # nothing given yet: nothing to pay
        fund.disburse(bo, cy.address, 1, memo, dry_run=True)
    with pytest.raises(errors.NotTheSteward):
        fund.disburse(ada, cy.address, 1, memo, dry_run=True)
    with pytest.raises(errors.NothingOwed):
        fund.claim(cy, dry_run=True)
    with pytest.raises(errors.NothingUnaccounted):
        fund.absorb_unaccounted(bo, dry_run=True)

    assert {a.address: _nonce(chain, a) for a in (ada, bo, newcomer)} == before
    assert chain.w3.eth.block_number == block  # nothing mined
    assert fund.summary().contributed == 0
    assert [f.address for f in funds_of(chain, factory, charter.address)] == [fund.address]

    fund.contribute(ada, ETHER // 2)
    paid = fund.disburse(bo, cy.address, ETHER // 10, memo, dry_run=True)
    assert isinstance(paid, Simulation) and paid.gas > 21_000
    assert fund.summary().disbursed == 0
    with pytest.raises(errors.OverContributionCap):
        fund.contribute(ada, ETHER, dry_run=True)


def test_fund__a_token_dry_run_judges_up_to_the_missing_approval(
    chain, factory, charter, founders, steward, newcomer, store
):
    """Approval first: the dry run of a contribution not yet approved is the approval's,
    once the fund has judged everything before drawing the tokens; nothing is approved."""
    ada, _, cy = founders
    token = _deploy(chain, ada, "OddToken", 0)
    for who in (cy, newcomer):
        chain.transact(who, token.functions.mint(who.address, 10 * ETHER))
    fund = Fund.create(
        chain, ada, factory=factory, charter=charter, token=token.address,
        limits=FundLimits(contribution_cap=ETHER, members_only=True),
    )  # fmt: skip
    assert fund.needs_approval(cy.address, ETHER // 2)
    before = _nonce(chain, cy)
    approval = fund.contribute(cy, ETHER // 2, dry_run=True)
    assert approval.result is True and approval.gas > 21_000  # approve() -> true
    assert _nonce(chain, cy) == before and fund.needs_approval(cy.address, ETHER // 2)
    with pytest.raises(errors.MembersOnly):  # judged before the tokens would move
        fund.contribute(newcomer, ETHER // 2, dry_run=True)
    fund.contribute(cy, ETHER // 2)  # approves, then contributes
    assert _nonce(chain, cy) == before + 2
    assert fund.summary().contributed == ETHER // 2


def test_circle__dry_runs_answer_and_send_nothing(chain, factory, charter, founders, stranger):
    ada, bo, cy = founders
    made = SavingsCircle.create(
        chain, ada, factory=factory, charter=charter, participants=[ada.address, bo.address],
        contribution=1, round_length=ROUND, dry_run=True,
    )  # fmt: skip
    assert isinstance(made, Simulation) and int(made.result, 16) != 0
    with pytest.raises(errors.InvalidFundSettings, match="circle: duplicate participant"):
        SavingsCircle.create(
            chain, ada, factory=factory, charter=charter, participants=[ada.address, ada.address],
            contribution=1, round_length=ROUND, dry_run=True,
        )  # fmt: skip
    circle = _circle(chain, factory, charter, founders)
    before = (_nonce(chain, ada), _nonce(chain, stranger))
    pay = circle.contribute(ada, dry_run=True)
    assert isinstance(pay, Simulation) and pay.gas > 21_000
    with pytest.raises(errors.NotAParticipant):
        circle.contribute(stranger, dry_run=True)
    with pytest.raises(errors.NothingUnaccounted):
        circle.sweep_unaccounted(stranger, dry_run=True)
    with pytest.raises(errors.CircleError, match="circle: not dissolved"):
        circle.withdraw(ada, dry_run=True)
    with pytest.raises(errors.CircleError, match="circle: not overdue"):
        circle.dissolve(stranger, dry_run=True)
    assert (_nonce(chain, ada), _nonce(chain, stranger)) == before
    assert circle.participants()[1].paid_rounds == 0

    for p in (ada, bo, cy):
        circle.contribute(p)
    chain.advance(ROUND)
    settles = circle.settle(stranger, dry_run=True)
    assert settles.result == cy.address  # who would receive: the first in order, paid up
    assert circle.settled_rounds == 0
    assert circle.settle(stranger) == cy.address


# --- a circle's status ----------------------------------------------------------------------------


def test_circle__complete_is_every_pot_paid_not_everyone_paid_up(
    chain, factory, charter, founders, stranger
):
    """Cy receives round 1's pot and stops paying: every pot is still paid (the contract's
    "complete"), but the status says Cy owes rounds 2 and 3; a late payment clears it."""
    ada, bo, cy = founders
    circle = _circle(chain, factory, charter, founders)
    for r in range(3):
        for p in (ada, bo, cy) if r == 0 else (ada, bo):
            circle.contribute(p)
        chain.advance(ROUND)
        circle.settle(stranger)
    status = circle.status()
    assert isinstance(status, CircleStatus)
    assert status.complete and circle.is_complete and not status.settled_up
    assert status.owing == ((cy.address, 1),)
    assert status.describe() == f"every pot paid, not settled up: {cy.address} still owes round 2"

    circle.contribute(cy)  # late: straight to round 2's recipient (ada)
    assert circle.status().owing == ((cy.address, 2),)
    circle.contribute(cy)
    status = circle.status()
    assert status.settled_up and status.owing == ()
    assert status.describe() == "complete: all 3 pots paid, every contribution made"
    assert circle.audit().reconciles


def test_circle__status_while_running_names_who_owes(chain, factory, charter, founders):
    ada, bo, cy = founders
    circle = _circle(chain, factory, charter, founders)
    status = circle.status()
    assert not status.complete and status.current_round == 0
    assert status.owing == ((cy.address, 0), (ada.address, 0), (bo.address, 0))
    circle.contribute(ada)
    circle.contribute(bo)
    circle.contribute(cy)
    assert circle.status().describe() == "round 1 of 3"


# --- the balance picture ----------------------------------------------------------------------


def test_plot__the_legend_is_outside_the_steps_and_time_is_labelled(
    chain, fund, founders, steward, store, tmp_path
):
    ada, bo, cy = founders
    fund.contribute(ada, ETHER // 2)
    chain.advance(timedelta(hours=3))
    fund.disburse(bo, cy.address, ETHER // 10, cid_of(store, "plot", "memo"))
    found = fund.audit()
    fig = balance_figure(found, title="Harbour fund")
    try:
        ax = fig.axes[0]
        legend = ax.get_legend()
        assert [t.get_text() for t in legend.get_texts()] == ["balance", "contributed", "disbursed"]
        fig.canvas.draw()
        box, plot_area = legend.get_window_extent(), ax.get_window_extent()
        assert box.x0 >= plot_area.x1  # right of the plotting area: it covers no step
        assert ax.get_xlabel().startswith(TIME_LABEL + ", from ")
        formatter = ax.xaxis.get_major_formatter()
        assert isinstance(formatter, DateFormatter) and formatter.fmt == "%m-%d %H:%M"
        first = found.points[0].timestamp
        assert formatter(ax.xaxis.convert_units(first)) == f"{first:%m-%d %H:%M}"
    finally:
        plt.close(fig)
    png = plot_balance(found, tmp_path / "balance.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000

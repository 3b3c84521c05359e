"""Stateful fuzzing of a solidarity fund against a small Python reference model.

Hypothesis drives random contributions (some over the cap, some zero), disbursements by the
steward and by others (to members, to itself, to a contract that refuses payment, with and
without a memo, over the limit, over what the fund holds), ETH forced in by a self-destruct,
absorbing it, claims of refused payments, members creating funds of their own (asking for a
steward limit, or not), and time moving across period boundaries, on ape's in-process
chain. Before each transaction the model predicts its outcome (success, or the exact revert
reason); after every step the SECURITY.md fund invariants are checked:

- the ledger identity: balance == contributed - disbursed + owed + unaccounted, and each of
  those equals the model's;
- no contributor has given more than the cap in the current period, and stewards have not
  disbursed more than the limit in it;
- what the fund says is available is exactly the model's free money;
- the steward limit in force is the owner's (set by proposal), and no fund a member creates
  starts with one (issue 11, attack 7).

Profiles (``HYPOTHESIS_PROFILE``): see ``tests/fuzz/profiles.py``.
"""

from __future__ import annotations

import collections
from typing import Any

from ape import chain
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from tests.contracts.fund_helpers import STEWARD, appoint_steward, create_fund
from tests.contracts.helpers import (
    DAY,
    ZERO,
    Polity,
    deploy_system,
    deployables,
    doc,
    event_args,
    helper,
    params,
)
from tests.fuzz.driving import Predicted
from tests.fuzz.profiles import fuzz_settings, reproducible

ACTORS = 4  # actor 1 is the steward; actors 0-2 are members, 3 is an outsider
PERIOD = 10 * DAY
CAP = 1_000
LIMIT = 1_500
MEMO = doc("memo")
NO_MEMO = b"\x00" * 32
ACCEPT, REFUSE = 0, 1

amounts = st.sampled_from([0, 1, 7, 250, 500, 999, 1_000, 1_001, 1_500, 2_000])
recipients = st.sampled_from(
    ["refuser", "actor0", "actor2", "actor3", "refuser", "actor1", "zero", "fund"]
)
payments = st.sampled_from([1, 7, 250, 500, 1_000, 1_001, 0, 2_500])
TIME_STEPS = [1, 3_600, DAY, 5 * DAY, PERIOD - 1, PERIOD, 3 * PERIOD]


class FundMachine(Predicted, RuleBasedStateMachine):
    """One ETH fund of a three-member charter whose steward is actor 1: created by a member
    (actor 0), its steward limit set by the charter's proposal, once, before any run (every
    run starts from the snapshot taken after that)."""

    polity: Any = None
    accounts: list[Any] = []
    system: Any = None
    refuser: Any = None
    shared_fund: Any = None
    stats: collections.Counter = collections.Counter()

    def __init__(self) -> None:
        super().__init__()
        self.snap = chain.snapshot()
        self.actors = self.accounts[:ACTORS]
        self.fund = self.shared_fund
        self.origin = self.fund.period_start(0)
        self.steward = self.actors[1]
        self.contributed = self.disbursed = self.owed = self.unaccounted = 0
        self.given: dict[str, tuple[int, int]] = {}  # address -> (period, amount)
        self.spent = (0, 0)  # (period, amount)
        self.refuser_mode = REFUSE
        self.refuser.set_mode(REFUSE, sender=self.accounts[9])
        self._head: int | None = None
        self.steps = 0

    # --- helpers ---------------------------------------------------------------------

    def head(self) -> int:
        if self._head is None:
            self._head = chain.blocks.head.timestamp
        return self._head

    def period_at(self, timestamp: int) -> int:
        return (timestamp - self.origin) // PERIOD

    def in_period(self, record: tuple[int, int], period: int) -> int:
        return record[1] if record[0] == period else 0

    def free(self) -> int:
        return self.contributed - self.disbursed

    def address_of(self, name: str) -> str:
        if name.startswith("actor"):
            return self.actors[int(name[-1])].address
        return {"refuser": self.refuser.address, "zero": ZERO, "fund": self.fund.address}[name]

    # --- rules -----------------------------------------------------------------------

    @initialize()
    def start(self) -> None:
        """Every run starts from a fund with some history: two members' full
        contributions, a payment the refusing contract did not take (owed), and a little
        forced ETH (unaccounted), so that every path is open from the first step."""
        self.stats["runs"] += 1
        for who in (0, 2):
            self.contribute(who, CAP)
        self.disburse(1, "refuser", 7, True)
        self.force(3)

    @rule(who=st.integers(0, ACTORS - 1), amount=amounts)
    def contribute(self, who: int, amount: int) -> None:
        sender = self.actors[who]
        period = self.period_at(self.head() + 1)
        given = self.in_period(self.given.get(sender.address, (0, 0)), period)
        reason = None
        if amount == 0:
            reason = "ledger: zero amount"
        elif given + amount > CAP:
            reason = "fund: over the contribution cap"
        if self.attempt(
            "contribute", reason, self.fund.contribute, amount, MEMO, value=amount, sender=sender
        ):
            self.given[sender.address] = (period, given + amount)
            self.contributed += amount

    # Mostly the steward: the others' attempts all end the same way.
    @rule(
        who=st.sampled_from([1, 1, 1, 0, 3]),
        to=recipients,
        amount=payments,
        with_memo=st.sampled_from([True, True, True, False]),
    )
    def disburse(self, who: int, to: str, amount: int, with_memo: bool) -> None:
        sender = self.actors[who]
        recipient = self.address_of(to)
        period = self.period_at(self.head() + 1)
        spent = self.in_period(self.spent, period)
        reason = None
        if sender != self.steward:
            reason = "fund: not the steward"
        elif recipient == sender.address:
            reason = "fund: steward cannot pay self"
        elif to in ("zero", "fund"):
            reason = "fund: invalid recipient"
        elif amount == 0:
            reason = "fund: zero amount"
        elif not with_memo:
            reason = "fund: memo required"
        elif amount > self.free():
            reason = "fund: insufficient funds"
        elif spent + amount > LIMIT:
            reason = "fund: over the steward limit"
        memo = MEMO if with_memo else NO_MEMO
        if self.attempt(
            "disburse", reason, self.fund.disburse, recipient, amount, memo, sender=sender
        ):
            self.spent = (period, spent + amount)
            self.disbursed += amount
            if to == "refuser" and self.refuser_mode == REFUSE:
                self.owed += amount

    @rule(amount=st.sampled_from([1, 3, 1_000]))
    def force(self, amount: int) -> None:
        """ETH forced in by a self-destruct: the fund cannot refuse it."""
        self.stats["force"] += 1
        self.accounts[9].deploy(helper("ForceSend"), self.fund.address, value=amount)
        self._head = None
        self.unaccounted += amount

    @rule(by_steward=st.sampled_from([True, True, False]))
    def absorb(self, by_steward: bool) -> None:
        sender = self.steward if by_steward else self.actors[0]
        reason = None
        if not by_steward:
            reason = "fund: not the steward"
        elif self.unaccounted == 0:
            reason = "fund: nothing unaccounted"
        if self.attempt("absorb", reason, self.fund.absorb_unaccounted, MEMO, sender=sender):
            self.contributed += self.unaccounted
            self.unaccounted = 0

    @rule(accept=st.sampled_from([True, True, False]))
    def claim(self, accept: bool) -> None:
        mode = ACCEPT if accept else REFUSE
        if mode != self.refuser_mode:
            self.refuser.set_mode(mode, sender=self.accounts[9])
            self.refuser_mode = mode
        reason = None
        if self.owed == 0:
            reason = "ledger: nothing owed"
        elif not accept:
            reason = "ledger: payment refused"
        data = self.fund.claim.encode_input()
        if self.attempt(
            "claim", reason, self.refuser.act, self.fund, data, sender=self.accounts[9]
        ):
            self.owed = 0

    @rule(
        who=st.sampled_from([0, 1, 1, 3]),
        limit=st.sampled_from([0, 0, 1, LIMIT, 2**192 - 1]),
    )
    def member_made_fund(self, who: int, limit: int) -> None:
        """A member (the steward among them) creates a fund naming the steward role: asking
        for any steward limit is refused; without one it starts with none, its terms set
        by its creator."""
        sender = self.actors[who]
        reason = None
        if who == 3:
            reason = "factory: not a member"
        elif limit != 0:
            reason = "fund: steward limit needs the owner"
        receipt = self.attempt(
            "member_made_fund",
            reason,
            self.system.factory.create_fund,
            self.polity.charter.address,
            ZERO,
            PERIOD,
            (CAP, limit, False),
            STEWARD,
            sender=sender,
        )
        if receipt is not None:
            made = event_args(receipt, "FundCreated")[0]["fund"]
            other = deployables()["SolidarityFund"].at(made)
            assert tuple(other.limits()) == (CAP, 0, False)
            assert other.creator() == sender.address == other.limits_set_by()

    @rule(step=st.sampled_from(TIME_STEPS))
    def wait(self, step: int) -> None:
        self.stats["wait"] += 1
        chain.mine(timestamp=self.head() + step)
        self._head = None

    # --- invariants ------------------------------------------------------------------

    @invariant()
    def reconciles(self) -> None:
        fund = self.fund
        holdings = fund.holdings()
        assert holdings == chain.provider.get_balance(fund.address)
        assert fund.contributed() == self.contributed
        assert fund.disbursed() == self.disbursed
        assert fund.owed_total() == self.owed == fund.owed(self.refuser)
        assert fund.unaccounted() == self.unaccounted
        # The ledger identity.
        assert holdings == self.contributed - self.disbursed + self.owed + self.unaccounted
        assert fund.available() == self.free()
        # Caps and the steward's limit hold in the current period (each contributor's
        # record, the costlier part, every third step).
        period = self.period_at(self.head())
        assert fund.current_period() == period
        self.steps += 1
        for actor in self.actors if self.steps % 3 == 0 else []:
            given = fund.given_this_period(actor)
            assert given == self.in_period(self.given.get(actor.address, (0, 0)), period)
            assert given <= CAP
        assert fund.steward_spent_this_period() == self.in_period(self.spent, period) <= LIMIT
        # The steward's limit is the owner's decision, not the creator's.
        assert fund.limits()[1] == LIMIT
        assert fund.limits_set_by() == self.polity.charter.address != fund.creator()

    def teardown(self) -> None:
        chain.restore(self.snap)


def test_fund_state_machine(accounts: Any) -> None:
    """Runs the machine under the profile named by ``HYPOTHESIS_PROFILE``."""
    deployer = accounts[8]
    FundMachine.system = deploy_system(deployer)
    FundMachine.accounts = [accounts[i] for i in range(10)]
    polity = Polity.found(FundMachine.system, FundMachine.accounts[:3], parameters=params())
    appoint_steward(polity, FundMachine.accounts[1], term=10_000 * DAY)
    FundMachine.polity = polity
    FundMachine.shared_fund = create_fund(
        FundMachine.system, polity, cap=CAP, steward_limit=LIMIT, period=PERIOD
    )
    FundMachine.refuser = accounts[9].deploy(helper("Recipient"), REFUSE)
    FundMachine.stats.clear()
    profile = fuzz_settings()
    # Each step costs several calls: a shorter run than the charter's under every profile.
    steps = settings(profile, stateful_step_count=max(10, profile.stateful_step_count * 3 // 4))
    with reproducible():
        run_state_machine_as_test(FundMachine, settings=steps)
    stats = FundMachine.stats
    print("\n".join(f"{n:6} {k}" for k, n in sorted(stats.items())))
    assert polity.role_book.holds_role(STEWARD, FundMachine.accounts[1])
    # The run reached the paths that matter, not only reverts.
    for path in (
        "contribute:ok",
        "disburse:ok",
        "absorb:ok",
        "claim:ok",
        "member_made_fund:ok",
        "member_made_fund:fund: steward limit needs the owner",
    ):
        assert stats[path] > 0, (path, stats)

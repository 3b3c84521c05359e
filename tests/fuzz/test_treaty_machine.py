"""Stateful fuzzing of a treaty and its fund against a small Python reference model.

Hypothesis drives three parties (and a stranger) ratifying, renewing, withdrawing,
contributing (some over the cap, some zero), refunds claimed by anyone, and time moving
across the ratification deadline, renewal windows, expiries and fund periods, on ape's
in-process chain. Each run makes a new direct treaty (test accounts as parties, see
``tests/contracts/treaties/treaty_helpers.py``) whose fund either releases a withdrawing
party's share or forfeits it (drawn per run). Before each transaction the model predicts its
outcome (success, or the exact revert reason); after every step:

- the treaty's state, counters (remaining, ratified, renewals), term and expiry equal the
  model's (lazy expiry: the state is a function of the block's time);
- the fund's ledger reconciles (balance == contributed - disbursed), and its open claims,
  creditors and available money equal the model's; no open claim means no money left;
- at the end of a run that ended the treaty, refunding every open claim empties the fund
  (DESIGN.md: an ended treaty leaves nothing behind).

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

from tests.contracts.helpers import DAY, HOUR, deploy_system, doc
from tests.contracts.treaties.treaty_helpers import (
    ENDED,
    IN_FORCE,
    LAPSED,
    NEVER_IN_FORCE,
    PENDING,
    RENEWAL_OPEN,
    direct_treaty,
    fund_terms,
    terms,
)
from tests.fuzz.driving import Predicted
from tests.fuzz.profiles import fuzz_settings, reproducible

TERM = 20 * DAY
WINDOW = 5 * DAY
RATIFY_WITHIN = 3 * DAY
PERIOD = 2 * DAY
CAP = 1_000
MEMO = doc("memo")
# 0-2: the parties (0 proposed); 3: a stranger. Hypothesis favours the first values.
WHO = st.sampled_from([1, 2, 0, 3])
amounts = st.sampled_from([0, 1, 7, 333, 500, 999, 1_000, 1_001])
TIME_STEPS = [HOUR, 1, DAY, 2 * DAY, WINDOW - 1, WINDOW]


class TreatyMachine(Predicted, RuleBasedStateMachine):
    system: Any = None
    accounts: list[Any] = []
    stats: collections.Counter = collections.Counter()

    def __init__(self) -> None:
        super().__init__()
        self.snap = chain.snapshot()
        self.actors = self.accounts[:4]
        self.stranger = self.accounts[4]
        self._head: int | None = None

    # --- the model -----------------------------------------------------------------

    def head(self) -> int:
        if self._head is None:
            self._head = chain.blocks.head.timestamp
        return self._head

    def next_time(self) -> int:
        """Pin the next transaction's time, so the model knows it exactly."""
        t = self.head() + 1
        chain.pending_timestamp = t
        return t

    def state_at(self, t: int) -> int:
        if self.remaining < 2:
            return ENDED
        if not self.entered:
            return PENDING if t < self.deadline else NEVER_IN_FORCE
        if t >= self.expires:
            return LAPSED
        if t >= self.expires - WINDOW:
            return RENEWAL_OPEN
        return IN_FORCE

    def ended_at(self, t: int) -> bool:
        return self.state_at(t) in (LAPSED, NEVER_IN_FORCE, ENDED)

    def remains(self, who: int) -> bool:
        return who < 3 and self.standing[who] == "remaining"

    def settle(self, t: int) -> None:
        """What the treaty applies once every remaining party agreed."""
        if self.remaining < 2:
            return
        s = self.state_at(t)
        if s == PENDING and self.ratified_count == self.remaining:
            self.entered, self.expires = True, t + TERM
        elif s == RENEWAL_OPEN and self.renewals == self.remaining:
            self.term_index += 1
            self.renewals = 0
            self.expires += TERM
            self.stats["extended"] += 1

    # --- rules ---------------------------------------------------------------------

    @initialize(share=st.booleans(), ratifying=st.sampled_from([(1, 2), (1, 2), (2,), ()]))
    def start(self, share: bool, ratifying: tuple[int, ...]) -> None:
        """A new treaty; some of the invited ratify at once (all of them: it starts in
        force), so that every run reaches renewals early."""
        self.stats["runs"] += 1
        self.share = share
        deadline = chain.blocks.head.timestamp + RATIFY_WITHIN
        self.treaty, self.fund = direct_treaty(
            self.system,
            self.accounts[8],
            self.actors[:3],
            terms(term=TERM, window=WINDOW, deadline=deadline),
            fund_terms(cap=CAP, period=PERIOD, share_on_withdrawal=share),
        )
        self.origin = chain.blocks[-2].timestamp  # the fund's initialisation
        self.deadline = deadline
        self.standing = ["remaining"] * 3
        self.remaining = 3
        self.ratified = [True, False, False]
        self.ratified_count = 1
        self.entered = False
        self.expires = 0
        self.term_index = 0
        self.renewed_for = [0, 0, 0]
        self.renewals = 0
        # The fund.
        self.contributed = self.disbursed = 0
        self.given: dict[int, tuple[int, int]] = {}  # who -> (period, amount)
        self.lifetime = [0, 0, 0]
        self.settled = [False, False, False]
        self.claims_total = self.creditors = 0
        self.refunds_open = False
        self.pool = self.pool_claims = self.creditors_left = self.paid = 0
        self._head = None
        for who in ratifying:
            self.ratify(who)

    @rule(who=WHO)
    def ratify(self, who: int) -> None:
        t = self.next_time()
        reason = None
        if not self.remains(who):
            reason = "treaty: not a party"
        elif self.remaining < 2:
            reason = "treaty: ended"
        elif self.ratified[who] or self.entered:
            reason = "treaty: already ratified"
        elif t >= self.deadline:
            reason = "treaty: ratification closed"
        if self.attempt("ratify", reason, self.treaty.ratify, sender=self.actors[who]):
            self.ratified[who] = True
            self.ratified_count += 1
            self.settle(t)

    @rule(who=WHO)
    def renew(self, who: int) -> None:
        t = self.next_time()
        reason = None
        if not self.remains(who):
            reason = "treaty: not a party"
        elif self.state_at(t) not in (IN_FORCE, RENEWAL_OPEN):
            reason = "treaty: not in force"
        elif t < self.expires - WINDOW:
            reason = "treaty: renewal window not open"
        elif self.renewed_for[who] == self.term_index + 1:
            reason = "treaty: already renewed"
        if self.attempt("renew", reason, self.treaty.renew, sender=self.actors[who]):
            self.renewed_for[who] = self.term_index + 1
            self.renewals += 1
            self.settle(t)

    @rule(who=st.integers(0, 2))
    def renew_in_turn(self, who: int) -> None:
        """Renewal again (twice as likely as other moves): a party in turn, so that
        whole rounds of renewals happen."""
        self.renew((self.renewals + who) % 3)

    @rule(who=st.integers(0, 2), offset=st.sampled_from([1, HOUR]))
    def renew_in_the_window(self, who: int, offset: int) -> None:
        """Time jumps into the running term's renewal window and a party in turn renews
        there: short runs (the CI profile's 40 steps) reach renewals and extensions too."""
        if self.state_at(self.head() + 1) != IN_FORCE:
            return
        chain.mine(timestamp=self.expires - WINDOW + offset)
        self._head = None
        self.renew((self.renewals + who) % 3)

    @rule(who=WHO)
    def withdraw(self, who: int) -> None:
        """One withdrawal per run while the treaty is live (more end it at once and the run
        learns little; the state tests cover every state), any number once it has ended."""
        if self.remaining < 3 and not self.ended_at(self.head() + 1):
            return
        t = self.next_time()
        reason = None if self.remains(who) else "treaty: not a party"
        if not self.attempt("withdraw", reason, self.treaty.withdraw, sender=self.actors[who]):
            return
        was_ended = self.ended_at(t)
        self.standing[who] = "withdrawn"
        self.remaining -= 1
        if self.ratified[who] and not self.entered:
            self.ratified_count -= 1
        if self.renewed_for[who] == self.term_index + 1:
            self.renewals -= 1
        if not was_ended:
            claim = self.lifetime[who]
            open_claim = claim and not self.settled[who] and not self.refunds_open
            if self.share and open_claim:
                amount = self.free() * claim // self.claims_total
                self.close(who)
                self.disbursed += amount
                self.stats["released"] += 1
            elif not self.share and open_claim and self.creditors != 1:
                self.close(who)
                self.stats["forfeited"] += 1
            self.settle(t)

    def close(self, who: int) -> None:
        self.settled[who] = True
        self.claims_total -= self.lifetime[who]
        self.creditors -= 1

    def free(self) -> int:
        return self.contributed - self.disbursed

    @rule(who=WHO, amount=amounts)
    def contribute(self, who: int, amount: int) -> None:
        t = self.next_time()
        period = (t - self.origin) // PERIOD
        record = self.given.get(who, (period, 0))
        given = record[1] if record[0] == period else 0
        reason = None
        if not self.remains(who):
            reason = "treatyfund: not a party"
        elif self.ended_at(t):
            reason = "treatyfund: treaty ended"
        elif amount == 0:
            reason = "ledger: zero amount"
        elif given + amount > CAP:
            reason = "treatyfund: over the contribution cap"
        sender = self.actors[who]
        if self.attempt(
            "contribute", reason, self.fund.contribute, amount, MEMO, value=amount, sender=sender
        ):
            self.given[who] = (period, given + amount)
            if self.lifetime[who] == 0:
                self.creditors += 1
            self.lifetime[who] += amount
            self.claims_total += amount
            self.contributed += amount

    @rule(who=st.sampled_from([1, 0, 2]))
    def refund(self, who: int) -> None:
        t = self.next_time()
        reason = None
        if not self.ended_at(t):
            reason = "treatyfund: treaty not ended"
        elif self.lifetime[who] == 0 or self.settled[who]:
            reason = "treatyfund: nothing to refund"
        party = self.actors[who]
        if self.attempt("refund", reason, self.fund.refund, party, sender=self.stranger):
            self.refund_in_model(who)

    def refund_in_model(self, who: int) -> None:
        if not self.refunds_open:
            self.refunds_open = True
            self.pool, self.pool_claims = self.free(), self.claims_total
            self.creditors_left = self.creditors
        amount = self.pool * self.lifetime[who] // self.pool_claims
        self.creditors_left -= 1
        if self.creditors_left == 0:
            amount = self.pool - self.paid
        self.paid += amount
        self.settled[who] = True
        self.disbursed += amount

    @rule(step=st.sampled_from(TIME_STEPS))
    def wait(self, step: int) -> None:
        self.stats["wait"] += 1
        chain.mine(timestamp=self.head() + step)
        self._head = None

    @rule(offset=st.sampled_from([0, 1, HOUR, WINDOW - 1, WINDOW, WINDOW + 1]))
    def to_the_window(self, offset: int) -> None:
        """Time jumps to the running term's renewal window (plus ``offset``: at its end,
        the expiry, and past it), when the treaty is in force."""
        if self.state_at(self.head() + 1) != IN_FORCE:
            return
        self.stats["to_the_window"] += 1
        chain.mine(timestamp=self.expires - WINDOW + offset)
        self._head = None

    # --- invariants ------------------------------------------------------------------

    @invariant()
    def treaty_matches_the_model(self) -> None:
        t = self.head()
        treaty = self.treaty
        assert treaty.state() == self.state_at(t)
        assert treaty.remaining() == self.remaining
        assert treaty.renewals() == self.renewals
        assert treaty.term_index() == self.term_index
        assert treaty.expires_at() == self.expires
        if not self.entered:
            assert treaty.ratified_count() == self.ratified_count
        self.stats[f"state:{self.state_at(t)}"] += 1

    @invariant()
    def fund_reconciles(self) -> None:
        fund = self.fund
        holdings = fund.holdings()
        assert holdings == chain.provider.get_balance(fund.address)
        assert fund.contributed() == self.contributed and fund.disbursed() == self.disbursed
        assert fund.owed_total() == 0 and fund.unaccounted() == 0
        assert holdings == self.contributed - self.disbursed == fund.available()
        if not self.refunds_open:
            assert fund.claims_total() == self.claims_total
            assert fund.creditors() == self.creditors
            if self.creditors == 0:
                assert holdings == 0  # no open claim, no money: nothing is trapped

    def teardown(self) -> None:
        try:
            if hasattr(self, "treaty") and self.ended_at(self.head() + 1):
                for who in range(3):
                    if self.lifetime[who] and not self.settled[who]:
                        self.next_time()
                        self.fund.refund(self.actors[who], sender=self.stranger)
                        self.refund_in_model(who)
                        self._head = None
                assert self.fund.holdings() == 0
                self.stats["emptied"] += 1
        finally:
            chain.restore(self.snap)


def test_treaty_state_machine(accounts: Any) -> None:
    """Runs the machine under the profile named by ``HYPOTHESIS_PROFILE``."""
    TreatyMachine.system = deploy_system(accounts[8])
    TreatyMachine.accounts = [accounts[i] for i in (5, 6, 7, 3, 9, 0, 1, 2, 8)]
    TreatyMachine.stats.clear()
    profile = fuzz_settings()
    with reproducible():
        run_state_machine_as_test(TreatyMachine, settings=settings(profile))
    stats = TreatyMachine.stats
    print("\n".join(f"{n:6} {k}" for k, n in sorted(stats.items())))
    # The runs reached the paths that matter, not only reverts.
    paths = ("ratify:ok", "withdraw:ok", "contribute:ok", "renew:ok", "emptied")
    for path in paths:
        assert stats[path] > 0, (path, dict(stats))

"""Stateful fuzzing of a charter and its clause book against a small Python reference model.

Hypothesis drives random joins, leaves, delegations and revocations, proposals (enact, renew
or repeal a clause, replace the concord, change the parameters, admit someone), votes cast
directly, relayed one at a time or in batches (some tampered with), time moves, executions
and cancellations, on ape's in-process chain. Before each transaction the model predicts its
outcome (success, or the exact revert reason); after every step the SECURITY.md invariants
that concern a charter are checked against the chain:

- each proposal's tallies equal the model's, where every voice eligible at the snapshot
  counts once (directly, or through the delegate it had then), so the counted weight never
  exceeds the members eligible at the snapshot;
- a proposal's state is the one its rules give now, and only allowed transitions happen;
- executed implies it succeeded, was executed inside its window, and once; never executed
  and canceled; its fields never change after creation (later parameter changes included);
- a clause is in force exactly when it is not repealed and its expiry has not come.

Profiles (``HYPOTHESIS_PROFILE``): see ``tests/fuzz/profiles.py``.
"""

from __future__ import annotations

import collections
import itertools
from dataclasses import dataclass, field
from typing import Any

from ape import chain
from eth_account import Account
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from tests.contracts.helpers import (
    ACTIVE,
    CANCELED,
    CONSENT,
    DAY,
    DEFAULT_PARAMS,
    DEFEATED,
    EXECUTED,
    EXPIRED,
    MAJORITY,
    SUCCEEDED,
    SUPERMAJORITY,
    ZERO,
    Action,
    Polity,
    columns,
    deploy_system,
    doc,
    event_args,
    params,
    rules,
    sign_ballot,
)
from tests.fuzz.driving import Predicted
from tests.fuzz.profiles import fuzz_settings, reproducible

ACTORS = 6  # accounts[0..5]; the first three found the charter
PERIOD = DAY  # revision period
MAX_TERM = 3
MAX_RENEWALS = 1

# Parameter sets a proposal may switch between (the first is the founding one).
PARAM_SETS = [
    {
        "voting_period": 3600,
        "execution_window": 3600,
        "quorum_bps": 3000,
        "consent_max_objections": 1,
    },
    {
        "voting_period": 1800,
        "execution_window": 7200,
        "quorum_bps": 6000,
        "supermajority_num": 3,
        "supermajority_den": 4,
        "consent_max_objections": 0,
    },
    {"voting_period": 5400, "execution_window": 600, "quorum_bps": 0, "consent_max_objections": 2},
    {"voting_period": 3600, "execution_window": 3600, "quorum_bps": 2000, "admission": 1},
]

TIME_STEPS = [1, 60, 300, 600, 900, 1800, 1800, 3599, 3600, 3601, 5400, DAY]

ALLOWED = {
    ACTIVE: {ACTIVE, CANCELED, DEFEATED, SUCCEEDED, EXPIRED},
    SUCCEEDED: {SUCCEEDED, EXECUTED, EXPIRED},
    DEFEATED: {DEFEATED},
    CANCELED: {CANCELED},
    EXPIRED: {EXPIRED},
    EXECUTED: {EXECUTED},
}

SKIP_CODES = {
    "charter: invalid signature": 1,
    "charter: invalid vote type": 2,
    "charter: unknown proposal": 3,
    "charter: proposal not active": 4,
    "charter: voting closed": 5,
    "charter: not a member": 6,
    "charter: joined after proposal": 7,
    "charter: already voted": 8,
}

LEVELS = {
    "enact": MAJORITY,
    "renew": CONSENT,
    "repeal": MAJORITY,
    "concord": SUPERMAJORITY,
    "params": SUPERMAJORITY,
    "admit": MAJORITY,  # never by silence (issue 11, attack 3)
}

action_kinds = st.one_of(
    st.tuples(st.just("enact"), st.integers(0, MAX_TERM + 1)),
    st.tuples(st.just("renew"), st.integers(0, 6), st.integers(1, MAX_TERM)),
    st.tuples(st.just("repeal"), st.integers(0, 6)),
    st.tuples(st.just("concord")),
    st.tuples(st.just("params"), st.integers(0, len(PARAM_SETS) - 1)),
    st.tuples(st.just("admit"), st.integers(0, ACTORS - 1)),
)
actor = st.integers(0, ACTORS - 1)
pick = st.integers(0, 50)
# One time in eight a rule ignores the model's hint and picks blindly (to reach the reverts).
blind = st.integers(0, 7).map(lambda x: x == 0)
support = st.sampled_from([0, 1, 2, 0, 1, 2, 3])


def _param_tuple(i: int) -> tuple[int, ...]:
    return params(**PARAM_SETS[i])


def _param_dict(i: int) -> dict[str, int]:
    return {**DEFAULT_PARAMS, **PARAM_SETS[i]}


@dataclass
class ModelProposal:
    pid: int
    proposer: str
    kinds: list[tuple]
    actions: list[Action]
    level: int
    bar: int
    snapshot: int
    vote_end: int
    deadline: int
    num: int
    den: int
    eligible: frozenset[str]
    members_at_snapshot: int  # the quorum base
    delegates: dict[str, str]  # delegator -> delegate, at the snapshot
    direct: dict[str, int] = field(default_factory=dict)  # voter -> support
    executed: bool = False
    canceled: bool = False
    executed_at: int | None = None
    fields: tuple | None = None
    last_state: int = ACTIVE

    def tallies(self) -> list[int]:
        """Against, for, abstain: each eligible voice once, directly or via its delegate."""
        t = [0, 0, 0]
        for voter in self.eligible:
            if voter in self.direct:
                t[self.direct[voter]] += 1
            elif self.delegates.get(voter) in self.direct:
                t[self.direct[self.delegates[voter]]] += 1
        return t

    def passed(self) -> bool:
        against, for_, abstain = self.tallies()
        if self.level == CONSENT:
            return against <= self.bar
        if against + for_ + abstain < self.bar:
            return False
        if self.level == MAJORITY:
            return for_ > against
        return for_ != 0 and for_ * self.den >= self.num * (for_ + against)

    def state(self, now: int) -> int:
        if self.executed:
            return EXECUTED
        if self.canceled:
            return CANCELED
        if now < self.vote_end:
            return ACTIVE
        if not self.passed():
            return DEFEATED
        if now >= self.deadline:
            return EXPIRED
        return SUCCEEDED


class CharterMachine(Predicted, RuleBasedStateMachine):
    """A charter of six possible members; see the module docstring."""

    system: Any = None
    accounts: list[Any] = []
    relayer: Any = None
    #: Outcomes seen across all runs (``rule:ok`` or ``rule:reason``), to show the fuzzing
    #: reaches the interesting paths.
    stats: collections.Counter = collections.Counter()

    def __init__(self) -> None:
        super().__init__()
        self.snap = chain.snapshot()
        self.actors = self.accounts[:ACTORS]
        self.addr = [a.address for a in self.actors]
        self.polity = Polity.found(
            self.system,
            self.actors[:3],
            parameters=_param_tuple(0),
            clause_rules=rules(
                revision_period=PERIOD, max_term_cycles=MAX_TERM, max_renewals=MAX_RENEWALS
            ),
        )
        self.charter = self.polity.charter
        self.book = self.polity.book
        found_block = self.polity.found_receipt.block_number
        self.joined: dict[str, int | None] = {a: None for a in self.addr}
        for a in self.addr[:3]:
            self.joined[a] = found_block
        self.delegate_of: dict[str, str] = {}
        self.invited: set[str] = set()
        self.params = 0
        self.proposals: list[ModelProposal] = []
        self.clauses: dict[int, dict[str, Any]] = {}
        self.labels = itertools.count()
        self.steps = 0
        self._head: int | None = None

    def teardown(self) -> None:
        self.stats["steps"] += self.steps
        self.stats["runs"] += 1
        chain.restore(self.snap)

    # --- helpers ---------------------------------------------------------------------

    def head(self) -> int:
        """The latest block's timestamp (views run there; a transaction one second later).
        Cached until the next transaction or clock move."""
        if self._head is None:
            self._head = chain.blocks.head.timestamp
        return self._head

    def members(self) -> list[str]:
        return [a for a, b in self.joined.items() if b is not None]

    def proposal_by_pick(
        self, p: int, prefer: list[ModelProposal] | None = None
    ) -> tuple[int, ModelProposal | None]:
        """A proposal: one of ``prefer`` when given and not empty; otherwise an id in
        1..count, or count+1 (unknown) when ``p`` is 0."""
        if prefer:
            chosen = prefer[p % len(prefer)]
            return chosen.pid, chosen
        if p == 0 or not self.proposals:
            return len(self.proposals) + 1, None
        pid = p % len(self.proposals) + 1
        return pid, self.proposals[pid - 1]

    def choose(self, who: int, prefer: list[str], is_blind: bool) -> int:
        """An actor index: one of ``prefer`` (addresses) unless blind or none."""
        if is_blind or not prefer:
            return who
        return self.addr.index(prefer[who % len(prefer)])

    def open_proposals(self) -> list[ModelProposal]:
        now = self.head() + 1
        return [p for p in self.proposals if p.state(now) == ACTIVE]

    def vote_reason(self, pid: int, p: ModelProposal | None, voter: str, sup: int, now: int):
        if sup > 2:
            return "charter: invalid vote type"
        if p is None:
            return "charter: unknown proposal"
        if p.canceled:
            return "charter: proposal not active"
        if now >= p.vote_end:
            return "charter: voting closed"
        if self.joined[voter] is None:
            return "charter: not a member"
        if self.joined[voter] >= p.snapshot:
            return "charter: joined after proposal"
        if voter in p.direct:
            return "charter: already voted"
        return None

    def count_vote(self, p: ModelProposal, voter: str, sup: int, receipt: Any) -> None:
        """Record a counted vote; check its weight and the override event."""
        carried = [v for v, d in p.delegates.items() if d == voter and v not in p.direct]
        overrides = p.delegates.get(voter) in p.direct
        votes = [e for e in event_args(receipt, "VoteCast") if e["voter"] == voter]
        assert len(votes) == 1 and votes[0]["proposalId"] == p.pid
        assert votes[0]["support"] == sup
        assert votes[0]["weight"] == 1 + len(carried), (votes, carried)
        overridden = [
            e for e in event_args(receipt, "DelegateVoteOverridden") if e["delegator"] == voter
        ]
        assert len(overridden) == (1 if overrides else 0)
        p.direct[voter] = sup

    # --- membership ------------------------------------------------------------------

    @rule(who=actor, is_blind=blind)
    def join(self, who: int, is_blind: bool) -> None:
        who = self.choose(who, [a for a in self.addr if self.joined[a] is None], is_blind)
        a = self.addr[who]
        reason = None
        if self.joined[a] is not None:
            reason = "charter: already a member"
        elif _param_dict(self.params)["admission"] != 0 and a not in self.invited:
            reason = "charter: invitation required"
        receipt = self.attempt("join", reason, self.charter.join, sender=self.actors[who])
        if receipt:
            self.joined[a] = receipt.block_number
            self.invited.discard(a)

    @rule(who=actor, is_blind=blind)
    def leave(self, who: int, is_blind: bool) -> None:
        who = self.choose(who, self.members(), is_blind)
        a = self.addr[who]
        reason = None if self.joined[a] is not None else "charter: not a member"
        if self.attempt("leave", reason, self.charter.leave, sender=self.actors[who]):
            self.joined[a] = None
            self.delegate_of.pop(a, None)

    @rule(who=actor, to=actor, is_blind=blind)
    def delegate(self, who: int, to: int, is_blind: bool) -> None:
        who = self.choose(who, self.members(), is_blind)
        to = self.choose(to, [m for m in self.members() if m != self.addr[who]], is_blind)
        a, b = self.addr[who], self.addr[to]
        reason = None
        if self.joined[a] is None:
            reason = "charter: not a member"
        elif a == b:
            reason = "charter: cannot delegate to self"
        elif self.joined[b] is None:
            reason = "charter: delegate not a member"
        elif self.delegate_of.get(a) == b:
            reason = "charter: delegate unchanged"
        if self.attempt(
            "delegate",
            reason,
            self.charter.invoke_transaction,
            "delegate",
            b,
            sender=self.actors[who],
        ):
            self.delegate_of[a] = b

    @rule(who=actor, is_blind=blind)
    def undelegate(self, who: int, is_blind: bool) -> None:
        who = self.choose(who, list(self.delegate_of), is_blind)
        a = self.addr[who]
        reason = None
        if self.joined[a] is None:
            reason = "charter: not a member"
        elif a not in self.delegate_of:
            reason = "charter: delegate unchanged"
        if self.attempt("undelegate", reason, self.charter.undelegate, sender=self.actors[who]):
            del self.delegate_of[a]

    # --- proposals -------------------------------------------------------------------

    def build(self, kind: tuple) -> Action:
        name = kind[0]
        if name == "enact":
            return self.polity.book_call(
                "enact_clause", doc(f"clause {next(self.labels)}"), kind[1]
            )
        if name == "renew":
            return self.polity.book_call("renew_clause", kind[1], kind[2])
        if name == "repeal":
            return self.polity.book_call("repeal_clause", kind[1])
        if name == "concord":
            return self.polity.call("set_concord", doc(f"concord {next(self.labels)}"))
        if name == "params":
            return self.polity.call("set_parameters", _param_tuple(kind[1]))
        return self.polity.call("admit", self.addr[kind[1]])

    @rule(who=actor, kinds=st.lists(action_kinds, min_size=1, max_size=2), is_blind=blind)
    def propose(self, who: int, kinds: list[tuple], is_blind: bool) -> None:
        who = self.choose(who, self.members(), is_blind)
        a = self.addr[who]
        # Clause ids in 0..count+1: unknown ones too.
        kinds = [
            (k[0], k[1] % (len(self.clauses) + 2), *k[2:]) if k[0] in ("renew", "repeal") else k
            for k in kinds
        ]
        actions = [self.build(k) for k in kinds]
        reason = None if self.joined[a] is not None else "charter: not a member"
        receipt = self.attempt(
            "propose",
            reason,
            self.charter.propose,
            *columns(actions),
            doc("why"),
            sender=self.actors[who],
        )
        if not receipt:
            return
        # Each step is its own block: the members at the snapshot are the members now.
        self.record_proposal(receipt, a, kinds, actions, self.members(), dict(self.delegate_of))

    @precondition(lambda self: len(self.members()) >= 2)
    @rule(leaver=actor, proposer=actor, kinds=st.lists(action_kinds, min_size=1, max_size=2))
    def leave_then_propose_in_one_block(
        self, leaver: int, proposer: int, kinds: list[tuple]
    ) -> None:
        """One member leaves and another proposes in the same block (issue 11, attack 6): the
        leaver is in the snapshot (the end of the block before), so their voice may still
        count through their delegate, and the quorum base must count them too."""
        members = self.members()
        leaver = self.choose(leaver, members, False)
        proposer = self.choose(proposer, [m for m in members if m != self.addr[leaver]], False)
        kinds = [k for k in kinds if k[0] not in ("renew", "repeal")] or [("concord",)]
        actions = [self.build(k) for k in kinds]
        before, delegates = list(members), dict(self.delegate_of)
        leave = self.charter.leave.encode_input()
        propose = self.charter.propose.encode_input(*columns(actions), doc("why"))
        chain.provider.auto_mine = False
        try:
            self.send_raw(leaver, leave)
            sent = self.send_raw(proposer, propose)
            chain.mine()
        finally:
            chain.provider.auto_mine = True
            self._head = None
        receipt = chain.provider.get_receipt(sent)
        assert not receipt.failed
        self.stats["same_block:ok"] += 1
        self.record_proposal(receipt, self.addr[proposer], kinds, actions, before, delegates)
        self.joined[self.addr[leaver]] = None  # after: the snapshot still counts them
        self.delegate_of.pop(self.addr[leaver], None)

    def send_raw(self, who: int, data: bytes) -> str:
        """Sign and hand one transaction to the chain without mining it (automine is off),
        so that several land in one block; its own nonce and a fee above any base fee."""
        sender = self.actors[who]
        tx = {
            "to": self.charter.address,
            "data": bytes(data),
            "value": 0,
            "gas": 3_000_000,
            "nonce": chain.provider.get_nonce(sender.address),
            "maxFeePerGas": 10**12,
            "maxPriorityFeePerGas": 0,
            "chainId": chain.chain_id,
            "type": 2,
        }
        raw = Account.sign_transaction(tx, sender.private_key).raw_transaction
        return chain.provider.tester.ethereum_tester.send_raw_transaction("0x" + raw.hex())

    def record_proposal(
        self,
        receipt: Any,
        a: str,
        kinds: list[tuple],
        actions: list[Action],
        members: list[str],
        delegates: dict[str, str],
    ) -> None:
        """Model a proposal created by ``receipt``; ``members`` and ``delegates`` as they were
        at the snapshot (the end of the block before its own), which the quorum base, the
        eligibility and the carried voices all count."""
        now = chain.blocks[receipt.block_number].timestamp
        p_now = _param_dict(self.params)
        level = max(LEVELS[k[0]] for k in kinds)
        if level == CONSENT:
            bar = p_now["consent_max_objections"]
        else:
            bar = (len(members) * p_now["quorum_bps"] + 9_999) // 10_000
        pid = len(self.proposals) + 1
        assert event_args(receipt, "ProposalCreated")[0]["proposalId"] == pid
        p = ModelProposal(
            pid=pid,
            proposer=a,
            kinds=kinds,
            actions=actions,
            level=level,
            bar=bar,
            snapshot=receipt.block_number,
            vote_end=now + p_now["voting_period"],
            deadline=now + p_now["voting_period"] + p_now["execution_window"],
            num=p_now["supermajority_num"],
            den=p_now["supermajority_den"],
            eligible=frozenset(m for m in members if self.joined[m] < receipt.block_number),
            members_at_snapshot=len(members),
            delegates=dict(delegates),
        )
        got = self.charter.proposal(pid)
        p.fields = (
            got.proposer,
            got.snapshot,
            got.vote_end,
            got.execution_deadline,
            got.level,
            got.bar,
            got.supermajority_num,
            got.supermajority_den,
        )
        assert p.fields == (a, p.snapshot, p.vote_end, p.deadline, p.level, p.bar, p.num, p.den), (
            p.fields,
            p,
        )
        self.proposals.append(p)

    def voters(self, prop: ModelProposal | None) -> list[str]:
        if prop is None:
            return []
        return [m for m in self.members() if m in prop.eligible and m not in prop.direct]

    @initialize(kinds=st.lists(action_kinds, min_size=1, max_size=2), joiners=st.sets(actor))
    def opening(self, kinds: list[tuple], joiners: set[int]) -> None:
        """Some newcomers join, then a founder proposes: every run starts with a vote open."""
        for who in sorted(joiners):
            self.join(who, False)
        self.propose(0, kinds, False)

    @precondition(lambda self: self.proposals)
    @rule(who=actor, p=pick, sup=support, is_blind=blind)
    def vote(self, who: int, p: int, sup: int, is_blind: bool) -> None:
        pid, prop = self.proposal_by_pick(p, None if is_blind else self.open_proposals())
        who = self.choose(who, self.voters(prop), is_blind)
        a = self.addr[who]
        reason = self.vote_reason(pid, prop, a, sup, self.head() + 1)
        receipt = self.attempt(
            "vote", reason, self.charter.cast_vote, pid, sup, sender=self.actors[who]
        )
        if receipt:
            self.count_vote(prop, a, sup, receipt)

    def signed(self, who: int, pid: int, sup: int, tamper: bool) -> tuple:
        a = self.addr[who]
        sig = sign_ballot(self.actors[who], self.charter.ballot_digest(pid, sup, a))
        return (pid, (sup + 1) % 3 if tamper else sup, a, sig)

    @precondition(lambda self: self.proposals)
    @rule(who=actor, p=pick, sup=support, tamper=blind, is_blind=blind)
    def relay_vote(self, who: int, p: int, sup: int, tamper: bool, is_blind: bool) -> None:
        pid, prop = self.proposal_by_pick(p, None if is_blind else self.open_proposals())
        who = self.choose(who, self.voters(prop), is_blind)
        ballot = self.signed(who, pid, sup, tamper)
        a = self.addr[who]
        reason = (
            "charter: invalid signature"
            if tamper
            else self.vote_reason(pid, prop, a, sup, self.head() + 1)
        )
        receipt = self.attempt(
            "relay", reason, self.charter.cast_vote_by_sig, *ballot, sender=self.relayer
        )
        if receipt:
            self.count_vote(prop, a, sup, receipt)

    @precondition(lambda self: self.proposals)
    @rule(
        ballots=st.lists(st.tuples(actor, pick, support, blind), min_size=1, max_size=4),
        all_or_nothing=st.booleans(),
    )
    def relay_batch(self, ballots: list[tuple], all_or_nothing: bool) -> None:
        now = self.head() + 1
        signed, expected = [], []
        # Predict each ballot in order, as if the earlier ones were counted.
        shadow: dict[int, set[str]] = {}
        for who, p, sup, tamper in ballots:
            pid, prop = self.proposal_by_pick(p, self.open_proposals() if p % 4 else None)
            who = self.choose(who, self.voters(prop), p % 3 == 0)
            signed.append(self.signed(who, pid, sup, tamper))
            a = self.addr[who]
            reason = (
                "charter: invalid signature" if tamper else self.vote_reason(pid, prop, a, sup, now)
            )
            if reason is None and a in shadow.setdefault(pid, set()):
                reason = "charter: already voted"
            if reason is None:
                shadow[pid].add(a)
            expected.append((pid, prop, a, sup, reason))
        first_failure = next((e[4] for e in expected if e[4] is not None), None)
        if all_or_nothing and first_failure is not None:
            self.attempt(
                "batch",
                first_failure,
                self.charter.cast_votes_by_sig,
                signed,
                True,
                sender=self.relayer,
            )
            return
        receipt = self.attempt(
            "batch",
            None,
            self.charter.cast_votes_by_sig,
            signed,
            all_or_nothing,
            sender=self.relayer,
        )
        skipped = [
            (e["proposalId"], e["voter"], e["reason"]) for e in event_args(receipt, "BallotSkipped")
        ]
        assert skipped == [(pid, a, SKIP_CODES[r]) for pid, _, a, _, r in expected if r is not None]
        # Count in order; each counted ballot's weight is checked against the model.
        casts = event_args(receipt, "VoteCast")
        assert len(casts) == sum(1 for e in expected if e[4] is None)
        for _pid, prop, a, sup, r in expected:
            if r is None:
                self.count_vote_from_event(prop, a, sup, casts.pop(0))

    def count_vote_from_event(self, p: ModelProposal, voter: str, sup: int, cast: dict) -> None:
        carried = [v for v, d in p.delegates.items() if d == voter and v not in p.direct]
        assert (cast["voter"], cast["proposalId"], cast["support"]) == (voter, p.pid, sup)
        assert cast["weight"] == 1 + len(carried)
        p.direct[voter] = sup

    @precondition(lambda self: self.proposals)
    @rule(who=actor, p=pick, is_blind=blind)
    def cancel(self, who: int, p: int, is_blind: bool) -> None:
        pid, prop = self.proposal_by_pick(p, None if is_blind else self.open_proposals())
        who = self.choose(who, [prop.proposer] if prop else [], is_blind)
        a = self.addr[who]
        now = self.head() + 1
        if prop is None:
            reason = "charter: unknown proposal"
        elif prop.proposer != a:
            reason = "charter: not the proposer"
        elif self.joined[a] is None:
            reason = "charter: not a member"  # a proposer who left speaks for nobody
        elif prop.state(now) != ACTIVE:
            reason = "charter: proposal not active"
        elif prop.direct:
            reason = "charter: votes already cast"
        else:
            reason = None
        if self.attempt("cancel", reason, self.charter.cancel, pid, sender=self.actors[who]):
            prop.canceled = True

    @rule(step=st.sampled_from(TIME_STEPS))
    def wait(self, step: int) -> None:
        self.stats["wait"] += 1
        chain.mine(timestamp=self.head() + step)
        self._head = None

    @precondition(lambda self: self.proposals)
    @rule(
        p=pick, edge=st.sampled_from(["vote_end", "deadline"]), offset=st.sampled_from([-2, -1, 0])
    )
    def wait_for_edge(self, p: int, edge: str, offset: int) -> None:
        """Move the clock so that the next transaction runs at a proposal's voting end or
        execution deadline, a second before it, or a second after it (t-1, t, t+1)."""
        self.stats["wait_for_edge"] += 1
        prop = self.proposals[p % len(self.proposals)]
        target = getattr(prop, edge) + offset  # the next transaction runs one second later
        if target > self.head():
            chain.mine(timestamp=target)
            self._head = None

    @precondition(lambda self: self.proposals)
    @rule(p=pick, who=st.integers(0, ACTORS), wrong=blind, is_blind=blind)
    def execute(self, p: int, who: int, wrong: bool, is_blind: bool) -> None:
        now = self.head() + 1
        ready = [q for q in self.proposals if q.state(now) == SUCCEEDED]
        pid, prop = self.proposal_by_pick(p, None if is_blind else ready)
        sender = self.relayer if who == ACTORS else self.actors[who]
        actions = prop.actions if prop else [self.build(("concord",))]
        if wrong:
            actions = actions[:-1] + [self.build(("concord",))]
        effects = None
        if prop is None:
            reason = "charter: unknown proposal"
        else:
            reason = {
                ACTIVE: "charter: voting not over",
                CANCELED: "charter: proposal canceled",
                DEFEATED: "charter: proposal defeated",
                EXECUTED: "charter: proposal already executed",
                EXPIRED: "charter: execution window closed",
                SUCCEEDED: None,
            }[prop.state(now)]
            if reason is None and wrong:
                reason = "charter: actions do not match"
            if reason is None:
                reason, effects = self.simulate(prop, now)
        receipt = self.attempt(
            "execute", reason, self.charter.execute, pid, *columns(actions), sender=sender
        )
        if receipt:
            assert chain.blocks[receipt.block_number].timestamp == now
            prop.executed, prop.executed_at = True, now
            effects()

    def has_ready(self) -> bool:
        now = self.head() + 1
        return any(q.state(now) == SUCCEEDED for q in self.proposals)

    @precondition(lambda self: self.proposals and self.has_ready())
    @rule(p=pick, who=st.integers(0, ACTORS))
    def execute_ready(self, p: int, who: int) -> None:
        """Execution of a proposal that succeeded (a second rule, so that it is likelier)."""
        self.execute(p, who, False, False)

    @precondition(lambda self: self.proposals)
    @rule(p=pick, voters=st.lists(actor, min_size=1, max_size=ACTORS), sup=st.integers(0, 2))
    def rally(self, p: int, voters: list[int], sup: int) -> None:
        """Several members vote the same way on one open proposal, each directly."""
        open_ = self.open_proposals()
        if not open_:
            return
        prop = open_[p % len(open_)]
        for who in voters:
            if self.addr[who] in self.voters(prop):
                self._vote_on(who, prop, sup)

    def _vote_on(self, who: int, prop: ModelProposal, sup: int) -> None:
        a = self.addr[who]
        reason = self.vote_reason(prop.pid, prop, a, sup, self.head() + 1)
        receipt = self.attempt(
            "vote", reason, self.charter.cast_vote, prop.pid, sup, sender=self.actors[who]
        )
        if receipt:
            self.count_vote(prop, a, sup, receipt)

    def simulate(self, prop: ModelProposal, now: int):
        """The first failing action's reason, or the effects of running them all."""
        clauses = {cid: dict(c) for cid, c in self.clauses.items()}
        joined, invited, param_set = self.joined, set(self.invited), self.params
        for kind in prop.kinds:
            name = kind[0]
            if name == "enact":
                if not 1 <= kind[1] <= MAX_TERM:
                    return "clauses: term out of range", None
                clauses[len(clauses) + 1] = {
                    "expires": now + kind[1] * PERIOD,
                    "renewals": 0,
                    "repealed": False,
                    "version": 1,
                }
            elif name in ("renew", "repeal"):
                cid = kind[1]
                if cid not in clauses:
                    return "clauses: unknown clause", None
                c = clauses[cid]
                if c["repealed"] or now >= c["expires"]:
                    return "clauses: clause not in force", None
                if name == "repeal":
                    c["repealed"] = True
                else:
                    if c["renewals"] >= MAX_RENEWALS:
                        return "clauses: renewal limit reached", None
                    c["renewals"] += 1
                    c["expires"] = now + kind[2] * PERIOD
            elif name == "params":
                param_set = kind[1]
            elif name == "admit":
                a = self.addr[kind[1]]
                if joined[a] is not None:
                    return "charter: already a member", None
                invited.add(a)

        def apply() -> None:
            self.clauses, self.invited, self.params = clauses, invited, param_set

        return None, apply

    # --- invariants --------------------------------------------------------------------

    @invariant()
    def matches_the_model(self) -> None:
        """The SECURITY.md invariants, checked against the chain after every step."""
        if not hasattr(self, "charter"):
            return
        self.steps += 1
        now = self.head()
        thorough = self.steps % 4 == 0  # the costlier views: every fourth step
        assert self.charter.proposal_count() == len(self.proposals)
        for p in self.proposals:
            if p.last_state not in (ACTIVE, SUCCEEDED) and not thorough:
                continue  # terminal: re-checked every fourth step
            got = self.charter.proposal(p.pid)
            tallies = [got.against_votes, got.for_votes, got.abstain_votes]
            # Each eligible voice counts once: exactly the model's tallies, within the snapshot.
            assert tallies == p.tallies(), (p.pid, tallies, p.tallies(), p)
            # Counted voices never exceed the members eligible at the snapshot, nor the quorum
            # base taken at the same instant (issue 11, attack 6).
            assert sum(tallies) <= len(p.eligible) <= p.members_at_snapshot
            # Fields never change after creation (parameter changes included).
            assert (
                got.proposer,
                got.snapshot,
                got.vote_end,
                got.execution_deadline,
                got.level,
                got.bar,
                got.supermajority_num,
                got.supermajority_den,
            ) == p.fields
            assert (got.executed, got.canceled) == (p.executed, p.canceled)
            assert not (got.executed and got.canceled)
            if p.executed:  # executed => succeeded, inside its window, once (the model's log)
                assert p.vote_end <= p.executed_at < p.deadline
            state = self.charter.state(p.pid)
            assert state == p.state(now), (p.pid, state, p.state(now), now, p)
            assert state in ALLOWED[p.last_state], (p.last_state, state)
            p.last_state = state
        # Membership and delegation.
        assert self.charter.member_count() == len(self.members())
        if thorough:
            for a in self.addr:
                assert self.charter.is_member(a) == (self.joined[a] is not None)
                assert self.charter.delegate_of(a) == self.delegate_of.get(a, ZERO)
                carried = sum(1 for d in self.delegate_of.values() if d == a)
                assert self.charter.carried_voices(a) == carried
        # A clause is in force exactly when it is not repealed and has not expired.
        assert self.book.clause_count() == len(self.clauses)
        for cid, c in self.clauses.items():
            got = self.book.clause(cid)
            assert got.expires_at == c["expires"] and got.renewals == c["renewals"]
            assert got.repealed == c["repealed"]
            assert got.in_force == ((not c["repealed"]) and now < c["expires"])


def test_charter_state_machine(accounts: Any) -> None:
    """Runs the machine under the profile named by ``HYPOTHESIS_PROFILE``."""
    CharterMachine.system = deploy_system(accounts[8])
    CharterMachine.accounts = [accounts[i] for i in range(ACTORS)]
    CharterMachine.relayer = accounts[7]
    CharterMachine.stats.clear()
    with reproducible():
        run_state_machine_as_test(CharterMachine, settings=fuzz_settings())
    stats = CharterMachine.stats
    print("\n".join(f"{n:6} {k}" for k, n in sorted(stats.items())))
    # The run reached the paths that matter, not only reverts.
    for path in ("propose:ok", "vote:ok", "relay:ok", "batch:ok", "cancel:ok", "same_block:ok"):
        assert stats[path] > 0, (path, stats)

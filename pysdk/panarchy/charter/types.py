"""The charter's domain types, in native Python: enums, frozen dataclasses, datetimes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from enum import IntEnum
from fractions import Fraction
from typing import Any

from panarchy import constants as C
from panarchy.errors import InvalidParameter

#: The most actions in one proposal, and the most calldata bytes per action
#: (generated from contracts/modules/proposals.vy).
MAX_ACTIONS = C.Proposals.MAX_ACTIONS
MAX_CALLDATA = C.Proposals.MAX_CALLDATA
#: The most founders, the longest name, the most ballots in one batch (contracts/Charter.vy).
MAX_FOUNDERS = C.Charter.MAX_FOUNDERS
MAX_NAME_LENGTH = C.Charter.MAX_NAME_LENGTH
MAX_BATCH = C.Charter.MAX_BATCH

#: A lunar month, the default revision period.
LUNAR_MONTH = timedelta(days=29.53)

#: The largest uint256, the ABI type of every parameter but the admission policy.
MAX_UINT256 = 2**256 - 1
#: The largest uint8 (the admission policy's type).
MAX_UINT8 = 2**8 - 1


class _NamedIntEnum(IntEnum):
    """An IntEnum that prints its name (``print(proposal.state)`` shows ``DEFEATED``);
    ``int()`` and comparisons with integers work as before."""

    def __str__(self) -> str:
        return self.name

    def __format__(self, spec: str) -> str:
        if spec and spec[-1] in "bcdeEfFgGnoxX%":  # a number's format: the number
            return int.__format__(self, spec)
        return format(self.name, spec)


class ProposalState(_NamedIntEnum):
    """A proposal's state, numbered as OpenZeppelin's ``IGovernor.ProposalState``."""

    ACTIVE = C.Proposals.ACTIVE
    CANCELED = C.Proposals.CANCELED
    DEFEATED = C.Proposals.DEFEATED
    SUCCEEDED = C.Proposals.SUCCEEDED
    EXPIRED = C.Proposals.EXPIRED
    EXECUTED = C.Proposals.EXECUTED


class Stakes(_NamedIntEnum):
    """What a proposal must reach to pass; derived from its actions."""

    CONSENT = C.Proposals.CONSENT  # passes unless objections exceed the allowed number
    MAJORITY = C.Proposals.MAJORITY  # quorum, and more for than against
    SUPERMAJORITY = C.Proposals.SUPERMAJORITY  # quorum, and the supermajority share


class Support(_NamedIntEnum):
    """A vote, numbered as OpenZeppelin's GovernorCountingSimple."""

    AGAINST = C.Proposals.VOTE_AGAINST
    FOR = C.Proposals.VOTE_FOR
    ABSTAIN = C.Proposals.VOTE_ABSTAIN


class SkipReason(_NamedIntEnum):
    """Why a batch skipped a relayed ballot (the ``BallotSkipped`` event's code)."""

    INVALID_SIGNATURE = C.Ballots.INVALID_SIGNATURE
    INVALID_VOTE_TYPE = C.Ballots.INVALID_VOTE_TYPE
    UNKNOWN_PROPOSAL = C.Ballots.UNKNOWN_PROPOSAL
    NOT_ACTIVE = C.Ballots.NOT_ACTIVE
    VOTING_CLOSED = C.Ballots.VOTING_CLOSED
    NOT_A_MEMBER = C.Ballots.NOT_A_MEMBER
    JOINED_AFTER_PROPOSAL = C.Ballots.JOINED_AFTER_PROPOSAL
    ALREADY_VOTED = C.Ballots.ALREADY_VOTED


class Admission(_NamedIntEnum):
    """How newcomers become members."""

    OPEN = C.Params.OPEN  # anyone may join
    BY_VOTE = C.Params.BY_VOTE  # a proposal admits them, then they join
    BY_SPONSORSHIP = C.Params.BY_SPONSORSHIP  # a member sponsors them, then they join


class BookKind(_NamedIntEnum):
    """The kinds of a charter's books (``charter.book(kind)``)."""

    CLAUSES = C.Books.CLAUSES
    ROLES = C.Books.ROLES


def _seconds(value: timedelta) -> int:
    return int(value.total_seconds())


@dataclass(frozen=True)
class Parameters:
    """A charter's parameters. Proposals copy what they depend on when created.

    Attributes:
        revision_period: Length of a revision cycle (default: a lunar month).
        max_term_cycles: Longest clause term, in revision cycles.
        max_renewals: Unchanged renewals allowed in a row before a clause must be amended.
        voting_period: How long a proposal is open for votes.
        execution_window: How long a succeeded proposal may be executed before it expires.
        quorum: Share of members (at creation) whose votes a MAJORITY or SUPERMAJORITY
            proposal needs, as a Decimal between 0 and 1 (precision: basis points).
        supermajority: The share of for + against that SUPERMAJORITY needs (> 1/2).
        consent_max_objections: Objections a CONSENT proposal tolerates.
        revision_quota: Revisions (enact, amend, repeal) each cycle should see.
        admission: How newcomers become members.
    """

    revision_period: timedelta = LUNAR_MONTH
    max_term_cycles: int = 12
    max_renewals: int = 3
    voting_period: timedelta = timedelta(days=7)
    execution_window: timedelta = timedelta(days=7)
    quorum: Decimal = Decimal("0.20")
    supermajority: Fraction = Fraction(2, 3)
    consent_max_objections: int = 0
    revision_quota: int = 1
    admission: Admission = Admission.OPEN

    def validate(self) -> None:
        """Check that every value can be encoded for the chain (uint256; the admission policy
        a uint8). Which values are allowed is the contract's word, at
        founding and in ``set_parameters``: it refuses the others with its own reasons.

        Raises:
            InvalidParameter: For a value that cannot be encoded (negative, or too large
                for its ABI type).
        """
        fields = {
            "revision_period": _seconds(self.revision_period),
            "max_term_cycles": self.max_term_cycles,
            "max_renewals": self.max_renewals,
            "voting_period": _seconds(self.voting_period),
            "execution_window": _seconds(self.execution_window),
            "quorum": int(self.quorum * 10_000),
            "supermajority numerator": self.supermajority.numerator,
            "supermajority denominator": self.supermajority.denominator,
            "consent_max_objections": self.consent_max_objections,
            "revision_quota": self.revision_quota,
            "admission": int(self.admission),
        }
        for field_name, value in fields.items():
            bound = MAX_UINT8 if field_name == "admission" else MAX_UINT256
            if not 0 <= value <= bound:
                raise InvalidParameter(
                    "", f"{field_name} = {value} cannot be encoded: it must be 0 to {bound}"
                )

    def to_chain(self) -> tuple[int, ...]:
        """The charter's share: the ABI tuple of ``params.Params``."""
        self.validate()
        return (
            _seconds(self.voting_period),
            _seconds(self.execution_window),
            int(self.quorum * 10_000),
            self.supermajority.numerator,
            self.supermajority.denominator,
            self.consent_max_objections,
            int(self.admission),
        )

    def rules_to_chain(self) -> tuple[int, ...]:
        """The clause book's share: the ABI tuple of ``clauses.Rules``."""
        self.validate()
        return (
            _seconds(self.revision_period),
            self.max_term_cycles,
            self.max_renewals,
            self.revision_quota,
        )

    @classmethod
    def from_chain(cls, raw: Any, rules: Any) -> Parameters:
        """Build from ``parameters()`` of the charter and ``rules()`` of its clause book."""
        (voting, window, quorum, num, den, consent, adm) = raw
        (period, term, renewals, quota) = rules
        return cls(
            revision_period=timedelta(seconds=period),
            max_term_cycles=term,
            max_renewals=renewals,
            voting_period=timedelta(seconds=voting),
            execution_window=timedelta(seconds=window),
            quorum=Decimal(quorum) / Decimal(10_000),
            supermajority=Fraction(num, den),
            consent_max_objections=consent,
            revision_quota=quota,
            admission=Admission(adm),
        )


@dataclass(frozen=True)
class Action:
    """One call a proposal makes: ``target`` receives ``value`` wei and ``calldata``.

    ``summary`` is a human description for tables; it is not stored on chain.
    """

    target: str
    value: int
    calldata: bytes
    summary: str = field(default="", compare=False)

    def __repr__(self) -> str:
        what = self.summary or f"call {self.calldata[:4].hex()}"
        return f"<Action {what} -> {self.target}>"


def _time(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)


@dataclass(frozen=True)
class Proposal:
    """A proposal as it stands at the block it was read at.

    Members who joined in a block before ``snapshot_block`` (the block it was created in)
    may vote on it; ``bar`` is the quorum in votes, or for CONSENT the objections allowed.
    """

    id: int
    proposer: str
    state: ProposalState
    stakes: Stakes
    for_votes: int
    against_votes: int
    abstain_votes: int
    snapshot_block: int
    vote_end: datetime
    execution_deadline: datetime
    bar: int
    supermajority: Fraction
    description_cid: str | None
    actions: tuple[Action, ...]

    @property
    def turnout(self) -> int:
        """Votes cast, abstentions included."""
        return self.for_votes + self.against_votes + self.abstain_votes

    @property
    def quorum_votes(self) -> int | None:
        """Votes needed for quorum (None for CONSENT proposals, which need none)."""
        return None if self.stakes == Stakes.CONSENT else self.bar

    def __repr__(self) -> str:
        return (
            f"<Proposal #{self.id} {self.state.name} {self.stakes.name} "
            f"for={self.for_votes} against={self.against_votes} abstain={self.abstain_votes}>"
        )


@dataclass(frozen=True)
class Clause:
    """A clause as it stands at the block it was read at (``now`` is that block's time)."""

    id: int
    cid: str
    enacted_at: datetime
    expires_at: datetime
    version: int
    renewals: int
    repealed: bool
    in_force: bool
    now: datetime

    @property
    def time_left(self) -> timedelta:
        """Time until the clause lapses (zero once it is not in force)."""
        if not self.in_force:
            return timedelta(0)
        return self.expires_at - self.now

    def __repr__(self) -> str:
        status = "in force" if self.in_force else ("repealed" if self.repealed else "lapsed")
        return f"<Clause #{self.id} v{self.version} {status} until {self.expires_at:%Y-%m-%d}>"


@dataclass(frozen=True)
class BatchResult:
    """What a batch of relayed ballots did: who was counted, who was skipped and why."""

    tx_hash: str
    counted: list[tuple[int, str]]
    skipped: list[tuple[int, str, SkipReason]]
    gas_used: int


@dataclass(frozen=True)
class RevisionReport:
    """How much one revision cycle revised the charter."""

    cycle: int
    starts_at: datetime
    ends_at: datetime
    revisions: int
    quota: int
    met: bool
    current: bool

    def __repr__(self) -> str:
        verdict = "met" if self.met else "not met"
        return f"<RevisionReport cycle {self.cycle}: {self.revisions}/{self.quota} {verdict}>"


def proposal_from_chain(
    proposal_id: int,
    raw: Any,
    state: int,
    description_cid: str | None,
    actions: tuple[Action, ...],
) -> Proposal:
    """Build a :class:`Proposal` from the ``proposal(id)`` ABI tuple."""
    (proposer, against, for_, abstain, snapshot, vote_end, deadline, level, bar, num, den) = raw[
        :11
    ]
    return Proposal(
        id=proposal_id,
        proposer=proposer,
        state=ProposalState(state),
        stakes=Stakes(level),
        for_votes=for_,
        against_votes=against,
        abstain_votes=abstain,
        snapshot_block=snapshot,
        vote_end=_time(vote_end),
        execution_deadline=_time(deadline),
        bar=bar,
        supermajority=Fraction(num, den),
        description_cid=description_cid,
        actions=actions,
    )


def clause_from_chain(clause_id: int, raw: Any, cid: str, now: int) -> Clause:
    """Build a :class:`Clause` from the ``clause(id)`` ABI tuple."""
    (_doc, enacted, expires, version, renewals, repealed, in_force) = raw
    return Clause(
        id=clause_id,
        cid=cid,
        enacted_at=_time(enacted),
        expires_at=_time(expires),
        version=version,
        renewals=renewals,
        repealed=repealed,
        in_force=in_force,
        now=_time(now),
    )


__all__ = [
    "MAX_ACTIONS",
    "MAX_CALLDATA",
    "MAX_FOUNDERS",
    "MAX_NAME_LENGTH",
    "MAX_BATCH",
    "LUNAR_MONTH",
    "MAX_UINT256",
    "MAX_UINT8",
    "ProposalState",
    "Stakes",
    "Support",
    "SkipReason",
    "Admission",
    "BookKind",
    "Parameters",
    "Action",
    "Proposal",
    "Clause",
    "BatchResult",
    "RevisionReport",
    "proposal_from_chain",
    "clause_from_chain",
]

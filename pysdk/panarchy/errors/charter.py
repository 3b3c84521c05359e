"""The charter's reverts (founding, membership, clauses, proposals and votes, books), its
clause book's and its factory's."""

from __future__ import annotations

from panarchy.errors.base import ContractReverted, PanarchyError

# --- charter: founding and parameters -------------------------------------------------


class CharterError(ContractReverted):
    """Base of every revert a charter gives; ``reason`` is the exact revert string."""


class AlreadyInitialized(CharterError):
    """Raised when a charter (or the implementation) is initialised a second time."""


class InvalidParameter(CharterError, ValueError):
    """Raised when the contract refuses a founding value or a parameter (zero voting period,
    quorum over 100%, no founders, an invalid supermajority, ...); also, before anything is
    sent and with an empty ``reason``, for a value the ABI cannot encode (negative, too
    large for its type)."""


class EmptyDocument(CharterError, ValueError):
    """Raised when a document reference (concord, clause, description) is missing."""


class OnlyByProposal(CharterError, PermissionError):
    """Raised when a governance function is called directly instead of by a proposal."""


# --- membership -----------------------------------------------------------------------


class NotAMember(CharterError, PermissionError):
    """Raised when a member-only action is attempted by a non-member."""


class AlreadyAMember(CharterError, ValueError):
    """Raised when joining, inviting or sponsoring someone who is already a member."""


class InvitationRequired(CharterError, PermissionError):
    """Raised when joining a charter whose admission needs an invitation one lacks."""


class SponsorshipNotAllowed(CharterError, PermissionError):
    """Raised when sponsoring under an admission policy other than sponsorship."""


class TooManyMembers(CharterError):
    """Raised when a charter already has the most members it can count (2**32 - 1)."""


# --- clauses --------------------------------------------------------------------------


class CannotBeOwnMember(CharterError, ValueError):
    """A charter cannot be its own founder or member (nor be invited to itself)."""


class SeatListFull(CharterError):
    """Every seat number (2**40 - 1 joins) was taken."""


class NoSuchSeat(CharterError, LookupError):
    """No seat has that number (seats are numbered 1 to ``seat_count()``)."""


class ClauseError(CharterError):
    """Base of the clause errors."""


class UnknownClause(ClauseError, LookupError):
    """Raised for a clause id that was never enacted."""


class ClauseNotInForce(ClauseError):
    """Raised when amending, renewing or repealing a clause that expired or was repealed:
    an expired clause is never silently resurrected; enact it anew."""


class InvalidTerm(ClauseError, ValueError):
    """Raised for a term of zero cycles or more than the charter's maximum."""


class RenewalLimitReached(ClauseError):
    """Raised when a clause was renewed unchanged as often as allowed: amend it or let it lapse."""


class DocumentUnchanged(ClauseError, ValueError):
    """Raised when an amendment keeps the same text: renew the clause instead."""


class ClauseAlreadyRevised(ClauseError):
    """Raised when one transaction would amend a clause it already revised: a proposal that
    amends a clause twice (A to B and back to A) or amends a clause it enacts, or two proposals
    that revise one clause executed in one transaction (execute the second one in its own)."""


class InvalidCycle(ClauseError, ValueError):
    """Raised when asking for the start of a cycle before the current revision period."""


# --- proposals and votes --------------------------------------------------------------


class ProposalError(CharterError):
    """Base of the proposal errors."""


class UnknownProposal(ProposalError, LookupError):
    """Raised for a proposal id that does not exist."""


class InvalidActions(ProposalError, ValueError):
    """Raised for a proposal without actions, or with lists of different lengths."""


class InvalidVote(ProposalError, ValueError):
    """Raised when the contract refuses a vote type other than against (0), for (1) or
    abstain (2); also, before anything is sent and with an empty ``reason``, for a vote that
    does not fit a uint8, or a ballot to sign that names none of the three."""


class ProposalNotActive(ProposalError):
    """Raised when voting on or canceling a proposal that is not active."""


class VotingClosed(ProposalError):
    """Raised when voting after the voting period ended."""


class NotEligible(ProposalError, PermissionError):
    """Raised when a member who joined after a proposal was created votes on it."""


class AlreadyVoted(ProposalError):
    """Raised when a member votes twice on one proposal."""


class NotTheMembersDelegate(ProposalError, PermissionError):
    """Raised when voting for a member charter of a federation without holding its
    "delegate" role now (never appointed, recalled, or the term ended), or for a member
    that is no polity."""


class NotProposer(ProposalError, PermissionError):
    """Raised when someone other than the proposer cancels a proposal."""


class VotesAlreadyCast(ProposalError):
    """Raised when canceling a proposal that already has votes."""


class VotingNotOver(ProposalError):
    """Raised when executing a proposal whose voting period has not ended."""


class ProposalCanceled(ProposalError):
    """Raised when executing a canceled proposal."""


class ProposalDefeated(ProposalError):
    """Raised when executing a proposal that did not reach its stakes level."""


class AlreadyExecuted(ProposalError):
    """Raised when executing a proposal a second time."""


class ExecutionWindowClosed(ProposalError):
    """Raised when executing a succeeded proposal after its execution window: it expired."""


class ActionsMismatch(ProposalError, ValueError):
    """Raised when the actions given to execute are not the ones proposed."""


class TargetCodeChanged(ProposalError):
    """Raised when a target's code changed since the proposal was created."""


class TargetHasNoCode(ProposalError):
    """Raised when an action calls a function on an account without code."""


class InsufficientBalance(ProposalError):
    """Raised when the charter holds less ETH than an action sends."""


class SignatureCheckStarved(CharterError):
    """The transaction left too little gas for a contract wallet's signature check (its
    stipend): send it with more gas."""


class DelegationError(CharterError, ValueError):
    """Raised for a delegation that cannot be: to oneself, to a non-member, or a change
    that changes nothing (delegating to one's delegate, undelegating without one)."""


class InvalidSignature(CharterError, ValueError):
    """Raised when a relayed ballot's signature is not its voter's, or is malleable."""


class InvalidBallot(PanarchyError, ValueError):
    """Raised, before anything is sent, for a ballot file or signature that is malformed,
    malleable, or bound to another chain or charter."""


class ClauseBookError(ContractReverted):
    """Raised by a clause book's own checks (initialisation, caller)."""


class InvalidStakes(CharterError, ValueError):
    """Raised for a stakes level other than CONSENT (1), MAJORITY (2), SUPERMAJORITY (3)."""


class EntrenchedStakes(CharterError):
    """Raised when lowering the level of an entrenched function (parameters, stakes table,
    concord) below SUPERMAJORITY."""


class NotACharterContract(InvalidStakes):
    """The stakes table lists only the charter's own functions and its books'."""


class InvalidBook(CharterError, ValueError):
    """Raised when a book cannot be added to a charter: kind zero or taken, already a book,
    eight books already, or a contract that does not name this charter as its own."""


class FactoryError(ContractReverted):
    """Raised when the charter factory refuses a call."""


__all__ = [
    "CharterError",
    "AlreadyInitialized",
    "InvalidParameter",
    "EmptyDocument",
    "OnlyByProposal",
    "NotAMember",
    "AlreadyAMember",
    "InvitationRequired",
    "SponsorshipNotAllowed",
    "TooManyMembers",
    "CannotBeOwnMember",
    "SeatListFull",
    "NoSuchSeat",
    "ClauseError",
    "UnknownClause",
    "ClauseNotInForce",
    "InvalidTerm",
    "RenewalLimitReached",
    "DocumentUnchanged",
    "ClauseAlreadyRevised",
    "InvalidCycle",
    "ProposalError",
    "UnknownProposal",
    "InvalidActions",
    "InvalidVote",
    "ProposalNotActive",
    "VotingClosed",
    "NotEligible",
    "AlreadyVoted",
    "NotProposer",
    "VotesAlreadyCast",
    "VotingNotOver",
    "ProposalCanceled",
    "ProposalDefeated",
    "AlreadyExecuted",
    "ExecutionWindowClosed",
    "ActionsMismatch",
    "TargetCodeChanged",
    "TargetHasNoCode",
    "InsufficientBalance",
    "SignatureCheckStarved",
    "DelegationError",
    "InvalidSignature",
    "InvalidBallot",
    "ClauseBookError",
    "InvalidStakes",
    "EntrenchedStakes",
    "NotACharterContract",
    "InvalidBook",
    "FactoryError",
]

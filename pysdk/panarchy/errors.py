"""The SDK's exceptions: one root, builtin mixins, one table from revert reasons to classes.

Every revert reason a Panarchy contract can give is namespaced (``"charter: not a member"``)
and maps to exactly one class here (:data:`REVERT_REASONS`). Reverts are translated at a
single choke point (:func:`error_for_revert`), keeping the original error as ``__cause__``.
The SDK does not decide them itself: every write is simulated on the pending block first
(the gas estimate, or :meth:`panarchy.chain.Chain.simulate`), so a refusal arrives before
anything is sent, as the contract's own reason.
"""

from __future__ import annotations


class PanarchyError(Exception):
    """Root of every error the SDK raises on purpose."""


class UpgradeableTargetWarning(UserWarning):
    """A proposal's target can change what it runs after the vote (an upgradeable proxy,
    or code that delegates): see :mod:`panarchy.targets`."""


class ConfigurationError(PanarchyError, ValueError):
    """Raised when a setting, a network, an account or a deployment record is missing or bad."""


class ChainUnavailable(PanarchyError, ConnectionError):
    """Raised when the JSON-RPC node cannot be reached or stops answering."""


class TransactionFailed(PanarchyError):
    """Raised when a transaction fails for a reason that is not a contract revert
    (out of gas, rejected by the node, dropped)."""


class ContractReverted(PanarchyError):
    """Raised for a revert whose reason the SDK does not know; ``reason`` holds it."""

    def __init__(self, reason: str, message: str | None = None) -> None:
        super().__init__(message or reason)
        self.reason = reason


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


# --- roles ----------------------------------------------------------------------------


class RoleError(ContractReverted):
    """Base of every revert a charter's role book gives (``except RoleError`` catches them
    all; the three below also are the generic classes of their kind)."""


class RoleBookAlreadyInitialized(AlreadyInitialized, RoleError):
    """Raised when a role book (or its implementation) is initialised a second time."""


class RoleBookOnlyByProposal(OnlyByProposal, RoleError):
    """Raised when a role book's governance function (defining a role, setting its minimum
    volunteering age, appointing, recalling, clearing a roster) is called other than by its
    charter's executed proposal."""


class NotAMemberForRole(NotAMember, RoleError):
    """Raised when appointing, or volunteering, an account that is not a member now."""


class InvalidRoleTerms(RoleError, ValueError):
    """Raised for a role without a name, a zero or too long term, a limit on consecutive
    terms of zero or over 255, or a minimum volunteering age of 2**32 seconds or more."""


class MemberTooNewToVolunteer(RoleError, PermissionError):
    """Raised when a member volunteers before having sat in their seat (since they last
    joined) for the role's minimum volunteering age: wait until ``joined_at + age``."""


class TooManyRoles(RoleError):
    """Raised when defining a role beyond the most a charter can have (16)."""


class UnknownRole(RoleError, LookupError):
    """Raised for a role that was never defined: a proposal must define it first."""


class AlreadyVolunteered(RoleError, ValueError):
    """Raised when volunteering for a role one is already on the roster of."""


class RosterFull(RoleError):
    """Raised when a role's roster already has the most volunteers it can hold (32)."""


class NotAVolunteer(RoleError, ValueError):
    """Raised when withdrawing (or removing) someone from a roster they are not on."""


class VolunteerIsAMember(RoleError, PermissionError):
    """Raised when someone other than the charter removes a volunteer who is still a member:
    only a proposal can do that (anyone may remove one who left)."""


class ConsecutiveTermLimit(RoleError):
    """Raised when a member would serve more terms in a row than the role allows."""


class NoMandateInForce(RoleError):
    """Raised when recalling a role nobody holds now (vacant, lapsed or already recalled)."""


class NotTheHolder(RoleError, PermissionError):
    """Raised when resigning a mandate one does not hold now."""


class MandateInForce(RoleError):
    """Raised when rotating a role whose mandate is still in force: wait for it to lapse,
    or recall it by proposal."""


class NoEligibleVolunteer(RoleError):
    """Raised when rotating a role whose roster has no member eligible for the next term."""


# --- funds and circles ----------------------------------------------------------------


class FundError(ContractReverted):
    """Base of every revert a solidarity fund, a savings circle or their ledger gives."""


class InvalidFundSettings(FundError, ValueError):
    """Raised for a fund or circle created with a missing owner, a zero period, cap,
    contribution or round, an empty steward role, a limit too large, or bad participants."""


class InvalidToken(FundError, ValueError):
    """Raised for a token without code, a contract that is not an ERC20 token, or (in a
    savings circle) a token that charges a fee on transfer."""


class InvalidAmount(FundError, ValueError):
    """Raised for a zero amount, ETH that does not match the amount, or ETH sent to a
    token fund."""


class TokenTransferFailed(FundError):
    """Raised when the token refused a transfer (returned false, reverted, or moved
    nothing)."""


class NothingOwed(FundError, ValueError):
    """Raised when claiming with nothing owed."""


class PaymentRefused(FundError):
    """Raised when a claim's payment is refused by the recipient again; nothing is lost and
    the claim can be made later."""


class MembersOnly(FundError, PermissionError):
    """Raised when someone who is not a member contributes to a members-only fund."""


class OverContributionCap(FundError):
    """Raised when a contribution would take the contributor over this period's cap."""


class NotTheSteward(FundError, PermissionError):
    """Raised when someone who does not hold the steward role now (never held it, was
    recalled, or whose term lapsed) acts as the steward."""


class StewardCannotPaySelf(FundError, PermissionError):
    """Raised when the steward disburses to themselves: that takes a proposal."""


class OverStewardLimit(FundError):
    """Raised when a disbursement would take stewards over this period's limit: larger
    payments are the charter's decision, by proposal."""


class InvalidPayment(FundError, ValueError):
    """Raised for a payment to nobody or to the fund itself, of zero, or without a memo."""


class InsufficientFunds(FundError):
    """Raised when a payment exceeds what the fund may pay out now."""


class NothingUnaccounted(FundError, ValueError):
    """Raised when absorbing (a fund) or sweeping (a circle) unaccounted money and there is
    none."""


class StewardLimitNeedsOwner(FundError, PermissionError):
    """Raised when a member creates a fund with a non-zero steward limit: a member's fund
    starts with none, and only the charter (by proposal, ``fund.actions.set_limits``) gives
    its steward spending power."""


class FundAlreadyInitialized(FundError, AlreadyInitialized):
    """Raised when a fund or circle (or its implementation) is initialised a second time;
    also an :class:`AlreadyInitialized`."""


class OnlyByTheOwner(FundError, OnlyByProposal):
    """Raised when a fund's owner-only function (``disburse_by_owner``, ``set_limits``) is
    called directly instead of by the owning charter's proposal; also an
    :class:`OnlyByProposal`."""


class NotAParticipant(FundError, PermissionError):
    """Raised when someone outside a savings circle acts as a participant."""


class CircleError(FundError):
    """Raised for a savings circle step taken at the wrong moment: paying ahead of the open
    round or after the last contribution, settling before a round is over or when nobody is
    eligible, dissolving a circle that is complete, not overdue or not stalled, withdrawing
    before a dissolution or twice."""


# The one table: every revert reason of the contracts, and its class.
REVERT_REASONS: dict[str, type[ContractReverted]] = {
    "charter: already initialized": AlreadyInitialized,
    "charter: empty name": InvalidParameter,
    "charter: no founders": InvalidParameter,
    "charter: zero address": InvalidParameter,
    "clauses: zero revision period": InvalidParameter,
    "charter: zero voting period": InvalidParameter,
    "charter: zero execution window": InvalidParameter,
    "clauses: zero max term": InvalidParameter,
    "clauses: rule too large": InvalidParameter,
    "charter: quorum over 100%": InvalidParameter,
    "charter: invalid supermajority": InvalidParameter,
    "charter: invalid admission policy": InvalidParameter,
    "charter: parameter too large": InvalidParameter,
    "charter: empty document": EmptyDocument,
    "clauses: empty document": EmptyDocument,
    "charter: only by proposal": OnlyByProposal,
    "charter: not a member": NotAMember,
    "charter: already a member": AlreadyAMember,
    "charter: invitation required": InvitationRequired,
    "charter: sponsorship not allowed": SponsorshipNotAllowed,
    "charter: too many members": TooManyMembers,
    "charter: cannot be its own member": CannotBeOwnMember,
    "charter: seat list full": SeatListFull,
    "charter: no such seat": NoSuchSeat,
    "clauses: unknown clause": UnknownClause,
    "clauses: clause not in force": ClauseNotInForce,
    "clauses: term out of range": InvalidTerm,
    "clauses: renewal limit reached": RenewalLimitReached,
    "clauses: document unchanged": DocumentUnchanged,
    "clauses: clause already revised in this transaction": ClauseAlreadyRevised,
    "clauses: cycle before current period": InvalidCycle,
    "clauses: already initialized": AlreadyInitialized,
    "clauses: zero charter": ClauseBookError,
    "clauses: only by the charter": OnlyByProposal,
    "charter: cannot delegate to self": DelegationError,
    "charter: delegate not a member": DelegationError,
    "charter: delegate unchanged": DelegationError,
    "charter: invalid signature": InvalidSignature,
    "charter: gas below signature stipend": SignatureCheckStarved,
    "charter: unknown proposal": UnknownProposal,
    "charter: no actions": InvalidActions,
    "charter: action length mismatch": InvalidActions,
    "charter: invalid vote type": InvalidVote,
    "charter: proposal not active": ProposalNotActive,
    "charter: voting closed": VotingClosed,
    "charter: joined after proposal": NotEligible,
    "charter: already voted": AlreadyVoted,
    "charter: not the proposer": NotProposer,
    "charter: votes already cast": VotesAlreadyCast,
    "charter: voting not over": VotingNotOver,
    "charter: proposal canceled": ProposalCanceled,
    "charter: proposal defeated": ProposalDefeated,
    "charter: proposal already executed": AlreadyExecuted,
    "charter: execution window closed": ExecutionWindowClosed,
    "charter: actions do not match": ActionsMismatch,
    "charter: target code changed": TargetCodeChanged,
    "charter: target has no code": TargetHasNoCode,
    "charter: insufficient balance": InsufficientBalance,
    "charter: invalid stakes level": InvalidStakes,
    "charter: entrenched stakes": EntrenchedStakes,
    "charter: not a charter contract": NotACharterContract,
    "charter: invalid book kind": InvalidBook,
    "charter: already a book": InvalidBook,
    "charter: book kind taken": InvalidBook,
    "charter: too many books": InvalidBook,
    "charter: book of another charter": InvalidBook,
    "factory: implementation has no code": FactoryError,
    "factory: unknown charter": FactoryError,
    "factory: not a member": NotAMember,
    "roles: already initialized": RoleBookAlreadyInitialized,
    "roles: zero charter": RoleError,
    "roles: only by the charter": RoleBookOnlyByProposal,
    "roles: not a member": NotAMemberForRole,
    "roles: empty role name": InvalidRoleTerms,
    "roles: zero term": InvalidRoleTerms,
    "roles: term too long": InvalidRoleTerms,
    "roles: zero consecutive terms": InvalidRoleTerms,
    "roles: too many consecutive terms": InvalidRoleTerms,
    "roles: volunteer age too long": InvalidRoleTerms,
    "roles: member too new to volunteer": MemberTooNewToVolunteer,
    "roles: too many roles": TooManyRoles,
    "roles: unknown role": UnknownRole,
    "roles: already volunteered": AlreadyVolunteered,
    "roles: roster full": RosterFull,
    "roles: not a volunteer": NotAVolunteer,
    "roles: volunteer is a member": VolunteerIsAMember,
    "roles: consecutive term limit": ConsecutiveTermLimit,
    "roles: no mandate in force": NoMandateInForce,
    "roles: not the holder": NotTheHolder,
    "roles: mandate in force": MandateInForce,
    "roles: no eligible volunteer": NoEligibleVolunteer,
    "ledger: token has no code": InvalidToken,
    "ledger: not an erc20 token": InvalidToken,
    "ledger: zero amount": InvalidAmount,
    "ledger: wrong eth amount": InvalidAmount,
    "ledger: eth not accepted": InvalidAmount,
    "ledger: token transfer failed": TokenTransferFailed,
    "ledger: nothing arrived": TokenTransferFailed,
    "ledger: nothing owed": NothingOwed,
    "ledger: payment refused": PaymentRefused,
    "fund: already initialized": FundAlreadyInitialized,
    "fund: zero owner": InvalidFundSettings,
    "fund: zero period": InvalidFundSettings,
    "fund: empty steward role": InvalidFundSettings,
    "fund: zero contribution cap": InvalidFundSettings,
    "fund: limit too large": InvalidFundSettings,
    "fund: steward limit needs the owner": StewardLimitNeedsOwner,
    "fund: only by the owner": OnlyByTheOwner,
    "fund: members only": MembersOnly,
    "fund: over the contribution cap": OverContributionCap,
    "fund: not the steward": NotTheSteward,
    "fund: steward cannot pay self": StewardCannotPaySelf,
    "fund: over the steward limit": OverStewardLimit,
    "fund: invalid recipient": InvalidPayment,
    "fund: zero amount": InvalidPayment,
    "fund: memo required": InvalidPayment,
    "fund: insufficient funds": InsufficientFunds,
    "fund: nothing unaccounted": NothingUnaccounted,
    "circle: already initialized": FundAlreadyInitialized,
    "circle: zero owner": InvalidFundSettings,
    "circle: zero contribution": InvalidFundSettings,
    "circle: zero round": InvalidFundSettings,
    "circle: too few participants": InvalidFundSettings,
    "circle: zero address": InvalidFundSettings,
    "circle: duplicate participant": InvalidFundSettings,
    "circle: token charged a fee": InvalidToken,
    "circle: not a participant": NotAParticipant,
    "circle: dissolved": CircleError,
    "circle: every contribution made": CircleError,
    "circle: round not open": CircleError,
    "circle: complete": CircleError,
    "circle: round not over": CircleError,
    "circle: no eligible recipient": CircleError,
    "circle: not overdue": CircleError,
    "circle: not stalled": CircleError,
    "circle: not dissolved": CircleError,
    "circle: already refunded": CircleError,
    "circle: nothing to refund": CircleError,
    "circle: nothing unaccounted": NothingUnaccounted,
}

# Reasons of the snekmate building blocks, which a charter can pass on.
LIBRARY_REVERT_REASONS: dict[str, type[ContractReverted]] = {
    "ecdsa: invalid signature `s` value": InvalidSignature,
    "ecdsa: invalid signature": InvalidSignature,
}


def error_for_revert(reason: str) -> ContractReverted:
    """Return the typed exception for a revert reason (not raised; the caller chains it).

    Args:
        reason: The exact revert string, e.g. ``"charter: not a member"``.

    Returns:
        An instance of the mapped class, or of :class:`ContractReverted` for an unknown reason.
    """
    cls = REVERT_REASONS.get(reason) or LIBRARY_REVERT_REASONS.get(reason, ContractReverted)
    return cls(reason)

"""The reverts of solidarity funds, savings circles and their ledger: every one is a
:class:`FundError`."""

from __future__ import annotations

from panarchy.errors.base import ContractReverted
from panarchy.errors.charter import AlreadyInitialized, OnlyByProposal

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


__all__ = [
    "FundError",
    "InvalidFundSettings",
    "InvalidToken",
    "InvalidAmount",
    "TokenTransferFailed",
    "NothingOwed",
    "PaymentRefused",
    "MembersOnly",
    "OverContributionCap",
    "NotTheSteward",
    "StewardCannotPaySelf",
    "OverStewardLimit",
    "InvalidPayment",
    "InsufficientFunds",
    "NothingUnaccounted",
    "StewardLimitNeedsOwner",
    "FundAlreadyInitialized",
    "OnlyByTheOwner",
    "NotAParticipant",
    "CircleError",
]

"""The reverts of treaties and treaty funds: every one is a :class:`TreatyError`.

A first, coarse family (issue 14's contracts); the treaty SDK refines it as it needs.
"""

from __future__ import annotations

from panarchy.errors.base import ContractReverted


class TreatyError(ContractReverted):
    """Base of every revert a treaty or a treaty fund gives."""


class InvalidTreatyTerms(TreatyError, ValueError):
    """Raised for a treaty created with bad terms or parties: an empty document, a zero
    term or renewal window, a window not shorter than the term, a deadline already passed,
    an unknown draw threshold, too few, too many, duplicate or zero parties; or a treaty fund
    with a zero owner, period or cap, or a cap too large."""


class NotAParty(TreatyError, PermissionError):
    """Raised when the caller is not a remaining party (a member, delegate or steward of a
    party is not the party: only the party charter's own executed proposal is), or, for a
    treaty fund, only the treaty may make that call."""


class TreatyNotInForce(TreatyError):
    """Raised when the call needs the treaty in force (or, to ratify, pending before its
    deadline) and it is not: pending, lapsed, never in force, or ended."""


class RenewalWindowNotOpen(TreatyError):
    """Raised when renewing before the renewal window opens."""


class AlreadyDone(TreatyError):
    """Raised when a party ratifies, renews, ratifies an amendment or approves a draw a
    second time (it counts once)."""


class AmendmentError(TreatyError):
    """Raised when an amendment is pending already, or the one named is not pending."""


class DrawError(TreatyError):
    """Raised for a draw that cannot be proposed or executed: no fund, a zero recipient or
    amount, no memo, an unknown or executed draw, or approvals below the threshold."""


class TreatyFundError(TreatyError):
    """Raised by a treaty fund: over the contribution cap, not enough money, an invalid
    recipient, contributions after the treaty ended, refunds before it ended or with nothing
    to refund."""

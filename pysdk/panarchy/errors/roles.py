"""The role book's reverts: every one is a :class:`RoleError`."""

from __future__ import annotations

from panarchy.errors.base import ContractReverted
from panarchy.errors.charter import AlreadyInitialized, NotAMember, OnlyByProposal

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


__all__ = [
    "RoleError",
    "RoleBookAlreadyInitialized",
    "RoleBookOnlyByProposal",
    "NotAMemberForRole",
    "InvalidRoleTerms",
    "MemberTooNewToVolunteer",
    "TooManyRoles",
    "UnknownRole",
    "AlreadyVolunteered",
    "RosterFull",
    "NotAVolunteer",
    "VolunteerIsAMember",
    "ConsecutiveTermLimit",
    "NoMandateInForce",
    "NotTheHolder",
    "MandateInForce",
    "NoEligibleVolunteer",
]

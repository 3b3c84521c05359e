"""A charter's roles: short, rotating, recallable mandates, as Python objects.

Roles live in the charter's :class:`RoleBook` (``charter.roles``). Defining a role, setting
its minimum volunteering age, appointing, recalling and clearing its roster are proposals
(build their actions with ``charter.actions.define_role``, ``set_min_volunteer_age``,
``appoint``, ``recall`` and ``clear_roster``); volunteering, withdrawing, resigning and
rotating are direct. A mandate lapses on its own at its expiry, and ends for good when its
holder leaves the charter (it is bound to the holder's seat); once nobody holds a role, anyone
may rotate it to the next eligible volunteer in the published order
(:meth:`RoleBook.rotation_order`).

Direct calls are simulated before anything is sent: a call the role book would refuse raises
the book's own reason as its typed :class:`~panarchy.errors.RoleError`, with nothing broadcast.
No rule of the book is re-checked here; ``dry_run=True`` runs only the simulation and
returns its :class:`~panarchy.chain.Simulation`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal, overload

from eth_account.signers.local import LocalAccount
from eth_utils import to_checksum_address
from web3.contract import Contract
from web3.logs import DISCARD

from panarchy import constants as C
from panarchy._utils import artifacts
from panarchy.errors import ConfigurationError

if TYPE_CHECKING:
    from panarchy.chain import Chain, Simulation

#: The most volunteers on one role's roster, and the most roles of one charter
#: (generated from contracts/modules/roles.vy).
MAX_ROSTER = C.Roles.MAX_ROSTER
MAX_ROLES = C.Roles.MAX_ROLES
#: The longest term a role can have (32 bits of seconds) and the most terms in a row: for
#: display; the role book itself judges terms (no check here uses them).
MAX_TERM = timedelta(seconds=C.Roles.MAX_TERM_SECONDS)
MAX_CONSECUTIVE_TERMS = C.Roles.MAX_CONSECUTIVE_TERMS
#: The longest minimum volunteering age the role book takes (32 bits of seconds, like a
#: term): for display; the role book itself judges an age (no check here uses it).
MAX_VOLUNTEER_AGE = timedelta(seconds=C.Roles.MAX_VOLUNTEER_AGE_SECONDS)


def role_id(name: str) -> bytes:
    """A role's name as the role book keeps it: UTF-8, left-aligned in 32 bytes.

    Raises:
        ConfigurationError: for an empty name or one longer than 32 bytes.
    """
    raw = name.encode()
    if not raw:
        raise ConfigurationError("a role needs a name (e.g. 'steward')")
    if len(raw) > 32:
        raise ConfigurationError(f"the role name {name!r} is longer than 32 bytes")
    return raw.ljust(32, b"\0")


def format_duration(value: timedelta) -> str:
    """A duration for people: ``30d``, ``12h``, ``29.53d``, ``90s``."""
    seconds = value.total_seconds()
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            count = seconds / size
            return f"{count:.2f}".rstrip("0").rstrip(".") + unit
    return f"{seconds:g}s"


def role_name(raw: bytes) -> str:
    """The text of a role id (the inverse of :func:`role_id`)."""
    return bytes(raw).rstrip(b"\0").decode(errors="replace")


@dataclass(frozen=True)
class RoleTerms:
    """How a role's mandates run, and who may volunteer for it: members who have sat in
    their current seat (since they last joined) for at least ``min_volunteer_age``."""

    term: timedelta
    max_consecutive_terms: int
    min_volunteer_age: timedelta = timedelta(0)

    def validate(self) -> None:
        """Check that these terms can be encoded for the role book (uint256 seconds and
        count; a fraction of a second is dropped). Which terms are allowed is the role
        book's word: building the action simulates it as the charter
        (:meth:`CharterActions.define_role <panarchy.charter.actions.CharterActions.
        define_role>`), and the book refuses the others with its own reasons.

        Raises:
            ConfigurationError: for a negative term, count or age, or one over 2**256 - 1.
        """
        _check_encodable("a term", int(self.term.total_seconds()))
        _check_encodable("a number of consecutive terms", self.max_consecutive_terms)
        validate_volunteer_age(self.min_volunteer_age)


def _check_encodable(what: str, value: int) -> None:
    if not 0 <= value < 2**256:
        raise ConfigurationError(f"{what} must be 0 to 2**256 - 1, not {value}")


def validate_volunteer_age(age: timedelta) -> None:
    """Check that a minimum volunteering age can be encoded (uint256 seconds; a fraction of
    a second is dropped, as for a term). How long it may be is the role book's word (the
    action is simulated as the charter when it is built).

    Raises:
        ConfigurationError: for a negative age.
    """
    if age < timedelta(0):
        raise ConfigurationError(f"a minimum volunteering age cannot be negative ({age})")
    _check_encodable("a minimum volunteering age", int(age.total_seconds()))


@dataclass(frozen=True)
class Mandate:
    """A role's latest mandate (in force or not) as of ``as_of``."""

    role: str
    holder: str | None
    started_at: datetime | None
    expires_at: datetime | None
    consecutive_terms: int
    ended_early: bool
    in_force: bool
    as_of: datetime
    #: The charter seat the mandate was granted to (None: never filled); it is in force
    #: only while its holder still sits there.
    seat: int | None = None

    @property
    def time_left(self) -> timedelta:
        """How long the mandate still runs (zero when not in force)."""
        if not self.in_force or self.expires_at is None:
            return timedelta(0)
        return self.expires_at - self.as_of

    def __repr__(self) -> str:
        if not self.in_force:
            return f"<Mandate {self.role}: vacant>"
        return f"<Mandate {self.role}: {self.holder} until {self.expires_at:%Y-%m-%d %H:%M} UTC>"


@dataclass(frozen=True)
class RoleEvent:
    """One change of hands, from the role book's history."""

    role: str
    kind: str  # appointed, rotated, recalled, resigned, lapsed
    holder: str
    block: int
    expires_at: datetime | None


def _time(seconds: int) -> datetime | None:
    return datetime.fromtimestamp(seconds, tz=UTC) if seconds else None


class RoleBook:
    """A charter's role book.

    Args:
        chain: The chain it lives on.
        address: Its address (``charter.book(BookKind.ROLES)``).
        from_block: The block to read its history from.
    """

    def __init__(self, chain: Chain, address: str, *, from_block: int = 0) -> None:
        self.chain = chain
        self.address = to_checksum_address(address)
        self.from_block = from_block
        self.contract: Contract = chain.w3.eth.contract(
            address=self.address, abi=artifacts.load("RoleBook")["abi"]
        )
        self._charter = chain.w3.eth.contract(
            address=self.chain.call(self.contract.functions.charter()),
            abi=artifacts.load("Charter")["abi"],
        )

    def __repr__(self) -> str:
        return f"<RoleBook {self.address} of charter {self._charter.address}>"

    # --- reading ----------------------------------------------------------------------

    def names(self) -> list[str]:
        """Every role defined, in the order of definition."""
        return [role_name(r) for r in self.chain.call(self.contract.functions.role_names())]

    def terms(self, role: str) -> RoleTerms | None:
        """A role's terms, its minimum volunteering age included (None when it was never
        defined)."""
        term, limit, age = self.chain.call(self.contract.functions.terms(role_id(role)))
        if not term:
            return None
        return RoleTerms(timedelta(seconds=term), limit, timedelta(seconds=age))

    def min_volunteer_age(self, role: str) -> timedelta | None:
        """How long a member must have sat in their seat before volunteering for the role
        (zero: any member; None: no such role)."""
        terms = self.terms(role)
        return terms.min_volunteer_age if terms else None

    def mandate(self, role: str) -> Mandate:
        """The role's latest mandate, in force or not."""
        rid = role_id(role)
        holder, started, expires, streak, ended, in_force = self.chain.call(
            self.contract.functions.mandate(rid)
        )
        seat = self.chain.call(self.contract.functions.granted_seat(rid))
        return Mandate(
            role=role,
            holder=None if int(holder, 16) == 0 else str(holder),
            started_at=_time(started),
            expires_at=_time(expires),
            consecutive_terms=streak,
            ended_early=ended,
            in_force=in_force,
            as_of=datetime.fromtimestamp(self.chain.timestamp(), tz=UTC),
            seat=seat or None,
        )

    def holder(self, role: str) -> str | None:
        """Who holds the role now (None: nobody)."""
        found = self.chain.call(self.contract.functions.holder(role_id(role)))
        return None if int(found, 16) == 0 else str(found)

    def holds(self, role: str, account: str) -> bool:
        """Whether ``account`` holds the role now."""
        return bool(
            self.chain.call(
                self.contract.functions.holds_role(role_id(role), to_checksum_address(account))
            )
        )

    def roster(self, role: str) -> list[str]:
        """The role's volunteers, in the order they volunteered."""
        return [str(a) for a in self.chain.call(self.contract.functions.roster(role_id(role)))]

    def rotation_order(self, role: str) -> list[str]:
        """The roster in the order rotation reads it: from the cursor, wrapping around.
        Rotation picks the first eligible one (a member, within the consecutive-term limit,
        not the holder just recalled or resigned)."""
        roster = self.roster(role)
        if not roster:
            return []
        cursor = self.chain.call(self.contract.functions.rotation_cursor(role_id(role))) % len(
            roster
        )
        return roster[cursor:] + roster[:cursor]

    def next_in_rotation(self, role: str) -> str | None:
        """Who a rotation would pick now (None: nobody eligible)."""
        found = self.chain.call(self.contract.functions.next_in_rotation(role_id(role)))
        return None if int(found, 16) == 0 else str(found)

    def history(self, role: str | None = None) -> list[RoleEvent]:
        """Every appointment, rotation, recall, resignation and reported lapse, oldest
        first (of one role, or of all)."""
        kinds = {
            "MandateAppointed": "appointed",
            "MandateRotated": "rotated",
            "MandateRecalled": "recalled",
            "MandateResigned": "resigned",
            "MandateLapsed": "lapsed",
        }
        filters = {"role": role_id(role)} if role is not None else None
        found = []
        for event_name, kind in kinds.items():
            for e in self.chain.logs(
                getattr(self.contract.events, event_name),
                from_block=self.from_block,
                argument_filters=filters,
            ):
                expiry = e["args"].get("expires_at") or e["args"].get("expired_at")
                found.append(
                    (
                        e["blockNumber"],
                        e["logIndex"],
                        RoleEvent(
                            role=role_name(e["args"]["role"]),
                            kind=kind,
                            holder=str(e["args"]["holder"]),
                            block=e["blockNumber"],
                            expires_at=_time(expiry) if expiry else None,
                        ),
                    )
                )
        return [event for *_, event in sorted(found, key=lambda t: (t[0], t[1]))]

    def joined_at(self, account: str) -> datetime | None:
        """When ``account`` last joined the charter (None: not a member): the start of the
        seat a minimum volunteering age is counted from."""
        seconds = self.chain.call(self._charter.functions.joined_at(to_checksum_address(account)))
        return _time(seconds)

    # --- writing ----------------------------------------------------------------------
    # Each call is simulated first (Chain.transact estimates before signing): the role
    # book's own refusal is raised, typed, and nothing is sent. No rule is re-checked here.
    # ``dry_run=True`` runs only the simulation and returns it.

    def _write(self, signer: LocalAccount, fn: Any, dry_run: bool) -> Simulation | None:
        if dry_run:
            return self.chain.simulate(signer.address, fn)
        self.chain.transact(signer, fn)
        return None

    def volunteer(
        self, signer: LocalAccount, role: str, *, dry_run: bool = False
    ) -> Simulation | None:
        """Put oneself at the end of the role's roster (members who have sat in their seat
        for the role's minimum volunteering age).

        Raises:
            MemberTooNewToVolunteer: before the age is reached (see :meth:`joined_at`).
            RoleError: (a subclass) for any other refusal of the role book.
        """
        return self._write(signer, self.contract.functions.volunteer(role_id(role)), dry_run)

    def withdraw(
        self, signer: LocalAccount, role: str, *, dry_run: bool = False
    ) -> Simulation | None:
        """Take oneself off the role's roster (always possible for a volunteer).

        Raises:
            NotAVolunteer: the signer is not on the roster.
        """
        return self._write(signer, self.contract.functions.withdraw(role_id(role)), dry_run)

    def remove_volunteer(
        self, signer: LocalAccount, role: str, account: str, *, dry_run: bool = False
    ) -> Simulation | None:
        """Take a volunteer who is no longer a member off the roster (anyone may; removing
        a member takes a proposal: ``charter.actions.remove_volunteer``).

        Raises:
            VolunteerIsAMember: ``account`` is still a member.
            NotAVolunteer: ``account`` is not on the roster.
        """
        fn = self.contract.functions.remove_volunteer(role_id(role), to_checksum_address(account))
        return self._write(signer, fn, dry_run)

    def resign(
        self, signer: LocalAccount, role: str, *, dry_run: bool = False
    ) -> Simulation | None:
        """End one's own mandate now (always possible for the holder).

        Raises:
            NotTheHolder: the signer does not hold the role now.
        """
        return self._write(signer, self.contract.functions.resign(role_id(role)), dry_run)

    @overload
    def rotate(self, signer: LocalAccount, role: str, *, dry_run: Literal[False] = ...) -> str: ...

    @overload
    def rotate(self, signer: LocalAccount, role: str, *, dry_run: Literal[True]) -> Simulation: ...

    def rotate(self, signer: LocalAccount, role: str, *, dry_run: bool = False) -> str | Simulation:
        """Hand a role nobody holds now to the next eligible volunteer (anyone may).

        Returns:
            The new holder (with ``dry_run``, the simulation).

        Raises:
            MandateInForce: someone holds the role now.
            NoEligibleVolunteer: nobody on the roster may take the next term.
        """
        fn = self.contract.functions.rotate(role_id(role))
        if dry_run:
            return self.chain.simulate(signer.address, fn)
        receipt = self.chain.transact(signer, fn)
        (rotated,) = self.contract.events.MandateRotated().process_receipt(receipt, errors=DISCARD)
        return str(rotated["args"]["holder"])


__all__ = [
    "MAX_ROSTER",
    "MAX_ROLES",
    "MAX_TERM",
    "MAX_CONSECUTIVE_TERMS",
    "MAX_VOLUNTEER_AGE",
    "Mandate",
    "RoleBook",
    "RoleEvent",
    "RoleTerms",
    "role_id",
    "role_name",
    "format_duration",
    "validate_volunteer_age",
]

# pragma version ~=0.4.3
# pragma nonreentrancy on
"""
@title Roles on a short leash
@custom:contract-name roles
@license GNU Affero General Public License v3.0 only
@author Panarchy
@notice A role (steward, delegate, mediator, ...) is a named mandate with a
        term length and a limit on consecutive terms. One member holds it at
        a time. A mandate is in force iff it was neither recalled nor
        resigned, `block.timestamp < expires_at`, and its holder still sits
        in the charter seat it held when the mandate was granted: it lapses
        on its own, with no transaction, and leaving the charter ends it for
        good, whatever the block (rejoining, even in the same transaction,
        takes a new seat and does not bring it back).
        Members volunteer for a role once they have sat in their seat for
        the role's minimum volunteering age (set by proposal, zero by
        default), so that an open door cannot be used to stuff a roster with
        accounts made for the purpose; a proposal may also clear a roster at
        once. The volunteer roster, in the order
        people volunteered, is the published order of rotation, read from a
        cursor that moves past whoever served last. When no mandate is in
        force anyone may rotate the role to the next eligible volunteer
        (a member, and not over the consecutive-term limit). A rotation after
        a lapse keeps the schedule: the new term is the slot of the term grid
        (previous expiry + k * term) that contains now, so late triggering
        never lengthens anyone's mandate.
        The module needs the charter's membership, which it asks through
        the charter's `is_member`, `seat_of` and `joined_at` views (ICharter).
        Loops run over one role's roster only, bounded by `MAX_ROSTER`.
"""


# @dev What the module asks the charter: membership, seats, join times.
from interfaces import ICharter


# @dev Mandates in force while now < expires_at; terms on a grid.
from modules import expiry


# @dev The most volunteers on one role's roster (the SDK re-uses it).
MAX_ROSTER: constant(uint256) = 32


# @dev The most roles one charter can define.
MAX_ROLES: constant(uint256) = 16


# @dev The longest term, in seconds (a term is packed in 32 bits).
MAX_TERM_SECONDS: constant(uint256) = 2**32 - 1


# @dev The most terms in a row one holder may serve (packed in 8 bits).
MAX_CONSECUTIVE_TERMS: constant(uint256) = 2**8 - 1


# @dev The longest minimum volunteering age, in seconds (32 bits, like a term).
MAX_VOLUNTEER_AGE_SECONDS: constant(uint256) = 2**32 - 1


# @dev Bounds of the packed fields.
_MAX_UINT32: constant(uint256) = 2**32 - 1
_MAX_UINT8: constant(uint256) = 2**8 - 1


# @dev Bit offsets of the packed terms (the term itself is bits 0-31).
_LIMIT_SHIFT: constant(uint256) = 32
_AGE_SHIFT: constant(uint256) = 40


# @dev Bit offsets of a packed mandate: holder (160 bits), start and
# expiry (40 bits each, seconds), consecutive terms (8 bits), and one bit
# set when the mandate ended early (recalled or resigned).
_STARTED_SHIFT: constant(uint256) = 160
_EXPIRES_SHIFT: constant(uint256) = 200
_STREAK_SHIFT: constant(uint256) = 240
_ENDED_BIT: constant(uint256) = 248
_MASK40: constant(uint256) = 2**40 - 1
_MASK8: constant(uint256) = 2**8 - 1
_MASK160: constant(uint256) = 2**160 - 1


# @dev How a role's mandates run, and who may volunteer for it: members who
# have sat in their current seat for at least `min_volunteer_age_seconds`.
struct Terms:
    term_seconds: uint256
    max_consecutive_terms: uint256
    min_volunteer_age_seconds: uint256


# @dev A role's latest mandate as the outside world sees it.
struct Mandate:
    holder: address
    started_at: uint256
    expires_at: uint256
    consecutive_terms: uint256
    ended_early: bool
    in_force: bool


# @dev The charter whose members hold the roles (set by the deployable).
_charter: address


# @dev Each role's terms, packed: term (bits 0-31, seconds), the limit on
# consecutive terms (bits 32-39) and the minimum volunteering age (bits
# 40-71, seconds of membership); zero for an undefined role.
_terms: HashMap[bytes32, uint256]


# @dev Each role's latest mandate, packed (see the offsets above).
_mandate: HashMap[bytes32, uint256]


# @dev The charter seat each role's latest mandate was granted to: the
# holder's seat number at the grant. The mandate is in force only while the
# holder still sits in it; leaving ends the seat for good and rejoining takes
# a new one, even in the same block (a join block cannot tell them apart).
_granted_seat: HashMap[bytes32, uint256]


# @dev Each role's volunteers, in the order they volunteered.
_roster: HashMap[bytes32, DynArray[address, MAX_ROSTER]]


# @dev Each volunteer's 1-based position on a role's roster (zero: not on it).
_position: HashMap[bytes32, HashMap[address, uint256]]


# @dev The roster index rotation looks at first.
_cursor: HashMap[bytes32, uint256]


# @dev Every role ever defined, in the order of definition.
_role_names: DynArray[bytes32, MAX_ROLES]


# @dev Emitted when a role is defined or its terms change.
event RoleTermsUpdated:
    role: indexed(bytes32)
    old: Terms
    new: Terms


# @dev Emitted when a member volunteers for a role.
event VolunteerAdded:
    role: indexed(bytes32)
    volunteer: indexed(address)
    position: uint256


# @dev Emitted when a volunteer leaves a role's roster.
event VolunteerWithdrawn:
    role: indexed(bytes32)
    volunteer: indexed(address)


# @dev Emitted when a proposal clears a role's roster (after one
# `VolunteerWithdrawn` per volunteer taken off).
event RosterCleared:
    role: indexed(bytes32)
    volunteers: uint256


# @dev Emitted when a proposal appoints a member to a role.
event MandateAppointed:
    role: indexed(bytes32)
    holder: indexed(address)
    expires_at: uint256
    consecutive_terms: uint256


# @dev Emitted when a role rotates to the next volunteer.
event MandateRotated:
    role: indexed(bytes32)
    holder: indexed(address)
    expires_at: uint256
    consecutive_terms: uint256


# @dev Emitted when a proposal recalls a mandate in force (or replaces it).
event MandateRecalled:
    role: indexed(bytes32)
    holder: indexed(address)


# @dev Emitted when a holder resigns.
event MandateResigned:
    role: indexed(bytes32)
    holder: indexed(address)


# @dev Emitted, when the role next changes hands, for a mandate that had
# lapsed on its own at `expired_at` (the lapse itself needed no transaction).
event MandateLapsed:
    role: indexed(bytes32)
    holder: indexed(address)
    expired_at: uint256


@internal
def _define(role: bytes32, term_seconds: uint256, max_consecutive_terms: uint256):
    """
    @dev Defines a role or changes its term and limit; a mandate in force
         keeps its expiry, the new terms apply from the next mandate on. The
         minimum volunteering age is kept (zero for a new role).
    @param role The role's name.
    @param term_seconds The length of a term.
    @param max_consecutive_terms How many terms in a row one member may serve.
    """
    assert role != empty(bytes32), "roles: empty role name"
    assert term_seconds != 0, "roles: zero term"
    assert term_seconds <= MAX_TERM_SECONDS, "roles: term too long"
    assert max_consecutive_terms != 0, "roles: zero consecutive terms"
    assert max_consecutive_terms <= MAX_CONSECUTIVE_TERMS, "roles: too many consecutive terms"
    old: Terms = self._get_terms(role)
    if old.term_seconds == 0:
        assert len(self._role_names) < MAX_ROLES, "roles: too many roles"
        self._role_names.append(role)
    new: Terms = Terms(
        term_seconds=term_seconds,
        max_consecutive_terms=max_consecutive_terms,
        min_volunteer_age_seconds=old.min_volunteer_age_seconds,
    )
    self._store_terms(role, new)
    log RoleTermsUpdated(role=role, old=old, new=new)


@internal
def _set_min_volunteer_age(role: bytes32, age_seconds: uint256):
    """
    @dev Sets how long a member must have sat in their current seat before
         volunteering for `role` (zero: any member). Volunteers already on
         the roster stay; `_clear_roster` removes them.
    @param role The role (defined).
    @param age_seconds The minimum membership age, in seconds.
    """
    old: Terms = self._check_defined(role)
    assert age_seconds <= MAX_VOLUNTEER_AGE_SECONDS, "roles: volunteer age too long"
    new: Terms = Terms(
        term_seconds=old.term_seconds,
        max_consecutive_terms=old.max_consecutive_terms,
        min_volunteer_age_seconds=age_seconds,
    )
    self._store_terms(role, new)
    log RoleTermsUpdated(role=role, old=old, new=new)


@internal
def _store_terms(role: bytes32, terms: Terms):
    """
    @dev Packs and stores a role's terms (each field checked in range by the caller).
    @param role The role.
    @param terms The terms.
    """
    self._terms[role] = (
        terms.term_seconds
        | (terms.max_consecutive_terms << _LIMIT_SHIFT)
        | (terms.min_volunteer_age_seconds << _AGE_SHIFT)
    )


@internal
def _volunteer(role: bytes32, account: address):
    """
    @dev Puts a member at the end of a role's roster.
    @param role The role.
    @param account The volunteer (the caller, checked a member by the caller).
    """
    terms: Terms = self._check_defined(role)
    if terms.min_volunteer_age_seconds != 0:
        # The age of the current seat: rejoining starts it again, so nobody
        # can age an account by leaving and coming back.
        joined_at: uint256 = staticcall ICharter(self._charter).joined_at(account)
        old_enough: bool = block.timestamp >= joined_at + terms.min_volunteer_age_seconds
        assert old_enough, "roles: member too new to volunteer"
    assert self._position[role][account] == 0, "roles: already volunteered"
    assert len(self._roster[role]) < MAX_ROSTER, "roles: roster full"
    self._roster[role].append(account)
    position: uint256 = len(self._roster[role])
    self._position[role][account] = position
    log VolunteerAdded(role=role, volunteer=account, position=position)


@internal
def _withdraw(role: bytes32, account: address):
    """
    @dev Takes a volunteer off a role's roster, keeping everyone else's order.
    @param role The role.
    @param account The volunteer.
    """
    position: uint256 = self._position[role][account]
    assert position != 0, "roles: not a volunteer"
    old: DynArray[address, MAX_ROSTER] = self._roster[role]
    kept: DynArray[address, MAX_ROSTER] = []
    for v: address in old:
        if v != account:
            kept.append(v)
            self._position[role][v] = len(kept)
    self._roster[role] = kept
    self._position[role][account] = 0
    # The cursor keeps pointing at the same next volunteer (back to the start
    # when the one it pointed at was the last).
    cursor: uint256 = self._cursor[role]
    if cursor >= position:
        cursor -= 1
    if cursor >= len(kept):
        cursor = 0
    self._cursor[role] = cursor
    log VolunteerWithdrawn(role=role, volunteer=account)


@internal
def _clear_roster(role: bytes32):
    """
    @dev Takes every volunteer off a role's roster at once (a mandate in
         force is untouched) and puts the cursor back at the start.
    @param role The role (defined).
    """
    self._check_defined(role)
    volunteers: DynArray[address, MAX_ROSTER] = self._roster[role]
    for v: address in volunteers:
        self._position[role][v] = 0
        log VolunteerWithdrawn(role=role, volunteer=v)
    self._roster[role] = []
    self._cursor[role] = 0
    log RosterCleared(role=role, volunteers=len(volunteers))


@internal
def _appoint(role: bytes32, account: address, seat: uint256):
    """
    @dev Gives `account` a fresh term now, replacing any mandate in force.
    @param role The role.
    @param account The new holder (checked a member by the caller).
    @param seat The holder's charter seat now (non-zero): the mandate is
           bound to it.
    """
    terms: Terms = self._check_defined(role)
    packed: uint256 = self._mandate[role]
    if not self._in_force(role, packed):
        self._log_lapse(role, packed)
    elif self._holder_of(packed) != account:
        # Re-appointing the holder is a new term for them, not a recall.
        log MandateRecalled(role=role, holder=self._holder_of(packed))
    streak: uint256 = self._next_streak(packed, account, terms)
    assert streak != 0, "roles: consecutive term limit"
    expires_at: uint256 = block.timestamp + terms.term_seconds
    self._mandate[role] = self._pack(account, block.timestamp, expires_at, streak)
    self._granted_seat[role] = seat
    position: uint256 = self._position[role][account]
    if position != 0:
        # Rotation continues after the appointee, as if they had been rotated in.
        self._cursor[role] = position % len(self._roster[role])
    log MandateAppointed(role=role, holder=account, expires_at=expires_at, consecutive_terms=streak)


@internal
def _recall(role: bytes32):
    """
    @dev Ends the mandate in force now.
    @param role The role.
    """
    self._check_defined(role)
    packed: uint256 = self._mandate[role]
    assert self._in_force(role, packed), "roles: no mandate in force"
    self._mandate[role] = packed | (1 << _ENDED_BIT)
    log MandateRecalled(role=role, holder=self._holder_of(packed))


@internal
def _resign(role: bytes32, account: address):
    """
    @dev Ends `account`'s own mandate now: a holder may always step down.
    @param role The role.
    @param account The holder (the caller).
    """
    packed: uint256 = self._mandate[role]
    assert self._in_force(role, packed) and self._holder_of(packed) == account, "roles: not the holder"
    self._mandate[role] = packed | (1 << _ENDED_BIT)
    log MandateResigned(role=role, holder=account)


@internal
def _rotate(role: bytes32) -> address:
    """
    @dev Hands a role with no mandate in force to the next eligible
         volunteer in the published order.
    @param role The role.
    @return address The new holder.
    """
    terms: Terms = self._check_defined(role)
    packed: uint256 = self._mandate[role]
    assert not self._in_force(role, packed), "roles: mandate in force"
    index: uint256 = self._next_index(role, packed, terms)
    assert index != max_value(uint256), "roles: no eligible volunteer"
    holder: address = self._roster[role][index]
    self._log_lapse(role, packed)
    start: uint256 = block.timestamp
    last_expiry: uint256 = (packed >> _EXPIRES_SHIFT) & _MASK40
    if packed != 0 and (packed >> _ENDED_BIT) & 1 == 0 and block.timestamp >= last_expiry:
        # A lapse keeps the schedule: the slot of the term grid that
        # contains now. (After a recall, a resignation or a holder's
        # leaving, the new term starts now.)
        start = expiry._current_slot(last_expiry, terms.term_seconds)
    expires_at: uint256 = start + terms.term_seconds
    streak: uint256 = self._next_streak(packed, holder, terms)
    self._mandate[role] = self._pack(holder, start, expires_at, streak)
    # The holder is a member (rotation picks members only), so its seat is non-zero.
    seat: uint256 = staticcall ICharter(self._charter).seat_of(holder)
    self._granted_seat[role] = seat
    self._cursor[role] = (index + 1) % len(self._roster[role])
    log MandateRotated(role=role, holder=holder, expires_at=expires_at, consecutive_terms=streak)
    return holder


@internal
@view
def _holds(role: bytes32, account: address) -> bool:
    """
    @dev Returns whether `account` holds `role` now.
    @param role The role.
    @param account The address.
    @return bool True while its mandate is in force.
    """
    packed: uint256 = self._mandate[role]
    return self._holder_of(packed) == account and account != empty(address) and self._in_force(role, packed)


@internal
@view
def _get_mandate(role: bytes32) -> Mandate:
    """
    @dev Returns a role's latest mandate, in force or not.
    @param role The role.
    @return Mandate The mandate (all zero when never filled).
    """
    packed: uint256 = self._mandate[role]
    return Mandate(
        holder=self._holder_of(packed),
        started_at=(packed >> _STARTED_SHIFT) & _MASK40,
        expires_at=(packed >> _EXPIRES_SHIFT) & _MASK40,
        consecutive_terms=(packed >> _STREAK_SHIFT) & _MASK8,
        ended_early=(packed >> _ENDED_BIT) & 1 == 1,
        in_force=self._in_force(role, packed),
    )


@internal
@view
def _get_terms(role: bytes32) -> Terms:
    """
    @dev Returns a role's terms (zero when undefined).
    @param role The role.
    @return Terms The terms.
    """
    packed: uint256 = self._terms[role]
    return Terms(
        term_seconds=packed & _MAX_UINT32,
        max_consecutive_terms=(packed >> _LIMIT_SHIFT) & _MAX_UINT8,
        min_volunteer_age_seconds=(packed >> _AGE_SHIFT) & _MAX_UINT32,
    )


@internal
@view
def _next_in_rotation(role: bytes32) -> address:
    """
    @dev Returns who a rotation would pick now (zero: nobody eligible).
    @param role The role.
    @return address The next holder.
    """
    terms: Terms = self._get_terms(role)
    if terms.term_seconds == 0:
        return empty(address)
    index: uint256 = self._next_index(role, self._mandate[role], terms)
    if index == max_value(uint256):
        return empty(address)
    return self._roster[role][index]


@internal
@view
def _check_defined(role: bytes32) -> Terms:
    """
    @dev Reverts for a role that was never defined; returns its terms.
    @param role The role.
    @return Terms The terms.
    """
    terms: Terms = self._get_terms(role)
    assert terms.term_seconds != 0, "roles: unknown role"
    return terms


@internal
@view
def _next_index(role: bytes32, packed: uint256, terms: Terms) -> uint256:
    """
    @dev The roster index of the next eligible volunteer from the cursor on.
    @param role The role.
    @param packed The latest mandate.
    @param terms The role's terms.
    @return uint256 The index, or `max_value(uint256)` when nobody is eligible.
    """
    roster: DynArray[address, MAX_ROSTER] = self._roster[role]
    n: uint256 = len(roster)
    cursor: uint256 = self._cursor[role]
    for step: uint256 in range(n, bound=MAX_ROSTER):
        index: uint256 = (cursor + step) % n
        candidate: address = roster[index]
        if self._eligible(packed, candidate, terms):
            return index
    return max_value(uint256)


@internal
@view
def _eligible(packed: uint256, candidate: address, terms: Terms) -> bool:
    """
    @dev Whether rotation may hand the role to `candidate`: a member, not
         over the consecutive-term limit, and not the holder whose mandate
         was just recalled or resigned (so a recall is never undone by the
         next rotation).
    @param packed The latest mandate.
    @param candidate The volunteer.
    @param terms The role's terms.
    @return bool True when eligible.
    """
    if packed != 0 and (packed >> _ENDED_BIT) & 1 == 1 and self._holder_of(packed) == candidate:
        return False
    return self._next_streak(packed, candidate, terms) != 0 and self._is_member(candidate)


@internal
@view
def _next_streak(packed: uint256, account: address, terms: Terms) -> uint256:
    """
    @dev The consecutive-term count `account` would reach with a new
         mandate: one more when it held the latest mandate, else one.
    @param packed The latest mandate.
    @param account The candidate.
    @param terms The role's terms.
    @return uint256 The count, or zero when over the limit.
    """
    streak: uint256 = 1
    if packed != 0 and self._holder_of(packed) == account:
        streak = ((packed >> _STREAK_SHIFT) & _MASK8) + 1
    if streak > terms.max_consecutive_terms:
        return 0
    return streak


@internal
def _log_lapse(role: bytes32, packed: uint256):
    """
    @dev Reports a mandate that lapsed on its own, as it is replaced.
    @param role The role.
    @param packed The mandate being replaced (not in force).
    """
    if packed != 0 and (packed >> _ENDED_BIT) & 1 == 0:
        # A holder who left ended the mandate before its expiry; report no
        # later than now.
        log MandateLapsed(
            role=role,
            holder=self._holder_of(packed),
            expired_at=min((packed >> _EXPIRES_SHIFT) & _MASK40, block.timestamp),
        )


@internal
@view
def _in_force(role: bytes32, packed: uint256) -> bool:
    """
    @dev Whether a role's packed mandate is in force now.
    @param role The role.
    @param packed Its latest mandate.
    @return bool True when neither ended early nor expired, and its holder
            still sits in the seat the mandate was granted to (a member
            without a break since the grant).
    """
    if packed == 0 or (packed >> _ENDED_BIT) & 1 == 1:
        return False
    if not expiry._in_force((packed >> _EXPIRES_SHIFT) & _MASK40):
        return False
    seat: uint256 = staticcall ICharter(self._charter).seat_of(self._holder_of(packed))
    return seat != 0 and seat == self._granted_seat[role]


@internal
@pure
def _holder_of(packed: uint256) -> address:
    """
    @dev The holder of a packed mandate.
    @param packed The mandate.
    @return address The holder.
    """
    return convert(convert(packed & _MASK160, uint160), address)


@internal
@pure
def _pack(holder: address, started_at: uint256, expires_at: uint256, streak: uint256) -> uint256:
    """
    @dev Packs a mandate (times fit 40 bits until the year 36812).
    @param holder The holder.
    @param started_at When it started.
    @param expires_at When it expires.
    @param streak Its consecutive-term count.
    @return uint256 The packed mandate.
    """
    return (
        convert(holder, uint256)
        | (started_at << _STARTED_SHIFT)
        | (expires_at << _EXPIRES_SHIFT)
        | (streak << _STREAK_SHIFT)
    )


@internal
@view
def _is_member(account: address) -> bool:
    """
    @dev Whether `account` is a member of the owning charter now.
    @param account The address.
    @return bool True for a member.
    """
    return staticcall ICharter(self._charter).is_member(account)


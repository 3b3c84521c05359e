# pragma version ~=0.4.3
# pragma nonreentrancy on
"""
@title Membership
@custom:contract-name membership
@license GNU Affero General Public License v3.0 only
@author Panarchy
@notice One address, one voice. A member is an address with a member record
        (one slot, read on every vote) and a seat: each join appends one
        entry to an append-only seat list (the account, its join block and
        time), so that the roster at any moment is the seat list cut at its
        length then, and a court can freeze it by remembering one number.
        A seat is live while its account's record points at it; leaving
        kills it for good, and rejoining takes a new seat, so a seat number
        names one unbroken spell of membership (what a mandate is bound to).
        The join block is what fixes voting eligibility: a member votes only
        on proposals created in a later block than the one they joined in.
        Blocks, not timestamps, because several blocks may share a timestamp.
        The member count is kept together with the count at the start of the
        current block, so that a proposal takes its quorum base at the same
        instant as its delegation snapshot (the end of the previous block).
        Admission beyond an open door goes through an invitation (granted by
        a vote or by a sponsoring member) that the newcomer accepts by
        joining: nobody is made a member without their own transaction.
        Leaving is always possible and touches nothing but the leaver's own
        record and the counts.
"""


# @dev Members are counted in 32 bits wherever tallies are packed.
MAX_MEMBERS: constant(uint256) = 2**32 - 1


# @dev Seats are numbered from 1 in 40 bits (a trillion joins).
MAX_SEATS: constant(uint256) = 2**40 - 1


# @dev Each account's member record (layout in docs/SPEC.md, "Storage"):
#   bits   0-39  join block (zero for non-members)
#   bits  40-79  seat number (1-based; zero for non-members)
#   bits  80-207 voted bits of the current window of 128 proposals (`ballots`)
#   bits 208-229 which window that is
#   bits 230-252 reserved
#   bit  253     SUSPENDED: reserved for rulings that suspend a vote (courts)
#   bits 254-255 delegation flags
_joined: HashMap[address, uint256]


# @dev Fields of a member record.
JOINED_BLOCK_MASK: constant(uint256) = 2**40 - 1
SEAT_SHIFT: constant(uint256) = 40
SEAT_FIELD: constant(uint256) = 2**40 - 1


# @dev The join block and seat; zero exactly when not a member.
JOIN_MASK: constant(uint256) = 2**80 - 1


# @dev Flags kept in the top bits of a record (and across leaving):
# whether the account ever delegated, or ever carried others' voices, so
# that a vote looks up delegation history only for those who have one;
# and a bit reserved for a suspension, which a vote will look up the same way.
HAS_DELEGATED: constant(uint256) = 1 << 255
CARRIES_VOICES: constant(uint256) = 1 << 254
SUSPENDED: constant(uint256) = 1 << 253
_FLAGS: constant(uint256) = HAS_DELEGATED | CARRIES_VOICES | SUSPENDED


# @dev The voted window (see `ballots`): bits 80-207 say which proposals of
# the window a member voted on, bits 208-229 which window that is. A vote
# reads and writes only the member record (already read for eligibility),
# not a slot of its own.
VOTED_SHIFT: constant(uint256) = 80
VOTED_WIDTH: constant(uint256) = 128
VOTED_FIELD: constant(uint256) = 2**128 - 1
WINDOW_SHIFT: constant(uint256) = 208
WINDOW_FIELD: constant(uint256) = 2**22 - 1


# @dev What a record keeps across leaving and rejoining: the flags and the
# voted window (so `has_voted` stays true for votes counted).
_KEPT: constant(uint256) = _FLAGS | (VOTED_FIELD << VOTED_SHIFT) | (WINDOW_FIELD << WINDOW_SHIFT)


# @dev The seat list: seat number => account (low 160 bits), join block
# (40 bits above) and join time (40 bits above that). Append-only.
_seats: HashMap[uint256, uint256]
SEAT_BLOCK_SHIFT: constant(uint256) = 160
SEAT_TIME_SHIFT: constant(uint256) = 200
MASK40: constant(uint256) = 2**40 - 1


# @dev The counts, packed in one slot that every join and leave writes:
#   bits   0-31  members now
#   bits  32-63  members at the start of block `counted_block`
#   bits  64-103 counted_block: the latest block in which the count changed
#   bits 104-143 seats ever taken (the seat list's length)
_counts: uint256
_BEFORE_SHIFT: constant(uint256) = 32
_BLOCK_SHIFT: constant(uint256) = 64
_SEATS_SHIFT: constant(uint256) = 104
_MASK32: constant(uint256) = 2**32 - 1


# @dev Outstanding invitations (granted by vote or sponsorship).
_invited: HashMap[address, bool]


# @dev Emitted when an account becomes a member.
event MemberJoined:
    member: indexed(address)
    member_count: uint256


# @dev Emitted when a member leaves.
event MemberLeft:
    member: indexed(address)
    member_count: uint256


# @dev Emitted when an account is invited, by a vote (`by` is the
# charter itself) or by a sponsoring member.
event MemberInvited:
    account: indexed(address)
    by: indexed(address)


@internal
@view
def _member_count() -> uint256:
    """
    @dev Returns the number of members now.
    @return uint256 The count.
    """
    return self._counts & _MASK32


@internal
@view
def _member_count_before_block() -> uint256:
    """
    @dev Returns the number of members at the end of the previous block:
         the instant a proposal created now takes its snapshot at.
    @return uint256 The count.
    """
    counts: uint256 = self._counts
    if (counts >> _BLOCK_SHIFT) & MASK40 == block.number:
        return (counts >> _BEFORE_SHIFT) & _MASK32
    return counts & _MASK32


@internal
@view
def _seat_count() -> uint256:
    """
    @dev Returns how many seats were ever taken (the seat list's length).
    @return uint256 The count.
    """
    return (self._counts >> _SEATS_SHIFT) & MASK40


@internal
@view
def _seat_of(account: address) -> uint256:
    """
    @dev Returns `account`'s seat number (zero for non-members).
    @param account The address.
    @return uint256 The seat.
    """
    return (self._joined[account] >> SEAT_SHIFT) & SEAT_FIELD


@internal
def _set_count(count: uint256, seats: uint256):
    """
    @dev Stores a new member count (and seat count), remembering the count
         at the start of this block the first time it changes in it.
    @param count The new member count.
    @param seats The new seat count.
    """
    counts: uint256 = self._counts
    before: uint256 = counts & _MASK32
    if (counts >> _BLOCK_SHIFT) & MASK40 == block.number:
        before = (counts >> _BEFORE_SHIFT) & _MASK32
    self._counts = (
        count | (before << _BEFORE_SHIFT) | (block.number << _BLOCK_SHIFT) | (seats << _SEATS_SHIFT)
    )


@internal
@view
def _is_member(account: address) -> bool:
    """
    @dev Returns whether `account` is a member now.
    @param account The address to check.
    @return bool True for a member.
    """
    return self._joined[account] & JOIN_MASK != 0


@internal
@view
def _check_member(account: address):
    """
    @dev Reverts unless `account` is a member now.
    @param account The address to check.
    """
    assert self._joined[account] & JOIN_MASK != 0, "charter: not a member"


@internal
def _flag(account: address, flag: uint256):
    """
    @dev Sets a delegation flag on an account's join record.
    @param account The account.
    @param flag HAS_DELEGATED or CARRIES_VOICES.
    """
    self._joined[account] |= flag


@internal
def _invite(account: address, by: address):
    """
    @dev Records an invitation; the account becomes a member when it joins.
    @param account The account invited.
    @param by Who invited it (the charter for a vote, or the sponsor).
    """
    assert account != empty(address), "charter: zero address"
    assert account != self, "charter: cannot be its own member"
    assert self._joined[account] & JOIN_MASK == 0, "charter: already a member"
    self._invited[account] = True
    log MemberInvited(account=account, by=by)


@internal
def _join(account: address, invitation_required: bool):
    """
    @dev Makes `account` a member from now on, in a new seat.
    @param account The joining account.
    @param invitation_required Whether the admission policy needs an invitation.
    """
    assert account != self, "charter: cannot be its own member"
    joined: uint256 = self._joined[account]
    assert joined & JOIN_MASK == 0, "charter: already a member"
    if invitation_required:
        assert self._invited[account], "charter: invitation required"
    self._invited[account] = False
    count: uint256 = self._member_count() + 1
    assert count <= MAX_MEMBERS, "charter: too many members"
    seat: uint256 = self._seat_count() + 1
    assert seat <= MAX_SEATS, "charter: seat list full"
    self._set_count(count, seat)
    self._seats[seat] = (
        convert(account, uint256)
        | (block.number << SEAT_BLOCK_SHIFT)
        | (block.timestamp << SEAT_TIME_SHIFT)
    )
    self._joined[account] = (joined & _KEPT) | (seat << SEAT_SHIFT) | block.number
    log MemberJoined(member=account, member_count=count)


@internal
def _leave(account: address):
    """
    @dev Ends `account`'s membership. Never blocked by anything but not
         being a member: exit is the one entrenched right.
    @param account The leaving member.
    """
    joined: uint256 = self._joined[account]
    assert joined & JOIN_MASK != 0, "charter: not a member"
    self._joined[account] = joined & _KEPT
    # A member exists, so the count is at least one.
    count: uint256 = unsafe_sub(self._member_count(), 1)
    self._set_count(count, self._seat_count())
    log MemberLeft(member=account, member_count=count)

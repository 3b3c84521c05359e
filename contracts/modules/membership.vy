# pragma version ~=0.4.3
# pragma nonreentrancy on
"""
@title Membership
@custom:contract-name membership
@license GNU Affero General Public License v3.0 only
@author Panarchy
@notice One address, one voice. A member is an address with a join record
        (block and time, packed in one slot); the join block is what fixes
        voting eligibility: a member votes only on proposals created in a
        later block than the one they joined in. Blocks, not timestamps,
        because several blocks may share a timestamp. Admission beyond an
        open door goes through an invitation (granted by a vote or by a
        sponsoring member) that the newcomer accepts by joining: nobody is
        made a member without their own transaction. Leaving is always
        possible and touches nothing but the leaver's own record.
"""


# @dev Members are counted in 32 bits wherever tallies are packed.
MAX_MEMBERS: constant(uint256) = 2**32 - 1


# @dev Each account's join record: the block number in the low 64 bits,
# the timestamp above it (both zero for non-members), then the voted bits
# of its current window of proposals (kept by `ballots`) and two flags.
_joined: HashMap[address, uint256]


# @dev Offset of the join time in a join record.
JOINED_TIME_SHIFT: constant(uint256) = 64
JOINED_BLOCK_MASK: constant(uint256) = 2**64 - 1


# @dev The join block and time; zero exactly when not a member.
JOIN_MASK: constant(uint256) = 2**104 - 1


# @dev Flags kept in the top bits of a join record (and across leaving):
# whether the account ever delegated, or ever carried others' voices, so
# that a vote looks up delegation history only for those who have one.
HAS_DELEGATED: constant(uint256) = 1 << 255
CARRIES_VOICES: constant(uint256) = 1 << 254
_FLAGS: constant(uint256) = HAS_DELEGATED | CARRIES_VOICES


# @dev The voted window (see `ballots`): bits 104-231 say which proposals of
# the window a member voted on, bits 232-253 which window that is. A vote
# reads and writes only the member record (already read for eligibility),
# not a slot of its own.
VOTED_SHIFT: constant(uint256) = 104
VOTED_WIDTH: constant(uint256) = 128
VOTED_FIELD: constant(uint256) = 2**128 - 1
WINDOW_SHIFT: constant(uint256) = 232
WINDOW_FIELD: constant(uint256) = 2**22 - 1


# @dev What a record keeps across leaving and rejoining: the flags and the
# voted window (so `has_voted` stays true for votes counted).
_KEPT: constant(uint256) = _FLAGS | (VOTED_FIELD << VOTED_SHIFT) | (WINDOW_FIELD << WINDOW_SHIFT)


# @dev Outstanding invitations (granted by vote or sponsorship).
_invited: HashMap[address, bool]


# @dev The number of current members.
_member_count: uint256


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
    assert self._joined[account] & JOIN_MASK == 0, "charter: already a member"
    self._invited[account] = True
    log MemberInvited(account=account, by=by)


@internal
def _join(account: address, invitation_required: bool):
    """
    @dev Makes `account` a member from now on.
    @param account The joining account.
    @param invitation_required Whether the admission policy needs an invitation.
    """
    joined: uint256 = self._joined[account]
    assert joined & JOIN_MASK == 0, "charter: already a member"
    if invitation_required:
        assert self._invited[account], "charter: invitation required"
    self._invited[account] = False
    count: uint256 = self._member_count + 1
    assert count <= MAX_MEMBERS, "charter: too many members"
    self._member_count = count
    self._joined[account] = (joined & _KEPT) | (block.timestamp << JOINED_TIME_SHIFT) | block.number
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
    count: uint256 = unsafe_sub(self._member_count, 1)
    self._member_count = count
    log MemberLeft(member=account, member_count=count)

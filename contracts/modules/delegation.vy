# pragma version ~=0.4.3
# pragma nonreentrancy on
"""
@title Revocable, one-hop delegation with checkpointed history
@custom:contract-name delegation
@license GNU Affero General Public License v3.0 only
@author Panarchy
@notice A member may hand their voice to another member and take it back
        at any moment. Delegation is one hop and never transitive: a
        delegate carries the voices given to them; their own voice goes
        where they delegate it. For a proposal, what counts is the state at
        the end of the block before it was created, read from checkpoints
        (block, value) kept per account: the delegate each member had, and
        how many voices each member carried. A lookup reads the newest
        checkpoint first and only searches when history changed since the
        proposal; its cost grows with one account's history, never with the
        number of members or delegators.
"""


from . import membership

uses: membership


# @dev Checkpoints pack the block number above a 192-bit value.
_BLOCK_SHIFT: constant(uint256) = 192
_VALUE_MASK: constant(uint256) = 2**192 - 1


# @dev The most steps of a checkpoint search (2**64 checkpoints).
_MAX_SEARCH_STEPS: constant(uint256) = 64


# @dev Each member's delegate over time (the value is an address).
_delegate_history: HashMap[address, HashMap[uint256, uint256]]
_delegate_history_length: HashMap[address, uint256]


# @dev How many voices each member carried over time.
_carried_history: HashMap[address, HashMap[uint256, uint256]]
_carried_history_length: HashMap[address, uint256]


# @dev As ERC-5805: a member's delegate changed (zero: no delegate).
event DelegateChanged:
    delegator: indexed(address)
    fromDelegate: indexed(address)
    toDelegate: indexed(address)


# @dev As ERC-5805: the voices a delegate carries changed.
event DelegateVotesChanged:
    delegate: indexed(address)
    previousVotes: uint256
    newVotes: uint256


@internal
@view
def _delegate_of(account: address) -> address:
    """
    @dev Returns `account`'s delegate now (zero when none).
    @param account The member.
    @return address The delegate.
    """
    n: uint256 = self._delegate_history_length[account]
    if n == 0:
        return empty(address)
    return convert(convert(self._delegate_history[account][n - 1] & _VALUE_MASK, uint160), address)


@internal
@view
def _carried(account: address) -> uint256:
    """
    @dev Returns how many voices `account` carries now.
    @param account The member.
    @return uint256 The count.
    """
    n: uint256 = self._carried_history_length[account]
    if n == 0:
        return 0
    return self._carried_history[account][n - 1] & _VALUE_MASK


@internal
@view
def _delegate_before(account: address, snapshot: uint256) -> address:
    """
    @dev Returns `account`'s delegate at the end of block `snapshot - 1`.
    @param account The member.
    @param snapshot The proposal's snapshot block.
    @return address The delegate then (zero when none).
    """
    found: uint256 = self._lookup(self._delegate_history_length[account], account, snapshot, True)
    return convert(convert(found, uint160), address)


@internal
@view
def _carried_before(account: address, snapshot: uint256) -> uint256:
    """
    @dev Returns how many voices `account` carried at the end of block `snapshot - 1`.
    @param account The member.
    @param snapshot The proposal's snapshot block.
    @return uint256 The count then.
    """
    return self._lookup(self._carried_history_length[account], account, snapshot, False)


@internal
def _change_delegate(delegator: address, to: address):
    """
    @dev Moves `delegator`'s voice to `to` (zero: takes it back). The
         caller checked that both are members and `to` is not `delegator`.
    @param delegator The member delegating.
    @param to The new delegate, or zero.
    """
    old: address = self._delegate_of(delegator)
    assert old != to, "charter: delegate unchanged"
    self._push(delegator, convert(convert(to, uint160), uint256), True)
    membership._flag(delegator, membership.HAS_DELEGATED)
    log DelegateChanged(delegator=delegator, fromDelegate=old, toDelegate=to)
    if old != empty(address):
        self._move_carried(old, False)
    if to != empty(address):
        self._move_carried(to, True)
        membership._flag(to, membership.CARRIES_VOICES)


@internal
def _move_carried(delegate: address, up: bool):
    """
    @dev Adds or removes one carried voice.
    @param delegate The delegate.
    @param up True to add, False to remove.
    """
    previous: uint256 = self._carried(delegate)
    new: uint256 = previous + 1 if up else previous - 1
    self._push(delegate, new, False)
    log DelegateVotesChanged(delegate=delegate, previousVotes=previous, newVotes=new)


@internal
def _push(account: address, new_value: uint256, is_delegate: bool):
    """
    @dev Records `value` from this block on, overwriting this block's
         checkpoint if there is one.
    @param account The account.
    @param new_value The new value (below 2**192).
    @param is_delegate Which history: the delegate, or the carried count.
    """
    n: uint256 = 0
    if is_delegate:
        n = self._delegate_history_length[account]
    else:
        n = self._carried_history_length[account]
    checkpoint: uint256 = (block.number << _BLOCK_SHIFT) | new_value
    index: uint256 = n
    if n != 0:
        last: uint256 = 0
        if is_delegate:
            last = self._delegate_history[account][n - 1]
        else:
            last = self._carried_history[account][n - 1]
        if last >> _BLOCK_SHIFT == block.number:
            index = n - 1
    if is_delegate:
        self._delegate_history[account][index] = checkpoint
        if index == n:
            self._delegate_history_length[account] = n + 1
    else:
        self._carried_history[account][index] = checkpoint
        if index == n:
            self._carried_history_length[account] = n + 1


@internal
@view
def _lookup(n: uint256, account: address, snapshot: uint256, is_delegate: bool) -> uint256:
    """
    @dev Returns the value of the newest checkpoint older than `snapshot`
         (zero when there is none): the newest first, then a binary search.
    @param n The history's length.
    @param account The account.
    @param snapshot The snapshot block.
    @param is_delegate Which history.
    @return uint256 The value.
    """
    if n == 0:
        return 0
    newest: uint256 = self._checkpoint(account, n - 1, is_delegate)
    if newest >> _BLOCK_SHIFT < snapshot:
        return newest & _VALUE_MASK
    # Find the first checkpoint at or after `snapshot`; the one before it holds.
    low: uint256 = 0
    high: uint256 = n - 1
    for _: uint256 in range(_MAX_SEARCH_STEPS):
        if low >= high:
            break
        mid: uint256 = (low + high) // 2
        if self._checkpoint(account, mid, is_delegate) >> _BLOCK_SHIFT < snapshot:
            low = mid + 1
        else:
            high = mid
    if low == 0:
        return 0
    return self._checkpoint(account, low - 1, is_delegate) & _VALUE_MASK


@internal
@view
def _checkpoint(account: address, index: uint256, is_delegate: bool) -> uint256:
    """
    @dev Reads one checkpoint.
    @param account The account.
    @param index Its index.
    @param is_delegate Which history.
    @return uint256 The packed checkpoint.
    """
    if is_delegate:
        return self._delegate_history[account][index]
    return self._carried_history[account][index]

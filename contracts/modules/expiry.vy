# pragma version ~=0.4.3
"""
@title Lazy expiry and time grids
@custom:contract-name expiry
@license GNU Affero General Public License v3.0 only
@author Panarchy
@notice Everything in Panarchy that ends does so on its own: a clause, a
        mandate, a proposal's vote, a fund's period, a circle's round (and,
        to come, a treaty's term and a ruling). Nothing is scheduled and no
        keeper sends a transaction: a thing is in force while the block's
        time is before its end, and a period's index is computed from its
        grid when asked. This module is the one place those comparisons
        and grids live; it holds no state.
        Times are seconds since the epoch; records pack them in 40 bits
        (`MASK40`: good until the year 36812).
"""


# @dev The width of a packed time (and of the block numbers packed beside it).
MASK40: constant(uint256) = 2**40 - 1


@internal
@view
def _in_force(expires_at: uint256) -> bool:
    """
    @dev Whether something that ends at `expires_at` is still in force: its
         end is exclusive (at `expires_at` itself it has lapsed).
    @param expires_at The end.
    @return bool True while now < expires_at.
    """
    return block.timestamp < expires_at


@internal
@view
def _index(origin: uint256, length: uint256) -> uint256:
    """
    @dev The index of the period running now on a grid of periods of
         `length` seconds from `origin` (zero in the first).
    @param origin When period 0 starts (not after now).
    @param length The period's length (non-zero).
    @return uint256 The index.
    """
    return (block.timestamp - origin) // length


@internal
@pure
def _start(origin: uint256, length: uint256, index: uint256) -> uint256:
    """
    @dev When period `index` of the grid starts.
    @param origin When period 0 starts.
    @param length The period's length.
    @param index The period.
    @return uint256 The time.
    """
    return origin + index * length


@internal
@view
def _current_slot(origin: uint256, length: uint256) -> uint256:
    """
    @dev When the period of the grid that contains now started: a term that
         lapsed keeps its schedule (the next one starts on the grid, not
         whenever someone asks).
    @param origin A point of the grid, not after now.
    @param length The period's length (non-zero).
    @return uint256 The time.
    """
    return origin + self._index(origin, length) * length

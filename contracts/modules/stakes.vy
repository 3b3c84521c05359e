# pragma version ~=0.4.3
# pragma nonreentrancy on
"""
@title Stakes levels of actions
@custom:contract-name stakes
@license GNU Affero General Public License v3.0 only
@author Panarchy
@notice Decides what a proposal must reach from what it does, never from
        what its author claims. A table maps the functions of the charter
        and of its clause and role books (by selector; the three share none) to
        CONSENT, MAJORITY or SUPERMAJORITY; a call to any other contract, a
        plain transfer, or a function missing from the table needs at least
        MAJORITY. A proposal needs the highest level
        of any of its actions. Functions marked entrenched (changing the
        parameters or this table) are SUPERMAJORITY and cannot be lowered.
"""


# @dev Only the constants of `proposals` are used here (no state).
from . import proposals


# @dev The level of each of the charter's own functions; zero means unlisted.
_level: HashMap[bytes4, uint8]


# @dev Functions whose level may never drop below SUPERMAJORITY.
_entrenched: HashMap[bytes4, bool]


# @dev Emitted when a function's level changes.
event StakesUpdated:
    selector: indexed(bytes4)
    old: uint8
    new: uint8


@internal
def _set(selector: bytes4, level: uint8):
    """
    @dev Sets the level of one of the charter's functions.
    @param selector The function selector.
    @param level CONSENT, MAJORITY or SUPERMAJORITY.
    """
    assert level >= proposals.CONSENT and level <= proposals.SUPERMAJORITY, "charter: invalid stakes level"
    if self._entrenched[selector]:
        assert level == proposals.SUPERMAJORITY, "charter: entrenched stakes"
    old: uint8 = self._level[selector]
    self._level[selector] = level
    log StakesUpdated(selector=selector, old=old, new=level)


@internal
def _entrench(selector: bytes4):
    """
    @dev Fixes a function at SUPERMAJORITY for good (at founding only).
    @param selector The function selector.
    """
    self._set(selector, proposals.SUPERMAJORITY)
    self._entrenched[selector] = True


@internal
@view
def _of_action(
    target: address, calldata: Bytes[proposals.MAX_CALLDATA], book: address, role_book: address
) -> uint8:
    """
    @dev Returns the level one action needs.
    @param target The action's target.
    @param calldata The action's calldata.
    @param book The charter's clause book.
    @param role_book The charter's role book.
    @return uint8 The level.
    """
    if (target != self and target != book and target != role_book) or len(calldata) < 4:
        return proposals.MAJORITY
    level: uint8 = self._level[convert(slice(calldata, 0, 4), bytes4)]
    if level == 0:
        return proposals.MAJORITY
    return level


@internal
@view
def _of_actions(
    targets: DynArray[address, proposals.MAX_ACTIONS],
    calldatas: DynArray[Bytes[proposals.MAX_CALLDATA], proposals.MAX_ACTIONS],
    book: address,
    role_book: address,
) -> uint8:
    """
    @dev Returns the highest level any of the actions needs.
    @param targets The actions' targets.
    @param calldatas The actions' calldatas (same length).
    @param book The charter's clause book.
    @param role_book The charter's role book.
    @return uint8 The level.
    """
    level: uint8 = proposals.CONSENT
    for i: uint256 in range(len(targets), bound=proposals.MAX_ACTIONS):
        level = max(level, self._of_action(targets[i], calldatas[i], book, role_book))
    return level

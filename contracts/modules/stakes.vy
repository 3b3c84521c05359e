# pragma version ~=0.4.3
# pragma nonreentrancy on
"""
@title Stakes levels of actions
@custom:contract-name stakes
@license GNU Affero General Public License v3.0 only
@author Panarchy
@notice Decides what a proposal must reach from what it does, never from
        what its author claims. A table maps the functions of the charter
        and of its clause and role books, keyed by target and selector (so a
        selector listed as CONSENT on one contract means nothing aimed at
        another), to CONSENT, MAJORITY or SUPERMAJORITY; a call to any other
        contract, a plain transfer, an action that carries value, or a
        function missing from the table needs at least MAJORITY. A proposal
        needs the highest level of any of its actions. Functions marked
        entrenched (changing the parameters or this table) are SUPERMAJORITY
        and cannot be lowered.
"""


# @dev Only the constants of `proposals` are used here (no state).
from . import proposals


# @dev The level of each of the charter's own functions, by target and
# selector; zero means unlisted.
_level: HashMap[address, HashMap[bytes4, uint8]]


# @dev Functions whose level may never drop below SUPERMAJORITY.
_entrenched: HashMap[address, HashMap[bytes4, bool]]


# @dev Emitted when a function's level changes.
event StakesUpdated:
    target: indexed(address)
    selector: indexed(bytes4)
    old: uint8
    new: uint8


@internal
def _set(target: address, selector: bytes4, level: uint8):
    """
    @dev Sets the level of one of the charter's functions. The caller
         checked that `target` is the charter or one of its books.
    @param target The contract the function belongs to.
    @param selector The function selector.
    @param level CONSENT, MAJORITY or SUPERMAJORITY.
    """
    assert level >= proposals.CONSENT and level <= proposals.SUPERMAJORITY, "charter: invalid stakes level"
    if self._entrenched[target][selector]:
        assert level == proposals.SUPERMAJORITY, "charter: entrenched stakes"
    old: uint8 = self._level[target][selector]
    self._level[target][selector] = level
    log StakesUpdated(target=target, selector=selector, old=old, new=level)


@internal
def _entrench(target: address, selector: bytes4):
    """
    @dev Fixes a function at SUPERMAJORITY for good (at founding only).
    @param target The contract the function belongs to.
    @param selector The function selector.
    """
    self._set(target, selector, proposals.SUPERMAJORITY)
    self._entrenched[target][selector] = True


@internal
@view
def _of_action(target: address, amount: uint256, calldata: Bytes[proposals.MAX_CALLDATA]) -> uint8:
    """
    @dev Returns the level one action needs: what the table lists for its
         target and selector, and at least MAJORITY when it moves value or
         is unlisted. Only the charter and its books have entries.
    @param target The action's target.
    @param amount The wei it sends.
    @param calldata The action's calldata.
    @return uint8 The level.
    """
    if amount != 0 or len(calldata) < 4:
        return proposals.MAJORITY
    level: uint8 = self._level[target][convert(slice(calldata, 0, 4), bytes4)]
    if level == 0:
        return proposals.MAJORITY
    return level


@internal
@view
def _of_actions(
    targets: DynArray[address, proposals.MAX_ACTIONS],
    values: DynArray[uint256, proposals.MAX_ACTIONS],
    calldatas: DynArray[Bytes[proposals.MAX_CALLDATA], proposals.MAX_ACTIONS],
) -> uint8:
    """
    @dev Returns the highest level any of the actions needs.
    @param targets The actions' targets.
    @param values The actions' values (same length).
    @param calldatas The actions' calldatas (same length).
    @return uint8 The level.
    """
    level: uint8 = proposals.CONSENT
    for i: uint256 in range(len(targets), bound=proposals.MAX_ACTIONS):
        level = max(level, self._of_action(targets[i], values[i], calldatas[i]))
    return level

# pragma version ~=0.4.3
# pragma nonreentrancy on
# pragma evm-version cancun
"""
@title Target
@custom:contract-name Target
@license GNU Affero General Public License v3.0 only
@author Panarchy
@notice A test target for proposals: a value anyone may set, a function that
        always reverts, and no `__default__` (an unknown selector or a plain
        transfer reverts).
"""


# @dev The value last set.
value: public(uint256)


# @dev How many times `set_value` ran.
calls: public(uint256)


@external
@payable
def set_value(new_value: uint256):
    """
    @dev Sets the value.
    @param new_value The new value.
    """
    self.value = new_value
    self.calls += 1


@external
def fail():
    """
    @dev Always reverts.
    """
    raise "target: failed"

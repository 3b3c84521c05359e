# pragma version ~=0.4.3
# pragma nonreentrancy on
# pragma evm-version cancun
"""
@title Implementations behind UpgradeableProxy, and a beacon
@custom:contract-name StoreImpl
@license GNU Affero General Public License v3.0 only
@author Panarchy
@notice `set_value` stores its argument, or `override` when that is not zero
        (an evil upgrade). The first three slots mirror the proxy's. As a
        beacon, `implementation` is what the beacon proxies delegate to, and
        `upgrade_to` swaps it. Test use only.
"""


# @dev Mirrors the proxy's slots 0-2 (as a beacon: what proxies delegate to).
implementation: public(address)
_beacon: address
_admin: address


# @dev The stored value.
value: public(uint256)


# @dev Fixed at deployment: what an evil implementation stores instead.
override: public(immutable(uint256))


@deploy
def __init__(override_value: uint256):
    """
    @dev Sets what this implementation stores instead (zero: the argument).
    @param override_value The value stored instead.
    """
    override = override_value


@external
def set_value(new_value: uint256):
    """
    @dev Stores the value (or the override).
    @param new_value The value.
    """
    self.value = new_value if override == 0 else override


@external
def upgrade_to(new_implementation: address):
    """
    @dev As a beacon: swaps the implementation (anyone may, in this test).
    @param new_implementation The new implementation.
    """
    self.implementation = new_implementation

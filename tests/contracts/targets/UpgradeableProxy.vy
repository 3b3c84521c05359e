# pragma version ~=0.4.3
# pragma nonreentrancy on
# pragma evm-version cancun
"""
@title An upgradeable proxy (EIP-897 style) for the proxy-upgrade attack
@custom:contract-name UpgradeableProxy
@license GNU Affero General Public License v3.0 only
@author Panarchy
@notice Delegates every call to `implementation()`, which its admin may swap
        at any time, or, when it has a beacon, to the beacon's
        implementation. Storage: slot 0 implementation, slot 1 beacon,
        slot 2 admin (implementations leave them alone). Test use only.
"""


interface IBeacon:
    def implementation() -> address: view


# @dev Where calls go (zero when a beacon decides).
implementation: public(address)


# @dev The beacon that decides (zero when `implementation` does).
beacon: public(address)


# @dev Who may upgrade.
admin: public(address)


@deploy
def __init__(implementation: address, beacon: address):
    """
    @dev Sets where calls go; the deployer is the admin.
    @param implementation The implementation, or zero.
    @param beacon The beacon, or zero.
    """
    self.implementation = implementation
    self.beacon = beacon
    self.admin = msg.sender


@external
def upgrade_to(implementation: address):
    """
    @dev Swaps the implementation.
    @param implementation The new implementation.
    """
    assert msg.sender == self.admin, "proxy: not the admin"
    self.implementation = implementation


@external
@payable
@reentrant
def __default__():
    """
    @dev Delegates the call (the tests read the proxy's storage directly).
         Reentrant: the implementation's own functions take the lock, in
         this proxy's context (the same transient slot).
    """
    to: address = self.implementation
    if self.beacon != empty(address):
        to = staticcall IBeacon(self.beacon).implementation()
    raw_call(to, msg.data, is_delegate_call=True)

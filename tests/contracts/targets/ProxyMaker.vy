# pragma version ~=0.4.3
# pragma nonreentrancy on
# pragma evm-version cancun
"""
@title Proxy maker
@custom:contract-name ProxyMaker
@license GNU Affero General Public License v3.0 only
@author Panarchy
@notice Creates an uninitialised EIP-1167 minimal proxy of any implementation,
        the way the factory does but without initialising it, so that tests
        can reach an initialiser's own checks.
"""


# @dev Emitted for every proxy.
event ProxyCreated:
    proxy: address


@external
def make(implementation: address) -> address:
    """
    @dev Creates a minimal proxy.
    @param implementation The implementation.
    @return address The proxy.
    """
    proxy: address = create_minimal_proxy_to(implementation)
    log ProxyCreated(proxy=proxy)
    return proxy

# pragma version ~=0.4.3
# pragma nonreentrancy on
# pragma evm-version cancun
"""
@title CREATE2 deployer
@custom:contract-name Create2Deployer
@license GNU Affero General Public License v3.0 only
@author Panarchy
@notice Puts a copy of a template's code at a deterministic address (CREATE2),
        for the metamorphic-target attack: a proposal names the address while
        it is still empty, and code appears there after the vote. Call
        `deploy` with `.call()` first to learn the address without deploying.
"""


# @dev The contract whose runtime code is copied.
template: public(address)


# @dev Emitted for every copy.
event Deployed:
    target: address
    salt: bytes32


@deploy
def __init__(template: address):
    """
    @dev Sets the template.
    @param template The contract to copy.
    """
    self.template = template


@external
def deploy(salt: bytes32) -> address:
    """
    @dev Deploys a copy of the template's code with CREATE2.
    @param salt The CREATE2 salt.
    @return address The copy.
    """
    target: address = create_copy_of(self.template, salt=salt)
    log Deployed(target=target, salt=salt)
    return target

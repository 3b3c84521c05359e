# pragma version ~=0.4.3
# pragma nonreentrancy on
# pragma evm-version cancun
"""
@title Charter factory
@custom:contract-name CharterFactory
@license GNU Affero General Public License v3.0 only
@author Panarchy
@notice Founds charters cheaply: each charter is an EIP-1167 minimal proxy
        of one `Charter` implementation, created and initialised in the same
        transaction, so nobody can initialise a charter before its founders.
        Anyone may found a charter. Every charter founded here is listed (an
        event for indexers and a lookup), for discovery.
@custom:security The implementation locks itself at construction, and a
        proxy's `initialize` runs once; both are tested.
"""


from modules import params


# @dev The charter's founding call, as the factory sees it.
interface ICharter:
    def initialize(
        name: String[64],
        concord: bytes32,
        founders: DynArray[address, 64],
        parameters: params.Params,
    ): nonpayable


# @dev The charter implementation every proxy delegates to.
IMPLEMENTATION: public(immutable(address))


# @dev Whether an address is a charter founded by this factory.
is_charter: public(HashMap[address, bool])


# @dev The number of charters founded by this factory.
charter_count: public(uint256)


# @dev Emitted for every charter founded here.
event CharterCreated:
    charter: indexed(address)
    creator: indexed(address)
    name: String[64]


@deploy
def __init__(implementation: address):
    """
    @dev Sets the implementation.
    @param implementation A deployed `Charter` (locked by its constructor).
    """
    assert implementation.is_contract, "factory: implementation has no code"
    IMPLEMENTATION = implementation


@external
def create_charter(
    name: String[64],
    concord: bytes32,
    founders: DynArray[address, 64],
    parameters: params.Params,
) -> address:
    """
    @dev Founds a charter.
    @param name The charter's name.
    @param concord The founding concord's CID digest.
    @param founders The founding members.
    @param parameters The charter's parameters.
    @return address The new charter.
    """
    charter: address = create_minimal_proxy_to(IMPLEMENTATION)
    extcall ICharter(charter).initialize(name, concord, founders, parameters)
    self.is_charter[charter] = True
    self.charter_count += 1
    log CharterCreated(charter=charter, creator=msg.sender, name=name)
    return charter

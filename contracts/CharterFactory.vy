# pragma version ~=0.4.3
# pragma nonreentrancy on
# pragma evm-version cancun
"""
@title Charter factory
@custom:contract-name CharterFactory
@license GNU Affero General Public License v3.0 only
@author Panarchy
@notice Founds charters cheaply: each charter, and its clause book, is an
        EIP-1167 minimal proxy of one implementation, created and initialised
        in the same transaction, so nobody can initialise either before its
        founders.
        Anyone may found a charter. Every charter founded here is listed (an
        event for indexers and a lookup), for discovery.
@custom:security The implementation locks itself at construction, and a
        proxy's `initialize` runs once; both are tested.
"""


from modules import params
from modules import clauses


# @dev The charter's founding call, as the factory sees it.
interface ICharter:
    def initialize(
        name: String[64],
        concord: bytes32,
        founders: DynArray[address, 64],
        parameters: params.Params,
        clause_book: address,
    ): nonpayable


# @dev The clause book's founding call.
interface IClauseBook:
    def initialize(charter: address, rules: clauses.Rules): nonpayable


# @dev The implementations every proxy delegates to.
IMPLEMENTATION: public(immutable(address))
CLAUSE_BOOK_IMPLEMENTATION: public(immutable(address))


# @dev Whether an address is a charter founded by this factory.
is_charter: public(HashMap[address, bool])


# @dev The number of charters founded by this factory.
charter_count: public(uint256)


# @dev Emitted for every charter founded here.
event CharterCreated:
    charter: indexed(address)
    creator: indexed(address)
    clause_book: address
    name: String[64]


@deploy
def __init__(implementation: address, clause_book_implementation: address):
    """
    @dev Sets the implementations.
    @param implementation A deployed `Charter` (locked by its constructor).
    @param clause_book_implementation A deployed `ClauseBook` (likewise).
    """
    assert implementation.is_contract, "factory: implementation has no code"
    assert clause_book_implementation.is_contract, "factory: implementation has no code"
    IMPLEMENTATION = implementation
    CLAUSE_BOOK_IMPLEMENTATION = clause_book_implementation


@external
def create_charter(
    name: String[64],
    concord: bytes32,
    founders: DynArray[address, 64],
    parameters: params.Params,
    rules: clauses.Rules,
) -> address:
    """
    @dev Founds a charter and its clause book.
    @param name The charter's name.
    @param concord The founding concord's CID digest.
    @param founders The founding members.
    @param parameters The charter's parameters.
    @param rules The clause book's rules.
    @return address The new charter.
    """
    charter: address = create_minimal_proxy_to(IMPLEMENTATION)
    book: address = create_minimal_proxy_to(CLAUSE_BOOK_IMPLEMENTATION)
    extcall IClauseBook(book).initialize(charter, rules)
    extcall ICharter(charter).initialize(name, concord, founders, parameters, book)
    self.is_charter[charter] = True
    self.charter_count += 1
    log CharterCreated(charter=charter, creator=msg.sender, clause_book=book, name=name)
    return charter

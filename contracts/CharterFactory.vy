# pragma version ~=0.4.3
# pragma nonreentrancy on
# pragma evm-version cancun
"""
@title Charter factory
@custom:contract-name CharterFactory
@license GNU Affero General Public License v3.0 only
@author Panarchy
@notice Founds charters cheaply: each charter, its clause book and its role
        book is an EIP-1167 minimal proxy of one implementation, created and
        initialised in the same transaction, so nobody can initialise any of
        them before its founders. Solidarity funds and savings circles for a
        charter are made the same way, and treaties between its charters
        (each with its treaty fund, when it has one).
        Anyone may found a charter; a charter's members (or the charter
        itself, by proposal) may create funds and circles for it; only a
        charter itself, by proposal, may propose a treaty to others. Everything
        made here is listed (an event for indexers and a lookup), for
        discovery.
@custom:security The implementation locks itself at construction, and a
        proxy's `initialize` runs once; both are tested.
"""


from modules import params
from modules import clauses
from modules import books
import SolidarityFund
import SavingsCircle
import Treaty
import TreatyFund


# @dev The charter's founding call and membership, and the clause and
# role books' founding calls.
from interfaces import ICharter
from interfaces import IClauseBook
from interfaces import IRoleBook


# @dev The implementations every proxy delegates to.
IMPLEMENTATION: public(immutable(address))
CLAUSE_BOOK_IMPLEMENTATION: public(immutable(address))
ROLE_BOOK_IMPLEMENTATION: public(immutable(address))
FUND_IMPLEMENTATION: public(immutable(address))
CIRCLE_IMPLEMENTATION: public(immutable(address))
TREATY_IMPLEMENTATION: public(immutable(address))
TREATY_FUND_IMPLEMENTATION: public(immutable(address))


# @dev Whether an address is a charter founded by this factory.
is_charter: public(HashMap[address, bool])


# @dev The number of charters founded by this factory.
charter_count: public(uint256)


# @dev Whether an address is a fund, or a circle, made by this factory.
is_fund: public(HashMap[address, bool])
is_circle: public(HashMap[address, bool])


# @dev Whether an address is a treaty, or a treaty fund, made by this factory.
is_treaty: public(HashMap[address, bool])
is_treaty_fund: public(HashMap[address, bool])


# @dev Emitted for every charter founded here.
event CharterCreated:
    charter: indexed(address)
    creator: indexed(address)
    clause_book: address
    name: String[64]
    role_book: address


# @dev Emitted for every solidarity fund made here.
event FundCreated:
    fund: indexed(address)
    charter: indexed(address)
    creator: indexed(address)
    token: address


# @dev Emitted for every savings circle made here.
event CircleCreated:
    circle: indexed(address)
    charter: indexed(address)
    creator: indexed(address)
    token: address


# @dev Emitted for every treaty made here (`fund`: zero when it has none).
event TreatyCreated:
    treaty: indexed(address)
    proposer: indexed(address)
    fund: indexed(address)
    parties: DynArray[address, Treaty.MAX_PARTIES]
    document: bytes32


@deploy
def __init__(
    implementation: address,
    clause_book_implementation: address,
    role_book_implementation: address,
    fund_implementation: address,
    circle_implementation: address,
    treaty_implementation: address,
    treaty_fund_implementation: address,
):
    """
    @dev Sets the implementations, each locked by its own constructor.
    @param implementation A deployed `Charter`.
    @param clause_book_implementation A deployed `ClauseBook`.
    @param role_book_implementation A deployed `RoleBook`.
    @param fund_implementation A deployed `SolidarityFund`.
    @param circle_implementation A deployed `SavingsCircle`.
    @param treaty_implementation A deployed `Treaty`.
    @param treaty_fund_implementation A deployed `TreatyFund`.
    """
    for impl: address in [
        implementation,
        clause_book_implementation,
        role_book_implementation,
        fund_implementation,
        circle_implementation,
        treaty_implementation,
        treaty_fund_implementation,
    ]:
        assert impl.is_contract, "factory: implementation has no code"
    IMPLEMENTATION = implementation
    CLAUSE_BOOK_IMPLEMENTATION = clause_book_implementation
    ROLE_BOOK_IMPLEMENTATION = role_book_implementation
    FUND_IMPLEMENTATION = fund_implementation
    CIRCLE_IMPLEMENTATION = circle_implementation
    TREATY_IMPLEMENTATION = treaty_implementation
    TREATY_FUND_IMPLEMENTATION = treaty_fund_implementation


@external
def create_charter(
    name: String[64],
    concord: bytes32,
    founders: DynArray[address, 64],
    parameters: params.Params,
    rules: clauses.Rules,
) -> address:
    """
    @dev Founds a charter with its clause book and role book.
    @param name The charter's name.
    @param concord The founding concord's CID digest.
    @param founders The founding members.
    @param parameters The charter's parameters.
    @param rules The clause book's rules.
    @return address The new charter.
    """
    charter: address = create_minimal_proxy_to(IMPLEMENTATION)
    book: address = create_minimal_proxy_to(CLAUSE_BOOK_IMPLEMENTATION)
    role_book: address = create_minimal_proxy_to(ROLE_BOOK_IMPLEMENTATION)
    extcall IClauseBook(book).initialize(charter, rules)
    extcall IRoleBook(role_book).initialize(charter)
    extcall ICharter(charter).initialize(
        name,
        concord,
        founders,
        parameters,
        [books.Book(kind=books.CLAUSES, book=book), books.Book(kind=books.ROLES, book=role_book)],
    )
    self.is_charter[charter] = True
    self.charter_count += 1
    log CharterCreated(
        charter=charter, creator=msg.sender, clause_book=book, name=name, role_book=role_book
    )
    return charter


@external
def create_fund(
    charter: address,
    token: address,
    period_seconds: uint256,
    limits: SolidarityFund.Limits,
    steward_role: bytes32,
) -> address:
    """
    @dev Creates a solidarity fund owned by `charter`, naming the caller as
         its creator: only the charter itself (by proposal) may give it a
         steward limit; a member's fund starts with none (see the fund).
    @param charter A charter founded here.
    @param token The ERC20 token it holds, or zero for ETH.
    @param period_seconds The period of its caps and limits.
    @param limits The contribution cap, the steward's limit (zero unless the
           caller is the charter), members only.
    @param steward_role The role (in the charter's role book) of its steward.
    @return address The new fund.
    """
    self._check_charter_member(charter)
    fund: address = create_minimal_proxy_to(FUND_IMPLEMENTATION)
    extcall SolidarityFund.__interface__(fund).initialize(
        charter, msg.sender, token, period_seconds, limits, steward_role
    )
    self.is_fund[fund] = True
    log FundCreated(fund=fund, charter=charter, creator=msg.sender, token=token)
    return fund


@external
def create_circle(
    charter: address,
    token: address,
    contribution: uint256,
    round_seconds: uint256,
    participants: DynArray[address, SavingsCircle.MAX_PARTICIPANTS],
) -> address:
    """
    @dev Creates a savings circle for `charter`.
    @param charter A charter founded here.
    @param token The ERC20 token paid in, or zero for ETH.
    @param contribution What each participant pays per round.
    @param round_seconds The length of a round.
    @param participants The participants, in the order they receive.
    @return address The new circle.
    """
    self._check_charter_member(charter)
    circle: address = create_minimal_proxy_to(CIRCLE_IMPLEMENTATION)
    extcall SavingsCircle.__interface__(circle).initialize(
        charter, token, contribution, round_seconds, participants
    )
    self.is_circle[circle] = True
    log CircleCreated(circle=circle, charter=charter, creator=msg.sender, token=token)
    return circle


@external
def create_treaty(
    terms: Treaty.Terms,
    invited: DynArray[address, Treaty.MAX_PARTIES],
    fund_terms: Treaty.FundTerms,
) -> address:
    """
    @dev Creates a treaty proposed by the calling charter (by executing
         its own proposal) to `invited`, each a charter founded here, with
         its fund when the fund terms ask for one. The proposer counts as
         ratified; the treaty checks the terms and the party list.
    @param terms The terms.
    @param invited The other parties (charters founded here).
    @param fund_terms The fund's terms (`enabled` false: no fund).
    @return address The new treaty.
    """
    assert self.is_charter[msg.sender], "factory: only a charter"
    for p: address in invited:
        assert self.is_charter[p], "factory: unknown charter"
    treaty: address = create_minimal_proxy_to(TREATY_IMPLEMENTATION)
    fund: address = empty(address)
    if fund_terms.enabled:
        fund = create_minimal_proxy_to(TREATY_FUND_IMPLEMENTATION)
        extcall TreatyFund.__interface__(fund).initialize(
            treaty, fund_terms.token, fund_terms.contribution_cap, fund_terms.period_seconds
        )
        self.is_treaty_fund[fund] = True
    extcall Treaty.__interface__(treaty).initialize(msg.sender, invited, terms, fund_terms, fund)
    self.is_treaty[treaty] = True
    parties: DynArray[address, Treaty.MAX_PARTIES] = staticcall Treaty.__interface__(treaty).invited()
    log TreatyCreated(
        treaty=treaty, proposer=msg.sender, fund=fund, parties=parties, document=terms.document
    )
    return treaty


@internal
@view
def _check_charter_member(charter: address):
    """
    @dev Reverts unless `charter` was founded here and the caller is the
         charter itself or one of its members.
    @param charter The charter.
    """
    assert self.is_charter[charter], "factory: unknown charter"
    if msg.sender != charter:
        assert staticcall ICharter(charter).is_member(msg.sender), "factory: not a member"

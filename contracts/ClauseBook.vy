# pragma version ~=0.4.3
# pragma nonreentrancy on
# pragma evm-version cancun
"""
@title Clause book
@custom:contract-name ClauseBook
@license GNU Affero General Public License v3.0 only
@author Panarchy
@notice A charter's clauses: documents that are in force only until they
        expire, unless renewed; and the revision cycle that counts how much
        of the charter is rewritten each period. One book per charter,
        created with it by the `CharterFactory` in the same transaction.
        Who may call what:
        - its charter (through an executed proposal): `enact_clause`,
          `amend_clause`, `renew_clause`, `repeal_clause`, `set_rules`;
        - anyone: every view.
        The charter treats the book as its own: the stakes table sets what
        each of these functions needs, and a proposal calling the book
        records no code hash (a minimal proxy's code cannot change).
@custom:security The implementation locks itself at construction; a proxy
        is initialised once, by the factory, in its creating transaction.
"""


from interfaces import IBook
from interfaces import IClauseBook

implements: IBook
implements: IClauseBook


from modules import clauses

initializes: clauses


# ------------------------------------------------------------------
#                             STORAGE
# ------------------------------------------------------------------

# @dev Set once (see the constructor).
_initialized: bool


# @dev The charter that owns this book.
_charter: address


# ------------------------------------------------------------------
#                           CONSTRUCTOR
# ------------------------------------------------------------------

@deploy
def __init__():
    """
    @dev Locks the implementation: only proxies are ever initialised.
    """
    self._initialized = True


@external
def initialize(charter: address, rules: clauses.Rules):
    """
    @dev Binds the book to its charter and sets the first rules.
    @param charter The owning charter.
    @param rules The clause rules.
    """
    assert not self._initialized, "clauses: already initialized"
    self._initialized = True
    assert charter != empty(address), "clauses: zero charter"
    self._charter = charter
    clauses._found(rules)


# ------------------------------------------------------------------
#                 GOVERNANCE (ONLY BY THE CHARTER'S PROPOSALS)
# ------------------------------------------------------------------

@external
def enact_clause(document: bytes32, term_cycles: uint256) -> uint256:
    """
    @dev Enacts a clause for `term_cycles` revision cycles.
    @param document The clause's CID digest.
    @param term_cycles The term in revision cycles (1 to the maximum).
    @return uint256 The clause id.
    """
    self._check_charter()
    return clauses._enact(document, term_cycles)


@external
def amend_clause(clause_id: uint256, document: bytes32, term_cycles: uint256):
    """
    @dev Gives a clause in force new text and a new term. Once per clause
         per transaction (one proposal's execution): the new text must
         differ from the text the clause had before the proposal.
    @param clause_id The clause id.
    @param document The new text's CID digest.
    @param term_cycles The new term in revision cycles.
    """
    self._check_charter()
    clauses._amend(clause_id, document, term_cycles)


@external
def renew_clause(clause_id: uint256, term_cycles: uint256):
    """
    @dev Renews a clause in force unchanged, for a new term from now.
    @param clause_id The clause id.
    @param term_cycles The new term in revision cycles.
    """
    self._check_charter()
    clauses._renew(clause_id, term_cycles)


@external
def repeal_clause(clause_id: uint256):
    """
    @dev Repeals a clause in force.
    @param clause_id The clause id.
    """
    self._check_charter()
    clauses._repeal(clause_id)


@external
def set_rules(rules: clauses.Rules):
    """
    @dev Replaces the clause rules; a new revision period starts a new
         cycle now. Existing clauses keep their expiry.
    @param rules The new rules.
    """
    self._check_charter()
    clauses._set_rules(rules)


# ------------------------------------------------------------------
#                              VIEWS
# ------------------------------------------------------------------

@external
@view
def charter() -> address:
    """
    @dev Returns the charter that owns this book.
    @return address The charter.
    """
    return self._charter


@external
@view
def default_stakes() -> DynArray[IBook.Stake, 8]:
    """
    @dev Returns the stakes the charter starts this book's functions at:
         renewing unchanged is CONSENT (the clause was already agreed),
         enacting, amending and repealing MAJORITY, and changing the rules
         entrenched at SUPERMAJORITY.
    @return DynArray The book's stakes table.
    """
    return [
        IBook.Stake(selector=method_id("enact_clause(bytes32,uint256)", output_type=bytes4), level=2, entrenched=False),
        IBook.Stake(selector=method_id("amend_clause(uint256,bytes32,uint256)", output_type=bytes4), level=2, entrenched=False),
        IBook.Stake(selector=method_id("renew_clause(uint256,uint256)", output_type=bytes4), level=1, entrenched=False),
        IBook.Stake(selector=method_id("repeal_clause(uint256)", output_type=bytes4), level=2, entrenched=False),
        IBook.Stake(
            selector=method_id("set_rules((uint256,uint256,uint256,uint256))", output_type=bytes4), level=3, entrenched=True
        ),
    ]


@external
@view
def rules() -> clauses.Rules:
    """
    @dev Returns the clause rules.
    @return Rules The rules.
    """
    return clauses._get_rules()


@external
@view
def clause_count() -> uint256:
    """
    @dev Returns the number of clauses ever enacted.
    @return uint256 The count.
    """
    return clauses._clause_count


@external
@view
def clause(clause_id: uint256) -> clauses.Clause:
    """
    @dev Returns a clause and whether it is in force now.
    @param clause_id The clause id.
    @return Clause The clause.
    """
    assert clause_id != 0 and clause_id <= clauses._clause_count, "clauses: unknown clause"
    return clauses._get(clause_id)


@external
@view
def current_cycle() -> uint256:
    """
    @dev Returns the index of the revision cycle running now.
    @return uint256 The cycle.
    """
    return clauses._current_cycle()


@external
@view
def cycle_start(cycle: uint256) -> uint256:
    """
    @dev Returns when a revision cycle starts.
    @param cycle The cycle index.
    @return uint256 The time.
    """
    return clauses._cycle_start(cycle)


@external
@view
def revisions_in_cycle(cycle: uint256) -> uint256:
    """
    @dev Returns how many revisions (enact, amend, repeal) a cycle had;
         a clause counts at most once per transaction (per proposal).
    @param cycle The cycle index.
    @return uint256 The count.
    """
    return clauses._revisions[cycle]


@external
@view
def cycle_met_quota(cycle: uint256) -> bool:
    """
    @dev Returns whether a cycle's revisions reached the revision quota.
    @param cycle The cycle index.
    @return bool True when the quota was met.
    """
    return clauses._revisions[cycle] >= clauses._get_rules().revision_quota


# ------------------------------------------------------------------
#                             INTERNALS
# ------------------------------------------------------------------

@internal
@view
def _check_charter():
    """
    @dev Reverts unless called by the owning charter.
    """
    assert msg.sender == self._charter, "clauses: only by the charter"

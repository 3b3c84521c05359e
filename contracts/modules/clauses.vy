# pragma version ~=0.4.3
# pragma nonreentrancy on
"""
@title Expiring clauses and the revision cycle
@custom:contract-name clauses
@license GNU Affero General Public License v3.0 only
@author Panarchy
@notice A clause is a document (by CID digest) with a term. It is in force
        iff it is not repealed and `block.timestamp < expires_at`: expiry is a
        comparison, it costs no transaction and needs no keeper. Terms are
        whole revision cycles, at most the charter's maximum. A clause may be
        renewed unchanged a bounded number of times in a row; after that it
        must be amended or it lapses. Enacting, amending and repealing count
        as revisions of the current cycle; renewing unchanged does not.
        Nothing here loops over clauses: revisions are counted per cycle.
        A clause is revised (enacted or amended) at most once per
        transaction, so an amendment always compares its text with the text
        the clause had before the proposal that runs it (a proposal executes
        in one transaction), and a clause counts at most one revision per
        transaction toward the cycle's quota: an A->B->A amendment cannot
        reset the renewals or count twice.
        The rules (revision period, longest term, renewals in a row,
        revision quota) are validated whenever they are set and packed in
        one slot.
"""


# @dev In force while now < expires_at; cycles on a grid.
from modules import expiry


# @dev Bit offsets of the packed clause record.
_ENACTED_SHIFT: constant(uint256) = 0  # 40 bits, seconds
_EXPIRES_SHIFT: constant(uint256) = 40  # 40 bits, seconds
_VERSION_SHIFT: constant(uint256) = 80  # 32 bits
_RENEWALS_SHIFT: constant(uint256) = 112  # 8 bits, renewals in a row
_REPEALED_SHIFT: constant(uint256) = 120  # 1 bit
_MASK40: constant(uint256) = 2**40 - 1
_MASK32: constant(uint256) = 2**32 - 1
_MASK8: constant(uint256) = 2**8 - 1


# @dev Bounds of the packed rule fields.
_MAX_UINT32: constant(uint256) = 2**32 - 1
_MAX_UINT8: constant(uint256) = 2**8 - 1


# @dev The rules clauses live by.
struct Rules:
    revision_period: uint256
    max_term_cycles: uint256
    max_renewals: uint256
    revision_quota: uint256


# @dev A clause as the outside world sees it.
struct Clause:
    document: bytes32
    enacted_at: uint256
    expires_at: uint256
    version: uint256
    renewals: uint256
    repealed: bool
    in_force: bool


# @dev The rules, packed: revision period (32 bits, seconds), longest
# term (8 bits, cycles), renewals in a row (8 bits), quota (32 bits).
_rules: uint256


# @dev Each clause's document digest (clause ids start at 1).
_document: HashMap[uint256, bytes32]


# @dev Each clause's packed record (see the offsets above).
_record: HashMap[uint256, uint256]


# @dev The number of clauses ever enacted.
_clause_count: uint256


# @dev The revision cycles are counted from an origin: cycle
# `_cycle_base` starts at `_cycle_origin`. A change of the revision
# period moves the origin to the start of a fresh cycle.
_cycle_origin: uint256
_cycle_base: uint256


# @dev Revisions (enact, amend, repeal) counted per cycle.
_revisions: HashMap[uint256, uint256]


# @dev The clauses revised (enacted, amended, repealed) in the running
# transaction. Transient (EIP-1153): it is exactly one transaction, which
# is one proposal's execution, and it costs no lasting storage. Behind a
# minimal proxy it lives at the proxy's address, like the rest.
_revised_in_tx: transient(HashMap[uint256, bool])


# @dev Emitted whenever the rules are set, at founding too.
event RulesUpdated:
    old: Rules
    new: Rules


# @dev Emitted when a clause is enacted.
event ClauseEnacted:
    clause_id: indexed(uint256)
    document: bytes32
    expires_at: uint256


# @dev Emitted when a clause gets new text and a new term.
event ClauseAmended:
    clause_id: indexed(uint256)
    document: bytes32
    version: uint256
    expires_at: uint256


# @dev Emitted when a clause is renewed unchanged.
event ClauseRenewed:
    clause_id: indexed(uint256)
    expires_at: uint256
    renewals: uint256


# @dev Emitted when a clause is repealed.
event ClauseRepealed:
    clause_id: indexed(uint256)


@internal
def _found(rules: Rules):
    """
    @dev Sets the first rules and starts cycle 0 now.
    @param rules The rules.
    """
    self._cycle_origin = block.timestamp
    self._set_rules(rules)


@internal
def _set_rules(new: Rules):
    """
    @dev Validates and stores the rules. A new revision period starts a
         new cycle now, so cycle numbers only ever grow.
    @param new The rules.
    """
    assert new.revision_period != 0, "clauses: zero revision period"
    assert new.max_term_cycles != 0, "clauses: zero max term"
    assert new.revision_period <= _MAX_UINT32, "clauses: rule too large"
    assert new.max_term_cycles <= _MAX_UINT8, "clauses: rule too large"
    assert new.max_renewals <= _MAX_UINT8, "clauses: rule too large"
    assert new.revision_quota <= _MAX_UINT32, "clauses: rule too large"
    old: Rules = self._get_rules()
    if old.revision_period != 0 and new.revision_period != old.revision_period:
        self._cycle_base = self._current_cycle() + 1
        self._cycle_origin = block.timestamp
    self._rules = (
        new.revision_period
        | (new.max_term_cycles << 32)
        | (new.max_renewals << 40)
        | (new.revision_quota << 48)
    )
    log RulesUpdated(old=old, new=new)


@internal
@view
def _get_rules() -> Rules:
    """
    @dev Returns the rules.
    @return Rules The rules.
    """
    w: uint256 = self._rules
    return Rules(
        revision_period=w & _MAX_UINT32,
        max_term_cycles=(w >> 32) & _MAX_UINT8,
        max_renewals=(w >> 40) & _MAX_UINT8,
        revision_quota=(w >> 48) & _MAX_UINT32,
    )


@internal
@view
def _current_cycle() -> uint256:
    """
    @dev Returns the index of the revision cycle running now.
    @return uint256 The cycle index.
    """
    period: uint256 = self._get_rules().revision_period
    return self._cycle_base + expiry._index(self._cycle_origin, period)


@internal
@view
def _cycle_start(cycle: uint256) -> uint256:
    """
    @dev Returns when `cycle` starts under the current revision period.
    @param cycle The cycle index (not before the current origin).
    @return uint256 The start time.
    """
    assert cycle >= self._cycle_base, "clauses: cycle before current period"
    period: uint256 = self._get_rules().revision_period
    return self._cycle_origin + (cycle - self._cycle_base) * period


@internal
@view
def _get(clause_id: uint256) -> Clause:
    """
    @dev Returns a clause, with whether it is in force now.
    @param clause_id The clause id.
    @return Clause The clause.
    """
    r: uint256 = self._record[clause_id]
    expires_at: uint256 = (r >> _EXPIRES_SHIFT) & _MASK40
    repealed: bool = (r >> _REPEALED_SHIFT) & 1 == 1
    return Clause(
        document=self._document[clause_id],
        enacted_at=(r >> _ENACTED_SHIFT) & _MASK40,
        expires_at=expires_at,
        version=(r >> _VERSION_SHIFT) & _MASK32,
        renewals=(r >> _RENEWALS_SHIFT) & _MASK8,
        repealed=repealed,
        in_force=(not repealed) and expiry._in_force(expires_at),
    )


@internal
def _enact(document: bytes32, term_cycles: uint256) -> uint256:
    """
    @dev Enacts a new clause for `term_cycles` revision cycles.
    @param document The clause text's CID digest.
    @param term_cycles The term, in whole revision cycles.
    @return uint256 The new clause id.
    """
    assert document != empty(bytes32), "clauses: empty document"
    expires_at: uint256 = self._expiry(term_cycles)
    clause_id: uint256 = self._clause_count + 1
    self._clause_count = clause_id
    self._document[clause_id] = document
    self._record[clause_id] = self._pack(block.timestamp, expires_at, 1, 0, False)
    self._count_revision(clause_id)
    log ClauseEnacted(clause_id=clause_id, document=document, expires_at=expires_at)
    return clause_id


@internal
def _amend(clause_id: uint256, document: bytes32, term_cycles: uint256):
    """
    @dev Gives a clause in force new text and a new term; a revision.
         Once per clause and transaction: a second amendment (or one of a
         clause enacted in the same transaction) could return to the text
         of before the proposal and still reset the renewals, so the text
         compared with below is always the text from before the proposal.
    @param clause_id The clause id.
    @param document The new text's CID digest.
    @param term_cycles The new term, in whole revision cycles.
    """
    c: Clause = self._get_in_force(clause_id)
    assert not self._revised_in_tx[clause_id], "clauses: clause already revised in this transaction"
    assert document != empty(bytes32), "clauses: empty document"
    assert document != c.document, "clauses: document unchanged"
    expires_at: uint256 = self._expiry(term_cycles)
    version: uint256 = c.version + 1
    self._document[clause_id] = document
    self._record[clause_id] = self._pack(c.enacted_at, expires_at, version, 0, False)
    self._count_revision(clause_id)
    log ClauseAmended(
        clause_id=clause_id, document=document, version=version, expires_at=expires_at
    )


@internal
def _renew(clause_id: uint256, term_cycles: uint256):
    """
    @dev Renews a clause in force unchanged, for a new term from now.
    @param clause_id The clause id.
    @param term_cycles The new term, in whole revision cycles.
    """
    c: Clause = self._get_in_force(clause_id)
    assert c.renewals < self._get_rules().max_renewals, "clauses: renewal limit reached"
    expires_at: uint256 = self._expiry(term_cycles)
    renewals: uint256 = c.renewals + 1
    self._record[clause_id] = self._pack(c.enacted_at, expires_at, c.version, renewals, False)
    log ClauseRenewed(clause_id=clause_id, expires_at=expires_at, renewals=renewals)


@internal
def _repeal(clause_id: uint256):
    """
    @dev Repeals a clause in force; a revision, unless the clause was
         already revised in this transaction (enacted or amended and then
         repealed by one proposal counts once).
    @param clause_id The clause id.
    """
    c: Clause = self._get_in_force(clause_id)
    self._record[clause_id] = self._pack(c.enacted_at, c.expires_at, c.version, c.renewals, True)
    self._count_revision(clause_id)
    log ClauseRepealed(clause_id=clause_id)


@internal
@view
def _get_in_force(clause_id: uint256) -> Clause:
    """
    @dev Returns a clause, reverting unless it exists and is in force; an
         expired clause is never silently resurrected.
    @param clause_id The clause id.
    @return Clause The clause.
    """
    assert clause_id != 0 and clause_id <= self._clause_count, "clauses: unknown clause"
    c: Clause = self._get(clause_id)
    assert c.in_force, "clauses: clause not in force"
    return c


@internal
@view
def _expiry(term_cycles: uint256) -> uint256:
    """
    @dev Returns the expiry of a term starting now, checking its bounds.
    @param term_cycles The term, in whole revision cycles.
    @return uint256 The expiry time.
    """
    rules: Rules = self._get_rules()
    assert term_cycles != 0 and term_cycles <= rules.max_term_cycles, "clauses: term out of range"
    return block.timestamp + term_cycles * rules.revision_period


@internal
def _count_revision(clause_id: uint256):
    """
    @dev Counts one revision of `clause_id` in the current cycle, unless
         this transaction already counted one for it: a clause counts at
         most once per proposal toward the revision quota.
    @param clause_id The clause revised.
    """
    if self._revised_in_tx[clause_id]:
        return
    self._revised_in_tx[clause_id] = True
    cycle: uint256 = self._current_cycle()
    self._revisions[cycle] += 1


@internal
@pure
def _pack(
    enacted_at: uint256, expires_at: uint256, version: uint256, renewals: uint256, repealed: bool
) -> uint256:
    """
    @dev Packs a clause record. Times fit 40 bits until the year 36812;
         versions and renewals are bounded by the checks that create them.
    @return uint256 The packed record.
    """
    return (
        (enacted_at << _ENACTED_SHIFT)
        | (expires_at << _EXPIRES_SHIFT)
        | (version << _VERSION_SHIFT)
        | (renewals << _RENEWALS_SHIFT)
        | (convert(repealed, uint256) << _REPEALED_SHIFT)
    )

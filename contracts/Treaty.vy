# pragma version ~=0.4.3
# pragma nonreentrancy on
# pragma evm-version cancun
"""
@title Treaty
@custom:contract-name Treaty
@license GNU Affero General Public License v3.0 only
@author Panarchy
@notice A specific, limited agreement between charters that lapses on its
        own unless every party consciously renews it (see docs/TREATIES.md).
        Rules:
        - One charter (the proposer, by executing its own proposal) creates
          it through the `CharterFactory`, inviting other charters of that
          factory; the proposer counts as ratified. It enters into force
          when every remaining party has ratified before the ratification
          deadline; after the deadline without that, it never does.
        - In force until `expires_at` (= entry + term), lazily: nothing is
          scheduled. In the renewal window [expires_at - window, expires_at)
          each remaining party renews for the next term; when the last one
          does, `expires_at` moves one term on. One missing renewal and it
          lapses at `expires_at`; nothing resurrects it.
        - Any party may withdraw at any time, in any state; the treaty goes
          on while at least two parties remain (fewer: it has ended).
        - Amendments (a new terms document) need every remaining party.
        - Distress signals are events; draws on the treaty fund need the
          approvals of a unanimity or a majority of the remaining parties
          (the terms say which).
        Who may call what: every state-changing call is made by a party
        charter itself (`msg.sender` is the party: an executed proposal of
        its own); no member, delegate or steward of a party can bind it.
        Anyone: every view. The factory: `initialize`, once.
        It answers `IPolity` for its fund: a member is a remaining party,
        and it keeps no role book (the fund has no steward).
@custom:security Draw approvals are counted at execution by a loop over
        the parties, at most `MAX_PARTIES`; nothing else loops over them in
        a call one party pays for (the parties views do, for readers).
"""


from interfaces import IPolity
from interfaces import ITreaty

implements: IPolity
implements: ITreaty


# @dev The fund's payments, releases and forfeits, made by this treaty.
import TreatyFund


# @dev Lazy expiry comparisons.
from modules import expiry


# ------------------------------------------------------------------
#                            CONSTANTS
# ------------------------------------------------------------------

# @dev The most parties in one treaty, the proposer included (the SDK
# re-uses it). It bounds the draw-approval count, the only loop over
# parties in a state-changing call.
MAX_PARTIES: constant(uint256) = 16


# @dev Draw thresholds: every remaining party, or more than half of them.
UNANIMITY: constant(uint8) = 1
MAJORITY: constant(uint8) = 2


# @dev The treaty's states (`state()`), all computed from storage and the
# block's time.
PENDING: constant(uint8) = 1
IN_FORCE: constant(uint8) = 2
RENEWAL_OPEN: constant(uint8) = 3
LAPSED: constant(uint8) = 4
NEVER_IN_FORCE: constant(uint8) = 5
ENDED: constant(uint8) = 6


# @dev A party's standing: never invited, remaining, withdrawn.
_NOT_A_PARTY: constant(uint8) = 0
_REMAINING: constant(uint8) = 1
_WITHDRAWN: constant(uint8) = 2


# ------------------------------------------------------------------
#                             STRUCTS
# ------------------------------------------------------------------

# @dev The terms, fixed at creation (only `document` changes, by amendment).
struct Terms:
    document: bytes32
    term_seconds: uint256
    renewal_window_seconds: uint256
    ratification_deadline: uint256
    draw_threshold: uint8
    lends_mediators: bool


# @dev The treaty fund's terms (`enabled` false: no fund).
struct FundTerms:
    enabled: bool
    token: address
    contribution_cap: uint256
    period_seconds: uint256
    share_on_withdrawal: bool


# @dev A proposed draw on the fund.
struct Draw:
    recipient: address
    amount: uint256
    memo: bytes32
    proposer: address
    executed: bool


# ------------------------------------------------------------------
#                             STORAGE
# ------------------------------------------------------------------

# @dev The factory that made it; zero until initialised (the
# implementation names itself, so it can never be initialised).
_factory: address


# @dev The charter that proposed it.
_proposer: address


# @dev Every party ever invited, the proposer first (fixed at creation).
_parties: DynArray[address, MAX_PARTIES]


# @dev Each address's standing (`_NOT_A_PARTY`, `_REMAINING`, `_WITHDRAWN`).
_standing: HashMap[address, uint8]


# @dev How many parties remain.
_remaining: uint256


# @dev The terms and the fund's terms.
_terms: Terms
_fund_terms: FundTerms


# @dev The treaty fund (zero: none).
_fund: address


# @dev Who has ratified, and how many remaining parties have.
_ratified: HashMap[address, bool]
_ratified_count: uint256


# @dev When it entered into force (zero: not yet), when it expires, and
# which term runs (zero: the first).
_entered_at: uint256
_expires_at: uint256
_term_index: uint256


# @dev The term each party last renewed for (term_index + 1 when it has
# renewed for the next term), and how many remaining parties have.
_renewed_for: HashMap[address, uint256]
_renewals: uint256


# @dev The amendment: the latest version proposed (zero: none ever), its
# document, the term it was proposed in, whether it is still pending,
# which version each party ratified, and how many remaining parties have.
_amendment_version: uint256
_amendment_document: bytes32
_amendment_term: uint256
_amendment_pending: bool
_amendment_ratified: HashMap[address, uint256]
_amendment_count: uint256


# @dev How many distress signals were raised.
_distress_count: uint256


# @dev The draws (ids from 1), and who approved each.
_draw_count: uint256
_draws: HashMap[uint256, Draw]
_draw_approved: HashMap[uint256, HashMap[address, bool]]


# ------------------------------------------------------------------
#                              EVENTS
# ------------------------------------------------------------------

# @dev Emitted once, when the treaty is set up.
event TreatyInitialized:
    proposer: indexed(address)
    fund: indexed(address)
    parties: DynArray[address, MAX_PARTIES]
    terms: Terms


# @dev Emitted when a party ratifies (the proposer at creation too).
event Ratified:
    party: indexed(address)
    ratified: uint256
    remaining: uint256


# @dev Emitted when every remaining party has ratified.
event EnteredIntoForce:
    entered_at: uint256
    expires_at: uint256


# @dev Emitted when a party renews for the next term.
event Renewed:
    party: indexed(address)
    term_index: indexed(uint256)
    renewals: uint256
    remaining: uint256


# @dev Emitted when every remaining party has renewed: the term extends.
event TermExtended:
    term_index: indexed(uint256)
    expires_at: uint256


# @dev Emitted when a party withdraws (`ended`: fewer than two remain).
event Withdrawn:
    party: indexed(address)
    remaining: uint256
    ended: bool


# @dev Emitted when an amendment is proposed, ratified, and adopted.
event AmendmentProposed:
    version: indexed(uint256)
    party: indexed(address)
    document: bytes32


event AmendmentRatified:
    version: indexed(uint256)
    party: indexed(address)
    ratified: uint256
    remaining: uint256


event TermsAmended:
    version: indexed(uint256)
    old: bytes32
    new: bytes32


# @dev Emitted when a party raises a distress signal: what it needs.
event DistressRaised:
    id: indexed(uint256)
    party: indexed(address)
    document: bytes32


# @dev Emitted when a draw is proposed, approved, and executed.
event DrawProposed:
    id: indexed(uint256)
    party: indexed(address)
    recipient: address
    amount: uint256
    memo: bytes32


event DrawApproved:
    id: indexed(uint256)
    party: indexed(address)


event DrawExecuted:
    id: indexed(uint256)
    recipient: indexed(address)
    amount: uint256
    approvals: uint256


# ------------------------------------------------------------------
#                           CONSTRUCTOR
# ------------------------------------------------------------------

@deploy
def __init__():
    """
    @dev Locks the implementation: only proxies are ever initialised.
    """
    self._factory = self


@external
def initialize(
    proposer: address,
    invited: DynArray[address, MAX_PARTIES],
    terms: Terms,
    fund_terms: FundTerms,
    fund: address,
):
    """
    @dev Sets the treaty up; runs once, in the factory's creating
         transaction (the factory checked that every party is one of its
         charters). The proposer counts as ratified.
    @param proposer The proposing charter.
    @param invited The other parties.
    @param terms The terms.
    @param fund_terms The fund's terms.
    @param fund The treaty fund (zero when `fund_terms.enabled` is false).
    """
    assert self._factory == empty(address), "treaty: already initialized"
    assert len(invited) != 0, "treaty: too few parties"
    assert len(invited) < MAX_PARTIES, "treaty: too many parties"
    assert terms.document != empty(bytes32), "treaty: empty document"
    assert terms.term_seconds != 0, "treaty: zero term"
    assert terms.renewal_window_seconds != 0, "treaty: zero renewal window"
    assert terms.renewal_window_seconds < terms.term_seconds, "treaty: renewal window too long"
    assert terms.ratification_deadline > block.timestamp, "treaty: deadline passed"
    assert terms.draw_threshold == UNANIMITY or terms.draw_threshold == MAJORITY, "treaty: unknown threshold"
    assert fund_terms.enabled == (fund != empty(address)), "treaty: fund mismatch"
    self._factory = msg.sender
    self._proposer = proposer
    parties: DynArray[address, MAX_PARTIES] = [proposer]
    self._standing[proposer] = _REMAINING
    for p: address in invited:
        assert p != empty(address), "treaty: zero address"
        assert self._standing[p] == _NOT_A_PARTY, "treaty: duplicate party"
        self._standing[p] = _REMAINING
        parties.append(p)
    self._parties = parties
    self._remaining = len(parties)
    self._terms = terms
    self._fund_terms = fund_terms
    self._fund = fund
    log TreatyInitialized(proposer=proposer, fund=fund, parties=parties, terms=terms)
    self._ratified[proposer] = True
    self._ratified_count = 1
    log Ratified(party=proposer, ratified=1, remaining=len(parties))


# ------------------------------------------------------------------
#                        RATIFY, RENEW, WITHDRAW
# ------------------------------------------------------------------

@external
def ratify():
    """
    @dev Ratifies the treaty for the calling party; the last remaining
         party to ratify (before the deadline) puts it into force.
    """
    self._check_party(msg.sender)
    assert self._remaining >= 2, "treaty: ended"
    assert not self._ratified[msg.sender], "treaty: already ratified"
    assert block.timestamp < self._terms.ratification_deadline, "treaty: ratification closed"
    self._ratified[msg.sender] = True
    count: uint256 = self._ratified_count + 1
    self._ratified_count = count
    log Ratified(party=msg.sender, ratified=count, remaining=self._remaining)
    self._settle()


@external
def renew():
    """
    @dev Renews the treaty for the next term, for the calling party, in
         the renewal window; the last remaining party to renew extends it.
    """
    self._check_party(msg.sender)
    self._check_in_force()
    assert block.timestamp >= self._window_opens(), "treaty: renewal window not open"
    next_term: uint256 = self._term_index + 1
    assert self._renewed_for[msg.sender] != next_term, "treaty: already renewed"
    self._renewed_for[msg.sender] = next_term
    count: uint256 = self._renewals + 1
    self._renewals = count
    log Renewed(party=msg.sender, term_index=next_term, renewals=count, remaining=self._remaining)
    self._settle()


@external
def withdraw():
    """
    @dev Withdraws the calling party, in any state: nothing a party can
         be in makes it revert. The counters it took part in drop by one
         (O(1)); if every party left has now ratified, renewed or ratified
         the amendment, that takes effect. While the treaty is live the
         fund releases the leaver's share, or forfeits it to the others,
         as the fund's terms say (a fund that fails to release leaves the
         share claimable at the end; the withdrawal still happens).
    """
    self._check_party(msg.sender)
    was_ended: bool = self._has_ended()
    self._standing[msg.sender] = _WITHDRAWN
    self._remaining -= 1
    if self._ratified[msg.sender] and self._entered_at == 0:
        self._ratified_count -= 1
    if self._renewed_for[msg.sender] == self._term_index + 1:
        self._renewals -= 1
    if self._amendment_pending and self._amendment_ratified[msg.sender] == self._amendment_version:
        self._amendment_count -= 1
    ended: bool = self._remaining < 2
    log Withdrawn(party=msg.sender, remaining=self._remaining, ended=ended)
    if not was_ended:
        fund: address = self._fund
        if fund != empty(address):
            if self._fund_terms.share_on_withdrawal:
                # A failing fund must not block the exit: the share then
                # stays claimable by refund when the treaty ends.
                released: bool = raw_call(
                    fund,
                    abi_encode(msg.sender, method_id=method_id("release(address)")),
                    revert_on_failure=False,
                )
            else:
                extcall TreatyFund.__interface__(fund).forfeit(msg.sender)
        if not ended:
            self._settle()


# ------------------------------------------------------------------
#                             AMENDMENT
# ------------------------------------------------------------------

@external
def propose_amendment(document: bytes32) -> uint256:
    """
    @dev Proposes new terms (a document) while in force, counting the
         proposer's ratification. One amendment is pending at a time; a
         pending amendment is void once the term it was proposed in ends.
    @param document The new terms document's CID digest.
    @return uint256 The amendment's version.
    """
    self._check_party(msg.sender)
    self._check_in_force()
    assert document != empty(bytes32), "treaty: empty document"
    assert not self._amendment_live(), "treaty: amendment pending"
    version: uint256 = self._amendment_version + 1
    self._amendment_version = version
    self._amendment_document = document
    self._amendment_term = self._term_index
    self._amendment_pending = True
    self._amendment_ratified[msg.sender] = version
    self._amendment_count = 1
    log AmendmentProposed(version=version, party=msg.sender, document=document)
    log AmendmentRatified(version=version, party=msg.sender, ratified=1, remaining=self._remaining)
    return version


@external
def ratify_amendment(version: uint256):
    """
    @dev Ratifies the pending amendment `version`; the last remaining
         party to do so makes its document the terms.
    @param version The amendment's version.
    """
    self._check_party(msg.sender)
    self._check_in_force()
    assert version == self._amendment_version and self._amendment_live(), "treaty: no such amendment"
    assert self._amendment_ratified[msg.sender] != version, "treaty: amendment already ratified"
    self._amendment_ratified[msg.sender] = version
    count: uint256 = self._amendment_count + 1
    self._amendment_count = count
    log AmendmentRatified(version=version, party=msg.sender, ratified=count, remaining=self._remaining)
    self._settle()


# ------------------------------------------------------------------
#                          DISTRESS AND DRAWS
# ------------------------------------------------------------------

@external
def raise_distress(document: bytes32) -> uint256:
    """
    @dev Raises a distress signal: an event with a document saying what
         the party needs.
    @param document The document's CID digest.
    @return uint256 The signal's id (from 1).
    """
    self._check_party(msg.sender)
    self._check_in_force()
    assert document != empty(bytes32), "treaty: empty document"
    id: uint256 = self._distress_count + 1
    self._distress_count = id
    log DistressRaised(id=id, party=msg.sender, document=document)
    return id


@external
def propose_draw(recipient: address, amount: uint256, memo: bytes32) -> uint256:
    """
    @dev Proposes a payment from the treaty fund, approved by the
         proposing party; it executes when the approvals meet the threshold.
    @param recipient Who is paid.
    @param amount The amount.
    @param memo The memo document's CID digest (required).
    @return uint256 The draw's id (from 1).
    """
    self._check_party(msg.sender)
    self._check_in_force()
    assert self._fund != empty(address), "treaty: no fund"
    assert recipient != empty(address), "treaty: zero address"
    assert amount != 0, "treaty: zero amount"
    assert memo != empty(bytes32), "treaty: memo required"
    id: uint256 = self._draw_count + 1
    self._draw_count = id
    self._draws[id] = Draw(recipient=recipient, amount=amount, memo=memo, proposer=msg.sender, executed=False)
    log DrawProposed(id=id, party=msg.sender, recipient=recipient, amount=amount, memo=memo)
    self._approve(id, msg.sender)
    return id


@external
def approve_draw(id: uint256):
    """
    @dev Approves a draw for the calling party, executing it if the
         approvals of remaining parties now meet the threshold.
    @param id The draw.
    """
    self._check_party(msg.sender)
    self._check_in_force()
    self._check_open_draw(id)
    assert not self._draw_approved[id][msg.sender], "treaty: already approved"
    self._approve(id, msg.sender)


@external
def execute_draw(id: uint256):
    """
    @dev Executes a draw whose approvals meet the threshold now (after a
         withdrawal changed the count, or once the fund holds enough).
    @param id The draw.
    """
    self._check_party(msg.sender)
    self._check_in_force()
    self._check_open_draw(id)
    assert self._try_execute(id), "treaty: draw not approved"


# ------------------------------------------------------------------
#                              VIEWS
# ------------------------------------------------------------------

@external
@view
def state() -> uint8:
    """
    @dev Returns the state now (`PENDING` ... `ENDED`).
    @return uint8 The state.
    """
    return self._state()


@external
@view
def in_force() -> bool:
    """
    @dev Returns whether the treaty is in force now (renewal window included).
    @return bool Whether it is.
    """
    s: uint8 = self._state()
    return s == IN_FORCE or s == RENEWAL_OPEN


@external
@view
def has_ended() -> bool:
    """
    @dev Returns whether the treaty has ended for good: lapsed, never in
         force, or fewer than two parties remain.
    @return bool Whether it has.
    """
    return self._has_ended()


@external
@view
def is_member(account: address) -> bool:
    """
    @dev `IPolity`: whether `account` is a remaining party.
    @param account The account.
    @return bool Whether it is.
    """
    return self._standing[account] == _REMAINING


@external
@view
def book(kind: uint8) -> address:
    """
    @dev `IPolity`: a treaty keeps no books (its fund has no steward).
    @param kind The book's kind.
    @return address Always zero.
    """
    return empty(address)


@external
@view
def is_party(account: address) -> bool:
    """
    @dev Returns whether `account` is a remaining party.
    @param account The account.
    @return bool Whether it is.
    """
    return self._standing[account] == _REMAINING


@external
@view
def has_withdrawn(account: address) -> bool:
    """
    @dev Returns whether `account` was a party and withdrew.
    @param account The account.
    @return bool Whether it did.
    """
    return self._standing[account] == _WITHDRAWN


@external
@view
def parties() -> DynArray[address, MAX_PARTIES]:
    """
    @dev Returns the remaining parties, in the order they were invited
         (a court draws mediators from each one's mediator-role holders).
    @return DynArray The parties.
    """
    out: DynArray[address, MAX_PARTIES] = []
    for p: address in self._parties:
        if self._standing[p] == _REMAINING:
            out.append(p)
    return out


@external
@view
def invited() -> DynArray[address, MAX_PARTIES]:
    """
    @dev Returns every party ever invited, the proposer first.
    @return DynArray The parties.
    """
    return self._parties


@external
@view
def remaining() -> uint256:
    """
    @dev Returns how many parties remain.
    @return uint256 The count.
    """
    return self._remaining


@external
@view
def proposer() -> address:
    """
    @dev Returns the proposing charter.
    @return address The proposer.
    """
    return self._proposer


@external
@view
def factory() -> address:
    """
    @dev Returns the factory that made it.
    @return address The factory.
    """
    return self._factory


@external
@view
def terms() -> Terms:
    """
    @dev Returns the terms in force (the document as last amended).
    @return Terms The terms.
    """
    return self._terms


@external
@view
def fund_terms() -> FundTerms:
    """
    @dev Returns the fund's terms.
    @return FundTerms The terms.
    """
    return self._fund_terms


@external
@view
def fund() -> address:
    """
    @dev Returns the treaty fund (zero: none).
    @return address The fund.
    """
    return self._fund


@external
@view
def lends_mediators() -> bool:
    """
    @dev Returns whether the parties lend mediators to each other's courts.
    @return bool Whether they do.
    """
    return self._terms.lends_mediators


@external
@view
def has_ratified(account: address) -> bool:
    """
    @dev Returns whether `account` ratified the treaty.
    @param account The party.
    @return bool Whether it did.
    """
    return self._ratified[account]


@external
@view
def ratified_count() -> uint256:
    """
    @dev Returns how many remaining parties ratified (before entry).
    @return uint256 The count.
    """
    if self._entered_at != 0:
        return self._remaining
    return self._ratified_count


@external
@view
def entered_at() -> uint256:
    """
    @dev Returns when it entered into force (zero: not yet).
    @return uint256 The time.
    """
    return self._entered_at


@external
@view
def expires_at() -> uint256:
    """
    @dev Returns when the running term ends (zero before entry).
    @return uint256 The time.
    """
    return self._expires_at


@external
@view
def renewal_opens_at() -> uint256:
    """
    @dev Returns when the running term's renewal window opens (zero before entry).
    @return uint256 The time.
    """
    if self._entered_at == 0:
        return 0
    return self._window_opens()


@external
@view
def term_index() -> uint256:
    """
    @dev Returns which term runs (zero: the first).
    @return uint256 The index.
    """
    return self._term_index


@external
@view
def has_renewed(account: address) -> bool:
    """
    @dev Returns whether `account` renewed for the next term.
    @param account The party.
    @return bool Whether it did.
    """
    return self._renewed_for[account] == self._term_index + 1


@external
@view
def renewals() -> uint256:
    """
    @dev Returns how many remaining parties renewed for the next term.
    @return uint256 The count.
    """
    return self._renewals


@external
@view
def amendment() -> (uint256, bytes32, bool, uint256):
    """
    @dev Returns the latest amendment: its version, document, whether it
         is pending now, and how many remaining parties ratified it.
    @return uint256 The version (zero: none ever).
    @return bytes32 The document.
    @return bool Whether it is pending.
    @return uint256 The ratifications.
    """
    live: bool = self._amendment_live()
    count: uint256 = 0
    if live:
        count = self._amendment_count
    return self._amendment_version, self._amendment_document, live, count


@external
@view
def has_ratified_amendment(account: address, version: uint256) -> bool:
    """
    @dev Returns whether `account` ratified amendment `version`.
    @param account The party.
    @param version The version.
    @return bool Whether it did.
    """
    return version != 0 and self._amendment_ratified[account] == version


@external
@view
def distress_count() -> uint256:
    """
    @dev Returns how many distress signals were raised.
    @return uint256 The count.
    """
    return self._distress_count


@external
@view
def draw(id: uint256) -> Draw:
    """
    @dev Returns a draw.
    @param id The draw.
    @return Draw The draw.
    """
    return self._draws[id]


@external
@view
def draw_count() -> uint256:
    """
    @dev Returns how many draws were proposed.
    @return uint256 The count.
    """
    return self._draw_count


@external
@view
def draw_approvals(id: uint256) -> uint256:
    """
    @dev Returns how many remaining parties approved a draw.
    @param id The draw.
    @return uint256 The count.
    """
    return self._count_approvals(id)


@external
@view
def has_approved(id: uint256, account: address) -> bool:
    """
    @dev Returns whether `account` approved a draw.
    @param id The draw.
    @param account The party.
    @return bool Whether it did.
    """
    return self._draw_approved[id][account]


# ------------------------------------------------------------------
#                             INTERNALS
# ------------------------------------------------------------------

@internal
@view
def _check_party(account: address):
    """
    @dev Reverts unless `account` (the caller) is a remaining party.
    @param account The caller.
    """
    assert self._standing[account] == _REMAINING, "treaty: not a party"


@internal
@view
def _check_in_force():
    """
    @dev Reverts unless the treaty is in force now.
    """
    s: uint8 = self._state()
    assert s == IN_FORCE or s == RENEWAL_OPEN, "treaty: not in force"


@internal
@view
def _check_open_draw(id: uint256):
    """
    @dev Reverts unless `id` is a draw not yet executed.
    @param id The draw.
    """
    assert id != 0 and id <= self._draw_count, "treaty: unknown draw"
    assert not self._draws[id].executed, "treaty: draw executed"


@internal
@view
def _state() -> uint8:
    """
    @dev The state now: ended (fewer than two parties) first, then by time.
    @return uint8 The state.
    """
    if self._remaining < 2:
        return ENDED
    if self._entered_at == 0:
        if block.timestamp < self._terms.ratification_deadline:
            return PENDING
        return NEVER_IN_FORCE
    if not expiry._in_force(self._expires_at):
        return LAPSED
    if block.timestamp >= self._window_opens():
        return RENEWAL_OPEN
    return IN_FORCE


@internal
@view
def _has_ended() -> bool:
    """
    @dev Whether the treaty has ended for good.
    @return bool Whether it has.
    """
    s: uint8 = self._state()
    return s == LAPSED or s == NEVER_IN_FORCE or s == ENDED


@internal
@view
def _window_opens() -> uint256:
    """
    @dev When the running term's renewal window opens.
    @return uint256 The time.
    """
    return self._expires_at - self._terms.renewal_window_seconds


@internal
@view
def _amendment_live() -> bool:
    """
    @dev Whether an amendment is pending: not adopted, and proposed in the
         running term (one left over from an earlier term is void).
    @return bool Whether it is.
    """
    return self._amendment_pending and self._amendment_term == self._term_index


@internal
def _settle():
    """
    @dev Applies whatever every remaining party has now agreed to: entry
         into force (before the deadline), the extension (in the renewal
         window), the pending amendment. Called after each count changes.
    """
    remaining: uint256 = self._remaining
    if remaining < 2:
        return
    s: uint8 = self._state()
    if s == PENDING:
        if self._ratified_count == remaining:
            self._entered_at = block.timestamp
            self._expires_at = block.timestamp + self._terms.term_seconds
            log EnteredIntoForce(entered_at=block.timestamp, expires_at=self._expires_at)
        return
    if s != IN_FORCE and s != RENEWAL_OPEN:
        return
    if s == RENEWAL_OPEN and self._renewals == remaining:
        index: uint256 = self._term_index + 1
        self._term_index = index
        self._renewals = 0
        expires_at: uint256 = self._expires_at + self._terms.term_seconds
        self._expires_at = expires_at
        log TermExtended(term_index=index, expires_at=expires_at)
    if self._amendment_live() and self._amendment_count == remaining:
        old: bytes32 = self._terms.document
        self._terms.document = self._amendment_document
        self._amendment_pending = False
        log TermsAmended(version=self._amendment_version, old=old, new=self._amendment_document)


@internal
def _approve(id: uint256, party: address):
    """
    @dev Records a party's approval of a draw and executes it if it now
         meets the threshold.
    @param id The draw.
    @param party The approving party.
    """
    self._draw_approved[id][party] = True
    log DrawApproved(id=id, party=party)
    self._try_execute(id)


@internal
def _try_execute(id: uint256) -> bool:
    """
    @dev Executes a draw if the approvals of remaining parties meet the
         threshold, paying from the fund (which reverts if it cannot).
    @param id The draw.
    @return bool Whether it executed.
    """
    approvals: uint256 = self._count_approvals(id)
    remaining: uint256 = self._remaining
    met: bool = False
    if self._terms.draw_threshold == UNANIMITY:
        met = approvals == remaining
    else:
        met = approvals * 2 > remaining
    if not met:
        return False
    d: Draw = self._draws[id]
    self._draws[id].executed = True
    log DrawExecuted(id=id, recipient=d.recipient, amount=d.amount, approvals=approvals)
    extcall TreatyFund.__interface__(self._fund).pay(d.recipient, d.amount, d.memo)
    return True


@internal
@view
def _count_approvals(id: uint256) -> uint256:
    """
    @dev Counts the approvals of a draw among the remaining parties (a
         withdrawn party's approval no longer counts): a loop over at most
         `MAX_PARTIES` parties.
    @param id The draw.
    @return uint256 The count.
    """
    count: uint256 = 0
    for p: address in self._parties:
        if self._standing[p] == _REMAINING and self._draw_approved[id][p]:
            count += 1
    return count

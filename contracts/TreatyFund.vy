# pragma version ~=0.4.3
# pragma nonreentrancy on
# pragma evm-version cancun
"""
@title Treaty fund
@custom:contract-name TreatyFund
@license GNU Affero General Public License v3.0 only
@author Panarchy
@notice A treaty's solidarity fund, in ETH or one ERC20 token, on the same
        reconciling ledger as a charter's fund (see the `ledger` module):
            balance == contributed - disbursed + owed + unaccounted
        at every block, every movement an event.
        Rules:
        - Only a remaining party (the charter itself) contributes, capped
          per party per period, until the treaty has ended; each party's
          lifetime contributions are its claim on what is left.
        - Only the treaty pays out of it (a draw its parties approved); it
          has no steward.
        - A party that withdraws while the treaty is live takes its
          pro-rata share then (`release`) or leaves it to the others
          (`forfeit`), as the treaty's fund terms say; the last open claim
          is never forfeited, so nothing is ever trapped.
        - Once the treaty has ended (read lazily from the treaty), anyone
          may `refund` a party: its share of what is left, pro rata to its
          claim, floor rounding, the last claimant taking the remainder
          (the `pro_rata` module), each party once, no loop over parties.
          Money that arrived outside the ledger is booked into the pool
          when the first refund fixes it. Once every contributor has been
          refunded the fund holds nothing but payments recipients refused
          and may still `claim`.
        Who may call what: a remaining party: `contribute`; the treaty:
        `pay`, `release`, `forfeit`; anyone: `refund`, `claim` (what one is
        owed), `claim_for` (delivering what another is owed), every view.
        The factory: `initialize`, once.
@custom:security Periods are fixed windows from creation. Shares are
        computed in 512-bit precision for releases (an exit never reverts
        on an overflow); refunds use `pro_rata` (amounts below 2**128).
        If nobody ever contributed, money forced in stays unaccounted.
"""


from modules import ledger
from modules import pro_rata
from modules import expiry
from snekmate.utils import math

initializes: ledger
initializes: pro_rata

# @dev The ledger's views: token, totals, what is owed, held, unaccounted, short.
exports: ledger.__interface__


# @dev What the fund asks its treaty.
from interfaces import ITreaty


# ------------------------------------------------------------------
#                            CONSTANTS
# ------------------------------------------------------------------

# @dev A per-period amount is packed with its period index: the amount
# in the low 192 bits, the period above.
_AMOUNT_BITS: constant(uint256) = 192
_AMOUNT_MASK: constant(uint256) = 2**192 - 1


# @dev The largest contribution cap (it is packed in 192 bits).
MAX_CAP: constant(uint256) = _AMOUNT_MASK


# ------------------------------------------------------------------
#                             STORAGE
# ------------------------------------------------------------------

# @dev The treaty that owns it; zero until initialised (the
# implementation owns itself, so it can never be initialised).
_owner: address


# @dev The cap per party per period, the period's length, and when
# period zero started.
_cap: uint256
_period_seconds: uint256
_origin: uint256


# @dev What each party gave in its latest period (packed, see above).
_given: HashMap[address, uint256]


# @dev What each party gave in all, and whether its claim is settled
# (released, forfeited or refunded).
_lifetime: HashMap[address, uint256]
_settled: HashMap[address, bool]


# @dev The sum of the open claims, and how many parties hold one.
_claims_total: uint256
_creditors: uint256


# @dev Whether the refund terms are fixed (by the first refund).
_refunds_open: bool


# ------------------------------------------------------------------
#                              EVENTS
# ------------------------------------------------------------------

# @dev Emitted once, when the fund is set up.
event TreatyFundInitialized:
    owner: indexed(address)
    token: address
    contribution_cap: uint256
    period_seconds: uint256


# @dev Emitted when a withdrawing party's claim is settled: `amount` paid
# (zero when it forfeited its claim of `claim`).
event ShareReleased:
    party: indexed(address)
    claim: uint256
    amount: uint256


event ShareForfeited:
    party: indexed(address)
    claim: uint256


# @dev Emitted when the refund terms are fixed.
event RefundsOpened:
    pool: uint256
    claims_total: uint256
    creditors: uint256


# @dev Emitted for each refund.
event Refunded:
    party: indexed(address)
    claim: uint256
    amount: uint256


# ------------------------------------------------------------------
#                           CONSTRUCTOR
# ------------------------------------------------------------------

@deploy
def __init__():
    """
    @dev Locks the implementation: only proxies are ever initialised.
    """
    self._owner = self


@external
def initialize(owner: address, token: address, contribution_cap: uint256, period_seconds: uint256):
    """
    @dev Sets the fund up; runs once, in the factory's creating transaction.
    @param owner The treaty.
    @param token The ERC20 token held, or zero for ETH.
    @param contribution_cap The cap per party per period.
    @param period_seconds The length of a period.
    """
    assert self._owner == empty(address), "treatyfund: already initialized"
    assert owner != empty(address), "treatyfund: zero owner"
    assert period_seconds != 0, "treatyfund: zero period"
    assert contribution_cap != 0, "treatyfund: zero contribution cap"
    assert contribution_cap <= MAX_CAP, "treatyfund: cap too large"
    ledger._set_asset(token)
    self._owner = owner
    self._cap = contribution_cap
    self._period_seconds = period_seconds
    self._origin = block.timestamp
    log TreatyFundInitialized(
        owner=owner, token=token, contribution_cap=contribution_cap, period_seconds=period_seconds
    )


# ------------------------------------------------------------------
#                          MONEY IN AND OUT
# ------------------------------------------------------------------

@external
@payable
def contribute(amount: uint256, memo: bytes32):
    """
    @dev Contributes `amount` from a remaining party (sent as ETH, or drawn
         by `transferFrom` after an approval), within its cap this period,
         until the treaty has ended; what arrives is recorded.
    @param amount The amount.
    @param memo A memo document's CID digest (may be empty).
    """
    treaty: ITreaty = ITreaty(self._owner)
    assert staticcall treaty.is_member(msg.sender), "treatyfund: not a party"
    assert not staticcall treaty.has_ended(), "treatyfund: treaty ended"
    arrived: uint256 = ledger._receive(msg.sender, amount)
    given: uint256 = self._in_period(self._given[msg.sender]) + arrived
    assert given <= self._cap, "treatyfund: over the contribution cap"
    self._given[msg.sender] = self._stamp(given)
    if self._lifetime[msg.sender] == 0:
        self._creditors += 1
    self._lifetime[msg.sender] += arrived
    self._claims_total += arrived
    ledger._record_contribution(msg.sender, arrived, memo)


@external
def pay(recipient: address, amount: uint256, memo: bytes32):
    """
    @dev Pays a draw the treaty's parties approved.
    @param recipient Who is paid.
    @param amount The amount.
    @param memo The memo document's CID digest.
    """
    self._check_owner()
    assert recipient != empty(address) and recipient != self, "treatyfund: invalid recipient"
    assert amount <= ledger._available(), "treatyfund: insufficient funds"
    ledger._pay(recipient, amount, memo, msg.sender)


@external
def release(party: address):
    """
    @dev Pays a withdrawing party its pro-rata share of what the fund may
         pay now (its claim over all open claims, rounded down) and closes
         its claim. Called by the treaty at the withdrawal, before it ends.
    @param party The withdrawing party.
    """
    self._check_owner()
    claim: uint256 = self._close(party)
    if claim == 0:
        return
    amount: uint256 = math._mul_div(ledger._available(), claim, self._claims_total + claim, False)
    log ShareReleased(party=party, claim=claim, amount=amount)
    if amount != 0:
        ledger._pay(party, amount, empty(bytes32), msg.sender)


@external
def forfeit(party: address):
    """
    @dev Closes a withdrawing party's claim without paying it: its share
         stays for the others. Called by the treaty at the withdrawal. The
         last open claim is never forfeited (nobody would be left to take
         it back): the leaver then keeps it, refunded when the treaty ends.
    @param party The withdrawing party.
    """
    self._check_owner()
    if self._creditors == 1:
        return
    claim: uint256 = self._close(party)
    if claim != 0:
        log ShareForfeited(party=party, claim=claim)


@external
def refund(party: address):
    """
    @dev Once the treaty has ended, pays `party` its pro-rata share of
         what is left (the first refund fixes the terms); anyone may call.
    @param party The contributor.
    """
    assert staticcall ITreaty(self._owner).has_ended(), "treatyfund: treaty not ended"
    claim: uint256 = self._lifetime[party]
    assert claim != 0 and not self._settled[party], "treatyfund: nothing to refund"
    if not self._refunds_open:
        self._refunds_open = True
        ledger._absorb_unaccounted(empty(bytes32))
        pool: uint256 = ledger._available()
        pro_rata._open(pool, self._claims_total, self._creditors)
        log RefundsOpened(pool=pool, claims_total=self._claims_total, creditors=self._creditors)
    self._settled[party] = True
    amount: uint256 = pro_rata._take(party, claim)
    log Refunded(party=party, claim=claim, amount=amount)
    if amount != 0:
        ledger._pay(party, amount, empty(bytes32), msg.sender)


@external
def claim():
    """
    @dev Pays the caller what it is owed from a payment it refused earlier.
    """
    ledger._claim(msg.sender)


@external
def claim_for(account: address):
    """
    @dev Pays `account` what it is owed, on anyone's call: a party charter
         refuses ETH while it executes its own proposal (its re-entrancy
         lock), so what it is paid then (a share at withdrawal, a draw)
         waits to be delivered by a plain transaction.
    @param account The recipient.
    """
    ledger._claim(account)


# ------------------------------------------------------------------
#                              VIEWS
# ------------------------------------------------------------------

@external
@view
def owner() -> address:
    """
    @dev Returns the treaty.
    @return address The owner.
    """
    return self._owner


@external
@view
def contribution_cap() -> uint256:
    """
    @dev Returns the cap per party per period.
    @return uint256 The cap.
    """
    return self._cap


@external
@view
def period_seconds() -> uint256:
    """
    @dev Returns the length of a period.
    @return uint256 Seconds.
    """
    return self._period_seconds


@external
@view
def current_period() -> uint256:
    """
    @dev Returns the index of the period running now (zero at creation).
    @return uint256 The period.
    """
    return self._period_now()


@external
@view
def given_this_period(account: address) -> uint256:
    """
    @dev Returns what `account` contributed in the current period.
    @param account The party.
    @return uint256 The amount (counted against the cap).
    """
    return self._in_period(self._given[account])


@external
@view
def contributed_by(account: address) -> uint256:
    """
    @dev Returns what `account` contributed in all (its claim).
    @param account The party.
    @return uint256 The amount.
    """
    return self._lifetime[account]


@external
@view
def is_settled(account: address) -> bool:
    """
    @dev Returns whether `account`'s claim is settled (released, forfeited
         or refunded).
    @param account The party.
    @return bool Whether it is.
    """
    return self._settled[account]


@external
@view
def claims_total() -> uint256:
    """
    @dev Returns the sum of the open claims.
    @return uint256 The total.
    """
    return self._claims_total


@external
@view
def creditors() -> uint256:
    """
    @dev Returns how many parties hold an open claim.
    @return uint256 The count.
    """
    return self._creditors


@external
@view
def refunds_open() -> bool:
    """
    @dev Returns whether the refund terms are fixed.
    @return bool Whether they are.
    """
    return self._refunds_open


@external
@view
def refund_due(account: address) -> uint256:
    """
    @dev Returns what `account` would be refunded now if the treaty has
         ended (before the last claimant's rounding remainder).
    @param account The party.
    @return uint256 The amount.
    """
    if self._settled[account]:
        return 0
    if self._refunds_open:
        return pro_rata._due(account, self._lifetime[account])
    return pro_rata._share(
        self._lifetime[account], ledger._available() + ledger._unaccounted(), self._claims_total
    )


@external
@view
def available() -> uint256:
    """
    @dev Returns what may be paid out now.
    @return uint256 The amount.
    """
    return ledger._available()


# ------------------------------------------------------------------
#                             INTERNALS
# ------------------------------------------------------------------

@internal
@view
def _check_owner():
    """
    @dev Reverts unless called by the treaty.
    """
    assert msg.sender == self._owner, "treatyfund: only by the treaty"


@internal
def _close(party: address) -> uint256:
    """
    @dev Closes a party's open claim (if any, and before refunds open) and
         returns it.
    @param party The party.
    @return uint256 The claim (zero: none open).
    """
    claim: uint256 = self._lifetime[party]
    if claim == 0 or self._settled[party] or self._refunds_open:
        return 0
    self._settled[party] = True
    self._claims_total -= claim
    self._creditors -= 1
    return claim


@internal
@view
def _period_now() -> uint256:
    """
    @dev The index of the period running now.
    @return uint256 The period.
    """
    return expiry._index(self._origin, self._period_seconds)


@internal
@view
def _in_period(packed: uint256) -> uint256:
    """
    @dev The amount of a packed per-period record, if it is this period's.
    @param packed The record.
    @return uint256 The amount (zero for an older period).
    """
    if packed >> _AMOUNT_BITS != self._period_now():
        return 0
    return packed & _AMOUNT_MASK


@internal
@view
def _stamp(amount: uint256) -> uint256:
    """
    @dev Packs an amount (within the cap, so < 2**192) with this period.
    @param amount The amount.
    @return uint256 The record.
    """
    return (self._period_now() << _AMOUNT_BITS) | amount

# pragma version ~=0.4.3
# pragma nonreentrancy on
# pragma evm-version cancun
"""
@title Solidarity fund
@custom:contract-name SolidarityFund
@license GNU Affero General Public License v3.0 only
@author Panarchy
@notice A charter's transparent fund, in ETH or one ERC20 token. Every
        contribution and every disbursement is an event with a memo document
        and the running totals, and at every block
            balance == contributed - disbursed + owed + unaccounted
        (see the `ledger` module). Contributions are capped per contributor
        per period; the charter's current steward (a role in its role book)
        may disburse up to a limit per period, to anyone but themselves;
        anything more is the charter's decision, by proposal.
        Who may call what:
        - anyone (or only members, when the fund says so): `contribute`;
        - the charter itself (its owner) too, without a cap: `contribute`;
        - the steward now: `disburse`, `absorb_unaccounted`;
        - the owner, through an executed proposal: `disburse_by_owner`,
          `set_limits`, `absorb_unaccounted`;
        - a recipient who refused a payment: `claim`;
        - anyone: every view.
        Plain ETH transfers are refused (money comes in through `contribute`,
        so it is always on the ledger); forced ETH shows as unaccounted.
        Created as a minimal proxy by the `CharterFactory`, which
        initialises it in the creating transaction, naming who asked for it
        (the creator). Spending power comes only from the owner: a fund a
        member creates starts with a steward limit of zero (any other value
        reverts), so only the owner's proposals can pay out of it until the
        owner sets a limit with `set_limits`; a fund the owner itself
        creates, by proposal, may start with one. Who last set the limits,
        and when, is public (`limits_set_by`, `limits_set_at`, the
        `LimitsUpdated` event), so a contributor can see the terms and
        where they came from before giving.
@custom:security Periods are fixed windows counted from creation, so a
        steward may spend one period's limit at its end and the next
        period's at the start of the next; the limit holds per period.
        Contributors who are not members can split their giving across
        addresses; a members-only fund caps each member.
"""


from modules import ledger
from modules import expiry

initializes: ledger

# @dev The ledger's views: token, totals, what is owed, held, unaccounted, short.
exports: ledger.__interface__


# @dev What the fund asks its owner.
from interfaces import IPolity


# @dev What the fund asks the owner's role book.
from interfaces import IRoleBook


# @dev Only the book kinds (constants) are used here.
from modules import books


# ------------------------------------------------------------------
#                            CONSTANTS
# ------------------------------------------------------------------

# @dev A per-period amount is packed with its period index: the amount
# in the low 192 bits, the period above.
_AMOUNT_BITS: constant(uint256) = 192
_AMOUNT_MASK: constant(uint256) = 2**192 - 1


# @dev The largest contribution cap or steward limit (they are packed in
# 192 bits).
MAX_LIMIT: constant(uint256) = _AMOUNT_MASK


# ------------------------------------------------------------------
#                             STRUCTS
# ------------------------------------------------------------------

# @dev The limits the owner may change.
struct Limits:
    contribution_cap: uint256
    steward_limit: uint256
    members_only: bool


# ------------------------------------------------------------------
#                             STORAGE
# ------------------------------------------------------------------

# @dev The owning charter; zero until initialised (the implementation
# owns itself, so it can never be initialised).
_owner: address


# @dev The owner's role book, where the steward is looked up.
_role_book: address


# @dev The role whose holder is the steward.
_steward_role: bytes32


# @dev The length of a period, and when period zero started.
_period_seconds: uint256
_origin: uint256


# @dev The owner's limits.
_limits: Limits


# @dev Who asked the factory for the fund (a member, or the owner itself).
_creator: address


# @dev Who last set the limits (the creator at creation, then the owner)
# and when.
_limits_set_by: address
_limits_set_at: uint256


# @dev What each contributor gave in its latest period (packed, see above).
_given: HashMap[address, uint256]


# @dev What stewards disbursed in the latest period (packed likewise).
_steward_spent: uint256


# ------------------------------------------------------------------
#                              EVENTS
# ------------------------------------------------------------------

# @dev Emitted once, when the fund is set up.
event FundInitialized:
    owner: indexed(address)
    creator: indexed(address)
    token: address
    period_seconds: uint256
    steward_role: bytes32


# @dev Emitted whenever the limits are set, at creation too (`by`: the
# creator, then the owner).
event LimitsUpdated:
    old: Limits
    new: Limits
    by: indexed(address)


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
def initialize(
    owner: address,
    creator: address,
    token: address,
    period_seconds: uint256,
    limits: Limits,
    steward_role: bytes32,
):
    """
    @dev Sets the fund up; runs once, in the factory's creating transaction.
         Only the owner may start the fund with a steward limit: a member
         who creates a fund could otherwise name a role they hold as its
         steward and pay out others' contributions without any vote.
    @param owner The owning charter.
    @param creator Who asked for the fund (the factory's caller).
    @param token The ERC20 token held, or zero for ETH.
    @param period_seconds The length of a period for caps and limits.
    @param limits The contribution cap, the steward's limit (zero unless
           `creator` is `owner`), members only.
    @param steward_role The role (in the owner's role book) of the steward.
    """
    assert self._owner == empty(address), "fund: already initialized"
    assert owner != empty(address), "fund: zero owner"
    assert period_seconds != 0, "fund: zero period"
    assert steward_role != empty(bytes32), "fund: empty steward role"
    assert limits.steward_limit == 0 or creator == owner, "fund: steward limit needs the owner"
    ledger._set_asset(token)
    self._owner = owner
    self._creator = creator
    self._role_book = staticcall IPolity(owner).book(books.ROLES)
    self._steward_role = steward_role
    self._period_seconds = period_seconds
    self._origin = block.timestamp
    self._set_limits(limits, creator)
    log FundInitialized(
        owner=owner,
        creator=creator,
        token=token,
        period_seconds=period_seconds,
        steward_role=steward_role,
    )


# ------------------------------------------------------------------
#                          MONEY IN AND OUT
# ------------------------------------------------------------------

@external
@payable
def contribute(amount: uint256, memo: bytes32):
    """
    @dev Contributes `amount` (sent as ETH, or drawn by `transferFrom`
         after an approval); what arrives is recorded.
    @param amount The amount.
    @param memo A memo document's CID digest (may be empty).
    """
    limits: Limits = self._limits
    exempt: bool = msg.sender == self._owner
    if limits.members_only and not exempt:
        assert staticcall IPolity(self._owner).is_member(msg.sender), "fund: members only"
    arrived: uint256 = ledger._receive(msg.sender, amount)
    if not exempt:
        given: uint256 = self._in_period(self._given[msg.sender]) + arrived
        assert given <= limits.contribution_cap, "fund: over the contribution cap"
        self._given[msg.sender] = self._stamp(given)
    ledger._record_contribution(msg.sender, arrived, memo)


@external
def disburse(recipient: address, amount: uint256, memo: bytes32):
    """
    @dev Pays `recipient` on the steward's own authority, within the
         steward's limit for this period.
    @param recipient Who is paid (never the steward).
    @param amount The amount.
    @param memo The memo document's CID digest (required).
    """
    self._check_steward(msg.sender)
    assert recipient != msg.sender, "fund: steward cannot pay self"
    self._check_payment(recipient, amount, memo)
    spent: uint256 = self._in_period(self._steward_spent) + amount
    assert spent <= self._limits.steward_limit, "fund: over the steward limit"
    self._steward_spent = self._stamp(spent)
    ledger._pay(recipient, amount, memo, msg.sender)


@external
def disburse_by_owner(recipient: address, amount: uint256, memo: bytes32):
    """
    @dev Pays `recipient` by the owner's decision (an executed proposal),
         beyond any steward limit.
    @param recipient Who is paid.
    @param amount The amount.
    @param memo The memo document's CID digest (required).
    """
    self._check_owner()
    self._check_payment(recipient, amount, memo)
    ledger._pay(recipient, amount, memo, msg.sender)


@external
def claim():
    """
    @dev Pays the caller what it is owed from a payment it refused earlier.
    """
    ledger._claim(msg.sender)


@external
def absorb_unaccounted(memo: bytes32):
    """
    @dev Books money that arrived outside the ledger (forced ETH, a token
         rebasing up) as a contribution from nobody, so it can be spent.
    @param memo A memo document's CID digest explaining it.
    """
    if msg.sender != self._owner:
        self._check_steward(msg.sender)
    amount: uint256 = ledger._absorb_unaccounted(memo)
    assert amount != 0, "fund: nothing unaccounted"


@external
def set_limits(limits: Limits):
    """
    @dev Replaces the limits (from this moment; what was given or spent
         this period still counts). The only way a steward limit is set on
         a fund a member created.
    @param limits The new limits.
    """
    self._check_owner()
    self._set_limits(limits, msg.sender)


# ------------------------------------------------------------------
#                              VIEWS
# ------------------------------------------------------------------

@external
@view
def owner() -> address:
    """
    @dev Returns the owning charter.
    @return address The owner.
    """
    return self._owner




@external
@view
def role_book() -> address:
    """
    @dev Returns the owner's role book, where the steward is looked up.
    @return address The role book.
    """
    return self._role_book


@external
@view
def steward_role() -> bytes32:
    """
    @dev Returns the role whose holder is the steward.
    @return bytes32 The role's name.
    """
    return self._steward_role


@external
@view
def limits() -> Limits:
    """
    @dev Returns the limits.
    @return Limits The limits.
    """
    return self._limits


@external
@view
def creator() -> address:
    """
    @dev Returns who asked the factory for the fund.
    @return address The creator (a member, or the owner).
    """
    return self._creator


@external
@view
def limits_set_by() -> address:
    """
    @dev Returns who set the limits in force: the creator (at creation) or
         the owner (by proposal).
    @return address Who set them.
    """
    return self._limits_set_by


@external
@view
def limits_set_at() -> uint256:
    """
    @dev Returns when the limits in force were set.
    @return uint256 The time.
    """
    return self._limits_set_at


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
def period_start(period: uint256) -> uint256:
    """
    @dev Returns when a period starts.
    @param period The period index.
    @return uint256 The time.
    """
    return expiry._start(self._origin, self._period_seconds, period)


@external
@view
def given_this_period(account: address) -> uint256:
    """
    @dev Returns what `account` contributed in the current period.
    @param account The contributor.
    @return uint256 The amount (counted against the cap).
    """
    return self._in_period(self._given[account])


@external
@view
def steward_spent_this_period() -> uint256:
    """
    @dev Returns what stewards disbursed in the current period.
    @return uint256 The amount (counted against the steward's limit).
    """
    return self._in_period(self._steward_spent)
















@external
@view
def available() -> uint256:
    """
    @dev Returns what may be disbursed now.
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
    @dev Reverts unless called by the owning charter (an executed proposal).
    """
    assert msg.sender == self._owner, "fund: only by the owner"


@internal
@view
def _check_steward(account: address):
    """
    @dev Reverts unless `account` holds the steward role now: a recalled or
         lapsed steward, or one whose successor is not rotated in yet,
         can do nothing.
    @param account The caller.
    """
    assert staticcall IRoleBook(self._role_book).holds_role(self._steward_role, account), "fund: not the steward"


@internal
@view
def _check_payment(recipient: address, amount: uint256, memo: bytes32):
    """
    @dev Reverts for a payment that cannot be made.
    @param recipient The recipient.
    @param amount The amount.
    @param memo The memo document's CID digest.
    """
    assert recipient != empty(address) and recipient != self, "fund: invalid recipient"
    assert amount != 0, "fund: zero amount"
    assert memo != empty(bytes32), "fund: memo required"
    assert amount <= ledger._available(), "fund: insufficient funds"


@internal
def _set_limits(limits: Limits, by: address):
    """
    @dev Validates and stores the limits, and who set them when.
    @param limits The limits.
    @param by Who set them (the creator, or the owner).
    """
    assert limits.contribution_cap != 0, "fund: zero contribution cap"
    assert limits.contribution_cap <= MAX_LIMIT and limits.steward_limit <= MAX_LIMIT, "fund: limit too large"
    old: Limits = self._limits
    self._limits = limits
    self._limits_set_by = by
    self._limits_set_at = block.timestamp
    log LimitsUpdated(old=old, new=limits, by=by)


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
    @dev Packs an amount (within the caps, so < 2**192) with this period.
    @param amount The amount.
    @return uint256 The record.
    """
    return (self._period_now() << _AMOUNT_BITS) | amount

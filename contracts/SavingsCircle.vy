# pragma version ~=0.4.3
# pragma nonreentrancy on
# pragma evm-version cancun
"""
@title Savings circle
@custom:contract-name SavingsCircle
@license GNU Affero General Public License v3.0 only
@author Panarchy
@notice A rotating savings circle, the solidarity fund's rotating mode: a
        fixed list of participants in a published order each pay a fixed
        contribution every round, and each round's pot goes to one of them,
        until every participant has received once.
        Rules:
        - There are as many rounds as participants; round `r` is open from
          `start + r * round_seconds`. Each participant pays one contribution
          per round, in round order: a payment always settles the oldest
          round they owe, and nobody pays ahead of the round that is open.
        - When a round is over anyone may `settle` it (rounds settle in
          order): its pot goes to the first participant in the published
          order who has not received yet and has paid every round up to and
          including this one. A participant who missed a contribution is
          passed over until they catch up.
        - A late payment for a round already settled goes straight to that
          round's recipient, so with everyone paid up each recipient gets
          exactly one full pot.
        - When every round is settled the circle is complete and holds
          nothing. If it stalls (nobody eligible is left), once the last
          round is over by a whole round anyone may `dissolve` it. What the
          unsettled rounds hold then goes back to those who paid in more
          than they received, in proportion to that difference (the last to
          withdraw takes the rounding remainder): nobody ends up better than
          even, and those still waiting for their turn are compensated.
        Nothing is ever left behind; payments a recipient refused wait for
        it to `claim` them. The ledger (see the `ledger` module) carries
        running totals, as in the solidarity fund.
        - Money that arrives outside the ledger (ETH forced in by a
          self-destruct, tokens sent by a plain transfer or rebasing up) is
          nobody's contribution and no round's pot: anyone may
          `sweep_unaccounted` it, at any time, and it is shared equally
          among all the participants (the first `amount % n` in the
          published order get one base unit more), paid at once (a refused
          share waits to be claimed). It changes no pot, no refund and no
          participant's record.
        Who may call what: a participant: `contribute`, `withdraw` (after a
        dissolution); anyone: `settle`, `dissolve`, `sweep_unaccounted`,
        `claim` (what one is owed), every view. The owner (the charter it was created for) is
        recorded for discovery and has no powers over it.
@custom:security Settling loops over the participants, at most
        `MAX_PARTICIPANTS`. The circle cannot make a participant who has
        already received keep paying; its arrears are public
        (`paid_rounds` against `current_round`).
"""


from modules import ledger
from modules import pro_rata
from modules import expiry

initializes: ledger
initializes: pro_rata

# @dev The ledger's views: token, totals, what is owed, held, unaccounted, short.
exports: ledger.__interface__


# ------------------------------------------------------------------
#                            CONSTANTS
# ------------------------------------------------------------------

# @dev The most participants in one circle (the SDK re-uses it).
MAX_PARTICIPANTS: constant(uint256) = 32


# ------------------------------------------------------------------
#                             STORAGE
# ------------------------------------------------------------------

# @dev The charter it was created for; zero until initialised (the
# implementation owns itself, so it can never be initialised).
_owner: address


# @dev The participants, in the published order of payouts.
_participants: DynArray[address, MAX_PARTICIPANTS]


# @dev Each participant's 1-based position (zero: not a participant).
_position: HashMap[address, uint256]


# @dev The contribution per round, the length of a round, and when round
# zero opened.
_contribution: uint256
_round_seconds: uint256
_start: uint256


# @dev How many rounds each participant has paid.
_paid_rounds: HashMap[address, uint256]


# @dev The 1-based round each participant received in (zero: not yet).
_received_in: HashMap[address, uint256]


# @dev What was paid into each round before it was settled.
_pot: HashMap[uint256, uint256]


# @dev Who received each settled round.
_recipient_of: HashMap[uint256, address]


# @dev How many rounds are settled.
_settled: uint256


# @dev What each participant has received (pots and late payments).
_received_total: HashMap[address, uint256]


# @dev Whether the circle was dissolved (its refunds: the `pro_rata` module).
_dissolved: bool


# ------------------------------------------------------------------
#                              EVENTS
# ------------------------------------------------------------------

# @dev Emitted once, when the circle is set up.
event CircleInitialized:
    owner: indexed(address)
    token: address
    contribution: uint256
    round_seconds: uint256
    participants: DynArray[address, MAX_PARTICIPANTS]


# @dev Emitted when a round's pot goes to its recipient.
event RoundSettled:
    round: indexed(uint256)
    recipient: indexed(address)
    amount: uint256


# @dev Emitted when a stalled circle is dissolved.
event CircleDissolved:
    settled_rounds: uint256


# @dev Emitted when unaccounted money is shared out: `amount` in all,
# `share` to each participant (one unit more to the first `remainder`).
event UnaccountedSwept:
    by: indexed(address)
    amount: uint256
    share: uint256
    remainder: uint256


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
    token: address,
    contribution: uint256,
    round_seconds: uint256,
    participants: DynArray[address, MAX_PARTICIPANTS],
):
    """
    @dev Sets the circle up; runs once, in the factory's creating transaction.
    @param owner The charter it is created for.
    @param token The ERC20 token paid in, or zero for ETH.
    @param contribution What each participant pays per round.
    @param round_seconds The length of a round.
    @param participants The participants, in the order they receive.
    """
    assert self._owner == empty(address), "circle: already initialized"
    assert owner != empty(address), "circle: zero owner"
    assert contribution != 0, "circle: zero contribution"
    assert round_seconds != 0, "circle: zero round"
    assert len(participants) >= 2, "circle: too few participants"
    ledger._set_asset(token)
    self._owner = owner
    for i: uint256 in range(len(participants), bound=MAX_PARTICIPANTS):
        p: address = participants[i]
        assert p != empty(address), "circle: zero address"
        assert self._position[p] == 0, "circle: duplicate participant"
        self._position[p] = i + 1
    self._participants = participants
    self._contribution = contribution
    self._round_seconds = round_seconds
    self._start = block.timestamp
    log CircleInitialized(
        owner=owner,
        token=token,
        contribution=contribution,
        round_seconds=round_seconds,
        participants=participants,
    )


# ------------------------------------------------------------------
#                       PARTICIPANTS AND ANYONE
# ------------------------------------------------------------------

@external
@payable
def contribute(memo: bytes32):
    """
    @dev Pays the caller's contribution for the oldest round they owe.
    @param memo A memo document's CID digest (may be empty).
    """
    assert self._position[msg.sender] != 0, "circle: not a participant"
    assert not self._dissolved, "circle: dissolved"
    r: uint256 = self._paid_rounds[msg.sender]
    assert r < len(self._participants), "circle: every contribution made"
    assert r <= self._round_now(), "circle: round not open"
    amount: uint256 = self._contribution
    assert ledger._receive(msg.sender, amount) == amount, "circle: token charged a fee"
    ledger._record_contribution(msg.sender, amount, memo)
    self._paid_rounds[msg.sender] = r + 1
    if r < self._settled:
        # A late payment: the round's recipient is already known.
        recipient: address = self._recipient_of[r]
        self._received_total[recipient] += amount
        ledger._pay(recipient, amount, memo, msg.sender)
    else:
        self._pot[r] += amount


@external
def settle() -> address:
    """
    @dev Pays the oldest unsettled round, once it is over, to the first
         participant in order who has not received and is paid up.
    @return address The recipient.
    """
    assert not self._dissolved, "circle: dissolved"
    r: uint256 = self._settled
    assert r < len(self._participants), "circle: complete"
    assert block.timestamp >= self._round_end(r), "circle: round not over"
    recipient: address = self._eligible_for(r)
    assert recipient != empty(address), "circle: no eligible recipient"
    self._received_in[recipient] = r + 1
    self._recipient_of[r] = recipient
    self._settled = r + 1
    amount: uint256 = self._pot[r]
    self._received_total[recipient] += amount
    log RoundSettled(round=r, recipient=recipient, amount=amount)
    if amount != 0:
        ledger._pay(recipient, amount, empty(bytes32), msg.sender)
    return recipient


@external
def dissolve():
    """
    @dev Dissolves a stalled circle (nobody is eligible for its oldest
         unsettled round), once its last round is over by a whole round:
         what the unsettled rounds hold goes back, by `withdraw`, to those
         who paid in more than they received. A circle that can still
         settle is not stalled: dissolving it would take a paid-up
         participant's pot away from them.
    """
    assert not self._dissolved, "circle: dissolved"
    n: uint256 = len(self._participants)
    assert self._settled < n, "circle: complete"
    assert block.timestamp >= self._round_end(n), "circle: not overdue"
    assert self._eligible_for(self._settled) == empty(address), "circle: not stalled"
    self._dissolved = True
    pool: uint256 = 0
    total: uint256 = 0
    creditors: uint256 = 0
    pool, total, creditors = self._refund_terms()
    pro_rata._open(pool, total, creditors)
    log CircleDissolved(settled_rounds=self._settled)


@external
def withdraw():
    """
    @dev After a dissolution, pays the caller its share of what the
         unsettled rounds held: in proportion to what it paid in beyond what
         it received (the last creditor takes the rounding remainder).
    """
    assert self._dissolved, "circle: not dissolved"
    assert self._position[msg.sender] != 0, "circle: not a participant"
    assert not pro_rata._refunded[msg.sender], "circle: already refunded"
    assert self._shortfall_of(msg.sender) != 0, "circle: nothing to refund"
    amount: uint256 = pro_rata._take(msg.sender, self._shortfall_of(msg.sender))
    if amount != 0:
        ledger._pay(msg.sender, amount, empty(bytes32), msg.sender)


@external
def sweep_unaccounted(memo: bytes32) -> uint256:
    """
    @dev Shares what the circle holds beyond its ledger equally among the
         participants, whatever state the circle is in: it is booked as a
         contribution from nobody and paid out at once, one `Disbursed` per
         participant (a refused share is owed to them). The first
         `amount % n` participants in the published order get one base unit
         more, so not a unit is left behind.
    @param memo A memo document's CID digest explaining it (may be empty).
    @return uint256 The amount shared out.
    """
    amount: uint256 = ledger._absorb_unaccounted(memo)
    assert amount != 0, "circle: nothing unaccounted"
    n: uint256 = len(self._participants)
    share: uint256 = amount // n
    remainder: uint256 = amount % n
    log UnaccountedSwept(by=msg.sender, amount=amount, share=share, remainder=remainder)
    for i: uint256 in range(n, bound=MAX_PARTICIPANTS):
        due: uint256 = share
        if i < remainder:
            # `i < remainder < n` and `share * n + remainder == amount`.
            due = unsafe_add(share, 1)
        if due != 0:
            ledger._pay(self._participants[i], due, memo, msg.sender)
    return amount


@external
def claim():
    """
    @dev Pays the caller what it is owed from a payment it refused earlier.
    """
    ledger._claim(msg.sender)


# ------------------------------------------------------------------
#                              VIEWS
# ------------------------------------------------------------------

@external
@view
def owner() -> address:
    """
    @dev Returns the charter the circle was created for.
    @return address The owner.
    """
    return self._owner


@external
@view
def participants() -> DynArray[address, MAX_PARTICIPANTS]:
    """
    @dev Returns the participants in the published order.
    @return DynArray The participants.
    """
    return self._participants


@external
@view
def contribution() -> uint256:
    """
    @dev Returns what each participant pays per round.
    @return uint256 The amount.
    """
    return self._contribution


@external
@view
def round_seconds() -> uint256:
    """
    @dev Returns the length of a round.
    @return uint256 Seconds.
    """
    return self._round_seconds


@external
@view
def start() -> uint256:
    """
    @dev Returns when round zero opened.
    @return uint256 The time.
    """
    return self._start


@external
@view
def current_round() -> uint256:
    """
    @dev Returns the round open now (it may exceed the last round).
    @return uint256 The round.
    """
    return self._round_now()


@external
@view
def round_end(r: uint256) -> uint256:
    """
    @dev Returns when round `r` is over.
    @param r The round.
    @return uint256 The time.
    """
    return self._round_end(r)


@external
@view
def paid_rounds(account: address) -> uint256:
    """
    @dev Returns how many rounds `account` has paid.
    @param account The participant.
    @return uint256 The count.
    """
    return self._paid_rounds[account]


@external
@view
def received_in(account: address) -> uint256:
    """
    @dev Returns the 1-based round `account` received in (zero: not yet).
    @param account The participant.
    @return uint256 The round plus one.
    """
    return self._received_in[account]


@external
@view
def settled_rounds() -> uint256:
    """
    @dev Returns how many rounds are settled.
    @return uint256 The count.
    """
    return self._settled


@external
@view
def recipient_of(r: uint256) -> address:
    """
    @dev Returns who received round `r` (zero: not settled).
    @param r The round.
    @return address The recipient.
    """
    return self._recipient_of[r]


@external
@view
def pot(r: uint256) -> uint256:
    """
    @dev Returns what was paid into round `r` before it settled.
    @param r The round.
    @return uint256 The amount.
    """
    return self._pot[r]


@external
@view
def next_recipient() -> address:
    """
    @dev Returns who would receive the next round if it settled now, by
         who is paid up (zero: nobody eligible, or the circle is complete).
    @return address The participant.
    """
    r: uint256 = self._settled
    if r >= len(self._participants):
        return empty(address)
    return self._eligible_for(r)


@external
@view
def is_complete() -> bool:
    """
    @dev Returns whether every round is settled.
    @return bool True when complete.
    """
    return self._settled == len(self._participants)


@external
@view
def is_dissolved() -> bool:
    """
    @dev Returns whether the circle was dissolved.
    @return bool True when dissolved.
    """
    return self._dissolved


@external
@view
def refund_due(account: address) -> uint256:
    """
    @dev Returns what `account` would take back on a dissolution now (or
         still, if already dissolved and not yet withdrawn), before the
         last creditor's rounding remainder.
    @param account The participant.
    @return uint256 The amount.
    """
    if self._dissolved:
        return pro_rata._due(account, self._shortfall_of(account))
    pool: uint256 = 0
    total: uint256 = 0
    creditors: uint256 = 0
    pool, total, creditors = self._refund_terms()
    return pro_rata._share(self._shortfall_of(account), pool, total)


@external
@view
def received_total(account: address) -> uint256:
    """
    @dev Returns everything `account` has received (pots and late payments).
    @param account The participant.
    @return uint256 The amount.
    """
    return self._received_total[account]


# ------------------------------------------------------------------
#                             INTERNALS
# ------------------------------------------------------------------

@internal
@view
def _round_now() -> uint256:
    """
    @dev The round open now.
    @return uint256 The round.
    """
    return expiry._index(self._start, self._round_seconds)


@internal
@view
def _round_end(r: uint256) -> uint256:
    """
    @dev When round `r` is over.
    @param r The round.
    @return uint256 The time.
    """
    return expiry._start(self._start, self._round_seconds, r + 1)


@internal
@view
def _eligible_for(r: uint256) -> address:
    """
    @dev The first participant in order who has not received and has paid
         every round up to and including `r`.
    @param r The round.
    @return address The participant (zero: nobody).
    """
    for p: address in self._participants:
        if self._received_in[p] == 0 and self._paid_rounds[p] > r:
            return p
    return empty(address)


@internal
@view
def _shortfall_of(account: address) -> uint256:
    """
    @dev What `account` paid in beyond what it received (zero if none).
    @param account The participant.
    @return uint256 The amount.
    """
    paid: uint256 = self._paid_rounds[account] * self._contribution
    received: uint256 = self._received_total[account]
    if paid <= received:
        return 0
    # `paid > received` just checked.
    return unsafe_sub(paid, received)


@internal
@view
def _refund_terms() -> (uint256, uint256, uint256):
    """
    @dev What the unsettled rounds hold, the sum of the participants'
         shortfalls, and how many have one. The shortfalls add up to at
         least the pool (everything paid in was either received or is in
         it), so no share exceeds its participant's shortfall.
    @return uint256 The pool.
    @return uint256 The total shortfall.
    @return uint256 The number of creditors.
    """
    pool: uint256 = 0
    for r: uint256 in range(self._settled, len(self._participants), bound=MAX_PARTICIPANTS):
        pool += self._pot[r]
    total: uint256 = 0
    creditors: uint256 = 0
    for p: address in self._participants:
        short: uint256 = self._shortfall_of(p)
        if short != 0:
            total += short
            creditors += 1
    return pool, total, creditors


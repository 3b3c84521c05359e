# pragma version ~=0.4.3
# pragma nonreentrancy on
"""
@title Pro-rata refunds of a pool
@custom:contract-name pro_rata
@license GNU Affero General Public License v3.0 only
@author Panarchy
@notice When a pooled arrangement ends early (a stalled savings circle; a
        treaty's fund when the treaty ends), what the pool holds goes back
        to its creditors in proportion to their claims. The deployable says
        who the creditors are and what each one's claim is (a circle: what a
        participant paid in beyond what it received); this module fixes the
        terms once (`_open`), pays each creditor once (`_take`), and gives
        the last one the rounding remainder, so the pool is paid out to the
        unit and nobody gets more than their claim (the claims add up to at
        least the pool). It moves no money and logs nothing: the deployable
        pays what `_take` returns through its ledger.
"""


# @dev The pool, the sum of the claims on it, and how many creditors have
# one, fixed by `_open`; what has been paid back since, and to whom.
_pool: uint256
_claims_total: uint256
_creditors_left: uint256
_paid: uint256
_refunded: HashMap[address, bool]


@internal
def _open(pool: uint256, claims_total: uint256, creditors: uint256):
    """
    @dev Fixes the terms of the refund, once the arrangement has ended.
    @param pool What is to be shared.
    @param claims_total The sum of the creditors' claims (at least the pool).
    @param creditors How many creditors have a claim.
    """
    self._pool = pool
    self._claims_total = claims_total
    self._creditors_left = creditors


@internal
def _take(account: address, claim: uint256) -> uint256:
    """
    @dev Marks `account` refunded and returns its share: `pool * claim /
         claims_total`, or, for the last creditor, what is left of the pool.
         The deployable checks first that `account` has a claim and was
         not refunded (with its own reasons).
    @param account The creditor.
    @param claim Its claim.
    @return uint256 What to pay it.
    """
    self._refunded[account] = True
    amount: uint256 = self._share(claim, self._pool, self._claims_total)
    left: uint256 = self._creditors_left - 1
    self._creditors_left = left
    if left == 0:
        # The last creditor takes what rounding left behind, so nothing is.
        amount = self._pool - self._paid
    self._paid += amount
    return amount


@internal
@view
def _due(account: address, claim: uint256) -> uint256:
    """
    @dev What `account` takes back under the fixed terms (zero once
         refunded), before the last creditor's rounding remainder.
    @param account The creditor.
    @param claim Its claim.
    @return uint256 The amount.
    """
    if self._refunded[account]:
        return 0
    return self._share(claim, self._pool, self._claims_total)


@internal
@pure
def _share(claim: uint256, pool: uint256, claims_total: uint256) -> uint256:
    """
    @dev A claim's share of a pool, rounded down: pool * claim / total.
    @param claim The claim.
    @param pool The pool.
    @param claims_total The sum of the claims.
    @return uint256 The share (zero when nothing is claimed).
    """
    if claims_total == 0:
        return 0
    return pool * claim // claims_total

# pragma version ~=0.4.3
# pragma nonreentrancy on
"""
@title A transparent ledger of one asset
@custom:contract-name ledger
@license GNU Affero General Public License v3.0 only
@author Panarchy
@notice Money in and out of a fund, in ETH or one ERC20 token, with running
        totals that every event carries, so anyone can replay the history
        and check it at any block:
            balance == contributed - disbursed + owed + unaccounted
        `owed` is what was disbursed to a recipient who refused the payment
        (a reverting contract): it waits for them to `claim` and is zero
        otherwise; `unaccounted` is what arrived outside the ledger (ETH
        forced in by a self-destruct or as a block reward, a token rebasing
        up, tokens sent by a plain transfer); a token rebasing down shows as
        a `shortfall` instead. Unaccounted money is never lost:
        `_absorb_unaccounted` books it as a contribution from nobody, after
        which the deployable pays it out (the fund by its steward or owner,
        the circle to its participants).
        Contributions record what actually arrived (a fee-on-transfer token
        is measured, not trusted); payments go out by push, and a push that
        fails becomes a claimable credit, so no recipient can block the fund.
        Token calls accept both standard and missing return values and
        refuse a `false` one.
"""

# @dev The token reads the ledger needs.
interface IERC20View:
    def balanceOf(account: address) -> uint256: view
    def totalSupply() -> uint256: view


# @dev Gas forwarded with an ETH push: enough for a smart-contract wallet's
# receive hook, too little for a recipient to hold the payer hostage by
# burning gas (the payment is then owed, not lost).
_PUSH_GAS: constant(uint256) = 50_000


# @dev The asset: an ERC20 token, or zero for ETH. Set once by the deployable.
_token: address


# @dev Everything that came in through the ledger.
_contributed: uint256


# @dev Everything paid or owed out.
_disbursed: uint256


# @dev What each recipient who refused a push may claim.
_owed: HashMap[address, uint256]


# @dev The sum of `_owed`.
_owed_total: uint256


# @dev Emitted for every contribution (`contributor` zero when unaccounted
# money was absorbed), with the running totals after it.
event Contributed:
    contributor: indexed(address)
    amount: uint256
    memo: bytes32
    contributed: uint256
    disbursed: uint256


# @dev Emitted for every payment out, by whoever decided it, with the
# running totals after it.
event Disbursed:
    recipient: indexed(address)
    by: indexed(address)
    amount: uint256
    memo: bytes32
    contributed: uint256
    disbursed: uint256


# @dev Emitted when a recipient refused a push: the payment is owed to them.
event PaymentDeferred:
    recipient: indexed(address)
    amount: uint256


# @dev Emitted when a recipient claims what it was owed.
event PaymentClaimed:
    recipient: indexed(address)
    amount: uint256


# ------------------------------------------------------------------
#                       VIEWS (exported)
# ------------------------------------------------------------------
# Every deployable on the ledger exports them (`exports: ledger.__interface__`),
# so a fund, a circle and a treaty's fund read alike.

@external
@view
def token() -> address:
    """
    @dev Returns the token held (zero: ETH).
    @return address The token.
    """
    return self._token


@external
@view
def contributed() -> uint256:
    """
    @dev Returns everything contributed through the ledger.
    @return uint256 The total.
    """
    return self._contributed


@external
@view
def disbursed() -> uint256:
    """
    @dev Returns everything disbursed (paid or owed).
    @return uint256 The total.
    """
    return self._disbursed


@external
@view
def owed_total() -> uint256:
    """
    @dev Returns what recipients who refused a payment may still claim.
    @return uint256 The total.
    """
    return self._owed_total


@external
@view
def owed(account: address) -> uint256:
    """
    @dev Returns what `account` may claim.
    @param account The recipient.
    @return uint256 The amount.
    """
    return self._owed[account]


@external
@view
def holdings() -> uint256:
    """
    @dev Returns what the contract holds of its asset (its ETH balance, or
         its token balance).
    @return uint256 The balance.
    """
    return self._balance()


@external
@view
def unaccounted() -> uint256:
    """
    @dev Returns what the contract holds beyond its ledger (forced ETH, a
         token rebasing up, a plain transfer).
    @return uint256 The excess.
    """
    return self._unaccounted()


@external
@view
def shortfall() -> uint256:
    """
    @dev Returns what the ledger expects but the contract does not hold (a
         token that rebased down): payments it cannot make stay owed.
    @return uint256 The shortfall.
    """
    return self._shortfall()


@internal
def _set_asset(token: address):
    """
    @dev Chooses the asset, once: ETH (zero) or an ERC20 token, which must
         have code and answer `totalSupply` (so a typo or an EOA is refused
         at creation rather than accepting transfers that move nothing).
    @param token The token, or zero for ETH.
    """
    if token != empty(address):
        assert token.is_contract, "ledger: token has no code"
        success: bool = False
        response: Bytes[32] = b""
        success, response = raw_call(
            token,
            method_id("totalSupply()"),
            max_outsize=32,
            is_static_call=True,
            revert_on_failure=False,
        )
        assert success and len(response) == 32, "ledger: not an erc20 token"
    self._token = token


@internal
@payable
def _receive(sender: address, amount: uint256) -> uint256:
    """
    @dev Takes `amount` from `sender` (the ETH sent with the call, or a
         token `transferFrom`) and returns what actually arrived.
    @param sender Who pays.
    @param amount The amount asked for.
    @return uint256 What arrived.
    """
    assert amount != 0, "ledger: zero amount"
    if self._token == empty(address):
        assert msg.value == amount, "ledger: wrong eth amount"
        return amount
    assert msg.value == 0, "ledger: eth not accepted"
    before: uint256 = self._balance()
    self._token_call(
        abi_encode(sender, self, amount, method_id=method_id("transferFrom(address,address,uint256)")),
        True,
    )
    after: uint256 = self._balance()
    assert after > before, "ledger: nothing arrived"
    # `after > before` just checked.
    return unsafe_sub(after, before)


@internal
def _record_contribution(contributor: address, amount: uint256, memo: bytes32):
    """
    @dev Books money that arrived.
    @param contributor Who gave it (zero: absorbed unaccounted money).
    @param amount What arrived.
    @param memo The memo document's CID digest (may be empty).
    """
    contributed: uint256 = self._contributed + amount
    self._contributed = contributed
    log Contributed(
        contributor=contributor,
        amount=amount,
        memo=memo,
        contributed=contributed,
        disbursed=self._disbursed,
    )


@internal
def _absorb_unaccounted(memo: bytes32) -> uint256:
    """
    @dev Books what the contract holds beyond its ledger (see
         `_unaccounted`) as a contribution from nobody, so that it can be
         paid out like any other money; books nothing when there is none.
         The deployable decides who may and what happens to it next (the
         fund's steward or owner spends it; the circle shares it out).
    @param memo A memo document's CID digest explaining it (may be empty).
    @return uint256 What was booked (zero: nothing was unaccounted).
    """
    amount: uint256 = self._unaccounted()
    if amount != 0:
        self._record_contribution(empty(address), amount, memo)
    return amount


@internal
def _pay(recipient: address, amount: uint256, memo: bytes32, by: address):
    """
    @dev Books and pushes a payment; a refused push is owed instead.
    @param recipient Who is paid.
    @param amount The amount (checked available by the caller).
    @param memo The memo document's CID digest.
    @param by Who decided the payment.
    """
    disbursed: uint256 = self._disbursed + amount
    self._disbursed = disbursed
    log Disbursed(
        recipient=recipient,
        by=by,
        amount=amount,
        memo=memo,
        contributed=self._contributed,
        disbursed=disbursed,
    )
    if not self._push(recipient, amount, _PUSH_GAS):
        self._owed[recipient] += amount
        self._owed_total += amount
        log PaymentDeferred(recipient=recipient, amount=amount)


@internal
def _claim(recipient: address):
    """
    @dev Pays a recipient what it was owed, with all the gas it brings;
         this time a refusal reverts.
    @param recipient The recipient (the caller).
    """
    amount: uint256 = self._owed[recipient]
    assert amount != 0, "ledger: nothing owed"
    self._owed[recipient] = 0
    self._owed_total -= amount
    assert self._push(recipient, amount, msg.gas), "ledger: payment refused"
    log PaymentClaimed(recipient=recipient, amount=amount)


@internal
def _push(recipient: address, amount: uint256, eth_gas: uint256) -> bool:
    """
    @dev Sends `amount` to `recipient`.
    @param recipient The recipient.
    @param amount The amount.
    @param eth_gas The gas an ETH transfer forwards (a token call takes what it needs).
    @return bool Whether the recipient took it.
    """
    if self._token == empty(address):
        return raw_call(recipient, b"", value=amount, gas=eth_gas, revert_on_failure=False)
    return self._token_call(
        abi_encode(recipient, amount, method_id=method_id("transfer(address,uint256)")), False
    )


@internal
def _token_call(data: Bytes[100], strict: bool) -> bool:
    """
    @dev Calls the token, accepting an empty return (tokens that return
         nothing) or `true`; `strict` reverts on anything else.
    @param data The calldata.
    @param strict Whether a failure reverts.
    @return bool Whether the call succeeded.
    """
    success: bool = False
    response: Bytes[32] = b""
    success, response = raw_call(self._token, data, max_outsize=32, revert_on_failure=False)
    ok: bool = success and (len(response) == 0 or convert(response, uint256) == 1)
    assert ok or not strict, "ledger: token transfer failed"
    return ok


@internal
@view
def _balance() -> uint256:
    """
    @dev What the contract holds of its asset.
    @return uint256 The balance.
    """
    if self._token == empty(address):
        return self.balance
    return staticcall IERC20View(self._token).balanceOf(self)


@internal
@view
def _expected() -> uint256:
    """
    @dev What the ledger says the contract holds.
    @return uint256 contributed - disbursed + owed.
    """
    return self._contributed - self._disbursed + self._owed_total


@internal
@view
def _unaccounted() -> uint256:
    """
    @dev What the contract holds beyond its ledger.
    @return uint256 The excess (zero when none).
    """
    balance: uint256 = self._balance()
    expected: uint256 = self._expected()
    if balance > expected:
        # `balance > expected` just checked.
        return unsafe_sub(balance, expected)
    return 0


@internal
@view
def _shortfall() -> uint256:
    """
    @dev What the ledger expects but the contract does not hold (a token
         that rebased down or charged fees on the way out).
    @return uint256 The shortfall (zero when none).
    """
    balance: uint256 = self._balance()
    expected: uint256 = self._expected()
    if expected > balance:
        # `expected > balance` just checked.
        return unsafe_sub(expected, balance)
    return 0


@internal
@view
def _available() -> uint256:
    """
    @dev What may be paid out: the ledger's free money, less any shortfall.
    @return uint256 The amount.
    """
    free: uint256 = self._contributed - self._disbursed
    short: uint256 = self._shortfall()
    if short >= free:
        return 0
    # `short < free` just checked.
    return unsafe_sub(free, short)


# pragma version ~=0.4.3
# pragma evm-version cancun
"""
@title Odd token
@custom:contract-name OddToken
@license GNU Affero General Public License v3.0 only
@author Panarchy
@notice An ERC20 for tests whose behaviour is chosen at deployment:
        0 standard; 1 fee-on-transfer (1% of every transfer is burnt);
        2 returns false and moves nothing; 3 rebasing (balances are shares
        times a factor anyone may change); 4 re-entrant (every transfer first
        calls `hook` with `hook_data`, recording whether that call succeeded).
        Anyone may mint. No nonreentrancy pragma: mode 4 is re-entrant on purpose.
        Not for production.
"""


STANDARD: constant(uint8) = 0
FEE: constant(uint8) = 1
FALSE_RETURN: constant(uint8) = 2
REBASING: constant(uint8) = 3
REENTRANT: constant(uint8) = 4


# @dev The behaviour.
mode: public(uint8)


# @dev Balances in shares; a share is worth `factor_num / factor_den` tokens.
_shares: HashMap[address, uint256]
_total_shares: uint256
factor_num: public(uint256)
factor_den: public(uint256)


# @dev Allowances.
allowance: public(HashMap[address, HashMap[address, uint256]])


# @dev The re-entrant call and what became of it.
hook: public(address)
hook_data: public(Bytes[512])
hook_attempts: public(uint256)
hook_successes: public(uint256)


event Transfer:
    sender: indexed(address)
    receiver: indexed(address)
    value: uint256


event Approval:
    owner: indexed(address)
    spender: indexed(address)
    value: uint256


@deploy
def __init__(mode: uint8):
    self.mode = mode
    self.factor_num = 1
    self.factor_den = 1


@external
@view
def totalSupply() -> uint256:
    return self._total_shares * self.factor_num // self.factor_den


@external
@view
def balanceOf(account: address) -> uint256:
    return self._shares[account] * self.factor_num // self.factor_den


@external
def mint(to: address, amount: uint256):
    shares: uint256 = amount * self.factor_den // self.factor_num
    self._shares[to] += shares
    self._total_shares += shares
    log Transfer(sender=empty(address), receiver=to, value=amount)


@external
def rebase(num: uint256, den: uint256):
    self.factor_num = num
    self.factor_den = den


@external
def set_hook(target: address, data: Bytes[512]):
    self.hook = target
    self.hook_data = data


@external
def approve(spender: address, amount: uint256) -> bool:
    self.allowance[msg.sender][spender] = amount
    log Approval(owner=msg.sender, spender=spender, value=amount)
    return True


@external

def transfer(to: address, amount: uint256) -> bool:
    return self._move(msg.sender, to, amount)


@external

def transferFrom(owner: address, to: address, amount: uint256) -> bool:
    if self.mode == FALSE_RETURN:
        return False
    self.allowance[owner][msg.sender] -= amount
    return self._move(owner, to, amount)


@internal
def _move(owner: address, to: address, amount: uint256) -> bool:
    if self.mode == FALSE_RETURN:
        return False
    if self.mode == REENTRANT and self.hook != empty(address):
        self.hook_attempts += 1
        ok: bool = raw_call(self.hook, self.hook_data, revert_on_failure=False)
        if ok:
            self.hook_successes += 1
    shares: uint256 = amount * self.factor_den // self.factor_num
    self._shares[owner] -= shares
    received: uint256 = shares
    if self.mode == FEE:
        received = shares - shares // 100
        self._total_shares -= shares // 100
    self._shares[to] += received
    log Transfer(sender=owner, receiver=to, value=received * self.factor_num // self.factor_den)
    return True

# pragma version ~=0.4.3
# pragma evm-version cancun
"""
@title Recipient
@custom:contract-name Recipient
@license GNU Affero General Public License v3.0 only
@author Panarchy
@notice A contract account for tests: it can act (call anything, as a member
        or a steward would), and on receiving ETH it does what its mode says:
        0 accept; 1 refuse (revert); 2 burn all the gas it is given; 3 call
        `hook` with `hook_data` first, recording whether that call
        succeeded, then accept. Not for production.
        (No nonreentrancy pragma: re-entering others is its purpose.)
"""


ACCEPT: constant(uint8) = 0
REFUSE: constant(uint8) = 1
BURN_GAS: constant(uint8) = 2
REENTER: constant(uint8) = 3


mode: public(uint8)
hook: public(address)
hook_data: public(Bytes[512])
hook_attempts: public(uint256)
hook_successes: public(uint256)
received: public(uint256)


@deploy
def __init__(mode: uint8):
    self.mode = mode


@external
def set_mode(mode: uint8):
    self.mode = mode


@external
def set_hook(target: address, data: Bytes[512]):
    self.hook = target
    self.hook_data = data


@external
@payable
def act(target: address, data: Bytes[1024]) -> Bytes[1024]:
    """
    @dev Calls `target` with `data` and the ETH sent, reverting if it reverts.
    """
    return raw_call(target, data, value=msg.value, max_outsize=1024)


@external
@payable
def __default__():
    if self.mode == REFUSE:
        raise "recipient: refused"
    if self.mode == BURN_GAS:
        x: uint256 = 0
        for i: uint256 in range(10**9):
            x = unsafe_add(x, i)
    if self.mode == REENTER and self.hook != empty(address):
        self.hook_attempts += 1
        ok: bool = raw_call(self.hook, self.hook_data, revert_on_failure=False)
        if ok:
            self.hook_successes += 1
    self.received += msg.value

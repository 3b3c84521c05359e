# pragma version ~=0.4.3
# pragma evm-version cancun
"""
@title Benchmark target
@custom:contract-name Target
@license GNU Affero General Public License v3.0 only
@author Panarchy
@notice The one contract every benchmarked proposal calls, on both sides: the
        charter and the reference governor execute `ping(n)` on the same
        deployed instance. It keeps no state, so what one side executes never
        changes what the other side pays; it only logs, so each action does
        observable work.
@custom:security A benchmark fixture, never deployed for real. It has no
        reentrancy lock on purpose: a lock would add the same constant cost
        to both sides and measure nothing.
"""


# @dev Emitted on every call.
event Pinged:
    caller: indexed(address)
    n: uint256


@external
def ping(n: uint256):
    """
    @dev Logs the caller and `n`.
    @param n Any number (the action's index in the benchmark).
    """
    log Pinged(caller=msg.sender, n=n)

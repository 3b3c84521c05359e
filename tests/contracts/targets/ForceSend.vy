# pragma version ~=0.4.3
# pragma nonreentrancy on
# pragma evm-version cancun
"""
@title Force send
@custom:contract-name ForceSend
@license GNU Affero General Public License v3.0 only
@author Panarchy
@notice Forces ETH into any account, whatever its code says: created with a
        value, it self-destructs in its constructor towards `target` (which
        still moves the balance after EIP-6780). Not for production.
"""


@deploy
@payable
def __init__(target: address):
    selfdestruct(target)

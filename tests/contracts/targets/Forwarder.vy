# pragma version ~=0.4.3
# pragma nonreentrancy on
# pragma evm-version cancun
"""
@title A contract member that anyone can drive, and a sequencer of calls
@custom:contract-name Forwarder
@license GNU Affero General Public License v3.0 only
@author Panarchy
@notice `forward` makes this contract call a target (so that, as a member of
        a charter, it delegates, leaves or proposes); `sequence` runs several
        forwarders' calls in one transaction, so that a test can order steps
        inside one block. Test use only.
"""


interface IForwarder:
    def forward(target: address, data: Bytes[4096]) -> Bytes[32]: nonpayable


@external
def forward(target: address, data: Bytes[4096]) -> Bytes[32]:
    """
    @dev Calls `target` with `data`, reverting with its reason.
    @param target The contract to call.
    @param data The calldata.
    @return Bytes[32] The first word of the answer.
    """
    return raw_call(target, data, max_outsize=32)


@external
def sequence(forwarders: DynArray[address, 8], targets: DynArray[address, 8], datas: DynArray[Bytes[4096], 8]):
    """
    @dev Has each forwarder call its target, in order, in this transaction.
    @param forwarders The forwarders.
    @param targets Their targets.
    @param datas Their calldatas.
    """
    for i: uint256 in range(len(forwarders), bound=8):
        extcall IForwarder(forwarders[i]).forward(targets[i], datas[i])

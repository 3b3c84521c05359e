# pragma version ~=0.4.3
# pragma nonreentrancy on
# pragma evm-version cancun
"""
@title A smart-contract wallet for tests: ERC-1271 with a chosen behaviour
@custom:contract-name ERC1271Wallet
@license GNU Affero General Public License v3.0 only
@notice Mode 0: a signature is valid iff its owner signed the hash (ECDSA).
        Mode 1: every signature is valid. Mode 2: validation reverts.
        Mode 3: validation answers a wrong magic value (junk).
        Mode 4: burns all the gas it is given. Mode 5: honest when given a lot of
        gas (an unbounded `eth_call`), burns otherwise.
"""


# @dev ERC-1271's magic value.
_MAGIC: constant(bytes4) = 0x1626BA7E


# @dev Who controls the wallet.
owner: public(address)


# @dev How `isValidSignature` behaves (see the notice).
mode: public(uint8)


@deploy
def __init__(owner: address, mode: uint8):
    """
    @dev Sets the owner and the behaviour.
    @param owner The owner.
    @param mode The behaviour.
    """
    self.owner = owner
    self.mode = mode


@external
def execute(target: address, data: Bytes[1024]):
    """
    @dev Calls `target` for the owner (to join a charter, say).
    @param target The contract to call.
    @param data The calldata.
    """
    assert msg.sender == self.owner, "wallet: not the owner"
    raw_call(target, data)


@external
@view
def isValidSignature(digest: bytes32, signature: Bytes[65]) -> bytes4:
    """
    @dev ERC-1271, per the mode.
    @param digest The signed hash.
    @param signature The signature.
    @return bytes4 The magic value when valid.
    """
    mode: uint8 = self.mode
    if mode == 5 and msg.gas > 1_000_000:
        mode = 0
    if mode == 4 or mode == 5:
        h: bytes32 = digest
        for i: uint256 in range(10**9):
            h = keccak256(h)
        return convert(h, bytes4)
    if self.mode == 1:
        return _MAGIC
    if self.mode == 2:
        raise "wallet: refusing"
    if self.mode == 3:
        return 0xDEADBEEF
    r: uint256 = extract32(signature, 0, output_type=uint256)
    s: uint256 = extract32(signature, 32, output_type=uint256)
    v: uint256 = convert(slice(signature, 64, 1), uint256)
    if ecrecover(digest, v, r, s) == self.owner:
        return _MAGIC
    return 0xFFFFFFFF

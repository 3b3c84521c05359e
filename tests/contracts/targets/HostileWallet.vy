# pragma version ~=0.4.3
# pragma nonreentrancy on
# pragma evm-version cancun
"""
@title A contract wallet that attacks relayed batches through ERC-1271
@custom:contract-name HostileWallet
@license GNU Affero General Public License v3.0 only
@author Panarchy
@notice Mode 0 (honest): valid iff the owner signed the digest (ECDSA).
        Mode 1 (burn): burns all the gas it is given. Mode 2: reverts.
        Mode 3 (junk): answers a wrong magic value. Mode 4 (flip): honest
        when given a lot of gas (an `eth_call` simulation), burns otherwise.
        The owner may change the mode at any time (between signing and
        relaying). Test use only.
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
def set_mode(mode: uint8):
    """
    @dev Changes the behaviour.
    @param mode The new behaviour.
    """
    self.mode = mode


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
    if mode == 4 and msg.gas > 1_000_000:
        mode = 0
    if mode == 1 or mode == 4:
        # Burn whatever gas was forwarded.
        h: bytes32 = digest
        for i: uint256 in range(10**9):
            h = keccak256(h)
        return convert(h, bytes4)
    if mode == 2:
        raise "wallet: refusing"
    if mode == 3:
        return 0xDEADBEEF
    r: uint256 = extract32(signature, 0, output_type=uint256)
    s: uint256 = extract32(signature, 32, output_type=uint256)
    v: uint256 = convert(slice(signature, 64, 1), uint256)
    if ecrecover(digest, v, r, s) == self.owner:
        return _MAGIC
    return 0xFFFFFFFF

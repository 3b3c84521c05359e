# pragma version ~=0.4.3
# pragma nonreentrancy on
"""
@title Signed ballots (EIP-712) and their signature checks
@custom:contract-name signed_ballots
@license GNU Affero General Public License v3.0 only
@author Panarchy
@notice A member signs `Ballot(uint256 proposalId,uint8 support,address voter)`
        in the charter's EIP-712 domain (name "Panarchy Charter", version
        "1", this chain, this charter), and anyone relays it. No nonce is
        stored: a member votes once per proposal, so a replayed ballot is
        refused as a second vote, and the domain binds chain and charter.
        The domain separator comes from snekmate and is recomputed when the
        chain id changes.
@custom:security One check for every relayed ballot, single or batched,
        and it never reverts (a batch must skip a bad ballot): a 65-byte
        signature with a low `s` (snekmate's malleability threshold) and `v`
        of 27 or 28 that recovers the voter; otherwise, if the voter has code,
        ERC-1271 (`isValidSignature`, a static call). ECDSA comes first to
        spare every EOA ballot a code-size lookup (2,600 gas); for an account
        with code this accepts its own key's signature (an EIP-7702 account).
        The 64-byte EIP-2098 form is not accepted: one form per signature.
        The zero address never validates, whatever the signature.
        A wallet's check runs with a fixed stipend (`ERC1271_GAS_STIPEND`)
        and at most 32 bytes of its answer are copied: a wallet that burns
        gas, reverts or answers junk invalidates its own ballot only, and
        costs a relayer at most the stipend. The caller must leave enough gas
        for the whole stipend (`charter: gas below signature stipend`), so a
        relayer cannot make an honest wallet fail by starving it.
"""


from snekmate.utils import eip712_domain_separator

# @dev Only for its malleability threshold (secp256k1n / 2, EIP-2).
from snekmate.utils import ecdsa

uses: eip712_domain_separator


# @dev The EIP-712 type hash of a ballot.
BALLOT_TYPEHASH: constant(bytes32) = keccak256(
    "Ballot(uint256 proposalId,uint8 support,address voter)"
)


# @dev The gas an ERC-1271 wallet's `isValidSignature` may use: enough for a
# Safe with several owners (about 10,000 gas per owner's ECDSA check), and
# the most one contract ballot costs a relayer beyond the charter's own work.
ERC1271_GAS_STIPEND: constant(uint256) = 60_000


# @dev What must be left before the call so that the wallet gets the whole
# stipend (EIP-150 forwards at most 63/64 of what is left), with margin for
# the call itself (cold account access, memory).
_STIPEND_RESERVE: constant(uint256) = ERC1271_GAS_STIPEND + ERC1271_GAS_STIPEND // 63 + 5_000


# @dev The ERC-1271 magic value, `isValidSignature(bytes32,bytes)`.
_ERC1271_MAGIC: constant(bytes4) = 0x1626BA7E


@internal
@view
def _digest(proposal_id: uint256, support: uint8, voter: address) -> bytes32:
    """
    @dev Returns the EIP-712 digest a voter signs.
    @param proposal_id The proposal id.
    @param support The vote type.
    @param voter The voter.
    @return bytes32 The digest.
    """
    return eip712_domain_separator._hash_typed_data_v4(
        keccak256(abi_encode(BALLOT_TYPEHASH, proposal_id, support, voter))
    )


@internal
@view
def _check_signed(voter: address, digest: bytes32, signature: Bytes[65]):
    """
    @dev Reverts unless `signature` is `voter`'s.
    @param voter The voter.
    @param digest The ballot digest.
    @param signature The signature.
    """
    assert self._is_valid(voter, digest, signature), "charter: invalid signature"


@internal
@view
def _is_valid(voter: address, digest: bytes32, signature: Bytes[65]) -> bool:
    """
    @dev Returns whether `signature` is `voter`'s; never reverts.
    @param voter The voter.
    @param digest The ballot digest.
    @param signature The signature.
    @return bool True when valid.
    """
    if voter == empty(address):
        return False
    if len(signature) == 65:
        r: uint256 = extract32(signature, 0, output_type=uint256)
        s: uint256 = extract32(signature, 32, output_type=uint256)
        v: uint256 = convert(slice(signature, 64, 1), uint256)
        if s <= ecdsa._MALLEABILITY_THRESHOLD and (v == 27 or v == 28):
            # ecrecover gives zero for an unrecoverable signature, and the
            # voter is not zero (checked above).
            if ecrecover(digest, v, r, s) == voter:
                return True
    if voter.is_contract:
        return self._is_valid_erc1271(voter, digest, signature)
    return False


@internal
@view
def _is_valid_erc1271(wallet: address, digest: bytes32, signature: Bytes[65]) -> bool:
    """
    @dev Asks a contract wallet, with the stipend, whether it signed.
         Never reverts for the wallet's sake: out of gas, a revert or an
         answer other than the magic value mean "not signed".
    @param wallet The voter, an account with code.
    @param digest The ballot digest.
    @param signature The signature.
    @return bool True when the wallet answered the magic value.
    """
    assert msg.gas >= _STIPEND_RESERVE, "charter: gas below signature stipend"
    success: bool = False
    answer: Bytes[32] = b""
    success, answer = raw_call(
        wallet,
        abi_encode(digest, signature, method_id=_ERC1271_MAGIC),
        max_outsize=32,
        gas=ERC1271_GAS_STIPEND,
        is_static_call=True,
        revert_on_failure=False,
    )
    return (
        success
        and len(answer) == 32
        and convert(answer, bytes32) == convert(_ERC1271_MAGIC, bytes32)
    )

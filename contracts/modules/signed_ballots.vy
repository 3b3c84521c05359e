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
        ERC-1271 through snekmate's `signature_checker`. ECDSA comes first to
        spare every EOA ballot a code-size lookup (2,600 gas); for an account
        with code this accepts its own key's signature (an EIP-7702 account).
        The 64-byte EIP-2098 form is not accepted: one form per signature.
"""


from snekmate.utils import eip712_domain_separator
from snekmate.utils import signature_checker

# @dev Only for its malleability threshold (secp256k1n / 2, EIP-2).
from snekmate.utils import ecdsa

uses: eip712_domain_separator


# @dev The EIP-712 type hash of a ballot.
BALLOT_TYPEHASH: constant(bytes32) = keccak256(
    "Ballot(uint256 proposalId,uint8 support,address voter)"
)


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
    if len(signature) == 65:
        r: uint256 = extract32(signature, 0, output_type=uint256)
        s: uint256 = extract32(signature, 32, output_type=uint256)
        v: uint256 = convert(slice(signature, 64, 1), uint256)
        if s <= ecdsa._MALLEABILITY_THRESHOLD and (v == 27 or v == 28):
            # ecrecover gives zero for an unrecoverable signature; a voter
            # is a member, never the zero address.
            if ecrecover(digest, v, r, s) == voter:
                return True
    if voter.is_contract:
        return signature_checker._is_valid_ERC1271_signature_now(voter, digest, signature)
    return False

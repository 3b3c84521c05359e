"""Signed ballots (EIP-712): sign from a wallet, verify off-chain exactly as the charter does.

A ballot is ``Ballot(uint256 proposalId,uint8 support,address voter)`` in the domain
``EIP712Domain(name="Panarchy Charter", version="1", chainId, verifyingContract=charter)``:
bound to one chain, one charter and one proposal. Replay is impossible because a member
votes once per proposal.

Verification is the hot path of a relay that checks thousands of ballots: the domain
separator and type hash are computed once per charter, the struct is hashed directly, and
the signer is recovered with libsecp256k1 (coincurve). Signatures with a high ``s`` or a
``v`` other than 27/28 are refused, as the contract refuses them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from coincurve import PublicKey
from eth_account.messages import encode_typed_data
from eth_utils import to_checksum_address
from sha3 import keccak_256  # C keccak: 10x eth-hash's pycryptodome backend

from panarchy import constants as C
from panarchy.charter.types import Support
from panarchy.errors import InvalidBallot, InvalidVote


def keccak(data: bytes) -> bytes:
    """Keccak-256."""
    return keccak_256(data).digest()


DOMAIN_NAME = C.Eip712.DOMAIN_NAME
DOMAIN_VERSION = C.Eip712.DOMAIN_VERSION
DOMAIN_TYPE = "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
BALLOT_TYPE = C.Eip712.BALLOT_TYPE
DOMAIN_TYPEHASH = keccak(DOMAIN_TYPE.encode())
BALLOT_TYPEHASH = keccak(BALLOT_TYPE.encode())

#: Half the secp256k1 group order: a valid ``s`` is at most this (EIP-2).
SECP256K1_HALF_N = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0


def _word(value: int) -> bytes:
    return value.to_bytes(32, "big")


def _address_word(address: str) -> bytes:
    return bytes(12) + bytes.fromhex(address[2:])


def domain_separator(chain_id: int, charter: str) -> bytes:
    """The EIP-712 domain separator of a charter on a chain."""
    return keccak(
        DOMAIN_TYPEHASH
        + keccak(DOMAIN_NAME.encode())
        + keccak(DOMAIN_VERSION.encode())
        + _word(chain_id)
        + _address_word(to_checksum_address(charter))
    )


def typed_data(
    chain_id: int, charter: str, proposal_id: int, support: int, voter: str
) -> dict[str, Any]:
    """The ballot as EIP-712 typed data (what a wallet's ``eth_signTypedData_v4`` signs)."""
    return {
        "types": {
            "EIP712Domain": [
                {"name": "name", "type": "string"},
                {"name": "version", "type": "string"},
                {"name": "chainId", "type": "uint256"},
                {"name": "verifyingContract", "type": "address"},
            ],
            "Ballot": [{"name": name, "type": kind} for name, kind in C.Eip712.BALLOT_FIELDS],
        },
        "primaryType": "Ballot",
        "domain": {
            "name": DOMAIN_NAME,
            "version": DOMAIN_VERSION,
            "chainId": chain_id,
            "verifyingContract": to_checksum_address(charter),
        },
        "message": {
            "proposalId": proposal_id,
            "support": int(support),
            "voter": to_checksum_address(voter),
        },
    }


@dataclass(frozen=True)
class SignedBallot:
    """A ballot and its signature; JSON-serialisable so a member can send it to anyone.

    ``support`` is a :class:`Support`; a ballot received from elsewhere (the relay's
    :func:`~panarchy.relay.parse_ballot`) may carry another ``uint8``, kept as the voter
    signed it so that the signature is checked before the vote type, as the charter does.
    Such a ballot cannot be written as a document (:meth:`to_json`).
    """

    chain_id: int
    charter: str
    proposal_id: int
    support: Support | int
    voter: str
    signature: bytes

    def to_json(self) -> str:
        """The ballot as a JSON document (the format of ``panarchy vote --sign-only``)."""
        return json.dumps(
            {
                "type": "panarchy-ballot/1",
                "chain_id": self.chain_id,
                "charter": self.charter,
                "proposal_id": self.proposal_id,
                "support": Support(self.support).name.lower(),
                "voter": self.voter,
                "signature": "0x" + self.signature.hex(),
            },
            indent=2,
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> SignedBallot:
        """Parse a ballot document, with a clear error for anything malformed."""
        try:
            data = json.loads(text)
            if data.get("type") != "panarchy-ballot/1":
                raise InvalidBallot("not a panarchy ballot (missing type panarchy-ballot/1)")
            signature = bytes.fromhex(str(data["signature"]).removeprefix("0x"))
            return cls(
                chain_id=int(data["chain_id"]),
                charter=to_checksum_address(data["charter"]),
                proposal_id=int(data["proposal_id"]),
                support=Support[str(data["support"]).upper()],
                voter=to_checksum_address(data["voter"]),
                signature=signature,
            )
        except InvalidBallot:
            raise
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise InvalidBallot(f"malformed ballot: {exc!r}") from exc

    def as_call_args(self) -> tuple[int, int, str, bytes]:
        """The arguments of the charter's ``cast_vote_by_sig``."""
        return (self.proposal_id, int(self.support), self.voter, self.signature)


def support_code(support: Support | int) -> int:
    """The vote as the ``uint8`` the charter takes. Which values count is the contract's
    word (it refuses others with ``charter: invalid vote type``); only a value that cannot be
    encoded at all is refused here.

    Raises:
        InvalidVote: When ``support`` is not an integer from 0 to 255.
    """
    if isinstance(support, bool) or not isinstance(support, int) or not 0 <= support < 2**8:
        raise InvalidVote(
            "",
            f"a vote is a uint8: {support!r} cannot be sent; "
            "use Support.AGAINST (0), Support.FOR (1) or Support.ABSTAIN (2)",
        )
    return int(support)


def sign_ballot(
    signer: Any, *, chain_id: int, charter: str, proposal_id: int, support: Support | int
) -> SignedBallot:
    """Sign a ballot with an eth-account signer (keystore or in-memory key).

    For a browser or hardware wallet, have it sign :func:`typed_data` with
    ``eth_signTypedData_v4`` and build a :class:`SignedBallot` from the result.

    Raises:
        InvalidVote: When ``support`` is not against, for or abstain (a ballot document
            names its vote, so only those three can be signed).
    """
    code = support_code(support)
    try:
        support = Support(code)
    except ValueError as exc:
        raise InvalidVote(
            "", f"a ballot names its vote: {support!r} is not against (0), for (1) or abstain (2)"
        ) from exc
    message = encode_typed_data(
        full_message=typed_data(chain_id, charter, proposal_id, support, signer.address)
    )
    signed = signer.sign_message(message)
    return SignedBallot(
        chain_id=chain_id,
        charter=to_checksum_address(charter),
        proposal_id=proposal_id,
        support=support,
        voter=to_checksum_address(signer.address),
        signature=bytes(signed.signature),
    )


class BallotVerifier:
    """Verifies ballots for one charter on one chain, fast.

    Args:
        chain_id: The chain id the ballots must be bound to.
        charter: The charter's address.
    """

    def __init__(self, chain_id: int, charter: str) -> None:
        self.chain_id = chain_id
        self.charter = to_checksum_address(charter)
        self._prefix = b"\x19\x01" + domain_separator(chain_id, self.charter)

    def digest(self, proposal_id: int, support: int, voter: str) -> bytes:
        """The EIP-712 digest the voter signs."""
        struct_hash = keccak(
            BALLOT_TYPEHASH + _word(proposal_id) + _word(support) + _address_word(voter)
        )
        return keccak(self._prefix + struct_hash)

    def recover(self, ballot: SignedBallot) -> str:
        """The address that signed ``ballot`` (checksummed).

        Raises:
            InvalidBallot: For another chain or charter, a malformed or malleable signature.
        """
        return to_checksum_address(self._recover(ballot))

    def verify(self, ballot: SignedBallot) -> bool:
        """Whether ``ballot`` is validly signed by its voter (an EOA)."""
        try:
            return self._recover(ballot) == bytes.fromhex(ballot.voter[2:])
        except InvalidBallot:
            return False

    def _recover(self, ballot: SignedBallot) -> bytes:
        """The 20 signer bytes; the hot path does no checksumming."""
        if ballot.chain_id != self.chain_id or ballot.charter != self.charter:
            raise InvalidBallot("the ballot is for another chain or charter")
        sig = ballot.signature
        if len(sig) != 65:
            raise InvalidBallot("a signature has 65 bytes (r, s, v)")
        v = sig[64]
        if v not in (27, 28):
            raise InvalidBallot("invalid signature v")
        if int.from_bytes(sig[32:64], "big") > SECP256K1_HALF_N:
            raise InvalidBallot("malleable signature (high s)")
        digest = self.digest(ballot.proposal_id, int(ballot.support), ballot.voter)
        try:
            public = PublicKey.from_signature_and_message(
                sig[:64] + bytes((v - 27,)), digest, hasher=None
            )
        except Exception as exc:
            raise InvalidBallot("the signature does not recover a key") from exc
        return keccak(public.format(compressed=False)[1:])[12:]


__all__ = [
    "keccak",
    "DOMAIN_NAME",
    "DOMAIN_VERSION",
    "DOMAIN_TYPE",
    "BALLOT_TYPE",
    "DOMAIN_TYPEHASH",
    "BALLOT_TYPEHASH",
    "SECP256K1_HALF_N",
    "domain_separator",
    "typed_data",
    "SignedBallot",
    "support_code",
    "sign_ballot",
    "BallotVerifier",
]

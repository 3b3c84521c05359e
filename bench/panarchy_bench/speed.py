"""Off-chain speed: signed ballots verified per second, in one process, on this machine.

A relayer (or anyone auditing a batch) checks every ballot before it pays to relay it:
rebuild the EIP-712 digest from the ballot's fields, recover the signer, compare with the
voter. Two paths verify the very same ballots:

- eth-account's generic path: ``encode_typed_data`` then ``Account.recover_message``,
  whose key backend is coincurve when coincurve is installed (it is: the SDK depends on
  it). The typed-data dicts are built before the clock starts, in its favour.
- the SDK's path: ``panarchy.charter.ballots.BallotVerifier.verify`` (issue 4); until that module
  exists our figure is null, and the ballots are OpenZeppelin's
  ``Ballot(proposalId, support, voter, nonce)`` under a charter-like domain.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from eth_account import Account
from eth_account.messages import encode_typed_data

from panarchy_bench.common import Pending, person

_CHAIN_ID = 31337
_CHARTER = "0x5FbDB2315678afecb367f032d93F642f64180aa3"
_PROPOSAL = 7
_DOMAIN = {
    "name": "Bench Commons",
    "version": "1",
    "chainId": _CHAIN_ID,
    "verifyingContract": _CHARTER,
}
_TYPES = {
    "EIP712Domain": [
        {"name": "name", "type": "string"},
        {"name": "version", "type": "string"},
        {"name": "chainId", "type": "uint256"},
        {"name": "verifyingContract", "type": "address"},
    ],
    "Ballot": [
        {"name": "proposalId", "type": "uint256"},
        {"name": "support", "type": "uint8"},
        {"name": "voter", "type": "address"},
        {"name": "nonce", "type": "uint256"},
    ],
}


@dataclass(frozen=True)
class Ballot:
    """One signed ballot, in the shapes both paths take."""

    typed: dict[str, Any]  # EIP-712 typed data, for the generic path
    signature: bytes
    voter: str
    signed: Any  # panarchy.charter.ballots.SignedBallot, or None before issue 4


def _sdk_ballots() -> Any:
    try:
        from panarchy.charter import ballots
    except ImportError:
        return None
    return ballots


def make_ballots(count: int) -> list[Ballot]:
    """``count`` ballots signed by distinct members, supports cycling for/against/abstain."""
    sdk = _sdk_ballots()
    out = []
    for i in range(count):
        voter, support = person(i), i % 3
        if sdk is not None:
            signed = sdk.sign_ballot(
                voter, chain_id=_CHAIN_ID, charter=_CHARTER, proposal_id=_PROPOSAL, support=support
            )
            typed = sdk.typed_data(_CHAIN_ID, _CHARTER, _PROPOSAL, support, voter.address)
            out.append(Ballot(typed, bytes(signed.signature), voter.address, signed))
            continue
        typed = {
            "types": _TYPES,
            "primaryType": "Ballot",
            "domain": _DOMAIN,
            "message": {
                "proposalId": _PROPOSAL,
                "support": support,
                "voter": voter.address,
                "nonce": 0,
            },
        }
        signature = bytes(voter.sign_typed_data(full_message=typed).signature)
        out.append(Ballot(typed, signature, voter.address, None))
    return out


def eth_account_verify(ballot: Ballot) -> bool:
    """The generic path: encode the typed data, recover the signer, compare."""
    signable = encode_typed_data(full_message=ballot.typed)
    return Account.recover_message(signable, signature=ballot.signature) == ballot.voter


def _rate(verify: Any, ballots: list[Ballot], seconds: float) -> float:
    for ballot in ballots:  # every ballot must verify; this also warms caches
        if not verify(ballot):
            raise AssertionError(f"a valid ballot from {ballot.voter} failed to verify")
    done = 0
    start = time.perf_counter()
    elapsed = 0.0
    while elapsed < seconds:
        for ballot in ballots:
            verify(ballot)
        done += len(ballots)
        elapsed = time.perf_counter() - start
    return done / elapsed


def eth_account_rate(ballots: list[Ballot], seconds: float) -> float:
    """Ballots per second verified by eth-account's generic path."""
    return _rate(eth_account_verify, ballots, seconds)


def ours_rate(ballots: list[Ballot], seconds: float) -> float:
    """Ballots per second verified by the SDK (``panarchy.charter.ballots``, issue 4)."""
    sdk = _sdk_ballots()
    if sdk is None or ballots[0].signed is None:
        raise Pending("pending issue 4 (panarchy.charter.ballots)")
    verifier = sdk.BallotVerifier(_CHAIN_ID, _CHARTER)
    return _rate(lambda b: verifier.verify(b.signed), ballots, seconds)


def key_backend() -> str:
    """The eth-keys backend eth-account recovers with (coincurve, or pure Python)."""
    from eth_keys.backends import get_backend

    return type(get_backend()).__name__

"""Arrival checks: would the charter count this ballot if it were relayed now?

A ballot is accepted only when it is well-formed, bound to this chain and to a charter the
relay serves, signed by its voter (ECDSA for an account without code — the same check as
the charter's, malleable signatures refused — or ERC-1271 for a contract wallet, asked
through ``eth_call`` exactly as the charter will ask), names a vote (against, for, abstain),
and its voter may vote: the proposal exists and is open, the voter is a member who joined
before the proposal's snapshot block, and has not voted. Each refusal is a
:class:`BallotRefused` with a stable ``code`` (the same words the charter uses in
``BallotSkipped``) and the HTTP status the service answers with.

The checks run in the charter's order (``cast_votes_by_sig``: the signature, over the
``uint8`` support as signed, then ``ballots._try_cast``: the vote type, the proposal, the
voter), so the first refusal is the reason the charter would skip the ballot for.

The chain can still change between the check and the settlement (the vote closes, the voter
votes directly); the charter then skips the ballot, and the relay reports that reason.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from eth_abi import encode
from eth_utils import is_address, to_checksum_address
from web3.contract import Contract
from web3.exceptions import ContractLogicError, Web3RPCError

from panarchy._utils import artifacts
from panarchy._utils.reverts import revert_reason
from panarchy.chain import Chain
from panarchy.charter.ballots import BallotVerifier, SignedBallot
from panarchy.charter.types import Support
from panarchy.errors import (
    ConfigurationError,
    InvalidBallot,
    PanarchyError,
    UnknownProposal,
    error_for_revert,
)
from panarchy.relay.rpc import error_text, retrying

BALLOT_TYPE = "panarchy-ballot/1"
#: ERC-1271's ``isValidSignature(bytes32,bytes)`` selector, which is also its magic value.
ERC1271_MAGIC = bytes.fromhex("1626ba7e")

#: The gas the charter gives a wallet's check (``signed_ballots.ERC1271_GAS_STIPEND``): the
#: relay asks with the same budget, so that a wallet honest only with more gas (a wallet
#: that answers an unbounded ``eth_call`` but burns on chain) is refused here as it would
#: be skipped there.
ERC1271_GAS_STIPEND = 60_000
#: The longest signature the charter takes (``Bytes[65]``).
MAX_SIGNATURE = 65

#: Every refusal code and its HTTP status.
REFUSALS: dict[str, int] = {
    "malformed": 400,
    "wrong_chain": 422,
    "unknown_charter": 422,
    "invalid_signature": 422,
    "invalid_vote_type": 422,
    "unknown_proposal": 422,
    "not_active": 422,
    "voting_closed": 422,
    "not_a_member": 403,
    "joined_after_proposal": 403,
    "already_voted": 409,
    "conflict": 409,
    "rate_limited": 429,
    "queue_full": 503,
    "node_unavailable": 503,
}


class BallotRefused(PanarchyError, ValueError):
    """Raised when the relay refuses a ballot on arrival; ``code`` names the reason (a key
    of :data:`REFUSALS`) and ``http_status`` is what the service answers."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.http_status = REFUSALS[code]


@dataclass(frozen=True)
class Eligible:
    """A ballot that passed every arrival check, with what the settler needs to know."""

    ballot: SignedBallot
    snapshot: int  # the proposal's snapshot block
    vote_end: int  # when its vote closes (chain time, seconds)


@dataclass
class _Cached:
    value: Any
    at: float


def parse_ballot(data: Any) -> SignedBallot:
    """Build a ballot from decoded JSON (the format of :meth:`SignedBallot.to_json`;
    ``support`` may also be 0, 1 or 2, and ``type`` may be left out).

    Raises:
        BallotRefused: ``malformed``, saying which field is wrong.
    """
    if not isinstance(data, dict):
        raise BallotRefused("malformed", "a ballot is a JSON object")
    kind = data.get("type", BALLOT_TYPE)
    if kind != BALLOT_TYPE:
        raise BallotRefused("malformed", f"type must be {BALLOT_TYPE!r}, not {kind!r}")
    missing = [k for k in ("chain_id", "charter", "proposal_id", "support", "voter", "signature")
               if k not in data]  # fmt: skip
    if missing:
        raise BallotRefused("malformed", f"missing field(s): {', '.join(missing)}")
    return SignedBallot(
        chain_id=_uint(data, "chain_id"),
        charter=_address(data, "charter"),
        proposal_id=_uint(data, "proposal_id"),
        support=_support(data["support"]),
        voter=_address(data, "voter"),
        signature=_signature(data["signature"]),
    )


def _uint(data: dict[str, Any], key: str) -> int:
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise BallotRefused("malformed", f"{key} must be an integer")
    try:
        number = int(value, 0) if isinstance(value, str) else value
    except ValueError:
        raise BallotRefused("malformed", f"{key} must be an integer, not {value!r}") from None
    if not 0 <= number < 2**256:
        raise BallotRefused("malformed", f"{key} is out of range")
    return number


def _address(data: dict[str, Any], key: str) -> str:
    value = data[key]
    if not isinstance(value, str) or not is_address(value):
        raise BallotRefused("malformed", f"{key} must be a 0x-prefixed 20-byte address")
    try:
        return str(to_checksum_address(value))
    except ValueError:
        raise BallotRefused("malformed", f"{key} has a wrong checksum") from None


def _support(value: Any) -> Support | int:
    """A vote's name, or any ``uint8`` (the charter's type): one that names no vote is kept
    as signed, and refused after the signature check (:meth:`Validator.check_vote_type`)."""
    if isinstance(value, str) and value.upper() in Support.__members__:
        return Support[value.upper()]
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**8:
        return Support(value) if value in Support._value2member_map_ else value
    raise BallotRefused("invalid_vote_type", "support must be for, against or abstain (1, 0, 2)")


def _signature(value: Any) -> bytes:
    if not isinstance(value, str) or not value.startswith("0x"):
        raise BallotRefused("malformed", "signature must be 0x-prefixed hex")
    try:
        signature = bytes.fromhex(value[2:])
    except ValueError:
        raise BallotRefused("malformed", "signature is not hex") from None
    if not 0 < len(signature) <= MAX_SIGNATURE:
        raise BallotRefused("invalid_signature", f"a signature has 1 to {MAX_SIGNATURE} bytes")
    return signature


class Validator:
    """Arrival checks for the ballots of some charters on one chain; safe across threads.

    Proposal fields that cannot change (snapshot, vote end) are cached; whether a proposal
    was canceled, the chain's time and accounts' code are cached for a moment only.

    Args:
        chain: The chain.
        charters: The charters whose ballots the relay takes.
        cache_seconds: How long the chain's time and a proposal's canceled flag are reused.
    """

    def __init__(
        self, chain: Chain, charters: Iterable[str], *, cache_seconds: float = 1.0
    ) -> None:
        self.chain = chain
        self.chain_id = chain.chain_id
        abi = artifacts.load("Charter")["abi"]
        # Keyed by checksummed address; looked up with a ballot's (any) str.
        self.charters: dict[str, Contract] = {
            to_checksum_address(c): chain.w3.eth.contract(address=to_checksum_address(c), abi=abi)
            for c in charters
        }
        if not self.charters:
            raise ConfigurationError("the relay serves no charter: name at least one")
        self.verifiers: dict[str, BallotVerifier] = {
            c: BallotVerifier(self.chain_id, c) for c in self.charters
        }
        self.cache_seconds = cache_seconds
        self._proposals: dict[tuple[str, int], _Cached] = {}
        self._code: dict[str, _Cached] = {}
        self._clock: _Cached | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"<Validator chain={self.chain_id} charters={sorted(self.charters)}>"

    # --- the checks -------------------------------------------------------------------

    def check(self, ballot: SignedBallot) -> Eligible:
        """Every arrival check, in the charter's order: signature first.

        Raises:
            BallotRefused: With the first reason the ballot would not count.
        """
        self.check_target(ballot)
        self.check_signature(ballot)
        return self.check_eligibility(ballot)

    def check_target(self, ballot: SignedBallot) -> None:
        """This chain, and a charter the relay serves."""
        if ballot.chain_id != self.chain_id:
            raise BallotRefused(
                "wrong_chain", f"the ballot is for chain {ballot.chain_id}, this is {self.chain_id}"
            )
        if ballot.charter not in self.charters:
            raise BallotRefused("unknown_charter", f"this relay does not serve {ballot.charter}")

    def check_signature(self, ballot: SignedBallot) -> None:
        """The voter's signature: ECDSA (low s, v of 27 or 28) that recovers the voter, or,
        for a voter with code, ERC-1271's answer through ``eth_call``."""
        verifier = self.verifiers[ballot.charter]
        try:
            signer = verifier.recover(ballot)
            problem = f"the signature is by {signer}, not by the voter {ballot.voter}"
        except InvalidBallot as exc:
            signer, problem = None, str(exc)
        if signer == ballot.voter:
            return
        if self._has_code(ballot.voter):
            digest = verifier.digest(ballot.proposal_id, int(ballot.support), ballot.voter)
            if self._erc1271(ballot.voter, digest, ballot.signature):
                return
            problem = "the voter's wallet (ERC-1271) does not accept the signature"
        raise BallotRefused("invalid_signature", problem)

    @staticmethod
    def check_vote_type(ballot: SignedBallot) -> SignedBallot:
        """The ballot names a vote (against, for, abstain); the ballot, its support as a
        :class:`Support`."""
        try:
            return replace(ballot, support=Support(ballot.support))
        except ValueError:
            raise BallotRefused(
                "invalid_vote_type",
                f"support {int(ballot.support)} is not for, against or abstain (1, 0, 2)",
            ) from None

    def check_eligibility(self, ballot: SignedBallot) -> Eligible:
        """The ballot names a vote (:meth:`check_vote_type`, the charter's first check of a
        signed ballot), the proposal is open, the voter was a member at its snapshot and has
        not voted."""
        ballot = self.check_vote_type(ballot)
        fn = self.charters[ballot.charter].functions
        snapshot, vote_end, canceled = self._proposal(ballot.charter, ballot.proposal_id)
        if canceled:
            raise BallotRefused("not_active", f"proposal {ballot.proposal_id} was canceled")
        if self.chain_time() >= vote_end:
            raise BallotRefused("voting_closed", f"the vote on {ballot.proposal_id} has closed")
        joined = retrying(lambda: int(fn.joined_block(ballot.voter).call()), what="joined_block")
        if joined == 0:
            raise BallotRefused("not_a_member", f"{ballot.voter} is not a member")
        if joined >= snapshot:
            raise BallotRefused(
                "joined_after_proposal",
                f"{ballot.voter} joined in block {joined}, not before proposal "
                f"{ballot.proposal_id} (block {snapshot})",
            )
        voted = retrying(
            lambda: bool(fn.has_voted(ballot.proposal_id, ballot.voter).call()), what="has_voted"
        )
        if voted:
            raise BallotRefused(
                "already_voted", f"{ballot.voter} already voted on {ballot.proposal_id}"
            )
        return Eligible(ballot=ballot, snapshot=snapshot, vote_end=vote_end)

    # --- cached reads -----------------------------------------------------------------

    def chain_time(self) -> int:
        """The latest block's timestamp (cached for ``cache_seconds``)."""
        now = time.monotonic()
        clock = self._clock
        if clock is None or now - clock.at > self.cache_seconds:
            ts = retrying(lambda: int(self.chain.w3.eth.get_block("latest")["timestamp"]),
                          what="the latest block")  # fmt: skip
            clock = self._clock = _Cached(ts, now)
            return int(ts)
        return int(clock.value) + int(now - clock.at)

    def _proposal(self, charter: str, proposal_id: int) -> tuple[int, int, bool]:
        key = (charter, proposal_id)
        now = time.monotonic()
        cached = self._proposals.get(key)
        if cached is not None and now - cached.at <= self.cache_seconds:
            return cached.value  # type: ignore[no-any-return]
        fn = self.charters[charter].functions
        try:
            raw = retrying(lambda: fn.proposal(proposal_id).call(), what="the proposal")
        except ContractLogicError as exc:
            reason = revert_reason(exc) or ""
            if isinstance(error_for_revert(reason), UnknownProposal) or "unknown proposal" in str(
                exc
            ):
                raise BallotRefused(
                    "unknown_proposal", f"there is no proposal {proposal_id}"
                ) from exc
            raise
        value = (int(raw[4]), int(raw[5]), bool(raw[12]))  # snapshot, vote_end, canceled
        with self._lock:
            self._proposals[key] = _Cached(value, now)
            if len(self._proposals) > 10_000:
                self._proposals.clear()
        return value

    def _has_code(self, account: str) -> bool:
        now = time.monotonic()
        cached = self._code.get(account)
        if cached is not None and now - cached.at <= 60.0:
            return bool(cached.value)
        code = retrying(lambda: bytes(self.chain.w3.eth.get_code(account)), what="get_code")  # type: ignore[arg-type]
        with self._lock:
            self._code[account] = _Cached(len(code) > 0, now)
            if len(self._code) > 100_000:
                self._code.clear()
        return len(code) > 0

    def _erc1271(self, wallet: str, digest: bytes, signature: bytes) -> bool:
        """Ask the wallet as the charter does: exactly 32 bytes back, the magic value
        left-aligned, within the charter's stipend (the call's own intrinsic cost on top)."""
        data = ERC1271_MAGIC + encode(["bytes32", "bytes"], [digest, signature])
        gas = ERC1271_GAS_STIPEND + 21_000 + 16 * len(data)
        call = {"to": wallet, "data": data, "gas": gas}

        def ask() -> bytes:
            try:
                return bytes(self.chain.w3.eth.call(call))  # type: ignore[arg-type]
            except ContractLogicError:
                return b""
            except (ValueError, Web3RPCError) as exc:  # "out of gas" is an answer: not signed
                if "out of gas" in error_text(exc) or "outofgas" in error_text(exc):
                    return b""
                raise

        out = retrying(ask, what="isValidSignature")
        return out == ERC1271_MAGIC + bytes(28)


__all__ = [
    "BALLOT_TYPE",
    "ERC1271_MAGIC",
    "ERC1271_GAS_STIPEND",
    "MAX_SIGNATURE",
    "REFUSALS",
    "BallotRefused",
    "Eligible",
    "parse_ballot",
    "Validator",
]

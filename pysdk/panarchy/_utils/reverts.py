"""The single choke point where node errors become the SDK's typed exceptions."""

from __future__ import annotations

import re

from eth_abi import decode
from web3.exceptions import ContractLogicError, TimeExhausted, Web3RPCError

from panarchy.errors import (
    ChainUnavailable,
    ContractReverted,
    PanarchyError,
    TransactionFailed,
    error_for_revert,
)

_ERROR_SELECTOR = bytes.fromhex("08c379a0")  # Error(string)
_REASON = re.compile(r"execution reverted:?\s*(?P<reason>[^\n]*)")


def revert_reason(error: BaseException) -> str | None:
    """Extract the revert string from a node error, if it carries one.

    Web3's ContractLogicError carries the ABI-encoded ``Error(string)`` in ``data``;
    the in-process tester and some nodes give the reason only in the message.
    """
    data = getattr(error, "data", None)
    if isinstance(data, str) and data.startswith("0x"):
        raw = bytes.fromhex(data[2:])
        if raw[:4] == _ERROR_SELECTOR:
            try:
                return str(decode(["string"], raw[4:])[0])
            except Exception:  # malformed data: fall back to the message
                pass
    match = _REASON.search(str(error))
    if match and match.group("reason").strip():
        reason = match.group("reason").strip().strip("'\"")
        return reason
    return None


def translate(error: BaseException) -> PanarchyError:
    """Return the SDK exception for ``error`` (the caller raises it ``from error``)."""
    if isinstance(error, PanarchyError):
        return error
    reason = revert_reason(error)
    if reason is not None:
        return error_for_revert(reason)
    if isinstance(error, ContractLogicError):
        return ContractReverted("", "the contract reverted without a reason")
    if isinstance(error, (ConnectionError, OSError)) or type(error).__name__ in {
        "ConnectionError",
        "ReadTimeout",
        "ConnectTimeout",
    }:
        return ChainUnavailable(f"the node did not answer: {error}")
    if isinstance(error, TimeExhausted):
        return TransactionFailed(f"no receipt in time: {error}")
    if isinstance(error, Web3RPCError):
        return TransactionFailed(f"the node refused the transaction: {error}")
    return TransactionFailed(str(error))

"""Talking to a node that may fail: bounded retries for reads, and how to read errors.

The relay never trusts one answer from the node to decide something it cannot undo. Reads
(calls, receipts, blocks, counts) are idempotent, so they are simply retried with backoff
when the node drops, delays or garbles an answer. A broadcast is retried only by sending
the very same signed bytes again (see :mod:`panarchy.relay.settler`), which the node
either accepts once or recognises.
"""

from __future__ import annotations

import logging
import time
from typing import Protocol, TypeVar

from web3 import Web3
from web3.exceptions import (
    BadFunctionCallOutput,
    BlockNotFound,
    ContractLogicError,
    TransactionNotFound,
)

from panarchy.chain import Chain
from panarchy.errors import ChainUnavailable

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
log = logging.getLogger("panarchy.relay")

#: Answers that are the node's considered reply, not a fault: never retried.
DEFINITIVE = (ContractLogicError, TransactionNotFound, BlockNotFound, BadFunctionCallOutput)


def connect(rpc_url: str, *, timeout: float = 10.0) -> Chain:
    """A :class:`Chain` for the relay: a per-request timeout and no hidden retries (the
    relay retries reads itself and never re-signs a broadcast).

    Args:
        rpc_url: The node's JSON-RPC URL.
        timeout: Seconds to wait for each answer.
    """
    provider = Web3.HTTPProvider(
        rpc_url, request_kwargs={"timeout": timeout}, exception_retry_configuration=None
    )
    return Chain(Web3(provider))


class Read(Protocol[T_co]):
    """What :func:`retrying` runs: a call without arguments. (A ``Callable[[], T]`` would
    do, but mypy cannot infer a lambda binding loop values as defaults against it.)"""

    def __call__(self) -> T_co: ...


def retrying(fn: Read[T], *, what: str = "a read", attempts: int = 6, backoff: float = 0.05) -> T:
    """Run an idempotent read, retrying transport faults with exponential backoff.

    Raises:
        ChainUnavailable: When every attempt failed with a fault.
        The definitive errors (a revert, "not found") at once, as they are.
    """
    last: BaseException | None = None
    for attempt in range(attempts):
        try:
            return fn()
        except DEFINITIVE:
            raise
        except Exception as exc:  # a dropped, delayed, 5xx or garbled answer
            last = exc
            log.debug("retrying %s after %r", what, exc)
            time.sleep(min(backoff * 2**attempt, 2.0))
    raise ChainUnavailable(f"the node did not answer {what}: {last}") from last


def error_text(exc: BaseException) -> str:
    """A node error's message, lower-cased (JSON-RPC errors carry it in a dict)."""
    arg = exc.args[0] if exc.args else exc
    if isinstance(arg, dict):
        return str(arg.get("message", arg)).lower()
    return str(arg).lower()


def is_known_tx_error(text: str) -> bool:
    """The node already has this transaction (a broadcast that arrived twice)."""
    return any(s in text for s in ("already known", "already imported", "known transaction"))


def is_fee_too_low_error(text: str) -> bool:
    """The fees no longer suffice (base fee rose): the batch needs a new attempt."""
    if "replacement" in text:  # another transaction with our nonce is in the pool
        return False
    return any(
        s in text
        for s in ("underpriced", "fee cap less than", "less than block base fee",
                  "max fee per gas less than", "gas price too low")
    )  # fmt: skip


__all__ = [
    "T",
    "T_co",
    "log",
    "DEFINITIVE",
    "connect",
    "Read",
    "retrying",
    "error_text",
    "is_known_tx_error",
    "is_fee_too_low_error",
]

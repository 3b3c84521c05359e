"""Where the gas goes: an opcode-level breakdown of a transaction from anvil's step traces.

anvil records steps only when started with ``--steps-tracing``; :func:`tracing_anvil_env`
points ``PANARCHY_ANVIL`` at a two-line wrapper that adds the flag (tracing changes no
gas figure). :func:`breakdown` then splits a transaction's ``gasUsed`` into the base cost,
calldata, storage reads and writes, logs, hashing, calls, signature recovery and the rest.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from panarchy_bench.common import Node

_CALLS = {"CALL", "STATICCALL", "DELEGATECALL", "CALLCODE", "CREATE", "CREATE2"}
_ACCOUNT = {"EXTCODEHASH", "EXTCODESIZE", "EXTCODECOPY", "BALANCE"}
_PRECOMPILE_ECRECOVER = 1


def tracing_anvil_env() -> str:
    """Make :class:`panarchy.node.Anvil` start anvil with steps tracing; return the wrapper."""
    from panarchy.node import find_anvil

    real = find_anvil()
    directory = tempfile.mkdtemp(prefix="panarchy-bench-")
    wrapper = os.path.join(directory, "anvil")
    with open(wrapper, "w") as f:
        f.write(f'#!/bin/sh\nexec "{real}" --steps-tracing "$@"\n')
    os.chmod(wrapper, os.stat(wrapper).st_mode | stat.S_IXUSR)
    os.environ["PANARCHY_ANVIL"] = wrapper
    return wrapper


@dataclass
class Breakdown:
    """A transaction's gas, by where it went."""

    gas_used: int
    parts: dict[str, int] = field(default_factory=dict)
    sstores: Counter[int] = field(default_factory=Counter)
    sloads: Counter[int] = field(default_factory=Counter)
    calls: int = 0

    def line(self) -> str:
        shown = ", ".join(f"{k} {v:,}" for k, v in self.parts.items() if v)
        w = " + ".join(f"{n}×{c:,}" for c, n in sorted(self.sstores.items(), reverse=True))
        r = " + ".join(f"{n}×{c:,}" for c, n in sorted(self.sloads.items(), reverse=True))
        return f"{self.gas_used:,} = {shown}  [SSTORE {w or '-'}; SLOAD {r or '-'}]"


def _calldata_cost(data: str) -> int:
    raw = bytes.fromhex(data.removeprefix("0x"))
    return sum(16 if b else 4 for b in raw)


def breakdown(node: Node, tx_hash: str) -> Breakdown:
    """Split ``tx_hash``'s gas into base, calldata and what its opcodes spent."""
    tx = node.rpc("eth_getTransactionByHash", [tx_hash])
    receipt = node.rpc("eth_getTransactionReceipt", [tx_hash])
    trace = node.rpc(
        "debug_traceTransaction", [tx_hash, {"disableMemory": True, "disableStorage": True}]
    )
    steps: list[dict[str, Any]] = trace["structLogs"]
    if not steps:
        raise RuntimeError("no steps traced: start anvil with --steps-tracing")
    out = Breakdown(int(receipt["gasUsed"], 16))
    parts: Counter[str] = Counter()
    parts["base"] = 21_000
    parts["calldata"] = _calldata_cost(tx["input"])
    for i, step in enumerate(steps):
        op, depth = step["op"], step["depth"]
        nxt = steps[i + 1] if i + 1 < len(steps) else None
        if op in _CALLS:
            if nxt is not None and nxt["depth"] > depth:
                # Find the first step back in this frame and the child's last step.
                j = i + 1
                while j < len(steps) and steps[j]["depth"] > depth:
                    j += 1
                last = steps[j - 1]
                child = nxt["gas"] - (last["gas"] - last["gasCost"])
                after = steps[j]["gas"] if j < len(steps) else 0
                cost = step["gas"] - after - child
                key = "create" if op.startswith("CREATE") else "calls (access, forwarding)"
                parts[key] += cost
            else:
                cost = step["gas"] - nxt["gas"] if nxt is not None else step["gasCost"]
                target = int(step["stack"][-2], 16) if step.get("stack") else None
                key = (
                    "ecrecover" if target == _PRECOMPILE_ECRECOVER else "calls (access, forwarding)"
                )
                parts[key] += cost
            out.calls += 1
            continue
        cost = int(step["gasCost"])
        if op == "SSTORE":
            parts["SSTORE"] += cost
            out.sstores[cost] += 1
        elif op == "SLOAD":
            parts["SLOAD"] += cost
            out.sloads[cost] += 1
        elif op.startswith("LOG"):
            parts["logs"] += cost
        elif op == "KECCAK256":
            parts["keccak"] += cost
        elif op in _ACCOUNT:
            parts["code/account reads"] += cost
        elif op in ("TLOAD", "TSTORE"):
            parts["reentrancy lock"] += cost
        else:
            parts["compute & memory"] += cost
    top = [s for s in steps if s["depth"] == 1]
    refund = int(top[-1].get("refund", 0))
    refund = min(refund, (sum(parts.values())) // 5)  # EIP-3529 caps refunds at a fifth
    if refund:
        parts["refund"] = -refund
    unaccounted = out.gas_used - sum(parts.values())
    if unaccounted:
        # A deployment pays for its initcode and the code it stores outside any opcode.
        parts["code deposit" if tx.get("to") is None else "unaccounted"] = unaccounted
    order = [
        "base",
        "calldata",
        "SLOAD",
        "SSTORE",
        "logs",
        "ecrecover",
        "calls (access, forwarding)",
        "code/account reads",
        "create",
        "keccak",
        "reentrancy lock",
        "compute & memory",
        "refund",
        "code deposit",
        "unaccounted",
    ]
    out.parts = {k: parts[k] for k in order if k in parts}
    return out
